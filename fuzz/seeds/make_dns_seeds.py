#!/usr/bin/env python3
"""Writes the DNS data of the fuzz targets (stdlib only).

    python3 fuzz/seeds/make_dns_seeds.py

1. fuzz/seeds/dns_answer/: the dns_answer target's seeds. Each is one control
   byte then an HTTP body (see fuzz/fuzz_targets/dns_answer.rs): bit 0 = 0
   wire / 1 JSON, bits 1-3 = the question type index (0 A, 1 AAAA, 2 TXT,
   3 PTR, 4 MX). The question is always example.com.
2. fuzz/seeds/txt_fixtures.json: every TXT record of the test bench zones
   auth.test, beyond.test and samples.test (DKIM keys, SPF, DMARC), which the
   analyze_dns target serves as DNS, so the repository's signed messages verify
   and the fuzzer mutates from there.

Both are small and committed; rerun this when the zones change.
"""

import json
import os
import re
import struct

SEEDS = os.path.dirname(os.path.abspath(__file__))
HERE = os.path.join(SEEDS, "dns_answer")
ZONES = os.path.join(SEEDS, "..", "..", "tests", "bench", "zones")
ZONE_FILES = ["auth.test.zone", "beyond.test.zone", "samples.test.zone"]
QTYPES = {"A": (0, 1), "AAAA": (1, 28), "TXT": (2, 16), "PTR": (3, 12), "MX": (4, 15)}


def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def packet(qtype, answers=(), authorities=(), rcode=0, qname=None, flags=0x8180):
    header = struct.pack(">HHHHHH", 0, flags | rcode, 1, len(answers), len(authorities), 0)
    question = (qname if qname is not None else name("example.com")) + struct.pack(">HH", qtype, 1)
    return header + question + b"".join(answers) + b"".join(authorities)


PTR_TO_QNAME = b"\xc0\x0c"  # compression pointer to the question name


def soa(ttl=300, minimum=60):
    rdata = name("ns.example.com") + name("hostmaster.example.com") + struct.pack(
        ">IIIII", 2025010101, 3600, 600, 86400, minimum)
    return rr(name("example.com"), 6, ttl, rdata)


def txt_strings(*parts):
    return b"".join(bytes([len(p)]) + p for p in parts)


def wire_seeds():
    a, aaaa, txt, ptr, mx = (QTYPES[t][1] for t in ("A", "AAAA", "TXT", "PTR", "MX"))
    yield "A", "a-two", packet(a, [rr(PTR_TO_QNAME, a, 300, bytes([192, 0, 2, 1])),
                                   rr(PTR_TO_QNAME, a, 60, bytes([127, 0, 0, 2]))])
    yield "A", "a-cname", packet(a, [rr(PTR_TO_QNAME, 5, 300, name("alias.example.net")),
                                     rr(name("alias.example.net"), a, 300, bytes([198, 51, 100, 7]))])
    yield "A", "nxdomain-soa", packet(a, authorities=[soa()], rcode=3)
    yield "A", "nodata-soa", packet(a, authorities=[soa(900, 120)])
    yield "A", "servfail", packet(a, rcode=2)
    yield "A", "refused", packet(a, rcode=5)
    yield "A", "rcode-notimp", packet(a, rcode=4)
    yield "A", "pointer-loop", packet(a, [rr(b"\xc0\x1d", a, 1, bytes(4))])
    yield "A", "wrong-question", packet(a, qname=name("other.example"))
    yield "A", "truncated", packet(a, [rr(PTR_TO_QNAME, a, 300, bytes([192, 0, 2, 1]))])[:-3]
    yield "AAAA", "aaaa", packet(aaaa, [rr(PTR_TO_QNAME, aaaa, 300,
                                           bytes.fromhex("20010db8000000000000000000000001"))])
    yield "TXT", "txt-spf-split", packet(txt, [rr(PTR_TO_QNAME, txt, 3600,
                                                   txt_strings(b"v=spf1 ip4:192.0.2.0/24 ", b"-all"))])
    yield "TXT", "txt-dkim", packet(txt, [rr(PTR_TO_QNAME, txt, 300, txt_strings(
        b"v=DKIM1; k=ed25519; p=hEVU7f3UT8CSLhPrZCHdV3Kh0JHSXHk8GIBFpa4o7Q8="))])
    yield "TXT", "txt-empty-string", packet(txt, [rr(PTR_TO_QNAME, txt, 300, b"\0")])
    yield "PTR", "ptr", packet(ptr, [rr(PTR_TO_QNAME, ptr, 300, name("Mail.Example.NET"))])
    yield "MX", "mx", packet(mx, [rr(PTR_TO_QNAME, mx, 300, struct.pack(">H", 10) + name("mx1.example.com")),
                                  rr(PTR_TO_QNAME, mx, 300, struct.pack(">H", 20) + b"\x03mx2\xc0\x0c")])


