#!/usr/bin/env python3
"""Converts the openspf RFC 7208 test suite (rfc7208-tests.yml) to rfc7208-tests.json.

    python3 tests/conformance/spf/convert.py           # rewrite the JSON
    python3 tests/conformance/spf/convert.py --check   # exit 1 when the JSON is stale

Needs PyYAML (`pip install pyyaml` or Debian's python3-yaml); only this script
does. The JSON is committed, so the Rust test (tests/it/spf_conformance.rs) and
the DNS bench (spf_bench.py) need no YAML parser.

The JSON keeps every scenario and test case in file order, and turns each
scenario's `zonedata` into what a DNS server must answer, following the
reference driver of the suite (pyspf's test/testspf.py, `getrdata` and
`DNSLookup`):

* `SPF` entries are served as type SPF (99). When a name has no `TXT` entry at
  all, its SPF entries are also served as TXT ("auto-magic duplication of SPF to
  TXT records by test suite drivers", says the suite's header). Any TXT entry,
  even `TXT: NONE`, turns the duplication off for that name.
* `TXT: NONE` / `SPF: NONE` is no record; it only counts as "a TXT entry".
* A bare `TIMEOUT` entry makes every query type of which no record was listed
  before it time out, and hides records of that type listed after it. A
  `TYPE: TIMEOUT` entry makes that type time out.
* TXT/SPF text is encoded as UTF-8 (as the driver does: the YAML's "\\xEF"
  escapes are Unicode code points, so they become two bytes each), a string
  value is one character-string, a list value is one record of several
  character-strings, and a character-string longer than 255 bytes is split
  into 255-byte pieces (they are joined again by any SPF reader).

Each scenario's `dns` maps a lowercase name without trailing dot to
  {"records": {TYPE: [rdata, ...]}, "timeout": [TYPE, ...]}
where rdata is: A/AAAA an address; MX [preference, host]; PTR/CNAME a host;
TXT/SPF a list of character-strings, each a JSON string whose code points
U+0000..U+00FF are the bytes (decode with latin-1).
"""

import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "rfc7208-tests.yml")
TARGET = os.path.join(HERE, "rfc7208-tests.json")

# Types the bench serves, and the types a bare TIMEOUT applies to.
TYPES = ("A", "AAAA", "MX", "PTR", "CNAME", "TXT", "SPF")


def character_strings(value):
    """A TXT/SPF value (str or list) -> list of latin-1-mapped byte strings of <= 255 bytes."""
    parts = [value] if isinstance(value, str) else list(value)
    out = []
    for part in parts:
        raw = str(part).encode("utf-8")
        if not raw:
            out.append("")
        for i in range(0, len(raw), 255):
            out.append(raw[i:i + 255].decode("latin-1"))
    return out


def host(value):
    return str(value).strip().rstrip(".")


def rdata(rtype, value):
    if rtype in ("TXT", "SPF"):
        return character_strings(value)
    if rtype == "MX":
        preference, exchange = value
        return [int(preference), host(exchange)]
    if rtype in ("PTR", "CNAME"):
        return host(value)
    if rtype in ("A", "AAAA"):
        return str(value).strip()
    raise ValueError(f"unsupported record type {rtype}")


def entries(items):
    """pyspf getrdata: (type, value) pairs and 'TIMEOUT' markers, generated TXT last."""
    generated, gen, out = [], True, []
    for item in items:
        if item == "TIMEOUT":
            out.append("TIMEOUT")
            continue
        if not isinstance(item, dict):
            raise ValueError(f"unexpected zone entry {item!r}")
        for rtype, value in item.items():
            if rtype in ("TXT", "SPF") and isinstance(value, str):
                value = [value]
            if rtype == "TXT":
                gen = False
            elif rtype == "SPF" and gen:
                generated.append(("TXT", value))
            if value != ["NONE"]:
                out.append((rtype, value))
    if gen:
        out.extend(generated)
    return out


def answer(items, qtype):
    """pyspf DNSLookup for one type: 'TIMEOUT' or the list of values."""
    seen, values = False, []
    for item in items:
        if item == "TIMEOUT":
            return values if seen else "TIMEOUT"
        rtype, value = item
        if rtype == qtype:
            seen = True
        if value == "TIMEOUT":
            if rtype == qtype:
                return "TIMEOUT"
            continue
        if rtype == qtype:
            values.append(value)
    return values


def dns_model(zonedata):
    model = {}
    for name, items in zonedata.items():
        listed = entries(items or [])
        records, timeout = {}, []
        for qtype in TYPES:
            got = answer(listed, qtype)
            if got == "TIMEOUT":
                timeout.append(qtype)
            elif got:
                records[qtype] = [rdata(qtype, v) for v in got]
        key = host(name).lower()
        if key in model:
            raise ValueError(f"name listed twice: {name}")
        model[key] = {"records": records, "timeout": timeout}
    return model


def convert(text):
    import yaml  # only needed here

    scenarios = []
    for index, doc in enumerate(yaml.safe_load_all(text)):
        tests = []
        for name, case in doc["tests"].items():
            result = case["result"]
            tests.append({
                "name": name,
                "spec": str(case.get("spec", "")),
                "description": " ".join(str(case.get("description", "")).split()),
                "helo": str(case["helo"]),
                "host": str(case["host"]),
                "mailfrom": str(case["mailfrom"]),
                "result": [result] if isinstance(result, str) else list(result),
                "explanation": case.get("explanation"),
            })
        scenarios.append({
            "index": index,
            "description": doc["description"],
            "tests": tests,
            "dns": dns_model(doc.get("zonedata") or {}),
        })
    return {
        "source": "rfc7208-tests.yml",
        "source_sha256": hashlib.sha256(text).hexdigest(),
        "generated_by": "tests/conformance/spf/convert.py",
        "scenarios": scenarios,
    }


def main():
    with open(SOURCE, "rb") as f:
        text = f.read()
    out = json.dumps(convert(text), indent=1, ensure_ascii=True) + "\n"
    if "--check" in sys.argv[1:]:
        try:
            with open(TARGET) as f:
                current = f.read()
        except OSError:
            current = ""
        if current != out:
            print(f"{TARGET} is stale: run {sys.argv[0]}", file=sys.stderr)
            return 1
        print("up to date")
        return 0
    with open(TARGET + ".tmp", "w") as f:
        f.write(out)
    os.replace(TARGET + ".tmp", TARGET)
    data = json.loads(out)
    cases = sum(len(s["tests"]) for s in data["scenarios"])
    print(f"wrote {TARGET}: {len(data['scenarios'])} scenarios, {cases} test cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
