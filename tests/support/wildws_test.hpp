// Helpers for tests that run the real wildws binary: a temp home per test,
// a child process with both pipes read together, free loopback ports.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wt {

/// A fresh 0700 directory, removed (recursively) at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

struct Result {
    int code = -1;       // exit code, or 128+signal
    std::string out;
    std::string err;
    bool timedOut = false;
};

struct RunOptions {
    std::map<std::string, std::string> env;      // added to (or replacing) the parent's
    std::vector<std::string> unsetEnv;
    std::string stdinText;
    std::string cwd;
    std::chrono::milliseconds timeout{60000};
};

/// Runs argv (argv[0] a path) to completion, reading stdout and stderr together.
Result run(const std::vector<std::string>& argv, const RunOptions& options = {});

/// Runs the wildws binary with `--home home` and the build's plugins dir
/// (unless args already name --plugins-dir).
Result wildws(const std::string& home, const std::vector<std::string>& args, const RunOptions& options = {});

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content, int mode = 0600);
bool contains(const std::string& haystack, const std::string& needle);
/// The ms since the epoch of a time as JSON output writes it (ISO 8601 UTC
/// with milliseconds, "2026-12-01T08:27:59.123Z"); nullopt for any other
/// text, so a test also checks the layout.
std::optional<long long> isoMs(const std::string& text);
std::vector<std::string> lines(const std::string& text);

/// A TCP port on 127.0.0.1 that was free a moment ago.
int freePort();

/// A background child process (e.g. `wildws serve`), killed at destruction.
class Child {
public:
    Child(const std::vector<std::string>& argv, const RunOptions& options = {});
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    int pid() const { return pid_; }
    void signal(int sig);
    /// Waits for exit up to `timeout`; nullopt when still running.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    bool running();
    /// Everything the child wrote so far (both streams go to one log file).
    std::string output() const;

private:
    int pid_ = -1;
    std::optional<int> status_;
    std::string logPath_;
};

} // namespace wt
