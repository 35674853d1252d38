#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Saves a PNG of every view and dialog of the real app, driven through the tutorial on the IMDB
# training CSV under a virtual X server: tests/ui/screenshots.sh OUT_DIR
# Uses the build in $FIKA_BUILD_DIR (default build/dev). FIKA_SCREEN=WIDTHxHEIGHT sets the virtual
# screen (default 1400x900); the main window fills it, as maximised on a laptop.
set -eu
out=${1:?usage: tests/ui/screenshots.sh OUT_DIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${FIKA_BUILD_DIR:-$here/build/dev}
csv=${FIKA_SCREENSHOT_CSV:-$here/../shared/data/imdb/train.csv}
[ -f "$csv" ] || { echo "screenshots.sh: $csv not found (the shared data folder beside the checkout)" >&2; exit 1; }
csv=$(readlink -f "$csv")
screen=${FIKA_SCREEN:-1400x900}
case $screen in
*[!0-9x]* | x* | *x | *x*x* | "") echo "screenshots.sh: FIKA_SCREEN=$screen is not WIDTHxHEIGHT (e.g. 1024x640)" >&2; exit 2 ;;
*x*) ;;
*) echo "screenshots.sh: FIKA_SCREEN=$screen is not WIDTHxHEIGHT (e.g. 1024x640)" >&2; exit 2 ;;
esac
mkdir -p "$out"
export FIKA_CACHE_DIR="$out/cache"
exec xvfb-run -a -s "-screen 0 ${screen}x24" "$build/app/fika" --screenshot-tour "$out" --dataset "$csv"
