#include "gemini_signin.hpp"

#include "gemini_parser.hpp"
#include "json.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wildws::gemini {
namespace {

std::optional<std::string> readSmallFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// gemini's settings allow // and /* */ comments (strip-json-comments).
std::string withoutComments(const std::string& text) {
    std::string out;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) out += text[++i];
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
            out += c;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
            while (i < text.size() && text[i] != '\n') ++i;
            out += '\n';
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            auto end = text.find("*/", i + 2);
            i = end == std::string::npos ? text.size() : end + 1;
        } else {
            out += c;
        }
    }
    return out;
}

/// security.auth.selectedType (or the older top-level selectedAuthType);
/// nullopt when the file is missing; "" when it selects nothing.
std::optional<std::string> selectedType(const std::string& path, std::string& problem) {
    auto text = readSmallFile(path);
    if (!text) return std::nullopt;
    auto root = json::parseObject(withoutComments(*text));
    if (!root) {
        problem = path + " is not valid JSON";
        return std::string();
    }
    try {
        if (root->has("security")) {
            auto security = root->getObject("security");
            if (security && security->has("auth")) {
                auto auth = security->getObject("auth");
                std::string t = json::str(auth, "selectedType");
                if (!t.empty()) return t;
            }
        }
    } catch (const std::exception&) {
    }
    return json::str(root, "selectedAuthType");
}

/// NAME=value lines of a .env file (gemini reads ~/.gemini/.env, then ~/.env).
std::map<std::string, std::string> dotEnv(const std::string& path) {
    std::map<std::string, std::string> vars;
    auto text = readSmallFile(path);
    if (!text) return vars;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
        auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        line = line.substr(start);
        if (line.rfind("export ", 0) == 0) line = line.substr(7);
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string name = line.substr(0, eq), value = line.substr(eq + 1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
        if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0])
            value = value.substr(1, value.size() - 2);
        if (!name.empty()) vars.emplace(name, value);
    }
    return vars;
}

AgentSigninStatus signedIn(std::string method) {
    AgentSigninStatus s;
    s.state = SigninState::SignedIn;
    s.method = std::move(method);
    return s;
}

AgentSigninStatus signedOut(std::string how) {
    AgentSigninStatus s;
    s.state = SigninState::SignedOut;
    s.how = std::move(how);
    return s;
}

AgentSigninStatus unknown(std::string why) {
    AgentSigninStatus s;
    s.how = std::move(why);
    return s;
}

} // namespace

SigninInputs SigninInputs::fromProcess() {
    SigninInputs in;
    in.env = [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    };
    std::string home = std::getenv("HOME") ? std::getenv("HOME") : "";
    const char* cliHome = std::getenv("GEMINI_CLI_HOME");
    in.home = cliHome && *cliHome ? cliHome : home;
    in.userHome = home;
    const char* sys = std::getenv("GEMINI_CLI_SYSTEM_SETTINGS_PATH");
    in.systemSettings = sys && *sys ? sys : "/etc/gemini-cli/settings.json";
    return in;
}

