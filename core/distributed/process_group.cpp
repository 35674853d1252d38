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

#include <netdb.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
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

// Set by a rank when it arrives at the rendezvous; a second arrival of the same rank is refused.
std::string arrivalKey(int rank)
{
    return "fika/rank/" + std::to_string(rank);
}

// Why `host` does not resolve, or empty. A name that never resolves would otherwise cost the whole
// rendezvous timeout and end in "the client socket has timed out". Retries a temporary failure
// (EAI_AGAIN, a name server not answering yet) until `timeout`.
std::string resolutionProblem(const std::string& host, std::chrono::seconds timeout)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        addrinfo* found = nullptr;
        const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
        if (rc == 0) {
            freeaddrinfo(found);
            return {};
        }
        if (rc != EAI_AGAIN || std::chrono::steady_clock::now() >= deadline)
            return gai_strerror(rc);
        std::this_thread::sleep_for(1s);
    }
}

// The ranks that have not arrived, as "1, 4-7" (the first 20 runs of them).
std::string missingRanks(c10d::Store& store, int worldSize)
{
    std::string out;
    int runs = 0;
    for (int r = 0; r < worldSize && runs < 20;) {
        if (store.check({arrivalKey(r)})) {
            ++r;
            continue;
        }
        int last = r;
        while (last + 1 < worldSize && !store.check({arrivalKey(last + 1)}))
            ++last;
        out += (out.empty() ? "" : ", ") + std::to_string(r) + (last > r ? "-" + std::to_string(last) : "");
        ++runs;
        r = last + 1;
    }
    return out;
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

std::vector<std::string> linesOf(const std::string& text)
{
    std::vector<std::string> lines;
    for (size_t start = 0; start < text.size();) {
        const size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

// Line `i` of YAML-like text with its parents' keys in front ("training.batch_size: 8"): the
// parents are the nearest lines above with less indentation.
std::string describeLine(const std::vector<std::string>& lines, size_t i)
{
    if (i >= lines.size())
        return "(nothing)";
    size_t indent = lines[i].find_first_not_of(' ');
    if (indent == std::string::npos)
        return "(an empty line)";
    std::string path = lines[i].substr(indent);
    for (size_t j = i; j-- > 0 && indent > 0;) {
        const size_t parentIndent = lines[j].find_first_not_of(' ');
        if (parentIndent >= indent)
            continue;
        path = lines[j].substr(parentIndent, lines[j].find(':') - parentIndent) + "." + path;
        indent = parentIndent;
    }
    return path;
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
    if (const std::string problem = resolutionProblem(world.masterAddr, timeout); !problem.empty())
        return makeError(ErrorCode::NetworkError,
                         "the rendezvous address " + world.masterAddr + " does not resolve (" + problem +
                             "): give --master-addr (MASTER_ADDR) the name or IP address of the machine that runs rank 0",
                         "", 0, -1, "MASTER_ADDR");
    c10::intrusive_ptr<c10d::Store> store;
    try {
        store = connectStore(world, world.rank == 0, timeout);
    } catch (const std::exception& e) {
        const std::string what = firstLine(e.what());
        if (world.rank == 0 && what.find("Address already in use") != std::string::npos)
            return makeError(ErrorCode::PortUnavailable,
                             "rank 0 cannot open the rendezvous store: port " + std::to_string(world.masterPort) +
                                 " is in use here (by another program or run, or by a second rank 0: was --node-rank 0 given "
                                 "twice?); choose another --master-port (MASTER_PORT)",
                             "", 0, -1, "MASTER_PORT");
        return makeError(world.rank == 0 ? ErrorCode::PortUnavailable : ErrorCode::NetworkError,
                         (world.rank == 0 ? "rank 0 cannot open the rendezvous store on " : "rank " + std::to_string(world.rank) +
                                                                                                 " cannot reach rank 0's rendezvous store at ") +
                             where + " within " + std::to_string(timeout.count()) + " s: " + what,
                         "", 0, -1, "MASTER_PORT");
    }
    // Everyone counts in once, then waits for the count to reach the world size.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int64_t arrived = 0;
    try {
        // A rank that arrives twice is two workers given one rank: both would wait in collectives that
        // never match (and the real rank's place stays empty).
        if (store->add(arrivalKey(world.rank), 1) > 1)
            return makeError(ErrorCode::InvalidArgument,
                             "rank " + std::to_string(world.rank) + " has already joined the rendezvous at " + where +
                                 ": two workers were started as rank " + std::to_string(world.rank) +
                                 "; give each machine its own --node-rank (0 to --nnodes - 1), or each worker its own RANK",
                             "", 0, -1, "RANK");
        arrived = store->add("fika/arrived", 1);
        while (arrived < world.worldSize && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(100ms);
            arrived = store->add("fika/arrived", 0);
        }
        if (arrived < world.worldSize) {
            const std::string missing = missingRanks(*store, world.worldSize);
            return makeError(ErrorCode::NetworkError,
                             "the rendezvous at " + where + " timed out after " + std::to_string(timeout.count()) + " s: " +
                                 std::to_string(arrived) + " of " + std::to_string(world.worldSize) + " workers arrived (missing: rank" +
                                 (missing.find_first_of(",-") == std::string::npos ? " " : "s ") + missing +
                                 "); start the others (same --nnodes, --master-addr and --master-port, each machine its own "
                                 "--node-rank) or check that the port is reachable",
                             "", 0, -1, "MASTER_ADDR");
        }
    } catch (const std::exception& e) {
        return makeError(ErrorCode::NetworkError, "the rendezvous at " + where + " failed: " + firstLine(e.what()));
    }
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

Status DistributedGroup::requireSameEverywhere(const std::string& text, const std::string& subject, const std::string& advice,
                                              const std::string& field)
{
    // Lengths first, then every text padded to the longest.
    const torch::Tensor lengths = allgather(torch::tensor({static_cast<int64_t>(text.size())}, torch::kLong));
    const int64_t longest = std::max<int64_t>(1, lengths.max().item<int64_t>());
    torch::Tensor bytes = torch::zeros({longest}, torch::kUInt8);
    std::memcpy(bytes.data_ptr<uint8_t>(), text.data(), text.size());
    const torch::Tensor all = allgather(bytes);
    std::vector<std::string> texts;
    for (int r = 0; r < size(); ++r)
        texts.emplace_back(reinterpret_cast<const char*>(all.data_ptr<uint8_t>()) + r * longest,
                           static_cast<size_t>(lengths[r].item<int64_t>()));
    std::vector<int> differing;
    for (int r = 1; r < size(); ++r)
        if (texts[static_cast<size_t>(r)] != texts[0])
            differing.push_back(r);
    if (differing.empty())
        return Ok{};
    const int r = differing.front();
    const auto reference = linesOf(texts[0]);
    const auto other = linesOf(texts[static_cast<size_t>(r)]);
    size_t line = 0;
    while (line < reference.size() && line < other.size() && reference[line] == other[line])
        ++line;
    std::string message = subject + " differs between the workers: " + describeLine(reference, line) + " on rank 0, " +
                          describeLine(other, line) + " on rank " + std::to_string(r);
    if (differing.size() > 1) {
        message += differing.size() > 2 ? " (ranks " : " (rank ";
        for (size_t i = 1; i < differing.size(); ++i)
            message += (i > 1 ? ", " : "") + std::to_string(differing[i]);
        message += std::string(differing.size() > 2 ? " differ" : " differs") + " from rank 0 too)";
    }
    return makeError(ErrorCode::ConfigInvalid, message + "; " + advice, "", 0, -1, field);
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
