// Which first-party plugin provides which command, known without opening
// any plugin. Why a list compiled into the host rather than a manifest file
// cached next to each plugin: a cache would have to be written by a
// read-only command (or by the install, which third parties do not run), it
// can go stale, and it is one more file to trust. The first-party plugins
// ship with this binary, so the host can know their commands; a test loads
// them all and checks this list against what they really register.
// Third-party plugins are not listed: their commands are known only once
// they are loaded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wildws::host {

/// The first-party plugin whose commands start with the word `word`
/// ("support" -> "consent"); nullopt when none does.
std::optional<std::string> firstPartyCommandOwner(const std::string& word);

/// The first-party plugin that provides `command` (its full name, "support
/// answer" -> "support_api"): the few listed apart, else by the first word.
std::optional<std::string> firstPartyOwnerOf(const std::string& command);

/// Commands that need nothing but their own plugin and the host's services,
/// so that a one-shot run opens and sets up only that plugin (cold start).
/// nullopt when `command` (full name, "support status") is not one of them.
std::optional<std::string> standaloneCommandOwner(const std::string& command);

/// Plugins a standalone command also sets up when they are installed and
/// have a key in their `[plugin.NAME]` section (`configured(name)`), because
/// its report includes what they provide (`support status` shows the relay's
/// connection). A companion with no key set has nothing to report (the relay
/// is off until `url` is set) and opening it is most of the command's start
/// (the relay maps NATS, OpenSSL and Poco Util), so it is left closed; any
/// key, even a typo, opens it, so its warnings still show. Empty for most
/// commands.
std::vector<std::string> standaloneCompanions(const std::string& command,
                                              const std::function<bool(const std::string&)>& configured);

} // namespace wildws::host
