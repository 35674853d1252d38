// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fika::cli {

// Minimal option parser: each command names its options; "--name value" or "--name=value" for
// valued options, "--name" for flags; anything unknown is an error naming it.
class Args {
public:
    // Returns an error message, or empty on success.
    std::string parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                      const std::set<std::string>& flags);

    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback) const;
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

// Parses a whole non-negative number; nullopt when it is not one.
std::optional<long long> parseInteger(const std::string& text);

} // namespace fika::cli
