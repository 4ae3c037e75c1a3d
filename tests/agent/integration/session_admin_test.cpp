// Rename, delete and search stored conversations, and the `@` file
// suggestions (GET /api/files), on a real `wildws serve` with the fixture agents.
#include "agent_env.hpp"

#include <http_client.hpp>
#include <server.hpp>

#include <catch2/catch.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

using namespace std::chrono_literals;

namespace {

wt::Server serve(const wt::TempDir& home, std::map<std::string, std::string> extra = {}) {
    return wt::Server(home.path(), "serve", ai::fixtureSets(std::move(extra)));
}

wt::Headers auth(wt::Server& s, bool json = true) {
    wt::Headers h{{"Authorization", s.bearer()}};
    if (json) h.emplace_back("Content-Type", "application/json");
    return h;
}

std::string jsonBody(const std::string& key, const std::string& value) {
    Poco::JSON::Object o;
    o.set(key, value);
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string enc(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "&=?#+/ ", out);
    return out;
}

void checkError(const wt::HttpResult& r, int status, const std::string& code) {
    INFO(r.body);
    CHECK(r.status == status);
    if (r.status == status) CHECK(parse(r.body)->getValue<std::string>("error") == code);
}

/// One finished chat turn; returns the conversation id.
std::string turn(wt::Server& s, const std::string& prompt, const std::string& sessionId = {}) {
    Poco::JSON::Object o;
    o.set("prompt", prompt);
    if (!sessionId.empty()) o.set("sessionId", sessionId);
    std::ostringstream b;
    o.stringify(b);
    auto r = wt::http(s.port(), "POST", "/api/chat", auth(s), b.str(), 20s);
    REQUIRE(r.status == 200);
    auto lines = ai::jsonLines(r.body);
    REQUIRE(lines.size() >= 2);
    REQUIRE(ai::typesOf(lines).back() == "end");
    return lines[0]->getValue<std::string>("sessionId");
}

std::vector<std::string> listIds(wt::Server& s, const std::string& query = "") {
    auto r = wt::http(s.port(), "GET", "/api/chat/sessions" + query, auth(s, false));
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::vector<std::string> ids;
    auto arr = parse(r.body)->getArray("sessions");
    for (std::size_t i = 0; i < arr->size(); ++i) ids.push_back(arr->getObject(i)->getValue<std::string>("id"));
    return ids;
}

std::string titleInList(wt::Server& s, const std::string& id) {
    auto arr = parse(wt::http(s.port(), "GET", "/api/chat/sessions", auth(s, false)).body)->getArray("sessions");
    for (std::size_t i = 0; i < arr->size(); ++i)
        if (arr->getObject(i)->getValue<std::string>("id") == id) return arr->getObject(i)->getValue<std::string>("title");
    return "<not listed>";
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

std::vector<std::string> files(wt::Server& s, const std::string& dir, const std::string& q, int* status = nullptr) {
    auto r = wt::http(s.port(), "GET", "/api/files?q=" + enc(q) + (dir.empty() ? "" : "&cwd=" + enc(dir)), auth(s, false));
    INFO(r.body);
    if (status) *status = r.status;
    REQUIRE(r.status == 200);
    std::vector<std::string> out;
    auto arr = parse(r.body)->getArray("files");
    for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(arr->getElement<std::string>(i));
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void git(const std::string& dir, std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/git", "-C", dir});
    auto r = wt::run(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
}

/// A project: tracked sources, an ignored file and directory, an untracked
/// file, and symlinks that stay inside or escape.
void makeProject(const wt::TempDir& root, const std::string& outside) {
    std::string p = root.path();
    ::mkdir((p + "/src").c_str(), 0700);
    ::mkdir((p + "/build").c_str(), 0700);
    ::mkdir((p + "/node_modules").c_str(), 0700);
    wt::writeFile(p + "/src/main.cpp", "int main() {}\n");
    wt::writeFile(p + "/src/session_manager.cpp", "//\n");
    wt::writeFile(p + "/README.md", "# hi\n");
    wt::writeFile(p + "/notes.txt", "untracked\n");
    wt::writeFile(p + "/secret.log", "ignored\n");
    wt::writeFile(p + "/build/out.o", "ignored\n");
    wt::writeFile(p + "/node_modules/dep.js", "ignored\n");
    wt::writeFile(p + "/.gitignore", "secret.log\nbuild/\nnode_modules/\n");
    wt::writeFile(outside + "/passwd-like", "root:x:0:0\n");
    REQUIRE(::symlink((outside + "/passwd-like").c_str(), (p + "/escape").c_str()) == 0);
    REQUIRE(::symlink("../../", (p + "/src/up").c_str()) == 0);
    REQUIRE(::symlink(outside.c_str(), (p + "/outdir").c_str()) == 0);
    REQUIRE(::symlink("src/main.cpp", (p + "/inner-link").c_str()) == 0);
}

} // namespace

TEST_CASE("PATCH /api/chat/sessions/:id renames a conversation, and the name survives turns, a lost meta file and a restart", "[http][admin]") {
    wt::TempDir home;
    std::string id;
    {
        auto s = serve(home);
        id = turn(s, "Please **summarise** this file");
        CHECK(titleInList(s, id) == "Please **summarise** this file");
        auto r = wt::http(s.port(), "PATCH", "/api/chat/sessions/" + id, auth(s), jsonBody("title", "  Summary of main.cpp  "));
        INFO(r.body);
        REQUIRE(r.status == 200);
        CHECK(parse(r.body)->getValue<std::string>("title") == "Summary of main.cpp");
        CHECK(parse(r.body)->getValue<std::string>("id") == id);
        CHECK(titleInList(s, id) == "Summary of main.cpp");
        auto one = wt::http(s.port(), "GET", "/api/chat/sessions/" + id, auth(s, false));
        CHECK(ai::jsonLines(one.body).at(0)->getValue<std::string>("title") == "Summary of main.cpp");
        turn(s, "a follow-up", id);
        CHECK(titleInList(s, id) == "Summary of main.cpp");
        auto mode = [&](const std::string& path) {
            struct stat st {};
            REQUIRE(::lstat(path.c_str(), &st) == 0);
            return st.st_mode & 0777;
        };
        CHECK(mode(home / ("sessions/" + id + ".title")) == 0600);
        REQUIRE(::unlink((home / ("sessions/" + id + ".meta.json")).c_str()) == 0); // rebuilt from the transcript
        CHECK(titleInList(s, id) == "Summary of main.cpp");
    }
    auto s = serve(home);
    CHECK(titleInList(s, id) == "Summary of main.cpp");
}

TEST_CASE("bad renames: 400 bad-json or bad-title, 404 for an unknown session, 401 without the owner", "[http][admin][errors]") {
    wt::TempDir home;
    auto s = serve(home);
    std::string id = turn(s, "hello");
    std::string path = "/api/chat/sessions/" + id;
    checkError(wt::http(s.port(), "PATCH", path, auth(s), "[1]"), 400, "bad-json");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), "not json"), 400, "bad-json");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), "{}"), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), R"({"title": 7})"), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), R"({"title": null})"), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", "")), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", "   ")), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", std::string(201, 'x'))), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", "two\nlines")), 400, "bad-title");
    checkError(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", "bell\x07")), 400, "bad-title");
    CHECK(wt::http(s.port(), "PATCH", path, auth(s), jsonBody("title", std::string(200, 'x'))).status == 200);
    checkError(wt::http(s.port(), "PATCH", "/api/chat/sessions/nosuch", auth(s), jsonBody("title", "x")), 404, "unknown-session");
    checkError(wt::http(s.port(), "PATCH", "/api/chat/sessions/a.b", auth(s), jsonBody("title", "x")), 404, "unknown-session");
    // a traversal never reaches the route (the decoded path has more segments)
    CHECK(wt::http(s.port(), "PATCH", "/api/chat/sessions/..%2F..%2Fsecrets", auth(s), jsonBody("title", "x")).status == 404);
    CHECK_FALSE(exists(home / "secrets.title"));
    CHECK(wt::http(s.port(), "PATCH", path, {{"Content-Type", "application/json"}}, jsonBody("title", "x")).status == 401);
    CHECK(titleInList(s, id) == std::string(200, 'x'));
}

