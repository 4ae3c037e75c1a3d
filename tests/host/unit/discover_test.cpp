// Which files in a plugin directory are plugins: wildws-<name>.so, name in
// [a-z0-9_-]+, and nothing else.
#include "plugins/plugin_host.hpp"

#include "wildws_test.hpp"

#include <catch2/catch.hpp>

TEST_CASE("discover takes wildws-NAME.so and nothing else", "[unit][loader]") {
    wt::TempDir dir;
    for (const char* f : {"wildws-ok.so", "wildws-x_y-2.so", "wildws-.so", "wildws-Bad.so", "wildws-a.so.1", "xwildws-a.so",
                          "wildws-a b.so", "wildws-a.so.bak", "wildws-a.SO", "wildws.so", "libwildws-a.so", "wildws-a.b.so"})
        wt::writeFile(dir / f, "");
    std::vector<std::string> names, files;
    for (auto& found : wildws::host::PluginHost::discover({dir.path()})) {
        names.push_back(found.name);
        files.push_back(found.file);
        CHECK(found.dir == dir.path());
    }
    CHECK(names == std::vector<std::string>{"ok", "x_y-2"});
    CHECK(files == std::vector<std::string>{dir / "wildws-ok.so", dir / "wildws-x_y-2.so"});
}
