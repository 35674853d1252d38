// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/process_group.h"

#include "distributed/c10d_compat.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <map>

namespace fika::core {
namespace {

using namespace std::chrono_literals;

// Collectives wait this long for a slow peer (rank 0 writing a BERT-base checkpoint, a rank that
// validates a larger share). A peer that dies closes its sockets and fails them at once instead.
constexpr auto kCollectiveTimeout = std::chrono::minutes(30);
constexpr auto kBeatInterval = 1s;

std::string heartbeatKey(int rank)
{
    return "fika/heartbeat/" + std::to_string(rank);
}

c10::intrusive_ptr<c10d::Store> connectStore(const WorldInfo& world, bool server, std::chrono::milliseconds timeout)
{
    c10d::TCPStoreOptions options;
    options.port = static_cast<uint16_t>(world.masterPort);
    options.isServer = server;
    options.numWorkers = world.worldSize;
    options.waitWorkers = false; // arrivals are counted below, so that a timeout can say how many came
    options.timeout = timeout;
    return c10::make_intrusive<c10d::TCPStore>(world.masterAddr, options);
}

#ifdef USE_C10D_GLOO
constexpr bool kHasGloo = true;

// The network device Gloo listens on: loopback for a run on this machine, else GLOO_SOCKET_IFNAME's
// interface or the address this machine's name resolves to (what PyTorch does).
std::shared_ptr<::gloo::transport::Device> glooDevice(const WorldInfo& world)
{
    if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name)
        return c10d::ProcessGroupGloo::createDeviceForInterface(name);
    if (world.worldSize == world.localWorldSize)
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

c10::intrusive_ptr<c10d::ProcessGroup> makeGlooGroup(const c10::intrusive_ptr<c10d::Store>& store, const WorldInfo& world)
{
    auto options = c10d::ProcessGroupGloo::Options::create(kCollectiveTimeout);
    options->devices.push_back(glooDevice(world));
    return compat::processGroupOf(c10::make_intrusive<c10d::ProcessGroupGloo>(store, world.rank, world.worldSize, options), store,
                                  world.rank, world.worldSize, /*nccl=*/false);
}
#else
// A LibTorch without gloo's headers and library (a PyTorch wheel's; core/CMakeLists.txt): join()
// refuses the Gloo backend before any rendezvous.
constexpr bool kHasGloo = false;

c10::intrusive_ptr<c10d::ProcessGroup> makeGlooGroup(const c10::intrusive_ptr<c10d::Store>&, const WorldInfo&)
{
    return {};
}
#endif

c10::intrusive_ptr<c10d::ProcessGroup> makeProcessGroup(const c10::intrusive_ptr<c10d::Store>& store, const WorldInfo& world,
                                                        DistributedGroup::Backend backend)
{
#ifdef USE_C10D_NCCL
    if (backend == DistributedGroup::Backend::Nccl) {
        auto options = c10d::ProcessGroupNCCL::Options::create();
        options->timeout = kCollectiveTimeout;
        return compat::processGroupOf(c10::make_intrusive<c10d::ProcessGroupNCCL>(store, world.rank, world.worldSize, options),
                                      store, world.rank, world.worldSize, /*nccl=*/true);
    }
#else
    (void)backend;
#endif
    return makeGlooGroup(store, world);
}

std::string firstLine(const std::string& text)
{
    return text.substr(0, text.find('\n'));
}

} // namespace

Result<std::unique_ptr<DistributedGroup>> DistributedGroup::join(const WorldInfo& world, std::chrono::seconds timeout, Backend backend)
{
#ifndef USE_C10D_NCCL
    if (backend == Backend::Nccl)
        return makeError(ErrorCode::ConfigInvalid,
                         "training on several GPUs needs a LibTorch built with NCCL; this Fika's LibTorch has none", "", 0, -1,
                         "training.device");
#endif
    if (backend == Backend::Gloo && !kHasGloo)
        return makeError(ErrorCode::ConfigInvalid,
                         "this Fika's LibTorch has no Gloo: multi-process training on the CPU is not available in this build; "
                         "use training.device: cuda (NCCL)",
                         "", 0, -1, "training.device");
    const std::string where = world.masterAddr + ":" + std::to_string(world.masterPort);
    c10::intrusive_ptr<c10d::Store> store;
    try {
        store = connectStore(world, world.rank == 0, timeout);
    } catch (const std::exception& e) {
        return makeError(world.rank == 0 ? ErrorCode::PortUnavailable : ErrorCode::NetworkError,
                         (world.rank == 0 ? "rank 0 cannot open the rendezvous store on " : "rank " + std::to_string(world.rank) +
                                                                                                 " cannot reach rank 0's rendezvous store at ") +
                             where + " within " + std::to_string(timeout.count()) + " s: " + firstLine(e.what()),
                         "", 0, -1, "MASTER_PORT");
    }
    // Everyone counts in, then waits for the count to reach the world size.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int64_t arrived = 0;
    try {
        arrived = store->add("fika/arrived", 1);
        while (arrived < world.worldSize && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
            arrived = store->add("fika/arrived", 0);
        }
    } catch (const std::exception& e) {
        return makeError(ErrorCode::NetworkError, "the rendezvous at " + where + " failed: " + firstLine(e.what()));
    }
    if (arrived < world.worldSize)
        return makeError(ErrorCode::NetworkError,
                         "the rendezvous at " + where + " timed out after " + std::to_string(timeout.count()) + " s: " +
                             std::to_string(arrived) + " of " + std::to_string(world.worldSize) +
                             " workers arrived; start the others (same --nnodes, --master-addr and --master-port, "
                             "each machine its own --node-rank) or check that the port is reachable",
                         "", 0, -1, "MASTER_ADDR");
    try {
        auto group = makeProcessGroup(store, world, backend);
        auto heartbeat = connectStore(world, false, timeout);
        const torch::Device device = backend == Backend::Nccl ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(world.localRank))
                                                              : torch::Device(torch::kCPU);
        return std::unique_ptr<DistributedGroup>(new DistributedGroup(world, store, group, heartbeat, device));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::NetworkError, "rank " + std::to_string(world.rank) + " cannot connect to the other workers: " +
                                                      firstLine(e.what()) + " (GLOO_SOCKET_IFNAME names the network interface to use)");
    }
}

