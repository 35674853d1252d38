// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/args.h"
#include "cli/commands.h"

#include <csignal>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <thread>

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


namespace {

std::string quoted(const std::string& text)
{
    return "'" + text + "'";
}

} // namespace

std::string Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                        const std::set<std::string>& flags, const ArgRules& rules)
{
    std::string previousOption; // the valued option the previous argument was the value of
    bool optionsEnded = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string arg = argv[i];
        if (arg == "--" && !optionsEnded) {
            optionsEnded = true;
            continue;
        }
        if (optionsEnded || !arg.starts_with("--")) {
            if (m_positional.size() >= rules.maxPositional) {
                std::string message = "unexpected argument " + quoted(arg);
                if (!previousOption.empty() && rules.repeatable.count(previousOption))
                    return message + " after " + previousOption + " " + m_values[previousOption].back() + ": use " +
                           previousOption + " once per " + (arg.find('=') != std::string::npos ? "key" : "value");
                if (flags.count("--" + arg) || valued.count("--" + arg))
                    return message + " (did you mean --" + arg + "?)";
                return message + (rules.maxPositional == 0 ? " (this command takes only options)" : "");
            }
            m_positional.push_back(arg);
            previousOption.clear();
            continue;
        }
        previousOption.clear();
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inlineValue = arg.substr(eq + 1);
            arg.resize(eq);
        }
        if (flags.count(arg)) {
            if (inlineValue)
                return "option " + arg + " takes no value";
            m_flags.insert(arg);
        } else if (valued.count(arg)) {
            if (!inlineValue && (i + 1 == argv.size() || argv[i + 1].starts_with("--")))
                return "option " + arg + " needs a value";
            const std::string value = inlineValue ? *inlineValue : argv[++i];
            auto& given = m_values[arg];
            if (!given.empty() && !rules.repeatable.count(arg))
                return "option " + arg + " given twice (" + quoted(given.back()) + " and " + quoted(value) +
                       "); give it once";
            given.push_back(value);
            previousOption = arg;
        } else {
            return "unknown option " + arg;
        }
    }
    return {};
}

std::optional<std::string> Args::value(const std::string& name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::nullopt : std::optional<std::string>(it->second.back());
}

std::string Args::value(const std::string& name, const std::string& fallback) const
{
    return value(name).value_or(fallback);
}

std::vector<std::string> Args::values(const std::string& name) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>() : it->second;
}

core::Result<long long> Args::integer(const std::string& name, long long fallback, long long min, long long max) const
{
    const auto text = value(name);
    if (!text)
        return fallback;
    long long number = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (ec != std::errc() || end != text->data() + text->size() || number < min || number > max)
        return core::makeError(core::ErrorCode::InvalidArgument,
                               name + ": expected a whole number from " + std::to_string(min) + " to " +
                                   std::to_string(max) + ", not " + quoted(*text),
                               {}, 0, -1, name);
    return number;
}

core::Result<double> Args::number(const std::string& name, double fallback, double min, double max) const
{
    const auto text = value(name);
    if (!text)
        return fallback;
    double number = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (ec != std::errc() || end != text->data() + text->size() || !(number >= min && number <= max)) {
        std::ostringstream range;
        range << min << " to " << max;
        return core::makeError(core::ErrorCode::InvalidArgument,
                               name + ": expected a number from " + range.str() + ", not " + quoted(*text), {}, 0, -1,
                               name);
    }
    return number;
}

int maxThreads()
{
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
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
