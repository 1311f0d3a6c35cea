#!/usr/bin/env bash
# Set up briefkit on Debian and render a first brief:
#   1. Debian packages: Pango (WeasyPrint's text engine), fontconfig, the house fonts
#      (Noto, with CJK and Urdu/Arabic scripts), poppler-utils (pdftoppm, pdftotext), Cairo (the
#      charts as PNG for the Word copy), chromium (the browser test loads the HTML in it, headless),
#      python3-venv;
#   2. a virtual environment in .venv with briefkit, JupyterLab and the test tools;
#   3. the Pakistan-Belarus brief into build/PAK-BLR/.
# Safe to run again: it installs only what is missing and replaces the brief only when the new one is complete.
set -euo pipefail
cd "$(dirname "$0")"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-core fonts-noto-cjk fonts-dejavu-core poppler-utils libcairo2 chromium"
python3 -c "import ensurepip, venv" 2>/dev/null || packages="$packages python3-venv"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment .venv"
  python3 -m venv .venv
fi
echo "setup: installing briefkit and its dependencies into .venv"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[lab,dev]'
# An editable install leaves briefkit's own modules uncompiled; compile them now, as pip does for
# installed packages, so that each render and each kernel starts ~0.1 s sooner.
.venv/bin/python -m compileall -q briefkit

echo "setup: rendering the Pakistan-Belarus brief"
.venv/bin/briefkit render PAK BLR
