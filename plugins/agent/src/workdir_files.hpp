// The files of a working directory for the prompt box's `@` suggestions
// (GET /api/files). Never a path outside the directory:
//   - in a git work tree, `git ls-files --cached --others --exclude-standard`
//     (exactly what git would not ignore; `.git` is never listed), run with
//     core.fsmonitor off so a repository's config cannot make us run a hook;
//   - elsewhere (or without git), a walk that skips `.git` and `node_modules`
//     and does not follow symlinked directories;
//   - either way, every path returned is checked on disk: no `..`, no absolute
//     path, and a symlink must resolve inside the directory to a regular file.
// Both are capped (kMaxListed entries, 2 s for git), so a huge tree costs a
// bounded amount of work; `truncated` says when the cap was hit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wildws::agent {

constexpr std::size_t kMaxListed = 50000;
constexpr std::size_t kMaxSuggestions = 50;

struct WorkdirFiles {
    std::vector<std::string> files; // relative to the directory, '/'-separated
    bool truncated = false;
};

/// Every candidate file of `dir` (an absolute, existing directory), unfiltered.
WorkdirFiles listWorkdirFiles(const std::string& dir);

/// Fuzzy score of `path` for `query` (case-insensitive subsequence; contiguous
/// runs, word starts and the file name count more). -1: no match.
int fuzzyScore(const std::string& path, const std::string& query);

/// The best `limit` of `all` for `query` that are safely inside `dir`
/// (best first; an empty query: the shortest paths first).
std::vector<std::string> suggestFiles(const std::string& dir, const std::vector<std::string>& all,
                                      const std::string& query, std::size_t limit = kMaxSuggestions);

/// True when dir/rel is a regular file inside `dir`, through symlinks too.
bool insideDir(const std::string& dir, const std::string& rel);

} // namespace wildws::agent