TEST_CASE("DELETE /api/chat/sessions/:id removes a conversation, refuses a running one with 409, 404 after", "[http][admin]") {
    wt::TempDir home;
    auto s = serve(home);
    std::string keep = turn(s, "keep me");
    std::string gone = turn(s, "delete me");
    turn(s, "renamed", gone);
    REQUIRE(wt::http(s.port(), "PATCH", "/api/chat/sessions/" + gone, auth(s), jsonBody("title", "doomed")).status == 200);

    CHECK(wt::http(s.port(), "DELETE", "/api/chat/sessions/" + gone, {}, "{}").status == 401);
    auto r = wt::http(s.port(), "DELETE", "/api/chat/sessions/" + gone, auth(s), "{}");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(parse(r.body)->getValue<bool>("deleted"));
    for (const char* ext : {".jsonl", ".meta.json", ".title"}) CHECK_FALSE(exists(home / ("sessions/" + gone + ext)));
    CHECK(listIds(s) == std::vector<std::string>{keep});
    checkError(wt::http(s.port(), "GET", "/api/chat/sessions/" + gone, auth(s, false)), 404, "unknown-session");
    checkError(wt::http(s.port(), "DELETE", "/api/chat/sessions/" + gone, auth(s), "{}"), 404, "unknown-session");
    checkError(wt::http(s.port(), "DELETE", "/api/chat/sessions/nosuch", auth(s), "{}"), 404, "unknown-session");
    checkError(wt::http(s.port(), "DELETE", "/api/chat/sessions/a.b", auth(s), "{}"), 404, "unknown-session");

    // a running conversation: refused, untouched; deletable once stopped
    auto st = std::make_unique<wt::HttpStream>(s.port(), wt::rawRequest(s.port(), "POST", "/api/chat", auth(s),
                                                                         jsonBody("prompt", "hang")));
    REQUIRE(st->status() == 200);
    auto first = st->line(10s);
    REQUIRE(first);
    std::string busy = parse(*first)->getValue<std::string>("sessionId");
    REQUIRE(ai::waitFor([&] { return exists(home / ("sessions/" + busy + ".jsonl")); }, 5s));
    auto refused = wt::http(s.port(), "DELETE", "/api/chat/sessions/" + busy, auth(s), "{}");
    checkError(refused, 409, "session-busy");
    CHECK(wt::contains(refused.body, "stop it first"));
    CHECK(exists(home / ("sessions/" + busy + ".jsonl")));
    REQUIRE(wt::http(s.port(), "POST", "/api/chat/" + busy + "/cancel", auth(s), "{}").status == 200);
    st->close();
    REQUIRE(ai::waitFor([&] { return wt::http(s.port(), "DELETE", "/api/chat/sessions/" + busy, auth(s), "{}").status == 200; }, 5s));
    CHECK_FALSE(exists(home / ("sessions/" + busy + ".jsonl")));
}

