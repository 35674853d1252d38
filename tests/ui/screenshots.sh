#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Saves a PNG of every view and dialog of the real app, driven through the tutorial on the IMDB
# training CSV under a virtual X server: tests/ui/screenshots.sh OUT_DIR
# Uses the build in $FIKA_BUILD_DIR (default build/dev).
set -eu
out=${1:?usage: tests/ui/screenshots.sh OUT_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${FIKA_BUILD_DIR:-$here/build/dev}
csv=${FIKA_SCREENSHOT_CSV:-$here/../shared/data/imdb/train.csv}
[ -f "$csv" ] || { echo "screenshots.sh: $csv not found (the shared data folder beside the checkout)" >&2; exit 1; }
csv=$(readlink -f "$csv")
mkdir -p "$out"
export FIKA_CACHE_DIR="$out/cache"
exec xvfb-run -a -s "-screen 0 1400x900x24" "$build/app/fika" --screenshot-tour "$out" --dataset "$csv"
