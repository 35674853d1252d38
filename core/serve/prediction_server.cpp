// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

#include "model/predictor.h"
#include "serve/micro_batcher.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace fika::core {
namespace {

using Clock = std::chrono::steady_clock;
thread_local Clock::time_point t_requestStart;

// cpp-httplib 0.11 listens with a backlog of 5, compiled into Debian's library: 16 clients
// connecting at once overflow it and some connections fail. Listening again on the bound socket
// raises the backlog (Linux allows it); the socket is found by its port.
void raiseListenBacklog(int port)
{
    for (int fd = 3; fd < 4096; ++fd) {
        int listening = 0;
        socklen_t size = sizeof listening;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening)
            continue;
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            continue;
        const int bound = address.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port)
                                                        : ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
        if (bound == port)
            ::listen(fd, SOMAXCONN);
    }
}

void sendError(httplib::Response& res, int status, const std::string& message)
{
    res.status = status;
    res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

std::string base64Decode(const std::string& text)
{
    if (text.empty() || text.size() % 4 != 0 || text.size() > 4096)
        return {};
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0)
        return {};
    size_t padding = 0;
    for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
        ++padding;
    out.resize(static_cast<size_t>(n) - std::min<size_t>(padding, static_cast<size_t>(n)));
    return out;
}

// The token from "Basic base64(token:)" or "Bearer token"; empty when absent or malformed.
std::string presentedToken(const httplib::Request& req)
{
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) == 0)
        return header.substr(7);
    if (header.rfind("Basic ", 0) == 0) {
        const std::string pair = base64Decode(header.substr(6));
        const auto colon = pair.find(':');
        return colon == std::string::npos ? pair : pair.substr(0, colon);
    }
    return {};
}

bool hasText(const std::string& text)
{
    return text.find_first_not_of(" \t\r\n") != std::string::npos;
}

} // namespace

struct PredictionServer::State {
    std::shared_ptr<const Predictor> predictor;
    ServerOptions options;
    std::unique_ptr<MicroBatcher> batcher;
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::string openApi;

    nlohmann::json answer(const Prediction& p) const
    {
        nlohmann::json probabilities = nlohmann::json::object();
        const auto& labels = predictor->labels();
        for (size_t i = 0; i < labels.size() && i < p.probabilities.size(); ++i)
            probabilities[labels[i]] = p.probabilities[i];
        return {{options.targetName, probabilities}, {"label", p.label}};
    }

    void predict(const httplib::Request& req, httplib::Response& res)
    {
        if (!constantTimeEquals(presentedToken(req), options.token)) {
            // A Bearer challenge: a Basic one would make browsers pop up a password dialog over the tester page.
            res.set_header("WWW-Authenticate", "Bearer realm=\"fika\"");
            return sendError(res, 401, "missing or wrong token: send it as the basic-auth user (curl -u \"TOKEN:\") or as "
                                       "\"Authorization: Bearer TOKEN\"");
        }
        const std::string type = req.get_header_value("Content-Type");
        std::vector<std::string> texts;
        bool batch = false;
        if (req.is_multipart_form_data()) {
            if (!req.has_file(options.inputName))
                return sendError(res, 400, "missing form field '" + options.inputName + "'");
            texts.push_back(req.get_file_value(options.inputName).content);
        } else if (type.rfind("application/json", 0) == 0) {
            nlohmann::json body;
            try {
                body = nlohmann::json::parse(req.body);
            } catch (const nlohmann::json::exception& e) {
                return sendError(res, 400, std::string("malformed JSON: ") + e.what());
            }
            auto textOf = [&](const nlohmann::json& row, const std::string& where, std::string& error) -> std::string {
                if (!row.is_object() || !row.contains(options.inputName) || !row[options.inputName].is_string()) {
                    error = where + ": needs a string field '" + options.inputName + "'";
                    return {};
                }
                return row[options.inputName].get<std::string>();
            };
            std::string error;
            if (body.is_object() && body.contains("rows")) {
                if (!body["rows"].is_array() || body["rows"].empty())
                    return sendError(res, 400, "'rows' must be a non-empty array");
                batch = true;
                for (size_t i = 0; i < body["rows"].size(); ++i) {
                    texts.push_back(textOf(body["rows"][i], "row " + std::to_string(i), error));
                    if (!error.empty())
                        return sendError(res, 400, error);
                    if (!hasText(texts.back()))
                        return sendError(res, 400, "row " + std::to_string(i) + ": '" + options.inputName + "' is empty");
                }
            } else {
                texts.push_back(textOf(body, "the body", error));
                if (!error.empty())
                    return sendError(res, 400, error);
            }
        } else {
            return sendError(res, 415, "send multipart/form-data (curl -F \"" + options.inputName +
                                           "=…\") or application/json, not '" + type + "'");
        }
        if (!batch && !hasText(texts.front()))
            return sendError(res, 400, "'" + options.inputName + "' is empty");
        const auto predictions = batcher->predict(std::move(texts));
        nlohmann::json out;
        if (batch) {
            out["rows"] = nlohmann::json::array();
            for (const auto& p : predictions)
                out["rows"].push_back(answer(p));
        } else {
            out = answer(predictions.front());
        }
        res.set_content(out.dump(), "application/json");
    }
};

