// [plugin.relay] / [remote] validation and the secret file checks.
#include "commands.hpp"
#include "nkey.hpp"
#include "settings.hpp"
#include "state_files.hpp"

#include <wildws_test.hpp>

#include <catch2/catch.hpp>

#include <map>

#include <sys/stat.h>
#include <unistd.h>

using namespace wildws::relay;

namespace {

ParsedBroker parse(const std::map<std::string, std::string>& keys) {
    return parseBroker(
        [&](const std::string& k) -> std::optional<std::string> {
            auto it = keys.find(k);
            if (it == keys.end()) return std::nullopt;
            return it->second;
        },
        "[plugin.relay]");
}

RelaySettings relay(const std::map<std::string, std::string>& keys) {
    return parseRelaySettings([&](const std::string& k) -> std::optional<std::string> {
        auto it = keys.find(k);
        if (it == keys.end()) return std::nullopt;
        return it->second;
    });
}

} // namespace

TEST_CASE("relay settings: a non-loopback nats url without TLS is refused with one line", "[relay]") {
    auto p = parse({{"url", "nats://relay.example.com:4222"}});
    CHECK(p.error ==
          "[plugin.relay] url = 'nats://relay.example.com:4222': refused, a nats:// url to another machine without "
          "TLS sends the operator token and everything support does in clear text - use tls:// (or set ca_file), or "
          "set allow_insecure = true to accept that");
    CHECK(parse({{"url", "nats://10.0.0.5:4222"}}).error.find("refused, a nats:// url") != std::string::npos);
}

TEST_CASE("relay settings: loopback - tls - ca_file and allow_insecure are accepted", "[relay]") {
    CHECK(parse({{"url", "nats://127.0.0.1:4222"}}).error.empty());
    CHECK(parse({{"url", "nats://localhost:4222"}}).error.empty());
    CHECK(parse({{"url", "nats://[::1]:4222"}}).error.empty());
    CHECK(parse({{"url", "tls://relay.example.com:4222"}}).error.empty());
    CHECK(parse({{"url", "nats://relay.example.com:4222"}, {"ca_file", "/etc/ssl/ca.pem"}}).error.empty());
    auto insecure = parse({{"url", "nats://relay.example.com:4222"}, {"allow_insecure", "true"}});
    CHECK(insecure.error.empty());
    CHECK(insecure.settings.allowInsecure);
    CHECK(parse({{"url", "nats://relay.example.com:4222"}, {"allow_insecure", "maybe"}}).error ==
          "[plugin.relay] allow_insecure = 'maybe': expected true or false");
}

TEST_CASE("relay settings: bad urls are refused", "[relay]") {
    CHECK(parse({{"url", "http://relay.example.com"}}).error ==
          "[plugin.relay] url = 'http://relay.example.com': must start with nats:// or tls:// (e.g. "
          "tls://relay.example.com:4222)");
    CHECK(parse({{"url", "nats://bob:pw@127.0.0.1:4222"}}).error ==
          "[plugin.relay] url: credentials inside the url are refused (they would show in logs and status) - use user "
          "+ password_file or token_file");
    CHECK(parse({{"url", "nats://127.0.0.1:4222,nats://127.0.0.1:4223"}}).error ==
          "[plugin.relay] url = 'nats://127.0.0.1:4222,nats://127.0.0.1:4223': give one broker url (nats://host:4222 "
          "or tls://host:4222)");
}

TEST_CASE("relay settings: secrets never come from the ini", "[relay]") {
    for (auto key : {"password", "token", "nkey", "seed", "jwt"}) {
        auto p = parse({{"url", "nats://127.0.0.1:4222"}, {key, "s3cret"}});
        CHECK(p.error == std::string("[plugin.relay] ") + key +
                             ": secrets are never read from the ini - put it in a file only you can read (chmod 600) "
                             "and name that file instead (password_file, token_file, nkey_seed, creds)");
    }
}

TEST_CASE("relay settings: one kind of credentials - complete - absolute paths", "[relay]") {
    CHECK(parse({{"url", "nats://127.0.0.1:4222"}, {"creds", "/a.creds"}, {"token_file", "/t"}}).error ==
          "[plugin.relay]: set only one kind of credentials: creds, nkey_seed, user + password_file, or token_file");
    CHECK(parse({{"url", "nats://127.0.0.1:4222"}, {"user", "bob"}}).error ==
          "[plugin.relay] user = 'bob': also set password_file (a 0600 file holding the password)");
    CHECK(parse({{"url", "nats://127.0.0.1:4222"}, {"password_file", "/pw"}}).error ==
          "[plugin.relay] password_file: also set user (the NATS user the password belongs to)");
    CHECK(parse({{"url", "nats://127.0.0.1:4222"}, {"token_file", "token.txt"}}).error ==
          "[plugin.relay] token_file = 'token.txt': must be an absolute path");
}

