#!/usr/bin/env python3
"""Turns crash_trace.c's frames in a log into function names and source lines.

    resolve_trace.py LOG...    prints, for each log with a crash, its frames resolved

Frames in Fika's own files (fika-cli is built with -g1) go through addr2line; the libraries' are demangled."""
import os
import re
import subprocess
import sys

FRAME = re.compile(r"crash_trace: (#\d+|ip|stack\+\d+) (\S+) \+0x([0-9a-f]+) (\S+)")


def run(command, text):
    try:
        return subprocess.run(command, input=text, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"({command[0]} failed: {error})"


def moduleOf(frame):
    """The frame's file; fika-cli's own when it restarted itself (core/runtime/startup_environment.cpp)."""
    module = frame.group(2)
    return os.environ.get("FIKA_CLI", "build/gpu/app/fika-cli") if module == "/proc/self/exe" else module


def resolve(path):
    with open(path, errors="replace") as log:
        lines = log.read().splitlines()
    header = [line for line in lines if line.startswith("crash_trace: signal")]
    frames = [FRAME.match(line) for line in lines]
    frames = [f for f in frames if f]
    if not frames:
        return
    print(f"== {path}: {header[0] if header else 'crash'}")
    own = {}  # Fika's own modules: every offset through one addr2line each (the -g1 binary is large)
    for frame in frames:
        module = moduleOf(frame)
        if not module.startswith(("/lib", "/usr", "/opt", "/tmp/site")) and "crash_trace" not in module:
            own.setdefault(module, set()).add("0x" + frame.group(3))
    resolved = {}
    for module, offsets in own.items():
        offsets = sorted(offsets)
        answer = run(["addr2line", "-C", "-f", "-p", "-e", module] + offsets, "").splitlines()
        resolved.update({(module, o): a for o, a in zip(offsets, answer)})
    for frame in frames:
        label, _, offset, symbol = frame.groups()
        module = moduleOf(frame)
        where = resolved.get((module, "0x" + offset), "")
        if not where or where.startswith("??"):
            name = run(["c++filt"], symbol).strip() if symbol != "?" else "?"
            where = f"{name} ({module.rsplit('/', 1)[-1]} +0x{offset})"
        print(f"  {label} {where[:400]}")
    for line in lines:  # the lines that say where the fault was
        if line.startswith("crash_trace: ip") and "no loaded object" in line:
            print("  " + line)


for argument in sys.argv[1:]:
    resolve(argument)
