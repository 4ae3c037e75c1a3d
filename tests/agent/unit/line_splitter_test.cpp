// LineSplitter: lines across reads, CRLF, a last line without '\n', and
// over-long lines skipped without unbounded growth.
#include "line_splitter.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using wildws::agent::LineSplitter;

namespace {

std::vector<std::string> feedAll(LineSplitter& s, const std::vector<std::string>& pieces) {
    std::vector<std::string> out;
    auto on = [&](std::string_view l) { out.emplace_back(l); };
    for (auto& p : pieces) s.feed(p.data(), p.size(), on);
    s.finish(on);
    return out;
}

} // namespace

TEST_CASE("lines are split across reads, CRLF trimmed, the last partial line kept", "[lines]") {
    LineSplitter s(1024);
    auto lines = feedAll(s, {"one\ntw", "o\r\nthr", "ee\n\nfour"});
    CHECK(lines == std::vector<std::string>{"one", "two", "three", "", "four"});
    CHECK(s.skipped() == 0);
}

TEST_CASE("a line longer than the limit is skipped and counted, the next one kept", "[lines]") {
    LineSplitter s(8);
    std::string longLine(20, 'x');
    auto lines = feedAll(s, {"ok\n" + longLine.substr(0, 10), longLine.substr(10) + "\nafter\n", std::string(9, 'y') + "\nend"});
    CHECK(lines == std::vector<std::string>{"ok", "after", "end"});
    CHECK(s.skipped() == 2);
}
