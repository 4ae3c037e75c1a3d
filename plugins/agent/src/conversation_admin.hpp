// What the owner does to stored conversations besides chatting: rename,
// delete, search (plugins/agent/README.md, "Conversations").
//
// The owner's title lives in <id>.title (0600, replaced atomically), not in
// <id>.meta.json: a running turn's recorder rewrites the meta file from its
// own copy, and a missing meta file is rebuilt from the transcript, so a
// title kept there could be lost either way. ConversationStore::load() lays
// it over the automatic one (the first prompt's first line).
#pragma once

#include "conversation_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace wildws::agent {

/// Longest title and search text the routes accept, in bytes.
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxQueryBytes = 200;

/// The title trimmed, or nullopt with `why` set when the owner cannot use it:
/// empty, longer than kMaxTitleBytes, not UTF-8, or holding control characters.
std::optional<std::string> checkTitle(const std::string& title, std::string& why);

/// The owner's title for `id`, if one was set (a symlink or junk is ignored).
std::optional<std::string> ownerTitle(const std::string& dir, const std::string& id);

/// Stores the owner's title. Throws std::system_error when it cannot be written.
void setOwnerTitle(const std::string& dir, const std::string& id, const std::string& title);

/// Removes the transcript first (the conversation is gone for every reader
/// from that moment), then its meta and title files. False if there was no
/// transcript; throws std::runtime_error when it cannot be removed.
bool removeConversation(const std::string& dir, const std::string& id);

/// Conversations whose title or any prompt contains `query` (case-insensitive
/// for ASCII letters), newest first, at most `limit`.
std::vector<ConversationMeta> searchConversations(const ConversationStore& store, const std::string& query,
                                                  std::size_t limit);

} // namespace wildws::agent
