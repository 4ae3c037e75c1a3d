// Gemini's sign-in status from its settings, .env files and environment,
// as gemini 0.61.0 decides it (no process started).
#include "gemini_parser.hpp"
#include "gemini_signin.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using wildws::SigninState;
using wildws::gemini::geminiSigninStatus;
using wildws::gemini::SigninInputs;

namespace {

struct Env {
    wt::TempDir dir;
    std::map<std::string, std::string> vars;
    SigninInputs inputs() {
        SigninInputs in;
        in.env = [this](const std::string& n) -> std::optional<std::string> {
            auto it = vars.find(n);
            if (it == vars.end()) return std::nullopt;
            return it->second;
        };
        in.home = dir.path();
        in.userHome = dir.path();
        in.systemSettings = dir / "system-settings.json";
        return in;
    }
    void settings(const std::string& json) {
        ::mkdir((dir / ".gemini").c_str(), 0700);
        wt::writeFile(dir / ".gemini/settings.json", json);
    }
};

} // namespace

TEST_CASE("gemini with nothing set is signed out with gemini's own advice", "[gemini][signin]") {
    Env e;
    auto s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedOut);
    CHECK(s.how == wildws::gemini::notSignedInLine());
}

TEST_CASE("gemini signed in through an environment variable, never showing its value", "[gemini][signin]") {
    Env e;
    e.vars["GEMINI_API_KEY"] = "AIza-secret-value";
    auto s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedIn);
    CHECK(s.method == "GEMINI_API_KEY");
    CHECK(s.how.find("AIza") == std::string::npos);

    Env gca;
    gca.vars["GOOGLE_GENAI_USE_GCA"] = "true";
    gca.settings("{}");
    wt::writeFile(gca.dir / ".gemini/oauth_creds.json", "{}");
    CHECK(geminiSigninStatus(gca.inputs()).state == SigninState::SignedIn);

    Env empty;
    empty.vars["GEMINI_API_KEY"] = "";
    CHECK(geminiSigninStatus(empty.inputs()).state == SigninState::SignedOut);
}

TEST_CASE("gemini reads GEMINI_API_KEY from ~/.gemini/.env or ~/.env as gemini does", "[gemini][signin]") {
    Env e;
    wt::writeFile(e.dir / ".env", "# mine\nexport GEMINI_API_KEY=\"abc\"\n");
    auto s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedIn);
    CHECK(s.method == "GEMINI_API_KEY in " + e.dir.path() + "/.env");
}

TEST_CASE("gemini's selected Google sign-in counts only with saved credentials", "[gemini][signin]") {
    Env e;
    e.settings(R"({
      // gemini allows comments
      "security": {"auth": {"selectedType": "oauth-personal"}} /* here too */
    })");
    auto s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedOut);
    CHECK(s.how.find("run `gemini` once in a terminal and sign in") != std::string::npos);
    wt::writeFile(e.dir / ".gemini/oauth_creds.json", "{}");
    s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedIn);
    CHECK(s.method == "Google account");
}

TEST_CASE("gemini's Vertex AI needs a project and location or an API key", "[gemini][signin]") {
    Env e;
    e.settings(R"({"security":{"auth":{"selectedType":"vertex-ai"}}})");
    auto s = geminiSigninStatus(e.inputs());
    CHECK(s.state == SigninState::SignedOut);
    CHECK(s.how.find("GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION") != std::string::npos);
    e.vars["GOOGLE_CLOUD_PROJECT"] = "p";
    e.vars["GOOGLE_CLOUD_LOCATION"] = "us-central1";
    CHECK(geminiSigninStatus(e.inputs()).state == SigninState::SignedIn);
}

TEST_CASE("gemini's API-key method without the variable, and odd settings, are unknown", "[gemini][signin]") {
    Env key;
    key.settings(R"({"security":{"auth":{"selectedType":"gemini-api-key"}}})");
    CHECK(geminiSigninStatus(key.inputs()).state == SigninState::Unknown);

    Env odd;
    odd.settings(R"({"security":{"auth":{"selectedType":"carrier-pigeon"}}})");
    auto s = geminiSigninStatus(odd.inputs());
    CHECK(s.state == SigninState::Unknown);
    CHECK(s.how.find("carrier-pigeon") != std::string::npos);

    Env broken;
    broken.settings("{not json");
    s = geminiSigninStatus(broken.inputs());
    CHECK(s.state == SigninState::Unknown);
    CHECK(s.how == "cannot tell whether Gemini CLI is signed in: " + broken.dir.path() + "/.gemini/settings.json is not valid JSON");
}

TEST_CASE("gemini's system settings and the old selectedAuthType key count too", "[gemini][signin]") {
    Env e;
    wt::writeFile(e.dir / "system-settings.json", R"({"security":{"auth":{"selectedType":"compute-default-credentials"}}})");
    CHECK(geminiSigninStatus(e.inputs()).state == SigninState::SignedIn);

    Env old;
    old.settings(R"({"selectedAuthType":"oauth-personal"})");
    CHECK(geminiSigninStatus(old.inputs()).state == SigninState::SignedOut);
}

TEST_CASE("gemini has no sign-in command: login says what to do instead", "[gemini][signin]") {
    wildws::gemini::GeminiSignin signin({});
    wildws::AgentDetection d;
    d.found = true;
    d.path = "/usr/bin/gemini";
    try {
        signin.login(d);
        FAIL("login() should throw");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "Gemini CLI has no sign-in command wildws can run: set GEMINI_API_KEY for "
                                       "wildws, or run `gemini` once in a terminal and choose how to sign in");
    }
}
