// The task runner against fake services: every way a task can end.
#include "fakes.hpp"

#include "plugin_state.hpp"
#include "task_lock.hpp"
#include "task_runner.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <thread>

using namespace wildws;
using namespace wildws::support;
using namespace std::chrono_literals;

namespace {

struct Rig {
    Rig() {
        wildws::HostInfo host;
        host.home = tmp.path();
        services.add<wildws::Consent>(consent);
        services.add<wildws::AgentSessions>(sessions);
        state = std::make_unique<PluginState>(host, services, nullptr);
        consent->set(true, 3, common::nowMs() + 600000);
    }
    /// Runs the task on a thread of its own.
    void start(TaskRequest r = {"do it", "t1", "build", "serve"}) {
        request = r;
        worker = std::thread([this] { TaskRunner(*state).run(request, res); });
    }
    void join() {
        if (worker.joinable()) worker.join();
    }
    /// Waits until the stream has at least `n` lines.
    bool waitLines(std::size_t n, std::chrono::milliseconds limit = 3000ms) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (res.out.lines().size() >= n) return true;
            std::this_thread::sleep_for(5ms);
        }
        return false;
    }
    json::Object lastLine() { return json::parseObject(res.out.lines().back()); }
    std::vector<std::string> actions() {
        std::vector<std::string> out;
        for (auto& e : consent->entries()) out.push_back(e.action);
        return out;
    }
    ~Rig() { join(); }

    wt::TempDir tmp;
    fake::Services services;
    std::shared_ptr<fake::Consent> consent = std::make_shared<fake::Consent>();
    std::shared_ptr<fake::Sessions> sessions = std::make_shared<fake::Sessions>();
    std::unique_ptr<PluginState> state;
    TaskRequest request;
    fake::Response res;
    std::thread worker;
};

wildws::Chunk startChunk() {
    wildws::Chunk c;
    c.type = "start";
    c.sessionId = "s1";
    c.agent = "fake";
    return c;
}

} // namespace

TEST_CASE("support task: streams, records and audits a task that completes", "[support_api][unit]") {
    Rig rig;
    auto session = rig.sessions->next;
    session->push(startChunk());
    session->text("  working on it  ");
    session->end(0, "completed");
    rig.start({"do it", "../fix", "plan", "daemon"});
    rig.join();
    CHECK(rig.res.streaming);
    auto lines = rig.res.out.lines();
    REQUIRE(lines.size() == 3);
    CHECK(wt::contains(lines[1], "working on it"));
    auto end = rig.lastLine();
    CHECK(json::getString(end, "type") == std::optional<std::string>("end"));
    CHECK(json::getInt(end, "code") == std::optional<std::int64_t>(0));
    CHECK(json::getString(end, "reason") == std::optional<std::string>("completed"));
    CHECK(json::getString(end, "path") == std::optional<std::string>("daemon"));
    CHECK(json::getString(end, "id") == std::optional<std::string>("___fix"));
    CHECK(json::getString(end, "taskId") == std::optional<std::string>("../fix"));

    CHECK(rig.sessions->last.appendSystemPrompt == kSupportSystemPrompt);
    CHECK(rig.sessions->last.mode == wildws::AgentMode::Plan);
    CHECK(rig.actions() == std::vector<std::string>{"agent-task-start", "agent-task-end"});
    CHECK(rig.consent->entries().back().ok);
    auto recording = wt::lines(wt::readFile(rig.tmp / "support-sessions/___fix.jsonl"));
    REQUIRE(recording.size() == 4);
    CHECK(wt::contains(recording[0], "\"prompt\":\"do it\""));
    CHECK(wt::contains(recording[3], "\"path\":\"daemon\""));
    auto snap = rig.state->operate.snapshot(common::nowMs());
    REQUIRE(snap);
    CHECK_FALSE(snap->active);
    REQUIRE(snap->lines.size() == 1);
    CHECK(snap->lines[0].text == "working on it");
}

