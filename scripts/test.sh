#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   setup → fmt → clippy (native, and wasm for the page) → DNS bench → cargo test
#   → trunk build --release → size report → browser tests → fuzz smoke
#   → summary with timings.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --check NAME    # one completeness check alone, see below
#   scripts/test.sh --only browser,fuzz   # only the steps whose names contain these
#                                   # (the others are SKIPPED: never a passing run)
#
# Every step runs even when an earlier one failed (except the browser tests,
# which need the build), so one run shows everything that is wrong.
#
# Nothing is skipped quietly. A step that did not run, or ran only part of
# what it should, is SKIPPED (in red) in the summary, the total never says
# "all passed", and the script exits non-zero: 1 when a step failed, 3 when
# nothing failed but something was skipped. That covers:
#   - browser tests filtered with SENDTRUST_TESTS, or any browser test that
#     reported itself skipped (run.mjs's closing line);
#   - the hostile-input corpus (web/hostile/) missing or empty;
#   - the fuzz smoke filtered with FUZZ_TARGETS, or running zero targets;
#   - the browser tests not run because the build failed.
# Bench variables (SENDTRUST_DOH, SENDTRUST_BENCH_JSON, … as printed by
# `tests/bench/bench.py env`) are never taken from the caller: they are
# removed at the start (the summary says which), set from the bench this run
# started, and checked against it.
#
# The checks can be run alone (they print what they found; exit 0 = complete):
#   scripts/test.sh --check browser-filter      # SENDTRUST_TESTS
#   scripts/test.sh --check hostile-corpus      # web/hostile/ (HOSTILE_DIR to point elsewhere)
#   scripts/test.sh --check fuzz-filter         # FUZZ_TARGETS
#   scripts/test.sh --check browser-log FILE    # a run.mjs output: skipped or missing tests
#   scripts/test.sh --check fuzz-log FILE       # a fuzz-smoke.sh output: how many targets ran
#   scripts/test.sh --check bench-env           # starts (or reuses) the bench, applies its env
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/web/node_modules/binaryen/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

BENCH=tests/bench/bench.py
BENCH_JSON="$ROOT/tests/bench/run/bench.json"
HOSTILE_DIR="${HOSTILE_DIR:-$ROOT/web/hostile}"
# The fuzz smoke's full set; FUZZ_TARGETS narrower than this is a filtered run.
FUZZ_ALL_TARGETS="analyze_offline analyze_dns received dns_answer"
# Variables that point the tests at a DNS bench. `bench.py env` may print more;
# those are handled too once the bench is up.
BENCH_VARS=(SENDTRUST_DOH SENDTRUST_DOH_JSON SENDTRUST_BENCH_JSON SENDTRUST_SPF_BENCH_JSON SENDTRUST_ARC_BENCH_JSON)

if [[ -n "${NO_COLOR:-}" ]]; then
  BOLD="" RED="" YELLOW="" RESET=""
else
  BOLD=$'\033[1m' RED=$'\033[1;31m' YELLOW=$'\033[33m' RESET=$'\033[0m'
fi

# ---------------------------------------------------------------- checks
# Each prints what is incomplete on stdout and returns 1, or returns 0.

check_browser_filter() {
  if [[ -n "${SENDTRUST_TESTS:-}" ]]; then
    echo "browser tests filtered by SENDTRUST_TESTS=$SENDTRUST_TESTS"
    return 1
  fi
}

check_hostile_corpus() {
  local manifest="$HOSTILE_DIR/manifest.json"
  if [[ ! -f "$HOSTILE_DIR/make.py" || ! -f "$manifest" ]]; then
    echo "hostile-input corpus missing (${HOSTILE_DIR#"$ROOT"/}/make.py or manifest.json)"
    return 1
  fi
  local cases
  if ! cases="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$manifest" 2>/dev/null)"; then
    echo "hostile-input corpus unreadable (${manifest#"$ROOT"/})"
    return 1
  fi
  if [[ "$cases" -eq 0 ]]; then
    echo "hostile-input corpus has no cases (${manifest#"$ROOT"/})"
    return 1
  fi
}

