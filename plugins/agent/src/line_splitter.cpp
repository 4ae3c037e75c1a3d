#include "line_splitter.hpp"

#include <cstring>

namespace wildws::agent {
namespace {

std::string_view chomp(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

} // namespace

void LineSplitter::feed(const char* data, std::size_t n, const OnLine& onLine) {
    std::size_t pos = 0;
    while (pos < n) {
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', n - pos));
        std::size_t end = nl ? static_cast<std::size_t>(nl - data) : n;
        if (discarding_) {
            if (nl) discarding_ = false;
        } else if (buf_.empty() && nl && end - pos <= maxLine_) {
            onLine(chomp(std::string_view(data + pos, end - pos))); // the common case: no copy
        } else {
            buf_.append(data + pos, end - pos);
            if (buf_.size() > maxLine_) {
                buf_.clear();
                ++skipped_;
                discarding_ = !nl;
            } else if (nl) {
                onLine(chomp(buf_));
                buf_.clear();
            }
        }
        pos = nl ? end + 1 : n;
    }
}

void LineSplitter::finish(const OnLine& onLine) {
    if (!buf_.empty()) onLine(chomp(buf_));
    buf_.clear();
    discarding_ = false;
}

} // namespace wildws::agent
