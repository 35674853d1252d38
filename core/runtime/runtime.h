// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fika::core {

// Process-wide start-up: LibTorch's intra-op thread count (it starts at 1 here). 0 = all cores.
void initRuntime(int threads = 0);
int computeThreads();
// Gives back the OpenMP helper threads of the calling thread. libgomp lets idle helpers spin only
// while it runs no more threads than there are cores. Each thread that has run tensor work keeps
// its own team, so a second one makes every team sleep and wake through the kernel between
// operations (measured here: a tiny BERT predicted at half speed). Call it when a thread is done
// with tensor work for a while; its next operation starts a new team.
void releaseComputeThreads();
// Sets how many intra-op threads the calling thread's own tensor work uses, leaving the process
// default (initRuntime) for other threads.
void setThreadComputeThreads(int threads);

// OpenBLAS's kernel set ("SkylakeX", "Haswell", …), or empty when OpenBLAS is not in use.
std::string blasCoreName();
// OpenBLAS's fallbacks for CPUs it does not recognise (no AVX2 kernels).
bool isGenericBlasCore(const std::string& core);
// A hint when OpenBLAS fell back to its generic kernels on a CPU that has AVX2/AVX-512 (seen in some
// virtual machines that hide the CPU model): matrix products then run about 4× slower. Empty if fine.
std::string blasPerformanceWarning();

// The bundled bert-base-uncased vocab: installed beside the executable (../share/fika/vocab), else
// in the source tree (for a build folder).
std::string bundledVocabPath();
// Downloads and caches: $FIKA_CACHE_DIR, else $XDG_CACHE_HOME/fika, else ~/.cache/fika.
std::string fikaCacheDir();

std::string fikaVersion();
std::string torchVersion();

// What the exception being handled says (LibTorch's without its backtrace); call it only inside a
// catch block. Here so that callers need no LibTorch header to read LibTorch's errors.
std::string currentExceptionMessage();

// Where a model can run: the CPU, or a CUDA GPU when this Fika's LibTorch was built with CUDA.
struct ComputeDevice {
    std::string id;          // "cpu", "cuda:0", … (what training.device and --device take)
    std::string name;        // "CPU", "NVIDIA H200"
    int64_t memoryBytes = 0; // a GPU's own memory; 0 for the CPU (it uses the machine's RAM)
};
// The CPU first, then every GPU LibTorch sees (none without a CUDA LibTorch).
std::vector<ComputeDevice> computeDevices();
// The entry of computeDevices() that `id` names ("cuda" is GPU 0), or the CPU's for an id it lacks
// (checkComputeDevice in model/predictor.h refuses those first).
ComputeDevice findComputeDevice(const std::string& id);
// Whether this LibTorch was built with CUDA (whether or not a GPU is present now).
bool torchHasCuda();
// The most memory LibTorch's CUDA allocator has held for tensors on GPU `index` since the last
// reset; 0 without CUDA.
int64_t gpuPeakMemoryBytes(int index);
void resetGpuPeakMemory(int index);

// Whether the CPU has bf16 matrix units (AVX512-BF16), which make bf16 about twice fp32's speed;
// without them bf16 is slower than fp32.
bool cpuHasBf16Units();

} // namespace fika::core
