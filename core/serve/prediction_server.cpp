// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

#include "common/utf8.h"
#include "model/explanation_json.h"
#include "model/predictor.h"
#include "serve/explain_queue.h"
#include "serve/http_text.h"
#include "serve/listen_socket.h"
#include "serve/micro_batcher.h"

#include <microhttpd.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <strings.h>
#include <thread>
#include <unordered_set>

namespace fika::core {
namespace {

using Clock = std::chrono::steady_clock;

std::string errorJson(const std::string& message)
{
    // replace: a message may quote the client's bytes, which need not be UTF-8
    return nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A refused body is read and dropped up to this size; a larger one gets its connection reset.
constexpr size_t kMaxDiscardBytes = 64 << 20;

bool hasText(const std::string& text)
{
    return text.find_first_not_of(" \t\r\n") != std::string::npos;
}

std::string stepsRange()
{
    return "steps must be a whole number from 1 to " + std::to_string(kMaxExplainSteps);
}

// ?steps=N; false for anything but 1 to kMaxExplainSteps in decimal digits.
bool parseSteps(const std::string& text, int& steps)
{
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    steps = std::stoi(text);
    return steps >= 1 && steps <= kMaxExplainSteps;
}

// One TCP connection (MHD's socket context), watched for slow senders.
struct Connection {
    int fd = -1;
    Clock::time_point deadline; // the request being read must be complete by then
    bool shutDown = false;
};

// One HTTP request (MHD's con_cls).
struct Request {
    Clock::time_point started = Clock::now();
    std::string method, path;
    bool json = false;
    std::string body;        // a JSON body
    MHD_PostProcessor* form = nullptr;
    const std::string* inputName = nullptr;
    bool hasField = false;   // multipart: the input field was seen
    bool fieldTwice = false; // … and seen again: which one was meant is unknown
    std::string field;
    bool formBroken = false;
    size_t received = 0;
    bool tooLarge = false;
    // An answer made before the body was read (a refusal, or a GET) waits for its end; a refused
    // body is counted, not kept. Answering at once makes MHD close the connection, resetting it
    // under a client still sending, which then never sees the answer.
    bool bodyPending = false;
    struct Deferred {
        unsigned status = 0;
        std::string body;
        const char* type = nullptr;
        const char* header = nullptr;
        const char* value = nullptr;
    } deferred;
    size_t discarded = 0;
    bool submitted = false;  // the batcher or the explain queue has it; the connection is suspended
    bool batch = false;
    // ?explain=true / "explain": true, and the steps (query or JSON field; given twice, they must agree)
    bool explain = false, explainGiven = false;
    int steps = kDefaultExplainSteps;
    bool stepsGiven = false;
    std::vector<Prediction> predictions;
    std::vector<Explanation> explanations; // with explain, one per prediction
    unsigned status = 200;   // of the computed answer
    std::string error;       // its message, when status is not 200
    ~Request()
    {
        if (form)
            MHD_destroy_post_processor(form);
    }
};

MHD_Result onFormField(void* cls, MHD_ValueKind, const char* key, const char*, const char*, const char*, const char* data,
                       uint64_t offset, size_t size)
{
    auto& request = *static_cast<Request*>(cls);
    if (key && *request.inputName == key) {
        if (offset == 0 && request.hasField) // a field's value may come in pieces; a new one starts at 0
            request.fieldTwice = true;
        request.hasField = true;
        request.field.append(data, size);
    }
    return MHD_YES;
}

MHD_Result countContentLength(void* cls, MHD_ValueKind, const char* key, const char*)
{
    if (key && strcasecmp(key, "Content-Length") == 0)
        ++*static_cast<int*>(cls);
    return MHD_YES;
}

// Query parameters given more than once (MHD's lookup returns only the first).
struct QueryCounts {
    int explain = 0, steps = 0;
};

MHD_Result countQuery(void* cls, MHD_ValueKind, const char* key, const char*)
{
    auto& counts = *static_cast<QueryCounts*>(cls);
    if (key && std::strcmp(key, "explain") == 0)
        ++counts.explain;
    else if (key && std::strcmp(key, "steps") == 0)
        ++counts.steps;
    return MHD_YES;
}

} // namespace

struct PredictionServer::State {
    std::shared_ptr<const Predictor> predictor;
    ServerOptions options;
    std::unique_ptr<MicroBatcher> batcher;
    std::unique_ptr<ExplainQueue> explainer; // uses the batcher: made after it, reset before it
    MHD_Daemon* daemon = nullptr;
    int listenFd = -1;
    int port = 0;
    bool loopback = true; // bound to a loopback address
    std::string openApi;

