#!/usr/bin/env python3
"""Prints each dist/ asset's raw, gzip (-9) and brotli (-q 11) size, and writes
the table to web/test-results/dist-sizes.txt.

    scripts/size.py [DIST_DIR] [OUT_FILE]

gzip comes from Python's standard library; brotli from the `brotli` command
(Debian package `brotli`), shown as n/a when it is missing.
"""

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
print(text, end="")
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(text)
print(f"size: written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
