#include "files_route.hpp"

#include "conversation_admin.hpp"
#include "workdir_files.hpp"

#include <wildws/common/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace wildws::agent {
namespace {

std::string serverCwd() {
    char* cwd = ::getcwd(nullptr, 0);
    std::string out = cwd ? cwd : "/";
    std::free(cwd);
    return out;
}

void files(SessionManager& m, const Request& req, Response& res) {
    std::string dir = req.query("cwd").value_or("");
    if (dir.empty()) dir = m.settings().cwd.empty() ? serverCwd() : m.settings().cwd;
    struct stat st {};
    if (dir[0] != '/' || ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return res.error(400, "bad-cwd", "the working directory '" + dir + "' is not an existing absolute directory");
    std::string q = req.query("q").value_or("");
    if (q.size() > kMaxQueryBytes)
        return res.error(400, "bad-query", "q is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    auto listed = listWorkdirFiles(dir);
    auto list = common::json::array();
    for (auto& f : suggestFiles(dir, listed.files, q)) list->add(f);
    auto out = common::json::object();
    out->set("files", list);
    out->set("cwd", dir);
    out->set("truncated", listed.truncated);
    res.json(200, common::json::toText(out));
}

} // namespace

void registerFilesRoute(Context& ctx, std::shared_ptr<SessionManager> manager) {
    RouteSpec spec;
    spec.method = Method::Get;
    spec.path = "/api/files";
    spec.role = Role::Workspace;
    spec.gate = Gate::Owner;
    spec.permission = Permission::Chat;
    spec.handler = [manager](const Request& req, Response& res) { files(*manager, req, res); };
    ctx.route(std::move(spec));
}

} // namespace wildws::agent
