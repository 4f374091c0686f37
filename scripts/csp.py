"""Trunk post_build hook: adds a Content-Security-Policy <meta> to index.html
and to the embedding examples in embed/.

Trunk inlines a small module script that loads the wasm; the policy allows
exactly that script by its SHA-256 hash, so no 'unsafe-inline' is needed and
the page works on any static host (no server-side nonce). The policy also
states the privacy promise in a form the browser enforces: the page may fetch
its own assets, and otherwise only https:// (the DoH provider the user picks)
or a DoH server on this computer.

Each page gets only what it needs: the page and the JS API example run the
wasm and ask DoH; the iframe example only frames the page (same origin) and
asks nothing. Inline <script> and <style> blocks are allowed by hash.

Runs with TRUNK_STAGING_DIR set (see Trunk.toml [[hooks]]); or pass a dir.
"""

import base64
import hashlib
import os
import re
import sys
from pathlib import Path

WASM = "'wasm-unsafe-eval'"
DOH = "'self' https: http://127.0.0.1:* http://localhost:*"
# page → (script-src extras, connect-src, frame-src)
PAGES = {
    "index.html": (WASM, DOH, None),
    "embed/api-example.html": (WASM, DOH, None),
    "embed/iframe-example.html": ("", None, "'self'"),
}


def digests(html, tag):
    out = []
    for block in re.findall(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", html, flags=re.S):
        if block.strip():
            digest = hashlib.sha256(block.encode("utf-8")).digest()
            out.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return out


def policy(html, script_extra, connect, frame):
    scripts = digests(html, "script")
    styles = digests(html, "style")
    parts = [
        "default-src 'none'",
        " ".join(["script-src 'self'", script_extra, *scripts]).replace("  ", " ").strip(),
        " ".join(["style-src 'self'", *styles]),
        "img-src 'self'",
    ]
    if connect:
        parts.append(f"connect-src {connect}")
    if frame:
        parts.append(f"frame-src {frame}")
    parts += ["base-uri 'none'", "form-action 'none'", "object-src 'none'"]
    return "; ".join(parts), len(scripts) + len(styles)


stage = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
for page, (script_extra, connect, frame) in PAGES.items():
    index = stage / page
    if not index.exists():
        if page == "index.html":
            sys.exit(f"csp: {index} missing")
        print(f"csp: {page} not in this build, skipped")
        continue
    html = index.read_text(encoding="utf-8")
    # Drop an earlier policy before hashing (re-runs on the same file).
    html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    content, count = policy(html, script_extra, connect, frame)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}" />'
    charset = re.search(r"<meta charset=[^>]*>", html)
    if charset:
        html = html[: charset.end()] + "\n    " + meta + html[charset.end() :]
    else:
        html = html.replace("<head>", "<head>\n    " + meta, 1)
    index.write_text(html, encoding="utf-8")
    print(f"csp: {count} inline block hash(es) allowed in {index}")

# Any other page in the build would go out without a policy: refuse.
others = sorted(
    str(p.relative_to(stage)) for p in stage.rglob("*.html") if str(p.relative_to(stage)) not in PAGES
)
if others:
    sys.exit(f"csp: no policy for {', '.join(others)} (add it to PAGES in scripts/csp.py)")
