#include "audit_gen.hpp"

#include "audit_log.hpp"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

namespace consent_test {

std::string generateAudit(const std::string& path, std::size_t lines, std::int64_t startTs) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    std::string prev = wildws::consent::kGenesisHash;
    std::string buffer;
    buffer.reserve(1 << 20);
    for (std::size_t i = 0; i < lines; ++i) {
        wildws::AuditEntry e;
        e.ts = startTs + static_cast<std::int64_t>(i) * 1000;
        e.action = "probe-" + std::to_string(i % 5);
        e.tier = 1 + static_cast<int>(i % 4);
        e.ok = i % 7 != 0;
        e.actor = "operator";
        e.detail = "entry " + std::to_string(i);
        std::string hash;
        buffer += wildws::consent::formatLine(e, prev, hash);
        buffer += '\n';
        prev = hash;
        if (buffer.size() > (1 << 20) - 4096) {
            out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            buffer.clear();
        }
    }
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path);
    ::chmod(path.c_str(), 0600);
    return prev;
}

} // namespace consent_test
