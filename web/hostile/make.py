#!/usr/bin/env python3
"""Generates Sendtrust's hostile-input corpus (stdlib only, deterministic).

    python3 web/hostile/make.py                  # write every case into web/hostile/cases/
    python3 web/hostile/make.py --out DIR        # … into DIR (the engine test uses a temp dir)
    python3 web/hostile/make.py --small          # only the cases under 64 KB
    python3 web/hostile/make.py --check          # committed small cases + manifest up to date?

Each case is a message (or non-message) built to break a mail-header analyzer
or the page that shows its results: markup and script in every field the page
may show, `javascript:` URLs, bidi overrides and homoglyphs in domains, NUL
bytes, invalid UTF-8, a 1 MB header line, 50 000 Received fields, 200-level
MIME nesting, a 25 MB attachment, 100 000 header fields, deeply nested
comments, and so on.

`manifest.json` (written beside the cases, and committed in web/hostile/)
lists every case: file name, size, what it checks, what the engine must do
(`report`, or `input-error` with the error kind), and what the browser test
must check (`xss`: the message carries a payload that sets
`window.__hostilePwned` if it ever runs; `paste`: small enough to paste;
every URL in the corpus points at `hostile.invalid`, which must never be
requested). Cases of 64 KB and more are "large": named `*.big.eml`,
generated at test time, never committed (see .gitignore).

Used by crates/sendtrust/tests/hostile.rs (the engine) and by the browser
tests (web/tests/).
"""

import argparse
import base64
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "cases")
MANIFEST = os.path.join(HERE, "manifest.json")
LARGE = 64 * 1024
PASTE = 256 * 1024
MB = 1024 * 1024

# What a successful script injection would do; the browser test checks it never happens.
PWN = "window.__hostilePwned=1"
SCRIPT = f"<script>{PWN}</script>"
IMG = f'<img src=x onerror="{PWN}">'
SVG = f"<svg/onload={PWN}>"
JS_URL = f"javascript:{PWN}"
ATTR_BREAK = f"\"'><img src=x onerror={PWN}>"
EVIL = "https://hostile.invalid/"

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
LRI, PDI = "\u2066", "\u2069"
ZWSP, ZWJ = "\u200b", "\u200d"

# A plausible hop so that most cases have a chain and a hand-off hop.
RECEIVED_OK = (
    "Received: from mail.sender.example (mail.sender.example [192.0.2.10])\r\n"
    "\tby mx.example.net (Postfix) with ESMTPS id 4AbCdE\r\n"
    "\tfor <user@example.net>; Tue, 1 Jul 2025 10:00:00 +0000\r\n"
)
BASE_HEADERS = (
    "From: Sender <sender@sender.example>\r\n"
    "To: user@example.net\r\n"
    "Date: Tue, 1 Jul 2025 09:59:58 +0000\r\n"
    "Message-ID: <hostile@sender.example>\r\n"
)


def msg(extra_headers="", subject="hostile case", body="Hello.\r\n", received=RECEIVED_OK,
        base=BASE_HEADERS):
    """A message: Received, the base headers, extra headers, Subject, body (str)."""
    return (received + base + extra_headers + f"Subject: {subject}\r\n\r\n" + body).encode(
        "utf-8", "surrogatepass")


CASES = []


def case(name, checks, engine="report", error_kind=None, xss=False):
    """Registers a generator function as a case."""
    def register(fn):
        CASES.append({
            "name": name, "fn": fn, "checks": checks, "engine": engine,
            "error_kind": error_kind, "xss": xss,
        })
        return fn
    return register


# --------------------------------------------------------------------------
# Markup and script where the page shows text
# --------------------------------------------------------------------------

@case("script-in-subject", "a <script> element in Subject is shown as text, never run", xss=True)
def _():
    return msg(subject=SCRIPT)


@case("img-onerror-in-from-name", "an <img onerror> in the From display name", xss=True)
def _():
    return msg(base=BASE_HEADERS.replace("From: Sender", f'From: "{IMG}"'))


@case("attr-break-in-to", "quote/angle-bracket attribute breakout in To", xss=True)
def _():
    return msg(base=BASE_HEADERS.replace("To: user@example.net", f"To: {ATTR_BREAK} <user@example.net>"))


