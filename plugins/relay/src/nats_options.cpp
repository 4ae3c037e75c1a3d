#include "nats_options.hpp"

#include "nkey.hpp"

#include <atomic>
#include <mutex>

#include <dlfcn.h>
#include <stdexcept>

namespace wildws::relay {

std::string natsError(natsStatus s) {
    natsStatus last = NATS_OK;
    const char* text = nats_GetLastError(&last);
    std::string out = natsStatus_GetText(s);
    if (text && *text && std::string(text) != out) out += ": " + std::string(text);
    return out;
}

namespace {
std::atomic<bool> natsStarted{false};
}

void ensureNatsInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        ::dlopen("libnats.so.3.4", RTLD_NOW | RTLD_NODELETE | RTLD_NOLOAD);
        nats_Open(-1);
        natsStarted = true;
    });
}

void shutdownNats() {
    if (natsStarted.exchange(false)) nats_CloseAndWait(2000);
}

OptionsPtr makeOptions(const BrokerSettings& s, const ConnectionPolicy& policy) {
    ensureNatsInit();
    if (auto bad = checkBrokerFiles(s)) throw std::runtime_error(*bad);
    natsOptions* raw = nullptr;
    if (natsOptions_Create(&raw) != NATS_OK) throw std::runtime_error("nats: cannot create options");
    OptionsPtr opts(raw);
    auto check = [](natsStatus st, const std::string& what) {
        if (st != NATS_OK) throw std::runtime_error(what + ": " + natsError(st));
    };
    check(natsOptions_SetURL(raw, s.url.c_str()), "url " + s.displayUrl());
    if (!policy.name.empty()) check(natsOptions_SetName(raw, policy.name.c_str()), "name");
    if (!policy.inboxPrefix.empty())
        check(natsOptions_SetCustomInboxPrefix(raw, policy.inboxPrefix.c_str()), "inbox prefix " + policy.inboxPrefix);
    check(natsOptions_SetTimeout(raw, policy.connectTimeoutMs), "timeout");
    if (policy.reconnectForever) {
        check(natsOptions_SetMaxReconnect(raw, -1), "reconnect");
        check(natsOptions_SetReconnectWait(raw, 1000), "reconnect wait");
        check(natsOptions_SetReconnectJitter(raw, 500, 1500), "reconnect jitter");
        // A request cannot be answered while the link is down: fail it at once
        // instead of buffering for a later reconnect.
        check(natsOptions_SetFailRequestsOnDisconnect(raw, true), "fail requests on disconnect");
        check(natsOptions_SetPingInterval(raw, 20000), "ping interval");
        check(natsOptions_SetMaxPingsOut(raw, 2), "max pings out");
    } else {
        check(natsOptions_SetMaxReconnect(raw, 0), "reconnect");
        check(natsOptions_SetAllowReconnect(raw, false), "reconnect");
    }
    if (s.tls()) {
        check(natsOptions_SetSecure(raw, true), "tls");
        if (!s.caFile.empty()) check(natsOptions_LoadCATrustedCertificates(raw, s.caFile.c_str()), "ca_file " + s.caFile);
    }
    if (!s.credsFile.empty()) {
        check(natsOptions_SetUserCredentialsFromFiles(raw, s.credsFile.c_str(), nullptr), "creds " + s.credsFile);
    } else if (!s.nkeySeedFile.empty()) {
        const std::string pub = nkeyPublicFromSeed(readSecretFile(s.nkeySeedFile, "nkey_seed"));
        check(natsOptions_SetNKeyFromSeed(raw, pub.c_str(), s.nkeySeedFile.c_str()), "nkey_seed " + s.nkeySeedFile);
    } else if (!s.user.empty()) {
        const std::string password = readSecretFile(s.passwordFile, "password_file");
        check(natsOptions_SetUserInfo(raw, s.user.c_str(), password.c_str()), "user");
    } else if (!s.tokenFile.empty()) {
        const std::string token = readSecretFile(s.tokenFile, "token_file");
        check(natsOptions_SetToken(raw, token.c_str()), "token_file");
    }
    return opts;
}

} // namespace wildws::relay
