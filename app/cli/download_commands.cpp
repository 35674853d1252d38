// SPDX-License-Identifier: GPL-3.0-or-later
// fika-cli download: the data library and pretrained models from the catalog.
#include "cli/args.h"
#include "cli/commands.h"

#include "download/library.h"
#include "runtime/runtime.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace fika::cli {

int runDownload(const std::vector<std::string>& argv)
{
    Args args;
    if (auto error = args.parse(argv, {"--cache", "--catalog"}, {"--list"}, ArgRules::words(ArgRules::kAnyCount));
        !error.empty())
        return usageError(error);
    auto catalog = core::loadCatalog(args.value("--catalog", core::bundledCatalogPath()));
    if (!catalog) {
        return fail(catalog.error());
    }
    const std::string cache = args.value("--cache", core::fikaCacheDir());
    if (args.flag("--list") || args.positional().empty()) {
        const auto cached = core::cachedModels(catalog.value(), cache);
        std::cout << "datasets:\n";
        for (const auto& d : catalog->datasets)
            std::cout << "  " << d.id << "  " << d.name << "\n";
        std::cout << "models (from " << catalog->hub << "):\n";
        for (const auto& m : catalog->models)
            std::cout << "  " << m.id << "  " << m.name
                      << (std::find(cached.begin(), cached.end(), m.id) != cached.end() ? "  [downloaded]" : "") << "\n";
        return args.positional().empty() && !args.flag("--list") ? usageError("download needs a dataset or model id") : 0;
    }
    core::JobContext context;
    context.stopRequested = &stopOnInterrupt();
    const bool tty = isatty(STDERR_FILENO);
    int64_t lastMb = -1;
    context.progress = [&](int64_t done, int64_t total) {
        const int64_t mb = done >> 20;
        if (mb == lastMb)
            return;
        lastMb = mb;
        if (tty)
            std::fprintf(stderr, "\r%lld MB%s%lld MB   ", static_cast<long long>(mb), total > 0 ? " of " : "",
                         static_cast<long long>(total > 0 ? total >> 20 : 0));
    };
    int status = 0;
    for (const auto& id : args.positional()) {
        const bool isDataset = std::any_of(catalog->datasets.begin(), catalog->datasets.end(),
                                           [&](const auto& d) { return d.id == id; });
        std::cerr << "downloading " << id << "\n";
        auto folder = isDataset ? core::fetchDataset(catalog.value(), id, cache, &context)
                                : core::fetchModel(catalog.value(), id, cache, &context);
        if (tty)
            std::cerr << "\n";
        if (!folder) {
            std::cerr << "fika-cli: " << folder.error().message << "\n";
            status = 1;
            continue;
        }
        std::cout << folder.value() << "\n";
    }
    return status;
}

} // namespace fika::cli
