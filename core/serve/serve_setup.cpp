// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve/prediction_server.h"

#include "train/experiment_config.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fika::core {

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

Result<std::string> readOrCreateTokenFile(const std::string& path, bool* created)
{
    if (created)
        *created = false;
    if (!std::filesystem::exists(path)) {
        const std::string token = generateToken();
        {
            std::ofstream out(path, std::ios::trunc);
            out << token << "\n";
            if (!out.flush())
                return makeError(ErrorCode::IoError, path + ": the token file cannot be written", path);
        }
        ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
        if (created)
            *created = true;
        return token;
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    const auto first = token.find_first_not_of(" \t\r\n");
    const auto last = token.find_last_not_of(" \t\r\n");
    token = first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
    if (token.size() < 16)
        return makeError(ErrorCode::InvalidArgument,
                         path + ": the token must have at least 16 characters (delete the file to get a new one)", path);
    return token;
}

} // namespace fika::core
