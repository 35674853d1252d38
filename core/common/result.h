// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cerrno>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace fika::core {

// What went wrong, in categories the UI can translate; 0 is "no error". Each code stands for
// something different the user can do about it (ui/error_text.cpp gives each its headline).
enum class ErrorCode {
    None = 0,
    FileNotFound,
    IoError, // reading or writing failed for a reason none of the codes below names
    EmptyFile,
    Encoding,
    Csv,
    MissingColumn,
    DuplicateColumn,
    NoData,
    TooFewClasses,
    InvalidArgument, // a value given by the user (a setting, an option) is out of range
    Vocab,
    Yaml,
    Cancelled,
    Json,
    PermissionDenied,  // EACCES/EPERM/EROFS: another folder, or other permissions
    DiskFull,          // ENOSPC/EDQUOT: free some space
    NotAFile,          // a folder or device where a regular file is needed
    NotAFolder,        // a file where a folder is needed
    AlreadyExists,     // would overwrite something: choose another name or open it
    OutOfMemory,       // smaller batches or sequences, or a smaller model
    CheckpointInvalid, // missing or corrupt weights, wrong shapes, unknown format
    ConfigInvalid,     // a configuration key has a value that cannot be used
    NetworkError,      // a host cannot be reached or the transfer broke off: try again
    ChecksumMismatch,  // a download does not match its published checksum
    ArchiveInvalid,    // a downloaded archive cannot be unpacked safely
    PortUnavailable,   // the server cannot listen on that address and port
    Diverged,          // the loss or the logits stopped being finite: lower the learning rate
};

// Every code, for code that must cover each one (tests, translations).
inline constexpr ErrorCode kLastErrorCode = ErrorCode::Diverged;

// A user-facing error: a readable message plus where it happened, when known.
struct Error {
    ErrorCode code = ErrorCode::None;
    std::string message;     // full sentence, already naming the location
    std::string file;        // source file or folder, if any
    int64_t line = 0;        // 1-based line, 0 when not applicable
    int64_t byteOffset = -1; // byte offset in the file, -1 when not applicable
    std::string field;       // column, YAML key path or tensor name, if any
};

// Thrown by Result::value() on an error: reading a value that is not there is a programming mistake
// (the caller forgot to test ok()), so it fails loudly with the error's message instead of being UB.
class BadResultAccess : public std::logic_error {
public:
    explicit BadResultAccess(const Error& error)
        : std::logic_error("value() of a Result that holds an error: " + error.message), m_error(error)
    {
    }
    const Error& error() const { return m_error; }

private:
    Error m_error;
};

// Either a value or an Error, for everything a user can cause. Exceptions stay inside modules.
// [[nodiscard]]: an ignored Result is an ignored error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T& value() & { return (check(), *m_value); }
    const T& value() const& { return (check(), *m_value); }
    T&& value() && { return (check(), std::move(*m_value)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return m_error; }

private:
    void check() const
    {
        if (!m_value)
            throw BadResultAccess(m_error);
    }

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

// The code for a failed system call's errno, so that a full disk or a read-only folder says so.
inline ErrorCode errorCodeForErrno(int error, ErrorCode otherwise = ErrorCode::IoError)
{
    switch (error) {
    case ENOENT: return ErrorCode::FileNotFound;
    case EACCES: case EPERM: case EROFS: return ErrorCode::PermissionDenied;
    case ENOSPC: case EDQUOT: return ErrorCode::DiskFull;
    case EISDIR: return ErrorCode::NotAFile;
    case ENOTDIR: return ErrorCode::NotAFolder;
    case EEXIST: case ENOTEMPTY: return ErrorCode::AlreadyExists;
    case ENOMEM: return ErrorCode::OutOfMemory;
    default: return otherwise;
    }
}

} // namespace fika::core
