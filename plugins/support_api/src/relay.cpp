#include "relay.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/clock.hpp>
#include <wildws/common/text.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace wildws::support {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kQueueCap = 4096;
constexpr std::size_t kErrorBodyCap = 64 * 1024;
constexpr auto kGrantEvery = milliseconds(500);
constexpr auto kGrantGrace = milliseconds(1500);
/// serve answers (an error, or the stream's head) as soon as it has checked
/// the request; longer than this means it is wedged.
constexpr auto kHeadTimeout = std::chrono::seconds(30);

/// What the reader thread hands the handler thread.
struct Inbox {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::string> lines;
    bool head = false;
    bool done = false;
    bool abort = false;
    int status = 0;
    std::string contentType;
    std::string errorBody;
    std::string failure;
};

void readResponse(Poco::Net::HTTPClientSession& session, Inbox& in) {
    try {
        Poco::Net::HTTPResponse response;
        std::istream& body = session.receiveResponse(response);
        {
            std::lock_guard lock(in.m);
            in.status = static_cast<int>(response.getStatus());
            in.contentType = response.getContentType();
            in.head = true;
        }
        in.cv.notify_all();
        if (in.status != 200) {
            std::string text;
            char buf[4096];
            while (body && text.size() < kErrorBodyCap) {
                body.read(buf, sizeof buf);
                text.append(buf, static_cast<std::size_t>(body.gcount()));
            }
            std::lock_guard lock(in.m);
            in.errorBody = std::move(text);
        } else {
            for (std::string line; std::getline(body, line);) {
                std::unique_lock lock(in.m);
                in.cv.wait(lock, [&] { return in.lines.size() < kQueueCap || in.abort; });
                if (in.abort) break;
                in.lines.push_back(std::move(line));
                lock.unlock();
                in.cv.notify_all();
            }
        }
    } catch (const std::exception& e) {
        std::lock_guard lock(in.m);
        in.failure = common::describe(e);
    }
    {
        std::lock_guard lock(in.m);
        in.done = true;
    }
    in.cv.notify_all();
}

bool isEndLine(const std::string& line) {
    if (line.find("\"end\"") == std::string::npos) return false;
    auto o = json::parseObject(line);
    return o && json::getString(o, "type").value_or("") == "end";
}

std::string errorLine(const std::string& message) {
    auto o = json::object();
    o->set("type", "error");
    o->set("message", message);
    return json::toText(o);
}

std::string endLine(const std::string& reason) {
    auto o = json::object();
    o->set("type", "end");
    o->set("code", -1);
    o->set("reason", reason);
    o->set("path", "serve");
    return json::toText(o);
}

} // namespace

RelayResult relayAgentTask(int port, const std::string& secret, const std::string& bodyJson, Response& res,
                           const std::function<bool()>& stillAllowed, const std::shared_ptr<spdlog::logger>& log) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    // Receives block in the reader thread; the handler thread ends them by
    // shutting the socket, so the receive timeout only guards a wedged serve.
    session.setTimeout(Poco::Timespan(2, 0), Poco::Timespan(10, 0), Poco::Timespan(24 * 3600, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/support/agent-task",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
    request.set("x-support-secret", secret);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(bodyJson.size()));
    try {
        std::ostream& out = session.sendRequest(request);
        out << bodyJson;
        out.flush();
        if (!out) throw std::runtime_error("the request could not be sent");
    } catch (const std::exception& e) {
        if (log) log->info("agent-task relay: serve on port {} is unreachable ({}); the daemon runs the task", port,
                           common::describe(e));
        return RelayResult::Unreachable;
    }

    Inbox in;
    std::thread reader([&] { readResponse(session, in); });
    auto stopReader = [&] {
        {
            std::lock_guard lock(in.m);
            in.abort = true;
        }
        in.cv.notify_all();
        try {
            session.socket().shutdown();
        } catch (const std::exception&) {
        }
    };
    struct Join {
        std::thread& t;
        std::function<void()> stop;
        ~Join() {
            if (t.joinable()) {
                stop();
                t.join();
            }
        }
    } join{reader, stopReader};

    {
        std::unique_lock lock(in.m);
        if (!in.cv.wait_for(lock, kHeadTimeout, [&] { return in.head || in.done; })) {
            lock.unlock();
            res.error(504, "relay-timeout", "serve accepted the task but did not answer within 30 s");
            return RelayResult::Answered; // Join shuts the connection
        }
        if (!in.head) {
            std::string why = in.failure;
            lock.unlock();
            res.error(502, "relay-failed", "serve accepted the task but sent no answer: " + why);
            return RelayResult::Answered;
        }
        if (in.status != 200) {
            in.cv.wait(lock, [&] { return in.done; });
            if (json::parseObject(in.errorBody)) {
                res.json(in.status, in.errorBody);
            } else {
                res.error(502, "relay-failed",
                          "serve answered " + std::to_string(in.status) + " without a JSON body");
            }
            return RelayResult::Answered;
        }
    }

    Stream& out = res.stream();
    bool sawEnd = false, clientGone = false;
    auto nextGrant = Clock::now() + kGrantEvery;
    std::optional<Clock::time_point> grantGoneAt;
    std::deque<std::string> batch;
    for (;;) {
        bool finished;
        {
            std::unique_lock lock(in.m);
            in.cv.wait_for(lock, milliseconds(100), [&] { return !in.lines.empty() || in.done; });
            batch.swap(in.lines);
            finished = in.done && batch.empty();
        }
        in.cv.notify_all(); // room in the queue again
        if (!batch.empty()) {
            std::string text;
            for (auto& l : batch) {
                if (!sawEnd && isEndLine(l)) sawEnd = true;
                text += l;
                text += '\n';
            }
            batch.clear();
            if (!out.write(text)) clientGone = true;
        }
        if (finished || clientGone) break;
        if (out.closed()) {
            clientGone = true;
            break;
        }
        const auto now = Clock::now();
        if (!grantGoneAt && now >= nextGrant) {
            nextGrant = now + kGrantEvery;
            if (stillAllowed && !stillAllowed()) grantGoneAt = now;
        }
        if (grantGoneAt && now - *grantGoneAt > kGrantGrace) {
            out.writeLine(errorLine("support access ended and serve did not stop the task; the relay was cut"));
            out.writeLine(endLine("grant-ended"));
            return RelayResult::Answered; // Join shuts the connection: serve then stops the agent
        }
    }
    if (clientGone) {
        if (log) log->info("agent-task relay: the operator went away; closing the connection to serve");
        return RelayResult::Answered;
    }
    if (!sawEnd) {
        std::string why;
        {
            std::lock_guard lock(in.m);
            why = in.failure.empty() ? "the connection closed" : in.failure;
        }
        out.writeLine(errorLine("the stream from serve broke before its end: " + why));
        out.writeLine(endLine("relay-broken"));
    }
    return RelayResult::Answered;
}

} // namespace wildws::support
