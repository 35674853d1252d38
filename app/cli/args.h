// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

// What fika-cli adds to CLI11: validators and usage errors in fika-cli's words, valued options that
// refuse an option as their value, and the overview that `fika-cli --help` prints. Each command
// defines its options with CLI11 (see commands.h); help is generated from those definitions.
namespace fika::cli {

// A command's work once the command line has been parsed into its options; returns the exit code.
using Runner = std::function<int()>;

// "--port: expected a whole number from 0 to 65535, not '70000'". maxName stands for a maximum that
// depends on the machine (the cores), so that help reads the same everywhere.
CLI::Validator wholeNumber(long long min, long long max = std::numeric_limits<int>::max(),
                           const std::string& maxName = {});
// The same for a decimal number.
CLI::Validator decimalNumber(double min, double max);
// One of the words; help shows them as the option's value ("head|tail|head_tail").
CLI::Validator oneOf(const std::vector<std::string>& choices);
// Refuses an empty value ("--out ''"): a file name is needed.
CLI::Validator nonEmpty();

// A sequence length, or 0 for the checkpoint's own: "0 or 3 to 512".
CLI::Validator sequenceLengthOrCheckpoints();

// Refuses a value that is an option: "--config --resume" lacks a value; CLI11 alone would take
// "--resume" as the config file's name.
CLI::Validator notAnOption();

// Adds "--name VALUE" (or --name=VALUE). A vector is given once per value (train --set); anything
// else at most once. Help shows typeName and the default (the value's initial content, if any).
template <typename T>
CLI::Option* addValue(CLI::App& command, const std::string& name, T& value, const std::string& typeName,
                      const std::string& help)
{
    CLI::Option* option = command.add_option(name, value, help)->type_name(typeName)->check(notAnOption());
    if constexpr (CLI::detail::is_mutable_container<T>::value)
        option->allow_extra_args(false); // "--set a=1 b=2": b=2 is a stray word, not a second value
    else
        option->capture_default_str();
    return option;
}

// Adds "--name WORD" where the word is one of choices, which help shows as its type ("head|tail|head_tail").
CLI::Option* addChoice(CLI::App& command, const std::string& name, std::string& value,
                       const std::vector<std::string>& choices, const std::string& help);

// Adds "--device DEVICE" (cpu, cuda or cuda:N): where the model runs (a GPU needs a CUDA build of LibTorch, which
// loading the model checks).
CLI::Option* addDevice(CLI::App& command, std::string& value);

// Adds "--name", which takes no value ("--json=yes" is an error).
CLI::Option* addFlag(CLI::App& command, const std::string& name, bool& value, const std::string& help);

// The top-level app: its name, the overview formatter, --version (versionText is called when it is asked for).
void setUpApp(CLI::App& app, std::function<std::string()> versionText);

// Parses args (without the program name) into app, whose leaf commands are keys of runners. Returns
// the runner of the chosen command, or sets exitCode: 0 after --help or --version (printed on stdout),
// 2 after a usage error (printed on stderr, naming the argument).
Runner parseCommandLine(CLI::App& app, std::vector<std::string> args, const std::map<const CLI::App*, Runner>& runners,
                        int& exitCode);

// Parses a whole non-negative number; nullopt when it is not one.
std::optional<long long> parseInteger(const std::string& text);

// The most threads a thread-count option may ask for: the machine's cores.
int maxThreads();

} // namespace fika::cli
