#include "checks.hpp"

#include <wildws/process.hpp>

namespace wildws::doctor {

Report runDoctor(const DoctorContext& c) {
    Report r;
    for (auto check : {checkHome, checkConfig, checkPlugins, checkAgents, checkServers, checkSupervisor, checkSupport,
                       checkRelay, checkDisk, checkLogs}) {
        try {
            check(c, r);
        } catch (const std::exception& e) {
            // One broken check must not hide the others.
            r.fail("doctor", "doctor", std::string("a check failed: ") + e.what(), "report this as a wildws bug");
        }
    }
    return r;
}

std::function<CliOutput(const std::vector<std::string>&)> wildwsRunner(const HostInfo& host,
                                                                      std::chrono::milliseconds timeout) {
    return [host, timeout](const std::vector<std::string>& args) {
        CliOutput out;
        SpawnOptions o;
        o.argv = {host.executable, "--home", host.home};
        if (!host.configFile.empty()) {
            o.argv.push_back("--config");
            o.argv.push_back(host.configFile);
        }
        for (auto& d : host.pluginDirs) {
            o.argv.push_back("--plugins-dir");
            o.argv.push_back(d);
        }
        o.argv.insert(o.argv.end(), args.begin(), args.end());
        o.env = childEnvironment();
        try {
            auto r = runToEnd(o, timeout);
            if (r.timedOut) out.failure = "`wildws " + args.at(0) + "` did not finish in time";
            out.code = r.status.value();
            out.out = std::move(r.out);
            out.err = std::move(r.err);
        } catch (const std::exception& e) {
            out.failure = e.what();
        }
        return out;
    };
}

} // namespace wildws::doctor
