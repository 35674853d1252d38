// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "serve/batch_stats.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fika::core {

class Predictor;

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0; // 0: any free port
    std::string token;                 // required; basic-auth user (empty password) or Bearer
    std::string inputName = "review";  // multipart field / JSON key
    std::string targetName = "sentiment";
    size_t maxBodyBytes = 1 << 20;     // chunked or not, counted while reading
    int maxBatch = 16;                 // texts per model call; larger requests are split
    int maxWaitMicroseconds = 2000;
    int workers = 1;                   // batches computed at once, sharing the cores
    int connectionThreads = 1;         // event-loop threads doing the HTTP work (not the model)
    int maxConnections = 1000;         // open connections; more wait in the listen queue until one closes
    int maxHeaders = 100;              // header lines per request; more get 431
    size_t maxHeaderBytes = 32 << 10;  // request line and headers; more get 431
    int idleTimeoutSeconds = 15;       // a connection that sends nothing this long is closed
    int requestTimeoutSeconds = 30;    // a whole request must arrive within this of the connection
                                       // opening or of the previous answer (slow senders are closed)
    std::string testerPage;            // HTML served at GET /; empty: the built-in page
    // POST /predict?explain=true: the most work one request may ask for, in path-point tokens
    // (steps × the tokens of its texts, [CLS] and [SEP] included); more gets 413. 65,536 is 32 steps
    // over 2,048 tokens: 8 reviews of 256 tokens, about 16 s for a BERT-mini on two cores.
    int64_t maxExplainWork = 65536;
    // One line per request: "POST /predict 200 12.3 ms", control characters escaped. Never the token.
    std::function<void(const std::string&)> log;
};

// The local HTTP API: POST /predict (multipart field or JSON rows; ?explain=true adds which words
// made each prediction), GET /health, GET / (the browser API tester), GET /openapi.json. Errors are
// JSON {"error": …} with 400, 401, 404, 405, 413, 415, 431 or 503 (stopping). An event loop (libmicrohttpd, epoll) holds the connections, so idle and slow
// clients cost a socket, not a thread; requests are answered by a micro-batching worker over one
// shared predictor.
class PredictionServer {
public:
    PredictionServer(std::shared_ptr<const Predictor> predictor, ServerOptions options);
    ~PredictionServer(); // stops: requests in flight are answered first

    // Binds (an address in use is an error) and starts serving on a background thread.
    Status start();
    void stop();
    int port() const;
    std::string url() const; // http://host:port, [host] for IPv6; a wildcard host as the loopback address
    // After start(): false when other machines can reach the API (a wildcard or a network address).
    bool loopbackOnly() const;
    const ServerOptions& options() const;
    // Batches run and texts predicted since start(), and the model's busy time.
    BatchStats batchStats() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// 32 random bytes from the operating system, hex-encoded (256 bits).
std::string generateToken();
// Compares in time that depends only on the lengths.
bool constantTimeEquals(const std::string& a, const std::string& b);
// Why a token cannot serve, completing "the token …"; empty when it can. At least 16 characters, all
// of RFC 6750's token characters, so that every way of sending it works: curl -u "TOKEN:" splits at
// the first ':', and a browser's fetch() refuses a header with other bytes.
std::string tokenProblem(const std::string& token);
// An OpenAPI 3 description of the API for these names and labels.
std::string openApiJson(const ServerOptions& options, const std::vector<std::string>& labels);
// The browser API tester page bundled with Fika.
const std::string& builtinTesterPage();

} // namespace fika::core

namespace fika::core {

// The input and target feature names a Fika checkpoint was trained with (its experiment.yaml);
// false for a plain Hugging Face folder.
bool checkpointFeatureNames(const std::string& checkpointDir, std::string& inputName, std::string& targetName);

// Reads the token from a file (surrounding whitespace ignored); a missing file is created with a
// new token, readable by its owner only (created at once with mode 0600, never through a symlink).
// A token file that other users can read gives a warning.
Result<std::string> readOrCreateTokenFile(const std::string& path, bool* created = nullptr, std::string* warning = nullptr);

} // namespace fika::core
