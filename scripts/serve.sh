#!/usr/bin/env bash
# Builds the page (when dist/ is missing or older than its sources) and serves
# it on loopback. Installs the build tools first when they are missing.
#
#   scripts/serve.sh                  # http://127.0.0.1:8080/
#   PORT=9000 scripts/serve.sh
#   BASE=/sendtrust/ scripts/serve.sh # under a sub-path, as on a static host
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/web/node_modules/binaryen/bin:$PATH"
PORT="${PORT:-8080}"
BASE="${BASE:-/}"

if ! command -v trunk >/dev/null || ! command -v wasm-bindgen >/dev/null \
  || [[ ! -x web/node_modules/binaryen/bin/wasm-opt ]] || ! command -v node >/dev/null; then
  scripts/setup.sh --web
fi

newest_source="$(find index.html Trunk.toml Cargo.lock web/style.css web/favicon.svg web/samples crates -type f -newer dist/index.html 2>/dev/null | head -1 || true)"
if [[ ! -f dist/index.html || -n "$newest_source" ]]; then
  echo "serve: building the page (trunk build --release; about 2-4 min cold)"
  trunk build --release
fi

exec node web/tests/static-server.mjs --dir dist --port "$PORT" --base "$BASE"
