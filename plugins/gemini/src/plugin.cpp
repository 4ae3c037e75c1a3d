// The gemini plugin: a Gemini CLI backend that ships on its own. It is built
// only against the installed SDK (find_package(wildws-sdk) and Poco for
// JSON); it provides an AgentBackend and an AgentSignin under the name
// "gemini", and the agent plugin, which finds backends through the service
// registry, does the spawning, the chat API and the CLI.
#include "gemini_backend.hpp"
#include "gemini_signin.hpp"
#include "settings.hpp"

#include <wildws/context.hpp>
#include <wildws/plugin.hpp>

namespace wildws::gemini {

class GeminiPlugin : public Plugin {
public:
    PluginInfo info() const override {
        PluginInfo info{"gemini", "0.1.0", "a Gemini CLI backend for the agent plugin (gemini -p, stream-json)"};
        info.configKeys = {
            {"gemini_path", "", "the gemini executable (default: PATH, then the usual install places)"},
            {"gemini_args", "", "more arguments for every run: a JSON array of strings, or words"},
            {"build_approval_mode", "auto_edit", "build mode's --approval-mode: default, auto_edit or yolo"},
            {"skip_trust", "false", "pass --skip-trust: gemini trusts every working directory"},
            {"detect_cache_seconds", "30", "how long a detection is reused"},
            {"signin_cache_seconds", "30", "how long a sign-in status is reused"},
        };
        return info;
    }

    void setup(Context& ctx) override {
        GeminiSettings settings = readSettings(ctx.config());
        ctx.provide<AgentBackend>(std::make_shared<GeminiBackend>(settings), "gemini");
        ctx.provide<AgentSignin>(std::make_shared<GeminiSignin>(settings), "gemini");
    }
};

} // namespace wildws::gemini

WILDWS_PLUGIN(wildws::gemini::GeminiPlugin)
