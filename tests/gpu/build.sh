#!/usr/bin/env bash
# Builds the headless fika-cli on the GPU machine: no internet, no apt, a PyTorch wheel with CUDA,
# CMake, ninja and a compiler. Fika's other dependencies come from the Debian 12 packages that
# tests/gpu/fetch-deps.sh put in .gpu/, unpacked into a prefix (never into /). Runs here too.
#
#   tests/gpu/build.sh [BUILD_DIR]           default build/gpu; ends by running fika-cli --version
# Environment:
#   FIKA_TORCH_DIR    the torch package folder (default: python3's torch)
#   FIKA_DEPS_PREFIX  where the packages are unpacked (default BUILD_DIR/deps, beside fika-cli)
#   FIKA_CMAKE_ARGS   more configure options, say -DFIKA_WITH_NCCL=OFF should NCCL's headers not compile
set -euo pipefail
cd "$(dirname "$0")/../.."
die() { echo "build.sh: $*" >&2; exit 1; }
build=$(realpath -m "${1:-build/gpu}")
prefix=$(realpath -m "${FIKA_DEPS_PREFIX:-$build/deps}")
[ "$prefix" != / ] || die "FIKA_DEPS_PREFIX must not be /"
arch=x86_64-linux-gnu
libdirs="$prefix/usr/lib/$arch:$prefix/lib/$arch"

for tool in cmake ninja c++; do
    command -v $tool >/dev/null || die "no $tool on PATH"
done
compgen -G ".gpu/*.deb" >/dev/null || die "no .gpu/*.deb: run tests/gpu/fetch-deps.sh on a Debian 12 machine and carry .gpu"

# LibTorch: the wheel's package folder; its string ABI from torch itself (else the build reads libc10.so).
abi=()
if [ -z "${FIKA_TORCH_DIR:-}" ]; then
    info=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__), int(torch._C._GLIBCXX_USE_CXX11_ABI), torch.__version__)') ||
        die "python3 cannot import torch: set FIKA_TORCH_DIR to a torch package folder"
    read -r FIKA_TORCH_DIR torch_abi torch_version <<<"$info"
    abi=(-DFIKA_TORCH_CXX11_ABI="$torch_abi")
    echo "build.sh: PyTorch $torch_version at $FIKA_TORCH_DIR"
fi
torch_dir=$(realpath "$FIKA_TORCH_DIR") || die "FIKA_TORCH_DIR=$FIKA_TORCH_DIR does not exist"

# Unpack (again only when a package is newer than the last unpacking).
stamp=$prefix/.unpacked
if [ ! -f "$stamp" ] || [ -n "$(find .gpu -name '*.deb' -newer "$stamp")" ]; then
    echo "build.sh: unpacking $(ls .gpu/*.deb | wc -l) packages into $prefix"
    mkdir -p "$prefix"
    for deb in .gpu/*.deb; do
        if command -v dpkg-deb >/dev/null; then
            dpkg-deb -x "$deb" "$prefix" || die "cannot unpack $deb"
        else # no dpkg: a .deb is an ar archive holding data.tar.xz
            (tmp=$(mktemp -d) && cd "$tmp" && ar x "$OLDPWD/$deb" data.tar.xz && tar -xJf data.tar.xz -C "$prefix" &&
             rm -rf "$tmp") || die "cannot unpack $deb (neither dpkg-deb nor ar and tar worked)"
        fi
    done
    # Links such as libz.so -> /lib/x86_64-linux-gnu/libz.so.1.2.13 point into the prefix instead.
    find "$prefix" -type l -lname '/*' | while read -r link; do
        target=$(readlink "$link")
        case $target in "$prefix"/*) ;; *) ln -sfn "$prefix$target" "$link" ;; esac
    done
    # pkg-config files: paths into the prefix. Requires.private names the static link's extras
    # (gnutls and its -dev packages for libmicrohttpd), which fetch-deps.sh leaves out: all links
    # here are shared, and each library brings its own dependencies.
    find "$prefix" -name '*.pc' -exec sed -i -E -e "s#(=[[:space:]]*|[[:space:]]-[IL]|[[:space:]])/usr(/|\$)#\\1$prefix/usr\\2#g" \
        -e '/^Requires.private:/d' {} +
    touch "$stamp"
fi
# CMake's packages (yaml-cpp, nlohmann_json, CLI11) find their files relative to themselves.
grep -rl '"/usr/' "$prefix/usr/lib/$arch/cmake" "$prefix/usr/share/cmake" 2>/dev/null | xargs -r grep -L '_realOrig' |
    sed 's/^/build.sh: warning: an absolute path in /' >&2 || true

# pkg-config: Debian's pkgconf, which needs its library, reading the prefix's .pc files first.
mkdir -p "$prefix/bin"
cat >"$prefix/bin/pkg-config" <<EOF
#!/bin/sh
export PKG_CONFIG_PATH="$prefix/usr/lib/$arch/pkgconfig:$prefix/usr/share/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}"
LD_LIBRARY_PATH="$libdirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$prefix/usr/bin/pkgconf" "\$@"
EOF
chmod +x "$prefix/bin/pkg-config"
"$prefix/bin/pkg-config" --modversion libmicrohttpd >/dev/null || die "the prefix's pkg-config does not run"

# Linking: the wheel's libraries need CUDA's (nvidia/*/lib beside torch/), which the linker finds
# through -rpath-link; any it still cannot see (the driver's) must not stop the link, as the loader
# finds them there. The RPATH lists the wheel's CUDA libraries before the toolkit's, as libtorch
# does. --disable-new-dtags writes DT_RPATH, which (unlike DT_RUNPATH) also serves the prefix's
# libraries' own dependencies (libmicrohttpd -> libgnutls), so no LD_LIBRARY_PATH is needed.
site=$(dirname "$torch_dir")
linkdirs="$torch_dir/lib"
for d in "$site"/nvidia/*/lib "$site"/nvidia/*/*/lib /usr/local/cuda/lib64 /usr/local/nvidia/lib64; do
    if [ -d "$d" ]; then linkdirs="$linkdirs:$d"; fi
