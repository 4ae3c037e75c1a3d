// A sign-in's terminal output -> url / prompt / output events.
#include "login_output.hpp"

#include <catch2/catch.hpp>

using wildws::agent::LoginEvent;
using wildws::agent::LoginOutput;

namespace {

std::vector<LoginEvent> run(const std::vector<std::string>& pieces, bool finish = true) {
    LoginOutput p;
    std::vector<LoginEvent> out;
    for (auto& piece : pieces) p.feed(piece, out);
    if (finish) p.finish(out);
    return out;
}

} // namespace

TEST_CASE("the link inside an OSC 8 hyperlink and colour escapes is the url event", "[signin][output]") {
    auto out = run({"Opening browser to sign in\xE2\x80\xA6\r\n",
                    "If the browser didn't open, visit: \x1b[36m\x1b]8;;https://claude.com/oauth?state=a%2Fb\x1b\\this "
                    "link\x1b]8;;\x1b\\\x1b[39m\r\n"});
    REQUIRE(out.size() == 3);
    CHECK(out[0].type == "output");
    CHECK(out[0].text == "Opening browser to sign in\xE2\x80\xA6");
    CHECK(out[1].type == "url");
    CHECK(out[1].text == "https://claude.com/oauth?state=a%2Fb");
    CHECK(out[2].type == "output");
    CHECK(out[2].text == "If the browser didn't open, visit: this link");
}

TEST_CASE("an OSC 8 link ended by BEL, and one split across reads, are found", "[signin][output]") {
    auto out = run({"\x1b]8;id=1;https://example.com/a\x07go\x1b]8;;\x07\n"});
    REQUIRE(out.at(0).type == "url");
    CHECK(out[0].text == "https://example.com/a");
    out = run({"x \x1b]8;;https://exa", "mple.com/split\x1b", "\\y\x1b]8;;\x1b\\\n"});
    REQUIRE(out.at(0).type == "url");
    CHECK(out[0].text == "https://example.com/split");
    CHECK(out[1].text == "x y");
}

TEST_CASE("a plain https link is a url event once, a localhost callback never", "[signin][output]") {
    auto out = run({"Starting local login server on http://localhost:1455.\n",
                    "navigate to this URL:\n\nhttps://auth.openai.com/oauth/authorize?a=1&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455.\n",
                    "again: https://auth.openai.com/oauth/authorize?a=1&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455\n",
                    "https://localhost:1455/cb https://127.0.0.1/x\n"});
    std::vector<std::string> urls;
    for (auto& e : out)
        if (e.type == "url") urls.push_back(e.text);
    CHECK(urls == std::vector<std::string>{
                      "https://auth.openai.com/oauth/authorize?a=1&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455"});
}

TEST_CASE("an unfinished line asking for a code is a prompt, said once", "[signin][output]") {
    LoginOutput p;
    std::vector<LoginEvent> out;
    p.feed("Paste code here if prompted > ", out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].type == "prompt");
    CHECK(out[0].text == "Paste code here if prompted");
    p.feed("", out);
    CHECK(out.size() == 1);
    p.feed("GOOD-CODE\r\nLogin successful.\r\n", out);
    REQUIRE(out.size() == 3);
    CHECK(out[1].text == "Paste code here if prompted > GOOD-CODE");
    CHECK(out[2].text == "Login successful.");
}

TEST_CASE("text that merely mentions a code is not a prompt", "[signin][output]") {
    auto out = run({"Exit code 0\n", "Checking the code of conduct"}, false);
    for (auto& e : out) CHECK(e.type != "prompt");
}

TEST_CASE("control characters and other escapes are stripped from output", "[signin][output]") {
    auto out = run({"\x1b(B\x1b[2K\x1b[1Gdone\x07\x08!\tok\x7f\n", "\xFF bad\n"});
    REQUIRE(out.size() == 2);
    CHECK(out[0].text == "done! ok");
    CHECK(out[1].text == "\xEF\xBF\xBD bad");
}

TEST_CASE("only https links that are printable count as sign-in links", "[signin][output]") {
    CHECK(wildws::agent::signInLink("https://claude.com/x"));
    CHECK_FALSE(wildws::agent::signInLink("http://claude.com/x"));
    CHECK_FALSE(wildws::agent::signInLink("javascript:alert(1)"));
    CHECK_FALSE(wildws::agent::signInLink("https://localhost/x"));
    CHECK_FALSE(wildws::agent::signInLink("https://a.com/\x1b[0m"));
    CHECK_FALSE(wildws::agent::signInLink("https://"));
}
