// A trivial plugin that takes its name from its own file name, so the
// benchmark can copy one build to wildws-bench001.so ... wildws-bench100.so.
#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

#include <dlfcn.h>

#include <string>

namespace {

std::string ownName() {
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void*>(&ownName), &info) || !info.dli_fname) return "benchtrivial";
    std::string file = info.dli_fname;
    file = file.substr(file.rfind('/') + 1);                   // wildws-bench042.so
    return file.substr(7, file.size() - 7 - 3);                // bench042
}

class Trivial : public wildws::Plugin {
public:
    wildws::PluginInfo info() const override { return {ownName(), "1.0.0", "benchmark plugin"}; }
    void setup(wildws::Context& ctx) override {
        auto name = ownName();
        ctx.command({name + " hello", "say hello", {}, {}, [](wildws::Invocation& inv) {
                         inv.out() << "hello\n";
                         return 0;
                     }});
    }
};

} // namespace

WILDWS_PLUGIN(Trivial)
