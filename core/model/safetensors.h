// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fika::core {

enum class TensorDtype { None = 0, F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

size_t dtypeBytes(TensorDtype dtype);
const char* dtypeName(TensorDtype dtype);

// One tensor inside a safetensors buffer: a view, valid while its file stays open.
struct TensorView {
    TensorDtype dtype = TensorDtype::None;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;
    size_t bytes = 0;
    int64_t numel() const;
};

// The parsed header of a safetensors buffer. Hardened against hostile files: header length bounds,
// valid JSON, known dtypes, shapes that match their byte ranges (overflow-checked), ranges inside
// the data section and not overlapping. Every failure is an Error naming the tensor, never a crash.
struct SafetensorsIndex {
    std::map<std::string, TensorView> tensors;
    std::map<std::string, std::string> metadata;
};
Result<SafetensorsIndex> parseSafetensors(std::string_view bytes, const std::string& fileName = "safetensors");

// A memory-mapped .safetensors file: pages are read on demand and shared with the page cache, so
// loading does not hold a second private copy of the weights.
class SafetensorsFile {
public:
    static Result<std::unique_ptr<SafetensorsFile>> open(const std::string& path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;

    const SafetensorsIndex& index() const { return m_index; }
    // Drops a tensor's pages from this process once it has been copied, so that loading peaks
    // at the model's size plus one tensor rather than twice the model.
    void release(const TensorView& view) const;
    const std::string& path() const { return m_path; }

private:
    SafetensorsFile() = default;
    std::string m_path;
    void* m_map = nullptr;
    size_t m_size = 0;
    SafetensorsIndex m_index;
};

// Writes tensors (sorted by name) and string metadata; the header is padded to 8 bytes.
struct TensorToWrite {
    std::string name;
    TensorDtype dtype = TensorDtype::F32;
    std::vector<int64_t> shape;
    const void* data = nullptr;
    size_t bytes = 0;
};
Status writeSafetensors(const std::string& path, std::vector<TensorToWrite> tensors,
                        const std::map<std::string, std::string>& metadata = {});

} // namespace fika::core
