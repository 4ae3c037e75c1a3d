// The relay under faults: operator access and the url going away, the
// broker restarted while idle and mid-task, a requester that goes silent,
// refused settings. Nothing keeps running for nobody, and nothing the owner
// does waits on the broker.
#include "nats_harness.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

using namespace rt;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

long long wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

long long statusUpdatedAt(Install& a) {
    return std::stoll(wt::jsonField(a.home().path() + "/relay-status.json", "updatedAt").empty()
                          ? "0"
                          : wt::jsonField(a.home().path() + "/relay-status.json", "updatedAt"));
}

void pidsOf(const std::string& output, int& agent, int& child) {
    auto at = output.find("pids ");
    REQUIRE(at != std::string::npos);
    std::istringstream in(output.substr(at + 5));
    int group = 0;
    in >> agent >> group >> child;
}

std::unique_ptr<wt::Child> remoteTask(const Engineer& e, const NatsServer& nats, const Install& a,
                                      const std::string& prompt) {
    std::vector<std::string> argv{WILDWS_BIN, "--home", e.home(), "--plugins-dir", WILDWS_PLUGINS_DIR};
    for (auto& w : e.argv({"agent-task", prompt, "--json"}, nats.url(), &a)) argv.push_back(w);
    return std::make_unique<wt::Child>(argv);
}

bool hasAudit(Install& a, const std::string& action, const std::string& needle) {
    for (auto& e : a.home().audit(action))
        if (wt::contains(st::str(e, "detail"), needle)) return true;
    return false;
}

} // namespace

TEST_CASE("relay fault: operator disable and removing the url disconnect at once", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    a.startDaemon();

    auto r = a.home().cli({"operator", "disable"});
    REQUIRE(r.code == 0);
    const long long disabledAt = wallMs();
    REQUIRE(waitFor([&] { return !a.connected(); }));
    // The daemon wrote "disconnected" within a second of the file going away.
    CHECK(statusUpdatedAt(a) - disabledAt < 1000);
    r = alice.remote({"actions"}, nats.url(), &a);
    CHECK(wt::contains(r.err, "no responders on wildws." + a.id() + ".actions"));

    a.home().operatorToken(); // operator enable: connects again
    REQUIRE(waitFor([&] { return a.connected(); }));

    // The url removed from wildws.ini: the daemon re-reads it and disconnects.
    std::string ini = wt::readFile(a.home() / "wildws.ini");
    auto at = ini.find("url = ");
    ini.erase(at, ini.find('\n', at) - at + 1);
    const long long editedAt = wallMs();
    wt::writeFile(a.home() / "wildws.ini", ini);
    REQUIRE(waitFor([&] { return !a.connected(); }));
    CHECK(statusUpdatedAt(a) - editedAt < 1000);
    CHECK_FALSE(st::flag(st::parse(wt::readFile(a.home() / "relay-status.json")), "configured"));
}

TEST_CASE("relay fault: the broker down blocks nothing - and a restart while idle reconnects", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    a.startDaemon();
    a.home().allow(1, 10);

    nats.stop();
    REQUIRE(waitFor([&] { return !a.connected(); }));
    // The daemon's HTTP actions, the owner's commands: all as usual.
    auto t = Clock::now();
    CHECK(st::operatorPost(a.daemon().port(), a.token(), "diagnostics", "{}").status == 200);
    CHECK(a.home().cli({"support", "status"}).code == 0);
    CHECK(a.home().cli({"relay", "status"}).code == 0);
    CHECK(Clock::now() - t < 10s);
    auto text = a.home().cli({"support", "status"}).out;
    CHECK(wt::contains(text, "  relay  : not connected ("));

    nats.start();
    REQUIRE(waitFor([&] { return a.connected(); }, 30s));
    CHECK(st::num(a.status(), "reconnects") >= 1);
    auto r = alice.remote({"run", "diagnostics"}, nats.url(), &a);
    INFO(r.err);
    CHECK(r.code == 0);
    text = a.home().cli({"support", "status"}).out;
    CHECK(wt::contains(text, "  relay  : support is connected through the relay at " + nats.url()));
    CHECK(wt::contains(text, "  relayed: diagnostics at "));
}

