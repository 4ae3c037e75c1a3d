// Security checks of the real server: Host allowlist, owner auth, login
// codes, session tokens (no cookie), origins, the support-channel gate,
// forwarding headers, secrets.
#include "http_fixture.hpp"

#include <catch2/catch.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <chrono>
#include <sys/stat.h>
#include <unistd.h>

TEST_CASE("only the three loopback Host headers with the right port pass", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    std::string p = std::to_string(server.port());
    std::string other = std::to_string(server.port() == 65535 ? 1 : server.port() + 1);
    std::vector<std::string> allowed{"127.0.0.1:" + p, "localhost:" + p, "[::1]:" + p, "LOCALHOST:" + p};
    std::vector<std::string> refused{
        "<omit>", "", " ", ":" + p, "127.0.0.1", "localhost", "[::1]", "127.0.0.1:" + other, "localhost:" + other,
        "evil.com", "evil.com:" + p, "localhost.evil.com:" + p, "127.0.0.1.nip.io:" + p, "evil.localhost:" + p,
        "127.0.0.2:" + p, "0.0.0.0:" + p, "[::]:" + p, "::1:" + p, "2130706433:" + p, "0x7f000001:" + p,
        "127.1:" + p, "localhost:" + p + ".evil.com", "127.0.0.1:" + p + "@evil.com", "evil.com#127.0.0.1:" + p,
        "127.0.0.1 :" + p, "localhost.:" + p, "LOCALHOST.:" + p, "127.0.0.1:0" + p, "[0:0:0:0:0:0:0:1]:" + p,
        "127.0.0.1:" + p + ",evil.com", "evil.com, 127.0.0.1:" + p, "xn--localhost:" + p, "local host:" + p};
    REQUIRE(allowed.size() + refused.size() >= 30);
    for (auto& host : allowed) {
        auto r = wt::http(server.port(), "GET", "/health", {{"Host", host}});
        INFO("Host: " << host);
        CHECK(r.status == 200);
    }
    for (auto& host : refused) {
        auto r = wt::http(server.port(), "GET", "/health", {{"Host", host}});
        INFO("Host: '" << host << "'");
        // Poco itself answers 400 to a few malformed heads; either way, nothing is served.
        CHECK((r.status == 403 || r.status == 400));
        if (r.status == 403) CHECK(wt::contains(r.body, "\"error\":\"forbidden-host\""));
    }
    // Configured names pass too.
    wt::TempDir home2;
    auto named = fixtureServer(home2.path(), {"--set", "serve.host_names=wild.test"});
    CHECK(wt::http(named.port(), "GET", "/health", {{"Host", "wild.test:" + std::to_string(named.port())}}).status == 200);
}

TEST_CASE("owner routes need the bearer token or a session token", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto none = wt::http(server.port(), "GET", "/api/fx/caller");
    CHECK(none.status == 401);
    CHECK(none.body == R"({"error":"unauthorized","message":"missing or wrong credentials - send Authorization: Bearer <partnerToken from secrets.json>, or run 'wildws open' to log in"})");
    CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer wrong"}}).status == 401);
    CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer " + server.token() + "x"}}).status == 401);
    CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Basic " + server.token()}}).status == 401);
    auto ok = wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", server.bearer()}});
    CHECK(ok.status == 200);
    CHECK(ok.body == R"({"kind":"owner","via":"bearer","genuineLoopback":true})");
    // /health needs nothing; /api/plugins needs the owner.
    CHECK(wt::http(server.port(), "GET", "/health").status == 200);
    CHECK(wt::http(server.port(), "GET", "/api/plugins").status == 401);
    // No CORS grant, ever.
    CHECK_FALSE(ok.header("Access-Control-Allow-Origin").has_value());
}

