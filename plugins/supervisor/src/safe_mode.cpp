#include "safe_mode.hpp"

#include "read_file.hpp"

#include <wildws/common/json.hpp>
#include "proc.hpp"

#include <wildws/secure.hpp>

#include <Poco/JSON/Array.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

namespace wildws::supervisor {
namespace {

// Never this plugin: disabling it would also take away `always-on start
// --clear-safe-mode`, the way out of safe mode.
constexpr const char* kSelf = "supervisor";

std::string tail(const std::string& path, std::size_t bytes) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    struct stat st {};
    std::string out;
    if (::fstat(fd, &st) == 0) {
        off_t from = st.st_size > static_cast<off_t>(bytes) ? st.st_size - static_cast<off_t>(bytes) : 0;
        out.resize(static_cast<std::size_t>(st.st_size - from));
        ssize_t n = ::pread(fd, out.data(), out.size(), from);
        out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    ::close(fd);
    return out;
}

} // namespace

std::optional<CrashRecord> parseCrashLine(const std::string& line) {
    auto o = json::parseObject(line);
    auto pid = json::getInt(o, "pid");
    auto signal = json::getString(o, "signal");
    if (!pid || !signal) return std::nullopt;
    CrashRecord r;
    r.pid = static_cast<int>(*pid);
    r.signal = *signal;
    r.ts = json::getInt(o, "ts").value_or(0);
    r.plugin = json::getString(o, "plugin").value_or("");
    r.call = json::getString(o, "call").value_or("");
    return r;
}

std::optional<CrashRecord> lastCrashOf(const std::string& crashLogPath, int pid) {
    std::istringstream in(tail(crashLogPath, 64 * 1024));
    std::optional<CrashRecord> found;
    for (std::string line; std::getline(in, line);)
        if (auto r = parseCrashLine(line); r && r->pid == pid) found = r;
    return found;
}

std::optional<SafeMode> readSafeMode(const std::string& path) {
    auto text = readWholeFile(path);
    if (!text) return std::nullopt;
    SafeMode m;
    auto o = json::parseObject(*text);
    if (!o) return m; // unreadable: the loader ignores it too; shown as empty
    m.onlyFirstParty = json::getBool(o, "onlyFirstParty").value_or(false);
    m.reason = json::getString(o, "reason").value_or("");
    if (auto list = o->getArray("disabled"))
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto e = list->getObject(static_cast<unsigned>(i));
            if (!e) continue;
            DisabledPlugin d;
            d.plugin = json::getString(e, "plugin").value_or("");
            if (d.plugin.empty()) continue;
            d.signal = json::getString(e, "signal").value_or("");
            d.call = json::getString(e, "call").value_or("");
            d.child = json::getString(e, "child").value_or("");
            d.at = json::getInt(e, "at").value_or(0);
            m.disabled.push_back(d);
        }
    return m;
}

Poco::JSON::Object::Ptr safeModeObject(const SafeMode& m, bool isoTimes) {
    auto o = json::object();
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array();
    for (auto& d : m.disabled) {
        auto e = json::object();
        e->set("plugin", d.plugin);
        e->set("signal", d.signal);
        e->set("call", d.call);
        e->set("child", d.child);
        if (isoTimes) json::setTimeOrNull(e, "at", d.at); // output: ISO; the file keeps ms
        else e->set("at", d.at);
        list->add(e);
    }
    o->set("disabled", list);
    o->set("onlyFirstParty", m.onlyFirstParty);
    o->set("reason", m.reason);
    return o;
}

void writeSafeMode(const std::string& path, const SafeMode& m) { writeFileAtomic(path, json::toText(safeModeObject(m)) + "\n"); }

bool removeSafeMode(const std::string& path) { return ::unlink(path.c_str()) == 0; }

std::string describe(const DisabledPlugin& d) {
    return "disabled by safe mode: " + d.plugin + " (" + (d.signal.empty() ? std::string("a crash") : d.signal) +
           " in " + (d.call.empty() ? std::string("an unknown call") : d.call) + ")";
}

std::vector<std::string> describe(const SafeMode& m) {
    std::vector<std::string> out;
    for (auto& d : m.disabled) out.push_back(describe(d));
    if (m.onlyFirstParty)
        out.push_back("disabled by safe mode: every plugin not shipped with wildws" +
                      (m.reason.empty() ? std::string() : " (" + m.reason + ")"));
    return out;
}

bool isCrashSignal(int signal) {
    return signal == SIGSEGV || signal == SIGBUS || signal == SIGFPE || signal == SIGILL || signal == SIGABRT;
}

SafeModeDecision decideSafeMode(const std::optional<SafeMode>& current, const ExitStatus& lastExit,
                                const std::optional<CrashRecord>& crash, const std::string& child,
                                std::int64_t nowMs) {
    SafeModeDecision d;
    d.next = current.value_or(SafeMode{});
    if (!lastExit.known || !lastExit.signaled || !isCrashSignal(lastExit.signal)) {
        d.whyNot = "the last exit (" + describe(lastExit) + ") was not a crash, so no plugin is to blame";
        return d;
    }
    const std::string sig = signalName(lastExit.signal);
    if (crash && !crash->plugin.empty()) {
        if (crash->plugin == kSelf) {
            d.whyNot = "the crash names the supervisor plugin itself, which safe mode cannot disable";
            return d;
        }
        for (auto& p : d.next.disabled)
            if (p.plugin == crash->plugin) {
                d.whyNot = "the crash names " + crash->plugin + ", which safe mode already disabled";
                return d;
            }
        DisabledPlugin p;
        p.plugin = crash->plugin;
        p.signal = crash->signal.empty() ? sig : crash->signal;
        p.call = crash->call;
        p.child = child;
        p.at = nowMs;
        d.next.disabled.push_back(p);
        d.summary = describe(p);
        d.apply = true;
        return d;
    }
    if (d.next.onlyFirstParty) {
        d.whyNot = "the crash names no plugin and every plugin not shipped with wildws is already disabled";
        return d;
    }
    d.next.onlyFirstParty = true;
    d.next.reason = "the " + child + " crash-looped with " + sig + " and the crash named no plugin";
    d.summary = describe(d.next).back();
    d.apply = true;
    return d;
}

} // namespace wildws::supervisor
