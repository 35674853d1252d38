// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "serve/batch_stats.h"

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
    size_t maxBodyBytes = 1 << 20;
    int maxBatch = 16;
    int maxWaitMicroseconds = 2000;
    int workers = 1;                   // batches computed at once, sharing the cores
    int connectionThreads = 16;
    std::string testerPage;            // HTML served at GET /; empty: the built-in page
    // One line per request: "POST /predict 200 12.3 ms". Never the token.
    std::function<void(const std::string&)> log;
};

// The local HTTP API: POST /predict (multipart field or JSON rows), GET /health, GET / (the
// browser API tester), GET /openapi.json. Errors are JSON {"error": …} with 400, 401, 404, 405,
// 413 or 415. Requests are answered by a micro-batching worker over one shared predictor.
class PredictionServer {
public:
    PredictionServer(std::shared_ptr<const Predictor> predictor, ServerOptions options);
    ~PredictionServer(); // stops: requests in flight are answered first

    // Binds and starts serving on a background thread.
    Status start();
    void stop();
    int port() const;
    std::string url() const; // http://host:port
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
// new token, readable by its owner only.
Result<std::string> readOrCreateTokenFile(const std::string& path, bool* created = nullptr);

} // namespace fika::core
