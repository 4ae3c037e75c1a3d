// The two kinds of sink every log line goes through.
//
// EscapingSink wraps another sink and escapes the message before it is
// formatted (wildws::common::printable: CR, LF, ESC, every C0 and C1
// control, U+2028/U+2029, the bidi controls, invalid UTF-8), so every
// channel, the access log and the plugins' included, gets one line per
// record whatever a request or a child put in it: no caller can forget.
//
// SafeFileSink appends to <dir>/<name>.log, opened only on the first line
// written (a command that logs nothing creates nothing): the directory is
// made/checked like every state directory (0700, yours, not a symlink) and
// the file is opened with O_NOFOLLOW|O_APPEND, 0600 (wildws::openAppendFile).
// It rotates at `maxBytes` into <name>.1.log .. <name>.<keep>.log. When the
// file cannot be used it reports once through `onError` and drops file lines.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <functional>
#include <mutex>
#include <string>

namespace wildws::host {

class EscapingSink final : public spdlog::sinks::sink {
public:
    explicit EscapingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}
    void log(const spdlog::details::log_msg& msg) override;
    void flush() override { inner_->flush(); }
    void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        inner_->set_formatter(std::move(formatter));
    }

private:
    spdlog::sink_ptr inner_;
};

class SafeFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    using ErrorHandler = std::function<void(const std::string& line)>;
    SafeFileSink(std::string dir, std::string name, std::size_t maxBytes, std::size_t keep, ErrorHandler onError);
    ~SafeFileSink() override;
    /// Where the lines go (for messages); the file may not exist yet.
    std::string path() const { return dir_ + "/" + name_ + ".log"; }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    bool open();
    void rotate();
    void fail(const std::string& why);

    std::string dir_;
    std::string name_;
    std::size_t maxBytes_;
    std::size_t keep_;
    ErrorHandler onError_;
    int fd_ = -1;
    bool failed_ = false;
    std::size_t size_ = 0;
};

} // namespace wildws::host
