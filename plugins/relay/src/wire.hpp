// The relay's wire contract over NATS, in one place (both sides use it).
//
// Subjects (installId = 32 hex characters):
//   wildws.<id>.actions          request: the action list (GET /api/support/actions)
//   wildws.<id>.action.<name>    request: one call, body {"args":{...}} (POST /api/support/actions/<name>)
//   wildws.<id>.stream.<sid>     the requester's heartbeat / cancel for its stream <sid>
//   wildws.audit.<id>            the fleet audit copy (JetStream stream WILDWS_AUDIT)
// Request headers: Authorization "Bearer <operator token>", Wildws-Stream
// <sid> (the requester's random stream id), Wildws-Requester (who the
// requester says it is: NOT verified by the broker).
// Every message the install sends to the reply subject has Wildws-Kind:
//   accepted   at once, with Wildws-Heartbeat-Ms (how often to heartbeat)
//   json       a whole answer: Wildws-Status (HTTP status), body = JSON
//   json-part  a piece of a json answer too big for one message (then json)
//   line       one NDJSON line of a streamed answer (Wildws-Seq 1, 2, ...)
//   heartbeat  the install is still there (no body)
//   done       nothing more follows (Wildws-Seq = the number of lines sent)
#pragma once

#include <string_view>

namespace wildws::relay::wire {

inline constexpr const char* kKind = "Wildws-Kind";
inline constexpr const char* kStatus = "Wildws-Status";
inline constexpr const char* kSeq = "Wildws-Seq";
inline constexpr const char* kStream = "Wildws-Stream";
inline constexpr const char* kRequester = "Wildws-Requester";
inline constexpr const char* kHeartbeatMs = "Wildws-Heartbeat-Ms";
inline constexpr const char* kAuthorization = "Authorization";

inline constexpr const char* kAccepted = "accepted";
inline constexpr const char* kJson = "json";
inline constexpr const char* kJsonPart = "json-part";
inline constexpr const char* kLine = "line";
inline constexpr const char* kHeartbeat = "heartbeat";
inline constexpr const char* kDone = "done";

inline constexpr const char* kAuditStream = "WILDWS_AUDIT";
inline constexpr const char* kAuditSubjects = "wildws.audit.>";

inline std::string_view kCancelBody = "cancel";

} // namespace wildws::relay::wire
