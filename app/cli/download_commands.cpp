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
namespace {

struct DownloadArgs {
    bool list = false;
    std::vector<std::string> ids;
    std::string cache;   // empty: ~/.cache/fika ($FIKA_CACHE_DIR)
    std::string catalog; // empty: the bundled one
};

int runDownload(const DownloadArgs& args)
{
    auto catalog = core::loadCatalog(args.catalog.empty() ? core::bundledCatalogPath() : args.catalog);
    if (!catalog) {
        return fail(catalog.error());
    }
    const std::string cache = args.cache.empty() ? core::fikaCacheDir() : args.cache;
    if (args.list || args.ids.empty()) {
        const auto cached = core::cachedModels(catalog.value(), cache);
        std::cout << "datasets:\n";
        for (const auto& d : catalog->datasets)
            std::cout << "  " << d.id << "  " << d.name << "\n";
        std::cout << "models (from " << catalog->hub << "):\n";
        for (const auto& m : catalog->models)
            std::cout << "  " << m.id << "  " << m.name
                      << (std::find(cached.begin(), cached.end(), m.id) != cached.end() ? "  [downloaded]" : "") << "\n";
        return args.ids.empty() && !args.list ? usageError("download needs a dataset or model id", "download") : 0;
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
    for (const auto& id : args.ids) {
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

} // namespace

Runner defineDownload(CLI::App& command)
{
    auto args = std::make_shared<DownloadArgs>();
    command.description("Downloads (resuming, checksummed) the IMDB dataset or pretrained models listed in the catalog\n"
                        "into the cache; prints the folder to import or to use as model weights.");
    addFlag(command, "--list", args->list, "list the catalog's datasets and models");
    command.add_option("ids", args->ids, "datasets or models to download")->type_name("ID");
    addValue(command, "--cache", args->cache, "DIR", "where downloads go (default: ~/.cache/fika, or $FIKA_CACHE_DIR)");
    addValue(command, "--catalog", args->catalog, "FILE", "the catalog (default: the bundled one)");
    return [args] { return runDownload(*args); };
}

} // namespace fika::cli
