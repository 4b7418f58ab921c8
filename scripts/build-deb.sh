#!/usr/bin/env bash
# Packages the one-folder build (dist/greenlight, from `make dist`) as a Debian package.
#
#   scripts/build-deb.sh [--dist DIR] [--out DIR]
#
# Layout: the app in /opt/greenlight, a relative /usr/bin/greenlight -> ../../opt/greenlight/greenlight
# link, the .desktop entry in /usr/share/applications and the icon in the hicolor theme.
#
# Depends is computed from the bundle, the way dpkg-shlibdeps would but for a bundle: every shared
# library an ELF file in the bundle links against that the bundle does not carry itself (libc, GL/EGL,
# xcb, wayland) is looked up with ldconfig and mapped to its Debian package with `dpkg -S`; libc6 gets
# the newest GLIBC symbol version the bundle uses. Added to that are the packages whose *data* the
# bundled libraries read at run time (fontconfig's configuration, xkb keymaps, the D-Bus and GLib
# runtime) and Qt's xcb-cursor library. The resulting Depends is printed, so a change is visible.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dist="$here/dist/greenlight"
out="$here/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x "$dist/greenlight" ]; then
  echo "build-deb.sh: $dist/greenlight not found: build the bundle first with 'make dist'" >&2
  exit 2
fi
for tool in dpkg-deb readelf objdump ldconfig; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing (apt-get install binutils dpkg)" >&2; exit 2; }
done

version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$here/desktop/__init__.py")"
arch="$(dpkg --print-architecture)"
pkg="greenlight_${version}_${arch}"
mkdir -p "$out"
root="$(mktemp -d "${out%/}/.deb-root.XXXXXX")"
trap 'rm -rf "$root"' EXIT

# --- the files -------------------------------------------------------------------------------------
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/doc/greenlight"
cp -a "$dist" "$root/opt/greenlight"
ln -s ../../opt/greenlight/greenlight "$root/usr/bin/greenlight"
install -m 0644 "$here/resources/greenlight.desktop" "$root/usr/share/applications/greenlight.desktop"
for size in 16 24 32 48 64 128 256 512; do
  install -D -m 0644 "$here/resources/icons/greenlight-$size.png" \
    "$root/usr/share/icons/hicolor/${size}x${size}/apps/greenlight.png"
done
install -D -m 0644 "$here/resources/icons/greenlight.svg" "$root/usr/share/icons/hicolor/scalable/apps/greenlight.svg"
cat > "$root/usr/share/doc/greenlight/copyright" <<'EOF'
Greenlight: draft, review, approve and publish social media posts.

The program in /opt/greenlight bundles Python 3.11 (PSF licence), Qt 6 and PySide6 (LGPL-3.0; the
Qt libraries are the unmodified shared libraries in /opt/greenlight/_internal/PySide6/Qt/lib and can
be replaced there), and the Python packages listed by /opt/greenlight/_internal/*.dist-info, each
under its own licence.
EOF
# Files a user must not be able to change are root-owned (--root-owner-group) and not group/world-writable.
chmod -R u+rwX,go+rX,go-w "$root"

# --- Depends ---------------------------------------------------------------------------------------
mapfile -t elves < <(find "$root/opt/greenlight" -type f \( -name '*.so' -o -name '*.so.*' -o -name greenlight \))
declare -A bundled=()
while IFS= read -r name; do bundled["$name"]=1; done < <(find "$root/opt/greenlight" \( -type f -o -type l \) -name 'lib*.so*' -printf '%f\n')

package_of() {  # the Debian package that ships the library file $1 (merged-/usr aware)
  local path="$1" real candidate owner
  real="$(readlink -f "$path")"
  for candidate in "$path" "$real" "${real#/usr}" "/usr${path}"; do
    owner="$(dpkg -S "$candidate" 2>/dev/null | sed -n '1s/:.*//p')" || true
    if [ -n "$owner" ]; then echo "$owner"; return 0; fi
  done
  return 1
}

case "$arch" in  # how ldconfig -p labels this architecture's libraries (skips foreign multiarch ones)
  amd64) ldconfig_arch="x86-64" ;;
  arm64) ldconfig_arch="AArch64" ;;
  *) ldconfig_arch="" ;;
esac
declare -A deps=()
glibc_max="2.17"
for elf in "${elves[@]}"; do
  while IFS= read -r soname; do
    [ -n "${bundled[$soname]:-}" ] && continue
    path="$(ldconfig -p | awk -v so="$soname" -v want="$ldconfig_arch" '$1 == so && index($0, want) && !found { print $NF; found = 1 }')"
    if [ -z "$path" ]; then
      echo "build-deb.sh: $elf needs $soname, which is neither bundled nor installed here; install it and rebuild" >&2
      exit 1
    fi
    if ! package="$(package_of "$path")" || [ -z "$package" ]; then
      echo "build-deb.sh: no Debian package owns $path (needed by $elf)" >&2
      exit 1
    fi
    deps["$package"]=1
  done < <(readelf -d "$elf" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  v="$(objdump -T "$elf" 2>/dev/null | sed -n 's/.*GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -uV | tail -n 1)" || v=""
  if [ -n "$v" ]; then glibc_max="$(printf '%s\n%s\n' "$glibc_max" "$v" | sort -V | tail -1)"; fi
done
# Data the bundled libraries read at run time, and what Qt's xcb platform loads on a desktop.
for package in libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libgl1 libegl1; do
  deps["$package"]=1
done
unset 'deps[libc6]'
depends="libc6 (>= $glibc_max)"
for package in $(printf '%s\n' "${!deps[@]}" | sort); do depends="$depends, $package"; done

# --- control ---------------------------------------------------------------------------------------
installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: greenlight
Version: $version
Architecture: $arch
Maintainer: Greenlight team <greenlight@localhost>
Installed-Size: $installed_kb
Depends: $depends
Recommends: gnome-keyring | keepassxc, hunspell-en-us, fonts-dejavu-core | fonts-liberation2
Suggests: default-jre-headless
Section: utils
Priority: optional
Homepage: https://localhost/greenlight
Description: draft, review, approve and publish social media posts
 Greenlight checks drafts against your organisation's guidelines while you
 type, routes them for approval according to your trust level, and publishes
 them with credentials kept in the OS keyring. It works offline.
 .
 This package contains the self-contained build in /opt/greenlight; it does
 not need the system's Python.
EOF

deb="$out/$pkg.deb"
dpkg-deb --root-owner-group -Zzstd --build "$root" "$deb" >/dev/null
echo "Depends: $depends"
echo "built $deb ($(du -h "$deb" | cut -f1), installed size $((installed_kb / 1024)) MB)"
