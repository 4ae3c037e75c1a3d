#include "cli/prefixed_err.hpp"

namespace wildws::host {

PrefixedErr::PrefixedErr(std::ostream& target, std::string command)
    : std::ostream(nullptr), buf_(target, "wildws: " + command + ": ") {
    rdbuf(&buf_);
}

PrefixedErr::~PrefixedErr() { buf_.finish(); }

void PrefixedErr::Buf::emit() {
    if (line_.empty()) return;
    bool continuation = line_[0] == ' ' || line_[0] == '\t' || line_[0] == '\n';
    if (line_.rfind("wildws:", 0) != 0 && line_.rfind("wildws ", 0) != 0 && !continuation) target_ << prefix_;
    target_ << line_;
    line_.clear();
}

PrefixedErr::Buf::int_type PrefixedErr::Buf::overflow(int_type ch) {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    line_ += traits_type::to_char_type(ch);
    if (ch == '\n') {
        emit();
        target_.flush();
    }
    return ch;
}

int PrefixedErr::Buf::sync() {
    target_.flush();
    return 0;
}

void PrefixedErr::Buf::finish() {
    emit();
    target_.flush();
}

} // namespace wildws::host
