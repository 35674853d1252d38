// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/args.h"
#include "cli/commands.h"
#include "text/encoding_settings.h"

#include <csignal>

#include <algorithm>
#include <charconv>
#include <iostream>
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

std::string inQuotes(const std::string& text)
{
    return "'" + text + "'";
}

std::string join(const std::vector<std::string>& words, const std::string& separator)
{
    std::string text;
    for (const auto& word : words)
        text += (text.empty() ? "" : separator) + word;
    return text;
}

constexpr const char* kNeedsValue = "needs a value";

} // namespace

CLI::Validator wholeNumber(long long min, long long max, const std::string& maxName)
{
    const std::string range = std::to_string(min) + " to " + (maxName.empty() ? std::to_string(max) : maxName);
    return CLI::Validator(
        [=](std::string& text) {
            long long number = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec != std::errc() || end != text.data() + text.size() || number < min || number > max)
                return "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not " +
                       inQuotes(text);
            return std::string();
        },
        range);
}

CLI::Validator nonEmpty()
{
    return CLI::Validator([](std::string& text) { return text.empty() ? std::string("needs a file name, not ''") : std::string(); }, "");
}

CLI::Validator sequenceLengthOrCheckpoints()
{
    const std::string range = "0 or " + std::to_string(core::kMinSequenceLength) + " to " + std::to_string(core::kMaxSequenceLength);
    return CLI::Validator(
        [=](std::string& text) {
            const auto number = parseInteger(text);
            if (!number || (*number != 0 && (*number < core::kMinSequenceLength || *number > core::kMaxSequenceLength)))
                return "expected " + range + " (0: the checkpoint's), not " + inQuotes(text);
            return std::string();
        },
        range);
}

CLI::Validator decimalNumber(double min, double max)
{
    std::ostringstream range;
    range << min << " to " << max;
    return CLI::Validator(
        [=, range = range.str()](std::string& text) {
            double number = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec != std::errc() || end != text.data() + text.size() || !(number >= min && number <= max))
                return "expected a number from " + range + ", not " + inQuotes(text);
            return std::string();
        },
        range.str());
}

CLI::Validator oneOf(const std::vector<std::string>& choices)
{
    return CLI::Validator(
        [choices](std::string& text) {
            if (std::find(choices.begin(), choices.end(), text) != choices.end())
                return std::string();
            return "expected " + join({choices.begin(), choices.end() - 1}, ", ") + " or " + choices.back() + ", not " +
                   inQuotes(text);
        },
        ""); // addChoice shows the choices as the type
}

CLI::Validator notAnOption()
{
    return CLI::Validator([](std::string& text) { return text.starts_with("--") ? std::string(kNeedsValue) : std::string(); },
                          "");
}

CLI::Option* addChoice(CLI::App& command, const std::string& name, std::string& value,
                       const std::vector<std::string>& choices, const std::string& help)
{
    return addValue(command, name, value, join(choices, "|"), help)->check(oneOf(choices));
}

CLI::Option* addDevice(CLI::App& command, std::string& value)
{
    return addValue(command, "--device", value, "DEVICE", "where the model runs: cpu, or a GPU: cuda (GPU 0) or cuda:N (needs a CUDA build of LibTorch)")
        ->check(CLI::Validator(
            [](std::string& text) {
                const bool gpuIndex = text.rfind("cuda:", 0) == 0 && text.size() > 5 &&
                                      text.find_first_not_of("0123456789", 5) == std::string::npos && text.size() <= 8;
                return text == "cpu" || text == "cuda" || gpuIndex ? std::string() : "expected cpu, cuda or cuda:N, not '" + text + "'";
            },
            ""));
}

CLI::Option* addFlag(CLI::App& command, const std::string& name, bool& value, const std::string& help)
{
    return command.add_flag(name, value, help)->disable_flag_override();
}

