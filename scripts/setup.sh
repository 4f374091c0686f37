#!/usr/bin/env bash
# Installs what building and testing Sendtrust needs, reusing whatever is
# already there at the right version. Idempotent; safe to run every time.
#
#   scripts/setup.sh            # everything
#   scripts/setup.sh --web      # only what serving the page needs (no bench/browser packages)
#
# Assumes rustup + cargo, Debian with apt-get (as root or with sudo -n), and
# node + npm (installed with apt-get when missing). Downloads only from the
# package registries (crates.io, npm, Debian): never a prebuilt binary from
# elsewhere, so Trunk must find wasm-bindgen and wasm-opt on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WEB_ONLY=0
[[ "${1:-}" == "--web" ]] && WEB_ONLY=1

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
START=$(date +%s)
DID=()
step() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
did() { DID+=("$*"); step "$*"; }

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo -n"; fi
APT_UPDATED=0
apt_install() {
  # apt_install PACKAGE… : installs the packages that are not installed yet.
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $APT_UPDATED -eq 0 ]]; then
    step "apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  did "apt-get installed ${missing[*]}"
}

# 1. Rust toolchain and wasm target, as pinned in rust-toolchain.toml.
if ! rustup show active-toolchain >/dev/null 2>&1 \
  || ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
  || ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  rustup toolchain install >/dev/null 2>&1 || rustup show >/dev/null
  did "installed the toolchain of rust-toolchain.toml ($(rustc --version))"
fi
export PATH="$HOME/.cargo/bin:$PATH"

# 2. Debian packages: node/npm for the browser tests and wasm-opt; chromium, brotli
#    (size report), BIND + dnsdist (the DNS test bench).
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [[ $WEB_ONLY -eq 0 ]]; then
  apt_install chromium brotli bind9 bind9-utils dnsdist
fi

# 3. trunk, exactly $TRUNK_VERSION (--locked: an unlocked build fails on lightningcss).
if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  step "cargo install trunk $TRUNK_VERSION (about 12 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
  did "installed trunk $TRUNK_VERSION"
fi

# 4. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (no --locked:
#    the crates.io mirror lacks some of its locked dependencies).
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)"
if [[ -z "$WBG_VERSION" ]]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]]; then
  step "cargo install wasm-bindgen-cli $WBG_VERSION (about 4 min)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force --quiet
  did "installed wasm-bindgen-cli $WBG_VERSION"
fi
if ! grep -q "wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml; then
  echo "setup: Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (the Cargo.lock version)" >&2
  exit 1
fi

# 5. npm tools in web/: playwright-core (drives Debian's chromium), binaryen (wasm-opt), axe-core.
need_npm=0
[[ -d web/node_modules ]] || need_npm=1
if [[ $need_npm -eq 0 ]]; then
  for pkg in playwright-core binaryen axe-core; do
    [[ -f "web/node_modules/$pkg/package.json" ]] || need_npm=1
  done
  [[ "$(web/node_modules/binaryen/bin/wasm-opt --version 2>/dev/null || true)" == *"version $BINARYEN_VERSION"* ]] || need_npm=1
fi
if [[ $need_npm -eq 1 ]]; then
  (cd web && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; })
  did "npm installed web/ tools (playwright-core, binaryen@$BINARYEN_VERSION, axe-core)"
fi

if [[ ${#DID[@]} -eq 0 ]]; then
  step "everything already in place ($(($(date +%s) - START)) s)"
else
  step "done in $(($(date +%s) - START)) s: ${#DID[@]} step(s)"
fi
echo "setup: for trunk, put wasm-opt on PATH: export PATH=\"$ROOT/web/node_modules/binaryen/bin:\$PATH\""