check_fuzz_filter() {
  local wanted
  for wanted in $FUZZ_ALL_TARGETS; do
    if [[ -n "${FUZZ_TARGETS+set}" && " ${FUZZ_TARGETS} " != *" $wanted "* ]]; then
      echo "fuzz smoke filtered by FUZZ_TARGETS=\"$FUZZ_TARGETS\" (not run: $wanted)"
      return 1
    fi
  done
}

check_browser_log() {
  # run.mjs ends with "browser tests: P passed, F failed, S skipped (T s)".
  local line
  line="$(grep -E '^browser tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$1" 2>/dev/null | tail -1)"
  if [[ -z "$line" ]]; then
    echo "browser tests: no closing line in $1 (the runner did not finish)"
    return 1
  fi
  local passed skipped
  passed="$(sed -E 's/^browser tests: ([0-9]+) passed.*/\1/' <<<"$line")"
  skipped="$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")"
  if [[ "$skipped" -gt 0 || "$passed" -eq 0 ]]; then
    echo "$skipped browser test(s) skipped, $passed passed$(grep -qE "^  skip " "$1" && echo ": ")$(grep -E '^  skip ' "$1" | sed 's/^  skip //' | head -5 | paste -sd ';' -)"
    return 1
  fi
}

check_fuzz_log() {
  # fuzz-smoke.sh ends with "fuzz-smoke: N targets, S s each: …".
  local ran
  ran="$(sed -nE 's/^fuzz-smoke: ([0-9]+) targets?, .*/\1/p' "$1" 2>/dev/null | tail -1)"
  if [[ -z "$ran" || "$ran" -eq 0 ]]; then
    echo "fuzz smoke ran ${ran:-no} targets"
    return 1
  fi
}

CALLER_BENCH_VARS=()
clear_caller_bench_env() {
  # Removes the caller's bench variables; remembers their names for the summary.
  local name
  for name in "${BENCH_VARS[@]}"; do
    if [[ -n "${!name+set}" ]]; then
      CALLER_BENCH_VARS+=("$name")
      unset "$name"
    fi
  done
}

apply_bench_env() {
  # Exports what `bench.py env` prints for the bench of this worktree, then
  # checks the result: every variable as printed, SENDTRUST_BENCH_JSON being
  # this worktree's bench.json, whose DoH URL is SENDTRUST_DOH. Problems go
  # to stderr.
  local lines line name value
  if ! lines="$(python3 "$BENCH" env)"; then
    echo "bench.py env failed: no bench variables set" >&2
    return 1
  fi
  while IFS= read -r line; do
    [[ "$line" =~ ^export\ ([A-Z_][A-Z0-9_]*)= ]] || continue
    name="${BASH_REMATCH[1]}"
    # (BENCH_VARS were cleared at the start; any other one is the caller's.)
    if [[ -n "${!name+set}" && " ${BENCH_VARS[*]} " != *" $name "* ]]; then
      CALLER_BENCH_VARS+=("$name")
    fi
  done <<<"$lines"
  eval "$lines"
  while IFS= read -r line; do
    [[ "$line" =~ ^export\ ([A-Z_][A-Z0-9_]*)=(.*)$ ]] || continue
    name="${BASH_REMATCH[1]}"
    value="$(eval "printf '%s' ${BASH_REMATCH[2]}")"
    if [[ "${!name-}" != "$value" ]]; then
      echo "$name is \"${!name-}\", the bench says \"$value\"" >&2
      return 1
    fi
  done <<<"$lines"
  for name in "${BENCH_VARS[@]}"; do
    if [[ -n "${!name+set}" && "$lines" != *"export $name="* ]]; then
      echo "$name is set (\"${!name}\") but is not one of this bench's variables" >&2
      return 1
    fi
  done
  if [[ "${SENDTRUST_BENCH_JSON:-}" != "$BENCH_JSON" ]]; then
    echo "SENDTRUST_BENCH_JSON is \"${SENDTRUST_BENCH_JSON:-}\", not this worktree's $BENCH_JSON" >&2
    return 1
  fi
  local doh
  doh="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["doh"])' "$BENCH_JSON" 2>/dev/null)"
  if [[ -z "$doh" || "${SENDTRUST_DOH:-}" != "$doh" ]]; then
    echo "SENDTRUST_DOH is \"${SENDTRUST_DOH:-}\", the running bench's DoH is \"$doh\"" >&2
    return 1
  fi
}

