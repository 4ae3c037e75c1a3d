// Reads the recordings in support-sessions/ for the owner: a summary of each
// (GET /api/support/sessions) and one whole recording for replay
// (GET /api/support/sessions/:id). A recording without an `end` line is a
// task that was cut short (the process died): it is listed as "unfinished".
// Summaries are cached by file size and mtime, so listing does not re-read
// recordings that have not changed.
#pragma once

#include <wildws/common/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wildws::support {

struct SessionSummary {
    std::string id;
    std::string taskId;
    std::string mode;
    std::string path;
    std::int64_t startedAt = 0;
    std::int64_t endedAt = 0;  // 0: no end line
    std::string endReason;     // the end chunk's reason, or "unfinished"
    int code = 0;
    std::size_t chunks = 0;    // lines after the header
    std::uint64_t bytes = 0;
};

json::Object summaryJson(const SessionSummary& s);

struct SessionReplay {
    SessionSummary summary;
    json::Object header;
    json::Array chunks;
    bool truncated = false;    // longer than the byte cap: the first part only
};

class SessionArchive {
public:
    explicit SessionArchive(std::string dir) : dir_(std::move(dir)) {}
    /// Newest first. Unreadable files are skipped.
    std::vector<SessionSummary> list();
    /// nullopt when there is no such (valid) id.
    std::optional<SessionReplay> read(const std::string& id, std::uint64_t maxBytes = 64ull << 20);

private:
    std::optional<SessionSummary> summarize(const std::string& id);

    struct Cached {
        std::uint64_t size = 0;
        std::int64_t mtimeNs = 0;
        SessionSummary summary;
    };
    std::string dir_;
    std::mutex m_;
    std::map<std::string, Cached> cache_;
};

} // namespace wildws::support
