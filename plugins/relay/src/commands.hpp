// The relay's CLI: `relay status` (the owner's side) and `remote ...` (the
// support engineer's side, run on the engineer's own machine).
#pragma once

#include "relay_service.hpp"

#include <wildws/command.hpp>
#include <wildws/context.hpp>

#include <memory>
#include <vector>

namespace wildws::relay {

std::vector<CommandSpec> commandSpecs(std::shared_ptr<RelayService> service, const HostInfo& host);

/// "--arg key=value" words into an args object: whole numbers and true/false
/// keep their JSON type, anything else is a string. nullopt + `error` when a
/// word is not key=value.
std::optional<std::string> argsJson(const std::string& joined, std::string& error);

} // namespace wildws::relay