bench_env_note() {
  if [[ ${#CALLER_BENCH_VARS[@]} -gt 0 ]]; then
    echo "replaced the caller's ${CALLER_BENCH_VARS[*]} with this run's bench"
  fi
}

ONLY=""
if [[ "${1:-}" == "--only" ]]; then
  ONLY="${2:?--only needs a comma-separated list of step names (parts of them)}"
  shift 2
fi

if [[ "${1:-}" == "--check" ]]; then
  case "${2:-}" in
    browser-filter) check_browser_filter ;;
    hostile-corpus) check_hostile_corpus ;;
    fuzz-filter) check_fuzz_filter ;;
    browser-log) check_browser_log "${3:?a run.mjs output file}" ;;
    fuzz-log) check_fuzz_log "${3:?a fuzz-smoke.sh output file}" ;;
    bench-env)
      clear_caller_bench_env
      python3 "$BENCH" start >/dev/null || exit 1
      apply_bench_env || exit 1
      bench_env_note
      python3 "$BENCH" env
      ;;
    *)
      echo "usage: scripts/test.sh --check browser-filter|hostile-corpus|fuzz-filter|browser-log FILE|fuzz-log FILE|bench-env" >&2
      exit 2
      ;;
  esac
  exit $?
fi

# ---------------------------------------------------------------- steps

START=$(date +%s)
NAMES=()
RESULTS=()
TIMES=()
FAILED=0
SKIPPED=0
# A step sets STEP_SKIPPED (a reason) when it ran but not in full.
STEP_SKIPPED=""
STEP_NOTE=""

selected() {
  # selected NAME : true unless --only was given and names none of NAME.
  [[ -z "$ONLY" ]] && return 0
  local part
  IFS=',' read -ra parts <<<"$ONLY"
  for part in "${parts[@]}"; do
    [[ -n "$part" && "${1,,}" == *"${part,,}"* ]] && return 0
  done
  return 1
}

run() {
  # run NAME COMMAND… : runs a step, records its result and time. A step
  # left out by --only is SKIPPED (and counts as passed for what follows).
  local name="$1"
  shift
  if ! selected "$name"; then
    skip "$name" "not selected (--only $ONLY)"
    return 0
  fi
  printf '\n%s== %s%s  (%s)\n' "$BOLD" "$name" "$RESET" "$*"
  local t0 status=0
  t0=$(date +%s)
  STEP_SKIPPED=""
  STEP_NOTE=""
  "$@" || status=$?
  NAMES+=("$name")
  TIMES+=("$(($(date +%s) - t0))")
  if [[ $status -ne 0 ]]; then
    RESULTS+=("${RED}FAILED ($status)${RESET}${STEP_SKIPPED:+ ${RED}and SKIPPED: $STEP_SKIPPED${RESET}}")
    FAILED=$((FAILED + 1))
  elif [[ -n "$STEP_SKIPPED" ]]; then
    RESULTS+=("${RED}SKIPPED: $STEP_SKIPPED${RESET}")
    SKIPPED=$((SKIPPED + 1))
  else
    RESULTS+=("ok${STEP_NOTE:+ ${YELLOW}($STEP_NOTE)${RESET}}")
  fi
  return $status
}

skip() {
  # skip NAME REASON : a step that did not run at all.
  NAMES+=("$1")
  TIMES+=("0")
  RESULTS+=("${RED}SKIPPED: $2${RESET}")
  SKIPPED=$((SKIPPED + 1))
  printf '\n%s== %s%s  %sSKIPPED: %s%s\n' "$BOLD" "$1" "$RESET" "$RED" "$2" "$RESET"
}

