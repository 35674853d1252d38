// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/world.h"

#include <charconv>
#include <string_view>

namespace fika::core {
namespace {

// The integer in variable `name`, or `fallback` when it is unset.
Result<int> integerVariable(const EnvironmentReader& getenv, const char* name, int fallback, int minimum)
{
    const char* text = getenv(name);
    if (!text || !*text)
        return fallback;
    const std::string_view view(text);
    int value = 0;
    const auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), value);
    if (ec != std::errc() || end != view.data() + view.size())
        return makeError(ErrorCode::InvalidArgument, std::string(name) + "=" + text + " is not a whole number", "", 0, -1, name);
    if (value < minimum)
        return makeError(ErrorCode::InvalidArgument, std::string(name) + "=" + text + " is below " + std::to_string(minimum), "", 0,
                         -1, name);
    return value;
}

} // namespace

Result<WorldInfo> worldFromEnvironment(const EnvironmentReader& getenv)
{
    const bool torchrun = getenv("RANK") && *getenv("RANK");
    const bool slurm = !torchrun && getenv("SLURM_PROCID") && getenv("SLURM_NTASKS");
    if (!torchrun && !slurm) {
        // A launcher that sets WORLD_SIZE but forgets RANK would start processes that each train alone.
        if (const char* size = getenv("WORLD_SIZE"); size && *size && std::string_view(size) != "1")
            return makeError(ErrorCode::InvalidArgument,
                             std::string("WORLD_SIZE=") + size +
                                 " is set but RANK is not: each worker needs its RANK (0 to WORLD_SIZE-1); unset WORLD_SIZE to train "
                                 "in one process",
                             "", 0, -1, "RANK");
        return WorldInfo{};
    }
    const char* rankName = torchrun ? "RANK" : "SLURM_PROCID";
    const char* sizeName = torchrun ? "WORLD_SIZE" : "SLURM_NTASKS";
    const char* localName = torchrun ? "LOCAL_RANK" : "SLURM_LOCALID";
    const char* localSizeName = torchrun ? "LOCAL_WORLD_SIZE" : "SLURM_NTASKS_PER_NODE";
    WorldInfo world;
    auto size = integerVariable(getenv, sizeName, -1, 1);
    if (!size)
        return size.error();
    if (size.value() < 0)
        return makeError(ErrorCode::InvalidArgument, std::string(rankName) + " is set but " + sizeName + " is not", "", 0, -1,
                         sizeName);
    world.worldSize = size.value();
    auto rank = integerVariable(getenv, rankName, 0, 0);
    if (!rank)
        return rank.error();
    if (rank.value() >= world.worldSize)
        return makeError(ErrorCode::InvalidArgument,
                         std::string(rankName) + "=" + std::to_string(rank.value()) + " is not below " + sizeName + "=" +
                             std::to_string(world.worldSize),
                         "", 0, -1, rankName);
    world.rank = rank.value();
    auto local = integerVariable(getenv, localName, 0, 0);
    if (!local)
        return local.error();
    world.localRank = local.value();
    auto localSize = integerVariable(getenv, localSizeName, 1, 1);
    if (!localSize)
        return localSize.error();
    world.localWorldSize = std::min(localSize.value(), world.worldSize);
    if (world.localRank >= world.localWorldSize && getenv(localSizeName))
        return makeError(ErrorCode::InvalidArgument,
                         std::string(localName) + "=" + std::to_string(world.localRank) + " is not below " + localSizeName + "=" +
                             std::to_string(world.localWorldSize),
                         "", 0, -1, localName);
    if (const char* addr = getenv("MASTER_ADDR"); addr && *addr)
        world.masterAddr = addr;
    else if (getenv(localSizeName) && world.worldSize > world.localWorldSize)
        return makeError(ErrorCode::InvalidArgument,
                         "MASTER_ADDR is not set: the workers on other machines need the address of the one running rank 0", "", 0,
                         -1, "MASTER_ADDR");
    auto port = integerVariable(getenv, "MASTER_PORT", world.masterPort, 1);
    if (!port)
        return port.error();
    if (port.value() > 65535)
        return makeError(ErrorCode::InvalidArgument, "MASTER_PORT=" + std::to_string(port.value()) + " is not a port (1-65535)", "",
                         0, -1, "MASTER_PORT");
    world.masterPort = port.value();
    return world;
}

Status checkGlobalBatch(int64_t batchSize, int64_t workers)
{
    if (workers <= 1 || batchSize % workers == 0)
        return Ok{};
    const int64_t below = batchSize / workers * workers;
    return makeError(ErrorCode::ConfigInvalid,
                     "training.batch_size " + std::to_string(batchSize) + " is the global batch and does not divide among " +
                         std::to_string(workers) + " workers; use a multiple of " + std::to_string(workers) + " (" +
                         (below > 0 ? std::to_string(below) + " or " : "") + std::to_string(below + workers) + ")",
                     "", 0, -1, "training.batch_size");
}

} // namespace fika::core
