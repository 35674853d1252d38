// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/csv_reader.h"

#include "common/utf8.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fika::core {
namespace {
constexpr size_t kChunkBytes = 1 << 20;
constexpr size_t kSampleBytes = 64 * 1024;
} // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::openFile(const std::string& path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (std::filesystem::is_directory(status))
        return makeError(ErrorCode::NotAFile, path + ": is a folder, not a CSV file", path);
    if (!std::filesystem::exists(status))
        return makeError(ErrorCode::FileNotFound, path + ": no such file", path);
    if (!std::filesystem::is_regular_file(status)) // a pipe or device can be read once, and import reads twice
        return makeError(ErrorCode::NotAFile,
                         path + ": is a pipe, device or socket, not a regular file; save the data to a file and give that",
                         path);
    const auto size = static_cast<int64_t>(std::filesystem::file_size(path, ec));
    auto stream = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*stream)
        return makeError(errorCodeForErrno(errno), path + ": cannot be opened for reading (" + std::strerror(errno) + ")", path);
    return openStream(std::move(stream), path, size);
}

Result<std::unique_ptr<CsvReader>> CsvReader::openStream(std::unique_ptr<std::istream> stream, std::string name,
                                                         int64_t totalBytes)
{
    std::unique_ptr<CsvReader> reader(new CsvReader);
    reader->m_stream = std::move(stream);
    reader->m_name = std::move(name);
    reader->m_totalBytes = totalBytes;

    std::string sample(kSampleBytes, '\0');
    reader->m_stream->read(sample.data(), static_cast<std::streamsize>(sample.size()));
    sample.resize(static_cast<size_t>(reader->m_stream->gcount()));
    if (sample.empty())
        return makeError(ErrorCode::EmptyFile, reader->m_name + ": the file is empty", reader->m_name);

    auto charset = detectCharset(sample, reader->m_name);
    if (!charset)
        return charset.error();
    reader->m_charset = charset.value();
    reader->m_rawConsumed = static_cast<int64_t>(sample.size());
    reader->m_onlyAscii = std::none_of(sample.begin(), sample.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    sample.erase(0, reader->m_charset.bomBytes);
    reader->m_bufferStart = static_cast<int64_t>(reader->m_charset.bomBytes);
    if (reader->m_charset.encoding == TextEncoding::Windows1252) {
        reader->m_decoder = std::make_unique<Windows1252Decoder>();
        reader->m_decoder->appendDecoded(sample, reader->m_buffer);
    } else {
        reader->m_buffer = std::move(sample);
    }
    reader->m_delimiter = detectDelimiter(reader->m_buffer);
    return reader;
}

char CsvReader::detectDelimiter(std::string_view sample)
{
    size_t counts[3] = {0, 0, 0}; // comma, semicolon, tab in the header line, outside quotes
    const char candidates[3] = {',', ';', '\t'};
    bool inQuotes = false;
    // Blank lines before the header are skipped when reading: here too.
    sample.remove_prefix(std::min(sample.find_first_not_of("\r\n"), sample.size()));
    for (char c : sample) {
        if (c == '"')
            inQuotes = !inQuotes;
        else if (!inQuotes && (c == '\n' || c == '\r'))
            break;
        else if (!inQuotes)
            for (int i = 0; i < 3; ++i)
                counts[i] += c == candidates[i] ? 1 : 0;
    }
    int best = 0;
    for (int i = 1; i < 3; ++i)
        if (counts[i] > counts[best])
            best = i;
    return candidates[best];
}

bool CsvReader::fill()
{
    m_bufferStart += static_cast<int64_t>(m_buffer.size());
    m_pos = 0;
    m_buffer.clear();
    if (!m_stream || !*m_stream)
        return false;
    std::string& target = m_decoder ? m_raw : m_buffer;
    target.resize(kChunkBytes);
    m_stream->read(target.data(), static_cast<std::streamsize>(target.size()));
    target.resize(static_cast<size_t>(m_stream->gcount()));
    m_rawConsumed += static_cast<int64_t>(target.size());
    if (!m_decoder && m_onlyAscii)
        checkFirstNonAscii();
    if (m_decoder)
        m_decoder->appendDecoded(m_raw, m_buffer);
    return !m_buffer.empty();
}

// The sample was ASCII, so it said nothing about the encoding: the first byte past it that is not
// ASCII decides. Invalid UTF-8 there (a Latin-1 file whose accents come after 64 KiB) switches to
// Windows-1252 for the rest, which reads the ASCII before it the same; without this every row with
// an accent was skipped as invalid UTF-8.
void CsvReader::checkFirstNonAscii()
{
    const auto first = std::find_if(m_buffer.begin(), m_buffer.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    if (first == m_buffer.end())
        return;
    m_onlyAscii = false;
    const auto at = static_cast<size_t>(first - m_buffer.begin());
    const std::string_view rest = std::string_view(m_buffer).substr(at);
    if (utf8::findInvalid(rest, /*allowTruncatedEnd=*/true) == std::string_view::npos)
        return;
    auto guess = detectCharset(rest, m_name);
    if (!guess || guess.value().encoding != TextEncoding::Windows1252)
        return; // not a Latin text either: the rows with such bytes are reported one by one
    const int64_t line = m_line + std::count(m_buffer.begin(), first, '\n');
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(*first));
    m_charset.encoding = TextEncoding::Windows1252;
    m_charset.warning = m_name + ": not UTF-8 (byte " + byte + " at byte offset " +
                        std::to_string(m_bufferStart + static_cast<int64_t>(at)) + ", line " + std::to_string(line) +
                        ", the first byte that is not ASCII); read as Windows-1252 and converted to UTF-8";
    m_decoder = std::make_unique<Windows1252Decoder>();
    m_raw = std::move(m_buffer);
    m_buffer.clear();
}

Result<bool> CsvReader::next(CsvRecord& record)
{
    std::string field;
    for (;;) {
        record.fields.clear();
        record.problem.clear();
        field.clear();
        if (peek() < 0)
            return false;
        record.line = m_line;
        record.byteOffset = m_bufferStart + static_cast<int64_t>(m_pos);

        bool inQuotes = false;
        bool atFieldStart = true;
        bool sawQuote = false;
        int64_t quoteLine = 0;
        for (;;) {
            if (static_cast<size_t>(m_bufferStart + static_cast<int64_t>(m_pos) - record.byteOffset) > kMaxRecordBytes)
                return makeError(ErrorCode::Csv,
                                 m_name + ": line " + std::to_string(record.line) + ": the record starting here is longer than " +
                                     std::to_string(kMaxRecordBytes >> 20) + " MiB" +
                                     (inQuotes ? "; a quoted field opened on line " + std::to_string(quoteLine) +
                                                     " is probably never closed"
                                               : "; the file has no line breaks where a CSV has them"),
                                 m_name, record.line);
            const int c = get();
            if (c < 0) {
                if (inQuotes)
                    return makeError(ErrorCode::Csv,
                                     m_name + ": line " + std::to_string(quoteLine) +
                                         ": a quoted field opened on this line is never closed (the file ends inside the quotes)",
                                     m_name, quoteLine);
                break;
            }
            if (inQuotes) {
                if (c == '"') {
                    if (peek() == '"') {
                        get();
                        field += '"';
                    } else {
                        inQuotes = false;
                        const int after = peek();
                        if (m_line != quoteLine && record.problem.empty() && after >= 0 && after != m_delimiter &&
                            after != '\n' && after != '\r')
                            record.problem = "a quoted field opened on line " + std::to_string(quoteLine) +
                                             " runs to line " + std::to_string(m_line) +
                                             ", where text follows its closing quote: a quote is probably missing on line " +
                                             std::to_string(quoteLine) + ", so lines " + std::to_string(quoteLine) + " to " +
                                             std::to_string(m_line) + " were read as one row";
                    }
                } else {
                    if (c == '\n' || (c == '\r' && peek() != '\n'))
                        ++m_line;
                    field += static_cast<char>(c);
                }
                continue;
            }
            if (c == m_delimiter) {
                record.fields.push_back(std::move(field));
                field.clear();
                atFieldStart = true;
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n')
                    get();
                ++m_line;
                break;
            }
            if (c == '"' && atFieldStart) {
                inQuotes = true;
                sawQuote = true;
                quoteLine = m_line;
                atFieldStart = false;
                continue;
            }
            atFieldStart = false;
            field += static_cast<char>(c);
        }
        record.fields.push_back(std::move(field));
        const bool blankLine = record.fields.size() == 1 && record.fields[0].empty() && !sawQuote;
        if (!blankLine)
            return true;
    }
}

} // namespace fika::core
