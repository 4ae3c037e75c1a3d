// Whether gemini can sign in headless, told the way gemini itself tells it
// (gemini-cli validateNonInteractiveAuth + getAuthTypeFromEnv, 0.61.0):
// the auth type selected in its settings (security.auth.selectedType in
// ${GEMINI_CLI_HOME:-$HOME}/.gemini/settings.json, or the system settings),
// else the environment (GOOGLE_GENAI_USE_GCA, GOOGLE_GENAI_USE_VERTEXAI,
// GOOGLE_GEMINI_BASE_URL, GEMINI_API_KEY, CLOUD_SHELL,
// GEMINI_CLI_USE_COMPUTE_ADC), including ~/.gemini/.env and ~/.env. No
// process is started. A project's own .env is not looked at (it depends on
// the working directory): such a project is reported signed out.
#pragma once

#include "settings.hpp"

#include <wildws/services/agent_signin.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wildws::gemini {

/// The environment and files looked at; injectable for tests.
struct SigninInputs {
    std::function<std::optional<std::string>(const std::string&)> env; // getenv
    std::string home;          // $GEMINI_CLI_HOME or $HOME
    std::string userHome;      // $HOME (for ~/.env)
    std::string systemSettings; // $GEMINI_CLI_SYSTEM_SETTINGS_PATH or /etc/gemini-cli/settings.json
    static SigninInputs fromProcess();
};

AgentSigninStatus geminiSigninStatus(const SigninInputs& in);

class GeminiSignin : public AgentSignin {
public:
    explicit GeminiSignin(GeminiSettings s) : s_(std::move(s)) {}
    AgentSigninStatus status() const override;
    std::optional<AgentSigninStatus> knownStatus() const override { return status(); } // files only: cheap
    void refresh() override;
    /// gemini has no sign-in command: throws with what to do instead.
    AgentSigninLaunch login(const AgentDetection& found) const override;

private:
    GeminiSettings s_;
    mutable std::mutex m_;
    mutable std::optional<AgentSigninStatus> cached_;
    mutable std::chrono::steady_clock::time_point at_;
};

} // namespace wildws::gemini
