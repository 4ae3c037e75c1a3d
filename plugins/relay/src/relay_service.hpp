// The Relay service (sdk/include/wildws/services/relay.hpp) in every
// process: the install id from its file, the state from what the daemon
// last wrote (a dead daemon's "connected" is not believed).
#pragma once

#include "settings.hpp"

#include <wildws/services/relay.hpp>

#include <string>

namespace wildws::relay {

class RelayService : public Relay {
public:
    RelayService(std::string home, RelaySettings settings) : home_(std::move(home)), settings_(std::move(settings)) {}
    std::string installId() override;
    RelayState state() override;

private:
    const std::string home_;
    const RelaySettings settings_;
};

} // namespace wildws::relay