    // Submitting and stopping exclude each other, so nothing reaches the batcher after stop() began.
    std::mutex flightMutex;
    std::condition_variable flightDone;
    bool stopping = false;
    int inFlight = 0; // submitted requests not yet completed: computing, being sent, or their client gone

    // The watchdog closes connections whose request is not complete by its deadline.
    std::mutex connectionsMutex;
    std::unordered_set<Connection*> connections;
    std::condition_variable watchdogWake;
    bool watching = false;
    std::thread watchdog;

    void log(const Request& r, unsigned status) const
    {
        if (!options.log)
            return;
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - r.started).count();
        char line[64];
        std::snprintf(line, sizeof line, " %u %.1f ms", status, ms);
        options.log(http::escapeForLog(r.method, 20) + " " + http::escapeForLog(r.path) + line);
    }

    MHD_Result respond(MHD_Connection* c, Request& r, unsigned status, const std::string& body,
                       const char* type = "application/json", const char* header = nullptr, const char* value = nullptr)
    {
        if (r.bodyPending) {
            r.deferred = {status, body, type, header, value};
            return MHD_YES;
        }
        MHD_Response* response = MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
        if (!response)
            return MHD_NO;
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        if (header)
            MHD_add_response_header(response, header, value);
        const MHD_Result queued = MHD_queue_response(c, status, response);
        MHD_destroy_response(response);
        log(r, status);
        return queued;
    }

    MHD_Result fail(MHD_Connection* c, Request& r, unsigned status, const std::string& message)
    {
        return respond(c, r, status, errorJson(message));
    }

    void setDeadline(MHD_Connection* c, Clock::time_point deadline)
    {
        const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        if (!info || !info->socket_context)
            return;
        std::lock_guard lock(connectionsMutex);
        static_cast<Connection*>(info->socket_context)->deadline = deadline;
    }

