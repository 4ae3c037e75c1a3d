#include "nkey.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace wildws::relay {
namespace {

constexpr unsigned char kPrefixSeed = 18 << 3; // 'S'
constexpr unsigned char kPrefixUser = 20 << 3; // 'U'
const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::uint16_t crc16(const unsigned char* p, std::size_t n) { // XMODEM, as nkeys uses
    std::uint16_t crc = 0;
    for (std::size_t i = 0; i < n; ++i) {
        crc ^= static_cast<std::uint16_t>(p[i]) << 8;
        for (int b = 0; b < 8; ++b) crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021) : static_cast<std::uint16_t>(crc << 1);
    }
    return crc;
}

std::string base32(const std::vector<unsigned char>& in) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

bool unbase32(const std::string& in, std::vector<unsigned char>& out) {
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        const char* at = nullptr;
        for (const char* a = kAlphabet; *a; ++a)
            if (*a == c) at = a;
        if (!at) return false;
        buffer = (buffer << 5) | static_cast<unsigned>(at - kAlphabet);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return true;
}

std::string withCrc(std::vector<unsigned char> raw) {
    auto crc = crc16(raw.data(), raw.size());
    raw.push_back(static_cast<unsigned char>(crc & 0xff));
    raw.push_back(static_cast<unsigned char>(crc >> 8));
    return base32(raw);
}

} // namespace

std::string encodeUserSeed(const unsigned char raw[32]) {
    std::vector<unsigned char> v{static_cast<unsigned char>(kPrefixSeed | (kPrefixUser >> 5)),
                                 static_cast<unsigned char>((kPrefixUser & 31) << 3)};
    v.insert(v.end(), raw, raw + 32);
    return withCrc(v);
}

std::string nkeyPublicFromSeed(const std::string& seed) {
    const std::runtime_error bad("nkey_seed: the file does not hold a NATS user nkey seed (SU...)");
    std::vector<unsigned char> raw;
    if (seed.size() != 58 || !unbase32(seed, raw) || raw.size() != 36) throw bad;
    auto crc = crc16(raw.data(), 34);
    if (raw[34] != (crc & 0xff) || raw[35] != (crc >> 8)) throw bad;
    if ((raw[0] & 0xf8) != kPrefixSeed) throw bad;
    unsigned char prefix = static_cast<unsigned char>(((raw[0] & 7) << 5) | ((raw[1] & 0xf8) >> 3));
    if (prefix != kPrefixUser) throw bad;
    EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data() + 2, 32);
    if (!key) throw bad;
    unsigned char pub[32];
    size_t len = sizeof pub;
    bool ok = EVP_PKEY_get_raw_public_key(key, pub, &len) == 1 && len == 32;
    EVP_PKEY_free(key);
    if (!ok) throw bad;
    std::vector<unsigned char> v{kPrefixUser};
    v.insert(v.end(), pub, pub + 32);
    return withCrc(v);
}

} // namespace wildws::relay
