#include "plugins/guard.hpp"

#include <cstring>
#include <stdexcept>

namespace wildws::host {
namespace {
thread_local CallFrame tCurrent;

void copyTruncated(char* dst, std::size_t cap, const std::string& src) {
    std::size_t n = std::min(cap - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}
} // namespace

const CallFrame& currentCall() noexcept { return tCurrent; }

CallScope::CallScope(const std::string& plugin, const std::string& call) noexcept : saved_(tCurrent) {
    copyTruncated(tCurrent.plugin, sizeof tCurrent.plugin, plugin);
    copyTruncated(tCurrent.call, sizeof tCurrent.call, call);
}

CallScope::~CallScope() { tCurrent = saved_; }

std::string describeCurrentException() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

} // namespace wildws::host
