#!/usr/bin/env python3
"""DKIM-sign a sample message (rsa-sha256, relaxed/relaxed) for web/samples/.

Usage: scripts/dkim-sign-sample.py KEY.pem DOMAIN SELECTOR IN.eml OUT.eml [--before HEADER]

Creates KEY.pem (RSA 2048) when it does not exist and prints the DNS TXT
record for SELECTOR._domainkey.DOMAIN. The signature header is inserted just
before the first HEADER field (default: From). Keep keys out of git: the
samples only need the public half, recorded in web/samples/README.md.
Needs only python3-cryptography.
"""

import base64
import hashlib
import re
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNED = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"]


def split_message(raw: bytes):
    text = raw.replace(b"\r\n", b"\n").decode("utf-8")
    head, sep, body = text.partition("\n\n")
    fields = []
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and fields:
            fields[-1] += "\r\n" + line
        else:
            fields.append(line)
    return fields, body.replace("\n", "\r\n") if sep else None


def relaxed_header(field: str) -> str:
    name, _, value = field.partition(":")
    value = re.sub(r"\r\n", "", value)
    value = re.sub(r"[ \t]+", " ", value).strip()
    return f"{name.strip().lower()}:{value}"


def relaxed_body(body: str) -> bytes:
    lines = [re.sub(r"[ \t]+", " ", l).rstrip(" ") for l in body.split("\r\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return ("\r\n".join(lines) + "\r\n").encode() if lines else b""


def main() -> None:
    args = sys.argv[1:]
    before = "from"
    if "--before" in args:
        i = args.index("--before")
        before = args[i + 1].lower()
        del args[i : i + 2]
    key_path, domain, selector, src, dst = args
    key_file = Path(key_path)
    if key_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    fields, body = split_message(Path(src).read_bytes())
    if body is None:
        sys.exit("the message needs a body to be signed")
    bh = base64.b64encode(hashlib.sha256(relaxed_body(body)).digest()).decode()
    names = [f.partition(":")[0].strip().lower() for f in fields]
    signed = [h for h in SIGNED if h in names]
    sig = (
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain};\r\n"
        f"\ts={selector}; t=1763456044; h={':'.join(signed)};\r\n"
        f"\tbh={bh};\r\n\tb="
    )
    data = "".join(relaxed_header(fields[names.index(h)]) + "\r\n" for h in signed)
    data += relaxed_header(sig)
    b = base64.b64encode(
        key.sign(data.encode(), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    sig += "\r\n\t ".join(b[i : i + 64] for i in range(0, len(b), 64))
    fields.insert(names.index(before), sig)
    out = "\r\n".join(fields) + "\r\n\r\n" + body
    Path(dst).write_bytes(out.replace("\r\n", "\n").encode())
    print(
        f'{selector}._domainkey.{domain}. TXT "v=DKIM1; k=rsa; p={base64.b64encode(public).decode()}"'
    )


if __name__ == "__main__":
    main()
