#!/usr/bin/env bash
# The Debian/Ubuntu packages Qt, printing and the tests need (PLATFORM.md).
# Installs what is missing when run as root (or with sudo); otherwise says what to install.
set -euo pipefail
runtime=(libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
         libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
         libxcb-render-util0 libxcb-shape0 libcups2 fonts-dejavu-core)
testing=(poppler-utils zbar-tools cups-daemon cups-client printer-driver-cups-pdf xvfb)
build=(binutils)
want=("${runtime[@]}")
case "${1:-run}" in
  test) want+=("${testing[@]}") ;;
  dist) want+=("${testing[@]}" "${build[@]}") ;;
esac
command -v dpkg-query >/dev/null || { echo "Not a Debian/Ubuntu system: install Qt's system libraries yourself (docs/installing.md)."; exit 0; }
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
if [[ $(id -u) -eq 0 ]]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Please ask your administrator to run: apt-get install ${missing[*]}" >&2; exit 1; fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
