#include "plugins/plugin_table.hpp"

namespace wildws::host {

void PluginTable::add(PluginStatus status) {
    std::lock_guard lock(mutex_);
    rows_.push_back(std::move(status));
}

std::vector<PluginStatus> PluginTable::snapshot() const {
    std::lock_guard lock(mutex_);
    return rows_;
}

std::optional<PluginStatus> PluginTable::find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    for (auto& r : rows_)
        if (r.name == name && r.state == state::kLoaded) return r;
    for (auto& r : rows_)
        if (r.name == name) return r;
    return std::nullopt;
}

bool PluginTable::isLoaded(const std::string& name) const {
    std::lock_guard lock(mutex_);
    for (auto& r : rows_)
        if (r.name == name && r.state == state::kLoaded) return true;
    return false;
}

void PluginTable::markFailed(const std::string& name, const std::string& reason) {
    std::lock_guard lock(mutex_);
    for (auto& r : rows_) {
        if (r.name == name && r.state == state::kLoaded) {
            r.state = state::kFailed;
            r.reason = reason;
        }
    }
}

} // namespace wildws::host