summary() {
  printf '\n%s== summary%s\n' "$BOLD" "$RESET"
  for i in "${!NAMES[@]}"; do
    printf '  %-34s %6ss  %s\n' "${NAMES[$i]}" "${TIMES[$i]}" "${RESULTS[$i]}"
  done
  local total
  if [[ $FAILED -eq 0 && $SKIPPED -eq 0 ]]; then
    total="all passed"
  else
    total=""
    [[ $FAILED -gt 0 ]] && total="${RED}$FAILED step(s) failed${RESET}"
    [[ $SKIPPED -gt 0 ]] && total="${total:+$total, }${RED}$SKIPPED step(s) SKIPPED: not a complete run${RESET}"
  fi
  printf '  %-34s %6ss  %s\n' "total" "$(($(date +%s) - START))" "$total"
}

exit_status() {
  if [[ $FAILED -gt 0 ]]; then
    return 1
  elif [[ $SKIPPED -gt 0 ]]; then
    return 3
  fi
  return 0
}

# The caller's bench variables would point the tests at another bench.
clear_caller_bench_env

run "setup" scripts/setup.sh || {
  summary
  exit 1
}
run "cargo fmt --check" cargo fmt --all --check
run "clippy (workspace, native)" cargo clippy --workspace --all-targets -- -D warnings
run "clippy (page, wasm32)" cargo clippy -p sendtrust-web --target wasm32-unknown-unknown -- -D warnings

# The DNS bench: `start` starts it, or reuses a healthy one of this worktree
# and reloads changed zones. Stopped on exit if it was not running before.
if ! python3 "$BENCH" status >/dev/null 2>&1; then
  trap 'python3 "$BENCH" stop >/dev/null 2>&1 || true' EXIT
fi
bench_env() {
  apply_bench_env || return 1
  STEP_NOTE="$(bench_env_note)"
  python3 "$BENCH" env
}
if run "DNS bench start" python3 "$BENCH" start; then
  run "bench environment" bench_env
else
  skip "bench environment" "no bench (the Rust tests start their own)"
fi

hostile_corpus() {
  STEP_SKIPPED="$(check_hostile_corpus)"
  [[ -n "$STEP_SKIPPED" ]] || echo "web/hostile: $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$HOSTILE_DIR/manifest.json") cases"
}
run "hostile-input corpus present" hostile_corpus

run "cargo test --workspace" cargo test --workspace
# The RFC 7208 and ARC conformance tests start their own DNS (one BIND view
# per scenario behind dnsdist); stop them once the Rust tests are done.
python3 tests/conformance/spf/spf_bench.py stop >/dev/null 2>&1 || true
python3 tests/conformance/arc/arc_bench.py stop >/dev/null 2>&1 || true

browser_tests() {
  local log status=0
  log="$(mktemp)"
  node web/tests/run.mjs 2>&1 | tee "$log" || status=$?
  STEP_SKIPPED="$(check_browser_filter)"
  local incomplete
  if ! incomplete="$(check_browser_log "$log")"; then
    STEP_SKIPPED="${STEP_SKIPPED:+$STEP_SKIPPED; }$incomplete"
  fi
  rm -f "$log"
  return $status
}
if run "trunk build --release" trunk build --release; then
  run "size report" python3 scripts/size.py
  run "browser tests" browser_tests
else
  skip "browser tests" "no build"
fi

# Every engine fuzz target for a short run (FUZZING.md); installs nightly and
# cargo-fuzz when missing. FUZZ_SECONDS per target, default 20.
fuzz_smoke() {
  local log status=0
  log="$(mktemp)"
  scripts/fuzz-smoke.sh "${FUZZ_SECONDS:-20}" 2>&1 | tee "$log" || status=$?
  STEP_SKIPPED="$(check_fuzz_filter)"
  local incomplete
  # (A failed smoke prints no count: it is FAILED, not also "zero targets".)
  if [[ $status -eq 0 ]] && ! incomplete="$(check_fuzz_log "$log")"; then
    STEP_SKIPPED="${STEP_SKIPPED:+$STEP_SKIPPED; }$incomplete"
  fi
  rm -f "$log"
  return $status
}
run "fuzz smoke" fuzz_smoke

summary
exit_status