TEST_CASE("support task: a revoke stops it within 1 s with an error saying why", "[support_api][unit]") {
    Rig rig;
    rig.sessions->next->push(startChunk());
    rig.start();
    REQUIRE(rig.waitLines(1));
    auto revokedAt = std::chrono::steady_clock::now();
    rig.consent->set(false, 0);
    rig.join();
    CHECK(std::chrono::steady_clock::now() - revokedAt < 1s);
    CHECK(rig.sessions->next->cancelledWhy() == "the owner revoked support access");
    auto lines = rig.res.out.lines();
    CHECK(wt::contains(lines[lines.size() - 2], "\"type\":\"error\""));
    CHECK(wt::contains(lines[lines.size() - 2], "the owner revoked support access"));
    CHECK(json::getString(rig.lastLine(), "reason") == std::optional<std::string>("revoked"));
    CHECK(json::getString(rig.lastLine(), "agentReason") == std::optional<std::string>("cancelled"));
    CHECK(rig.actions() == std::vector<std::string>{"agent-task-start", "agent-task-stop", "agent-task-end"});
    CHECK(rig.consent->entries()[1].actor == "wildws");
    CHECK_FALSE(rig.consent->entries()[2].ok);
}

TEST_CASE("support task: expiry and a lowered tier stop it too", "[support_api][unit]") {
    SECTION("expired") {
        Rig rig;
        rig.consent->set(true, 3, common::nowMs() + 300);
        rig.start();
        REQUIRE(rig.waitLines(0));
        std::this_thread::sleep_for(300ms);
        rig.consent->set(false, 0); // the file was removed by whoever saw it expire
        rig.join();
        CHECK(json::getString(rig.lastLine(), "reason") == std::optional<std::string>("expired"));
    }
    SECTION("tier lowered") {
        Rig rig;
        rig.start();
        std::this_thread::sleep_for(100ms);
        rig.consent->set(true, 2, common::nowMs() + 600000);
        rig.join();
        CHECK(json::getString(rig.lastLine(), "reason") == std::optional<std::string>("tier-lowered"));
    }
}

TEST_CASE("support task: the owner's stop and the client leaving", "[support_api][unit]") {
    SECTION("owner") {
        Rig rig;
        rig.start();
        std::this_thread::sleep_for(100ms);
        auto taskId = rig.state->stopRunning({"stopped-by-owner", "the owner stopped the task"}, "owner");
        CHECK(taskId == std::optional<std::string>("t1"));
        rig.join();
        CHECK(json::getString(rig.lastLine(), "reason") == std::optional<std::string>("stopped-by-owner"));
        CHECK(rig.consent->entries()[1].actor == "owner");
        CHECK_FALSE(rig.state->stopRunning({"x", "y"}, "owner")); // nothing runs now
    }
    SECTION("client gone") {
        Rig rig;
        rig.start();
        std::this_thread::sleep_for(100ms);
        rig.res.out.leave();
        rig.join();
        CHECK(rig.sessions->next->cancelledWhy() == "the support client went away (or wildws is stopping)");
        auto recording = wt::readFile(rig.tmp / "support-sessions/t1.jsonl");
        CHECK(wt::contains(recording, "\"reason\":\"client-gone\""));
    }
}

TEST_CASE("support task: the stream ends even when the agent does not", "[support_api][unit]") {
    Rig rig;
    rig.sessions->next->deaf = true;
    rig.start();
    std::this_thread::sleep_for(100ms);
    auto revokedAt = std::chrono::steady_clock::now();
    rig.consent->set(false, 0);
    rig.join();
    CHECK(std::chrono::steady_clock::now() - revokedAt < 1100ms);
    CHECK(wt::contains(rig.res.out.data, "the owner revoked support access")); // our own error chunk
    CHECK(json::getString(rig.lastLine(), "reason") == std::optional<std::string>("revoked"));
}

TEST_CASE("support task: refusals before any streaming", "[support_api][unit]") {
    SECTION("busy") {
        Rig rig;
        std::string holder;
        auto lock = TaskLock::tryAcquire(rig.tmp / "support-sessions", "other", "daemon", holder);
        rig.start();
        rig.join();
        CHECK(rig.res.status == 409);
        CHECK(rig.res.errorCode == "busy");
        CHECK(wt::contains(rig.res.body, "task 'other' in daemon"));
    }
    SECTION("no agent") {
        Rig rig;
        rig.sessions->next = nullptr;
        rig.start();
        rig.join();
        CHECK(rig.res.status == 503);
        CHECK(rig.res.errorCode == "no-agent");
        CHECK(rig.actions() == std::vector<std::string>{"agent-task-start", "agent-task-end"});
        CHECK(wt::contains(wt::readFile(rig.tmp / "support-sessions/t1.jsonl"), "start-failed"));
    }
    SECTION("audit cannot be written: fail closed") {
        Rig rig;
        rig.consent->failAppend = true;
        rig.start();
        rig.join();
        CHECK(rig.res.status == 503);
        CHECK(rig.res.errorCode == "audit-failed");
        CHECK(rig.sessions->last.prompt.empty()); // the agent never started
    }
}
