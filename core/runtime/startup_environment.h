// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace fika::core {

// Settings that OpenBLAS and OpenMP read once, as they are loaded (before main): the only way to
// change them is to start the program again with them in its environment. A value the user set
// always wins.
struct StartupChoices {
    // OpenBLAS's kernels as it detected them ("Prescott" when it did not recognise the CPU).
    std::string detectedBlasCore;
    bool cpuHasAvx2 = false;
    bool cpuHasAvx512 = false;
    // Idle OpenMP helpers sleep at once instead of spinning. libgomp's helpers otherwise spin on
    // their cores between operations, and when anything else wants those cores (the HTTP threads
    // of the server, the GUI, another program) every operation waits for descheduled spinners:
    // measured here with two compilers running, a BERT-mini training step ran 10-25x slower.
    bool passiveOpenMp = false;
};

struct StartupEnvironment {
    std::vector<std::pair<std::string, std::string>> settings; // name, value; empty: nothing to change
    std::string reason; // one line saying what is set and why, when it is worth telling (the kernels)
};

// What to add to the environment: OPENBLAS_CORETYPE when OpenBLAS fell back to generic kernels on a
// CPU with AVX2/AVX-512 (SkylakeX for AVX-512, Haswell for AVX2; both run on any CPU with those
// instructions), OMP_WAIT_POLICY=passive when asked. Variables already set are left alone.
// passiveOpenMp: for programs that compute with a model (a restart costs about half a second).
StartupEnvironment chooseStartupEnvironment(const StartupChoices& choices);

// Starts this executable again (same arguments) with the chosen environment, once: does nothing when
// there is nothing to change, when this process is already such a restart (then it prints the reason
// on stderr, once), or when the restart fails (then the program goes on as it is).
void restartWithTunedEnvironment(char** argv, bool passiveOpenMp = false);

} // namespace fika::core
