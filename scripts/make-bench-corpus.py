#!/usr/bin/env python3
"""Builds the RSA-2048 10 KB corpus of the CLI batch benchmark (issue #13).

    python3 scripts/make-bench-corpus.py OUT_DIR [N] [--body-kb KB]

Writes N messages (default 500) to OUT_DIR/NNNN.eml, each with a body of about
KB kilobytes (default 10) of plain text and one DKIM-Signature made by dkimpy
(an independent signer, not ours): rsa-sha256, c=relaxed/relaxed, d=bench.test,
s=bench2048, with the RSA-2048 test key tests/fixtures/bench-cli/rsa2048.pem,
whose public half tests/bench/zones/bench.test.zone publishes. Each message is
sent by mail.bench.test [203.0.113.170], which bench.test's SPF authorises, and
bench.test publishes DMARC p=reject, so every message should pass SPF, DKIM and
DMARC: a benchmark of failures would measure the wrong code paths.

The output is byte-for-byte reproducible: bodies come from a seeded generator
and the signature time t= is fixed (RSA PKCS#1 v1.5 signing is deterministic).
Needs dkimpy (pip install dkimpy). Prints one line: how many messages, bytes.
"""

import argparse
import os
import random
import sys
import time

import dkim

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
KEY_FILE = os.path.join(ROOT, "tests", "fixtures", "bench-cli", "rsa2048.pem")
ZONE_FILE = os.path.join(ROOT, "tests", "bench", "zones", "bench.test.zone")
DOMAIN = b"bench.test"
SELECTOR = b"bench2048"
SENDER_IP = "203.0.113.170"
# 2025-11-30 00:00:00 UTC: fixed so that the signatures (and so the files) are
# the same at every run. No x=, so they never expire.
SIGNED_AT = 1764460800
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                  b"content-type"]

WORDS = ("the quarterly report shows delivery rates across every region with "
         "bounce and complaint figures for each sending domain and the changes "
         "made to authentication records during the period under review").split()


def body_text(rng, size):
    """About `size` bytes of plain-text paragraphs, lines under 78 characters."""
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 12)))
        line = line[:76].rstrip()
        lines.append(line)
        total += len(line) + 2
        if rng.random() < 0.15:
            lines.append("")
            total += 2
    return "\r\n".join(lines) + "\r\n"


def message(i, body):
    """(trace fields, unsigned message) with CRLF line ends, derived from i. The
    trace fields (Return-Path, Received) are the receiver's: they go above the
    signature, as in delivered mail."""
    minute, second = divmod(i, 60)
    hour, minute = divmod(minute, 60)
    stamp = f"Sun, 30 Nov 2025 {hour % 24:02d}:{minute:02d}:{second:02d} +0000"
    trace = [
        "Return-Path: <bounces@bench.test>",
        "Delivered-To: alice@example.net",
        "Received: from mail.bench.test (mail.bench.test [%s])" % SENDER_IP,
        f"        by mx.example.net (Postfix) with ESMTPS id 4cB{i:05d}",
        "        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256)",
        f"        for <alice@example.net>; {stamp} (UTC)",
    ]
    head = [
        "From: Reports <reports@bench.test>",
        "To: alice@example.net",
        f"Subject: Delivery report {i:05d}",
        f"Date: {stamp}",
        f"Message-ID: <report-{i:05d}@bench.test>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return (("\r\n".join(trace) + "\r\n").encode(),
            ("\r\n".join(head) + "\r\n\r\n" + body).encode())


def sign(raw, key):
    """`raw` with a DKIM-Signature field in front, made by dkimpy at SIGNED_AT."""
    real_time = time.time
    time.time = lambda: SIGNED_AT  # dkimpy writes t= from time.time()
    try:
        field = dkim.sign(raw, SELECTOR, DOMAIN, key,
                          canonicalize=(b"relaxed", b"relaxed"),
                          include_headers=SIGNED_HEADERS)
    finally:
        time.time = real_time
    return field + raw


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("n", nargs="?", type=int, default=500)
    parser.add_argument("--body-kb", type=float, default=10.0)
    args = parser.parse_args()
    with open(KEY_FILE, "rb") as f:
        key = f.read()
    os.makedirs(args.out_dir, exist_ok=True)
    total = 0
    for i in range(args.n):
        rng = random.Random(i)
        trace, unsigned = message(i, body_text(rng, int(args.body_kb * 1024)))
        raw = trace + sign(unsigned, key)
        with open(os.path.join(args.out_dir, f"{i:04d}.eml"), "wb") as f:
            f.write(raw)
        total += len(raw)
    print(f"make-bench-corpus: {args.n} messages, {total} bytes "
          f"({total / max(args.n, 1) / 1024:.1f} KB each) in {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