namespace {

// The type name before any validator's note ("N:0 to 512" → "N").
std::string typeOf(const CLI::Option* option)
{
    const std::string type = option->get_type_name();
    return type.substr(0, type.find(':'));
}

// CLI11 gives a flag a type but expects no value.
bool isFlag(const CLI::Option* option)
{
    return option->get_expected_max() == 0;
}

bool isRepeated(const CLI::Option* option)
{
    return option->get_expected_max() > 1;
}

// How an option appears in the overview's usage line of its command.
std::string usageWord(const CLI::Option* option)
{
    if (option->get_positional())
        return isRepeated(option) ? "[" + typeOf(option) + " ...]" : typeOf(option);
    std::string word = option->get_name();
    if (!isFlag(option)) {
        // A default says more than the type, except 0, which means "automatic" everywhere here.
        const std::string& fallback = option->get_default_str();
        const bool showDefault = !fallback.empty() && fallback != "0" && typeOf(option).find('|') == std::string::npos;
        word += " " + (showDefault ? fallback : typeOf(option));
    }
    if (option->get_required())
        return word;
    return "[" + word + "]" + (isRepeated(option) ? "..." : "");
}

std::string commandPath(const CLI::App* command)
{
    std::string path;
    for (; command && command->get_parent(); command = command->get_parent())
        path = command->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

// The leaf commands under app, in the order they were defined.
void collectCommands(const CLI::App* app, std::vector<const CLI::App*>& commands)
{
    for (const CLI::App* command : app->get_subcommands({})) {
        if (command->get_subcommands({}).empty())
            commands.push_back(command);
        else
            collectCommands(command, commands);
    }
}

// CLI11's help for a command, with each option's type, range, default and whether it is required
// in one parenthesis; for fika-cli itself an overview: every command's usage line and description.
class Formatter : public CLI::Formatter {
public:
    Formatter() { column_width(36); }

    std::string make_option_opts(const CLI::Option* option) const override
    {
        std::string text = isFlag(option) ? "" : " " + typeOf(option) + (isRepeated(option) ? " ..." : "");
        std::vector<std::string> notes;
        const std::string type = option->get_type_name();
        if (const auto colon = type.find(':'); colon != std::string::npos && !isFlag(option))
            notes.push_back(type.substr(colon + 1));
        if (option->get_required())
            notes.push_back("required");
        else if (!option->get_default_str().empty() && !isFlag(option))
            notes.push_back("default " + option->get_default_str());
        for (const CLI::Option* other : option->get_excludes())
            notes.push_back("not with " + other->get_name());
        return notes.empty() ? text : text + " (" + join(notes, ", ") + ")";
    }

    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override
    {
        if (app->get_parent() || mode != CLI::AppFormatMode::Normal)
            return CLI::Formatter::make_help(app, std::move(name), mode);
        std::ostringstream out;
        out << "Usage: " << app->get_name() << " COMMAND [OPTIONS]\n\n" << app->get_description() << "\n";
        std::vector<const CLI::App*> commands;
        collectCommands(app, commands);
        constexpr size_t kWidth = 100;
        for (const CLI::App* command : commands) {
            const std::string path = commandPath(command);
            std::string line = "  " + path;
            const std::string indent(line.size() + 1, ' ');
            for (const CLI::Option* option : command->get_options()) {
                if (option == command->get_help_ptr() || option->get_group().empty()) // help, hidden ones
                    continue;
                const std::string word = usageWord(option);
                if (line.size() + 1 + word.size() > kWidth && line.size() > indent.size()) {
                    out << line << "\n";
                    line = indent + word;
                } else {
                    line += " " + word;
                }
            }
            out << line << "\n";
            std::istringstream description(command->get_description());
            for (std::string text; std::getline(description, text);)
                out << "      " << text << "\n";
        }
        out << "\nOptions:\n";
        for (const CLI::Option* option : app->get_options()) {
            std::string names = option->get_name(false, true);
            names.resize(std::max<size_t>(names.size() + 2, 12), ' ');
            out << "  " << names << option->get_description() << "\n";
        }
        out << app->get_footer() << "\n";
        return out.str();
    }
};

// The deepest command the command line chose.
CLI::App* chosenCommand(CLI::App& app)
{
    CLI::App* command = &app;
    while (!command->get_subcommands().empty())
        command = command->get_subcommands().front();
    return command;
}

// The option's name at the start of CLI11's message ("--config: At Most 1 ..." → "--config").
std::string nameIn(const std::string& message, const std::string& end)
{
    return message.substr(0, message.find(end));
}

// mayBeOption: the word came before "--", where a word starting with "-" is an option.
std::string strayWord(const CLI::App& command, const std::string& word, const std::vector<std::string>& args,
                      bool mayBeOption = true)
{
    if (mayBeOption && word.starts_with("-"))
        return "unknown option " + word.substr(0, word.find('='));
    const std::string message = "unexpected argument " + inQuotes(word);
    // The word right after a repeated option's value ("--set a=1 b=2") was meant as another value.
    const auto at = std::find(args.begin(), args.end(), word);
    const size_t index = static_cast<size_t>(at - args.begin());
    for (const CLI::Option* option : command.get_options([](const CLI::Option* o) { return isRepeated(o) && !o->get_positional(); })) {
        const std::string name = option->get_name();
        std::string value;
        if (index >= 2 && args[index - 2] == name)
            value = args[index - 1];
        else if (index >= 1 && args[index - 1].starts_with(name + "="))
            value = args[index - 1].substr(name.size() + 1);
        else
            continue;
        return message + " after " + name + " " + value + ": use " + name + " once per " +
               (word.find('=') != std::string::npos ? "key" : "value");
    }
    if (command.get_option_no_throw("--" + word))
        return message + " (did you mean --" + word + "?)";
    if (command.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
        return message + " (this command takes only options)";
    return message;
}

// CLI11's refusal in fika-cli's words, naming the argument.
std::string usageMessage(const CLI::ParseError& error, CLI::App& app, const std::vector<std::string>& args)
{
    CLI::App* command = chosenCommand(app);
    const std::string path = commandPath(command);
    const std::string message = error.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
        for (const CLI::App* holder = command; holder; holder = holder->get_parent())
            if (!holder->remaining().empty())
                return strayWord(*command, holder->remaining().front(), args);
    }
    if (dynamic_cast<const CLI::RequiredError*>(&error)) {
        if (!command->remaining().empty())
            return "unknown command " + inQuotes((path.empty() ? "" : path + " ") + command->remaining().front());
        if (message.starts_with("A subcommand")) {
            if (path.empty())
                return "no command given";
            std::vector<std::string> names;
            for (const CLI::App* sub : command->get_subcommands({}))
                names.push_back(sub->get_name());
            return path + " needs a command: " + join(names, ", ");
        }
        if (const CLI::Option* option = command->get_option_no_throw(nameIn(message, " is required")))
            return path + " needs " + option->get_name() + " " + typeOf(option);
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
        if (message.find(" required ") != std::string::npos && message.ends_with(" missing"))
            return "option " + nameIn(message, ":") + " " + kNeedsValue;
        if (message.find("disallowed flag override") != std::string::npos)
            return "option --" + nameIn(message, " was given") + " takes no value";
        if (const CLI::Option* option = command->get_option_no_throw(nameIn(message, ":"));
            option && message.find("At Most") != std::string::npos) {
            const auto& given = option->results();
            if (option->get_positional())
                return strayWord(*command, given.at(1), args, false); // only "--" gives a second one
            return "option " + option->get_name() + " given twice (" + inQuotes(given.at(0)) + " and " +
                   inQuotes(given.at(1)) + "); give it once";
        }
    }
    if (dynamic_cast<const CLI::ExcludesError*>(&error)) // "--resume excludes --overwrite"
        return path + " takes " + nameIn(message, " excludes") + " or " + message.substr(message.find("excludes ") + 9) +
               ", not both";
    if (dynamic_cast<const CLI::ValidationError*>(&error) && message.ends_with(std::string(": ") + kNeedsValue))
        return "option " + nameIn(message, ":") + " " + kNeedsValue;
    return message;
}

} // namespace

void setUpApp(CLI::App& app, std::function<std::string()> versionText)
{
    app.name("fika-cli");
    app.formatter(std::make_shared<Formatter>());
    app.require_subcommand(1);
    app.set_help_flag("-h,--help", "show this help");
    app.set_version_flag("--version", std::move(versionText), "show the version");
}

Runner parseCommandLine(CLI::App& app, std::vector<std::string> args, const std::map<const CLI::App*, Runner>& runners,
                        int& exitCode)
{
    // Words after "--" are texts or files even when they start with "--". CLI11 2.1 hands them to
    // the parent command once the command has a positional word, so they are added after parsing.
    std::vector<std::string> afterOptions;
    if (const auto dashes = std::find(args.begin(), args.end(), "--"); dashes != args.end()) {
        afterOptions.assign(dashes + 1, args.end());
        args.erase(dashes, args.end());
    }
    std::vector<std::string> all = args; // for messages about the words around a stray one
    all.insert(all.end(), afterOptions.begin(), afterOptions.end());
    std::reverse(args.begin(), args.end()); // CLI11 takes them last first
    try {
        app.parse(args);
        CLI::App* command = chosenCommand(app);
        if (!afterOptions.empty()) {
            const auto positional = command->get_options([](CLI::Option* o) { return o->get_positional(); });
            if (positional.empty()) {
                exitCode = usageError(strayWord(*command, afterOptions.front(), all, false), commandPath(command));
                return {};
            }
            positional.front()->add_result(afterOptions);
            positional.front()->run_callback();
        }
        exitCode = 0;
        return runners.at(command);
    } catch (const CLI::Success& success) {
        exitCode = app.exit(success);
    } catch (const CLI::ParseError& error) {
        exitCode = usageError(usageMessage(error, app, all), commandPath(chosenCommand(app)));
    }
    return {};
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
