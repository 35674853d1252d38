#!/usr/bin/env bash
# Issue 19's GPU check in one go, on the lent H200 (README: Fika on a GPU): build fika-cli against
# the machine's PyTorch wheel, check parity with the CPU and Hugging Face's goldens, measure
# throughput against Hugging Face transformers on the same GPU, train for real, serve; then write
# $OUT/gpu-h200.json (committed as docs/benchmarks/gpu-h200.json), $OUT/run.log and
# $OUT/parts.tar.gz (every step's output).
#
# Prepare here (Debian 12): tests/gpu/fetch-deps.sh fills .gpu/ (packages, train.csv.xz, goldens).
# Then one device call:  run(command="bash tests/gpu/run.sh", carry=[".gpu"], timeout_s=540)
# Every step has a time limit inside an overall budget (FIKA_GPU_BUDGET_S, default 470 s); a step
# that fails or runs out of time is recorded and the others still run.
# FIKA_GPU_STEPS picks steps (default: hf_peer parity bench imdb_base imdb_mini serve; also parity_cpu);
# FIKA_CMAKE_ARGS passes options to the build (say -DFIKA_WITH_TCMALLOC=OFF). Every step runs with
# tests/gpu/crash_trace.c preloaded: a crash's frames are resolved into its log (resolve_trace.py).
# FIKA_GPU_DRY_RUN=1 rehearses the whole script on a machine without a GPU: the CPU, a tiny model,
# and FIKA_CLI (an existing fika-cli) instead of the build.
set -uo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
budget=${FIKA_GPU_BUDGET_S:-470}
out=${OUT:-/tmp/fika-gpu-out}
parts=/tmp/fika-gpu-parts
rm -rf "$parts" && mkdir -p "$parts" "$out"
exec > >(tee "$out/run.log") 2>&1
tee_pid=$!
fika=${FIKA_CLI:-build/gpu/app/fika-cli}
csv=/tmp/fika-train.csv
device=cuda shape=base steps=10
base=(--set model.layers=12 --set model.hidden_size=768 --set model.heads=12 --set model.intermediate_size=3072)
mini=()
if [ -n "${FIKA_GPU_DRY_RUN:-}" ]; then
    device=cpu shape=tiny steps=2
    base=(--set model.layers=2 --set model.hidden_size=32 --set model.heads=4 --set model.intermediate_size=64)
    mini=("${base[@]}")
fi

# Kernel-by-kernel GPU time of each fixed-shape measurement, Fika's and the peer's (not on a CPU).
profile="--profile-steps 3"
[ -n "${FIKA_GPU_DRY_RUN:-}" ] && profile=
steps_wanted=" ${FIKA_GPU_STEPS:-hf_peer parity bench imdb_base imdb_mini serve} "
wanted() { [[ $steps_wanted == *" $1 "* ]]; }
# The crash tracer (the GPU machine has no gdb); without a C compiler the steps run without it.
tracer=/tmp/fika-crash-trace.so
cc -shared -fPIC -O1 -o "$tracer" tests/gpu/crash_trace.c -ldl 2>/dev/null || tracer=
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive} # what fika-cli would restart itself with: no restart

left() { echo $((budget - ($(date +%s) - start))); }
# step NAME LIMIT_S COMMAND...: runs it with its output in parts/NAME.log, its time in parts/NAME.status.
step() {
    local name=$1 limit=$2; shift 2
    local remaining; remaining=$(left)
    ((limit > remaining - 10)) && limit=$((remaining - 10))
    if ((limit < 15)); then
        echo "== $name: skipped, $remaining s of the budget left"
        echo "skipped 0" >"$parts/$name.status"
        return 1
    fi
    echo "== $name (limit $limit s): $*"
    local t0; t0=$(date +%s.%N)
    timeout --kill-after=10 "$limit" env ${tracer:+LD_PRELOAD=$tracer} "$@" >"$parts/$name.log" 2>&1
    local rc=$?
    if grep -q '^crash_trace: signal' "$parts/$name.log"; then
        FIKA_CLI=$fika python3 tests/gpu/resolve_trace.py "$parts/$name.log" >"$parts/$name.trace" 2>&1
        cat "$parts/$name.trace"
    fi
    local seconds; seconds=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
    echo "$rc $seconds" >"$parts/$name.status"
    tail -n 25 "$parts/$name.log"
    echo "== $name: exit $rc after $seconds s"
    return $rc
}

nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv >"$parts/gpu.csv" 2>&1
cat "$parts/gpu.csv"
nproc >"$parts/cores.txt"
python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(".gpu/train.csv.xz"), open(sys.argv[1], "wb"))' "$csv" ||
    echo "no .gpu/train.csv.xz: the IMDB runs will fail (run tests/gpu/fetch-deps.sh and carry .gpu)"

