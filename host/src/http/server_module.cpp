#include "http/server_module.hpp"

#include "plugins/file_safety.hpp"
#include "version.hpp"

#include <boost/dll/shared_library.hpp>

#include <sys/stat.h>

#include <mutex>

namespace wildws::host {

BindError::~BindError() = default;
Server::~Server() = default;

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string directoryOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// Opened once and never closed: a server's threads may still be running
// module code while the process exits.
WildwsHttpServerFn openModule(const std::string& executable) {
    static std::mutex mutex;
    static WildwsHttpServerFn make = nullptr;
    std::lock_guard lock(mutex);
    if (make) return make;
    const std::string path = httpModulePath(executable);
    const std::string fix = " - reinstall wildws (the module is built and installed with the binary)";
    if (!exists(path)) throw std::runtime_error("the HTTP server module " + path + " is missing" + fix);
    for (auto& p : {directoryOf(path), path})
        if (auto unsafe = unsafeReason(p)) throw std::runtime_error("the HTTP server module is not loaded: " + *unsafe);
    auto* lib = new boost::dll::shared_library; // intentionally leaked, see above
    try {
        lib->load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
        auto version = lib->get<const char*()>("wildws_http_version");
        if (std::string(version()) != WILDWS_VERSION)
            throw std::runtime_error(std::string("it was built for wildws ") + version() + ", this is " + WILDWS_VERSION);
        make = &lib->get<Server*(ServerCore&)>("wildws_http_server");
    } catch (const std::exception& e) {
        delete lib;
        throw std::runtime_error("the HTTP server module " + path + " cannot be used: " + e.what() + fix);
    }
    return make;
}

} // namespace

std::string httpModulePath(const std::string& executable) {
    const std::string dir = directoryOf(executable);
    const std::string beside = dir + "/wildws-http.so";
    if (exists(beside)) return beside;
    return dir + "/../" + WILDWS_INSTALL_MODULE_DIR + "/wildws-http.so";
}

std::unique_ptr<Server> makeHttpServer(ServerCore& core, const std::string& executable) {
    return std::unique_ptr<Server>(openModule(executable)(core));
}

} // namespace wildws::host
