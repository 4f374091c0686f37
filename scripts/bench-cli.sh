#!/usr/bin/env bash
# CLI batch throughput: `sendtrust analyze --json` over a corpus of N messages,
# against an independent DKIM verifier (dkimpy, scripts/bench_dkimpy.py) on the
# same messages with the same keys. Two corpora:
#
#   scripts/bench-cli.sh                     # mixed: N = 200 copies of the dkimpy-signed
#                                            # DKIM corpus (tests/fixtures/dkim/, keys in
#                                            # tests/bench/zones/auth.test.zone)
#   scripts/bench-cli.sh 1000
#   scripts/bench-cli.sh --rsa2048-10k [N]   # N = 500 messages of ~10 KB, each signed
#                                            # RSA-2048 rsa-sha256 relaxed/relaxed
#                                            # (scripts/make-bench-corpus.py, keys in
#                                            # tests/bench/zones/bench.test.zone); every
#                                            # signature must pass, or the run fails
#
# SENDTRUST_BIN=PATH measures that binary instead of building this tree's.
# RUNS (default 3) rounds, each running the three in turn (offline, DNS, dkimpy),
# so load changes on a shared machine hit all three alike; prints best and median
# seconds and messages/s for each, and the ratios of the best. Runs:
#   sendtrust --offline   parse, Received chain, hand-off hop, every rule in offline
#                         mode (DKIM signatures are read but NOT verified: keys are in DNS)
#   sendtrust --doh       the same with DNS through the DNS test bench (loopback DoH),
#                         so DKIM IS verified; only when the bench is running
#                         (python3 tests/bench/bench.py start)
#   dkimpy                DKIM verification only (every signature), keys from the zone file
# Results: BENCHMARKS.md.
set -euo pipefail

CORPUS_KIND=mixed
if [[ "${1:-}" == "--rsa2048-10k" ]]; then
  CORPUS_KIND=rsa2048-10k
  shift
fi
if [[ "$CORPUS_KIND" == rsa2048-10k ]]; then N="${1:-500}"; else N="${1:-200}"; fi
RUNS="${RUNS:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

if ! python3 -c 'import dkim, nacl' 2>/dev/null; then
  echo "bench-cli: installing dkimpy and pynacl (pip)"
  python3 -m pip install --quiet dkimpy pynacl
fi
# SENDTRUST_BIN: another build to measure (e.g. an older commit's), instead of this tree's.
if [[ -n "${SENDTRUST_BIN:-}" ]]; then
  BIN="$SENDTRUST_BIN"
else
  cargo build --release -q -p sendtrust-cli
  BIN="$ROOT/target/release/sendtrust"
fi

CORPUS="$(mktemp -d "${TMPDIR:-/tmp}/sendtrust-bench-cli.XXXXXX")"
trap 'rm -rf "$CORPUS" "$CORPUS.out.json"' EXIT
if [[ "$CORPUS_KIND" == rsa2048-10k ]]; then
  python3 scripts/make-bench-corpus.py "$CORPUS" "$N"
  ZONE=tests/bench/zones/bench.test.zone
  DESCRIPTION="RSA-2048 signed ~10 KB messages (scripts/make-bench-corpus.py)"
