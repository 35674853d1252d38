// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes into the CSV reader: it must return records or an Error, never crash or hang.
#include "data/csv_reader.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace fika::core;
    auto reader = CsvReader::openStream(
        std::make_unique<std::istringstream>(std::string(reinterpret_cast<const char*>(data), size)), "fuzz.csv");
    if (!reader)
        return 0;
    CsvRecord record;
    int64_t previousLine = 0;
    for (;;) {
        auto got = reader.value()->next(record);
        if (!got || !got.value())
            break;
        if (record.line <= previousLine || record.fields.empty())
            __builtin_trap(); // lines must increase and every record has a field
        previousLine = record.line;
    }
    return 0;
}