done
# -rdynamic and -g1 (below): a crash on the GPU machine, which has no gdb, names functions and lines
# (tests/gpu/crash_trace.c).
ldflags="-rdynamic -Wl,--disable-new-dtags -Wl,-rpath-link,$libdirs:$linkdirs -Wl,--allow-shlib-undefined"

cmake --preset headless -B "$build" \
    -DFIKA_TORCH_DIR="$torch_dir" "${abi[@]}" -DFIKA_WITH_GLOO=OFF \
    -DCMAKE_PREFIX_PATH="$prefix/usr" -DCMAKE_LIBRARY_PATH="${libdirs//:/;}" -DCMAKE_INCLUDE_PATH="$prefix/usr/include" \
    -DICU_ROOT="$prefix/usr" -DOPENSSL_ROOT_DIR="$prefix/usr" \
    -Dyaml-cpp_DIR="$prefix/usr/lib/$arch/cmake/yaml-cpp" -Dnlohmann_json_DIR="$prefix/usr/share/cmake/nlohmann_json" \
    -DCLI11_DIR="$prefix/usr/share/cmake/CLI11" -DPKG_CONFIG_EXECUTABLE="$prefix/bin/pkg-config" \
    -DCMAKE_CXX_FLAGS="-g1 -isystem $prefix/usr/include/$arch" \
    -DCMAKE_BUILD_RPATH="${libdirs//:/;};${linkdirs//:/;}" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" ${FIKA_CMAKE_ARGS:-} ||
    die "configuring $build failed (see above)"
# NCCL's code (multi-GPU training, unused on one GPU) is the part least checked against this LibTorch:
# should it not compile, build without it rather than lose the run.
if ! cmake --build "$build" --target fika-cli -j "$(nproc)"; then
    case " ${FIKA_CMAKE_ARGS:-} " in *FIKA_WITH_NCCL=OFF*) die "building fika-cli failed (see above)" ;; esac
    echo "build.sh: retrying with -DFIKA_WITH_NCCL=OFF" >&2
    { cmake -B "$build" -DFIKA_WITH_NCCL=OFF && cmake --build "$build" --target fika-cli -j "$(nproc)"; } ||
        die "building fika-cli failed (see above)"
fi

cli=$build/app/fika-cli
"$cli" --version || die "$cli does not start (missing: $(ldd "$cli" | grep 'not found' | tr -s ' \t\n' ' ')); try LD_LIBRARY_PATH=$libdirs:$linkdirs"
"$cli" --help >/dev/null || die "$cli --help failed"
# libstdc++ first among fika-cli's libraries, so that no std:: symbol comes from the copies a wheel's
# libtorch.so exports (CMakeLists.txt: PyTorch 2.11's std::filesystem::remove_all crashed).
first=$(readelf -d "$cli" | awk '/NEEDED/ { gsub(/[][]/, "", $NF); print $NF; exit }')
copies=$(nm -D --defined-only "$torch_dir/lib/libtorch.so" 2>/dev/null | grep -c ' _ZNSt10filesystem' || true)
echo "build.sh: fika-cli's first library is $first; the wheel's libtorch.so exports ${copies:-?} std::filesystem symbols"
case $first in libstdc++.so*) ;; *) die "fika-cli's first library is $first, not libstdc++: std:: symbols could come from libtorch.so" ;; esac
echo "build.sh: $cli runs (libraries from $prefix and $torch_dir/lib through its RPATH; no LD_LIBRARY_PATH needed)"
