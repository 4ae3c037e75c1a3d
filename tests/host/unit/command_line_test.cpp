#include "cli/command_line.hpp"
#include "cli/global_options.hpp"
#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"

#include <catch2/catch.hpp>

using namespace wildws;
using namespace wildws::host;

namespace {

Registry sampleRegistry() {
    Registry r;
    Contributions c;
    auto add = [&](const std::string& owner, CommandSpec spec) { c.commands.push_back({owner, std::move(spec)}); };
    add("consent", {"support allow", "grant",
                    {{"tier", "N", "tier", {}}, {"minutes", "M", "minutes", {}}, {"yes", "", "confirm", {}}},
                    {}, [](Invocation&) { return 0; }});
    add("consent", {"support status", "status", {{"json", "", "json", {}}}, {}, [](Invocation&) { return 0; }});
    add("agent", {"agent run", "run", {{"mode", "MODE", "mode", {"plan", "build"}}},
                  {{"PROMPT", "prompt", true, true}}, [](Invocation&) { return 0; }});
    r.commit(std::move(c));
    return r;
}

std::string usageMessage(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

ParsedCommand parse(const Registry& r, const std::vector<std::string>& args) {
    std::size_t used = 0;
    auto& entry = resolveCommand(r, args, used);
    return parseCommand(entry, args, used);
}

} // namespace

TEST_CASE("the longest command name wins and options parse in both spellings", "[unit][cli]") {
    auto r = sampleRegistry();
    auto p = parse(r, {"support", "allow", "--tier", "3", "--minutes=30", "--yes"});
    CHECK(p.entry->spec.name == "support allow");
    CHECK(p.values.at("tier") == "3");
    CHECK(p.values.at("minutes") == "30");
    CHECK(p.values.count("yes") == 1);
}

TEST_CASE("an unknown command suggests the closest one", "[unit][cli]") {
    auto r = sampleRegistry();
    CHECK(usageMessage([&] { parse(r, {"suport", "allow"}); }) ==
          "unknown command 'suport'. Did you mean 'support'? Run 'wildws --help' for the list.");
    CHECK(usageMessage([&] { parse(r, {"zzzzzz"}); }) == "unknown command 'zzzzzz'. Run 'wildws --help' for the list.");
}

TEST_CASE("a group without a sub-command lists its sub-commands", "[unit][cli]") {
    auto r = sampleRegistry();
    CHECK(usageMessage([&] { parse(r, {"support"}); }) ==
          "'support' needs a sub-command: allow, status (see: wildws help support)");
    CHECK(usageMessage([&] { parse(r, {"support", "alow"}); }) ==
          "unknown command 'support alow'. Did you mean 'support allow'? Commands under 'support': allow, status");
}

TEST_CASE("unknown flags, missing values and bad choices are refused with a hint", "[unit][cli]") {
    auto r = sampleRegistry();
    CHECK(usageMessage([&] { parse(r, {"support", "allow", "--teir", "2"}); }) ==
          "support allow: unknown option '--teir'. Did you mean '--tier'? (see: wildws help support allow)");
    CHECK(usageMessage([&] { parse(r, {"support", "allow", "--tier"}); }) ==
          "support allow: option '--tier' needs a value (N): tier (see: wildws help support allow)");
    CHECK(usageMessage([&] { parse(r, {"support", "allow", "--tier", "--yes"}); }) ==
          "support allow: option '--tier' needs a value (N): tier (see: wildws help support allow)");
    CHECK(usageMessage([&] { parse(r, {"support", "allow", "--yes=1"}); }) ==
          "support allow: option '--yes' takes no value");
    CHECK(usageMessage([&] { parse(r, {"agent", "run", "--mode", "fast", "x"}); }) ==
          "agent run: --mode must be one of: plan, build (got 'fast')");
    CHECK(usageMessage([&] { parse(r, {"support", "status", "extra"}); }) ==
          "support status: unexpected argument 'extra' (see: wildws help support status)");
    CHECK(usageMessage([&] { parse(r, {"agent", "run"}); }) == "agent run: missing PROMPT (see: wildws help agent run)");
    CHECK(usageMessage([&] { parse(r, {"support", "allow", "-t", "2"}); }) ==
          "support allow: unknown option '-t' (options are spelled --name; put '--' before an argument that starts "
          "with '-') (see: wildws help support allow)");
}

TEST_CASE("a rest positional keeps quotes and takes leading dashes after --", "[unit][cli]") {
    auto r = sampleRegistry();
    auto p = parse(r, {"agent", "run", "--mode", "plan", "--", "--fix", "it \"now\""});
    CHECK(p.positionals.at("PROMPT") == "--fix it \"now\"");
    CHECK(p.values.at("mode") == "plan");
}

TEST_CASE("global options are taken out wherever they stand", "[unit][cli]") {
    auto g = extractGlobalOptions({"--home", "/h", "support", "allow", "--plugins-dir=/a", "--plugins-dir", "/b",
                                   "--tier", "2", "--set", "serve.port=1"});
    CHECK(g.home == "/h");
    CHECK(g.pluginDirs == std::vector<std::string>{"/a", "/b"});
    CHECK(g.sets == std::vector<std::string>{"serve.port=1"});
    CHECK(g.rest == std::vector<std::string>{"support", "allow", "--tier", "2"});
    CHECK(usageMessage([] { extractGlobalOptions({"plugins", "--home"}); }) == "option '--home' needs a value (DIR)");
    auto afterDashes = extractGlobalOptions({"agent", "run", "--", "--home"});
    CHECK(afterDashes.home.empty());
}

TEST_CASE("suggestions need to be close", "[unit][cli]") {
    CHECK(closest("plugns", {"plugins", "help"}) == std::optional<std::string>("plugins"));
    CHECK(closest("sup", {"support", "plugins"}) == std::optional<std::string>("support"));
    CHECK_FALSE(closest("xyz", {"support", "plugins"}).has_value());
}