TEST_CASE("GET /api/chat/sessions?q= searches titles and every prompt, case-insensitively", "[http][admin][search]") {
    wt::TempDir home;
    auto s = serve(home);
    std::string a = turn(s, "Refactor the Parser");
    turn(s, "now add tests for the LINE splitter", a);
    std::string b = turn(s, "write a README");
    std::string c = turn(s, "something else");
    REQUIRE(wt::http(s.port(), "PATCH", "/api/chat/sessions/" + c, auth(s), jsonBody("title", "Release notes")).status == 200);

    CHECK(listIds(s, "?q=parser") == std::vector<std::string>{a});
    CHECK(listIds(s, "?q=line%20SPLITTER") == std::vector<std::string>{a}); // a later prompt, not the title
    CHECK(listIds(s, "?q=readme") == std::vector<std::string>{b});
    CHECK(listIds(s, "?q=release") == std::vector<std::string>{c});       // the owner's title
    CHECK(listIds(s, "?q=something") == std::vector<std::string>{c});     // its first prompt still counts
    CHECK(listIds(s, "?q=zzz-nothing").empty());
    CHECK(listIds(s, "?q=e&limit=2").size() == 2);
    CHECK(listIds(s, "?q=%20%20").size() == 3); // blank: the whole list
    checkError(wt::http(s.port(), "GET", "/api/chat/sessions?q=" + std::string(201, 'x'), auth(s, false)), 400, "bad-query");
    checkError(wt::http(s.port(), "GET", "/api/chat/sessions?q=x&limit=abc", auth(s, false)), 400, "bad-limit");
    CHECK(wt::http(s.port(), "GET", "/api/chat/sessions?q=parser").status == 401);
}

