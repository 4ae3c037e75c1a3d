// The owner's page: files under the web directory, served by `serve` for
// GET requests no route claims (paths outside /api/). Every page response
// carries a strict Content-Security-Policy (no inline scripts, nothing from
// another origin, no framing).
#pragma once

#include <optional>
#include <string>

namespace wildws::host {

struct StaticFile {
    std::string contentType;
    std::string body;
};

class StaticFiles {
public:
    /// `dir` may not exist (then nothing is served).
    explicit StaticFiles(std::string dir) : dir_(std::move(dir)) {}
    /// The file for a request path; "/" and extension-less paths give
    /// index.html (the page routes itself). nullopt: not found or refused.
    std::optional<StaticFile> lookup(const std::string& path) const;
    const std::string& dir() const { return dir_; }

    static const char* contentSecurityPolicy();

private:
    std::string dir_;
};

} // namespace wildws::host
