#!/usr/bin/env python3
"""Independent DKIM verifier for scripts/bench-cli.sh: dkimpy verifies every
DKIM-Signature of every message given, with a dnsfunc serving the key records
of a bench zone file (no network; default tests/bench/zones/auth.test.zone,
the DKIM corpus's), and prints one JSON line:
{"messages", "signatures", "pass", "seconds", "messages_per_second"}.

    python3 scripts/bench_dkimpy.py [--zone ZONE_FILE] FILE...

Needs dkimpy and pynacl (pip install dkimpy pynacl), like the DKIM corpus.
"""

import json
import os
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures", "dkim"))

import dkim  # noqa: E402
from make_corpus import ZONE_FILE, dnsfunc_for, zone_txt_records  # noqa: E402


def main():
    files = sys.argv[1:]
    zone_file = ZONE_FILE
    if files[:1] == ["--zone"]:
        zone_file, files = files[1], files[2:]
    messages = []
    for path in files:
        with open(path, "rb") as f:
            messages.append(f.read())
    dnsfunc = dnsfunc_for(zone_txt_records(zone_file))
    signatures = passed = 0
    started = time.perf_counter()
    for data in messages:
        probe = dkim.DKIM(data)
        count = sum(1 for k, _ in probe.headers if k.lower() == b"dkim-signature")
        for idx in range(count):
            signatures += 1
            try:
                if dkim.DKIM(data, minkey=1024).verify(idx=idx, dnsfunc=dnsfunc):
                    passed += 1
            except dkim.DKIMException:
                pass
    seconds = time.perf_counter() - started
    print(json.dumps({
        "messages": len(messages),
        "signatures": signatures,
        "pass": passed,
        "seconds": round(seconds, 4),
        "messages_per_second": round(len(messages) / seconds, 1) if seconds else None,
    }))


if __name__ == "__main__":
    main()
