// serve's and daemon's HTTP server lives in its own module, wildws-http.so,
// opened only when a server starts. It is the one part of the host that
// links Poco::Net, and loading and relocating libPocoNet is about a fifth
// of a one-shot command's start (`wildws support status`, issue 16), which
// never listens. The module is built with this binary and installed beside
// it; its code calls back into the host (the router, the plugin host), which
// the binary exports for it (host/CMakeLists.txt).
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace wildws::host {

struct ServerCore;

/// The port could not be bound; the message is the one line for the user.
class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~BindError() override; // key function: one typeinfo, the binary's, for the module's throw and our catch
};

/// One listening server (http/http_server.hpp is the implementation).
class Server {
public:
    virtual ~Server();
    /// Binds and starts accepting; sets core.port. Throws BindError.
    virtual void start() = 0;
    /// Stops accepting, tells open streams to end, aborts connections, waits
    /// for handlers up to `grace`. Returns false when some handler was still
    /// running.
    virtual bool stop(std::chrono::milliseconds grace) = 0;
};

/// Where the module is: next to the binary (the build tree), else in
/// <prefix>/<libdir>/wildws/ (an install).
std::string httpModulePath(const std::string& executable);

/// Opens the module (once per process; never closed, its threads may
/// outlive a server) and makes a server for `core`, which must outlive it.
/// Throws std::runtime_error naming the file and what is wrong with it.
std::unique_ptr<Server> makeHttpServer(ServerCore& core, const std::string& executable);

} // namespace wildws::host

// The module's entry points (C names, looked up with dlsym).
extern "C" {
/// The version the module was built as; the host refuses another.
using WildwsHttpVersionFn = const char* (*)();
/// A new server for `core`, owned by the caller.
using WildwsHttpServerFn = wildws::host::Server* (*)(wildws::host::ServerCore& core);
}
