// A wildws home for supervisor tests: its own plugins dir (the supervisor
// plugin plus the fixtures a test asks for, nothing else, so no other room's
// plugin changes the outcome), free ports and fast supervisor settings in
// wildws.ini. The destructor stops the supervisor and kills anything left
// that still runs from this home, so a failing test leaks no process.
#pragma once

#include "wildws_test.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace st {

using namespace std::chrono_literals;

struct HomeOptions {
    std::vector<std::string> fixtures;   // "crashfx", "wedgefx", "actionfx", "auditfx"
    std::string supervisorIni;           // extra [plugin.supervisor] lines
    std::string serveIni;                // extra [serve] lines
};

class Home {
public:
    explicit Home(const HomeOptions& options = {});
    ~Home();

    const std::string& path() const { return home_; }
    std::string file(const std::string& name) const { return home_ + "/" + name; }
    int serverPort() const { return serverPort_; }
    int daemonPort() const { return daemonPort_; }
    const std::string& pluginsDir() const { return plugins_; }

    /// wildws --home H --plugins-dir P <args>
    wt::Result cli(const std::vector<std::string>& args, const wt::RunOptions& options = {}) const;
    std::vector<std::string> argv(const std::vector<std::string>& args) const;

    /// A field of supervisor-status.json's child ("" when absent).
    std::string childField(const std::string& child, const std::string& field) const;
    int childPid(const std::string& child) const;
    std::string childState(const std::string& child) const;
    int supervisorPid() const;

    /// GET /health answers 200 on the port.
    static bool healthy(int port);
    /// Counts "started <name>" markers in logs/<name>.out.log.
    int startsLogged(const std::string& name) const;
    /// Lines of the stand-in audit file (auditfx) containing `needle`.
    std::vector<std::string> auditLines(const std::string& needle = "") const;

private:
    wt::TempDir dir_;
    std::string home_;
    std::string plugins_;
    int serverPort_ = 0;
    int daemonPort_ = 0;
};

/// Polls `pred` every 20 ms until true or `timeout`.
bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

/// Running and not a zombie.
bool alive(int pid);

/// Pids of live processes whose command line contains every needle.
std::vector<int> processesWith(const std::vector<std::string>& needles);

/// A JSON field of a JSON text (nested with '.', e.g. "children.server.pid").
std::string jsonAt(const std::string& json, const std::string& dottedPath);

} // namespace st