TEST_CASE("relay settings: requester timeout defaults to 15 and is checked", "[relay]") {
    auto s = relay({{"url", "nats://127.0.0.1:4222"}});
    CHECK(s.configured());
    CHECK(s.requesterTimeoutSeconds == 15);
    CHECK(relay({{"url", "nats://127.0.0.1:4222"}, {"requester_timeout_seconds", "30"}}).requesterTimeoutSeconds == 30);
    CHECK(relay({{"url", "nats://127.0.0.1:4222"}, {"requester_timeout_seconds", "1"}}).error ==
          "[plugin.relay] requester_timeout_seconds = '1': expected a whole number of seconds from 3 to 600");
    CHECK(relay({{"url", "nats://127.0.0.1:4222"}, {"requester_timeout_seconds", "ten"}}).error ==
          "[plugin.relay] requester_timeout_seconds = 'ten': expected a whole number of seconds from 3 to 600");
    CHECK_FALSE(relay({}).configured()); // off by default
}

TEST_CASE("relay secret files: mode - owner - symlinks", "[relay]") {
    wt::TempDir dir;
    const std::string good = dir / "pw";
    wt::writeFile(good, "hunter2\n", 0600);
    CHECK_FALSE(checkSecretFile(good, "password_file"));
    CHECK(readSecretFile(good, "password_file") == "hunter2");

    const std::string open = dir / "open";
    wt::writeFile(open, "x", 0644);
    ::chmod(open.c_str(), 0644);
    CHECK(checkSecretFile(open, "password_file") ==
          "password_file " + open + ": readable by others (mode 0644) - run: chmod 600 " + open);
    ::chmod(open.c_str(), 0640);
    CHECK(checkSecretFile(open, "token_file") ==
          "token_file " + open + ": readable by others (mode 0640) - run: chmod 600 " + open);

    const std::string missing = dir / "missing";
    CHECK(checkSecretFile(missing, "creds") ==
          "creds " + missing + ": cannot read it (No such file or directory) - check the path");

    CHECK(checkSecretFile(dir.path(), "creds") == "creds " + dir.path() + ": not a regular file");

    // A symlink to a file of ours is followed; one to someone else's file is refused.
    const std::string link = dir / "link";
    REQUIRE(::symlink(good.c_str(), link.c_str()) == 0);
    CHECK_FALSE(checkSecretFile(link, "password_file"));
    const std::string foreign = dir / "foreign";
    REQUIRE(::symlink("/etc/passwd", foreign.c_str()) == 0);
    if (::geteuid() != 0)
        CHECK(checkSecretFile(foreign, "password_file") ==
              "password_file " + foreign + ": a symlink to a file owned by someone else (uid 0) - refused; point it at "
              "a file of yours");
    const std::string dangling = dir / "dangling";
    REQUIRE(::symlink((dir / "nothing").c_str(), dangling.c_str()) == 0);
    CHECK(checkSecretFile(dangling, "password_file") ==
          "password_file " + dangling + ": a symlink to nothing readable (No such file or directory)");

    const std::string empty = dir / "empty";
    wt::writeFile(empty, "  \n", 0600);
    CHECK_THROWS_WITH(readSecretFile(empty, "token_file"), "token_file " + empty + ": the file is empty");
}

TEST_CASE("relay install id: made once - 128 bits of hex - refused when unsafe", "[relay]") {
    wt::TempDir dir;
    auto id = loadOrCreateInstallId(dir.path());
    CHECK(validInstallId(id));
    CHECK(loadOrCreateInstallId(dir.path()) == id);
    struct stat st {};
    REQUIRE(::stat((dir / kInstallIdFile).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    ::chmod((dir / kInstallIdFile).c_str(), 0644);
    CHECK_THROWS_WITH(loadOrCreateInstallId(dir.path()),
                      dir / kInstallIdFile + " is readable by other users (mode 0644) - run: chmod 600 " +
                          dir / kInstallIdFile + " (it holds the relay's install id; remove it to make a new one)");
    wt::TempDir other;
    wt::writeFile(other / kInstallIdFile, "not-an-id\n", 0600);
    CHECK_THROWS_WITH(loadOrCreateInstallId(other.path()),
                      other / kInstallIdFile + ": not an install id (32 hex characters) - remove it to make a new one");
}

TEST_CASE("relay nkey: the public key follows from a user seed", "[relay]") {
    // The nkeys test vector: this seed's public key, as `nk -inkey` prints it.
    unsigned char raw[32];
    for (int i = 0; i < 32; ++i) raw[i] = static_cast<unsigned char>(i);
    auto seed = encodeUserSeed(raw);
    CHECK(seed.rfind("SU", 0) == 0);
    CHECK(seed.size() == 58);
    auto pub = nkeyPublicFromSeed(seed);
    CHECK(pub.rfind("U", 0) == 0);
    CHECK(pub.size() == 56);
    CHECK_THROWS_WITH(nkeyPublicFromSeed("SUnot-a-seed"), "nkey_seed: the file does not hold a NATS user nkey seed (SU...)");
    std::string flipped = seed;
    flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
    CHECK_THROWS(nkeyPublicFromSeed(flipped));
}

TEST_CASE("relay remote args: key=value words become typed JSON", "[relay]") {
    std::string error;
    CHECK(argsJson("channel=daemon\nlines=50\nall=true", error) == std::string(R"({"channel":"daemon","lines":50,"all":true})"));
    CHECK(argsJson("", error) == std::string("{}"));
    CHECK(argsJson("note=a=b", error) == std::string(R"({"note":"a=b"})"));
    CHECK_FALSE(argsJson("lines", error));
    CHECK(error == "--arg 'lines': expected key=value (e.g. --arg lines=50)");
    CHECK_FALSE(argsJson("=5", error));
}