    // Headers are in: route, and for /predict check size, token and type before any body is read.
    MHD_Result begin(MHD_Connection* c, Request& r)
    {
        if (MHD_get_connection_values(c, MHD_HEADER_KIND, nullptr, nullptr) > options.maxHeaders)
            return fail(c, r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "more than " + std::to_string(options.maxHeaders) + " header lines");
        if (const auto* size = MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
            size && size->header_size > options.maxHeaderBytes)
            return fail(c, r, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "the request line and headers are over " + std::to_string(options.maxHeaderBytes) + " bytes");
        int lengths = 0;
        MHD_get_connection_values(c, MHD_HEADER_KIND, countContentLength, &lengths);
        const char* chunked = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if (lengths > 1 || (lengths == 1 && chunked)) // RFC 9112 6.3: the body's end is ambiguous
            return fail(c, r, MHD_HTTP_BAD_REQUEST, "conflicting Content-Length / Transfer-Encoding headers");
        if (!utf8::isValid(r.path))
            return fail(c, r, MHD_HTTP_BAD_REQUEST, "the path is not valid UTF-8");
        const bool get = r.method == MHD_HTTP_METHOD_GET || r.method == MHD_HTTP_METHOD_HEAD;
        if (r.path == "/health" || r.path == "/" || r.path == "/openapi.json") {
            if (!get)
                return respond(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, errorJson("method not allowed; use GET"), "application/json",
                               MHD_HTTP_HEADER_ALLOW, "GET");
            if (r.path == "/health")
                return respond(c, r, MHD_HTTP_OK,
                               nlohmann::json{{"status", "ok"}, {"labels", predictor->labels()}, {"input", options.inputName},
                                              {"target", options.targetName}}
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
            if (r.path == "/")
                return respond(c, r, MHD_HTTP_OK, options.testerPage.empty() ? builtinTesterPage() : options.testerPage,
                               "text/html; charset=utf-8");
            return respond(c, r, MHD_HTTP_OK, openApi);
        }
        if (r.path != "/predict")
            return fail(c, r, MHD_HTTP_NOT_FOUND, "no such path: see GET /openapi.json");
        if (r.method != MHD_HTTP_METHOD_POST)
            return respond(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, errorJson("method not allowed; use POST"), "application/json",
                           MHD_HTTP_HEADER_ALLOW, "POST");
        if (const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            length && std::strtoull(length, nullptr, 10) > options.maxBodyBytes)
            return fail(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "the body is over the size limit of " + std::to_string(options.maxBodyBytes) + " bytes");
        const char* authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if (!constantTimeEquals(http::presentedToken(authorization ? authorization : ""), options.token))
            // A Bearer challenge: a Basic one would make browsers pop up a password dialog over the tester page.
            return respond(c, r, MHD_HTTP_UNAUTHORIZED,
                           errorJson("missing or wrong token: send it as the basic-auth user (curl -u \"TOKEN:\") or as "
                                     "\"Authorization: Bearer TOKEN\""),
                           "application/json", MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"fika\"");
        const char* contentType = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        const std::string type = contentType ? contentType : "";
        if (!utf8::isValid(type))
            return fail(c, r, MHD_HTTP_BAD_REQUEST, "the Content-Type header is not valid UTF-8");
        const std::string media = http::mediaType(type);
        if (media == "application/json") {
            r.json = true;
        } else if (media == "multipart/form-data") {
            r.inputName = &options.inputName;
            r.form = MHD_create_post_processor(c, 16 * 1024, onFormField, &r);
            if (!r.form)
                return fail(c, r, MHD_HTTP_BAD_REQUEST, "malformed multipart/form-data: no usable boundary");
        } else {
            return fail(c, r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                        "send multipart/form-data (curl -F \"" + options.inputName + "=…\") or application/json, not '" + type + "'");
        }
        return MHD_YES;
    }

    // A piece of the body (chunked or not: MHD decodes it), counted against the limit as it arrives.
    MHD_Result receive(MHD_Connection* c, Request& r, const char* data, size_t size)
    {
        r.bodyPending = true; // it is being sent (after a "100 Continue", too): an answer waits for its end
        r.received += size;
        if (r.received > options.maxBodyBytes) {
            r.tooLarge = true;
            r.body.clear();
            r.body.shrink_to_fit();
            return fail(c, r, MHD_HTTP_CONTENT_TOO_LARGE,
                        "the body is over the size limit of " + std::to_string(options.maxBodyBytes) + " bytes");
        }
        if (r.json)
            r.body.append(data, size);
        else if (MHD_post_process(r.form, data, size) != MHD_YES)
            r.formBroken = true;
        return MHD_YES;
    }

    // ?explain=true&steps=N (a bare ?explain is true), or an error message.
    static std::string queryExplain(MHD_Connection* c, Request& r)
    {
        QueryCounts counts;
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, countQuery, &counts);
        if (counts.explain > 1 || counts.steps > 1)
            return std::string(counts.explain > 1 ? "explain" : "steps") + " is given twice in the query";
        const char* value = nullptr;
        size_t size = 0;
        if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "explain", 7, &value, &size) == MHD_YES) {
            const std::string text = value ? std::string(value, size) : "true";
            if (text != "true" && text != "false" && text != "1" && text != "0")
                return "explain must be true or false (got '" + http::escapeForLog(text, 40) + "')";
            r.explain = text == "true" || text == "1";
            r.explainGiven = true;
        }
        if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, "steps", 5, &value, &size) == MHD_YES) {
            const std::string text = value ? std::string(value, size) : "";
            if (!parseSteps(text, r.steps))
                return stepsRange() + " (got '" + http::escapeForLog(text, 40) + "')";
            r.stepsGiven = true;
        }
        return {};
    }

    // "explain" and "steps" beside "rows" or the input field; the query's, if given too, must agree.
    std::string explainFields(const nlohmann::json& body, Request& r) const
    {
        if (!body.is_object())
            return {};
        if (options.inputName != "explain" && body.contains("explain")) {
            if (!body["explain"].is_boolean())
                return "'explain' must be true or false";
            if (r.explainGiven && r.explain != body["explain"].get<bool>())
                return "'explain' in the body disagrees with explain= in the query";
            r.explain = body["explain"].get<bool>();
            r.explainGiven = true;
        }
        if (options.inputName != "steps" && body.contains("steps")) {
            const auto& steps = body["steps"];
            if (!steps.is_number_integer() || steps.get<int64_t>() < 1 || steps.get<int64_t>() > kMaxExplainSteps)
                return stepsRange() + " (got " + steps.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ")";
            if (r.stepsGiven && r.steps != steps.get<int>())
                return "'steps' in the body disagrees with steps= in the query";
            r.steps = steps.get<int>();
            r.stepsGiven = true;
        }
        return {};
    }

    // The texts of a complete /predict body, or an error message.
    std::string texts(Request& r, std::vector<std::string>& out)
    {
        if (!r.json) {
            if (r.formBroken)
                return "malformed multipart/form-data body";
            if (!r.hasField)
                return "missing form field '" + options.inputName + "'";
            if (r.fieldTwice)
                return "form field '" + options.inputName + "' is given twice";
            out.push_back(std::move(r.field));
        } else {
            nlohmann::json body;
            // A key given twice in one object: the parser keeps the last, the client may mean the first.
            std::vector<std::unordered_set<std::string>> keys;
            std::string twice;
            const auto duplicates = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                if (event == nlohmann::json::parse_event_t::object_start)
                    keys.emplace_back();
                else if (event == nlohmann::json::parse_event_t::object_end)
                    keys.pop_back();
                else if (event == nlohmann::json::parse_event_t::key && !keys.back().insert(parsed.get<std::string>()).second &&
                         twice.empty())
                    twice = parsed.get<std::string>();
                return true;
            };
            try {
                body = nlohmann::json::parse(r.body, duplicates);
            } catch (const nlohmann::json::exception& e) {
                return std::string("malformed JSON: ") + e.what();
            }
            if (!twice.empty())
                return "'" + http::escapeForLog(twice, 40) + "' is given twice in one JSON object";
            auto textOf = [&](const nlohmann::json& row, const std::string& where, std::string& error) {
                if (!row.is_object() || !row.contains(options.inputName) || !row[options.inputName].is_string())
                    error = where + ": needs a string field '" + options.inputName + "'";
                else
                    out.push_back(row[options.inputName].get<std::string>());
            };
            std::string error = explainFields(body, r);
            if (!error.empty())
                return error;
            if (body.is_object() && body.contains("rows")) {
                if (!body["rows"].is_array() || body["rows"].empty())
                    return "'rows' must be a non-empty array";
                r.batch = true;
                for (size_t i = 0; i < body["rows"].size() && error.empty(); ++i) {
                    textOf(body["rows"][i], "row " + std::to_string(i), error);
                    if (error.empty() && !hasText(out.back()))
                        error = "row " + std::to_string(i) + ": '" + options.inputName + "' is empty";
                }
            } else {
                textOf(body, "the body", error);
            }
            if (!error.empty())
                return error;
        }
        if (!r.batch && !hasText(out.front()))
            return "'" + options.inputName + "' is empty";
        for (size_t i = 0; i < out.size(); ++i)
            if (const auto bad = utf8::findInvalid(out[i]); bad != std::string::npos)
                return (r.batch ? "row " + std::to_string(i) + ": " : std::string()) + "'" + options.inputName +
                       "' is not valid UTF-8 (byte " + std::to_string(bad) + ")";
        for (size_t i = 0; i < out.size(); ++i)
            if (!readsAnything(out[i]))
                return (r.batch ? "row " + std::to_string(i) + ": " : std::string()) + "'" + options.inputName +
                       "' has nothing the model reads (only spaces, invisible or control characters)";
        return {};
    }

    // Whether the model reads any of the text (valid UTF-8). The tokenizer drops no-break and
    // zero-width spaces and control characters; a text of only those would be answered from [CLS]
    // [SEP] alone, as if it said something.
    bool readsAnything(std::string_view text) const
    {
        // Visible ASCII is always read; other texts are tokenized, a prefix first (CJK is read at once).
        if (std::any_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; }))
            return true;
        constexpr size_t kPrefixBytes = 4096;
        if (text.size() > kPrefixBytes) {
            size_t cut = kPrefixBytes;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) // a code point's start
                --cut;
            if (predictor->tokenCount(text.substr(0, cut)) > 2)
                return true;
        }
        return predictor->tokenCount(text) > 2; // [CLS] and [SEP] are always there
    }

    // The whole body is in: hand the texts to the batcher and suspend the connection until it answers.
    MHD_Result submit(MHD_Connection* c, Request& r)
    {
        setDeadline(c, Clock::time_point::max()); // received in full: no longer a slow sender
        std::vector<std::string> all;
        std::string error = queryExplain(c, r);
        if (error.empty())
            error = texts(r, all);
        if (error.empty() && r.stepsGiven && !r.explain)
            error = "steps is the number of steps of an explanation: ask for one with explain=true";
        if (!error.empty())
            return fail(c, r, MHD_HTTP_BAD_REQUEST, error);
        std::lock_guard lock(flightMutex);
        if (stopping)
            return MHD_NO;
        ++inFlight;
        r.submitted = true;
        MHD_suspend_connection(c); // before the batcher or the explain queue can answer and resume it
        if (r.explain) {
            explainer->submit(std::move(all), r.steps, [c, &r](ExplainQueue::Answer answer) {
                r.status = static_cast<unsigned>(answer.status);
                r.error = std::move(answer.error);
                r.predictions = std::move(answer.predictions);
                r.explanations = std::move(answer.explanations);
                MHD_resume_connection(c);
            });
            return MHD_YES;
        }
        batcher->submit(std::move(all), [c, &r](std::vector<Prediction> predictions, std::string error) {
            r.predictions = std::move(predictions);
            if (!error.empty()) {
                r.status = MHD_HTTP_INTERNAL_SERVER_ERROR;
                r.error = "internal error: " + error;
            }
            MHD_resume_connection(c); // MHD calls the handler again, which sends the answer
        });
        return MHD_YES;
    }

    MHD_Result answer(MHD_Connection* c, Request& r)
    {
        const auto one = [this, &r](size_t row) {
            const Prediction& p = r.predictions[row];
            nlohmann::json probabilities = nlohmann::json::object();
            const auto& labels = predictor->labels();
            for (size_t i = 0; i < labels.size() && i < p.probabilities.size(); ++i)
                probabilities[labels[i]] = p.probabilities[i];
            nlohmann::json out{{options.targetName, probabilities}, {"label", p.label}};
            if (r.explain && row < r.explanations.size())
                out["explanation"] = explanationJson(r.explanations[row]);
            return out;
        };
        if (r.status != MHD_HTTP_OK)
            return fail(c, r, r.status, r.error);
        nlohmann::json out;
        if (r.batch) {
            out["rows"] = nlohmann::json::array();
            for (size_t row = 0; row < r.predictions.size(); ++row)
                out["rows"].push_back(one(row));
        } else {
            out = one(0);
        }
        return respond(c, r, MHD_HTTP_OK, out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }

    static MHD_Result handle(void* cls, MHD_Connection* c, const char* url, const char* method, const char*,
                             const char* data, size_t* size, void** context)
    {
        auto& s = *static_cast<State*>(cls);
        if (!*context) {
            {
                std::lock_guard lock(s.flightMutex);
                if (s.stopping)
                    return MHD_NO; // closes the connection: stop() answers only what is in flight
            }
            auto request = std::make_unique<Request>();
            request->method = method;
            request->path = url;
            Request& r = *request;
            *context = request.release();
            const char* length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            const char* expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
            // Answers wait for the end of the body: MHD closes the connection after an answer queued
            // before it. A client waiting for "100 Continue" is answered at once (it sends nothing yet),
            // and so is one announcing more than is ever read (its connection is reset either way).
            const unsigned long long announced = length ? std::strtoull(length, nullptr, 10) : 0;
            const bool waitsForContinue =
                (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) || announced > 0) && expect &&
                strcasecmp(expect, "100-continue") == 0;
            r.bodyPending = !waitsForContinue && announced <= kMaxDiscardBytes;
            return s.begin(c, r);
        }
        Request& r = *static_cast<Request*>(*context);
        if (r.deferred.status) { // answered from the headers: count the rest of the body, then send
            if (*size == 0) {
                r.bodyPending = false;
                return s.respond(c, r, r.deferred.status, r.deferred.body, r.deferred.type, r.deferred.header, r.deferred.value);
            }
            r.discarded += *size;
            *size = 0;
            return r.discarded > kMaxDiscardBytes ? MHD_NO : MHD_YES; // past that, reset the connection
        }
        if (*size > 0) {
            const size_t n = *size;
            *size = 0;
            return s.receive(c, r, data, n);
        }
        r.bodyPending = false; // all of it is in
        return r.submitted ? s.answer(c, r) : s.submit(c, r);
    }

    static void completed(void* cls, MHD_Connection* c, void** context, MHD_RequestTerminationCode)
    {
        auto& s = *static_cast<State*>(cls);
        auto* request = static_cast<Request*>(*context);
        // Counted here, not when answered: a client that hung up while the model computed is never
        // answered, and stop() would wait for it.
        if (request && request->submitted) {
            std::lock_guard lock(s.flightMutex);
            --s.inFlight;
            s.flightDone.notify_all();
        }
        delete request;
        *context = nullptr;
        s.setDeadline(c, Clock::now() + std::chrono::seconds(s.options.requestTimeoutSeconds)); // for the next request
    }

    static void connectionEvent(void* cls, MHD_Connection* c, void** socketContext, MHD_ConnectionNotificationCode code)
    {
        auto& s = *static_cast<State*>(cls);
        std::lock_guard lock(s.connectionsMutex);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            auto* connection = new Connection;
            const auto* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
            connection->fd = info ? info->connect_fd : -1;
            connection->deadline = Clock::now() + std::chrono::seconds(s.options.requestTimeoutSeconds);
            s.connections.insert(connection);
            *socketContext = connection;
        } else if (auto* connection = static_cast<Connection*>(*socketContext)) {
            // MHD closes the socket only after this notification, so the watchdog never shuts a reused fd.
            s.connections.erase(connection);
            delete connection;
            *socketContext = nullptr;
        }
    }

    void watch()
    {
        std::unique_lock lock(connectionsMutex);
        while (!watchdogWake.wait_for(lock, std::chrono::milliseconds(250), [this] { return !watching; })) {
            const auto now = Clock::now();
            for (Connection* connection : connections)
                if (connection->deadline < now && !connection->shutDown && connection->fd >= 0) {
                    connection->shutDown = true;
                    ::shutdown(connection->fd, SHUT_RDWR); // MHD sees the end and closes it
                }
        }
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
    if (s.daemon)
        return Ok{};
    if (const std::string problem = tokenProblem(s.options.token); !problem.empty())
        return makeError(ErrorCode::InvalidArgument, "the API token " + problem);
    auto listening = listenOn(s.options.host, s.options.port);
    if (!listening)
        return listening.error();
    s.listenFd = listening.value();
    s.port = boundPort(s.listenFd);
    s.loopback = boundToLoopback(s.listenFd);
    allowDescriptors(s.options.maxConnections);
    s.batcher = std::make_unique<MicroBatcher>(
        s.predictor, MicroBatcher::Options{s.options.maxBatch, s.options.maxWaitMicroseconds, s.options.workers});
    s.explainer = std::make_unique<ExplainQueue>(s.predictor, *s.batcher, s.options.maxExplainWork);
    s.openApi = openApiJson(s.options, s.predictor->labels());
    s.stopping = false;
    // MHD's pool per connection holds the request line, the headers and the read buffer: its
    // size is the header limit (MHD answers 431 past it); 16 KB more leave room to read the body.
    const size_t pool = s.options.maxHeaderBytes + 16 * 1024;
    const unsigned threads = static_cast<unsigned>(std::max(1, s.options.connectionThreads));
    s.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr, nullptr, &State::handle, &s,
        MHD_OPTION_LISTEN_SOCKET, s.listenFd, MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
        MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(s.options.maxConnections),
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(s.options.idleTimeoutSeconds),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool, MHD_OPTION_NOTIFY_COMPLETED, &State::completed, &s,
        MHD_OPTION_NOTIFY_CONNECTION, &State::connectionEvent, &s, MHD_OPTION_END);
    if (!s.daemon) {
        ::close(s.listenFd);
        s.listenFd = -1;
        s.explainer.reset();
        s.batcher.reset();
        return makeError(ErrorCode::IoError, s.options.host + ":" + std::to_string(s.port) + ": the HTTP server did not start");
    }
    s.watching = true;
    s.watchdog = std::thread([&s] { s.watch(); });
    return Ok{};
}

