// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

#include "train/experiment_config.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace fika::core {

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
    // A wrong length returns early: the length of a token of 16 or more random characters is no secret worth keeping.
    return !b.empty() && a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string tokenProblem(const std::string& token)
{
    if (token.size() < 16)
        return "must have at least 16 characters";
    for (size_t i = 0; i < token.size(); ++i) {
        const char c = token[i];
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             std::string_view("-._~+/=").find(c) != std::string_view::npos;
        if (!allowed) // the position only: the character is part of the secret
            return "may hold only letters a-z and A-Z, digits and - . _ ~ + / = (character " + std::to_string(i + 1) +
                   " is not one of them)";
    }
    return {};
}

bool checkpointFeatureNames(const std::string& checkpointDir, std::string& inputName, std::string& targetName)
{
    const std::string file = checkpointDir + "/experiment.yaml";
    if (!std::filesystem::exists(file))
        return false;
    auto config = loadExperimentConfig(file);
    if (!config)
        return false;
    inputName = config->data.textColumn;
    targetName = config->data.labelColumn;
    return true;
}

Result<std::string> readOrCreateTokenFile(const std::string& path, bool* created, std::string* warning)
{
    if (created)
        *created = false;
    // O_EXCL: created now with mode 0600, never opened if anything (a symlink too) is there already.
    if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR); fd >= 0) {
        const std::string line = generateToken() + "\n";
        const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
        const int error = errno;
        ::close(fd);
        if (!written) {
            ::unlink(path.c_str());
            return makeError(errorCodeForErrno(error), path + ": the token file cannot be written: " + std::strerror(error), path);
        }
        if (created)
            *created = true;
        return line.substr(0, line.size() - 1);
    } else if (errno != EEXIST) {
        return makeError(errorCodeForErrno(errno), path + ": the token file cannot be created: " + std::strerror(errno), path);
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(errorCodeForErrno(errno), path + ": the token file cannot be read: " + std::strerror(errno), path);
    struct stat info {};
    std::string token;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size <= 4096) {
        token.resize(static_cast<size_t>(info.st_size));
        const ssize_t n = ::read(fd, token.data(), token.size());
        token.resize(n > 0 ? static_cast<size_t>(n) : 0);
    }
    ::close(fd);
    if (!S_ISREG(info.st_mode) || info.st_size > 4096)
        return makeError(ErrorCode::NotAFile, path + ": the token file must be a regular file of at most 4 KB", path);
    if (warning)
        *warning = (info.st_mode & (S_IRWXG | S_IRWXO)) == 0
                       ? std::string()
                       : path + ": other users can read or change the API token (chmod 600 " + path + ")";
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    if (const std::string problem = tokenProblem(token); !problem.empty())
        return makeError(ErrorCode::InvalidArgument, path + ": the token " + problem + " (delete the file to get a new one)", path);
    return token;
}

} // namespace fika::core
