#include "cli/global_options.hpp"

#include "cli/usage_error.hpp"

namespace wildws::host {
namespace {

struct ValueOption {
    const char* name;
    const char* valueName;
    const char* help;
};

const ValueOption kValueOptions[] = {
    {"--plugins-dir", "DIR", "load plugins from DIR (repeatable; default: next to the binary, then the install prefix)"},
    {"--home", "DIR", "state directory (default: $WILD_WORKSPACE_HOME, else ~/.wild-workspace)"},
    {"--config", "FILE", "config file (default: <home>/wildws.ini)"},
    {"--log-level", "LEVEL", "trace, debug, info, warn, error, critical or off (stderr; default warn)"},
    {"--set", "KEY=VALUE", "override one config value, e.g. --set serve.port=6000 (repeatable)"},
};

std::vector<std::string>* listFor(GlobalOptions& o, const std::string& name) {
    if (name == "--plugins-dir") return &o.pluginDirs;
    if (name == "--set") return &o.sets;
    return nullptr;
}

std::string* valueFor(GlobalOptions& o, const std::string& name) {
    if (name == "--home") return &o.home;
    if (name == "--config") return &o.config;
    if (name == "--log-level") return &o.logLevel;
    return nullptr;
}

} // namespace

GlobalOptions extractGlobalOptions(const std::vector<std::string>& args) {
    GlobalOptions o;
    bool afterDashDash = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (afterDashDash) {
            o.rest.push_back(a);
            continue;
        }
        if (a == "--") {
            afterDashDash = true;
            o.rest.push_back(a);
            continue;
        }
        if (a == "--help" || a == "-h") {
            o.help = true;
            continue;
        }
        if (a == "--version") {
            o.version = true;
            continue;
        }
        // Before the command it is global; after it, the command's own option.
        if (a == "--json" && o.rest.empty()) {
            o.json = true;
            continue;
        }
        bool taken = false;
        for (auto& opt : kValueOptions) {
            std::string name = opt.name;
            std::string value;
            if (a == name) {
                if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0)
                    throw UsageError("option '" + name + "' needs a value (" + opt.valueName + ")");
                value = args[++i];
            } else if (a.rfind(name + "=", 0) == 0) {
                value = a.substr(name.size() + 1);
                if (value.empty()) throw UsageError("option '" + name + "' needs a value (" + opt.valueName + ")");
            } else {
                continue;
            }
            if (auto* list = listFor(o, name)) list->push_back(value);
            else *valueFor(o, name) = value;
            taken = true;
            break;
        }
        if (!taken) o.rest.push_back(a);
    }
    return o;
}

std::string globalOptionsHelp() {
    std::string out;
    for (auto& opt : kValueOptions) {
        std::string left = std::string(opt.name) + " " + opt.valueName;
        out += "  " + left + std::string(left.size() < 24 ? 24 - left.size() : 1, ' ') + opt.help + "\n";
    }
    out += "  --json                  machine-readable output, where a command offers it\n";
    out += "  --help, -h              show help (for a command: wildws help COMMAND)\n";
    out += "  --version               print the version\n";
    return out;
}

} // namespace wildws::host