else
  mapfile -t SOURCES < <(ls tests/fixtures/dkim/*.eml)
  for ((i = 0; i < N; i++)); do
    src="${SOURCES[$((i % ${#SOURCES[@]}))]}"
    cp "$src" "$CORPUS/$(printf '%04d' "$i")-$(basename "$src")"
  done
  ZONE=tests/bench/zones/auth.test.zone
  DESCRIPTION="copies of ${#SOURCES[@]} DKIM fixtures"
fi
BYTES=$(cat "$CORPUS"/*.eml | wc -c)
echo "bench-cli: $N messages ($((BYTES / 1024)) KB), $DESCRIPTION; $RUNS rounds"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

best() {
  # best SECONDS… → the smallest
  printf '%s\n' "$@" | sort -g | head -1
}

median() {
  # median SECONDS… → the middle one (the lower middle for an even count)
  local sorted
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -g)
  echo "${sorted[$(((${#sorted[@]} - 1) / 2))]}"
}

dkim_passes() {
  # dkim_passes REPORTS.json → DKIM signatures whose result is "pass", over all reports
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for x in r for s in (next(q for q in x["rules"] if q["id"]=="dkim")["details"] or {}).get("signatures",[]) if s.get("result")=="pass"))' "$1"
}

DOH_PASS=""
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

HAVE_BENCH=""
if python3 tests/bench/bench.py status >/dev/null 2>&1; then
  eval "$(python3 tests/bench/bench.py env)"
  HAVE_BENCH=1
fi

offline=() doh=() py=()
PY_JSON=""
for ((r = 0; r < RUNS; r++)); do
  offline+=("$(time_cli --offline)")
  if [[ -n "$HAVE_BENCH" ]]; then
    doh+=("$(time_cli --doh "$SENDTRUST_DOH" --dnsbl bl.test --dbl dbl.test)")
  fi
  PY_JSON=$(python3 scripts/bench_dkimpy.py --zone "$ZONE" "$CORPUS"/*.eml)
  py+=("$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$PY_JSON")")
done
if [[ -n "$HAVE_BENCH" ]]; then
  # How many DKIM signatures passed through the bench (a check of the work done).
  "$BIN" analyze --json --doh "$SENDTRUST_DOH" --dnsbl bl.test --dbl dbl.test "$CORPUS"/*.eml >"$CORPUS.out.json"
  DOH_PASS=$(dkim_passes "$CORPUS.out.json")
  rm -f "$CORPUS.out.json"
fi
PY_PASSED=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pass"])' "$PY_JSON")
PY_SIGS=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["signatures"])' "$PY_JSON")

rate() { awk -v n="$N" -v t="$1" 'BEGIN { printf "%.1f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
per_msg() { awk -v n="$N" -v t="$1" 'BEGIN { printf "%.3f", 1000 * t / n }'; }
row() {
  # row LABEL SECONDS… → best and median
  local label="$1" b m
  shift
  b=$(best "$@")
  m=$(median "$@")
  printf '%-44s %8.3f %8.3f %9s %9s %9s\n' "$label" "$b" "$m" "$(per_msg "$b")" "$(rate "$b")" "$(rate "$m")"
}
printf '\n%-44s %8s %8s %9s %9s %9s\n' "run" "best s" "median s" "ms/msg" "msg/s" "median"
printf '%-44s %8s %8s %9s %9s %9s\n' "" "" "" "(best)" "(best)" "msg/s"
row "sendtrust analyze --offline --json" "${offline[@]}"
if [[ -n "$HAVE_BENCH" ]]; then
  row "sendtrust analyze --doh <bench> --json" "${doh[@]}"
fi
row "dkimpy verify ($PY_PASSED/$PY_SIGS pass)" "${py[@]}"
T_OFF=$(best "${offline[@]}")
T_PY=$(best "${py[@]}")
printf '\nratio dkimpy time / sendtrust --offline time: %sx (best), %sx (median)\n' \
  "$(ratio "$T_PY" "$T_OFF")" "$(ratio "$(median "${py[@]}")" "$(median "${offline[@]}")")"
if [[ -n "$HAVE_BENCH" ]]; then
  T_DOH=$(best "${doh[@]}")
  printf 'ratio dkimpy time / sendtrust --doh time:     %sx (best), %sx (median)  (sendtrust DKIM passes: %s)\n' \
    "$(ratio "$T_PY" "$T_DOH")" "$(ratio "$(median "${py[@]}")" "$(median "${doh[@]}")")" "$DOH_PASS"
else
  echo "(no DNS bench running: sendtrust --doh skipped; python3 tests/bench/bench.py start)"
fi
echo "runs, seconds: offline ${offline[*]}; doh ${doh[*]:-}; dkimpy ${py[*]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

if [[ "$CORPUS_KIND" == rsa2048-10k ]]; then
  # A benchmark of failures measures the wrong code: every signature must pass.
  if [[ "$PY_PASSED" != "$N" || "$PY_SIGS" != "$N" ]]; then
    echo "bench-cli: dkimpy passed $PY_PASSED of $PY_SIGS signatures, expected $N of $N" >&2
    exit 1
  fi
  if [[ -n "$HAVE_BENCH" && "$DOH_PASS" != "$N" ]]; then
    echo "bench-cli: sendtrust passed $DOH_PASS DKIM signatures through the bench, expected $N" >&2
    exit 1
  fi
fi
