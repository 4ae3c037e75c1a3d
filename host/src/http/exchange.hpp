// The SDK's Request / Response / Stream, implemented over Poco. A plugin
// sees only the SDK types.
#pragma once

#include "http/host_response.hpp"
#include "http/request_checks.hpp"

#include <wildws/http.hpp>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

namespace wildws::host {

class HttpRequest : public Request {
public:
    HttpRequest(Method method, std::string path, std::map<std::string, std::string> query, HeaderView headers,
                std::string peer, bool genuineLoopback)
        : method_(method), path_(std::move(path)), query_(std::move(query)), headers_(std::move(headers)),
          peer_(std::move(peer)), genuineLoopback_(genuineLoopback) {}

    Method method() const override { return method_; }
    const std::string& path() const override { return path_; }
    std::optional<std::string> param(std::string_view name) const override;
    std::optional<std::string> query(std::string_view name) const override;
    std::optional<std::string> header(std::string_view name) const override { return headers_.get(std::string(name)); }
    const std::string& body() const override { return body_; }
    std::string peerAddress() const override { return peer_; }
    bool genuineLoopback() const override { return genuineLoopback_; }
    const Caller& caller() const override { return caller_; }

    void setParams(std::map<std::string, std::string> p) { params_ = std::move(p); }
    void setBody(std::string b) { body_ = std::move(b); }
    void setCaller(Caller c) { caller_ = std::move(c); }
    const HeaderView& headers() const { return headers_; }

private:
    Method method_;
    std::string path_;
    std::map<std::string, std::string> query_;
    std::map<std::string, std::string> params_;
    HeaderView headers_;
    std::string peer_;
    bool genuineLoopback_;
    std::string body_;
    Caller caller_;
};

class HttpStream : public Stream {
public:
    HttpStream(std::ostream& out, Poco::Net::StreamSocket* socket, const std::atomic<bool>& stopping)
        : out_(out), socket_(socket), stopping_(stopping) {}
    bool writeLine(std::string_view line) override;
    bool write(std::string_view text) override;
    bool closed() override;
    std::size_t bytes() const { return bytes_; }

private:
    std::ostream& out_;
    Poco::Net::StreamSocket* socket_;
    const std::atomic<bool>& stopping_;
    std::size_t bytes_ = 0;
    bool gone_ = false;
};

class HttpResponse : public HostResponse {
public:
    HttpResponse(Poco::Net::HTTPServerResponse& res, Poco::Net::StreamSocket* socket, const std::atomic<bool>& stopping)
        : res_(res), socket_(socket), stopping_(stopping) {}
    void setHeader(const std::string& name, const std::string& value) override { res_.set(name, value); }
    void json(int status, const std::string& json) override { send(status, "application/json", json); }
    void error(int status, const std::string& code, const std::string& message) override;
    void send(int status, const std::string& contentType, const std::string& body) override;
    Stream& stream(const std::string& contentType = "application/x-ndjson") override;
    bool sent() const override { return sent_; }

    int status() const { return status_; }
    std::size_t bytes() const { return stream_ ? stream_->bytes() : bytes_; }
    bool streaming() const override { return stream_ != nullptr; }

private:
    Poco::Net::HTTPServerResponse& res_;
    Poco::Net::StreamSocket* socket_;
    const std::atomic<bool>& stopping_;
    std::unique_ptr<HttpStream> stream_;
    bool sent_ = false;
    int status_ = 0;
    std::size_t bytes_ = 0;
};

/// {"error": code, "message": message} with proper escaping.
std::string errorJson(const std::string& code, const std::string& message);

} // namespace wildws::host
