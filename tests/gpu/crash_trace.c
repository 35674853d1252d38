// SPDX-License-Identifier: GPL-3.0-or-later
// LD_PRELOAD helper for the GPU machine, which has no gdb: on a fatal signal, print where it came
// from (the faulting address, the instruction pointer and its mapping), the unwound frames, and the
// stack's words that point into code (a scan that still works where unwinding stops: jumps to a bad
// address, code without unwind tables), each as "module +0xOFFSET symbol"; then die as before.
// tests/gpu/run.sh builds it there and tests/gpu/resolve_trace.py turns the offsets into lines.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static char alternate_stack[1 << 16]; // a stack overflow still gets its trace

// "module +0xOFFSET symbol" for an address in a loaded object; 0 when it is in none.
static int print_location(const char* label, uintptr_t address)
{
    Dl_info info;
    memset(&info, 0, sizeof info);
    if (!dladdr((void*)address, &info) || !info.dli_fname)
        return 0;
    fprintf(stderr, "crash_trace: %s %s +0x%lx %s\n", label, info.dli_fname,
            (unsigned long)(address - (uintptr_t)info.dli_fbase), info.dli_sname ? info.dli_sname : "?");
    return 1;
}

// Whether an address lies in an executable mapping (from /proc/self/maps, read once at the crash).
static uintptr_t code_start[512], code_end[512];
static int code_count;
static uintptr_t stack_end; // the end of the mapping that holds the stack pointer: the scan stops there
static void read_code_mappings(uintptr_t sp)
{
    FILE* maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return;
    char line[512];
    while (code_count < 512 && fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3)
            continue;
        if (sp >= start && sp < end)
            stack_end = end;
        if (perms[2] == 'x') {
            code_start[code_count] = start;
            code_end[code_count++] = end;
        }
    }
    fclose(maps);
}
static int is_code(uintptr_t address)
{
    for (int i = 0; i < code_count; ++i)
        if (address >= code_start[i] && address < code_end[i])
            return 1;
    return 0;
}

static void on_fatal_signal(int sig, siginfo_t* info, void* context)
{
    const ucontext_t* uc = (const ucontext_t*)context;
    const uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    const uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    fprintf(stderr, "\ncrash_trace: signal %d (%s) in thread %ld, fault address %p, ip %p, sp %p\n", sig, strsignal(sig),
            (long)gettid(), info->si_addr, (void*)ip, (void*)sp);
    read_code_mappings(sp);
    if (!print_location("ip", ip))
        fprintf(stderr, "crash_trace: ip %p is in no loaded object (a jump or call to a bad address)\n", (void*)ip);

    // The stack scan: return addresses left on the stack, newest first.
    int found = 0;
    for (uintptr_t* word = (uintptr_t*)sp; found < 60 && word < (uintptr_t*)sp + 8192 && (uintptr_t)(word + 1) <= stack_end; ++word) {
        char label[24];
        snprintf(label, sizeof label, "stack+%ld", (long)((uintptr_t)word - sp));
        if (is_code(*word) && print_location(label, *word - 1))
            ++found;
    }
    // Unwinding from a bad address crashes libgcc's unwinder itself: only from a good one.
    void* frames[96];
    const int count = is_code(ip) ? backtrace(frames, 96) : 0;
    for (int i = 2; i < count; ++i) { // 0 and 1: this handler and the signal trampoline
        char label[16];
        snprintf(label, sizeof label, "#%d", i - 2);
        print_location(label, (uintptr_t)frames[i] - 1); // a return address points after its call
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
    action.sa_sigaction = on_fatal_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i)
        sigaction(signals[i], &action, NULL);
}
