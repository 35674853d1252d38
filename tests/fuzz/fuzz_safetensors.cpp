// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes as a safetensors file: an index whose views lie inside the buffer, or an Error.
#include "model/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace fika::core;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto parsed = parseSafetensors(bytes, "fuzz.safetensors");
    if (!parsed)
        return 0;
    for (const auto& [name, view] : parsed.value().tensors) {
        if (view.data < data || view.data + view.bytes > data + size)
            __builtin_trap();
        if (static_cast<size_t>(view.numel()) * dtypeBytes(view.dtype) != view.bytes)
            __builtin_trap();
        volatile uint8_t sum = 0;
        for (size_t i = 0; i < view.bytes; ++i)
            sum = sum + view.data[i]; // touch every byte: ASan catches anything out of bounds
    }
    return 0;
}