AgentSigninStatus geminiSigninStatus(const SigninInputs& in) {
    // The environment as gemini sees it: ours, then ~/.gemini/.env, then ~/.env
    // (gemini loads the first .env it finds; a variable already set wins).
    std::map<std::string, std::string> fileVars;
    std::string envFile;
    for (const std::string& path : {in.home + "/.gemini/.env", in.userHome + "/.env"}) {
        auto vars = dotEnv(path);
        if (!vars.empty()) {
            fileVars = std::move(vars);
            envFile = path;
            break;
        }
    }
    auto var = [&](const std::string& name) -> std::pair<std::string, std::string> {
        if (auto v = in.env(name); v && !v->empty()) return {*v, name};
        if (auto it = fileVars.find(name); it != fileVars.end() && !it->second.empty())
            return {it->second, name + " in " + envFile};
        return {"", ""};
    };

    std::string problem;
    std::string settingsPath = in.home + "/.gemini/settings.json";
    std::optional<std::string> type = selectedType(settingsPath, problem);
    if (!type || type->empty()) {
        std::string sysProblem;
        auto sys = selectedType(in.systemSettings, sysProblem);
        if (sys && !sys->empty()) type = sys;
        if (problem.empty()) problem = sysProblem;
    }
    if (!problem.empty() && (!type || type->empty()))
        return unknown("cannot tell whether Gemini CLI is signed in: " + problem);

    if (!type || type->empty()) {
        // gemini's getAuthTypeFromEnv(), in its order.
        if (var("GOOGLE_GENAI_USE_GCA").first == "true") type = "oauth-personal";
        else if (var("GOOGLE_GENAI_USE_VERTEXAI").first == "true") type = "vertex-ai";
        else if (auto [v, from] = var("GOOGLE_GEMINI_BASE_URL"); !v.empty()) return signedIn(from);
        else if (auto [key, keyFrom] = var("GEMINI_API_KEY"); !key.empty()) return signedIn(keyFrom);
        else if (var("CLOUD_SHELL").first == "true" || var("GEMINI_CLI_USE_COMPUTE_ADC").first == "true")
            return signedIn("Compute Engine credentials");
        else return signedOut(notSignedInLine());
    }

    const std::string& t = *type;
    if (t == "oauth-personal") {
        if (exists(in.home + "/.gemini/oauth_creds.json")) return signedIn("Google account");
        if (var("GEMINI_FORCE_ENCRYPTED_FILE_STORAGE").first == "true")
            return unknown("Gemini CLI keeps its Google sign-in in encrypted storage wildws cannot look into");
        return signedOut("Gemini CLI is set to sign in with Google but has no saved sign-in: run `gemini` once in "
                         "a terminal and sign in");
    }
    if (t == "gemini-api-key") {
        if (auto [key, from] = var("GEMINI_API_KEY"); !key.empty()) return signedIn(from);
        return unknown("Gemini CLI is set to use an API key; wildws cannot see whether one is saved in its keychain");
    }
    if (t == "vertex-ai") {
        if ((!var("GOOGLE_CLOUD_PROJECT").first.empty() && !var("GOOGLE_CLOUD_LOCATION").first.empty()))
            return signedIn("Vertex AI (GOOGLE_CLOUD_PROJECT)");
        if (auto [key, from] = var("GOOGLE_API_KEY"); !key.empty()) return signedIn("Vertex AI (" + from + ")");
        return signedOut("Gemini CLI is set to use Vertex AI: set GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION, or "
                         "GOOGLE_API_KEY, for wildws");
    }
    if (t == "compute-default-credentials" || t == "cloud-shell") return signedIn("Compute Engine credentials");
    if (t == "gateway") return signedIn("a gateway (GOOGLE_GEMINI_BASE_URL)");
    return unknown("Gemini CLI's settings select the sign-in method '" + json::validUtf8(t) + "', which wildws does not know");
}

AgentSigninStatus GeminiSignin::status() const {
    std::lock_guard lock(m_);
    auto now = std::chrono::steady_clock::now();
    if (!cached_ || now - at_ >= s_.signinCache) {
        try {
            cached_ = geminiSigninStatus(SigninInputs::fromProcess());
        } catch (const std::exception& e) {
            cached_ = unknown(std::string("cannot tell whether Gemini CLI is signed in: ") + e.what());
        }
        at_ = now;
    }
    return *cached_;
}

void GeminiSignin::refresh() {
    std::lock_guard lock(m_);
    cached_.reset();
}

AgentSigninLaunch GeminiSignin::login(const AgentDetection&) const {
    throw std::runtime_error("Gemini CLI has no sign-in command wildws can run: set GEMINI_API_KEY for wildws, or "
                             "run `gemini` once in a terminal and choose how to sign in");
}

} // namespace wildws::gemini
