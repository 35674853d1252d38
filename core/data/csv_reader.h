// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "data/charset.h"

#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

struct CsvRecord {
    std::vector<std::string> fields;
    int64_t line = 0;       // 1-based line on which the record starts
    int64_t byteOffset = 0; // offset of its first byte in the (decoded) file
    // Set when a quoted field ran over line breaks and text follows its closing quote: most likely a
    // quote left open on `line` that swallowed the rows after it. Empty for a well-formed record.
    std::string problem;
};

// Streaming RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks, LF, CRLF
// and CR-only line ends, a UTF-8 BOM, Windows-1252 input converted to UTF-8. Blank lines are skipped.
// Memory use is one buffer plus the current record, whatever the file size. Never modifies the source.
class CsvReader {
public:
    static Result<std::unique_ptr<CsvReader>> openFile(const std::string& path);
    // For tests and fuzzing: any stream; name is used in messages.
    static Result<std::unique_ptr<CsvReader>> openStream(std::unique_ptr<std::istream> stream, std::string name,
                                                         int64_t totalBytes = 0);

    // The field separator: detected from the first line (comma, semicolon or tab, whichever occurs
    // most outside quotes; comma when none does), or set before the first next().
    char delimiter() const { return m_delimiter; }
    void setDelimiter(char delimiter) { m_delimiter = delimiter; }
    static char detectDelimiter(std::string_view sample);

    // The next record: true with a record, false at the end, an Error for an unterminated quote or
    // a record longer than kMaxRecordBytes (so a file without line breaks never fills the memory).
    static constexpr size_t kMaxRecordBytes = size_t(64) << 20;
    Result<bool> next(CsvRecord& record);

    TextEncoding encoding() const { return m_charset.encoding; }
    // Set when the text is converted; may first appear while reading (see checkFirstNonAscii).
    const std::string& warning() const { return m_charset.warning; }
    const std::string& name() const { return m_name; }
    int64_t bytesConsumed() const { return m_rawConsumed; }
    int64_t totalBytes() const { return m_totalBytes; }

private:
    CsvReader() = default;
    bool fill();
    void checkFirstNonAscii();
    int get()
    {
        if (m_pos == m_buffer.size() && !fill())
            return -1;
        return static_cast<unsigned char>(m_buffer[m_pos++]);
    }
    int peek()
    {
        if (m_pos == m_buffer.size() && !fill())
            return -1;
        return static_cast<unsigned char>(m_buffer[m_pos]);
    }

    std::unique_ptr<std::istream> m_stream;
    std::unique_ptr<Windows1252Decoder> m_decoder;
    CharsetGuess m_charset;
    std::string m_name;
    std::string m_buffer;  // decoded bytes being parsed
    std::string m_raw;     // raw chunk (only for conversion)
    size_t m_pos = 0;
    int64_t m_bufferStart = 0; // decoded offset of m_buffer[0]
    int64_t m_rawConsumed = 0;
    int64_t m_totalBytes = 0;
    int64_t m_line = 1;
    char m_delimiter = ',';
    bool m_onlyAscii = false; // UTF-8 read so far held ASCII alone: the encoding is still open
};

} // namespace fika::core
