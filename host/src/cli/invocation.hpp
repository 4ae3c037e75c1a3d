#pragma once

#include "cli/command_line.hpp"

#include <wildws/command.hpp>

#include <iostream>

namespace wildws::host {

/// True once a command saw a stop request through interrupted() or
/// waitInterrupted(): it is stopping on its own (children to reap, a
/// supervisor's grace), so the host must not cut it short.
bool commandSawStop();

class CliInvocation : public Invocation {
public:
    CliInvocation(ParsedCommand parsed, std::ostream& out, std::ostream& err)
        : parsed_(std::move(parsed)), out_(out), err_(err) {}

    bool flag(const std::string& name) const override { return parsed_.values.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const override { return lookup(parsed_.values, name); }
    std::optional<std::string> positional(const std::string& name) const override {
        return lookup(parsed_.positionals, name);
    }
    std::ostream& out() override { return out_; }
    std::ostream& err() override { return err_; }
    bool interrupted() const override;
    bool waitInterrupted(std::chrono::milliseconds d) const override;

private:
    static std::optional<std::string> lookup(const std::map<std::string, std::string>& m, const std::string& k) {
        auto it = m.find(k);
        if (it == m.end()) return std::nullopt;
        return it->second;
    }

    ParsedCommand parsed_;
    std::ostream& out_;
    std::ostream& err_;
};

} // namespace wildws::host
