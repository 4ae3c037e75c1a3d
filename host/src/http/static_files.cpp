#include "http/static_files.hpp"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace wildws::host {
namespace {

std::string contentTypeOf(const std::string& path) {
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"}};
    for (auto& [ext, type] : types) {
        std::string e = ext;
        if (path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) return type;
    }
    return "application/octet-stream";
}

bool safeRelative(const std::string& path) {
    if (path.empty() || path[0] != '/') return false;
    if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return false;
    std::stringstream parts(path.substr(1));
    for (std::string seg; std::getline(parts, seg, '/');)
        if (seg == ".." || seg == "." || (!seg.empty() && seg[0] == '.')) return false;
    return true;
}

} // namespace

const char* StaticFiles::contentSecurityPolicy() {
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

std::optional<StaticFile> StaticFiles::lookup(const std::string& path) const {
    if (!safeRelative(path) || path.rfind("/api/", 0) == 0) return std::nullopt;
    std::string rel = path;
    auto lastSlash = rel.rfind('/');
    bool hasExtension = rel.find('.', lastSlash) != std::string::npos;
    if (rel == "/" || !hasExtension) rel = "/index.html";
    std::string full = dir_ + rel;
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    std::ifstream in(full, std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    return StaticFile{contentTypeOf(rel), body.str()};
}

} // namespace wildws::host
