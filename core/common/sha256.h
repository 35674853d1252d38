// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace fika::core {

// Incremental SHA-256 (OpenSSL EVP underneath), hex output.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view bytes);
    std::string hexDigest(); // finishes the hash; call once

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Hash of a whole file, read in chunks; empty string if the file cannot be read.
std::string sha256OfFile(const std::string& path);

} // namespace fika::core
