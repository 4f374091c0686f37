#!/usr/bin/env python3
"""Trunk post_build hook: writes sendtrust.js, the stable ES module of the JS API.

Trunk hashes file names (filehash = true), so a host page cannot import the
wasm-bindgen glue by a fixed name. This hook finds the engine wasm's glue and
wasm (crates/sendtrust-engine-web, one of each in the build; the page's UI
wasm is not part of the API) and writes `sendtrust.js` next to them:

    import { analyze, schemaVersion } from "./sendtrust.js";
    const report = await analyze(rawMessage, { doh: "https://cloudflare-dns.com/dns-query" });

The module initialises the engine wasm from a URL resolved
against `import.meta.url` (works from any sub-path, and from another origin
when the files are served with CORS), and re-exports `analyze` and
`schemaVersion`. Importing it resolves once the wasm is ready.

Runs with TRUNK_STAGING_DIR set (see Trunk.toml [[hooks]]); or pass a dir.
"""

import os
import sys
from pathlib import Path

from engine_files import engine_files

stage = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])

# Trunk names them sendtrust-engine-<hash>.js and sendtrust-engine-<hash>_bg.wasm.
# (Found by listing, not by reading index.html: Trunk runs the post_build
# hooks concurrently and csp.py rewrites index.html meanwhile.)
wasm, glue = engine_files(stage, "api_module")

module = f"""// Sendtrust JS API (generated at build time by scripts/api_module.py).
//
//   import {{ analyze, schemaVersion }} from "./sendtrust.js";
//   const report = await analyze(rawMessageText, {{ doh: "cloudflare" }});
//
// analyze(raw, options) resolves to the JSON report (docs/report-schema.md) or
// rejects with {{ kind, message }} when the input is not a message. Options (all
// optional): doh (DoH URL or preset id), format ("wire" | "json"), offline,
// timeoutMs, senderIp, dnsbl, dbl. Nothing is sent anywhere but DNS-over-HTTPS
// questions to the chosen provider (none with offline: true).
import init, {{ analyze, schemaVersion }} from "./{glue}";

await init({{ module_or_path: new URL("./{wasm}", import.meta.url) }});

export {{ analyze, schemaVersion }};
"""
(stage / "sendtrust.js").write_text(module, encoding="utf-8")
print(f"api_module: sendtrust.js → {glue}, {wasm}")
