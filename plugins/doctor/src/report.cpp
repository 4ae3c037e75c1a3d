#include "report.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace wildws::doctor {
namespace {

const char* name(Status s) { return s == Status::Ok ? "ok" : s == Status::Fail ? "fail" : "skip"; }

} // namespace

bool Report::ok() const {
    for (auto& c : checks)
        if (c.status == Status::Fail) return false;
    return true;
}

void Report::ok(std::string id, std::string title, std::string detail) {
    checks.push_back({std::move(id), std::move(title), Status::Ok, std::move(detail), {}});
}

void Report::fail(std::string id, std::string title, std::string detail, std::string fix) {
    checks.push_back({std::move(id), std::move(title), Status::Fail, std::move(detail), std::move(fix)});
}

void Report::skip(std::string id, std::string title, std::string detail) {
    checks.push_back({std::move(id), std::move(title), Status::Skip, std::move(detail), {}});
}

std::string toJson(const Report& report) {
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("ok", report.ok());
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (auto& c : report.checks) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("id", c.id);
        o->set("title", c.title);
        o->set("status", std::string(name(c.status)));
        o->set("detail", c.detail);
        o->set("fix", c.fix);
        list->add(o);
    }
    root.set("checks", list);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

std::string toText(const Report& report) {
    std::string out;
    for (auto& c : report.checks) {
        out += c.status == Status::Ok ? "\xE2\x9C\x93 " : c.status == Status::Fail ? "\xE2\x9C\x97 " : "\xC2\xB7 ";
        out += c.title + ": " + c.detail;
        if (c.status == Status::Fail && !c.fix.empty()) out += " - " + c.fix;
        out += "\n";
    }
    int failed = 0;
    for (auto& c : report.checks) failed += c.status == Status::Fail ? 1 : 0;
    out += failed == 0 ? "all checks passed\n"
                       : std::to_string(failed) + (failed == 1 ? " check failed\n" : " checks failed\n");
    return out;
}

} // namespace wildws::doctor
