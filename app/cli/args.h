// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fika::cli {

// What a command accepts besides its named options.
struct ArgRules {
    size_t maxPositional = 0;          // words that are not options (predict's texts: kAnyCount)
    std::set<std::string> repeatable;  // valued options that may be given more than once (train --set)
    static constexpr size_t kAnyCount = std::numeric_limits<size_t>::max();

    // Up to maxPositional words besides the options.
    static ArgRules words(size_t maxPositional)
    {
        ArgRules rules;
        rules.maxPositional = maxPositional;
        return rules;
    }
};

// Minimal option parser: each command names its options; "--name value" or "--name=value" for
// valued options, "--name" for flags, "--" ends the options. Strict, so that a mistyped command
// line never runs as something else: unknown options, stray words, a single-valued option given
// twice and a missing value are errors naming the argument.
class Args {
public:
    // Returns an error message, or empty on success.
    std::string parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                      const std::set<std::string>& flags, const ArgRules& rules = {});

    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback) const;
    // Every value of a repeatable option, in the order given.
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positional() const { return m_positional; }

    // The option's whole number (fallback when absent); an error naming the option and the value when
    // it is not a whole number from min to max.
    core::Result<long long> integer(const std::string& name, long long fallback, long long min,
                                    long long max = std::numeric_limits<int>::max()) const;
    // The same for a decimal number.
    core::Result<double> number(const std::string& name, double fallback, double min, double max) const;

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

// The message of the first failed option result, or empty when all hold a value.
template <typename... T>
std::string firstError(const core::Result<T>&... results)
{
    std::string message;
    ((message.empty() && !results ? void(message = results.error().message) : void()), ...);
    return message;
}

// Parses a whole non-negative number; nullopt when it is not one.
std::optional<long long> parseInteger(const std::string& text);

// The most threads a thread-count option may ask for: the machine's cores.
int maxThreads();

} // namespace fika::cli
