// Helpers for the agent plugin's integration tests (the real wildws binary).
#pragma once

#include <http_client.hpp>
#include <wildws_test.hpp>

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ai {

/// `--set plugin.agent.K=V` pairs pointing claude and codex at the fixture
/// agents (and never at a real install), plus `extra`.
std::vector<std::string> fixtureSets(std::map<std::string, std::string> extra = {});

/// wildws --home H <fixtureSets(extra)> args...
wt::Result agent(const std::string& home, const std::vector<std::string>& args, const wt::RunOptions& o = {},
                 std::map<std::string, std::string> extra = {});

std::vector<Poco::JSON::Object::Ptr> jsonLines(const std::string& text);
std::vector<std::string> typesOf(const std::vector<Poco::JSON::Object::Ptr>& lines);
Poco::JSON::Object::Ptr readJson(const std::string& path);
std::vector<std::string> stringArray(const Poco::JSON::Object::Ptr& o, const std::string& key);

/// The chat routes' NDJSON, for the prompt tests: one line parsed; lines
/// until one of `type` (included) or the timeout; the first line of `type`.
Poco::JSON::Object::Ptr parse(const std::string& line);
std::vector<Poco::JSON::Object::Ptr> readUntil(wt::HttpStream& st, const std::string& type,
                                               std::chrono::milliseconds d = std::chrono::seconds(15));
const Poco::JSON::Object::Ptr* find(const std::vector<Poco::JSON::Object::Ptr>& lines, const std::string& type);
/// Checks (Catch2) that `r` is a JSON error with this status and code.
void checkError(const wt::HttpResult& r, int status, const std::string& code);

bool processGone(int pid);
bool waitGone(int pid, std::chrono::milliseconds d);
bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds d);

} // namespace ai
