// The relay's files in the wildws home, all 0600 and written atomically:
//   relay-install-id     this install's id (32 hex characters, made once)
//   relay-status.json    what the running daemon last saw (the RelayState)
//   relay-audit-cursor.json  how far the fleet audit copy got
// Each is read only when it is a regular file of ours with no group/other
// bits (fail closed otherwise: the id is refused, the status is ignored).
#pragma once

#include <wildws/services/relay.hpp>

#include <optional>
#include <string>

namespace wildws::relay {

inline constexpr const char* kInstallIdFile = "relay-install-id";
inline constexpr const char* kStatusFile = "relay-status.json";
inline constexpr const char* kCursorFile = "relay-audit-cursor.json";

/// The install id when <home>/relay-install-id exists (never creates it,
/// so read-only commands such as `support status` leave the home as it is).
/// Throws std::runtime_error with one line when the file is unsafe or bad.
std::optional<std::string> loadInstallId(const std::string& home);
/// Reads the id, or makes one (16 bytes from getrandom, hex). Throws
/// std::runtime_error with one line when the file is unsafe or unusable.
std::string loadOrCreateInstallId(const std::string& home);
bool validInstallId(const std::string& id);

/// The file's content when it is safe to trust, else nullopt (with `why`).
std::optional<std::string> readStateFile(const std::string& path, std::string* why = nullptr);

struct StatusRecord {
    RelayState state;
    long pid = 0;             // the daemon that wrote it
    std::int64_t updatedAt = 0;
};
void writeStatus(const std::string& home, const StatusRecord& record);
std::optional<StatusRecord> readStatus(const std::string& home);

/// The record as the JSON `relay status --json` prints.
std::string statusJson(const RelayState& s);

struct AuditCursor {
    std::int64_t offset = 0; // bytes of support-audit.jsonl already copied
    std::string hash;        // the hash of the last line copied ("" at the start)
};
AuditCursor readCursor(const std::string& home);
void writeCursor(const std::string& home, const AuditCursor& cursor);

} // namespace wildws::relay
