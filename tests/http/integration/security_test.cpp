// Security checks of the real server: Host allowlist, owner auth, login
// codes, cookies, CSRF, the support-channel gate, forwarding headers.
#include "http_fixture.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("owner routes need the bearer token or a session cookie", "[integration][http][security]") {
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

TEST_CASE("a login code works once, expires, and mints a signed cookie that cannot be forged", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto open = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "open"});
    REQUIRE(open.code == 0);
    auto url = wt::lines(open.out).at(0);
    REQUIRE(url.rfind("http://127.0.0.1:" + std::to_string(server.port()) + "/login?code=", 0) == 0);
    auto path = url.substr(url.find("/login"));

    auto login = wt::http(server.port(), "GET", path);
    CHECK(login.status == 302);
    CHECK(login.header("Location") == std::optional<std::string>("/"));
    auto setCookie = login.header("Set-Cookie").value_or("");
    CHECK(wt::contains(setCookie, "HttpOnly"));
    CHECK(wt::contains(setCookie, "SameSite=Strict"));
    auto cookie = setCookie.substr(0, setCookie.find(';'));
    auto withCookie = wt::http(server.port(), "GET", "/api/fx/caller", {{"Cookie", cookie}});
    CHECK(withCookie.status == 200);
    CHECK(wt::contains(withCookie.body, R"("via":"cookie")"));

    auto again = wt::http(server.port(), "GET", path);
    CHECK(again.status == 401);
    CHECK(wt::contains(again.body, "This login link was already used. Run <code>wildws open</code> for a new one."));
    CHECK(wt::contains(wt::http(server.port(), "GET", "/login?code=made-up").body, "This login link is not valid."));

    // An expired code: rewrite its expiry in the past.
    auto second = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "open"});
    auto secondPath = wt::lines(second.out).at(0).substr(wt::lines(second.out).at(0).find("/login"));
    for (auto& e : std::filesystem::directory_iterator(home / "login-codes"))
        if (e.path().extension() != ".used") wt::writeFile(e.path().string(), "1000\n");
    auto expired = wt::http(server.port(), "GET", secondPath);
    CHECK(expired.status == 401);
    CHECK(wt::contains(expired.body, "This login link has expired."));

    // Forged cookies: another signature, an edited expiry, garbage.
    auto value = cookie.substr(cookie.find('=') + 1);
    auto sig = value.substr(value.rfind('.') + 1);
    std::string flipped = value.substr(0, value.rfind('.') + 1) + (sig[0] == 'a' ? "b" : "a") + sig.substr(1);
    std::string extended = "v1.99999999999999." + sig;
    for (auto& forged : {flipped, extended, std::string("v1.1.abc"), std::string("garbage"), std::string("")}) {
        INFO("cookie " << forged);
        CHECK(wt::http(server.port(), "GET", "/api/fx/caller", {{"Cookie", "wildws_session=" + forged}}).status == 401);
    }
}

TEST_CASE("state-changing cookie requests need a loopback Origin and a JSON body", "[integration][http][security]") {
    wt::TempDir home;
    auto server = fixtureServer(home.path());
    auto open = wt::wildws(home.path(), {"--plugins-dir", fixturePlugins(), "open"});
    auto url = wt::lines(open.out).at(0);
    auto login = wt::http(server.port(), "GET", url.substr(url.find("/login")));
    auto cookie = login.header("Set-Cookie").value_or("");
    cookie = cookie.substr(0, cookie.find(';'));
    std::string self = "http://127.0.0.1:" + std::to_string(server.port());
    struct Case {
        wt::Headers headers;
        int status;
        std::string code;
    };
    std::vector<Case> cases{
        {{{"Origin", "https://evil.com"}, {"Content-Type", "application/json"}}, 403, "cross-origin"},
        {{{"Origin", "null"}, {"Content-Type", "application/json"}}, 403, "cross-origin"},
        {{{"Origin", "http://localhost:1"}, {"Content-Type", "application/json"}}, 403, "cross-origin"},
        {{{"Content-Type", "application/json"}}, 403, "csrf"},
        {{{"Origin", self}, {"Content-Type", "text/plain"}}, 415, "json-required"},
        {{{"Origin", self}, {"Content-Type", "text/plain; application/json"}}, 415, "json-required"},
        {{{"Origin", self}, {"Content-Type", "application/x-www-form-urlencoded"}}, 415, "json-required"},
        {{{"Origin", self}}, 415, "json-required"},
        {{{"Origin", self}, {"Content-Type", "application/json"}, {"Sec-Fetch-Site", "cross-site"}}, 403, "cross-origin"},
        {{{"Origin", self}, {"Content-Type", "application/json; charset=utf-8"}}, 200, ""},
        {{{"Origin", "http://localhost:" + std::to_string(server.port())}, {"Content-Type", "Application/JSON"}}, 200, ""},
    };
    for (auto& c : cases) {
        auto headers = c.headers;
        headers.emplace_back("Cookie", cookie);
        auto r = wt::http(server.port(), "POST", "/api/fx/echo", headers, "{\"a\":1}");
        std::string shown;
        for (auto& [k, v] : c.headers) shown += k + ": " + v + "; ";
        INFO(shown);
        CHECK(r.status == c.status);
        if (!c.code.empty()) CHECK(wt::contains(r.body, "\"error\":\"" + c.code + "\""));
    }
    // A bearer token needs no Origin, but a foreign Origin is refused even then.
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo", {{"Authorization", server.bearer()}}, "x").status == 200);
    CHECK(wt::http(server.port(), "POST", "/api/fx/echo",
                   {{"Authorization", server.bearer()}, {"Origin", "https://evil.com"}}, "x").status == 403);
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
