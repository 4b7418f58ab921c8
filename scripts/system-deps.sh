#!/usr/bin/env bash
# Installs the Debian packages Greenlight needs to run (and, with `test`, to be tested).
# As root it uses apt-get; otherwise it names what is missing and stops, so nothing is half set up.
set -euo pipefail

run_pkgs=(libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
          libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
          libxcb-shape0 libxcb-xinerama0 fonts-dejavu-core hunspell-en-us)
test_pkgs=(gnome-keyring dbus dbus-x11 xvfb binutils)

wanted=("${run_pkgs[@]}")
if [ "${1:-run}" = "test" ]; then
  wanted+=("${test_pkgs[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Greenlight needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
