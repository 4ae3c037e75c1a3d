// Log lines carry text from requests and child processes. Escaping it where
// every line passes (the host's sinks) means no caller, host or plugin, can
// forget: a CR/LF cannot start a forged line, an ESC cannot drive the
// terminal, a bidi control cannot reorder what the reader sees.
#pragma once

#include <string>
#include <string_view>

namespace wildws::host {

/// True when `text` holds anything escapeForLog would change.
bool needsLogEscape(std::string_view text);

/// `text` with every C0 control and DEL (\r \n \t as such, others \xNN),
/// every C1 control, U+2028/U+2029 and the bidi controls (U+061C, U+200E,
/// U+200F, U+202A..U+202E, U+2066..U+2069) written as \uXXXX, and every
/// byte that is not valid UTF-8 as \xNN. Everything else is kept as is.
std::string escapeForLog(std::string_view text);

} // namespace wildws::host
