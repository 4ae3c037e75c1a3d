#include "owner_routes.hpp"

#include <wildws/common/json.hpp>
#include <wildws/common/text.hpp>
#include "status_json.hpp"

#include <wildws/http.hpp>

namespace wildws::consent {

void registerOwnerRoutes(Context& ctx, std::shared_ptr<ConsentService> service) {
    RouteSpec status;
    status.method = Method::Get;
    status.path = "/api/consent/status";
    status.role = Role::Workspace;
    status.gate = Gate::Owner;
    status.permission = Permission::Chat;
    status.handler = [service](const Request&, Response& res) {
        res.json(200, json::toText(grantStatusJson(*service, service->status())));
    };
    ctx.route(std::move(status));

    RouteSpec revoke;
    revoke.method = Method::Post;
    revoke.path = "/api/consent/revoke";
    revoke.role = Role::Workspace;
    revoke.gate = Gate::Owner;
    revoke.permission = Permission::ChatWrite;
    revoke.handler = [service](const Request&, Response& res) {
        auto o = json::object();
        try {
            o->set("revoked", service->revokeGrant("owner", "from the page").existed);
        } catch (const std::exception& e) {
            return res.error(500, "revoke-failed", std::string("could not remove the support grant: ") + e.what());
        }
        res.json(200, json::toText(o));
    };
    ctx.route(std::move(revoke));
}

} // namespace wildws::consent
