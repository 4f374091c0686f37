#!/usr/bin/env python3
"""Converts the ARC validation half-suite (arc-validation-half.yml) to arc-validation-half.json.

    python3 tests/conformance/arc/convert.py           # rewrite the JSON
    python3 tests/conformance/arc/convert.py --check   # exit 1 when the JSON is stale

Needs PyYAML (Debian's python3-yaml); only this script does. The JSON is
committed, so the Rust test (tests/it/arc_conformance.rs) and the DNS bench
(arc_bench.py) need no YAML parser.

The JSON keeps every YAML document ("scenario", in file order) and every test
in file order:

    {"source": ..., "source_sha256": ..., "scenarios": [
      {"index": 0, "description": "Chain Validation",
       "txt": {"dummy._domainkey.example.org": ["v=DKIM1; ...", ...]},
       "tests": [{"name": "cv_empty", "description": ..., "spec": ..., "comment": ...,
                  "message": "<as in the YAML: LF line ends>", "cv": "None"}]}]}

`txt` holds each document's `txt-records`: one TXT record per name, its text
(UTF-8) split into character-strings of at most 255 bytes. `message` and `cv`
are as written; the test converts LF to CRLF and reads an empty `cv` as Fail,
as the suite's drivers do.
"""

import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "arc-validation-half.yml")
TARGET = os.path.join(HERE, "arc-validation-half.json")


def character_strings(text):
    raw = str(text).encode("utf-8")
    return [raw[i:i + 255].decode("utf-8", errors="strict") for i in range(0, len(raw), 255)] or [""]


def convert():
    import yaml
    with open(SOURCE, "rb") as f:
        raw = f.read()
    scenarios = []
    for index, doc in enumerate(yaml.safe_load_all(raw.decode("utf-8"))):
        tests = []
        for name, case in doc["tests"].items():
            tests.append({
                "name": name,
                "description": str(case.get("description") or ""),
                "spec": str(case.get("spec") or ""),
                "comment": str(case.get("comment") or ""),
                "message": case.get("message") or "",
                "cv": "" if case.get("cv") is None else str(case["cv"]),
            })
        scenarios.append({
            "index": index,
            "description": doc.get("description", ""),
            "txt": {name.lower().rstrip("."): character_strings(text)
                    for name, text in (doc.get("txt-records") or {}).items()},
            "tests": tests,
        })
    return {
        "source": "arc-validation-half.yml",
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "generated_by": "tests/conformance/arc/convert.py",
        "scenarios": scenarios,
    }


def main():
    text = json.dumps(convert(), indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv[1:]:
        try:
            with open(TARGET, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("arc-validation-half.json is stale: run tests/conformance/arc/convert.py")
            return 1
        return 0
    with open(TARGET, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
