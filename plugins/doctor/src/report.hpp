// One doctor check and the report they make: printed as one line per check
// (✓ ok, ✗ fail with what to do, · skip for what is not in use) or as JSON.
#pragma once

#include <string>
#include <vector>

namespace wildws::doctor {

enum class Status { Ok, Fail, Skip };

struct Check {
    std::string id;     // "home", "config", "plugin.agent", "agent.claude", "serve", ...
    std::string title;  // "home", "plugin agent", "Claude Code", ...
    Status status = Status::Ok;
    std::string detail; // what was found
    std::string fix;    // when failed: what to do
};

struct Report {
    std::vector<Check> checks;
    bool ok() const;
    void ok(std::string id, std::string title, std::string detail);
    void fail(std::string id, std::string title, std::string detail, std::string fix);
    void skip(std::string id, std::string title, std::string detail);
};

/// {"ok": bool, "checks": [{"id","title","status":"ok|fail|skip","detail","fix"}]}
std::string toJson(const Report& report);
/// One line per check.
std::string toText(const Report& report);

} // namespace wildws::doctor
