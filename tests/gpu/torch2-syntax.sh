#!/usr/bin/env bash
# Compiles (syntax only) the engine and fika-cli against LibTorch 2.x headers, on a machine that has
# only Debian 12's LibTorch 1.13: the GPU build (tests/gpu/run.sh) uses a 2.x wheel, and a compile
# error found there costs GPU time. Headers come from Debian's archive (trixie's libtorch-dev 2.6 and
# its CUDA variant, sid's 2.14: they bracket the wheel's 2.11), cached under ~/.cache/fika-torch2.
#
#   tests/gpu/torch2-syntax.sh [BUILD_DIR]   BUILD_DIR: a configured build (compile_commands.json),
#                                            default build/headless
# FIKA_SYNTAX_FILES=REGEX checks only the matching files. Where CUDA's toolkit is installed
# (/usr/local/cuda, or CUDA_HOME), the GPU build's own files are checked too: runtime/cuda_devices.cpp
# and the distributed files with NCCL (USE_C10D_NCCL).
# A header that 2.x lacks but 1.13 has in /usr/include would silently be taken from 1.13: each
# compile lists its headers (-H) and any taken from /usr/include/{ATen,c10,torch,caffe2} fails it.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/headless}
[ -f "$build/compile_commands.json" ] || { echo "no $build/compile_commands.json: configure first (cmake --preset headless)" >&2; exit 2; }
cache=${FIKA_TORCH2_CACHE:-$HOME/.cache/fika-torch2}
mirror=http://deb.debian.org/debian
mkdir -p "$cache"

fetch() { # fetch NAME POOL_PATH: the package unpacked under $cache/NAME
    [ -d "$cache/$1/usr/include" ] && return
    curl -fsS -o "$cache/$1.deb" "$mirror/$2" || { echo "cannot download $mirror/$2" >&2; exit 2; }
    dpkg -x "$cache/$1.deb" "$cache/$1" && rm "$cache/$1.deb"
}
fetch torch-2.6 pool/main/p/pytorch/libtorch-dev_2.6.0+dfsg-7_amd64.deb
fetch torch-2.6-cuda pool/contrib/p/pytorch-cuda/libtorch-cuda-dev_2.6.0+dfsg-7+b1_amd64.deb
fetch torch-2.14 pool/main/p/pytorch/libtorch-dev_2.14.1+dfsg-1_amd64.deb

cuda_home=${CUDA_HOME:-/usr/local/cuda}
[ -f "$cuda_home/include/cuda_runtime_api.h" ] && export FIKA_CUDA_INCLUDE=$cuda_home/include

# One line per translation unit of core/ and app/: "directory<TAB>command".
units=$(python3 - "$build/compile_commands.json" <<'EOF'
import json, os, shlex, sys
for c in json.load(open(sys.argv[1])):
    if "/core/" not in c["file"] and "/app/" not in c["file"] or "/build/" in c["file"]:
        continue
    args = shlex.split(c["command"])
    out, skip = [], False
    for a in args:
        if skip: skip = False; continue
        if a in ("-o", "-include"): skip = True; continue
        if a in ("-c", "-Winvalid-pch") or a.startswith("-O") or a == "-g": continue
        if a == "/usr/include/torch/csrc/api/include": a = "@TORCH_API@"
        out.append(a)
    print(c["directory"] + "\t" + shlex.join(out))
    # The GPU build's files, compiled like their neighbours with CUDA's headers and NCCL.
    cuda = os.environ.get("FIKA_CUDA_INCLUDE")
    if cuda and c["file"].endswith("core/distributed/process_group.cpp"):
        extra = ["-DUSE_C10D_NCCL", "-isystem", cuda]
        for name in ("core/distributed/process_group.cpp", "core/distributed/gradient_sync.cpp", "core/runtime/cuda_devices.cpp"):
            f = c["file"].replace("core/distributed/process_group.cpp", name)
            print(c["directory"] + "\t" + shlex.join(out[:-1] + extra + [f]))
EOF
)
units=$(echo "$units" | grep -E "${FIKA_SYNTAX_FILES:-.}")

status=0
for version in 2.6 2.14; do
    inc=$cache/torch-$version/usr/include
    # The CUDA package's headers (c10/cuda, ATen/cuda) sit beside the CPU ones.
    extra=""
    [ "$version" = 2.6 ] && extra="-isystem $cache/torch-2.6-cuda/usr/include"
    # Only 2.6 has a CUDA package in Debian: 2.14's CPU headers lack CUDA's generated ones.
    vunits=$units
    [ "$version" = 2.14 ] && vunits=$(echo "$units" | grep -v -- '-DUSE_C10D_NCCL')
    log=$(mktemp)
    echo "== LibTorch $version headers: $(echo "$vunits" | wc -l) files"
    echo "$vunits" | while IFS=$'\t' read -r dir cmd; do
        cmd=${cmd//@TORCH_API@/$inc/torch/csrc/api/include}
        printf '%s\t%s\n' "$dir" "${cmd/ -isystem / -isystem $inc $extra -isystem }"
    done | xargs -d '\n' -P "$(nproc)" -I{} bash -c '
        IFS=$'"'"'\t'"'"' read -r dir cmd <<<"$1"
        file=${cmd##* }
        if ! out=$(cd "$dir" && eval "$cmd -fsyntax-only -H" 2>&1); then
            echo "FAIL $file"; echo "$out" | grep -v "^\.\+ " | head -40
        elif leaked=$(echo "$out" | grep -E "^\.+ /usr/include/(ATen|c10|torch|caffe2)/" | head -3) && [ -n "$leaked" ]; then
            echo "FAIL $file: headers taken from Debian 12'"'"'s LibTorch 1.13:"; echo "$leaked"
        else
            echo "ok   $file"
        fi' _ {} | tee "$log"
    if grep -q '^FAIL' "$log"; then status=1; fi
    rm -f "$log"
done
[ $status = 0 ] && echo "all files compile against LibTorch 2.6 and 2.14 headers" || echo "some files do not compile: see FAIL above"
exit $status
