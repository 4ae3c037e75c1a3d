// Shared pieces of the support_api integration tests: a home whose agent is
// the fake Claude (SUPPORT_FAKE_AGENT), the real CLI for grants and the
// operator token, hand-written grants for expiry, and request helpers for
// the three kinds of caller (owner, support channel, operator).
#pragma once

#include <http_client.hpp>
#include <server.hpp>
#include <wildws_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace st {

using Json = Poco::JSON::Object::Ptr;

/// The parsed object, or null.
Json parse(const std::string& text);
std::string str(const Json& o, const std::string& key);
long long num(const Json& o, const std::string& key);
/// A time field as JSON output carries it (ISO 8601 UTC with ms), in ms
/// since the epoch; -999999 when absent, null, a number or any other text.
long long timeOf(const Json& o, const std::string& key);
bool flag(const Json& o, const std::string& key);
Json obj(const Json& o, const std::string& key);
Poco::JSON::Array::Ptr arr(const Json& o, const std::string& key);

class Home {
public:
    /// `agentIni` replaces the [plugin.agent] section (default: the fake Claude).
    explicit Home(const std::string& agentIni = "");
    const std::string& path() const { return home_; }
    std::string operator/(const std::string& name) const { return home_ + "/" + name; }

    wt::Result cli(const std::vector<std::string>& args) const;
    /// `wildws support allow --tier N --minutes M --yes`.
    void allow(int tier, int minutes = 5) const;
    void revoke() const;
    /// support-consent.json written by hand, in the consent plugin's format:
    /// granted now (or `grantedAgoMs` ago), expiring `expiresInMs` from now.
    void writeGrant(int tier, long long expiresInMs, long long grantedAgoMs = 0) const;
    /// `wildws operator enable --json` -> the token.
    std::string operatorToken() const;
    /// Every audit entry, oldest first.
    std::vector<Json> audit() const;
    /// The audit entries with this action.
    std::vector<Json> audit(const std::string& action) const;
    std::string secret(const std::string& field) const;

private:
    wt::TempDir dir_;
    std::string home_;
};

/// The real `wildws serve` / `wildws daemon` on a free port.
std::unique_ptr<wt::Server> serve(const Home& home);
std::unique_ptr<wt::Server> daemon(const Home& home);

wt::HttpResult ownerGet(const wt::Server& s, const std::string& path);
wt::HttpResult ownerPost(const wt::Server& s, const std::string& path, const std::string& body);
/// POST /api/support/agent-task with the support secret (as serve checks it).
wt::HttpResult supportPost(const wt::Server& s, const std::string& body, wt::Headers extra = {});
/// POST /api/support/actions/<name> {"args": args} with the operator token.
wt::HttpResult operatorPost(int port, const std::string& token, const std::string& name, const std::string& argsJson);

/// An open NDJSON stream: the request is sent at once, lines read as they come.
std::unique_ptr<wt::HttpStream> openAgentTask(const wt::Server& s, const std::string& body);
std::unique_ptr<wt::HttpStream> openAction(int port, const std::string& token, const std::string& name,
                                           const std::string& argsJson);
/// Lines until the stream ends (or `limit` passes).
std::vector<std::string> readToEnd(wt::HttpStream& s, std::chrono::milliseconds limit = std::chrono::seconds(20));
/// Reads until a line contains `needle`; returns it ("" on timeout).
std::string readUntil(wt::HttpStream& s, const std::string& needle, std::vector<std::string>* seen = nullptr,
                      std::chrono::milliseconds limit = std::chrono::seconds(10));

/// The process is gone (no /proc entry, or a zombie waiting for its reaper).
bool gone(int pid);
/// Waits up to `limit` for gone(pid).
// Generous: on a loaded 2-core CI machine a SIGTERM-then-SIGKILL round can take seconds.
bool waitGone(int pid, std::chrono::milliseconds limit = std::chrono::seconds(8));

long long nowMs();

} // namespace st
