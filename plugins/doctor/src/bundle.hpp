// `wildws doctor --bundle FILE`: a .tar.gz the owner can hand to support.
//
// In it (under wildws-doctor/): doctor.json, the last 1000 lines of each log
// in logs/ and of crash.log, wildws.ini with every secret-looking value
// replaced, `wildws plugins --json`, `wildws always-on status --json`, and a
// README.txt listing what was left out. Never in it: secrets.json, tokens,
// operator.json, chat transcripts (sessions/), support recordings
// (support-sessions/). Every file put in is also scrubbed of the secret
// values wildws knows (secrets.json and its environment overrides, the
// agents' API keys in the environment) and of bearer tokens.
#pragma once

#include "checks.hpp"

#include <string>
#include <utility>
#include <vector>

namespace wildws::doctor {

using BundleFile = std::pair<std::string, std::string>; // name inside the archive, content

/// The files of the bundle, already scrubbed.
std::vector<BundleFile> bundleFiles(const DoctorContext& c, const Report& report);

/// A ustar archive of `files` (mode 0600, mtime `mtime`), gzip-compressed.
std::string tarGz(const std::vector<BundleFile>& files, std::int64_t mtime);

/// `text` with each of `secrets` (at least 6 characters long) replaced by
/// [redacted], and "Bearer <token>" / "token=<value>" patterns masked.
std::string scrub(std::string text, const std::vector<std::string>& secrets);

/// An ini file with the value of every key that looks like a secret
/// (token, secret, password, key, credential, seed, creds, auth) replaced.
std::string redactIni(const std::string& ini);

/// The last `n` lines of `text`.
std::string lastLines(const std::string& text, std::size_t n);

} // namespace wildws::doctor
