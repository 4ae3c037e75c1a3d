// The error stream a command writes to: every line that does not already
// start with "wildws:" (or with whitespace, a continuation) gets
// "wildws: <command>: " in front, so a plugin's usage error reads like the
// host's ("wildws: support audit: limit must be ..."). Lines pass through as
// soon as they end; a partial last line is written at flush or destruction.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>

namespace wildws::host {

class PrefixedErr : public std::ostream {
public:
    PrefixedErr(std::ostream& target, std::string command);
    ~PrefixedErr() override;

private:
    class Buf : public std::streambuf {
    public:
        Buf(std::ostream& target, std::string prefix) : target_(target), prefix_(std::move(prefix)) {}
        void finish();

    protected:
        int_type overflow(int_type ch) override;
        int sync() override;

    private:
        void emit();
        std::ostream& target_;
        std::string prefix_;
        std::string line_;
    };
    Buf buf_;
};

} // namespace wildws::host
