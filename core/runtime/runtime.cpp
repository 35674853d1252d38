// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime/runtime.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace fika::core {

void initRuntime(int threads)
{
    const int count = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(count);
}

int computeThreads()
{
    return at::get_num_threads();
}

void releaseComputeThreads()
{
    // Looked up at run time: the OpenMP runtime is the one LibTorch was built with.
    using PauseFn = int (*)(int);
    static auto* pause = reinterpret_cast<PauseFn>(dlsym(RTLD_DEFAULT, "omp_pause_resource_all"));
    constexpr int kPauseSoft = 1; // omp_pause_soft: threads go, settings stay
    if (pause)
        pause(kPauseSoft);
}

void setThreadComputeThreads(int threads)
{
    // LibTorch sets a thread's count from the process default at its first parallel operation:
    // run that first, or it would undo this.
    at::internal::lazy_init_num_threads();
    using SetFn = void (*)(int);
    static auto* set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
    if (set)
        set(std::max(1, threads));
}

ComputeDevice findComputeDevice(const std::string& id)
{
    const auto devices = computeDevices();
    const std::string wanted = id == "cuda" ? "cuda:0" : id;
    for (const auto& device : devices)
        if (device.id == wanted)
            return device;
    return devices.front();
}

std::string blasCoreName()
{
    using CoreNameFn = char* (*)();
    auto* coreName = reinterpret_cast<CoreNameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* name = coreName ? coreName() : nullptr;
    return name ? name : "";
}

bool isGenericBlasCore(const std::string& core)
{
    return core == "Prescott" || core == "Core2" || core == "Nehalem" || core == "Sandybridge" || core == "Atom" ||
           core == "Dunnington" || core == "Penryn" || core == "Barcelona" || core == "Bulldozer" || core == "Opteron";
}

std::string blasPerformanceWarning()
{
    const std::string core = blasCoreName();
    if (!isGenericBlasCore(core) || !__builtin_cpu_supports("avx2"))
        return {};
    const char* suggestion = __builtin_cpu_supports("avx512f") ? "SkylakeX" : "Haswell";
    return "OpenBLAS uses its generic '" + core + "' kernels on a CPU with " +
           (__builtin_cpu_supports("avx512f") ? "AVX-512" : "AVX2") +
           ", so matrix products run several times slower than they could; start Fika with "
           "OPENBLAS_CORETYPE=" + suggestion + " set in the environment";
}

std::string bundledVocabPath()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    for (const fs::path& candidate : {exe.parent_path() / "../share/fika/vocab/bert-base-uncased-vocab.txt",
                                      fs::path(FIKA_SOURCE_DIR) / "resources/vocab/bert-base-uncased-vocab.txt"})
        if (fs::exists(candidate, ec))
            return candidate.lexically_normal().string();
    return "bert-base-uncased-vocab.txt";
}

std::string fikaCacheDir()
{
    namespace fs = std::filesystem;
    if (const char* fika = std::getenv("FIKA_CACHE_DIR"); fika && *fika)
        return fika;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "fika").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "fika").string();
    return "fika-cache";
}

std::string fikaVersion()
{
    return FIKA_VERSION;
}

std::string torchVersion()
{
    return TORCH_VERSION;
}

std::string currentExceptionMessage()
{
    try {
        throw;
    } catch (const c10::Error& e) {
        return e.what_without_backtrace();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unexpected error";
    }
}

bool cpuHasBf16Units()
{
    return __builtin_cpu_supports("avx512bf16");
}

} // namespace fika::core
