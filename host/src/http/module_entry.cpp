// wildws-http.so's entry points (server_module.hpp): the only symbols the
// module exports; everything else in it is hidden.
#include "http/http_server.hpp"
#include "version.hpp"

#define WILDWS_HTTP_EXPORT extern "C" __attribute__((visibility("default")))

WILDWS_HTTP_EXPORT const char* wildws_http_version() { return WILDWS_VERSION; }

WILDWS_HTTP_EXPORT wildws::host::Server* wildws_http_server(wildws::host::ServerCore& core) {
    return new wildws::host::HttpServer(core);
}
