// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fika::test {

// ../shared beside the checkout: IMDB data, the vocab and the Hugging Face goldens.
inline std::string sharedPath(const std::string& relative)
{
    return std::string(FIKA_SHARED_DIR) + "/" + relative;
}

inline bool sharedExists(const std::string& relative)
{
    return std::filesystem::exists(sharedPath(relative));
}

inline std::string bundledVocabPath()
{
    return std::string(FIKA_SOURCE_DIR) + "/resources/vocab/bert-base-uncased-vocab.txt";
}

inline void writeBytes(const std::string& path, const std::string& bytes)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace fika::test

// Skips a test that needs ../shared, saying what is missing.
#define FIKA_REQUIRE_SHARED(relative)                                                                            \
    do {                                                                                                         \
        if (!fika::test::sharedExists(relative))                                                                 \
            QSKIP(qPrintable(QStringLiteral("needs %1 (the shared data folder beside the checkout)")             \
                                 .arg(QString::fromStdString(fika::test::sharedPath(relative)))));               \
    } while (0)
