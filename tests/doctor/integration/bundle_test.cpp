// `wildws doctor --bundle FILE`: what is in it, and no secret anywhere in it.
#include "doctor_env.hpp"

#include <http_client.hpp>
#include <server.hpp>

#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

namespace {

std::vector<std::string> filesUnder(const std::string& dir) {
    std::vector<std::string> out;
    DIR* dp = ::opendir(dir.c_str());
    if (!dp) return out;
    while (auto* e = ::readdir(dp)) {
        std::string n = e->d_name;
        if (n == "." || n == "..") continue;
        std::string p = dir + "/" + n;
        struct stat st {};
        ::lstat(p.c_str(), &st);
        if (S_ISDIR(st.st_mode))
            for (auto& f : filesUnder(p)) out.push_back(f);
        else
            out.push_back(p);
    }
    ::closedir(dp);
    return out;
}

} // namespace

TEST_CASE("the doctor bundle holds the report, log tails, the redacted config, and never a secret", "[doctor][bundle]") {
    dr::Env e;
    e.env["ANTHROPIC_API_KEY"] = "sk-ant-fixture-api-key-0123456789";
    wt::writeFile(e.home + "/wildws.ini", "[plugin.relay]\npassword = hunter2-config-secret\n[plugin.agent]\nstall_seconds = 300\n");
    std::vector<std::string> secrets = {"sk-ant-fixture-api-key-0123456789", "hunter2-config-secret"};
    {
        wt::Server s(e.home, "serve", e.sets, e.options()); // makes secrets.json
        for (auto field : {"partnerToken", "shareSecret", "supportChannelSecret"}) secrets.push_back(s.secret(field));
        wt::http(s.port(), "GET", "/api/agents", {{"Authorization", s.bearer()}});
    }
    auto op = e.run({"operator", "enable", "--json"});
    REQUIRE(op.code == 0);
    auto token = Poco::JSON::Parser().parse(op.out).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("token");
    secrets.push_back(token);
    // A transcript, a support recording, and logs that (wrongly) echo secrets.
    ::mkdir((e.home + "/sessions").c_str(), 0700);
    ::mkdir((e.home + "/support-sessions").c_str(), 0700);
    wt::writeFile(e.home + "/sessions/abc.jsonl", "{\"type\":\"prompt\",\"text\":\"TRANSCRIPT-PRIVATE-WORDS\"}\n");
    wt::writeFile(e.home + "/support-sessions/t1.jsonl", "{\"type\":\"text\",\"text\":\"RECORDING-PRIVATE-WORDS\"}\n");
    secrets.push_back("TRANSCRIPT-PRIVATE-WORDS");
    secrets.push_back("RECORDING-PRIVATE-WORDS");
    ::mkdir((e.home + "/logs").c_str(), 0700);
    std::string log;
    for (int i = 1; i <= 1500; ++i) log += "line " + std::to_string(i) + "\n";
    log += "Authorization: Bearer " + secrets[2] + " key " + secrets[0] + " op " + token + "\n";
    wt::writeFile(e.home + "/logs/leaky.log", log);

    auto r = e.run({"doctor", "--bundle", "support.tar.gz"});
    INFO(r.out << r.err);
    CHECK((r.code == 0 || r.code == 1));
    CHECK(wt::contains(r.out, "wrote " + e.dir.path() + "/support.tar.gz ("));
    struct stat st {};
    REQUIRE(::stat((e.dir / "support.tar.gz").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    auto x = wt::run({"/bin/tar", "-xzf", e.dir / "support.tar.gz", "-C", e.dir.path()});
    INFO(x.err);
    REQUIRE(x.code == 0);
    std::string root = e.dir / "wildws-doctor";
    for (auto name : {"doctor.json", "wildws.ini", "plugins.json", "always-on-status.json", "logs/leaky.log", "README.txt"})
        CHECK(::access((root + "/" + name).c_str(), R_OK) == 0);
    CHECK(wt::contains(wt::readFile(root + "/doctor.json"), "\"checks\":["));
    CHECK(wt::contains(wt::readFile(root + "/wildws.ini"), "password = [redacted]"));
    CHECK(wt::contains(wt::readFile(root + "/plugins.json"), "\"agent\""));
    auto leaky = wt::lines(wt::readFile(root + "/logs/leaky.log"));
    if (!leaky.empty() && leaky.back().empty()) leaky.pop_back();
    CHECK(leaky.size() == 1000);
    CHECK(leaky.front() == "line 502");
    // Never secrets.json, operator.json, transcripts or recordings, and no secret value anywhere.
    for (auto& f : filesUnder(root)) {
        INFO(f);
        CHECK(f.find("secrets.json") == std::string::npos);
        CHECK(f.find("operator.json") == std::string::npos);
        CHECK(f.find("sessions") == std::string::npos);
        std::string text = wt::readFile(f);
        for (auto& s : secrets) {
            INFO(s);
            CHECK(text.find(s) == std::string::npos);
        }
    }
    // And not in the compressed file as it is either (grep the raw bytes after gunzip).
    auto raw = wt::run({"/bin/sh", "-c", "gzip -dc '" + e.dir / "support.tar.gz" + "'"});
    for (auto& s : secrets) CHECK(raw.out.find(s) == std::string::npos);
}

TEST_CASE("doctor --bundle refuses a directory and an unwritable place with one line", "[doctor][bundle]") {
    dr::Env e;
    auto r = e.run({"doctor", "--bundle", e.dir.path()});
    CHECK(r.code == 2);
    CHECK(r.err == "wildws: doctor: " + e.dir.path() + " is a directory: name the .tar.gz file to write\n");
    r = e.run({"doctor", "--bundle", "/nonexistent-dir/x.tar.gz"});
    CHECK(r.code == 1);
    CHECK(wt::contains(r.err, "wildws: doctor: cannot write the bundle /nonexistent-dir/x.tar.gz: "));
    CHECK(wt::contains(r.err, " - pick a writable place\n"));
}
