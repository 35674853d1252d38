// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/job_context.h"
#include "common/result.h"

#include <string>
#include <vector>

namespace fika::core {

// resources/catalog.yaml: every address Fika downloads from.
struct CatalogDataset {
    std::string id, name, url, sha256, folder;
};
struct CatalogModel {
    std::string id, name, repo, revision = "main";
};
struct Catalog {
    std::string hub = "https://huggingface.co";
    std::vector<CatalogDataset> datasets;
    std::vector<CatalogModel> models;
};

Result<Catalog> loadCatalog(const std::string& path);
std::string bundledCatalogPath();

// Downloads (resuming), verifies and extracts a dataset; returns the folder to import
// (<cache>/datasets/<id>/<folder>). Done work is not repeated.
Result<std::string> fetchDataset(const Catalog& catalog, const std::string& id, const std::string& cacheDir,
                                 const JobContext* context = nullptr);
// Downloads a model's config.json, vocab.txt and weights (model.safetensors, its sharded index and
// shards, or pytorch_model.bin: the first the hub has) into <cache>/models/<id>; returns the folder.
Result<std::string> fetchModel(const Catalog& catalog, const std::string& id, const std::string& cacheDir,
                               const JobContext* context = nullptr);
// The models of the catalog already complete in the cache.
std::vector<std::string> cachedModels(const Catalog& catalog, const std::string& cacheDir);

} // namespace fika::core
