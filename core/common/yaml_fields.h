// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <type_traits>

namespace fika::core::yaml {

// Reading YAML maps strictly: every key known, every value of the right type, errors naming the
// key path (e.g. "subsets.seed"). Throws YamlFieldError, which the module's edge turns into an Error.
struct YamlFieldError {
    std::string path;
    std::string message;
    int64_t line = 0; // 1-based, 0 when not known
};

// Deeper than any Fika file (they nest three or four levels); also what stops cyclic aliases.
constexpr int kMaxDepth = 64;
// Values a file may hold once aliases are expanded, against "billion laughs" files.
constexpr int64_t kMaxValues = 1000000;

inline std::string joinPath(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

// 1-based line of a node, 0 when yaml-cpp knows none.
inline int64_t lineOf(const YAML::Node& node)
{
    return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

// What YAML::Load lets through: a key given twice in one mapping (yaml-cpp keeps both and every
// lookup finds the first, so the second would be ignored silently), nesting deeper than kMaxDepth
// (cyclic aliases included) and more than kMaxValues values.
inline void checkTree(const YAML::Node& node, const std::string& path, int depth, int64_t& budget)
{
    if (depth > kMaxDepth && (node.IsMap() || node.IsSequence())) // named by its top-level key: the path is long
        throw YamlFieldError{path.substr(0, path.find_first_of(".[")),
                             "nested more than " + std::to_string(kMaxDepth) + " levels", lineOf(node)};
    if (--budget < 0)
        throw YamlFieldError{path, "more than " + std::to_string(kMaxValues) + " values once aliases are expanded",
                             lineOf(node)};
    if (node.IsMap()) {
        std::map<std::string, int64_t> seen; // key → line
        for (const auto& item : node) {
            checkTree(item.first, path, depth + 1, budget); // a complex key is checked before it is printed
            const std::string key = item.first.IsScalar() ? item.first.Scalar() : YAML::Dump(item.first);
            const auto [first, inserted] = seen.emplace(key, lineOf(item.first));
            if (!inserted)
                throw YamlFieldError{joinPath(path, key),
                                     "duplicate key (first on line " + std::to_string(first->second) + ")",
                                     lineOf(item.first)};
            checkTree(item.second, joinPath(path, key), depth + 1, budget);
        }
    } else if (node.IsSequence()) {
        size_t index = 0;
        for (const auto& item : node)
            checkTree(item, path + "[" + std::to_string(index++) + "]", depth + 1, budget);
    }
}

// YAML::Load for every file Fika reads: throws YamlFieldError for what checkTree refuses and for
// yaml-cpp's own depth limit (which it reports as "bad file"), YAML::Exception for syntax errors.
inline YAML::Node load(const std::string& text)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        throw YamlFieldError{"", "nested more than " + std::to_string(kMaxDepth) + " levels",
                             e.mark.line >= 0 ? e.mark.line + 1 : 0};
    }
    int64_t budget = kMaxValues;
    checkTree(root, "", 0, budget);
    return root;
}

inline void requireMap(const YAML::Node& node, const std::string& path)
{
    if (!node.IsMap())
        throw YamlFieldError{path, "expected a mapping"};
}

inline void rejectUnknownKeys(const YAML::Node& node, const std::string& path, std::initializer_list<const char*> known)
{
    requireMap(node, path);
    for (const auto& item : node) {
        const auto key = item.first.as<std::string>();
        bool found = false;
        for (const char* k : known)
            found = found || key == k;
        if (!found)
            throw YamlFieldError{joinPath(path, key), "unknown key"};
    }
}

// What a value of type T is, for "'abc' is not a whole number".
template <typename T>
std::string describeType()
{
    if constexpr (std::is_same_v<T, bool>)
        return "true or false";
    else if constexpr (std::is_integral_v<T>)
        return "a whole number";
    else if constexpr (std::is_floating_point_v<T>)
        return "a number";
    else if constexpr (std::is_same_v<T, std::string>)
        return "text";
    else
        return "of the expected kind";
}

// Why `value` is not a T: "'abc' is not a whole number", "is a list, expected a number".
template <typename T>
std::string wrongType(const YAML::Node& value)
{
    if (value.IsScalar())
        return "'" + value.Scalar() + "' is not " + describeType<T>();
    const std::string kind = value.IsSequence() ? "a list" : value.IsMap() ? "a mapping" : "empty";
    return "is " + kind + ", expected " + describeType<T>();
}

// Reads node[key] into value when present; required keys throw when absent.
template <typename T>
void read(const YAML::Node& node, const std::string& path, const char* key, T& value, bool required = false)
{
    const YAML::Node child = node[key];
    if (!child) {
        if (required)
            throw YamlFieldError{joinPath(path, key), "missing"};
        return;
    }
    try {
        value = child.as<T>();
    } catch (const YAML::Exception&) {
        throw YamlFieldError{joinPath(path, key), wrongType<T>(child), lineOf(child)};
    }
}

inline Error toError(const YamlFieldError& e, const std::string& fileName)
{
    const std::string where = (e.line > 0 ? "line " + std::to_string(e.line) + ": " : std::string()) +
                              (e.path.empty() ? std::string() : e.path + ": ");
    return makeError(ErrorCode::Yaml, fileName + ": " + where + e.message, fileName, e.line, -1, e.path);
}

} // namespace fika::core::yaml