TEST_CASE("GET /api/files suggests a git work tree's files, never ignored ones, .git or anything outside", "[http][files]") {
    wt::TempDir home, project, outside;
    makeProject(project, outside.path());
    git(project.path(), {"init", "-q"});
    git(project.path(), {"add", "src", "README.md", ".gitignore", "escape", "outdir", "inner-link"});
    auto s = serve(home);

    auto all = files(s, project.path(), "");
    CHECK(has(all, "src/main.cpp"));
    CHECK(has(all, "README.md"));
    CHECK(has(all, "notes.txt"));  // untracked, not ignored
    CHECK(has(all, "inner-link")); // a symlink to a file inside
    for (auto& f : all) {
        INFO(f);
        CHECK(f.rfind(".git/", 0) != 0);
        CHECK(f.find("..") == std::string::npos);
        CHECK(f[0] != '/');
    }
    CHECK_FALSE(has(all, "secret.log"));
    CHECK_FALSE(has(all, "build/out.o"));
    CHECK_FALSE(has(all, "node_modules/dep.js"));
    CHECK_FALSE(has(all, "escape")); // tracked, but it points outside
    CHECK_FALSE(has(all, "outdir"));
    CHECK_FALSE(has(all, "src/up"));

    auto main = files(s, project.path(), "main");
    REQUIRE_FALSE(main.empty());
    CHECK(main[0] == "src/main.cpp");
    auto fuzzy = files(s, project.path(), "smgr");
    REQUIRE_FALSE(fuzzy.empty());
    CHECK(fuzzy[0] == "src/session_manager.cpp");
    CHECK(files(s, project.path(), "passwd").empty());
    CHECK(files(s, project.path(), "../../etc/passwd").empty());
    CHECK(files(s, project.path(), ".git/config").empty());
    CHECK(files(s, project.path(), "zzzz").empty());
    // a subdirectory of the work tree: paths relative to it
    auto sub = files(s, project / "src", "main");
    CHECK(sub == std::vector<std::string>{"main.cpp"});
}

TEST_CASE("GET /api/files outside git walks the directory, skipping .git and node_modules and not following symlinks out", "[http][files]") {
    wt::TempDir home, project, outside;
    makeProject(project, outside.path());
    ::mkdir((project / ".git").c_str(), 0700); // not a repository: just a directory named so
    wt::writeFile(project / ".git/config", "[core]\n");
    auto s = serve(home);
    auto all = files(s, project.path(), "");
    CHECK(has(all, "src/main.cpp"));
    CHECK(has(all, "secret.log")); // no git here: nothing says it is ignored
    CHECK(has(all, "inner-link"));
    CHECK_FALSE(has(all, ".git/config"));
    CHECK_FALSE(has(all, "node_modules/dep.js"));
    CHECK_FALSE(has(all, "escape"));
    for (auto& f : all) CHECK(f.rfind("outdir", 0) != 0);
}

TEST_CASE("bad file queries: 400 bad-cwd or bad-query, 401 without the owner", "[http][files][errors]") {
    wt::TempDir home, project;
    wt::writeFile(project / "a-file", "x");
    auto s = serve(home);
    checkError(wt::http(s.port(), "GET", "/api/files?q=a&cwd=relative/dir", auth(s, false)), 400, "bad-cwd");
    checkError(wt::http(s.port(), "GET", "/api/files?q=a&cwd=..", auth(s, false)), 400, "bad-cwd");
    checkError(wt::http(s.port(), "GET", "/api/files?q=a&cwd=" + enc(project / "nonexistent"), auth(s, false)), 400, "bad-cwd");
    checkError(wt::http(s.port(), "GET", "/api/files?q=a&cwd=" + enc(project / "a-file"), auth(s, false)), 400, "bad-cwd");
    checkError(wt::http(s.port(), "GET", "/api/files?q=" + std::string(201, 'a') + "&cwd=" + enc(project.path()), auth(s, false)),
               400, "bad-query");
    CHECK(wt::http(s.port(), "GET", "/api/files?q=a&cwd=" + enc(project.path())).status == 401);
    CHECK(files(s, project.path(), "afil") == std::vector<std::string>{"a-file"});
    // without cwd: [plugin.agent] cwd (another home: one serve per home)
    wt::TempDir home2;
    auto s2 = serve(home2, {{"cwd", project.path()}});
    CHECK(files(s2, "", "a-file") == std::vector<std::string>{"a-file"});
}
