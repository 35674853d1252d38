#!/usr/bin/env bash
# Builds the .deb from a build folder, installs it (dpkg -i, then apt-get -f install for any
# missing dependency) and checks what it installed: fika-cli --version, fika --version, the
# AppStream metadata and the desktop entry. Usage: packaging/check-deb.sh [BUILD_DIR]  (as root)
set -euo pipefail
build=${1:-build/dev}
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/fika_*_amd64.deb | head -1)
echo "check-deb: $deb ($(du -h "$deb" | cut -f1))"
dpkg -i "$deb" || DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q
/usr/bin/fika-cli --version
/usr/bin/fika --version
/usr/bin/fika --help >/dev/null
/usr/bin/fika-cli --help >/dev/null
appstreamcli validate --no-net /usr/share/metainfo/io.github.fika.Fika.metainfo.xml
test -f /usr/share/applications/io.github.fika.Fika.desktop
test -f /usr/share/icons/hicolor/48x48/apps/fika.png
test -f /usr/share/fika/vocab/bert-base-uncased-vocab.txt
echo "check-deb: installed and working"
