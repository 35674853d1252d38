// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>

namespace fika::core::yaml {

// Reading YAML maps strictly: every key known, every value of the right type, errors naming the
// key path (e.g. "subsets.seed"). Throws YamlFieldError, which the module's edge turns into an Error.
struct YamlFieldError {
    std::string path;
    std::string message;
};

inline std::string joinPath(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
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
        throw YamlFieldError{joinPath(path, key), "has the wrong type"};
    }
}

inline Error toError(const YamlFieldError& e, const std::string& fileName)
{
    return makeError(ErrorCode::Yaml, fileName + ": " + e.path + ": " + e.message, fileName, 0, -1, e.path);
}

} // namespace fika::core::yaml
