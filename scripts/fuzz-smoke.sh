#!/usr/bin/env bash
# A short fuzz run of every engine fuzz target (cargo-fuzz + libFuzzer).
#
#   scripts/fuzz-smoke.sh            # 20 s per target
#   scripts/fuzz-smoke.sh 60         # 60 s per target
#   FUZZ_TARGETS="dns_answer" scripts/fuzz-smoke.sh 10
#
# Installs what is missing: a nightly toolchain new enough for the engine
# (rustup toolchain install nightly --profile minimal) and cargo-fuzz. Seeds
# each target's working corpus (fuzz/corpus/<target>, not committed) from the
# committed seeds (fuzz/seeds/) and the repository's test messages. Fails when
# a target finds a crash, a timeout (> FUZZ_TIMEOUT s for one input, default
# 30) or an out-of-memory; the input is saved under fuzz/artifacts/<target>/.
# Long campaigns: see FUZZING.md.
set -euo pipefail

SECONDS_PER_TARGET="${1:-20}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
TARGETS="${FUZZ_TARGETS:-analyze_offline analyze_dns received dns_answer}"
TIMEOUT="${FUZZ_TIMEOUT:-30}"
# The engine's rust-version (workspace Cargo.toml); an older nightly cannot build it.
NEED_MINOR=99
NIGHTLY="${FUZZ_TOOLCHAIN:-nightly}"

nightly_minor() {
  # "rustc 1.101.0-nightly (…)" → 101; empty when there is no nightly.
  { rustup run "$NIGHTLY" rustc --version 2>/dev/null || true; } |
    sed -n 's/^rustc 1\.\([0-9]*\)\..*/\1/p'
}

# An empty FUZZ_TARGETS would "pass" having fuzzed nothing.
if [[ -z "${TARGETS// /}" ]]; then
  echo "fuzz-smoke: FUZZ_TARGETS names no target: 0 targets is not a smoke test" >&2
  exit 1
fi

if ! command -v rustup >/dev/null; then
  echo "fuzz-smoke: rustup is needed (to install a nightly toolchain)" >&2
  exit 1
fi
minor="$(nightly_minor)"
if [[ -z "$minor" || "$minor" -lt "$NEED_MINOR" ]]; then
  echo "fuzz-smoke: installing a nightly toolchain (have: ${minor:+1.$minor}${minor:-none})"
  rustup toolchain install "$NIGHTLY" --profile minimal
  minor="$(nightly_minor)"
  if [[ -z "$minor" || "$minor" -lt "$NEED_MINOR" ]]; then
    echo "fuzz-smoke: nightly 1.$NEED_MINOR or newer is needed, got ${minor:-none}" >&2
    exit 1
  fi
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: installing cargo-fuzz"
  cargo install cargo-fuzz
fi

# Working corpora: committed seeds + the repository's test messages.
for target in $TARGETS; do
  mkdir -p "fuzz/corpus/$target"
done
for target in analyze_offline analyze_dns received; do
  [[ " $TARGETS " == *" $target "* ]] || continue
  while IFS= read -r -d '' file; do
    # Flattened names: tests/fixtures/dkim/ed25519.eml → tests_fixtures_dkim_ed25519.eml
    cp -n "$file" "fuzz/corpus/$target/$(echo "${file#./}" | tr '/' '_')"
  done < <(find tests/fixtures web/samples web/hostile/cases fuzz/seeds/messages -name '*.eml' -size -64k -print0)
done
if [[ " $TARGETS " == *" dns_answer "* ]]; then
  cp -n fuzz/seeds/dns_answer/* fuzz/corpus/dns_answer/
fi

echo "fuzz-smoke: building the targets (nightly 1.$minor, cargo-fuzz $(cargo fuzz --version | awk '{print $2}'))"
cargo "+$NIGHTLY" fuzz build

status=0
ran=0
for target in $TARGETS; do
  dict=()
  [[ "$target" != dns_answer ]] && dict=(-dict=fuzz/mail.dict)
  echo "fuzz-smoke: $target for ${SECONDS_PER_TARGET}s"
  log="fuzz/target/$target.smoke.log"
  mkdir -p fuzz/target
  if cargo "+$NIGHTLY" fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed "s/^/  $target: /" || true
    ran=$((ran + 1))
  else
    status=1
    echo "fuzz-smoke: $target FAILED; the end of its log ($log):" >&2
    tail -40 "$log" >&2
    ls "fuzz/artifacts/$target/" 2>/dev/null | sed "s|^|  artifact: fuzz/artifacts/$target/|" >&2 || true
  fi
done
if [[ $status -eq 0 && $ran -eq 0 ]]; then
  echo "fuzz-smoke: 0 targets ran" >&2
  status=1
fi
if [[ $status -eq 0 ]]; then
  echo "fuzz-smoke: $ran targets, ${SECONDS_PER_TARGET}s each: no crash"
fi
exit $status