void PredictionServer::stop()
{
    State& s = *m_state;
    if (!s.daemon)
        return;
    MHD_quiesce_daemon(s.daemon); // no new connections
    s.explainer->stop(); // explanations take seconds each: only the text in progress is finished
    {
        // Answer what the batcher holds; new requests on open connections are refused.
        std::unique_lock lock(s.flightMutex);
        s.stopping = true;
        s.flightDone.wait_for(lock, std::chrono::seconds(30), [&s] { return s.inFlight == 0; });
    }
    s.explainer.reset();
    s.batcher.reset(); // answers anything left, resuming its connections (MHD must not stop with suspended ones)
    MHD_stop_daemon(s.daemon);
    s.daemon = nullptr;
    ::close(s.listenFd);
    s.listenFd = -1;
    {
        std::lock_guard lock(s.connectionsMutex);
        s.watching = false;
    }
    s.watchdogWake.notify_all();
    s.watchdog.join();
}

int PredictionServer::port() const
{
    return m_state->port;
}

std::string PredictionServer::url() const
{
    std::string host = m_state->options.host;
    if (host == "0.0.0.0")
        host = "127.0.0.1";
    else if (host == "::")
        host = "::1";
    if (host.find(':') != std::string::npos) // RFC 3986: an IPv6 address in brackets
        host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(m_state->port);
}

bool PredictionServer::loopbackOnly() const
{
    return m_state->loopback;
}

} // namespace fika::core
