// A third party's view: install the SDK, build examples/hello out of tree
// with only find_package(wildws-sdk), load it with --plugins-dir, run it.
#include "wildws_test.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

TEST_CASE("the example plugin builds out of tree against the installed SDK and runs", "[integration][example]") {
    wt::TempDir work;
    auto prefix = work / "prefix";
    auto install = wt::run({"/usr/bin/cmake", "--install", WILDWS_BINARY_DIR, "--prefix", prefix},
                           {{}, {}, "", "", std::chrono::milliseconds(120000)});
    INFO(install.out << install.err);
    REQUIRE(install.code == 0);
    REQUIRE(wt::contains(wt::readFile(prefix + "/lib/cmake/wildws-sdk/wildws-sdkConfig.cmake"), "wildws_add_plugin"));

    auto build = work / "build";
    auto configure = wt::run({"/usr/bin/cmake", "-S", std::string(WILDWS_SOURCE_DIR) + "/examples/hello", "-B", build,
                              "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release"},
                             {{}, {}, "", "", std::chrono::milliseconds(120000)});
    INFO(configure.out << configure.err);
    REQUIRE(configure.code == 0);
    auto compile = wt::run({"/usr/bin/cmake", "--build", build}, {{}, {}, "", "", std::chrono::milliseconds(240000)});
    INFO(compile.out << compile.err);
    REQUIRE(compile.code == 0);

    // Run it with the INSTALLED wildws, as a user would.
    auto plugins = build + "/plugins";
    auto r = wt::run({prefix + "/bin/wildws", "--home", work / "home", "--plugins-dir", plugins, "hello", "greet",
                      "--name", "third party"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out == "hello, third party!\n");
    auto list = wt::run({prefix + "/bin/wildws", "--home", work / "home", "--plugins-dir", plugins, "plugins"});
    CHECK(wt::contains(list.out, "hello  loaded  1.0.0    " + plugins + "/wildws-hello.so"));

    // Only the two handshake symbols are exported (hidden visibility).
    auto symbols = wt::run({"/usr/bin/nm", "-D", "--defined-only", plugins + "/wildws-hello.so"});
    std::vector<std::string> exported;
    for (auto& line : wt::lines(symbols.out))
        if (line.find(" T ") != std::string::npos || line.find(" R ") != std::string::npos ||
            line.find(" D ") != std::string::npos || line.find(" B ") != std::string::npos)
            exported.push_back(line.substr(line.rfind(' ') + 1));
    std::sort(exported.begin(), exported.end());
    CHECK(exported == std::vector<std::string>{"wildws_abi_version", "wildws_create_plugin"});
}
