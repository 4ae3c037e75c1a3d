// NATS nkeys: nats.c 3.4.1's natsOptions_SetNKeyFromSeed wants the public
// key next to the seed file, while a seed file (nsc, nk) holds only the
// seed. The public key follows from the seed (Ed25519), so we derive it.
#pragma once

#include <string>

namespace wildws::relay {

/// The public key ("U...") of a user nkey seed ("SU..."). Throws
/// std::runtime_error with one line when `seed` is not one.
std::string nkeyPublicFromSeed(const std::string& seed);
/// Encodes a 32-byte Ed25519 seed as a user nkey seed (for tests and tools).
std::string encodeUserSeed(const unsigned char raw[32]);

} // namespace wildws::relay
