// SPDX-License-Identifier: GPL-3.0-or-later
// LD_PRELOAD helper for the GPU machine, which has no gdb: on a fatal signal, print each frame of
// the crashing thread as "module +0xOFFSET symbol" (offsets for addr2line), then die as before.
// tests/gpu/run.sh builds it there and tests/gpu/resolve_trace.py turns the offsets into lines.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char alternate_stack[1 << 16]; // a stack overflow still gets its trace

static void on_fatal_signal(int sig)
{
    void* frames[96];
    const int count = backtrace(frames, 96);
    fprintf(stderr, "\ncrash_trace: signal %d (%s) in thread %ld, %d frames:\n", sig, strsignal(sig), (long)gettid(), count);
    for (int i = 0; i < count; ++i) {
        Dl_info info;
        memset(&info, 0, sizeof info);
        // A return address points after the call: one byte back is the call's own line.
        const uintptr_t address = (uintptr_t)frames[i] - (i > 0 ? 1 : 0);
        if (dladdr((void*)address, &info) && info.dli_fname)
            fprintf(stderr, "crash_trace: #%d %s +0x%lx %s\n", i, info.dli_fname,
                    (unsigned long)(address - (uintptr_t)info.dli_fbase), info.dli_sname ? info.dli_sname : "?");
        else
            fprintf(stderr, "crash_trace: #%d ? %p\n", i, frames[i]);
    }
    fflush(stderr);
    signal(sig, SIG_DFL);
    raise(sig);
}

__attribute__((constructor)) static void install_crash_trace(void)
{
    void* warm_up[1];
    backtrace(warm_up, 1); // loads libgcc_s now rather than inside the handler
    stack_t stack = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack, .ss_flags = 0};
    sigaltstack(&stack, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND;
    const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i)
        sigaction(signals[i], &action, NULL);
}
