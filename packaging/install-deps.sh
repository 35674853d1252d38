#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing Fika needs.
# Idempotent: packages already present are skipped by apt, so it is safe to run twice.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # LLVM's linker: an edit relinks ~30 test programs, ~0.1 s each instead of ~5 s with GNU ld
  lld
  # core: LibTorch (with OpenBLAS, or matrix products crawl), ICU, yaml-cpp, JSON, HTTP, archives
  libtorch-dev libopenblas0-openmp libopenblas-openmp-dev
  # data-parallel training: the Gloo headers that c10d's ProcessGroupGloo.hpp includes
  libgloo-dev
  libicu-dev libyaml-cpp-dev nlohmann-json3-dev libcpp-httplib-dev
  # fika-cli: option parsing and help (header-only)
  libcli11-dev
  # the prediction API's HTTP server (an epoll event loop; cpp-httplib stays for the HTTP clients)
  libmicrohttpd-dev
  libcurl4-openssl-dev libarchive-dev libssl-dev
  # tcmalloc: reuses freed tensor memory instead of re-faulting pages, training steps about 1.5x faster
  libgoogle-perftools-dev
  # ui: Qt 6 Widgets, Linguist tools, QCustomPlot (Qt 6 build)
  qt6-base-dev qt6-base-dev-tools libqt6svg6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
  # Qt's own dialogs and buttons in Swedish (qt_sv.qm beside Fika's translation)
  qt6-translations-l10n
  # tests: offscreen/X11 GUI runs, fuzzers (clang's libFuzzer), browser tests
  xvfb xauth clang libclang-rt-14-dev curl python3
  # the browser API tester page in headless Chromium, driven by playwright-core (npm)
  chromium
  # the Debian package: dpkg-shlibdeps for its dependencies, appstreamcli to validate its metadata
  dpkg-dev appstream
)
# Node from Debian unless a node with npm is installed already (NodeSource's conflicts with Debian's npm).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#packages[@]} packages present"

# playwright-core for tests/web (from the npm registry; pinned in tests/web/package.json).
web="$(dirname "$0")/../tests/web"
if [ ! -d "$web/node_modules/playwright-core" ]; then
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
fi

# Hugging Face tokenizers for tests/tokenizer_parity (npm; pinned in its package.json and lock).
parity="$(dirname "$0")/../tests/tokenizer_parity"
if [ ! -d "$parity/node_modules/tokenizers" ]; then
  npm ci --prefix "$parity" --no-audit --no-fund --loglevel=error
fi