PredictionServer::PredictionServer(std::shared_ptr<const Predictor> predictor, ServerOptions options)
    : m_state(std::make_unique<State>())
{
    m_state->predictor = std::move(predictor);
    m_state->options = std::move(options);
}

PredictionServer::~PredictionServer()
{
    stop();
}

const ServerOptions& PredictionServer::options() const
{
    return m_state->options;
}

BatchStats PredictionServer::batchStats() const
{
    return m_state->batcher ? m_state->batcher->stats() : BatchStats{};
}

Status PredictionServer::start()
{
    State& s = *m_state;
    if (s.options.token.size() < 16)
        return makeError(ErrorCode::InvalidArgument, "the API token must have at least 16 characters");
    s.batcher = std::make_unique<MicroBatcher>(
        s.predictor, MicroBatcher::Options{s.options.maxBatch, s.options.maxWaitMicroseconds, s.options.workers});
    s.openApi = openApiJson(s.options, s.predictor->labels());
    auto& server = s.server;
    const int threads = s.options.connectionThreads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    server.set_payload_max_length(s.options.maxBodyBytes);
    server.set_tcp_nodelay(true); // headers and body go out in two writes: no Nagle delay between them
    // cpp-httplib closes a keep-alive connection after 5 requests by default; a client sending its
    // next request at that moment gets no answer. Keep connections open (idle ones still time out).
    server.set_keep_alive_max_count(100000);
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        t_requestStart = Clock::now();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty())
            return;
        switch (res.status) {
        case 404: return sendError(res, 404, "no such path: see GET /openapi.json");
        case 413: return sendError(res, 413, "the body is over the size limit");
        case 400: return sendError(res, 400, "malformed request");
        default: return sendError(res, res.status, "request failed");
        }
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what += std::string(": ") + e.what();
        } catch (...) {
        }
        sendError(res, 500, what);
    });
    server.set_logger([&s](const httplib::Request& req, const httplib::Response& res) {
        if (!s.options.log)
            return;
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t_requestStart).count();
        char line[512];
        std::snprintf(line, sizeof line, "%s %s %d %.1f ms", req.method.c_str(), req.path.substr(0, 200).c_str(), res.status, ms);
        s.options.log(line);
    });
    server.Get("/health", [&s](const httplib::Request&, httplib::Response& res) {
        res.set_content(nlohmann::json{{"status", "ok"}, {"labels", s.predictor->labels()}, {"input", s.options.inputName},
                                       {"target", s.options.targetName}}
                            .dump(),
                        "application/json");
    });
    server.Get("/", [&s](const httplib::Request&, httplib::Response& res) {
        res.set_content(s.options.testerPage.empty() ? builtinTesterPage() : s.options.testerPage, "text/html; charset=utf-8");
    });
    server.Get("/openapi.json", [&s](const httplib::Request&, httplib::Response& res) {
        res.set_content(s.openApi, "application/json");
    });
    server.Post("/predict", [&s](const httplib::Request& req, httplib::Response& res) { s.predict(req, res); });
    auto notAllowed = [](const char* allowed) {
        return [allowed](const httplib::Request&, httplib::Response& res) {
            res.set_header("Allow", allowed);
            sendError(res, 405, std::string("method not allowed; use ") + allowed);
        };
    };
    for (const char* path : {"/health", "/", "/openapi.json"}) {
        server.Post(path, notAllowed("GET"));
        server.Put(path, notAllowed("GET"));
        server.Delete(path, notAllowed("GET"));
    }
    server.Get("/predict", notAllowed("POST"));
    server.Put("/predict", notAllowed("POST"));
    server.Delete("/predict", notAllowed("POST"));

    s.port = s.options.port == 0 ? server.bind_to_any_port(s.options.host) : s.options.port;
    if (s.port <= 0 || (s.options.port != 0 && !server.bind_to_port(s.options.host, s.options.port)))
        return makeError(ErrorCode::IoError, s.options.host + ":" + std::to_string(s.options.port) +
                                                 ": cannot listen there (in use, or not an address of this machine)");
    raiseListenBacklog(s.port);
    s.thread = std::thread([&server] { server.listen_after_bind(); });
    return Ok{};
}

void PredictionServer::stop()
{
    State& s = *m_state;
    if (!s.thread.joinable())
        return;
    s.server.stop(); // stops accepting; the pool finishes the requests it holds
    s.thread.join();
    s.batcher.reset();
}

int PredictionServer::port() const
{
    return m_state->port;
}

std::string PredictionServer::url() const
{
    const std::string& host = m_state->options.host;
    return "http://" + (host == "0.0.0.0" ? std::string("127.0.0.1") : host) + ":" + std::to_string(m_state->port);
}

std::string generateToken()
{
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("the operating system's random source failed");
    static const char* hex = "0123456789abcdef";
    std::string token;
    for (unsigned char b : bytes) {
        token += hex[b >> 4];
        token += hex[b & 15];
    }
    return token;
}

bool constantTimeEquals(const std::string& a, const std::string& b)
{
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    const std::string& longer = a.size() >= b.size() ? a : b;
    for (size_t i = 0; i < longer.size(); ++i)
        difference |= static_cast<unsigned char>((i < a.size() ? a[i] : 0) ^ (i < b.size() ? b[i] : 0));
    return difference == 0 && !b.empty();
}

} // namespace fika::core
