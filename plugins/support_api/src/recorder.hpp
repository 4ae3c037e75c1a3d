// support-sessions/<id>.jsonl: the recording of one support agent-task, the
// owner's evidence of what support did with their agent.
//
// Line 1 is the header {"type":"task","id","taskId","startedAt","mode",
// "path","prompt"}; then every chunk as it arrived, with "at" (ms) added; the
// last line is the task's `end`. Each line (or batch of lines that arrived
// together) is ONE write() to a file opened
// O_APPEND|O_EXCL|O_NOFOLLOW with mode 0600, so a crash keeps every line
// before it and no two tasks can share a file. The id is the sanitised taskId,
// with "-2", "-3", ... when that file exists already.
#pragma once

#include <wildws/services/agent.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wildws::support {

constexpr const char* kSessionsDirName = "support-sessions";

struct RecordingInfo {
    std::string taskId;
    std::string mode;   // plan | build
    std::string path;   // serve | daemon: which process ran it
    std::string prompt;
    std::int64_t startedAt = 0;
};

/// Makes `dir` (0700) if missing; throws std::runtime_error if it is not a
/// directory of ours (a symlink, a file).
void ensurePrivateDir(const std::string& dir);

/// The chunk's JSON with "at" added: one recording line.
std::string recordLine(const Chunk& chunk, std::int64_t atMs);

class Recorder {
public:
    /// Creates the file and writes the header. Throws std::runtime_error.
    static std::unique_ptr<Recorder> create(const std::string& dir, const RecordingInfo& info);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    const std::string& id() const { return id_; }
    const std::string& file() const { return file_; }
    /// Appends one line (`json` has no newline). False once any write failed.
    bool append(const std::string& json);
    /// Appends lines that arrived together, in one write().
    bool append(const std::vector<std::string>& jsonLines);
    std::size_t lines() const { return lines_; }
    /// fsync: the end of the task reaches the disk.
    void finish();
    /// Removes the file: the task never started.
    void discard();

private:
    Recorder(std::string id, std::string file, int fd) : id_(std::move(id)), file_(std::move(file)), fd_(fd) {}
    std::string id_;
    std::string file_;
    int fd_ = -1;
    bool failed_ = false;
    std::size_t lines_ = 0;
};

} // namespace wildws::support
