// consent_audit_tool append FILE N NAME [THREADS [GOFILE]]
//     N appends per thread through AuditLog, one locked write each, actor
//     NAME-t<k>; with GOFILE, every thread waits for that file to exist first
//     so that the processes of the concurrency test really overlap.
// consent_audit_tool generate FILE N
//     a valid N-line feed, fast (the 1M-line test, bench/consent/run.sh).
#include "audit_gen.hpp"
#include "audit_log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

void appendMany(const std::string& file, std::size_t n, const std::string& actor) {
    wildws::consent::AuditLog log(file);
    for (std::size_t i = 0; i < n; ++i) {
        wildws::AuditEntry e;
        e.ts = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
        e.action = "probe";
        e.tier = 1;
        e.ok = true;
        e.actor = actor;
        // Lines of different sizes (about 100 B to 2 KiB), so that a split
        // or interleaved write would show as a broken line.
        e.detail = actor + " #" + std::to_string(i) + " " + std::string((i * 37) % 1900, 'x');
        log.append(e);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: consent_audit_tool append FILE N NAME [THREADS [GOFILE]] | generate FILE N\n";
        return 2;
    }
    std::string mode = argv[1], file = argv[2];
    std::size_t n = std::strtoull(argv[3], nullptr, 10);
    try {
        if (mode == "generate") {
            consent_test::generateAudit(file, n);
            return 0;
        }
        if (mode == "append" && argc >= 5) {
            std::string name = argv[4];
            int threads = argc >= 6 ? std::atoi(argv[5]) : 1;
            std::string go = argc >= 7 ? argv[6] : "";
            if (!go.empty()) {
                auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
                while (::access(go.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            std::vector<std::thread> pool;
            bool failed = false;
            for (int t = 0; t < threads; ++t)
                pool.emplace_back([&, t] {
                    try {
                        appendMany(file, n, name + "-t" + std::to_string(t));
                    } catch (const std::exception& e) {
                        std::cerr << "consent_audit_tool: " << e.what() << "\n";
                        failed = true;
                    }
                });
            for (auto& th : pool) th.join();
            return failed ? 1 : 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "consent_audit_tool: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "consent_audit_tool: unknown mode '" << mode << "'\n";
    return 2;
}
