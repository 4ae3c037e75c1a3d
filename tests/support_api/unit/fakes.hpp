// In-process stand-ins for the SDK services and HTTP types, so the unit
// tests drive the plugin's logic (the task runner above all) without a host.
#pragma once

#include <wildws/http.hpp>
#include <wildws/services.hpp>
#include <wildws/services/agent.hpp>
#include <wildws/services/consent.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fake {

class Services : public wildws::Services {
public:
    template <class T>
    void add(std::shared_ptr<T> impl) {
        map_[T::kServiceId] = std::static_pointer_cast<void>(impl);
    }
    std::shared_ptr<void> findRaw(std::string_view id, std::string_view) const override {
        auto it = map_.find(std::string(id));
        return it == map_.end() ? nullptr : it->second;
    }
    std::vector<std::shared_ptr<void>> allRaw(std::string_view id) const override {
        auto p = findRaw(id, {});
        return p ? std::vector<std::shared_ptr<void>>{p} : std::vector<std::shared_ptr<void>>{};
    }

private:
    std::map<std::string, std::shared_ptr<void>> map_;
};

/// A grant the test sets; every audit line kept in memory.
class Consent : public wildws::Consent {
public:
    wildws::GrantStatus status() override {
        std::lock_guard lock(m);
        ++statusCalls;
        return live;
    }
    wildws::GrantResult grant(const wildws::GrantRequest&) override { return {}; }
    bool revoke(const std::string&, const std::string&) override { return false; }
    std::vector<wildws::AuditEntry> readAudit(std::size_t limit) override {
        std::lock_guard lock(m);
        std::vector<wildws::AuditEntry> out(audit.rbegin(), audit.rend());
        if (out.size() > limit) out.resize(limit);
        return out;
    }
    bool append(const wildws::AuditEntry& e) override {
        std::lock_guard lock(m);
        if (failAppend) return false;
        audit.push_back(e);
        return true;
    }
    wildws::Decision authorize(const std::string&, int, const std::string&, const std::string&) override { return {}; }
    bool operatorTokenMatches(std::string_view) override { return false; }
    std::string tierDescription(int tier) const override { return "tier " + std::to_string(tier); }
    wildws::AuditFeed readAuditFeed(std::size_t limit) override {
        wildws::AuditFeed f;
        f.entries = readAudit(limit);
        return f;
    }
    bool operatorEnabled() override { return operatorOn; }
    bool operatorOn = false;

    void set(bool enabled, int tier, std::int64_t expiresAt = 0, std::string offReason = {}) {
        std::lock_guard lock(m);
        live = {};
        live.enabled = enabled;
        live.tier = tier;
        live.expiresAt = expiresAt;
        live.offReason = std::move(offReason);
    }
    std::vector<wildws::AuditEntry> entries() {
        std::lock_guard lock(m);
        return audit;
    }

    std::mutex m;
    wildws::GrantStatus live;
    std::vector<wildws::AuditEntry> audit;
    bool failAppend = false;
    int statusCalls = 0;
};

/// A session whose chunks the test pushes; cancel() ends it like the agent
/// plugin does (an error chunk carrying `why`, then `end`), unless `deaf`.
class Session : public wildws::AgentSession {
public:
    const std::string& id() const override { return id_; }
    std::optional<wildws::Chunk> next(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(m_);
        cv_.wait_for(lock, timeout, [&] { return !q_.empty(); });
        if (q_.empty()) return std::nullopt;
        auto c = q_.front();
        q_.pop_front();
        return c;
    }
    void cancel(const std::string& why) override {
        {
            std::lock_guard lock(m_);
            if (!cancelled.empty()) return; // like the agent plugin: the first cancel wins
            cancelled = why;
        }
        if (deaf) return;
        wildws::Chunk e;
        e.type = "error";
        e.message = why;
        push(e);
        end(-15, "cancelled");
    }
    bool finished() const override {
        std::lock_guard lock(m_);
        return ended_;
    }
    void push(const wildws::Chunk& c) {
        {
            std::lock_guard lock(m_);
            if (ended_) return;
            q_.push_back(c);
            if (c.type == "end") ended_ = true;
        }
        cv_.notify_all();
    }
    void text(const std::string& t) {
        wildws::Chunk c;
        c.type = "text";
        c.text = t;
        push(c);
    }
    void end(int code, const std::string& reason) {
        wildws::Chunk c;
        c.type = "end";
        c.code = code;
        c.reason = reason;
        push(c);
    }
    std::string cancelledWhy() {
        std::lock_guard lock(m_);
        return cancelled;
    }
    // ABI 2: the test answers prompts through these.
    wildws::RespondResult respond(const std::string& requestId, const wildws::AgentDecision& d) override {
        std::lock_guard lock(m_);
        responses.emplace_back(requestId, d);
        return respondResult;
    }
    bool interrupt() override { return false; }
    bool send(const wildws::AgentRequest&) override { return false; }
    std::vector<wildws::Chunk> pending() const override { return {}; }
    std::vector<std::pair<std::string, wildws::AgentDecision>> responses;
    wildws::RespondResult respondResult = wildws::RespondResult::Ok;

    bool deaf = false;

private:
    std::string id_ = "s1";
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::deque<wildws::Chunk> q_;
    bool ended_ = false;
    std::string cancelled;
};

class Sessions : public wildws::AgentSessions {
public:
    std::shared_ptr<wildws::AgentSession> start(const wildws::AgentRequest& r, const std::string&,
                                                wildws::AgentStartError& error) override {
        last = r;
        if (!next) {
            error.status = 503;
            error.code = "no-agent";
            error.message = "no coding agent is installed";
            return nullptr;
        }
        return next;
    }
    std::shared_ptr<wildws::AgentSession> find(const std::string&) override { return nullptr; }
    std::shared_ptr<Session> next = std::make_shared<Session>();
    wildws::AgentRequest last;
};

class Stream : public wildws::Stream {
public:
    bool writeLine(std::string_view line) override { return write(std::string(line) + "\n"); }
    bool write(std::string_view text) override {
        std::lock_guard lock(m);
        if (gone) return false;
        data += text;
        return true;
    }
    bool closed() override {
        std::lock_guard lock(m);
        return gone;
    }
    std::vector<std::string> lines() {
        std::lock_guard lock(m);
        std::vector<std::string> out;
        std::size_t start = 0;
        for (std::size_t nl; (nl = data.find('\n', start)) != std::string::npos; start = nl + 1)
            out.push_back(data.substr(start, nl - start));
        return out;
    }
    void leave() {
        std::lock_guard lock(m);
        gone = true;
    }
    std::mutex m;
    std::string data;
    bool gone = false;
};

class Response : public wildws::Response {
public:
    void setHeader(const std::string&, const std::string&) override {}
    void json(int s, const std::string& j) override {
        status = s;
        body = j;
        sent_ = true;
    }
    void error(int s, const std::string& code, const std::string& message) override {
        status = s;
        errorCode = code;
        body = message;
        sent_ = true;
    }
    void send(int s, const std::string&, const std::string& b) override {
        status = s;
        body = b;
        sent_ = true;
    }
    wildws::Stream& stream(const std::string&) override {
        status = 200;
        streaming = true;
        sent_ = true;
        return out;
    }
    bool sent() const override { return sent_; }

    int status = 0;
    std::string errorCode;
    std::string body;
    bool streaming = false;
    Stream out;

private:
    bool sent_ = false;
};

} // namespace fake
