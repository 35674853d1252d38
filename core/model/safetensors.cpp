// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/safetensors.h"

#include "common/atomic_file.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace fika::core {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100u << 20; // the reference implementation's limit

const std::pair<const char*, TensorDtype> kDtypes[] = {
    {"F32", TensorDtype::F32}, {"F16", TensorDtype::F16}, {"BF16", TensorDtype::BF16}, {"F64", TensorDtype::F64},
    {"I64", TensorDtype::I64}, {"I32", TensorDtype::I32}, {"I16", TensorDtype::I16},   {"I8", TensorDtype::I8},
    {"U8", TensorDtype::U8},   {"BOOL", TensorDtype::Bool},
};

Error headerError(const std::string& fileName, const std::string& what, const std::string& tensor = {})
{
    return makeError(ErrorCode::CheckpointInvalid,
                     fileName + ": " + (tensor.empty() ? std::string() : "tensor '" + tensor + "': ") + what, fileName, 0,
                     -1, tensor);
}

} // namespace

size_t dtypeBytes(TensorDtype dtype)
{
    switch (dtype) {
    case TensorDtype::F64:
    case TensorDtype::I64: return 8;
    case TensorDtype::F32:
    case TensorDtype::I32: return 4;
    case TensorDtype::F16:
    case TensorDtype::BF16:
    case TensorDtype::I16: return 2;
    case TensorDtype::I8:
    case TensorDtype::U8:
    case TensorDtype::Bool: return 1;
    case TensorDtype::None: break;
    }
    return 0;
}

const char* dtypeName(TensorDtype dtype)
{
    for (const auto& [name, value] : kDtypes)
        if (value == dtype)
            return name;
    return "none";
}

int64_t TensorView::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

Result<SafetensorsIndex> parseSafetensors(std::string_view bytes, const std::string& fileName)
{
    if (bytes.size() < 8)
        return headerError(fileName, "too short for a safetensors file (" + std::to_string(bytes.size()) + " bytes)");
    uint64_t headerBytes = 0;
    for (int i = 7; i >= 0; --i)
        headerBytes = (headerBytes << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
    if (headerBytes > kMaxHeaderBytes || headerBytes > bytes.size() - 8)
        return headerError(fileName, "header length " + std::to_string(headerBytes) + " does not fit the file of " +
                                         std::to_string(bytes.size()) + " bytes");
    const auto header = nlohmann::json::parse(bytes.substr(8, headerBytes), nullptr, false);
    if (header.is_discarded() || !header.is_object())
        return headerError(fileName, "the header is not a JSON object");
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data()) + 8 + headerBytes;
    const uint64_t dataBytes = bytes.size() - 8 - headerBytes;

    SafetensorsIndex index;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto& [name, entry] : header.items()) {
        if (name == "__metadata__") {
            if (!entry.is_object())
                return headerError(fileName, "__metadata__ must be an object of strings");
            for (const auto& [key, value] : entry.items()) {
                if (!value.is_string())
                    return headerError(fileName, "__metadata__." + key + " must be a string");
                index.metadata[key] = value.get<std::string>();
            }
            continue;
        }
        if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
            return headerError(fileName, "needs dtype, shape and data_offsets", name);
        TensorView view;
        for (const auto& [dtypeText, dtype] : kDtypes)
            if (entry["dtype"].is_string() && entry["dtype"].get<std::string>() == dtypeText)
                view.dtype = dtype;
        if (view.dtype == TensorDtype::None)
            return headerError(fileName, "unsupported dtype " + entry["dtype"].dump(), name);
        const auto& shape = entry["shape"];
        const auto& offsets = entry["data_offsets"];
        if (!shape.is_array() || !offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
            !offsets[1].is_number_unsigned())
            return headerError(fileName, "shape must be a list and data_offsets two non-negative integers", name);
        unsigned __int128 elements = 1;
        for (const auto& dim : shape) {
            if (!dim.is_number_unsigned())
                return headerError(fileName, "shape has a non-integer or negative dimension", name);
            elements *= dim.get<uint64_t>();
            if (elements > (static_cast<unsigned __int128>(1) << 62))
                return headerError(fileName, "shape is too large", name);
            view.shape.push_back(static_cast<int64_t>(dim.get<uint64_t>()));
        }
        const uint64_t begin = offsets[0].get<uint64_t>();
        const uint64_t end = offsets[1].get<uint64_t>();
        if (begin > end || end > dataBytes)
            return headerError(fileName, "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                             ") lie outside the data section of " + std::to_string(dataBytes) + " bytes",
                               name);
        if (elements * dtypeBytes(view.dtype) != end - begin)
            return headerError(fileName, "shape and dtype need " +
                                             std::to_string(static_cast<uint64_t>(elements * dtypeBytes(view.dtype))) +
                                             " bytes but data_offsets give " + std::to_string(end - begin),
                               name);
        view.data = data + begin;
        view.bytes = end - begin;
        ranges.emplace_back(begin, end);
        index.tensors.emplace(name, std::move(view));
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
            return headerError(fileName, "two tensors overlap at byte " + std::to_string(ranges[i].first));
    return index;
}

Result<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(errorCodeForErrno(errno),
                         path + ": cannot be opened (" + std::strerror(errno) + ")", path);
    struct stat info {};
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return makeError(ErrorCode::NotAFile, path + ": cannot be read (" +
                                                 (S_ISDIR(info.st_mode) ? "it is a folder" : "it is not a regular file") + ")",
                         path);
    }
    if (info.st_size < 8) {
        ::close(fd);
        return headerError(path, "too short for a safetensors file");
    }
    std::unique_ptr<SafetensorsFile> file(new SafetensorsFile);
    file->m_path = path;
    file->m_size = static_cast<size_t>(info.st_size);
    file->m_map = mmap(nullptr, file->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (file->m_map == MAP_FAILED) {
        file->m_map = nullptr;
        return makeError(errorCodeForErrno(errno), path + ": cannot be memory-mapped (" + std::strerror(errno) + ")", path);
    }
    auto index = parseSafetensors(std::string_view(static_cast<const char*>(file->m_map), file->m_size), path);
    if (!index)
        return index.error();
    file->m_index = std::move(index.value());
    return file;
}

void SafetensorsFile::release(const TensorView& view) const
{
    const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = (reinterpret_cast<uintptr_t>(view.data) + page - 1) / page * page;
    const auto end = (reinterpret_cast<uintptr_t>(view.data) + view.bytes) / page * page;
    if (end > begin)
        madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

SafetensorsFile::~SafetensorsFile()
{
    if (m_map)
        munmap(m_map, m_size);
}

Status writeSafetensors(const std::string& path, std::vector<TensorToWrite> tensors,
                        const std::map<std::string, std::string>& metadata)
{
    std::sort(tensors.begin(), tensors.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const auto& tensor : tensors) {
        header[tensor.name] = {{"dtype", dtypeName(tensor.dtype)},
                               {"shape", tensor.shape},
                               {"data_offsets", {offset, offset + tensor.bytes}}};
        offset += tensor.bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    AtomicFile out(path);
    if (auto opened = out.open(); !opened)
        return opened;
    const uint64_t length = text.size();
    char prefix[8];
    for (int i = 0; i < 8; ++i)
        prefix[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
    Status written = out.write(prefix, 8);
    if (written)
        written = out.write(text);
    for (size_t i = 0; written && i < tensors.size(); ++i)
        written = out.write(tensors[i].data, tensors[i].bytes);
    return written ? out.commit() : written;
}

} // namespace fika::core
