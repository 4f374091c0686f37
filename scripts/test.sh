#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   setup → fmt → clippy (native, and wasm for the page) → DNS bench → cargo test
#   → trunk build --release → size report → browser tests → fuzz smoke
#   → summary with timings.
#
#   scripts/test.sh
#
# Every step runs even when an earlier one failed (except the browser tests,
# which need the build), so one run shows everything that is wrong; the exit
# status is non-zero when any step failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/web/node_modules/binaryen/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

START=$(date +%s)
NAMES=()
RESULTS=()
TIMES=()
FAILED=0

run() {
  # run NAME COMMAND… : runs a step, records its result and time.
  local name="$1"
  shift
  printf '\n\033[1m== %s\033[0m  (%s)\n' "$name" "$*"
  local t0=$(date +%s) status=0
  "$@" || status=$?
  NAMES+=("$name")
  TIMES+=("$(($(date +%s) - t0))")
  if [[ $status -eq 0 ]]; then
    RESULTS+=("ok")
  else
    RESULTS+=("FAILED ($status)")
    FAILED=$((FAILED + 1))
  fi
  return $status
}

skip() {
  NAMES+=("$1")
  TIMES+=("0")
  RESULTS+=("skipped: $2")
}

summary() {
  printf '\n\033[1m== summary\033[0m\n'
  for i in "${!NAMES[@]}"; do
    printf '  %-34s %6ss  %s\n' "${NAMES[$i]}" "${TIMES[$i]}" "${RESULTS[$i]}"
  done
  printf '  %-34s %6ss  %s\n' "total" "$(($(date +%s) - START))" \
    "$([[ $FAILED -eq 0 ]] && echo "all passed" || echo "$FAILED step(s) failed")"
}

run "setup" scripts/setup.sh || { summary; exit 1; }
run "cargo fmt --check" cargo fmt --all --check
run "clippy (workspace, native)" cargo clippy --workspace --all-targets -- -D warnings
run "clippy (page, wasm32)" cargo clippy -p sendtrust-web --target wasm32-unknown-unknown -- -D warnings

# The DNS bench: started here unless one is already running (then it is
# someone else's and stays up); stopped on exit if this script started it.
BENCH=tests/bench/bench.py
if python3 "$BENCH" status >/dev/null 2>&1; then
  run "DNS bench (reused)" python3 "$BENCH" status >/dev/null
else
  trap 'python3 "$BENCH" stop >/dev/null 2>&1 || true' EXIT
  run "DNS bench start" python3 "$BENCH" start
fi
if [[ -f tests/bench/run/bench.json ]]; then
  eval "$(python3 "$BENCH" env)"
fi

run "cargo test --workspace" cargo test --workspace
# The RFC 7208 and ARC conformance tests start their own DNS (one BIND view
# per scenario behind dnsdist); stop them once the Rust tests are done.
python3 tests/conformance/spf/spf_bench.py stop >/dev/null 2>&1 || true
python3 tests/conformance/arc/arc_bench.py stop >/dev/null 2>&1 || true
if run "trunk build --release" trunk build --release; then
  run "size report" python3 scripts/size.py
  run "browser tests" node web/tests/run.mjs
else
  skip "browser tests" "no build"
fi
# Every engine fuzz target for a short run (FUZZING.md); installs nightly and
# cargo-fuzz when missing. FUZZ_SECONDS per target, default 20.
run "fuzz smoke" scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-20}"

summary
[[ $FAILED -eq 0 ]]
