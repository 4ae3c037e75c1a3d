// Splits a byte stream into lines ('\n', a trailing '\r' dropped) without
// unbounded growth: a line longer than the limit is skipped and counted.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace wildws::agent {

class LineSplitter {
public:
    using OnLine = std::function<void(std::string_view)>;
    explicit LineSplitter(std::size_t maxLine) : maxLine_(maxLine) {}

    /// Feeds bytes; calls `onLine` for every complete line.
    void feed(const char* data, std::size_t n, const OnLine& onLine);
    /// End of stream: a last line without '\n' is still a line.
    void finish(const OnLine& onLine);
    /// Lines skipped because they were longer than the limit.
    std::size_t skipped() const { return skipped_; }

private:
    std::size_t maxLine_;
    std::string buf_;
    bool discarding_ = false; // inside an over-long line: drop until '\n'
    std::size_t skipped_ = 0;
};

} // namespace wildws::agent
