#include "nats_harness.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rt {
namespace {

bool accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

} // namespace

std::string installUser(const std::string& id, const std::string& password) {
    return "{ user: \"install-" + id + "\", password: \"" + password +
           "\", permissions: {"
           " subscribe: { allow: [\"wildws." + id + ".>\", \"_INBOX." + id + ".>\"] },"
           " publish: { allow: [\"wildws.audit." + id +
           "\", \"$JS.API.STREAM.INFO.WILDWS_AUDIT\", \"$JS.API.STREAM.CREATE.WILDWS_AUDIT\"] },"
           " allow_responses: { max: 1000000, expires: \"2h\" } } }";
}

std::string supportUser(const std::string& name, const std::string& password) {
    return "{ user: \"" + name + "\", password: \"" + password +
           "\", permissions: {"
           " publish: { allow: [\"wildws.*.actions\", \"wildws.*.action.*\", \"wildws.*.stream.*\", "
           "\"$JS.API.DIRECT.GET.WILDWS_AUDIT\"], deny: [\"wildws.audit.>\"] },"
           " subscribe: { allow: [\"_INBOX." + name + ".>\"] } } }";
}

std::string outsiderUser(const std::string& name, const std::string& password) {
    return "{ user: \"" + name + "\", password: \"" + password +
           "\", permissions: { publish: { allow: [\"chat.>\"] }, subscribe: { allow: [\"_INBOX." + name + ".>\"] } } }";
}

NatsServer::NatsServer(std::vector<std::string> userBlocks) {
    port_ = wt::freePort();
    conf_ = dir_ / "nats.conf";
    std::string users;
    for (auto& u : userBlocks) users += "    " + u + "\n";
    wt::writeFile(conf_, "listen: 127.0.0.1:" + std::to_string(port_) +
                             "\njetstream { store_dir: \"" + dir_ / "js" +
                             "\", max_memory_store: 64MB, max_file_store: 256MB }\n"
                             "authorization {\n  users = [\n" + users + "  ]\n}\n");
    start();
}

NatsServer::NatsServer(std::string config, bool) {
    port_ = wt::freePort();
    conf_ = dir_ / "nats.conf";
    auto swap = [&](const std::string& key, const std::string& value) {
        auto at = config.find(key);
        if (at != std::string::npos) config.replace(at, config.find('\n', at) - at, value);
    };
    swap("listen:", "listen: 127.0.0.1:" + std::to_string(port_));
    swap("store_dir:", "store_dir: \"" + dir_ / "js" + "\"");
    wt::writeFile(conf_, config);
    start();
}

void NatsServer::start() {
    wt::RunOptions o;
    child_ = std::make_unique<wt::Child>(std::vector<std::string>{NATS_SERVER_BIN, "-c", conf_}, o);
    if (!waitFor([&] { return accepts(port_) || !child_->running(); }, std::chrono::seconds(20)) || !child_->running())
        throw std::runtime_error("nats-server did not start: " + child_->output());
}

void NatsServer::stop() {
    if (!child_) return;
    child_->signal(SIGTERM);
    if (!child_->wait(std::chrono::seconds(10))) child_->signal(SIGKILL), child_->wait(std::chrono::seconds(5));
    child_.reset();
}

std::string NatsServer::log() const { return child_ ? child_->output() : ""; }

bool waitFor(const std::function<bool()>& ok, std::chrono::milliseconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (ok()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ok();
}

Install::Install() {
    auto r = home_.cli({"relay", "status", "--json"});
    auto o = st::parse(r.out);
    id_ = st::str(o, "installId");
    if (id_.size() != 32) throw std::runtime_error("relay status gave no install id: " + r.out + r.err);
    password_ = "pw-" + id_.substr(0, 8);
    wt::writeFile(home_ / "nats-password", password_ + "\n", 0600);
}

void Install::configure(const std::string& url, const std::string& extra) {
    std::string ini = wt::readFile(home_ / "wildws.ini");
    ini += "\n[plugin.relay]\nurl = " + url + "\nuser = install-" + id_ + "\npassword_file = " + home_ / "nats-password" +
           "\n" + extra;
    wt::writeFile(home_ / "wildws.ini", ini);
}

void Install::startDaemon(bool waitConnected) {
    daemon_ = st::daemon(home_);
    token_ = home_.operatorToken();
    wt::writeFile(tokenFile(), token_ + "\n", 0600);
    if (waitConnected && !waitFor([&] { return connected(); }))
        throw std::runtime_error("the daemon did not connect to the relay: " + wt::readFile(home_ / "logs/relay.log"));
}

st::Json Install::status() const { return st::parse(home_.cli({"relay", "status", "--json"}).out); }

Engineer::Engineer(std::string user, std::string password) : user_(std::move(user)), password_(std::move(password)) {
    home_ = dir_ / "home";
    wt::run({"/bin/mkdir", "-m", "700", home_});
    passwordFile_ = dir_ / "password";
    wt::writeFile(passwordFile_, password_ + "\n", 0600);
}

std::vector<std::string> Engineer::argv(const std::vector<std::string>& args, const std::string& url,
                                        const Install* install) const {
    std::vector<std::string> a = {"remote"};
    a.insert(a.end(), args.begin(), args.end());
    a.insert(a.end(), {"--url", url, "--user", user_, "--password-file", passwordFile_});
    if (install) a.insert(a.end(), {"--install", install->id(), "--operator-token-file", install->tokenFile()});
    return a;
}

wt::Result Engineer::remote(const std::vector<std::string>& args, const std::string& url, const Install* install,
                            const wt::RunOptions& options) const {
    return wt::wildws(home_, argv(args, url, install), options);
}

} // namespace rt
