// The checks every request passes before a handler: the head scan, framing,
// target decoding, Host / Origin / bearer / forwarding checks, route
// matching, and the chunked body decoder. Input: the bytes of a request.
#include "http/body_reader.hpp"
#include "http/framing.hpp"
#include "http/head_scan.hpp"
#include "http/owner_session.hpp"
#include "http/request_checks.hpp"
#include "http/request_target.hpp"
#include "http/router.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace wildws::host;

namespace {

struct View : ByteSource {
    std::string_view data;
    std::size_t pos = 0;
    int get() override { return pos < data.size() ? static_cast<unsigned char>(data[pos++]) : -1; }
    std::size_t read(char* buf, std::size_t n) override {
        std::size_t k = std::min(n, data.size() - pos);
        data.copy(buf, k, pos);
        pos += k;
        return k;
    }
};

const Router& router() {
    static std::vector<RouteEntry> entries = [] {
        std::vector<RouteEntry> v;
        for (const char* path : {"/health", "/api/chat/sessions", "/api/chat/sessions/:id", "/api/chat/:id",
                                 "/api/support/allow", "/api/fx/items/:id/:part"}) {
            RouteEntry e;
            e.owner = "fuzz";
            e.spec.path = path;
            e.segments = splitPath(path);
            v.push_back(e);
        }
        return v;
    }();
    static Router r(entries, wildws::Role::Workspace);
    return r;
}

// Splits "METHOD TARGET VERSION\r\nName: value\r\n...\r\n\r\nbody".
void checkRequest(std::string_view bytes) {
    if (scanHead(bytes, 64 * 1024) != HeadState::Complete) return;
    auto lineEnd = bytes.find('\n');
    std::string requestLine(bytes.substr(0, lineEnd));
    auto sp1 = requestLine.find(' ');
    auto sp2 = requestLine.rfind(' ');
    std::string target = sp1 == std::string::npos ? requestLine : requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    HeaderView headers;
    std::size_t pos = lineEnd == std::string_view::npos ? bytes.size() : lineEnd + 1;
    while (pos < bytes.size()) {
        auto end = bytes.find('\n', pos);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view line = bytes.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        headers.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    auto framing = checkFraming(target, headers, 5173, {"wild.test"});
    (void)hostAllowed(headers.get("Host"), 5173, {"wild.test"});
    if (auto origin = headers.get("Origin")) (void)loopbackOrigin(*origin, 5173);
    (void)bearerToken(headers.get("Authorization"));
    (void)forwardingHeader(headers);
    (void)mediaType(headers.get("Content-Type").value_or(""));
    if (framing.error) return;
    if (auto t = parseTarget(framing.target)) {
        for (auto m : {wildws::Method::Get, wildws::Method::Post}) {
            auto match = router().match(m, t->segments);
            if (match && match->route && match->route->segments.size() != t->segments.size()) std::abort();
        }
    }
    if (framing.body == BodyFraming::Chunked && pos <= bytes.size()) {
        View in;
        in.data = bytes.substr(pos);
        std::string out;
        auto status = readChunkedBody(in, 4096, out);
        if (status == BodyStatus::Ok && out.size() > 4096) std::abort();
        if (in.pos > in.data.size()) std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    checkRequest(bytes);
    // The pieces alone, on arbitrary text too.
    auto decoded = percentDecode(bytes, true);
    if (decoded && decoded->size() > bytes.size()) std::abort();
    (void)parseTarget(bytes);
    (void)isForwardingHeaderName(std::string(bytes.substr(0, 256)));
    (void)hostAllowed(std::string(bytes.substr(0, 256)), 5173, {});
    View in;
    in.data = bytes;
    std::string out;
    (void)readChunkedBody(in, 1 << 16, out);
    return 0;
}
