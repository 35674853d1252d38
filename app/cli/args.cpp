// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/args.h"
#include "cli/commands.h"

#include <csignal>

#include <charconv>

namespace fika::cli {
namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int)
{
    g_interrupted = true;
}

} // namespace

const std::atomic<bool>& stopOnInterrupt()
{
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return g_interrupted;
}


std::string Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                        const std::set<std::string>& flags)
{
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string arg = argv[i];
        if (!arg.starts_with("--")) {
            m_positional.push_back(arg);
            continue;
        }
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inlineValue = arg.substr(eq + 1);
            arg.resize(eq);
        }
        if (flags.count(arg) && !inlineValue) {
            m_flags.insert(arg);
        } else if (valued.count(arg)) {
            if (inlineValue) {
                m_values[arg] = *inlineValue;
            } else if (i + 1 < argv.size()) {
                m_values[arg] = argv[++i];
            } else {
                return "option " + arg + " needs a value";
            }
        } else {
            return "unknown option " + arg;
        }
    }
    return {};
}

std::optional<std::string> Args::value(const std::string& name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::string Args::value(const std::string& name, const std::string& fallback) const
{
    return value(name).value_or(fallback);
}

std::optional<long long> parseInteger(const std::string& text)
{
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace fika::cli
