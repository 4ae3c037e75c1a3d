// wildws SDK service "wildws.secrets/1", provided by the host: the values in
// secrets.json (made on first need, 0600), or their env overrides
// WILD_WORKSPACE_SHARE_SECRET and WILD_WORKSPACE_SUPPORT_SECRET.
// Never log these, never pass them to a child process.
#pragma once

#include <wildws/export.hpp>

#include <stdexcept>
#include <string>

namespace wildws {

/// The secrets file is unusable (a symlink, not ours, readable by others,
/// corrupt). The message is one line: what, why, what to do.
class WILDWS_EXPORT SecretsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    ~SecretsError() override;
};

class WILDWS_EXPORT Secrets {
public:
    static constexpr const char* kServiceId = "wildws.secrets/1";
    virtual ~Secrets();
    virtual std::string partnerToken() const = 0;          // throws SecretsError
    virtual std::string shareSecret() const = 0;           // throws SecretsError
    virtual std::string supportChannelSecret() const = 0;  // throws SecretsError
};

} // namespace wildws
