#!/usr/bin/env python3
"""Writes crates/sendtrust/src/domain/public_suffixes.txt from the Public
Suffix List (MPL-2.0), in the compact form `domain/mod.rs` reads:

    python3 crates/sendtrust/src/domain/make_suffixes.py PATH/public_suffix_list.dat

Where to get the list without a download: the PyPI wheel `publicsuffixlist`
(publicsuffixlist/public_suffix_list.dat inside) or Debian's `publicsuffix`
package (/usr/share/publicsuffix/public_suffix_list.dat).

The compact form keeps only what changes an answer: single-label rules
(`com`, `uk`) are left out because the list's default rule `*` already makes
every top-level label a public suffix. Each kept rule is written in A-labels
(IDNA 2008, UTS #46), its labels reversed (`uk.co`, `jp.*.kawasaki`,
`!jp.kawasaki.city`) so that rules sharing a parent sit together (that
compresses better), sorted bytewise within its section, one per line.
"""

import os
import sys

import idna  # pip install idna

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "public_suffixes.txt")


def a_label(label):
    return label if label == "*" else idna.encode(label, uts46=True).decode("ascii")


def main(path):
    sections = {"icann": [], "private": []}
    section = None
    version = "unknown"
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("// VERSION:"):
                version = line.split(":", 1)[1].strip()
            if "===BEGIN ICANN DOMAINS===" in line:
                section = "icann"
            elif "===BEGIN PRIVATE DOMAINS===" in line:
                section = "private"
            if not line or line.startswith("//") or section is None:
                continue
            rule = line.split()[0]
            exception = rule.startswith("!")
            rule = rule.lstrip("!")
            if "." not in rule and not exception:
                continue
            labels = [a_label(l).lower() for l in rule.split(".")]
            sections[section].append(("!" if exception else "") + ".".join(reversed(labels)))
    with open(OUT, "w", encoding="ascii", newline="\n") as out:
        out.write("# Public Suffix List %s (MPL-2.0), compact form: see make_suffixes.py\n" % version)
        for name in ("icann", "private"):
            out.write("[%s]\n" % name)
            for rule in sorted(set(sections[name])):
                out.write(rule + "\n")
    print("wrote", os.path.relpath(OUT), {k: len(v) for k, v in sections.items()})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/publicsuffix/public_suffix_list.dat")
