// The doctor plugin: `wildws doctor [--json] [--bundle FILE]` checks the
// install in one go. It meets the rest only through SDK services and the
// state files in the home (see checks.hpp).
#include "bundle.hpp"
#include "checks.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>
#include <wildws/secure.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <climits>

namespace wildws::doctor {

class DoctorPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"doctor", "0.1.0", "checks the install: wildws doctor [--json] [--bundle FILE]"};
        info.configKeys = {
            {"min_free_mb", "500", "less free space than this in the home's file system fails the disk check"},
            {"max_log_mb", "200", "a log file larger than this fails the logs check"},
        };
        return info;
    }

    void setup(Context& ctx) override {
        Limits limits;
        auto mb = [&](const char* key, long long fallback) {
            long long n = ctx.config().getInt(key, fallback);
            if (n < 0)
                throw ConfigError(ctx.config().section() + " " + key + " = '" + std::to_string(n) +
                                  "': expected a number of megabytes, 0 or more");
            return static_cast<std::uint64_t>(n) << 20;
        };
        limits.minFreeBytes = mb("min_free_mb", 500);
        limits.maxLogBytes = mb("max_log_mb", 200);
        HostInfo host = ctx.host();
        Services* services = &ctx.services();

        CommandSpec spec;
        spec.name = "doctor";
        spec.summary = "check the install: home, config, plugins, agents, servers, support, relay, disk, logs";
        spec.options = {{"json", "", "print {ok, checks:[{id,title,status,detail,fix}]}", {}},
                        {"bundle", "FILE", "also write a .tar.gz for support (logs, redacted config; never secrets)", {}}};
        spec.run = [host, services, limits](Invocation& inv) {
            DoctorContext c;
            c.host = host;
            c.services = services;
            c.limits = limits;
            c.runWildws = wildwsRunner(host, std::chrono::seconds(30));
            Report report = runDoctor(c);
            if (inv.flag("json")) inv.out() << toJson(report) << "\n";
            else inv.out() << toText(report);
            if (auto file = inv.value("bundle")) {
                if (file->empty()) {
                    inv.err() << "wildws: doctor: --bundle needs a file name, e.g. --bundle wildws-doctor.tar.gz\n";
                    return 2;
                }
                std::string path = *file;
                if (path[0] != '/') {
                    char cwd[PATH_MAX];
                    if (::getcwd(cwd, sizeof cwd)) path = std::string(cwd) + "/" + path;
                }
                struct stat st {};
                if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
                    inv.err() << "wildws: doctor: " << path << " is a directory: name the .tar.gz file to write\n";
                    return 2;
                }
                try {
                    auto files = bundleFiles(c, report);
                    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
                    std::string data = tarGz(files, now);
                    writeFileAtomic(path, data);
                    (inv.flag("json") ? inv.err() : inv.out())
                        << "wrote " << path << " (" << files.size() << " files, " << data.size()
                        << " bytes; no secrets, tokens, transcripts or recordings)\n";
                } catch (const std::exception& e) {
                    inv.err() << "wildws: doctor: cannot write the bundle " << path << ": " << e.what()
                              << " - pick a writable place\n";
                    return 1;
                }
            }
            return report.ok() ? 0 : 1;
        };
        ctx.command(std::move(spec));
    }
};

} // namespace wildws::doctor

WILDWS_PLUGIN(wildws::doctor::DoctorPlugin)
