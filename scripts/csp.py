#!/usr/bin/env python3
"""Trunk post_build hook: adds a Content-Security-Policy <meta> to index.html.

Trunk inlines a small module script that loads the wasm; the policy allows
exactly that script by its SHA-256 hash, so no 'unsafe-inline' is needed and
the page works on any static host (no server-side nonce). The policy also
states the privacy promise in a form the browser enforces: the page may fetch
its own assets, and otherwise only https:// (the DoH provider the user picks)
or a DoH server on this computer.

Runs with TRUNK_STAGING_DIR set (see Trunk.toml [[hooks]]); or pass a dir.
"""

import base64
import hashlib
import os
import re
import sys
from pathlib import Path

stage = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
index = stage / "index.html"
html = index.read_text(encoding="utf-8")

hashes = []
for script in re.findall(r"<script(?:\s[^>]*)?>(.*?)</script>", html, flags=re.S):
    if script.strip():
        digest = hashlib.sha256(script.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")

policy = "; ".join(
    [
        "default-src 'none'",
        f"script-src 'self' 'wasm-unsafe-eval' {' '.join(hashes)}".strip(),
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    ]
)
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
charset = re.search(r"<meta charset=[^>]*>", html)
if charset:
    html = html[: charset.end()] + "\n    " + meta + html[charset.end() :]
else:
    html = html.replace("<head>", "<head>\n    " + meta, 1)
index.write_text(html, encoding="utf-8")
print(f"csp: {len(hashes)} inline script hash(es) allowed in {index}")
