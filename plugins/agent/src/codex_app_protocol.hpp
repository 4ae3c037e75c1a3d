// Codex's app-server (JSON-RPC 2.0 as JSONL on stdio, without the "jsonrpc"
// field) for one live `codex app-server` process. See
// shared/notes/interactive-agents.md section 2.
//
//   open()     -> initialize; on its result: initialized, then thread/start
//                 {cwd, approvalPolicy "on-request", sandbox read-only (plan) |
//                 workspace-write (build)}, or thread/resume {threadId} for a
//                 resumed conversation (failing that: thread/start and a
//                 notice). ready() once the thread is known.
//   turn()     -> turn/start {threadId, input:[{type:text, text}]}
//   item/commandExecution/requestApproval -> permission {tool "shell", input
//                 {command, cwd, reason}}; item/fileChange/requestApproval ->
//                 permission {tool "apply_patch", input {changes (from the
//                 item's start), reason, grantRoot}}; also the v1
//                 execCommandApproval / applyPatchApproval
//   item/permissions/requestApproval -> permission {tool "permissions", input
//                 {permissions (as asked: network, fileSystem), reason, cwd}}
//   item/tool/requestUserInput -> question [{id, question, header, options
//                 [{label, description}], multiSelect false, isOther, isSecret}]
//   respond()  -> {"id", "result":{"decision"}}: allow once accept, allow for
//                 the chat acceptForSession, deny decline, deny with stop
//                 cancel (v1: approved, approved_for_session, denied, abort);
//                 permissions: {"permissions": <what was asked> | {}, "scope":
//                 "turn" | "session"} (the response has no decline: an empty
//                 grant is the refusal; with stop, interrupt() follows);
//                 a question: {"answers": {"<question id>": {"answers":
//                 ["<label or text>"]}}}, {} when denied
//   serverRequest/resolved for an open prompt -> permission-resolved by agent
//   interrupt()-> turn/interrupt {threadId, turnId}
//   item/started, item/completed -> the chunks `codex exec --json` gives
//   turn/completed -> usage and `end` completed / interrupted / failed
//   error {willRetry: true} -> stderr; otherwise an error
//   other server requests -> a JSON-RPC error (method not handled);
//   other notifications (configWarning, deltas, ...) -> skipped.
#pragma once

#include <wildws/services/agent.hpp>

#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wildws::agent {

class CodexAppProtocol : public AgentProtocol {
public:
    /// `request`: the first turn's (cwd, mode, resume id).
    explicit CodexAppProtocol(const AgentRequest& request);
    void open(std::vector<std::string>& writes) override;
    bool ready() const override { return !threadId_.empty(); }
    void line(std::string_view line, std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    void turn(const AgentRequest& request, std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    void respond(const std::string& requestId, const AgentDecision& decision, std::vector<Chunk>& chunks,
                 std::vector<std::string>& writes) override;
    void interrupt(std::vector<Chunk>& chunks, std::vector<std::string>& writes) override;
    std::string resumeId() const override { return threadId_; }

private:
    enum class Kind { Approval, LegacyApproval, Permissions, Question };
    struct Asked {
        std::string rawId; // the JSON-RPC id as sent (number or string)
        Kind kind = Kind::Approval;
        std::string requestedJson;                   // Permissions: the profile asked for
        std::vector<std::pair<std::string, std::string>> questions; // Question: (id, text), in codex's order
    };
    void askPermissions(const std::string& key, Asked a, const Poco::JSON::Object::Ptr& params, std::vector<Chunk>& chunks);
    void askQuestions(const std::string& key, Asked a, const Poco::JSON::Object::Ptr& params, std::vector<Chunk>& chunks);
    static std::string resultFor(const Asked& a, const AgentDecision& d);
    std::string request(const std::string& method, const std::string& paramsJson, std::string* idOut = nullptr);
    void startThread(std::vector<std::string>& writes);
    void response(const std::string& id, const std::string& text, std::vector<Chunk>& chunks,
                  std::vector<std::string>& writes);
    void serverRequest(const std::string& method, const std::string& text, std::vector<Chunk>& chunks,
                       std::vector<std::string>& writes);
    void notification(const std::string& method, const std::string& text, std::vector<Chunk>& chunks);
    void endTurn(std::vector<Chunk>& chunks, const std::string& reason);

    std::string cwd_, sandbox_, resumeFrom_;
    std::string threadId_, turnId_;
    int nextId_ = 0;
    std::string initId_, threadReqId_, turnReqId_;
    bool resuming_ = false;
    bool inTurn_ = false, interrupting_ = false, turnError_ = false;
    std::int64_t tokens_ = -1;
    std::chrono::steady_clock::time_point turnStart_;
    std::map<std::string, Asked> asked_;
    std::map<std::string, std::string> changes_; // fileChange item id -> its changes JSON
    std::set<std::string> started_;              // item ids whose tool-use was emitted
};

} // namespace wildws::agent
