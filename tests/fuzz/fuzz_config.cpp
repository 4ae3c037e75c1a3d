// The config parser: wildws.ini text (through a real file, as the host reads
// it), `--set` overrides and the WILD_WORKSPACE_SET environment form.
#include "app/config_store.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace wildws::host;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    static const std::string path = "/tmp/wildws-fuzz-config-" + std::to_string(::getpid()) + ".ini";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
    }
    try {
        ConfigStore store(path, true, {}, {});
        for (auto section : {"serve", "daemon", "plugin.agent"}) {
            for (auto& key : store.keys(section)) (void)store.get(std::string(section) + "." + key);
            auto c = store.section(section);
        }
    } catch (const std::exception&) {
    }
    try {
        (void)ConfigStore::parseOverride(text, "--set");
    } catch (const std::exception&) {
    }
    try {
        (void)ConfigStore::parseEnvironment(text.c_str());
    } catch (const std::exception&) {
    }
    return 0;
}
