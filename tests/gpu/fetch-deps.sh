#!/usr/bin/env bash
# Fetches, here (Debian 12, with its archive reachable), what the GPU machine needs to build and run
# the headless fika-cli: that machine has no internet and no apt, only a PyTorch wheel, CMake and a
# compiler. Fills the git-ignored folder .gpu/, which a device run carries along:
#   .gpu/*.deb          Debian 12's -dev packages of Fika's dependencies, their runtime libraries
#                       with everything those need, and pkgconf (tests/gpu/build.sh unpacks them)
#   .gpu/train.csv.xz   the IMDB training set (the shared data folder does not travel)
#   .gpu/tiny-bert/     the tiny BERT and Hugging Face's outputs for it (bench parity's goldens)
#
#   tests/gpu/fetch-deps.sh [TRAIN_CSV]    default $FIKA_SHARED_DIR/data/imdb/train.csv,
#                                          FIKA_SHARED_DIR default ../shared
# Idempotent: files already in .gpu/ are kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FIKA_SHARED_DIR:-../shared}
csv=${1:-$shared/data/imdb/train.csv}
out=.gpu
mkdir -p "$out"

# Headers, CMake/pkg-config files and the unversioned .so links. Their own dependencies are not
# followed: those are -dev packages too (gnutls's, for libmicrohttpd's static link), not needed for a
# shared link; build.sh drops the Requires.private lines that name them.
dev=(libyaml-cpp-dev libicu-dev nlohmann-json3-dev libcli11-dev libssl-dev libmicrohttpd-dev
     libcpp-httplib-dev libbrotli-dev zlib1g-dev libgoogle-perftools-dev pkgconf)
# The libraries fika-cli loads (and pkgconf): these are followed to every library they need.
runtime=(libyaml-cpp0.7 libicu72 libssl3 libmicrohttpd12 libcpp-httplib0.11 libbrotli1 zlib1g
         libtcmalloc-minimal4 pkgconf-bin libpkgconf3)
# The C and C++ runtimes and the C library's headers: every Linux with a compiler has its own, and a
# second copy would shadow it (newer ones there are backward compatible with Debian 12's builds).
skip='^(libc6|libc6-dev|libc-dev-bin|linux-libc-dev|libcrypt1|libcrypt-dev|libnsl2|libnsl-dev|libtirpc3|libtirpc-dev|libtirpc-common|rpcsvc-proto|gcc-12-base|libgcc-s1|libstdc\+\+6)$'

# The runtime closure as on an empty system: an empty dpkg status and a throwaway download cache,
# so that what is installed here does not hide anything.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
: >"$state/status"
mkdir -p "$state/archives/partial"
closure=$(apt-get install --print-uris -qq --no-install-recommends -o Dir::State::Status="$state/status" \
            -o Dir::Cache::archives="$state/archives" -o Debug::NoLocking=1 "${runtime[@]}" |
          awk '{sub(/_.*/, "", $2); print $2}' | sort -u | grep -Ev "$skip") ||
    { echo "fetch-deps: apt cannot resolve the runtime packages (apt-get update?)" >&2; exit 1; }

missing=()
for p in "${dev[@]}" $closure; do
    compgen -G "$out/${p}_*.deb" >/dev/null || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "fetch-deps: downloading ${#missing[@]} packages"
    (cd "$out" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}") ||
        { echo "fetch-deps: download failed (a stale package list? apt-get update)" >&2; exit 1; }
fi

if [ ! -s "$out/train.csv.xz" ]; then
    [ -f "$csv" ] || { echo "fetch-deps: no training set at $csv (give its path as the argument)" >&2; exit 1; }
    echo "fetch-deps: compressing $csv"
    xz -T0 -6 -c "$csv" >"$out/train.csv.xz.part" && mv "$out/train.csv.xz.part" "$out/train.csv.xz"
fi

if [ ! -d "$out/tiny-bert" ]; then
    [ -d "$shared/golden/tiny-bert" ] || { echo "fetch-deps: no goldens at $shared/golden/tiny-bert" >&2; exit 1; }
    cp -r "$shared/golden/tiny-bert" "$out/tiny-bert"
fi

echo "fetch-deps: $(ls "$out"/*.deb | wc -l) packages ($(du -cm "$out"/*.deb | tail -1 | cut -f1) MB)," \
     "train.csv.xz ($(du -m "$out/train.csv.xz" | cut -f1) MB); $out/ holds $(du -sm "$out" | cut -f1) MB in all"
