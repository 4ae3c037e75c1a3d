// secrets.json: partnerToken, shareSecret, supportChannelSecret. Made on
// first need under a lock (serve and daemon may start together), 0600,
// written atomically. A file that is a symlink, not ours, readable by others
// or corrupt is refused with one line: fail closed, never overwritten.
#pragma once

#include <wildws/services/secrets.hpp>

#include <mutex>
#include <optional>
#include <string>

namespace wildws::host {

struct SecretValues {
    std::string partnerToken;
    std::string shareSecret;
    std::string supportChannelSecret;
};

class SecretsFile : public Secrets {
public:
    explicit SecretsFile(std::string home);
    std::string partnerToken() const override { return values().partnerToken; }
    std::string shareSecret() const override { return values().shareSecret; }
    std::string supportChannelSecret() const override { return values().supportChannelSecret; }
    /// Loads (creating or back-filling) once; throws SecretsError.
    const SecretValues& values() const;
    const std::string& path() const { return path_; }

private:
    SecretValues loadOrCreate() const;
    std::string home_;
    std::string path_;
    mutable std::mutex mutex_;
    mutable std::optional<SecretValues> cached_;
};

} // namespace wildws::host
