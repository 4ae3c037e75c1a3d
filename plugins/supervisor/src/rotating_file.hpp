// logs/server.out.log and logs/daemon.out.log: the children's stdout and
// stderr arrive through a pipe and are appended here, so the supervisor can
// rotate by size (a file handed to the child could only grow). Files:
// name.log, then name.1.log .. name.<keep>.log, oldest last (the same
// naming as the host's spdlog channels).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wildws::supervisor {

class RotatingFile {
public:
    /// `path` ends in ".log". `maxBytes` 0 never rotates.
    RotatingFile(std::string path, std::size_t maxBytes, std::size_t keep);
    ~RotatingFile();
    RotatingFile(const RotatingFile&) = delete;
    RotatingFile& operator=(const RotatingFile&) = delete;

    /// Appends; rotates first when the data would take the file past max.
    void write(std::string_view data);
    const std::string& path() const { return path_; }

    /// name.log -> name.<n>.log
    static std::string rotatedName(const std::string& path, std::size_t n);

private:
    void open();
    void rotate();
    std::string path_;
    std::size_t maxBytes_;
    std::size_t keep_;
    int fd_ = -1;
    std::size_t size_ = 0;
};

} // namespace wildws::supervisor
