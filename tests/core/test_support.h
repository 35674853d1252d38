// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <random>
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

inline std::string sourcePath(const std::string& relative)
{
    return std::string(FIKA_SOURCE_DIR) + "/" + relative;
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

// Reviews whose label is carried by one word among random filler: easy for any working trainer.
inline std::string syntheticReviewsCsv(int rows)
{
    const char* filler[] = {"the", "movie", "plot", "actor", "scene", "was", "and", "a", "film", "story", "music", "end"};
    std::mt19937 rng(7);
    std::string csv = "review,sentiment\n";
    for (int i = 0; i < rows; ++i) {
        const bool positive = i % 2 == 0;
        std::string text;
        const int words = 4 + static_cast<int>(rng() % 8);
        const int where = static_cast<int>(rng() % static_cast<unsigned>(words));
        for (int w = 0; w < words; ++w)
            text += std::string(w == where ? (positive ? "great" : "awful") : filler[rng() % 12]) + " ";
        csv += "\"" + text + "\"," + (positive ? "positive" : "negative") + "\n";
    }
    return csv;
}

} // namespace fika::test

// Skips a test that needs ../shared, saying what is missing.
#define FIKA_REQUIRE_SHARED(relative)                                                                            \
    do {                                                                                                         \
        if (!fika::test::sharedExists(relative))                                                                 \
            QSKIP(qPrintable(QStringLiteral("needs %1 (the shared data folder beside the checkout)")             \
                                 .arg(QString::fromStdString(fika::test::sharedPath(relative)))));               \
    } while (0)
