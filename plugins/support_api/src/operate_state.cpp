#include "operate_state.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

namespace wildws::support {

std::optional<std::string> operateLineFor(const Chunk& chunk) {
    if (chunk.type == "text" && !chunk.text.empty()) {
        auto line = common::cutChars(common::trim(common::sanitizeUtf8(chunk.text)), kOperateLineChars);
        if (line.empty()) return std::nullopt; // whitespace only: nothing to show
        return line;
    }
    if (chunk.type == "tool-use" && !chunk.name.empty())
        return "\xE2\x9A\x99 " + common::cutChars(common::sanitizeUtf8(chunk.name), kOperateLineChars); // ⚙
    if (chunk.type == "error" && !chunk.message.empty())
        return "\xE2\x9A\xA0 " + common::cutChars(common::sanitizeUtf8(chunk.message), kOperateLineChars); // ⚠
    return std::nullopt;
}

void OperateState::begin(const std::string& taskId, std::int64_t nowMs) {
    std::lock_guard lock(m_);
    present_ = true;
    done_ = false;
    taskId_ = taskId;
    startedAt_ = nowMs;
    endedAt_ = 0;
    lines_.clear();
    prompts_.clear();
    resolved_.clear();
}

void OperateState::addResolved(OperateResolved resolved) {
    std::lock_guard lock(m_);
    if (!present_) return;
    resolved_.push_back(std::move(resolved));
    while (resolved_.size() > kOperateResolvedCap) resolved_.pop_front();
}

void OperateState::addPrompt(OperatePrompt prompt) {
    std::lock_guard lock(m_);
    if (!present_ || done_) return;
    prompts_.push_back(std::move(prompt));
}

bool OperateState::removePrompt(const std::string& requestId, OperatePrompt* out) {
    std::lock_guard lock(m_);
    for (auto it = prompts_.begin(); it != prompts_.end(); ++it)
        if (it->requestId == requestId) {
            if (out) *out = *it;
            prompts_.erase(it);
            return true;
        }
    return false;
}

std::vector<OperatePrompt> OperateState::takeExpired(std::int64_t nowMs) {
    std::lock_guard lock(m_);
    std::vector<OperatePrompt> out, keep;
    for (auto& p : prompts_) (p.deadline > 0 && nowMs >= p.deadline ? out : keep).push_back(p);
    prompts_.swap(keep);
    return out;
}

std::optional<OperateLine> OperateState::add(const Chunk& chunk, std::int64_t nowMs) {
    auto text = operateLineFor(chunk);
    if (!text) return std::nullopt;
    std::lock_guard lock(m_);
    if (!present_ || done_) return std::nullopt;
    lines_.push_back(OperateLine{nowMs, std::move(*text)});
    while (lines_.size() > cap_) lines_.pop_front();
    return lines_.back();
}

void OperateState::end(std::int64_t nowMs) {
    std::lock_guard lock(m_);
    if (!present_ || done_) return;
    done_ = true;
    endedAt_ = nowMs;
    prompts_.clear(); // the agent is gone: nothing can be answered any more
}

std::optional<OperateSnapshot> OperateState::snapshot(std::int64_t nowMs, std::size_t lastN) const {
    std::lock_guard lock(m_);
    if (!present_ || lingeredOut(nowMs)) return std::nullopt;
    OperateSnapshot s;
    s.active = !done_;
    s.taskId = taskId_;
    s.startedAt = startedAt_;
    s.endedAt = endedAt_;
    std::size_t from = lines_.size() > lastN ? lines_.size() - lastN : 0;
    s.lines.assign(lines_.begin() + static_cast<std::ptrdiff_t>(from), lines_.end());
    s.pending = prompts_;
    s.resolved.assign(resolved_.begin(), resolved_.end());
    return s;
}

bool OperateState::expire(std::int64_t nowMs) {
    std::lock_guard lock(m_);
    if (!present_ || !lingeredOut(nowMs)) return false;
    present_ = false;
    lines_.clear();
    resolved_.clear();
    return true;
}

} // namespace wildws::support
