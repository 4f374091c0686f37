#!/usr/bin/env python3
"""Prints each dist/ asset's raw, gzip (-9) and brotli (-q 11) size, writes the
table to web/test-results/dist-sizes.txt, and enforces the size budgets, each
wasm brotli-compressed: the page's UI wasm (sendtrust-web-*) under
UI_WASM_BROTLI_BUDGET_KB, the engine wasm (sendtrust-engine-*, run by the
worker, the in-page fallback and the JS API) under
ENGINE_WASM_BROTLI_BUDGET_KB, and what a first analysis needs before the
engine runs (the engine wasm, its glue and the worker script) under
FIRST_ANALYSIS_BROTLI_BUDGET_KB. Over budget (or no brotli to measure with)
the script exits with status 1, which fails scripts/test.sh and — as a Trunk
post_build hook — `trunk build --release`.

A second budget: the bytes needed before first paint — index.html (with the
static shell, scripts/shell.py) and the stylesheets it links, brotli — must
stay under FIRST_PAINT_BROTLI_BUDGET_KB (BENCHMARKS.md, "Page load").

    scripts/size.py [DIST_DIR] [OUT_FILE]

As a Trunk hook (Trunk.toml) it measures TRUNK_STAGING_DIR, checks release
builds only (a debug build is unoptimised by design) and writes no table.

gzip comes from Python's standard library; brotli from the `brotli` command
(Debian package `brotli`, installed by scripts/setup.sh). BENCHMARKS.md
("Bundle size") records what the budget was set from and what it cut.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# The budgets for the two wasm modules (brotli -q 11), a little above the
# measured sizes (BENCHMARKS.md, "Bundle size"). Raise one only with a reason
# recorded there.
UI_WASM_BROTLI_BUDGET_KB = 251
ENGINE_WASM_BROTLI_BUDGET_KB = 537
# The engine wasm + its glue + the worker script: what must arrive before a
# first analysis runs (issue #15: about 600 KB for engine ready ≤ 3.5 s on
# slow 4G). Engine and first-analysis budgets set 2026-11-30 from 534.2 and
# 540.4 KB measured (encoding_rs and ICU4X data out of the engine wasm).
FIRST_ANALYSIS_BROTLI_BUDGET_KB = 543
# The budget for the bytes before first paint (brotli -q 11): issue #15's 15 KB.
FIRST_PAINT_BROTLI_BUDGET_KB = 15

ROOT = Path(__file__).resolve().parent.parent
hook = "TRUNK_STAGING_DIR" in os.environ and len(sys.argv) == 1
if hook:
    dist = Path(os.environ["TRUNK_STAGING_DIR"])
    out = None
    if os.environ.get("TRUNK_PROFILE", "release") != "release":
        print("size: debug build, budget not checked")
        sys.exit(0)
else:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "web/test-results/dist-sizes.txt"
brotli = shutil.which("brotli")


def brotli_size(data: bytes):
    if not brotli:
        return None
    done = subprocess.run([brotli, "-c", "-q", "11"], input=data, capture_output=True, check=True)
    return len(done.stdout)


def kb(n):
    return "n/a" if n is None else f"{n / 1024:.1f} KB"


files = sorted(p for p in dist.rglob("*") if p.is_file())
if not files:
    sys.exit(f"size: no files in {dist} (build first: trunk build --release)")
rows, total = [], [0, 0, 0]
for path in files:
    data = path.read_bytes()
    sizes = (len(data), len(gzip.compress(data, 9)), brotli_size(data))
    rows.append((str(path.relative_to(dist)), *sizes))
    for i, s in enumerate(sizes):
        total[i] = None if s is None or total[i] is None else total[i] + s
rows.append(("total", *total))
width = max(len(r[0]) for r in rows)
lines = [f"{'asset':<{width}}  {'raw':>10}  {'gzip':>10}  {'brotli':>10}"]
for name, raw, gz, br in rows:
    lines.append(f"{name:<{width}}  {kb(raw):>10}  {kb(gz):>10}  {kb(br):>10}")
text = "\n".join(lines) + "\n"
if not hook:
    print(text, end="")

# The budgets: each wasm by its name (Trunk's hashed *_bg.wasm; the engine's
# hashed by scripts/shell.py), and the bytes a first analysis needs.
BUDGETS = {"sendtrust-web": UI_WASM_BROTLI_BUDGET_KB, "sendtrust-engine": ENGINE_WASM_BROTLI_BUDGET_KB}
wasm = [r for r in rows if r[0].endswith("_bg.wasm")]
verdicts = []
failed = False


def check(label, br, budget):
    global failed
    if br is None:
        verdicts.append(f"size: FAIL cannot check {label}: the `brotli` command is missing (apt-get install brotli)")
        failed = True
    elif br > budget * 1024:
        verdicts.append(
            f"size: FAIL {label} is {kb(br)} brotli, over the budget of {budget} KB "
            f"(scripts/size.py; see BENCHMARKS.md, Bundle size)"
        )
        failed = True
    else:
        verdicts.append(f"size: ok {label} is {kb(br)} brotli, budget {budget} KB")


for prefix in BUDGETS:
    if not any(re.fullmatch(rf"{prefix}-[0-9a-f]+_bg\.wasm", r[0]) for r in wasm):
        verdicts.append(f"size: FAIL no {prefix}-<hash>_bg.wasm in the build")
        failed = True
for name, _raw, _gz, br in wasm:
    prefix = next((p for p in BUDGETS if re.fullmatch(rf"{p}-[0-9a-f]+_bg\.wasm", name)), None)
    if prefix is None:
        verdicts.append(f"size: FAIL {name}: a wasm with no budget (add it to BUDGETS in scripts/size.py)")
        failed = True
        continue
    check(name, br, BUDGETS[prefix])
# Before a first analysis: the engine wasm, its glue, the worker script.
engine_files = [
    r for r in rows if re.fullmatch(r"sendtrust-engine-[0-9a-f]+(_bg\.wasm|\.js)", r[0]) or r[0] == "sendtrust-worker.js"
]
if len(engine_files) == 3:
    sizes = [r[3] for r in engine_files]
    total_br = None if any(x is None for x in sizes) else sum(sizes)
    check(f"before a first analysis ({', '.join(r[0] for r in engine_files)})", total_br, FIRST_ANALYSIS_BROTLI_BUDGET_KB)
else:
    verdicts.append(f"size: FAIL the engine's files (wasm, glue, worker script) not all in the build: {[r[0] for r in engine_files]}")
    failed = True
# Bytes before first paint: the page and its stylesheets (scripts do not block
# the shell's paint: Trunk's loader is a module script).
index = dist / "index.html"
if index.exists():
    page = index.read_text(encoding="utf-8")
    sheets = [
        m.group(2)
        for m in re.finditer(r"<link\b(?=[^>]*\brel=\"stylesheet\")[^>]*\bhref=(\"|')([^\"']+)\1", page)
    ]
    first = [index, *(dist / h.removeprefix("./") for h in sheets)]
    sizes = [brotli_size(p.read_bytes()) if p.exists() else None for p in first]
    names = ", ".join(str(p.relative_to(dist)) for p in first)
    if any(s is None for s in sizes):
        verdicts.append(f"size: FAIL cannot measure the bytes before first paint ({names}): missing file or `brotli`")
        failed = True
    elif sum(sizes) > FIRST_PAINT_BROTLI_BUDGET_KB * 1024:
        verdicts.append(
            f"size: FAIL before first paint ({names}) is {kb(sum(sizes))} brotli, over the budget of "
            f"{FIRST_PAINT_BROTLI_BUDGET_KB} KB (scripts/size.py; see BENCHMARKS.md, Page load)"
        )
        failed = True
    else:
        verdicts.append(
            f"size: ok before first paint ({names}) is {kb(sum(sizes))} brotli, budget {FIRST_PAINT_BROTLI_BUDGET_KB} KB"
        )
else:
    verdicts.append("size: FAIL no index.html in the build")
    failed = True
print("\n".join(verdicts))
if out is not None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n".join(verdicts) + "\n")
    print(f"size: written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
sys.exit(1 if failed else 0)