@case("script-in-html-body", "an HTML body full of script, handlers and remote images", xss=True)
def _():
    html = (f"<html><body onload=\"{PWN}\">{SCRIPT}{IMG}{SVG}"
            f"<a href=\"{JS_URL}\">click</a><img src=\"{EVIL}pixel.gif\">"
            f"<iframe src=\"{EVIL}frame\"></iframe><link rel=stylesheet href=\"{EVIL}x.css\">"
            "</body></html>\r\n")
    return msg("MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n", body=html)


@case("svg-onload-in-helo", "event handlers in the HELO name of a Received field", xss=True)
def _():
    received = (f"Received: from {SVG} ({IMG} [192.0.2.10])\r\n"
                "\tby mx.example.net with ESMTP id 1; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("script-in-received-by-and-id", "markup in by, id, for and with of a Received field", xss=True)
def _():
    received = (f"Received: from mail.sender.example ([192.0.2.10]) by {SCRIPT}.example.net "
                f"with {IMG} id {SVG} for <{ATTR_BREAK}@example.net>; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("javascript-url-list-unsubscribe", "javascript: and data: URLs in List-Unsubscribe", xss=True)
def _():
    return msg(f"List-Unsubscribe: <{JS_URL}>, <data:text/html,{SCRIPT}>, <{EVIL}u>\r\n"
               "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")


@case("javascript-url-in-body-text", "javascript: URLs in a plain-text body and in headers", xss=True)
def _():
    return msg(f"X-Link: {JS_URL}\r\nList-Help: <{JS_URL}>\r\n",
               body=f"Visit {JS_URL} or {EVIL}phish or JaVaScRiPt&colon;{PWN}\r\n")


@case("encoded-word-script", "a <script> hidden in RFC 2047 encoded words (B and Q)", xss=True)
def _():
    b = base64.b64encode(SCRIPT.encode()).decode()
    q = IMG.replace(" ", "_").replace("=", "=3D").replace('"', "=22").replace("?", "=3F")
    return msg(base=BASE_HEADERS.replace("From: Sender", f"From: =?utf-8?q?{q}?="),
               subject=f"=?utf-8?b?{b}?=")


@case("script-in-dkim-signature", "markup in DKIM-Signature d=, s=, h= and b=", xss=True)
def _():
    return msg(f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={IMG}; s={SCRIPT};\r\n"
               f"\th=from:{SVG}; bh=AAAA; b={ATTR_BREAK}\r\n")


@case("script-in-authentication-results", "markup in Authentication-Results and Received-SPF", xss=True)
def _():
    return msg(f"Authentication-Results: mx.example.net; spf=pass smtp.mailfrom={IMG};\r\n"
               f"\tdkim=pass header.d={SCRIPT}; dmarc=fail header.from={SVG}\r\n"
               f"Received-SPF: pass ({ATTR_BREAK}) client-ip=192.0.2.10; envelope-from={IMG}\r\n")


@case("script-in-return-path-and-message-id", "markup in Return-Path and Message-ID", xss=True)
def _():
    return msg(base=f"Return-Path: <{IMG}@sender.example>\r\n"
               + BASE_HEADERS.replace("<hostile@sender.example>", f"<{SCRIPT}@sender.example>"))


@case("script-in-header-name", "markup in a header field name", xss=True)
def _():
    return msg(f"X-{IMG.replace(' ', '').replace(':', '')}: value\r\nX-<b>bold</b>: x\r\n")


@case("style-and-comment-breakout", "</style>, </textarea>, -->, ]]> and template syntax in headers",
      xss=True)
def _():
    return msg(f"X-Style: </style><style>*{{display:none}}</style>\r\n"
               f"X-Textarea: </textarea>{SCRIPT}\r\nX-Comment: -->{IMG}<!--\r\n"
               f"X-Cdata: ]]>{SVG}\r\nX-Template: {{{{constructor.constructor('{PWN}')()}}}} ${{{PWN}}}\r\n")


@case("antispam-headers-with-markup", "markup in the antispam headers the report reads", xss=True)
def _():
    return msg(f"X-Spam-Status: Yes, score=99.9 required=5.0 tests={IMG},{SCRIPT}\r\n"
               f"X-Spam-Report: {SVG}\r\nX-Forefront-Antispam-Report: CIP:192.0.2.10;CTRY:{IMG};SCL:9;SFV:SPM;\r\n"
               f"X-Microsoft-Antispam: BCL:{SCRIPT};\r\nX-Rspamd-Score: {IMG}\r\n")


@case("ansi-escapes-in-headers", "terminal escape sequences (for the CLI's text output) in headers")
def _():
    return msg(f"X-Ansi: \x1b]0;pwned\x07\x1b[2J\x1b[31mred\r\n",
               subject="\x1b[1mbold\x1b[0m \x1b]8;;https://hostile.invalid/\x07link\x1b]8;;\x07",
               base=BASE_HEADERS.replace("Sender <", "\x1b[5mSender\x1b[0m <"))


# --------------------------------------------------------------------------
# Unicode: bidi, homoglyphs, invisible characters
# --------------------------------------------------------------------------

@case("rtl-override-from-name", "U+202E RIGHT-TO-LEFT OVERRIDE in the From name and Subject")
def _():
    return msg(base=BASE_HEADERS.replace("From: Sender", f"From: =?utf-8?b?{base64.b64encode(f'Invoice {RLO}fdp.exe'.encode()).decode()}?="),
               subject=f"Your invoice {RLO}gpj.exe")


@case("rtl-override-in-domains", "bidi controls in HELO, rDNS, by and From domains")
def _():
    received = (f"Received: from mail.{RLO}elpmaxe.sender (mail{LRI}.sender.example{PDI} [192.0.2.10])\r\n"
                f"\tby mx.{RLO}ten.elpmaxe with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received,
               base=BASE_HEADERS.replace("sender@sender.example", f"sender@{RLO}elpmaxe.sender"))


@case("homoglyph-from-domain", "Cyrillic homoglyphs in the From domain (pаypal.example)")
def _():
    return msg(base=BASE_HEADERS.replace("sender@sender.example", "service@p\u0430ypal.example"))


@case("homoglyph-dkim-and-helo", "homoglyph domains in DKIM d= and the HELO name")
def _():
    received = ("Received: from m\u0430il.s\u0435nder.example (mail.sender.example [192.0.2.10])\r\n"
                "\tby mx.example.net with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg("DKIM-Signature: v=1; a=rsa-sha256; d=s\u0435nder.example; s=s1; h=from; bh=AAAA; b=AAAA\r\n",
               received=received)


@case("punycode-spoof", "xn-- A-labels that decode to look-alikes, and invalid punycode")
def _():
    return msg("DKIM-Signature: v=1; a=rsa-sha256; d=xn--pypal-4ve.example; s=s1; h=from; bh=AA; b=AA\r\n",
               base=BASE_HEADERS.replace("sender@sender.example", "a@xn--80ak6aa92e.example")
               + "Reply-To: a@xn--zzzzzzzzzzzzzzzzzzzz-.example\r\n")


@case("zero-width-in-domains", "zero-width space/joiner inside domains and IPs")
def _():
    received = (f"Received: from mail.sen{ZWSP}der.example (mail.sender.example [192.0{ZWJ}.2.10])\r\n"
                "\tby mx.example.net with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received,
               base=BASE_HEADERS.replace("sender@sender.example", f"sender@send{ZWSP}er.example"))


@case("emoji-and-astral", "4-byte UTF-8 (emoji, astral planes) in every field")
def _():
    return msg(f"X-Emoji: {'😀' * 100}\r\n", subject="🦀 𝕳𝖊𝖑𝖑𝖔 " + "\U0010fffd" * 10,
               base=BASE_HEADERS.replace("Sender <", "😀😀 <"))


@case("combining-marks", "10 000 combining marks on one character (zalgo)")
def _():
    return msg(subject="Z" + "\u0301\u0316\u0337" * 3333)


# --------------------------------------------------------------------------
# Bytes: NUL, invalid UTF-8, control characters, line ends
# --------------------------------------------------------------------------

@case("nul-in-header-value", "NUL bytes inside header values")
def _():
    return msg(subject="before\0after", base=BASE_HEADERS.replace("sender@sender", "send\0er@sender"))


@case("nul-in-header-name", "a NUL byte inside a header field name")
def _():
    return msg("X-Nul\0Name: value\r\n")


@case("nul-in-body", "NUL bytes in the body (a few: still a message)")
def _():
    return msg(body="text\0text\0\0\r\n" + "x" * 4000 + "\r\n")


@case("nul-in-received", "NUL bytes inside a Received field's host names and IP")
def _():
    received = ("Received: from mail.sender\0.example (mail\0 [192.0.\0.10])\r\n"
                "\tby mx\0.example.net with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("invalid-utf8-headers", "invalid UTF-8 (lone continuation bytes, truncated sequences) in headers")
def _():
    raw = msg(subject="PLACEHOLDER1", base=BASE_HEADERS.replace("Sender", "PLACEHOLDER2"))
    return raw.replace(b"PLACEHOLDER1", b"caf\xe9 \x80\x80 \xc3 \xf0\x9f\x98").replace(
        b"PLACEHOLDER2", b"\xff\xfe\xfd")


@case("invalid-utf8-body", "invalid UTF-8 and overlong encodings in the body")
def _():
    line = b"Plain text with an overlong slash \xc0\xaf, a lone surrogate \xed\xa0\x80 and \xf8\x88\x80\x80\x80.\r\n"
    return msg(body="BODY\r\n").replace(b"BODY\r\n", line * 40)


@case("invalid-utf8-received", "Latin-1 and broken UTF-8 in a Received field")
def _():
    received = (b"Received: from caf\xe9.sender.example (\xff\xfe [192.0.2.10])\r\n"
                b"\tby mx.example.net with ESMTPS; Tue, 1 J\xfcl 2025 10:00:00 +0000\r\n")
    return received + msg(received="")


@case("control-characters", "C0 controls (BEL, BS, VT, FF, ESC, DEL) in headers")
def _():
    return msg(subject="a\x07b\x08c\x0bd\x0ce\x1bf\x7fg")


@case("cr-only-line-ends", "old-Mac CR-only line ends")
def _():
    return msg().replace(b"\r\n", b"\r")


@case("mixed-line-ends", "CRLF, LF, CR and LFCR mixed in one message")
def _():
    raw = msg(body="a\r\nb\nc\rd\n\re\r\n")
    return raw.replace(b"\r\nTo:", b"\nTo:").replace(b"\r\nDate:", b"\rDate:")


@case("bom-and-mbox-line", "a UTF-8 BOM, blank lines and an mbox From_ line before the headers")
def _():
    return b"\xef\xbb\xbf\r\n\r\nFrom sender@sender.example Tue Jul  1 10:00:00 2025\n" + msg()


@case("bare-lf-in-folding", "folding with bare LF and lost indentation")
def _():
    return (b"Received: from mail.sender.example\n(mail.sender.example [192.0.2.10])\nby mx.example.net;\n"
            b" Tue, 1 Jul 2025 10:00:00 +0000\nFrom: a@sender.example\nSubject: x\n\nbody\n")


# --------------------------------------------------------------------------
# Not a message: the engine must say why (InputError), not guess
# --------------------------------------------------------------------------

@case("empty", "nothing at all", engine="input-error", error_kind="empty")
def _():
    return b""


@case("whitespace-only", "only white space and line ends", engine="input-error", error_kind="empty")
def _():
    return b" \r\n\t\n\n   \r\n"


@case("random-binary", "16 KB of random bytes", engine="input-error", error_kind="binary")
def _():
    rng = random.Random(20250701)
    return bytes(rng.getrandbits(8) for _ in range(16384))


@case("nul-flood", "a header line then 8 KB of NUL bytes", engine="input-error", error_kind="binary")
def _():
    return b"Subject: x\r\n" + b"\0" * 8192


@case("html-page-not-a-message", "an HTML page with script (pasted by mistake)", engine="input-error",
      error_kind="no-headers", xss=True)
def _():
    return f"<!doctype html><html><head>{SCRIPT}</head><body>{IMG}</body></html>\n".encode()


@case("script-first-line", "a first line that is markup, in the error message the page shows",
      engine="input-error", error_kind="no-headers", xss=True)
def _():
    return f"{IMG} {SCRIPT}\nFrom: a@sender.example\n\nbody\n".encode()


# --------------------------------------------------------------------------
# Size and count: linear time, bounded memory
# --------------------------------------------------------------------------

@case("long-header-line-1mb", "one 1 MB Subject line (no folding)")
def _():
    return msg(subject="A" * MB)


@case("long-received-line-1mb", "one 1 MB Received field (words and brackets)")
def _():
    filler = " ".join(f"(c{i} [192.0.2.{i % 250}])" for i in range(MB // 22))
    received = (f"Received: from mail.sender.example {filler}\r\n"
                "\tby mx.example.net with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("received-50000", "50 000 Received fields (the chain walk and checks must be linear)")
def _():
    lines = []
    for i in range(50000, 0, -1):
        ip = f"198.51.{(i >> 8) & 255}.{i & 255}"
        lines.append(f"Received: from relay{i - 1}.sender.example (relay{i - 1}.sender.example [{ip}])\r\n"
                     f"\tby relay{i}.sender.example with ESMTP id Q{i}; Tue, 1 Jul 2025 "
                     f"{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d} +0000\r\n")
    return msg(received=RECEIVED_OK + "".join(lines))


@case("received-5000-local", "5 000 Received fields that record no relay (local, qmail, LMTP)")
def _():
    kinds = ["Received: (qmail 1234 invoked by uid 0); 1 Jul 2025 10:00:00 -0000\r\n",
             "Received: by mx.example.net (Postfix, from userid 0) id 4Ab; Tue, 1 Jul 2025 10:00:00 +0000\r\n",
             "Received: from localhost by mx.example.net with LMTP id x; Tue, 1 Jul 2025 10:00:00 +0000\r\n"]
    return msg(received=RECEIVED_OK + "".join(kinds[i % 3] for i in range(5000)))


@case("headers-100000", "100 000 header fields")
def _():
    return msg("".join(f"X-Filler-{i}: value {i}\r\n" for i in range(100000)))


@case("same-header-20000", "20 000 fields of one name (Authentication-Results)")
def _():
    return msg("".join(f"Authentication-Results: mx{i}.example.net; spf=pass smtp.mailfrom=sender.example; "
                       f"dkim=fail header.d=sender.example\r\n" for i in range(20000)))


@case("dkim-signature-2000", "2 000 DKIM-Signature fields")
def _():
    sig = ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example; s=s{0};\r\n"
           "\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA{0}\r\n")
    return msg("".join(sig.format(i) for i in range(2000)))


@case("arc-sets-500", "500 ARC sets (i=1..500)")
def _():
    out = []
    for i in range(500, 0, -1):
        out.append(f"ARC-Seal: i={i}; a=rsa-sha256; cv=pass; d=fwd{i}.example; s=s; b=AAAA\r\n"
                   f"ARC-Message-Signature: i={i}; a=rsa-sha256; c=relaxed/relaxed; d=fwd{i}.example; s=s; "
                   f"h=from; bh=AAAA; b=AAAA\r\n"
                   f"ARC-Authentication-Results: i={i}; fwd{i}.example; spf=pass smtp.mailfrom=x.example\r\n")
    return msg("".join(out))


@case("folded-100000-lines", "one field folded over 100 000 continuation lines")
def _():
    return msg("X-Folded: start\r\n" + "".join(f"\tline{i}\r\n" for i in range(100000)))


@case("to-100000-addresses", "one To field with 100 000 addresses")
def _():
    addresses = ", ".join(f"u{i}@example.net" for i in range(100000))
    return msg(base=BASE_HEADERS.replace("To: user@example.net", f"To: {addresses}"))


@case("encoded-words-50000", "50 000 encoded words in one Subject")
def _():
    return msg(subject=" ".join("=?utf-8?q?a=C3=A9?=" for _ in range(50000)))


@case("header-name-100kb", "a 100 KB header field name")
def _():
    return msg("X-" + "N" * 100000 + ": v\r\n")


@case("content-type-20000-params", "a Content-Type with 20 000 parameters")
def _():
    params = "".join(f";\r\n\tp{i}=\"v{i}\"" for i in range(20000))
    return msg(f"MIME-Version: 1.0\r\nContent-Type: text/plain{params}\r\n")


@case("attachment-25mb", "a 25 MB base64 attachment (76-column lines)")
def _():
    payload = bytes(range(256)) * (25 * MB // 256 * 3 // 4)  # 25 MB once base64-encoded
    encoded = base64.encodebytes(payload).decode().replace("\n", "\r\n")
    body = ("--b\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
            "--b\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n"
            + encoded + "--b--\r\n")
    return msg("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n", body=body)


@case("base64-one-line-4mb", "a 4 MB base64 body on a single line")
def _():
    line = base64.b64encode(b"\x00\x01\x02" * (MB + MB // 3)).decode()
    return msg("MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
               "Content-Transfer-Encoding: base64\r\n", body=line + "\r\n")


@case("body-only-newlines-2mb", "a 2 MB body of empty lines")
def _():
    return msg(body="\r\n" * MB)


# --------------------------------------------------------------------------
# MIME structure
# --------------------------------------------------------------------------

def nested_mime(depth):
    head, tail = [], []
    for level in range(depth):
        head.append(f"--b{level}\r\nContent-Type: multipart/mixed; boundary=\"b{level + 1}\"\r\n\r\n")
        tail.append(f"--b{level}--\r\n")
    inner = f"--b{depth}\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n--b{depth}--\r\n"
    return msg("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n",
               body="".join(head) + inner + "".join(reversed(tail)))


@case("mime-nesting-200", "200 levels of nested multipart")
def _():
    return nested_mime(200)


@case("mime-nesting-5000", "5 000 levels of nested multipart (parser recursion)")
def _():
    return nested_mime(5000)


@case("mime-message-rfc822-nesting-500", "500 levels of message/rfc822 inside message/rfc822")
def _():
    inner = "From: inner@sender.example\r\nSubject: inner\r\n\r\ninnermost\r\n"
    for level in range(500):
        inner = (f"From: l{level}@sender.example\r\nMIME-Version: 1.0\r\n"
                 f"Content-Type: message/rfc822\r\n\r\n") + inner
    return msg("MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n", body=inner)


@case("mime-parts-20000", "20 000 sibling MIME parts")
def _():
    parts = "".join(f"--b\r\nContent-Type: text/plain\r\n\r\npart {i}\r\n" for i in range(20000))
    return msg("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n",
               body=parts + "--b--\r\n")


@case("mime-boundary-huge", "a 100 KB boundary, and a boundary that never closes")
def _():
    boundary = "B" * 100000
    return msg(f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n",
               body=f"--{boundary}\r\nContent-Type: multipart/alternative; boundary=\"open\"\r\n\r\n"
                    "--open\r\nContent-Type: text/plain\r\n\r\nno end\r\n")


# --------------------------------------------------------------------------
# Comments, brackets and numbers in structured fields
# --------------------------------------------------------------------------

@case("received-nested-comments-10000", "10 000 nested comments in a Received field")
def _():
    received = ("Received: from mail.sender.example " + "(" * 10000 + "x" + ")" * 10000 +
                " [192.0.2.10] by mx.example.net; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("received-unbalanced-comments", "100 000 unclosed '(' and stray ')' in Received fields")
def _():
    received = ("Received: from a " + "(" * 100000 + " by b; Tue, 1 Jul 2025 10:00:00 +0000\r\n"
                "Received: from c " + ")" * 100000 + " by d; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("auth-results-nested-comments", "deeply nested comments in Authentication-Results and Received-SPF")
def _():
    nest = "(" * 20000 + "c" + ")" * 20000
    return msg(f"Authentication-Results: mx.example.net {nest}; spf=pass {nest} smtp.mailfrom=sender.example; "
               f"dkim=pass {nest} header.d=sender.example\r\n"
               f"Received-SPF: pass {nest} client-ip=192.0.2.10; {nest}\r\n"
               f"ARC-Authentication-Results: i=1; {nest} mx.example.net; spf=pass\r\n")


@case("date-nested-comments", "nested comments and junk in Date and the Received date")
def _():
    nest = "(" * 5000 + ")" * 5000
    received = ("Received: from mail.sender.example ([192.0.2.10]) by mx.example.net; "
                f"Tue, {nest} 1 Jul 2025 {nest} 10:00:00 +0000 {nest}\r\n")
    return msg(received=received, base=BASE_HEADERS.replace("Date: Tue,", f"Date: {nest} Tue,"))


@case("received-huge-numbers", "overflowing numbers in dates, IPs, ports and TLS bits")
def _():
    big = "9" * 400
    received = (f"Received: from mail.sender.example (mail [192.0.2.{big}]:{big})\r\n"
                f"\tby mx.example.net with ESMTPS (version=TLS1_{big} cipher=X bits={big}/{big})\r\n"
                f"\tid {big}; Tue, {big} Jul {big} {big}:{big}:{big} +{big}\r\n"
                "Received: from b ([192.0.2.1]) by c; Tue, 31 Feb -2025 25:61:61 +9999\r\n"
                "Received: from b ([192.0.2.1]) by c; 9999999999-12-31T23:59:59Z\r\n"
                "Received: from b ([192.0.2.1]) by c; 0001-01-01T00:00:00-2359\r\n")
    return msg(received=received, base=BASE_HEADERS.replace("2025 09:59:58", f"{big} 09:59:58"))


@case("received-ip-soup", "many bracketed IPs, odd IPv6 forms and ports in one field")
def _():
    soup = " ".join(["[IPv6:::::::::]", "[IPv6:2001:db8::1%eth0]", "[::ffff:192.0.2.1]",
                     "[192.0.2.1.5]", "[0x7f.1]", "[1.2.3.04]", "[2001:db8:0:0:0:0:0:0:0:1]",
                     "[]", "[", "]"] * 1000)
    received = (f"Received: from mail.sender.example ({soup})\r\n"
                "\tby mx.example.net with ESMTPS; Tue, 1 Jul 2025 10:00:00 +0000\r\n")
    return msg(received=received)


@case("received-keywords-only", "Received fields made only of keywords (from by with id for via)")
def _():
    received = "".join(f"Received: {'from by with id for via ' * 200}; ;;;\r\n" for _ in range(50))
    return msg(received=received)


@case("received-spf-10000-tokens", "a Received-SPF field with 10 000 key=value tokens")
def _():
    tokens = " ".join(f"k{i}=v{i};" for i in range(10000))
    return msg(f"Received-SPF: pass (mx.example.net) client-ip=192.0.2.10; {tokens}\r\n")


@case("list-unsubscribe-10000-urls", "a List-Unsubscribe with 10 000 URLs")
def _():
    urls = ", ".join(f"<{EVIL}u{i}>" for i in range(10000))
    return msg(f"List-Unsubscribe: {urls}\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")


# --------------------------------------------------------------------------

def build(out, small_only):
    os.makedirs(out, exist_ok=True)
    manifest = []
    for c in CASES:
        data = c["fn"]()
        large = len(data) >= LARGE
        if large and small_only:
            continue
        name = c["name"] + (".big.eml" if large else ".eml")
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        entry = {
            "file": name,
            "name": c["name"],
            "bytes": len(data),
            "checks": c["checks"],
            "engine": {"expect": c["engine"]},
            "browser": {"xss": c["xss"], "paste": len(data) < PASTE, "large": large},
        }
        if c["error_kind"]:
            entry["engine"]["error_kind"] = c["error_kind"]
        manifest.append(entry)
    doc = {
        "about": "Hostile-input corpus; generated by web/hostile/make.py (see its docstring).",
        "xss_canary": "window.__hostilePwned",
        "forbidden_host": "hostile.invalid",
        "cases": manifest,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(text)
    return text, manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="directory to write the cases into")
    parser.add_argument("--small", action="store_true", help="skip the large (>= 64 KB) cases")
    parser.add_argument("--check", action="store_true",
                        help="fail when the committed small cases or manifest differ from the generator")
    args = parser.parse_args()
    if args.check:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            text, manifest = build(tmp, small_only=False)
            stale = []
            with open(MANIFEST, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append("manifest.json")
            for entry in manifest:
                if entry["browser"]["large"]:
                    continue
                committed = os.path.join(DEFAULT_OUT, entry["file"])
                with open(os.path.join(tmp, entry["file"]), "rb") as f:
                    want = f.read()
                if not os.path.exists(committed) or open(committed, "rb").read() != want:
                    stale.append(entry["file"])
            if stale:
                sys.exit("make.py --check: out of date (run python3 web/hostile/make.py): " + ", ".join(stale))
            print(f"make.py --check: {len(manifest)} cases, manifest and small cases up to date")
            return
    text, manifest = build(args.out, args.small)
    if os.path.abspath(args.out) == os.path.abspath(DEFAULT_OUT) and not args.small:
        with open(MANIFEST, "w", encoding="utf-8") as f:
            f.write(text)
    large = sum(1 for m in manifest if m["browser"]["large"])
    total = sum(m["bytes"] for m in manifest)
    print(f"wrote {len(manifest)} cases ({large} large, {total / MB:.1f} MB) to {args.out}")


if __name__ == "__main__":
    main()
