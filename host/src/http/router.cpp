#include "http/router.hpp"

namespace wildws::host {
namespace {

// -1: no match; else the number of literal segments matched (higher wins).
int score(const RouteEntry& r, const std::vector<std::string>& segments, std::map<std::string, std::string>* params) {
    if (r.segments.size() != segments.size()) return -1;
    int literal = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& pattern = r.segments[i];
        if (!pattern.empty() && pattern[0] == ':') {
            if (params) (*params)[pattern.substr(1)] = segments[i]; // already decoded, once
        } else if (pattern == segments[i]) {
            ++literal;
        } else {
            return -1;
        }
    }
    return literal;
}

} // namespace

Router::Router(const std::vector<RouteEntry>& all, Role role) {
    for (auto& r : all)
        if (r.spec.role == role) routes_.push_back(&r);
}

std::optional<Method> Router::parseMethod(const std::string& name) {
    if (name == "GET" || name == "HEAD") return Method::Get;
    if (name == "POST") return Method::Post;
    if (name == "PUT") return Method::Put;
    if (name == "PATCH") return Method::Patch;
    if (name == "DELETE") return Method::Delete;
    return std::nullopt;
}

std::optional<RouteMatch> Router::match(Method method, const std::vector<std::string>& segments) const {
    const RouteEntry* best = nullptr;
    int bestScore = -1;
    std::vector<std::string> allowed;
    for (auto* r : routes_) {
        int s = score(*r, segments, nullptr);
        if (s < 0) continue;
        allowed.push_back(methodName(r->spec.method));
        if (r->spec.method == method && s > bestScore) {
            best = r;
            bestScore = s;
        }
    }
    if (allowed.empty()) return std::nullopt;
    RouteMatch m;
    m.allowed = allowed;
    if (best) {
        m.route = best;
        score(*best, segments, &m.params);
    }
    return m;
}

} // namespace wildws::host
