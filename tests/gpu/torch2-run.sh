#!/usr/bin/env bash
# Runs model/torch_compat.h's LibTorch 2.x code on this Debian 12 machine, whose own LibTorch is 1.13:
# Debian trixie's LibTorch 2.6 (CPU) and every library it needs, C library included, are unpacked
# into a cache and tests/gpu/torch2_compat_test.cpp runs under trixie's own loader. What the GPU build
# computes with fused kernels is thereby checked against Fika's code before GPU time is spent.
#   tests/gpu/torch2-run.sh             (downloads ~150 MB once, into ~/.cache/fika-torch2)
#   tests/gpu/torch2-run.sh --fika-cli  also builds all of fika-cli against it (build/torch2.6, ~3 min
#                                       with ccache), the way tests/gpu/build.sh builds against a wheel,
#                                       and runs bench parity and tests/gpu/run.sh's rehearsal with it
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=${FIKA_TORCH2_CACHE:-$HOME/.cache/fika-torch2}
root=$cache/trixie-root
mirror=http://deb.debian.org/debian
mkdir -p "$cache"

if [ ! -x "$root/usr/lib64/ld-linux-x86-64.so.2" ]; then
    # LibTorch 2.6's runtime closure as on an empty trixie system, resolved by apt with a throwaway state.
    state=$(mktemp -d)
    trap 'rm -rf "$state"' EXIT
    mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/debs"
    echo "deb $mirror trixie main" >"$state/sources.list"
    : >"$state/status"
    apt_opts=(-o Dir::Etc::sourcelist="$state/sources.list" -o Dir::Etc::sourceparts=/nonexistent
              -o Dir::State::Lists="$state/lists" -o Dir::State::Status="$state/status"
              -o Dir::Cache::archives="$state/archives" -o Debug::NoLocking=1)
    apt-get "${apt_opts[@]}" update -qq
    apt-get "${apt_opts[@]}" install --print-uris -qq --no-install-recommends libtorch2.6 | awk '{print $1}' | tr -d "'" \
        >"$state/uris"
    echo "torch2-run: downloading $(wc -l <"$state/uris") packages"
    (cd "$state/debs" && xargs -P 8 -n 1 curl -fsS -O <"$state/uris")
    rm -rf "$root.part" && mkdir -p "$root.part"
    for deb in "$state/debs"/*.deb; do dpkg-deb -x "$deb" "$root.part"; done
    mv "$root.part" "$root"
fi
headers=$cache/torch-2.6/usr/include
if [ ! -d "$headers" ]; then
    curl -fsS -o "$cache/torch-2.6.deb" "$mirror/pool/main/p/pytorch/libtorch-dev_2.6.0+dfsg-7_amd64.deb"
    dpkg -x "$cache/torch-2.6.deb" "$cache/torch-2.6" && rm "$cache/torch-2.6.deb"
fi

lib=$root/usr/lib/x86_64-linux-gnu
out=$(mktemp -d)
# Compiled with this machine's compiler; linked without checking the libraries' own needs (they are
# trixie's, newer than this C library), which trixie's loader then meets.
g++ -std=c++20 -O1 -D_GLIBCXX_USE_CXX11_ABI=1 -Icore -isystem "$headers" -isystem "$headers/torch/csrc/api/include" \
    tests/gpu/torch2_compat_test.cpp core/train/optimizer_step.cpp core/model/attention.cpp -o "$out/torch2_compat_test" \
    -L"$lib" -l:libtorch.so.2.6 -l:libtorch_cpu.so.2.6 -l:libc10.so.2.6 -Wl,--allow-shlib-undefined -Wl,-rpath-link,"$lib"
"$root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$lib:$root/lib/x86_64-linux-gnu" "$out/torch2_compat_test"

[ "${1:-}" = --fika-cli ] || exit 0
# A wheel-like folder (include/, lib/libtorch*.so) for cmake/FikaTorchFromWheel.cmake, Fika's other
# libraries from this machine, Gloo left out as a wheel has none.
wheel=$cache/wheel-2.6/torch
mkdir -p "$wheel/lib"
ln -sfn "$headers" "$wheel/include"
for name in torch torch_cpu c10; do ln -sfn "$lib/lib$name.so.2.6" "$wheel/lib/lib$name.so"; done
cmake --preset headless -B build/torch2.6 -DFIKA_TORCH_DIR="$wheel" -DFIKA_WITH_GLOO=OFF \
    "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--allow-shlib-undefined -Wl,-rpath-link,$lib" >/dev/null
cmake --build build/torch2.6 --target fika-cli
# fika-cli restarts itself through /proc/self/exe to set OpenMP's and OpenBLAS's variables, which under
# an explicit loader would be the loader: set them first.
cli=$out/fika-cli-2.6
cat >"$cli" <<WRAPPER
#!/bin/sh
export OMP_WAIT_POLICY=\${OMP_WAIT_POLICY:-passive} OPENBLAS_CORETYPE=\${OPENBLAS_CORETYPE:-Haswell}
exec "$root/usr/lib64/ld-linux-x86-64.so.2" --library-path "$lib:$root/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" \
    "$PWD/build/torch2.6/app/fika-cli" "\$@"
WRAPPER
chmod +x "$cli"
"$cli" --version
"$cli" bench parity --golden ../shared/golden/tiny-bert
FIKA_GPU_DRY_RUN=1 FIKA_CLI=$cli FIKA_GPU_BUDGET_S=900 OUT=$out/dry-run bash tests/gpu/run.sh
