#!/usr/bin/env bash
# CLI batch throughput: `sendtrust analyze --json` over a corpus of N messages
# (default 200, copies of the dkimpy-signed DKIM corpus in tests/fixtures/dkim/),
# against an independent DKIM verifier (dkimpy, scripts/bench_dkimpy.py) on the
# same messages with the same keys (tests/bench/zones/auth.test.zone).
#
#   scripts/bench-cli.sh          # N = 200, best of 3 runs each
#   scripts/bench-cli.sh 1000
#
# Prints messages/s for each and the ratios. Runs:
#   sendtrust --offline   parse, Received chain, hand-off hop, every rule in offline
#                         mode (DKIM signatures are read but NOT verified: keys are in DNS)
#   sendtrust --doh       the same with DNS through the DNS test bench (loopback DoH),
#                         so DKIM IS verified; only when the bench is running
#                         (python3 tests/bench/bench.py start)
#   dkimpy                DKIM verification only (every signature), keys from the zone file
# Results: BENCHMARKS.md.
set -euo pipefail

N="${1:-200}"
RUNS="${RUNS:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

if ! python3 -c 'import dkim, nacl' 2>/dev/null; then
  echo "bench-cli: installing dkimpy and pynacl (pip)"
  python3 -m pip install --quiet dkimpy pynacl
fi
cargo build --release -q -p sendtrust-cli
BIN="$ROOT/target/release/sendtrust"

CORPUS="$(mktemp -d "${TMPDIR:-/tmp}/sendtrust-bench-cli.XXXXXX")"
trap 'rm -rf "$CORPUS"' EXIT
mapfile -t SOURCES < <(ls tests/fixtures/dkim/*.eml)
for ((i = 0; i < N; i++)); do
  src="${SOURCES[$((i % ${#SOURCES[@]}))]}"
  cp "$src" "$CORPUS/$(printf '%04d' "$i")-$(basename "$src")"
done
BYTES=$(cat "$CORPUS"/*.eml | wc -c)
echo "bench-cli: $N messages ($((BYTES / 1024)) KB) from ${#SOURCES[@]} DKIM fixtures; best of $RUNS runs"

best() {
  # best SECONDS… → the smallest
  printf '%s\n' "$@" | sort -g | head -1
}

time_cli() {
  # time_cli ARGS… → seconds for one run over the corpus (output checked, then discarded)
  local t0 t1 out
  out="$CORPUS.out.json"
  t0=$(date +%s.%N)
  "$BIN" analyze --json "$@" "$CORPUS"/*.eml >"$out"
  t1=$(date +%s.%N)
  python3 - "$out" "$N" <<'PY'
import json, sys
reports = json.load(open(sys.argv[1]))
assert len(reports) == int(sys.argv[2]), f"{len(reports)} reports for {sys.argv[2]} messages"
PY
  rm -f "$out"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

offline=()
for ((r = 0; r < RUNS; r++)); do offline+=("$(time_cli --offline)"); done
T_OFF=$(best "${offline[@]}")

T_DOH=""
if python3 tests/bench/bench.py status >/dev/null 2>&1; then
  eval "$(python3 tests/bench/bench.py env)"
  doh=()
  for ((r = 0; r < RUNS; r++)); do doh+=("$(time_cli --doh "$SENDTRUST_DOH" --dnsbl bl.test --dbl dbl.test)"); done
  T_DOH=$(best "${doh[@]}")
  # How many DKIM signatures passed through the bench (a sanity check of the work done).
  DOH_PASS=$("$BIN" analyze --json --doh "$SENDTRUST_DOH" --dnsbl bl.test --dbl dbl.test "$CORPUS"/*.eml |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(sum(1 for x in r for s in (next(q for q in x["rules"] if q["id"]=="dkim")["details"] or {}).get("signatures",[]) if s.get("result")=="pass"))')
fi

py=()
PY_JSON=""
for ((r = 0; r < RUNS; r++)); do
  PY_JSON=$(python3 scripts/bench_dkimpy.py "$CORPUS"/*.eml)
  py+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$PY_JSON")")
done
T_PY=$(best "${py[@]}")
PY_PASS=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%d/%d" % (d["pass"], d["signatures"]))' "$PY_JSON")

rate() { awk -v n="$N" -v t="$1" 'BEGIN { printf "%.1f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-46s %9s %12s\n' "run" "seconds" "messages/s"
printf '%-46s %9.3f %12s\n' "sendtrust analyze --offline --json" "$T_OFF" "$(rate "$T_OFF")"
if [[ -n "$T_DOH" ]]; then
  printf '%-46s %9.3f %12s\n' "sendtrust analyze --doh <bench> --json" "$T_DOH" "$(rate "$T_DOH")"
fi
printf '%-46s %9.3f %12s\n' "dkimpy verify (every signature, $PY_PASS pass)" "$T_PY" "$(rate "$T_PY")"
printf '\nratio sendtrust --offline / dkimpy: %sx\n' "$(ratio "$T_PY" "$T_OFF")"
if [[ -n "$T_DOH" ]]; then
  printf 'ratio sendtrust --doh / dkimpy:     %sx  (sendtrust DKIM passes: %s)\n' \
    "$(ratio "$T_PY" "$T_DOH")" "$DOH_PASS"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
