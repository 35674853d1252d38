// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace fika::core {

// What went wrong, in categories the UI can translate; 0 is "no error".
enum class ErrorCode {
    None = 0,
    FileNotFound,
    IoError,
    EmptyFile,
    Encoding,
    Csv,
    MissingColumn,
    DuplicateColumn,
    NoData,
    TooFewClasses,
    InvalidArgument,
    Vocab,
    Yaml,
    Cancelled,
    Json,
};

// A user-facing error: a readable message plus where it happened, when known.
struct Error {
    ErrorCode code = ErrorCode::None;
    std::string message;     // full sentence, already naming the location
    std::string file;        // source file or folder, if any
    int64_t line = 0;        // 1-based line, 0 when not applicable
    int64_t byteOffset = -1; // byte offset in the file, -1 when not applicable
    std::string field;       // column, YAML key path or tensor name, if any
};

// Either a value or an Error, for everything a user can cause. Exceptions stay inside modules.
template <typename T>
class Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }

    const Error& error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

struct Ok {};
using Status = Result<Ok>;

inline Error makeError(ErrorCode code, std::string message, std::string file = {}, int64_t line = 0,
                       int64_t byteOffset = -1, std::string field = {})
{
    return Error{code, std::move(message), std::move(file), line, byteOffset, std::move(field)};
}

} // namespace fika::core
