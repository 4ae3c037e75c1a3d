// wildws SDK - small security helpers every plugin should use, not rewrite.
#pragma once

#include <wildws/export.hpp>

#include <string>
#include <string_view>

namespace wildws {

/// Compares two secrets in time that depends on neither their contents nor
/// their lengths (it compares SHA-256 digests). Empty never equals anything.
WILDWS_EXPORT bool constantTimeEquals(std::string_view given, std::string_view expected);

/// `bytes` random bytes from the kernel, base64url without padding.
WILDWS_EXPORT std::string randomToken(std::size_t bytes = 32);

/// Writes `content` to `path` atomically with mode 0600: a temp file in the
/// same directory (O_EXCL, O_NOFOLLOW), fsync, rename over `path`, fsync of
/// the directory. Throws std::system_error naming the path on failure.
WILDWS_EXPORT void writeFileAtomic(const std::string& path, std::string_view content);

} // namespace wildws
