// CodexAppProtocol as a pure state machine for the prompts that are not one
// command or patch: item/permissions/requestApproval and
// item/tool/requestUserInput, including what a codex may send malformed.
#include "codex_app_protocol.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::agent;

namespace {

struct Driver {
    AgentRequest request;
    CodexAppProtocol p;
    std::vector<Chunk> chunks;
    std::vector<std::string> writes;
    Driver() : request(makeRequest()), p(request) {
        p.open(writes);
        line(R"({"id":0,"result":{"userAgent":"codex"}})");
        line(R"({"id":1,"result":{"thread":{"id":"thr_9"}}})");
        p.turn(request, chunks, writes);
        line(R"({"id":2,"result":{"turn":{"id":"turn_1"}}})");
        clear();
    }
    static AgentRequest makeRequest() {
        AgentRequest r;
        r.prompt = "go";
        r.cwd = "/work";
        return r;
    }
    void line(const std::string& l) { p.line(l, chunks, writes); }
    void clear() {
        chunks.clear();
        writes.clear();
    }
    AgentDecision decide(const std::string& decision, const std::string& scope = "once", bool stop = false) {
        AgentDecision d;
        d.decision = decision;
        d.scope = scope;
        d.stop = stop;
        return d;
    }
};

} // namespace

TEST_CASE("codex protocol: a permissions request with string ids, no reason and entries", "[codex-protocol]") {
    Driver d;
    d.line(R"({"method":"item/permissions/requestApproval","id":"req-a","params":{"threadId":"thr_9","turnId":"turn_1",)"
           R"("itemId":"i1","startedAtMs":1,"cwd":"/work","reason":null,"permissions":{"network":null,"fileSystem":)"
           R"({"entries":[{"path":{"type":"glob_pattern","pattern":"/work/**"},"access":"write"}]}}}})");
    REQUIRE(d.chunks.size() == 1);
    auto& c = d.chunks[0];
    CHECK(c.type == "permission");
    CHECK(c.requestId == "req-a");
    CHECK(c.title == "Codex asks for more permissions: write /work/**");
    CHECK(c.inputJson.find("\"reason\"") == std::string::npos);
    CHECK(d.writes.empty());
    d.clear();
    d.p.respond("req-a", d.decide("allow", "session"), d.chunks, d.writes);
    REQUIRE(d.writes.size() == 1);
    CHECK(d.writes[0] == R"({"id":"req-a","result":{"permissions":{"network":null,"fileSystem":{"entries":[{"path":)"
                         R"({"type":"glob_pattern","pattern":"/work/**"},"access":"write"}]}},"scope":"session"}})");
    REQUIRE(d.chunks.size() == 1);
    CHECK(d.chunks[0].type == "permission-resolved");
    CHECK(d.chunks[0].scope == "session");
    d.clear();
    d.p.respond("req-a", d.decide("deny"), d.chunks, d.writes); // answered already: nothing
    CHECK(d.writes.empty());
    CHECK(d.chunks.empty());
}

TEST_CASE("codex protocol: malformed prompts never throw, and still get an answer codex can read", "[codex-protocol]") {
    Driver d;
    d.line(R"({"method":"item/permissions/requestApproval","id":5,"params":{"permissions":"all of them"}})");
    REQUIRE(d.chunks.size() == 1);
    CHECK(d.chunks[0].title == "Codex asks for more permissions");
    d.line(R"({"method":"item/tool/requestUserInput","id":6,"params":{"questions":[7,{"question":"Why?","options":"x"}]}})");
    REQUIRE(d.chunks.size() == 2);
    CHECK(d.chunks[1].type == "question");
    CHECK(d.chunks[1].detailJson ==
          R"([{"id":"1","question":"Why?","header":"","options":[],"multiSelect":false,"isOther":false,"isSecret":false}])");
    d.line(R"({"method":"item/tool/requestUserInput","id":7})");
    REQUIRE(d.chunks.size() == 3);
    CHECK(d.chunks[2].detailJson == "[]");
    d.clear();
    d.p.respond("5", d.decide("allow"), d.chunks, d.writes);
    AgentDecision answer = d.decide("allow");
    answer.answersJson = R"({"Why?":"because","Unknown?":"x","1":"ignored: the text wins"})";
    d.p.respond("6", answer, d.chunks, d.writes);
    d.p.respond("7", d.decide("deny", "once", true), d.chunks, d.writes);
    REQUIRE(d.writes.size() == 3);
    CHECK(d.writes[0] == R"({"id":5,"result":{"permissions":{},"scope":"turn"}})");
    CHECK(d.writes[1] == R"({"id":6,"result":{"answers":{"1":{"answers":["because"]}}}})");
    CHECK(d.writes[2] == R"({"id":7,"result":{"answers":{}}})");
}

TEST_CASE("codex protocol: a question answered by codex's ids, and withdrawn ones resolve by agent", "[codex-protocol]") {
    Driver d;
    d.line(R"({"method":"item/tool/requestUserInput","id":8,"params":{"questions":[{"id":"q1","header":"H","question":"Pick",)"
           R"("options":[{"label":"a","description":"A"}]}]}})");
    AgentDecision answer = d.decide("allow", "session");
    answer.answersJson = R"({"q1":"a"})";
    d.clear();
    d.p.respond("8", answer, d.chunks, d.writes);
    CHECK(d.writes.at(0) == R"({"id":8,"result":{"answers":{"q1":{"answers":["a"]}}}})");
    CHECK(d.chunks.at(0).scope == "once"); // a question has no "for this chat"
    d.clear();
    d.line(R"({"method":"item/tool/requestUserInput","id":9,"params":{"questions":[]}})");
    d.line(R"({"method":"serverRequest/resolved","params":{"threadId":"thr_9","requestId":9}})");
    REQUIRE(d.chunks.size() == 2);
    CHECK(d.chunks[1].type == "permission-resolved");
    CHECK(d.chunks[1].by == "agent");
    CHECK(d.writes.empty());
    d.line(R"({"method":"mcpServer/elicitation/request","id":10,"params":{}})");
    REQUIRE(d.writes.size() == 1);
    CHECK(d.writes[0] == R"({"id":10,"error":{"code":-32601,"message":"wildws does not handle mcpServer/elicitation/request"}})");
}
