// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstdint>
#include <string>

namespace fika::core {

// Replaces a file so that a crash or a full disk leaves the old file or the new one, never a mix:
// the content goes to a new temporary file in the same folder (its own unique name), every write is
// checked, the file is fsynced, renamed over the target, and the folder fsynced.
// Destroyed without commit() (an error on the way), it removes the temporary file.
class AtomicFile {
public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    Status open(); // creates the temporary file (and missing parent folders)
    Status write(const void* data, size_t size);
    Status write(const std::string& text) { return write(text.data(), text.size()); }
    // Whether commit() may replace a file already at the path. Never: the new file appears only where
    // none is, checked at the rename itself, so that a file made meanwhile is never lost.
    enum class Replace { Allowed, Never };
    Status commit(Replace replace = Replace::Allowed); // sync, rename over (or beside) the target, sync the folder

private:
    std::string m_path;
    std::string m_temporary;
    int m_fd = -1;
};

// Whether a file name is one of AtomicFile's temporary files: ".NAME.tmp-XXXXXX" or ".fika-XXXXXX",
// X being the letters and digits mkstemp puts there.
bool isAtomicFileTemporary(const std::string& fileName);

// A writer killed mid-write (kill -9, power loss) leaves its temporary file, as big as what it was
// writing. This removes from folder those whose writer is gone: no process holds the lock AtomicFile
// takes on its temporary file, and unchanged for an hour. Only regular files of the names above; only
// those of a target named forTarget, where given. Returns the bytes freed.
uint64_t removeStaleTemporaries(const std::string& folder, const std::string& forTarget = {});

// AtomicFile for content that is already in memory.
Status writeFileAtomically(const std::string& path, const std::string& content,
                           AtomicFile::Replace replace = AtomicFile::Replace::Allowed);

} // namespace fika::core