def json_seeds():
    def body(status, rtype, answers=(), question=True):
        doc = {"Status": status, "TC": False, "RD": True, "RA": True}
        if question:
            doc["Question"] = [{"name": "example.com.", "type": rtype}]
        doc["Answer"] = [{"name": "example.com.", "type": t, "TTL": ttl, "data": d}
                         for t, ttl, d in answers]
        return json.dumps(doc).encode()
    yield "A", "json-a", body(0, 1, [(1, 300, "192.0.2.1"), (5, 300, "alias.example.net.")])
    yield "A", "json-nxdomain", body(3, 1)
    yield "A", "json-servfail", body(2, 1)
    yield "AAAA", "json-aaaa", body(0, 28, [(28, 300, "2001:db8::1")])
    yield "TXT", "json-txt-escapes", body(0, 16, [(16, 300, '"v=spf1 \\"quoted\\" \\065\\255 " "-all"')])
    yield "TXT", "json-txt-unquoted", body(0, 16, [(16, 300, "v=DMARC1; p=reject")])
    yield "PTR", "json-ptr", body(0, 12, [(12, 300, "Mail.Example.NET.")])
    yield "MX", "json-mx", body(0, 15, [(15, 300, "10 mx1.example.com.")])
    yield "MX", "json-mx-bad", body(0, 15, [(15, 300, "ten")], question=False)


def zone_txt(path, origin):
    """[(owner, text)] for the TXT records of one of our zone files (owners
    relative to `origin` or absolute, parentheses, quoted strings, comments;
    enough for the bench's files, not a general zone parser)."""
    logical, buf, depth = [], "", 0
    with open(path) as f:
        for raw in f:
            line, quoted = "", False
            for c in raw.rstrip("\n"):
                if c == '"':
                    quoted = not quoted
                if c == ";" and not quoted:
                    break
                if c in "()" and not quoted:
                    depth += 1 if c == "(" else -1
                    c = " "
                line += c
            buf = f"{buf} {line}" if buf else line
            if depth == 0:
                logical.append(buf)
                buf = ""
    out, owner = [], origin
    for line in logical:
        if not line.strip():
            continue
        if line.startswith("$ORIGIN"):
            origin = line.split()[1].rstrip(".")
            continue
        if line.startswith("$"):
            continue
        if line[0] not in " \t":
            name = line.split(None, 1)[0]
            owner = origin if name == "@" else name.rstrip(".") if name.endswith(".") \
                else f"{name}.{origin}"
        m = re.match(r"\s*\S*\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+(.*)$", line) if line[0] not in " \t" \
            else re.match(r"\s+(?:\d+\s+)?(?:IN\s+)?TXT\s+(.*)$", line)
        if m:
            out.append((owner.lower(), "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))))
    return out


def write_txt_fixtures():
    records = []
    for name in ZONE_FILES:
        records += zone_txt(os.path.join(ZONES, name), name[: -len(".zone")])
    path = os.path.join(SEEDS, "txt_fixtures.json")
    with open(path, "w") as f:
        json.dump([{"name": n, "txt": t} for n, t in records], f, indent=1)
        f.write("\n")
    print(f"wrote {len(records)} TXT records to {path}")


def main():
    write_txt_fixtures()
    os.makedirs(HERE, exist_ok=True)
    for old in os.listdir(HERE):
        os.remove(os.path.join(HERE, old))
    count = 0
    for json_api, seeds in ((0, wire_seeds()), (1, json_seeds())):
        for qtype, label, body in seeds:
            control = (QTYPES[qtype][0] << 1) | json_api
            with open(os.path.join(HERE, f"{label}.bin"), "wb") as f:
                f.write(bytes([control]) + body)
            count += 1
    print(f"wrote {count} seeds to {HERE}")


if __name__ == "__main__":
    main()