DistributedGroup::DistributedGroup(WorldInfo world, c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::ProcessGroup> group,
                                   c10::intrusive_ptr<c10d::Store> heartbeatStore, torch::Device device)
    : m_world(std::move(world)), m_store(std::move(store)), m_group(std::move(group)), m_heartbeatStore(std::move(heartbeatStore)),
      m_device(device)
{
    m_beat = std::thread([this] { beat(); });
}

DistributedGroup::~DistributedGroup()
{
    m_beating = false;
    if (m_beat.joinable())
        m_beat.join();
}

void DistributedGroup::beat()
{
    while (m_beating) {
        try {
            m_heartbeatStore->add(heartbeatKey(m_world.rank), 1);
        } catch (const std::exception&) {
            return; // the store (rank 0) is gone; the next collective says so
        }
        for (auto waited = 0ms; m_beating && waited < kBeatInterval; waited += 50ms)
            std::this_thread::sleep_for(50ms);
    }
}

void DistributedGroup::allreduceSum(torch::Tensor& tensor)
{
    std::vector<torch::Tensor> tensors{tensor.to(m_device)};
    m_group->allreduce(tensors)->wait();
    if (!tensors[0].is_same(tensor))
        tensor.copy_(tensors[0]);
}

torch::Tensor DistributedGroup::allgather(const torch::Tensor& tensor)
{
    std::vector<torch::Tensor> input{tensor.to(m_device).contiguous()};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < size(); ++r)
        output[0].push_back(torch::empty_like(input[0]));
    m_group->allgather(output, input)->wait();
    return torch::cat(output[0], 0).to(tensor.device());
}

void DistributedGroup::broadcastFromRankZero(const std::vector<torch::Tensor>& tensors)
{
    for (const auto& tensor : tensors) {
        std::vector<torch::Tensor> one{tensor};
        m_group->broadcast(one)->wait();
    }
}

void DistributedGroup::barrier()
{
    m_group->barrier()->wait();
}

std::string DistributedGroup::describeFailure(const std::string& what)
{
    const std::string self = "rank " + std::to_string(rank()) + ": ";
    std::map<int, int64_t> before;
    try {
        for (int r = 0; r < size(); ++r)
            if (r != rank())
                before[r] = m_heartbeatStore->add(heartbeatKey(r), 0);
        std::this_thread::sleep_for(3 * kBeatInterval);
        std::string stopped;
        for (const auto& [r, count] : before)
            if (m_heartbeatStore->add(heartbeatKey(r), 0) == count)
                stopped += (stopped.empty() ? "" : ", ") + std::to_string(r);
        if (!stopped.empty())
            return self + "rank " + stopped + " stopped (its heartbeat ended), so this worker stops too (" + firstLine(what) + ")";
    } catch (const std::exception&) {
        return self + "rank 0 stopped (its rendezvous store is gone), so this worker stops too (" + firstLine(what) + ")";
    }
    return self + "a collective operation failed: " + firstLine(what);
}

void DistributedGroup::finish()
{
    m_beating = false;
    if (m_beat.joinable())
        m_beat.join();
    barrier();
}

} // namespace fika::core
