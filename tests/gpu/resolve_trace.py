#!/usr/bin/env python3
"""Turns crash_trace.c's frames in a log into function names and source lines.

    resolve_trace.py LOG...    prints, for each log with a crash, its frames resolved

Frames in Fika's own files (fika-cli is built with -g1) go through addr2line; the libraries' are demangled."""
import os
import re
import subprocess
import sys

FRAME = re.compile(r"crash_trace: #(\d+) (\S+) \+0x([0-9a-f]+) (\S+)")


def run(command, text):
    try:
        return subprocess.run(command, input=text, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"({command[0]} failed: {error})"


def resolve(path):
    with open(path, errors="replace") as log:
        lines = log.read().splitlines()
    header = [line for line in lines if line.startswith("crash_trace: signal")]
    frames = [FRAME.match(line) for line in lines]
    frames = [f for f in frames if f]
    if not frames:
        return
    print(f"== {path}: {header[0] if header else 'crash'}")
    for frame in frames:
        index, module, offset, symbol = frame.groups()
        if module == "/proc/self/exe":  # fika-cli restarted itself (core/runtime/startup_environment.cpp)
            module = os.environ.get("FIKA_CLI", "build/gpu/app/fika-cli")
        where = ""
        if not module.startswith(("/lib", "/usr", "/opt", "/tmp/site")) and "crash_trace" not in module:
            where = run(["addr2line", "-C", "-f", "-i", "-p", "-e", module, "0x" + offset], "").strip().replace("\n", " | ")
        if not where:
            name = run(["c++filt"], symbol).strip() if symbol != "?" else "?"
            where = f"{name} ({module.rsplit('/', 1)[-1]} +0x{offset})"
        print(f"  #{index} {where[:400]}")


for argument in sys.argv[1:]:
    resolve(argument)
