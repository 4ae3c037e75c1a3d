// The home, the config, disk space and logs.
#include "checks.hpp"
#include "files.hpp"

#include <wildws/secure.hpp>
#include <wildws/services/host.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <sstream>

namespace wildws::doctor {
namespace {

/// The basics `config check` would find, for a build without it: readable,
/// safe, and every line a comment, a [section] or a key = value.
void basicConfig(const DoctorContext& c, Report& r, const std::string& why) {
    const std::string& file = c.host.configFile;
    std::string note = " (basic checks: " + why + ")";
    if (file.empty()) return r.ok("config", "config", "no wildws.ini: the defaults apply" + note);
    StateFileOptions o;
    o.followSymlink = true;
    auto read = readStateFile(file, o);
    if (read.problem == FileProblem::Missing) return r.ok("config", "config", file + " does not exist: the defaults apply" + note);
    if (!read.ok()) return r.fail("config", "config", read.error, "fix the file's permissions as the message says");
    std::vector<std::string> installed;
    if (auto host = c.services ? c.services->find<HostApi>() : nullptr)
        for (auto& p : host->plugins()) installed.push_back(p.name);
    std::istringstream lines(read.content);
    int n = 0;
    for (std::string line; std::getline(lines, line);) {
        ++n;
        auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == ';' || line[start] == '#') continue;
        if (line[start] == '[') {
            auto close = line.find(']', start);
            if (close == std::string::npos)
                return r.fail("config", "config", file + ":" + std::to_string(n) + ": a section without its ']'",
                              "correct that line");
            // [plugin.NAME] for no plugin: its settings are silently unused (a typo?).
            std::string section = line.substr(start + 1, close - start - 1);
            if (section.rfind("plugin.", 0) == 0 && !installed.empty() &&
                std::find(installed.begin(), installed.end(), section.substr(7)) == installed.end()) {
                std::string names;
                for (auto& p : installed) names += (names.empty() ? "" : ", ") + p;
                return r.fail("config", "config",
                              file + ":" + std::to_string(n) + ": [" + section + "] names no installed plugin (installed: " +
                                  names + ")",
                              "correct the section name, or remove the section");
            }
            continue;
        }
        if (line.find('=') == std::string::npos)
            return r.fail("config", "config", file + ":" + std::to_string(n) + ": neither [section] nor key = value",
                          "correct that line");
    }
    r.ok("config", "config", file + ": readable, safe, well-formed" + note);
}

} // namespace

void checkHome(const DoctorContext& c, Report& r) {
    auto dir = ensurePrivateDir(c.host.home, false);
    if (!dir.ok()) return r.fail("home", "home", dir.error, "see the message: the home must be a directory of yours, 0700");
    struct stat st {};
    ::stat(c.host.home.c_str(), &st);
    if (st.st_mode & 077) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
        return r.fail("home", "home", c.host.home + " is mode " + mode + ": others can list its files",
                      "chmod 700 " + c.host.home);
    }
    // The files that hold secrets or grants must be ours alone.
    for (const char* name : {"secrets.json", "support-consent.json", "operator.json"}) {
        StateFileOptions o;
        o.privateOnly = true;
        auto read = readStateFile(c.host.home + "/" + name, o);
        if (read.problem != FileProblem::None && read.problem != FileProblem::Missing)
            return r.fail("home", "home", read.error, "chmod 600 " + c.host.home + "/" + name);
    }
    r.ok("home", "home", c.host.home + " (0700, yours; secret files 0600)");
}

void checkConfig(const DoctorContext& c, Report& r) {
    // `wildws config check --json` knows every key; reuse it when this
    // build has it (exit 0: fine, 1: problems).
    CliOutput out = c.runWildws ? c.runWildws({"config", "check", "--json"}) : CliOutput{};
    if (!out.failure.empty() || (out.code != 0 && out.code != 1))
        return basicConfig(c, r, out.failure.empty() ? "`wildws config check` is not available" : out.failure);
    Poco::JSON::Object::Ptr root;
    try {
        root = Poco::JSON::Parser().parse(out.out).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return basicConfig(c, r, "`wildws config check --json` gave no JSON");
    }
    std::string file = str(root, "file");
    std::vector<std::string> problems;
    if (auto list = root->getArray("problems")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            auto p = list->getObject(static_cast<unsigned>(i));
            std::string m = p ? str(p, "message") : list->get(static_cast<unsigned>(i)).toString();
            if (!m.empty()) problems.push_back(m);
        }
    }
    if (problems.empty() && out.code == 0)
        return r.ok("config", "config", (file.empty() ? std::string("defaults") : file) + ": no problems");
    std::string joined;
    for (auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
    r.fail("config", "config", joined.empty() ? "`wildws config check` reports problems" : joined,
           "run `wildws config check` and correct " + (file.empty() ? std::string("wildws.ini") : file));
}

void checkDisk(const DoctorContext& c, Report& r) {
    struct statvfs fs {};
    if (::statvfs(c.host.home.c_str(), &fs) != 0)
        return r.fail("disk", "disk space", "cannot read the free space of " + c.host.home, "check the home exists");
    std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (free < c.limits.minFreeBytes)
        return r.fail("disk", "disk space", "only " + humanBytes(free) + " free where " + c.host.home + " is",
                      "free some space (logs, chat transcripts in sessions/), or move the home (WILD_WORKSPACE_HOME)");
    r.ok("disk", "disk space", humanBytes(free) + " free in the home's file system");
}

void checkLogs(const DoctorContext& c, Report& r) {
    std::string dir = c.host.home + "/logs";
    DIR* dp = ::opendir(dir.c_str());
    if (!dp) return r.ok("logs", "logs", "no logs yet");
    std::uint64_t total = 0;
    int files = 0;
    std::vector<std::pair<std::uint64_t, std::string>> big;
    while (auto* e = ::readdir(dp)) {
        std::string name = e->d_name;
        if (name[0] == '.') continue;
        struct stat st {};
        if (::lstat((dir + "/" + name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        ++files;
        total += static_cast<std::uint64_t>(st.st_size);
        if (static_cast<std::uint64_t>(st.st_size) > c.limits.maxLogBytes)
            big.emplace_back(static_cast<std::uint64_t>(st.st_size), name);
    }
    ::closedir(dp);
    if (!big.empty()) {
        std::sort(big.rbegin(), big.rend());
        std::string list;
        for (auto& [size, name] : big) list += (list.empty() ? "" : ", ") + ("logs/" + name) + " is " + humanBytes(size);
        return r.fail("logs", "logs", list, "delete or truncate it (rotation should keep logs small; is a log "
                                            "written by something that does not rotate it?)");
    }
    r.ok("logs", "logs", std::to_string(files) + (files == 1 ? " file, " : " files, ") + humanBytes(total));
}

} // namespace wildws::doctor
