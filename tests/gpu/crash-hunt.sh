#!/usr/bin/env bash
# A crash on the GPU machine, cornered in one device call (it has no gdb but cuda-gdb, which
# debugs host code too): tests/gpu/run.sh's steps that crashed, with the crash tracer, then bench
# serve in variants (CPU or GPU, bf16 or fp32, glibc's checking allocator) and under cuda-gdb.
#   run(command="bash tests/gpu/crash-hunt.sh", carry=[".gpu"], timeout_s=350)
# Writes $OUT/run/ (run.sh's output), $OUT/variant-*.log and $OUT/gdb.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/fika-crash-hunt}
mkdir -p "$out"
export FIKA_CMAKE_ARGS=${FIKA_CMAKE_ARGS:--DFIKA_WITH_TCMALLOC=OFF} OMP_WAIT_POLICY=passive
OUT=$out/run FIKA_GPU_STEPS=${FIKA_GPU_STEPS:-serve imdb_mini} FIKA_GPU_BUDGET_S=${FIKA_GPU_BUDGET_S:-200} \
    bash tests/gpu/run.sh >/dev/null 2>&1
fika=${FIKA_CLI:-build/gpu/app/fika-cli} tracer=/tmp/fika-crash-trace.so
[ -x "$fika" ] || { echo "no $fika: see $out/run/run.log"; tail -30 "$out/run/run.log"; exit 1; }
serve() { echo bench serve --device "$1" --shape "$2" --precision "$3" --clients 16 --requests 300 --rounds 1 --max-batch 32 \
    --sequence-length 512 --csv /tmp/fika-train.csv --load-clients 0 --large-rows 0 --json; }
variant() { # NAME PRELOAD ENV... -- ARGS...
    local name=$1 preload=$2; shift 2
    local env=(); while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
    timeout 60 env LD_PRELOAD="$preload" "${env[@]}" "$fika" "$@" >"$out/variant-$name.log" 2>&1
    echo "exit $?" >>"$out/variant-$name.log"
    FIKA_CLI=$fika python3 tests/gpu/resolve_trace.py "$out/variant-$name.log" >>"$out/variant-$name.log" 2>&1
    echo "== variant $name: $(grep -m1 -E '^exit ' "$out/variant-$name.log")"
}
variant cpu-tiny "$tracer" -- $(serve cpu tiny bf16)
variant cuda-tiny "$tracer" -- $(serve cuda tiny bf16)
variant cuda-base-fp32 "$tracer" -- $(serve cuda base fp32)
variant cuda-base-bf16-malloc-check "/lib/x86_64-linux-gnu/libc_malloc_debug.so.0 $tracer" MALLOC_CHECK_=3 -- $(serve cuda base bf16)
gdb=$(command -v cuda-gdb || command -v gdb || echo /usr/local/cuda/bin/cuda-gdb)
timeout 90 "$gdb" -q -batch -ex 'set pagination off' -ex 'set confirm off' -ex 'handle SIGPIPE nostop noprint' -ex run \
    -ex 'bt 40' -ex 'info registers rip rsp rbp' -ex 'x/16gx $sp' -ex 'info symbol *(void**)$sp' \
    -ex 'thread apply all bt 8' --args "$fika" $(serve cuda base bf16) >"$out/gdb.log" 2>&1
echo "== gdb: exit $?"
grep -E '^== |crash_trace: signal|exit ' "$out/run/run.log" | tail -12
for f in "$out"/variant-*.log; do echo "## $f"; grep -v '^crash_trace: stack' "$f" | tail -25; done
echo "## gdb"; grep -v -E '^\[(New|Thread|Detaching)' "$out/gdb.log" | tail -60
