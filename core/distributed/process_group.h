// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "distributed/world.h"

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace c10d {
class ProcessGroup;
class Store;
} // namespace c10d

namespace fika::core {

// This process's membership in a data-parallel run, on PyTorch's own distributed layer (c10d):
// rendezvous through a c10d::TCPStore that rank 0 hosts, collectives through ProcessGroupGloo.
// Collectives throw when a peer is gone (its sockets close); describeFailure() then names the ranks
// that stopped, from the heartbeats every rank keeps in the store.
class DistributedGroup {
public:
    // Gloo between CPUs, where this build has gloo (USE_C10D_GLOO: not with a PyTorch wheel's LibTorch);
    // NCCL between GPUs (each local rank on GPU LOCAL_RANK), where LibTorch was built with it
    // (USE_C10D_NCCL: a CUDA LibTorch, README: Fika on a GPU). join() refuses a
    // backend this build lacks.
    enum class Backend { Gloo, Nccl };

    // Waits up to `timeout` for every rank to arrive; the error says how many did.
    static Result<std::unique_ptr<DistributedGroup>> join(const WorldInfo& world, std::chrono::seconds timeout,
                                                          Backend backend = Backend::Gloo);
    ~DistributedGroup();

    const WorldInfo& world() const { return m_world; }
    int rank() const { return m_world.rank; }
    int size() const { return m_world.worldSize; }
    const c10::intrusive_ptr<c10d::ProcessGroup>& processGroup() const { return m_group; }

    // Collectives on tensors anywhere: they travel to the backend's device and back.
    void allreduceSum(torch::Tensor& tensor);
    // Every rank's tensor (same shape everywhere), concatenated along dimension 0 in rank order.
    torch::Tensor allgather(const torch::Tensor& tensor);
    // Rank 0's values into every rank's tensors, in place.
    void broadcastFromRankZero(const std::vector<torch::Tensor>& tensors);
    void barrier();

    // A collective: every rank passes its `text` (key: value lines, as YAML writes them), and unless
    // all equal rank 0's, every rank gets the same error naming the first line that differs and on
    // which ranks: "<subject> differs between the workers: training.batch_size: 8 on rank 0,
    // training.batch_size: 16 on rank 1; <advice>". Workers that disagree on the config or the data
    // would otherwise train on silently, or wait forever in collectives the others never reach.
    Status requireSameEverywhere(const std::string& text, const std::string& subject, const std::string& advice, const std::string& field);

    // What to say after a collective threw `what`: the ranks whose heartbeat stopped, or that rank 0
    // (which holds the store) is gone. Waits a few seconds to see whose heartbeat still moves.
    std::string describeFailure(const std::string& what);

    // Stops the heartbeat and waits for every rank here: a rank that leaves early would take the
    // store (rank 0) or a peer's sockets away from the others.
    void finish();

private:
    DistributedGroup(WorldInfo world, c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<c10d::ProcessGroup> group,
                     c10::intrusive_ptr<c10d::Store> heartbeatStore, torch::Device device);
    void beat();

    WorldInfo m_world;
    c10::intrusive_ptr<c10d::Store> m_store;
    c10::intrusive_ptr<c10d::ProcessGroup> m_group;
    c10::intrusive_ptr<c10d::Store> m_heartbeatStore; // its own connection: the beat thread uses it
    torch::Device m_device;                           // where the backend takes its tensors
    std::atomic<bool> m_beating{true};
    std::thread m_beat;
};

} // namespace fika::core
