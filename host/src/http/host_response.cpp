#include "http/host_response.hpp"

namespace wildws::host {

// The key function: HostResponse's typeinfo is the binary's, so the module's
// responses dynamic_cast to it.
HostResponse::~HostResponse() = default;

} // namespace wildws::host