namespace {

struct Sha256 : Poco::SHA2Engine {
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string hmacSha256Hex(const std::string& key, const std::string& text) {
    Poco::HMACEngine<Sha256> hmac(key);
    hmac.update(text);
    return Poco::DigestEngine::digestToHex(hmac.digest());
}

long long nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string loginCode(const std::string& home, int port) {
    auto open = wt::wildws(home, {"--plugins-dir", fixturePlugins(), "open"});
    REQUIRE(open.code == 0);
    auto url = wt::lines(open.out).at(0);
    REQUIRE(url.rfind("http://127.0.0.1:" + std::to_string(port) + "/login?code=", 0) == 0);
    return url.substr(url.find("code=") + 5);
}

std::string jsonString(const std::string& body, const std::string& key) {
    auto k = body.find("\"" + key + "\":\"");
    if (k == std::string::npos) return "";
    auto start = k + key.size() + 4;
    return body.substr(start, body.find('"', start) - start);
}

wt::HttpResult exchange(int port, const std::string& code) {
    return wt::http(port, "POST", "/api/session", {{"Content-Type", "application/json"}},
                    "{\"code\":\"" + code + "\"}");
}

} // namespace

TEST_CASE("a login code is exchanged once for a bearer session token, and no cookie is ever set", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto code = loginCode(home.path(), server.port());

    // Loading the login page does not use the code up (a link preview must not).
    for (int i = 0; i < 2; ++i) {
        auto page = wt::http(server.port(), "GET", "/login?code=" + code);
        CHECK(page.status == 200);
        CHECK(wt::contains(page.body, "<script type=module src=\"/js/login.js\"></script>"));
        CHECK_FALSE(page.header("Set-Cookie").has_value());
    }
    auto wallMs = [] {
        return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
    };
    const long long beforeLogin = wallMs();
    auto login = exchange(server.port(), code);
    const long long afterLogin = wallMs();
    REQUIRE(login.status == 200);
    CHECK_FALSE(login.header("Set-Cookie").has_value());
    // expiresAt: ISO 8601 UTC, 12 hours after the exchange.
    auto expiresAt = wt::isoMs(jsonString(login.body, "expiresAt"));
    REQUIRE(expiresAt);
    CHECK(*expiresAt >= beforeLogin + 12 * 3600 * 1000LL);
    CHECK(*expiresAt <= afterLogin + 12 * 3600 * 1000LL);
    auto token = jsonString(login.body, "token");
    REQUIRE(token.size() >= 32);
    CHECK(wt::contains(login.body, "\"expiresAt\":"));
    auto me = wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer " + token}});
    CHECK(me.status == 200);
    CHECK(me.body == R"({"kind":"owner","via":"session","genuineLoopback":true})");
    CHECK_FALSE(me.header("Set-Cookie").has_value());

    auto again = exchange(server.port(), code);
    CHECK(again.status == 401);
    CHECK(again.body == R"({"error":"login-code-used","message":"This login link was already used. Run 'wildws open' for a new one."})");
    auto reload = wt::http(server.port(), "GET", "/login?code=" + code);
    CHECK(reload.status == 401);
    CHECK(wt::contains(reload.body, "This login link was already used. Run <code>wildws open</code> for a new one."));
    CHECK(wt::contains(wt::http(server.port(), "GET", "/login?code=made-up").body, "This login link is not valid."));
    CHECK(exchange(server.port(), "made-up").body ==
          R"({"error":"login-code-unknown","message":"This login link is not valid. Run 'wildws open' for a new one."})");
    auto noCode = wt::http(server.port(), "POST", "/api/session", {{"Content-Type", "application/json"}}, "{}");
    CHECK(noCode.status == 400);
    CHECK(noCode.body == R"({"error":"bad-request","message":"send {\"code\": \"<the code from the login link>\"} as JSON"})");

    // An expired code: rewrite its expiry in the past.
    auto second = loginCode(home.path(), server.port());
    for (auto& e : std::filesystem::directory_iterator(home / "login-codes"))
        if (e.path().extension() != ".used") wt::writeFile(e.path().string(), "1000\n");
    CHECK(wt::http(server.port(), "GET", "/login?code=" + second).status == 401);
    auto expired = exchange(server.port(), second);
    CHECK(expired.status == 401);
    CHECK(wt::contains(expired.body, R"("error":"login-code-expired")"));

    // Forged tokens, and logging out.
    for (auto& forged : {token + "x", token.substr(1), std::string("garbage"), std::string(""), std::string(300, 'a')}) {
        INFO("token " << forged);
        CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer " + forged}}).status == 401);
    }
    auto byPartner = wt::http(server.port(), "DELETE", "/api/session", {{"Authorization", server.bearer()}});
    CHECK(byPartner.status == 400);
    CHECK(wt::contains(byPartner.body, R"("error":"not-a-session")"));
    auto out = wt::http(server.port(), "DELETE", "/api/session", {{"Authorization", "Bearer " + token}});
    CHECK(out.status == 200);
    CHECK(out.body == R"({"loggedOut":true})");
    CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer " + token}}).status == 401);
}

TEST_CASE("the session cookie of earlier versions is refused", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    // Exactly what the old /login set: wildws_session=v1.<expiry>.<HMAC-SHA256(shareSecret)>.
    std::string payload = "v1." + std::to_string(nowMs() + 3600 * 1000);
    std::string cookie = "wildws_session=" + payload + "." + hmacSha256Hex(server.secret("shareSecret"), payload);
    auto r = wt::http(server.port(), "GET", "/api/fx/caller", {{"Cookie", cookie}});
    CHECK(r.status == 401);
    CHECK(wt::contains(r.body, R"("error":"unauthorized")"));
    std::string self = "http://127.0.0.1:" + std::to_string(server.port());
    auto post = wt::http(server.port(), "POST", "/api/fx/record",
                         {{"Cookie", cookie}, {"Origin", self}, {"Content-Type", "application/json"}}, "{}");
    CHECK(post.status == 401);
    CHECK_FALSE(std::filesystem::exists(home / "fx-record"));
}

TEST_CASE("a session token from a foreign origin is refused, from this one accepted", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto token = jsonString(exchange(server.port(), loginCode(home.path(), server.port())).body, "token");
    REQUIRE_FALSE(token.empty());
    std::string self = "http://127.0.0.1:" + std::to_string(server.port());
    struct Case {
        wt::Headers headers;
        int status;
        std::string code;
    };
    std::vector<Case> cases{
        {{{"Origin", "https://evil.com"}}, 403, "cross-origin"},
        {{{"Origin", "null"}}, 403, "cross-origin"},
        {{{"Origin", "http://localhost:1"}}, 403, "cross-origin"},
        {{{"Origin", "http://127.0.0.1:" + std::to_string(server.port() + 1)}}, 403, "cross-origin"},
        {{{"Origin", self}, {"Sec-Fetch-Site", "cross-site"}}, 403, "cross-origin"},
        {{{"Origin", self}, {"Sec-Fetch-Site", "same-site"}}, 403, "cross-origin"},
        {{{"Origin", self}}, 200, ""},
        {{{"Origin", "http://localhost:" + std::to_string(server.port())}, {"Sec-Fetch-Site", "same-origin"}}, 200, ""},
        {{}, 200, ""},
    };
    for (auto& c : cases) {
        auto headers = c.headers;
        headers.emplace_back("Authorization", "Bearer " + token);
        headers.emplace_back("Content-Type", "application/json");
        auto r = wt::http(server.port(), "POST", "/api/fx/echo", headers, "{\"a\":1}");
        std::string shown;
        for (auto& [k, v] : c.headers) shown += k + ": " + v + "; ";
        INFO(shown);
        CHECK(r.status == c.status);
        if (!c.code.empty()) CHECK(wt::contains(r.body, "\"error\":\"" + c.code + "\""));
    }
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", {{"Authorization", server.bearer()}}, "x").status == 200);
}

TEST_CASE("the support channel needs genuine loopback and the secret", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto secret = server.secret("supportChannelSecret");
    REQUIRE(!secret.empty());
    auto call = [&](wt::Headers h) { return wt::http(server.port(), "POST", "/api/fx/support", h, "{}"); };

    auto ok = call({{"x-support-secret", secret}, {"Content-Type", "application/json"}});
    CHECK(ok.status == 200);
    CHECK(ok.body == R"({"caller":"support-channel"})");

    std::vector<std::string> forwarding{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
                                        "X-Real-IP", "CF-Connecting-IP", "CF-Ray", "Cf-Visitor", "True-Client-IP",
                                        "X-Client-IP", "X-Original-Host", "Via", "Cf-Warp-Tag-Id"};
    for (auto& name : forwarding) {
        std::string mixed = name;
        for (std::size_t i = 0; i < mixed.size(); i += 2) mixed[i] = static_cast<char>(std::toupper(mixed[i]));
        for (auto& [header, value] : std::vector<std::pair<std::string, std::string>>{
                 {name, "203.0.113.9"}, {name, ""}, {mixed, "1.2.3.4"}, {mixed, ""}}) {
            INFO(header << ": '" << value << "'");
            auto r = call({{"x-support-secret", secret}, {header, value}});
            CHECK(r.status == 404);
            CHECK(wt::contains(r.body, "\"error\":\"not_found\""));
        }
    }
    struct SecretCase {
        std::string label;
        std::optional<std::string> value;
    };
    for (auto& c : std::vector<SecretCase>{{"missing", std::nullopt},
                                           {"empty", std::string("")},
                                           {"wrong", std::string(secret.size(), 'x')},
                                           {"shorter", secret.substr(0, secret.size() - 1)},
                                           {"longer", secret + "x"},
                                           {"owner token", server.token()}}) {
        wt::Headers h;
        if (c.value) h.emplace_back("x-support-secret", *c.value);
        auto r = call(h);
        INFO(c.label);
        CHECK(r.status == 403);
        CHECK(r.body == R"({"error":"forbidden","message":"forbidden"})");
    }
    // The owner's token does not open the support channel.
    CHECK(call({{"Authorization", server.bearer()}}).status == 403);
}

TEST_CASE("operator routes fail closed without a Consent service", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto r = wt::http(server.port(), "GET", "/api/fx/operator", {{"Authorization", "Bearer anything"}});
    CHECK(r.status == 401);
    CHECK(wt::contains(r.body, "\"error\":\"operator-required\""));
    CHECK(wt::http(server.port(), "GET", "/api/fx/operator", {{"Authorization", server.bearer()}}).status == 401);
}

TEST_CASE("secrets are back-filled without rotating, and an unsafe file is refused", "[integration][http][security]") {
    wt::TempDir home;
    wt::writeFile(home / "secrets.json", R"({"partnerToken":"keep-me","shareSecret":"keep-this-too","extra":1})");
    {
        auto server = fixtureServer(home.path());
        CHECK(server.token() == "keep-me");
        CHECK(server.secret("shareSecret") == "keep-this-too");
        CHECK(server.secret("supportChannelSecret").size() == 43);
        CHECK(wt::jsonField(home / "secrets.json", "extra") == "1");
        CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Authorization", "Bearer keep-me"}}).status == 200);
        struct stat st {};
        ::stat((home / "secrets.json").c_str(), &st);
        CHECK((st.st_mode & 0777) == 0600);
    }
    ::chmod((home / "secrets.json").c_str(), 0644);
    auto loose = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", "0"});
    CHECK(loose.code == 1);
    CHECK(loose.err == "wildws: " + home / "secrets.json" +
                           " is readable or writable by others (mode 0644) - run: chmod 600 " + home / "secrets.json" +
                           " (and consider rotating the secrets)\n");
    ::unlink((home / "secrets.json").c_str());
    wt::writeFile(home / "elsewhere.json", R"({"partnerToken":"a","shareSecret":"b","supportChannelSecret":"c"})");
    ::symlink((home / "elsewhere.json").c_str(), (home / "secrets.json").c_str());
    auto linked = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", "0"});
    CHECK(linked.code == 1);
    CHECK(linked.err == "wildws: " + home / "secrets.json" +
                            " is a symlink, so it may not be ours - replace it with a regular file\n");
    ::unlink((home / "secrets.json").c_str());
    wt::writeFile(home / "secrets.json", "{not json");
    auto corrupt = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "serve", "--port", "0"});
    CHECK(corrupt.code == 1);
    CHECK(wt::contains(corrupt.err, "secrets.json is not valid JSON - fix it, or remove it to make new secrets"));
    CHECK(wt::readFile(home / "secrets.json") == "{not json"); // never overwritten
}

TEST_CASE("secret environment overrides win over secrets.json", "[integration][http][security]") {
    wt::TempDir home;
    wt::RunOptions env;
    env.env["WILD_WORKSPACE_SUPPORT_SECRET"] = "support-secret-from-env";
    auto server = fixtureServer(home.path(), {}, env);
    auto fromEnv = wt::http(server.port(), "POST", "/api/fx/support", {{"x-support-secret", "support-secret-from-env"}});
    CHECK(fromEnv.status == 200);
    auto fromFile = wt::http(server.port(), "POST", "/api/fx/support",
                             {{"x-support-secret", server.secret("supportChannelSecret")}});
    CHECK(fromFile.status == 403);
    // The file still gets its own value: the override is never written to disk.
    CHECK(server.secret("supportChannelSecret") != "support-secret-from-env");
}
