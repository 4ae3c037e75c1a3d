// A real `wildws serve` or `wildws daemon` on a free port with a temp home.
#pragma once

#include "wildws_test.hpp"

#include <memory>
#include <string>
#include <vector>

namespace wt {

class Server {
public:
    /// Starts `wildws <role> --port 0` and waits until its pid file names a port.
    Server(const std::string& home, const std::string& role = "serve", std::vector<std::string> extraArgs = {},
           const RunOptions& options = {});
    int port() const { return port_; }
    const std::string& home() const { return home_; }
    Child& child() { return *child_; }
    /// The owner's bearer token from secrets.json.
    std::string token() const;
    std::string bearer() const { return "Bearer " + token(); }
    std::string secret(const std::string& field) const;

private:
    std::string home_;
    int port_ = 0;
    std::unique_ptr<Child> child_;
};

/// Reads a string field from a JSON file ("" when absent).
std::string jsonField(const std::string& path, const std::string& field);

} // namespace wt
