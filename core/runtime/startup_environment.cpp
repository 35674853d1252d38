// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime/startup_environment.h"

#include "runtime/runtime.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace fika::core {

namespace {
constexpr const char* kRestartedVariable = "FIKA_RESTARTED_WITH";
// Tests use it to stand for what OpenBLAS detects on a CPU it does not know.
constexpr const char* kDetectedForTestsVariable = "FIKA_TEST_DETECTED_BLAS_CORE";

bool isSet(const char* name)
{
    const char* value = std::getenv(name);
    return value && *value;
}
} // namespace

StartupEnvironment chooseStartupEnvironment(const StartupChoices& choices)
{
    StartupEnvironment out;
    if (!isSet("OPENBLAS_CORETYPE") && isGenericBlasCore(choices.detectedBlasCore) && choices.cpuHasAvx2) {
        const std::string core = choices.cpuHasAvx512 ? "SkylakeX" : "Haswell";
        out.settings.emplace_back("OPENBLAS_CORETYPE", core);
        out.reason = "OpenBLAS chose its generic '" + choices.detectedBlasCore + "' kernels on this " +
                     (choices.cpuHasAvx512 ? "AVX-512" : "AVX2") + " CPU (about 4x slower matrix products), so " +
                     "OPENBLAS_CORETYPE=" + core + " is set (set OPENBLAS_CORETYPE yourself to choose another)";
    }
    if (choices.passiveOpenMp && !isSet("OMP_WAIT_POLICY"))
        out.settings.emplace_back("OMP_WAIT_POLICY", "passive"); // routine: not worth a line on every run
    return out;
}

void restartWithTunedEnvironment(char** argv, bool passiveOpenMp)
{
    if (const char* reason = std::getenv(kRestartedVariable)) {
        if (*reason)
            std::fprintf(stderr, "fika: %s\n", reason);
        ::unsetenv(kRestartedVariable);
        return;
    }
    StartupChoices choices;
    const char* detectedForTests = std::getenv(kDetectedForTestsVariable);
    choices.detectedBlasCore = detectedForTests && *detectedForTests ? detectedForTests : blasCoreName();
    choices.cpuHasAvx2 = __builtin_cpu_supports("avx2");
    choices.cpuHasAvx512 = __builtin_cpu_supports("avx512f");
    choices.passiveOpenMp = passiveOpenMp;
    const StartupEnvironment environment = chooseStartupEnvironment(choices);
    if (environment.settings.empty())
        return;
    for (const auto& [name, value] : environment.settings)
        ::setenv(name.c_str(), value.c_str(), 1);
    ::setenv(kRestartedVariable, environment.reason.c_str(), 1);
    ::unsetenv(kDetectedForTestsVariable);
    ::execv("/proc/self/exe", argv);
    // Could not start again (no /proc?): go on with what OpenBLAS chose, and say so.
    if (!environment.reason.empty())
        std::fprintf(stderr, "fika: could not start again with better settings: %s\n", environment.reason.c_str());
    ::unsetenv(kRestartedVariable);
}

} // namespace fika::core
