#pragma once

#include <stdexcept>

namespace wildws::host {

/// Bad command-line usage: printed as one line, exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitUsage = 2;

} // namespace wildws::host
