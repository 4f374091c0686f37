#!/usr/bin/env python3
"""Trunk post_build hook: puts the static shell into the built index.html,
then runs the hooks that read the finished build, in order (Trunk runs the
hooks of one stage concurrently, and these read what this one writes):
scripts/api_module.py (the JS API over the engine's hashed names),
scripts/csp.py (hashes the shell's inline scripts), dist/sw.js (web/sw.js,
the service worker, with the finished build's file list) and scripts/size.py
(each wasm, bytes before first paint).

The shell is the app's own first screen rendered to HTML by the page crate
built natively (`cargo run -p sendtrust-web -- shell`, crates/sendtrust-web/
src/shell.rs): the full page, the embed-mode page in a <template>, and the
small script that picks one before the first paint.

It also puts web/engine-boot.js into the head, with the engine wasm's hashed
file names: the script that starts fetching and compiling the engine wasm
(crates/sendtrust-engine-web) as soon as the page is parsed, for the worker,
the in-page fallback (crates/sendtrust-web/src/worker.rs) and a first
analysis right after load.

    scripts/shell.py [DIST_DIR]      (default: TRUNK_STAGING_DIR)
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from engine_files import engine_files

ROOT = Path(__file__).resolve().parent.parent
stage = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
index = stage / "index.html"
html = index.read_text(encoding="utf-8")

env = dict(os.environ)
# Native build: never the wasm target a caller's environment may name.
env.pop("CARGO_BUILD_TARGET", None)
done = subprocess.run(
    ["cargo", "run", "--quiet", "-p", "sendtrust-web", "--", "shell"],
    cwd=ROOT, env=env, capture_output=True, text=True,
)
if done.returncode != 0 or 'id="message"' not in done.stdout:
    sys.exit(f"shell: rendering the shell failed:\n{done.stderr}")

# The engine wasm Trunk built (index.html, data-type="worker"). Trunk does not
# hash a worker's file names: name them by their content here, as Trunk does
# the page's, so hosts can cache both for good (README, "Hosting").
plain_glue, plain_wasm = stage / "sendtrust-engine.js", stage / "sendtrust-engine_bg.wasm"
if plain_glue.is_file() and plain_wasm.is_file():
    for old in stage.glob("sendtrust-engine-*"):
        old.unlink()  # an earlier build's, in a reused stage
    digest = hashlib.sha256(plain_wasm.read_bytes() + plain_glue.read_bytes()).hexdigest()[:16]
    plain_wasm.rename(stage / f"sendtrust-engine-{digest}_bg.wasm")
    plain_glue.rename(stage / f"sendtrust-engine-{digest}.js")
engine_wasm, engine_glue = engine_files(stage, "shell")
boot = (ROOT / "web" / "engine-boot.js").read_text(encoding="utf-8")
# Only the code goes into the page (its comments would cost first-paint bytes).
boot = "\n".join(line for line in boot.splitlines() if not line.lstrip().startswith("//"))
boot = boot.replace("ENGINE_GLUE", engine_glue).replace("ENGINE_WASM", engine_wasm)
html = re.sub(r"<!-- engine -->.*<!-- /engine -->\n?", "", html, flags=re.S)
if "</head>" not in html:
    sys.exit(f"shell: no </head> in {index}")
# First in the head's scripts, so the engine's download starts before the UI's.
engine_block = f"<!-- engine --><script>{boot}</script><!-- /engine -->\n"
title = html.find("</title>")
at = title + len("</title>") if title >= 0 else html.find("</head>")
html = html[:at] + "\n" + engine_block + html[at:]

# The UI wasm's loader: Trunk's module script imports the UI's glue and
# fetches its wasm at once, and Trunk's <link rel=modulepreload>/<link
# rel=preload> start both while the head is parsed — sharing a slow link
# with the engine's bytes. Replace them: the loader waits for the engine's
# response to be fully received (`received`, web/engine-boot.js), then
# fetches the UI's wasm and glue together. From a cache that wait is nil.
ui_loader = re.search(
    r"<script type=\"module\">\s*import init, \* as bindings from '\./(sendtrust-web-[0-9a-f]+\.js)';"
    r"\s*const wasm = await init\(\{ module_or_path: '\./(sendtrust-web-[0-9a-f]+_bg\.wasm)' \}\);.*?</script>",
    html,
    flags=re.S,
)
if ui_loader is None and "sendtrustEngine?.received" not in html:
    sys.exit(f"shell: Trunk's loader of the UI wasm not found in {index} (did Trunk change its output?)")
if ui_loader is not None:
    ui_glue, ui_wasm = ui_loader.group(1), ui_loader.group(2)
    loader = (
        '<script type="module">\n'
        "await globalThis.sendtrustEngine?.received;\n"
        f'const response = fetch("./{ui_wasm}");\n'
        f'const bindings = await import("./{ui_glue}");\n'
        "const wasm = await bindings.default({ module_or_path: response });\n"
        "window.wasmBindings = bindings;\n"
        'dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));\n'
        "</script>"
    )
    html = html[: ui_loader.start()] + loader + html[ui_loader.end() :]
    for name in (ui_glue, ui_wasm):
        html, preloads = re.subn(
            rf"<link rel=\"(?:modulepreload|preload)\" href=\"\./{re.escape(name)}\"[^>]*>", "", html
        )
        if preloads != 1:
            sys.exit(f"shell: expected one preload of {name} from Trunk in {index}, found {preloads}")

# Re-runs on the same file replace the earlier shell.
html = re.sub(r"<!-- shell -->.*<!-- /shell -->\n?", "", html, flags=re.S)
if "</body>" not in html:
    sys.exit(f"shell: no </body> in {index}")
fragment = f"<!-- shell -->\n{done.stdout}<!-- /shell -->\n"
html = html.replace("</body>", fragment + "</body>", 1)
index.write_text(html, encoding="utf-8")
print(f"shell: {len(done.stdout)} bytes of shell and the engine loader ({engine_glue}) put into {index}")



def run(script):
    step = subprocess.run([sys.executable, str(ROOT / "scripts" / script), *sys.argv[1:]], env=os.environ)
    if step.returncode != 0:
        sys.exit(step.returncode)


def write_service_worker():
    """dist/sw.js (web/sw.js) with the build's file list and a digest of the
    build as its version: the page works offline after one visit."""
    files = sorted(
        p for p in stage.rglob("*") if p.is_file() and p.name != "sw.js" and not p.name.endswith((".br", ".gz"))
    )
    names = [p.relative_to(stage).as_posix() for p in files]
    digest = hashlib.sha256()
    for name, path in zip(names, files):
        digest.update(name.encode() + b"\0" + path.read_bytes())
    template = (ROOT / "web" / "sw.js").read_text(encoding="utf-8")
    if '"BUILD_VERSION"' not in template or '["BUILD_ASSETS"]' not in template:
        sys.exit("shell: web/sw.js lacks its BUILD_VERSION / BUILD_ASSETS placeholders")
    worker = template.replace('"BUILD_VERSION"', json.dumps(digest.hexdigest()[:16])).replace(
        '["BUILD_ASSETS"]', json.dumps(names)
    )
    (stage / "sw.js").write_text(worker, encoding="utf-8")
    print(f"shell: sw.js caches {len(names)} files for offline use")


# The JS API module names the engine's hashed files: after the renaming above.
# The service worker lists the finished files: after the CSP is in the pages.
run("api_module.py")
run("csp.py")
write_service_worker()
run("size.py")
