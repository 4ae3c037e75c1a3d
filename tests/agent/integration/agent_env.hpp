// Helpers for the agent plugin's integration tests (the real wildws binary).
#pragma once

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

bool processGone(int pid);
bool waitGone(int pid, std::chrono::milliseconds d);
bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds d);

} // namespace ai