# The build takes the CPU for minutes while the GPU idles: the Hugging Face peer runs meanwhile on two
# cores of its own (the build on the others), so that neither slows the other.
cores=$(nproc)
pin_build=() pin_peer=()
if command -v taskset >/dev/null && ((cores >= 8)); then
    pin_build=(taskset -c "0-$((cores - 3))")
    pin_peer=(taskset -c "$((cores - 2)),$((cores - 1))")
fi
echo "peer pinned: ${pin_peer[*]:-no}" >"$parts/peer-pinning.txt"
wanted hf_peer && (step hf_peer 300 "${pin_peer[@]}" env PYTHONUNBUFFERED=1 python3 tests/gpu/hf_peer.py --out "$parts/hf_peer.json" \
     --imdb "$csv" --imdb-max-seconds 120 $profile) &
peer=$!; wanted hf_peer || peer=
if [ -n "${FIKA_CLI:-}" ]; then
    built=0
else
    step build 330 "${pin_build[@]}" bash tests/gpu/build.sh build/gpu
    built=$?
fi
[ -n "$peer" ] && wait $peer

if ((built == 0)); then
    wanted parity_cpu && step parity_cpu 60 "$fika" bench parity --golden .gpu/tiny-bert --device cpu --json
    wanted parity && step parity 90 "$fika" bench parity --golden .gpu/tiny-bert --device "$device" --json
    wanted bench && step bench_train_bf16_32x512 90 "$fika" bench model --shape "$shape" --device "$device" --modes train --precisions bf16 \
        --batches 32 --lengths 512 --steps "$steps" $profile --json
    wanted bench && step bench_train_fp32_6x512 90 "$fika" bench model --shape "$shape" --device "$device" --modes train --precisions fp32 \
        --batches 6 --lengths 512 --steps "$steps" $profile --json
    wanted bench && step bench_infer_bf16_64x512 90 "$fika" bench model --shape "$shape" --device "$device" --modes inference --precisions bf16 \
        --batches 64 --lengths 512 --steps "$steps" $profile --json

    # BERT-base shape from random weights, one IMDB epoch at 512 tokens in bf16 with length buckets:
    # the same 20,000 reviews and batch size as the peer's padded epoch.
    wanted imdb_base && "$fika" init-config --preset from_scratch --csv "$csv" --out "$parts/imdb-base.yaml" >/dev/null &&
    step imdb_base 150 "$fika" train --config "$parts/imdb-base.yaml" --overwrite \
        "${base[@]}" --set encoding.sequence_length=512 --set training.batch_size=32 --set training.epochs=1 \
        --set training.learning_rate=1e-4 --set training.precision=bf16 --set training.device="$device" \
        --set training.length_buckets=true --set output.dir=/tmp/fika-runs/imdb-base
    wanted imdb_base && cp /tmp/fika-runs/imdb-base/metrics.jsonl "$parts/imdb_base.metrics.jsonl" 2>/dev/null

    # The BERT-mini reference run (README: 256 tokens, batch 32, lr 1e-4, 10 % warm-up and linear decay,
    # weight decay 0.01 on all weights, plain shuffled batches, 3 epochs), on the GPU in bf16.
    wanted imdb_mini && "$fika" init-config --preset from_scratch --csv "$csv" --out "$parts/imdb-mini.yaml" >/dev/null &&
    step imdb_mini 120 "$fika" train --config "$parts/imdb-mini.yaml" --overwrite "${mini[@]}" \
        --set encoding.sequence_length=256 --set training.batch_size=32 --set training.epochs=3 \
        --set training.learning_rate=1e-4 --set training.warmup_ratio=0.1 --set training.weight_decay=0.01 \
        --set training.decay_bias_and_norm=true --set training.length_buckets=false \
        --set training.precision=bf16 --set training.device="$device" --set output.dir=/tmp/fika-runs/imdb-mini
    wanted imdb_mini && cp /tmp/fika-runs/imdb-mini/metrics.jsonl "$parts/imdb_mini.metrics.jsonl" 2>/dev/null

    # The prediction API on the GPU against the predictor alone: 16 clients, BERT-base shape.
    wanted serve && step serve 100 "$fika" bench serve --shape "$shape" --device "$device" --precision bf16 --clients 16 --requests 2000 \
        --rounds 3 --max-batch 32 --sequence-length 512 --csv "$csv" --load-clients 0 --large-rows 0 --json
fi

python3 tests/gpu/summarize.py "$parts" "$out/gpu-h200.json" "bash tests/gpu/run.sh" "$(($(date +%s) - start))"
tar -czf "$out/parts.tar.gz" -C "$parts" .
echo "run.sh: $(($(date +%s) - start)) s in all"
exec >&- 2>&-
wait "$tee_pid" # so that run.log ends with these lines