TEST_CASE("relay fault: the broker lost mid-task cancels the task and audits why", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url());
    a.startDaemon();
    a.home().allow(3, 10);

    auto task = remoteTask(alice, nats, a, "grandchild");
    REQUIRE(waitFor([&] { return wt::contains(task->output(), "working 1"); }));
    int agent = 0, child = 0;
    pidsOf(task->output(), agent, child);
    nats.stop();
    // No ghost: the agent and its group are killed, the cut is audited.
    CHECK(waitFor([&] { return st::gone(agent) && st::gone(child); }, 15s));
    CHECK(waitFor([&] { return hasAudit(a, "relay-stream-cut", "the connection to the broker was lost"); }, 10s));
    auto code = task->wait(20s);
    REQUIRE(code);
    CHECK(*code == 1);
    CHECK(wt::contains(task->output(), "lost the broker connection"));

    // Back up: the entries written while it was down reach the fleet copy.
    nats.start();
    REQUIRE(waitFor([&] { return a.connected(); }, 30s));
    wt::Result fleet;
    CHECK(waitFor([&] {
        fleet = alice.remote({"audit", "--install", a.id()}, nats.url(), nullptr);
        return fleet.code == 0 && wt::contains(fleet.out, "relay-stream-cut") &&
               wt::contains(fleet.out, "chain intact: " + std::to_string(a.home().audit().size()) + " entries");
    }, 20s));
    INFO(fleet.out << fleet.err);
    CHECK(fleet.code == 0);
}

TEST_CASE("relay fault: a requester silent past the timeout cancels the task", "[relay][integration]") {
    Install a;
    Engineer alice("alice", "alice-pw");
    NatsServer nats({a.userBlock(), alice.userBlock()});
    a.configure(nats.url(), "requester_timeout_seconds = 3\n");
    a.startDaemon();
    a.home().allow(3, 10);

    auto task = remoteTask(alice, nats, a, "grandchild");
    REQUIRE(waitFor([&] { return wt::contains(task->output(), "working 1"); }));
    int agent = 0, child = 0;
    pidsOf(task->output(), agent, child);
    task->signal(SIGSTOP); // no more heartbeats
    CHECK(waitFor([&] { return st::gone(agent) && st::gone(child); }, 15s));
    CHECK(waitFor([&] { return hasAudit(a, "relay-stream-cut", "the requester sent no heartbeat for 3 s"); }, 10s));
    task->signal(SIGCONT);
    task->signal(SIGKILL);
}

TEST_CASE("relay fault: an insecure url and unsafe secret files are refused with one line", "[relay][integration]") {
    Install a;
    a.configure("nats://relay.example.com:4222");
    a.startDaemon(false);
    const std::string insecure =
        "[plugin.relay] url = 'nats://relay.example.com:4222': refused, a nats:// url to another machine without TLS "
        "sends the operator token and everything support does in clear text - use tls:// (or set ca_file), or set "
        "allow_insecure = true to accept that";
    CHECK(waitFor([&] { return st::str(a.status(), "lastError") == insecure; }));
    CHECK_FALSE(a.connected());
    CHECK(wt::contains(wt::readFile(a.home() / "logs/relay.log"), insecure));

    Install b;
    NatsServer nats({b.userBlock()});
    b.configure(nats.url());
    ::chmod((b.home() / "nats-password").c_str(), 0644);
    b.startDaemon(false);
    const std::string file = b.home() / "nats-password";
    CHECK(waitFor([&] {
        return st::str(b.status(), "lastError") ==
               "password_file " + file + ": readable by others (mode 0644) - run: chmod 600 " + file;
    }));
    CHECK_FALSE(b.connected());
    // Fixed, and the daemon retries on its own.
    ::chmod(file.c_str(), 0600);
    CHECK(waitFor([&] { return b.connected(); }, 30s));
}
