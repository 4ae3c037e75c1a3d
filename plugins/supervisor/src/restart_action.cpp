#include "restart_action.hpp"

#include "lock.hpp"
#include "paths.hpp"
#include "request_file.hpp"
#include "read_file.hpp"
#include "restart_request.hpp"

#include <wildws/common/clock.hpp>
#include <wildws/common/json.hpp>

#include <wildws/http.hpp>
#include <wildws/secure.hpp>

#include <chrono>
#include <thread>

namespace wildws::supervisor {
namespace {

constexpr std::size_t kMaxReason = 500;

} // namespace

std::optional<std::string> validateRestartArgs(const std::string& argsJson) {
    if (argsJson.empty()) return std::nullopt;
    auto o = json::parseObject(argsJson);
    if (!o) return "args must be a JSON object: {} or {\"reason\": \"...\"}";
    for (auto& [key, value] : *o) {
        if (key != "reason") return "unknown field '" + key + "': restart-server takes only {\"reason\": \"...\"}";
        if (!value.isString()) return "reason must be a string";
        if (value.convert<std::string>().size() > kMaxReason)
            return "reason must be at most " + std::to_string(kMaxReason) + " characters";
    }
    return std::nullopt;
}

/// The outcome the supervisor wrote for `nonce`, waiting up to `limit`.
static std::optional<RestartResult> awaitResult(const std::string& path, const std::string& nonce,
                                         std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (auto text = readWholeFile(path))
            if (auto r = parseRestartResult(*text); r && r->nonce == nonce) return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

SupportActionSpec restartServerAction(const std::string& home, long long minIntervalSeconds,
                                      std::chrono::milliseconds waitLimit) {
    const std::string perInterval = "at most once per " + std::to_string(minIntervalSeconds) + " s";
    SupportActionSpec spec;
    spec.name = "restart-server";
    spec.minTier = 2;
    spec.description = "restart the workspace server through the always-on supervisor (" + perInterval + ")";
    spec.role = Role::Daemon;
    spec.validate = validateRestartArgs;
    spec.run = [home, perInterval, waitLimit](const SupportActionCall& call, Response& res) {
        Paths paths = Paths::of(home);
        if (!SupervisorLock::heldByOther(paths.lock)) {
            res.error(503, "no-supervisor",
                      "no always-on supervisor is running, so nothing would start the server again - the owner can "
                      "start one with 'wildws always-on start'");
            return;
        }
        RestartRequest request;
        request.requestedAt = common::nowMs();
        request.actor = call.actor.empty() ? "operator" : call.actor;
        request.reason = json::getString(json::parseObject(call.argsJson), "reason").value_or("");
        request.nonce = randomToken(12);
        if (placeRequest(paths.restartRequest, restartRequestJson(request)) == Placed::AlreadyPending) {
            res.error(409, "restart-pending",
                      "a restart request is already waiting for the supervisor; its outcome will be in the audit");
            return;
        }
        if (call.wait) {
            auto r = awaitResult(paths.restartResult, request.nonce, waitLimit);
            if (!r) {
                res.error(504, "restart-timeout",
                          "the supervisor took the request (nonce " + request.nonce + ") but its outcome did not come "
                          "within " + std::to_string(waitLimit.count() / 1000) + " s; it will be in the audit");
                return;
            }
            if (!r->ok) {
                res.error(409, "not-restarted", r->detail);
                return;
            }
            auto o = json::object();
            o->set("status", "restarted");
            o->set("nonce", request.nonce);
            o->set("oldPid", r->oldPid);
            o->set("pid", r->pid);
            o->set("message", r->detail);
            res.json(200, json::toText(o));
            return;
        }
        auto o = json::object();
        o->set("status", "requested");
        o->set("nonce", request.nonce);
        o->set("message",
               "the supervisor restarts the server within a second (" + perInterval +
                   "); the outcome - the new pid, or why not - is written to the audit");
        res.json(202, json::toText(o));
    };
    return spec;
}

} // namespace wildws::supervisor
