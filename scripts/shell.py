#!/usr/bin/env python3
"""Trunk post_build hook: puts the static shell into the built index.html,
then runs the hooks that read the finished page, in order (Trunk runs the
hooks of one stage concurrently, and both of these read index.html):
scripts/csp.py (hashes the shell's inline script) and scripts/size.py
(bytes before first paint).

The shell is the app's own first screen rendered to HTML by the page crate
built natively (`cargo run -p sendtrust-web -- shell`, crates/sendtrust-web/
src/shell.rs): the full page, the embed-mode page in a <template>, and the
small script that picks one before the first paint.

    scripts/shell.py [DIST_DIR]      (default: TRUNK_STAGING_DIR)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

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

# Re-runs on the same file replace the earlier shell.
html = re.sub(r"<!-- shell -->.*<!-- /shell -->\n?", "", html, flags=re.S)
if "</body>" not in html:
    sys.exit(f"shell: no </body> in {index}")
fragment = f"<!-- shell -->\n{done.stdout}<!-- /shell -->\n"
html = html.replace("</body>", fragment + "</body>", 1)
index.write_text(html, encoding="utf-8")
print(f"shell: {len(done.stdout)} bytes of shell put into {index}")

for script in ("csp.py", "size.py"):
    step = subprocess.run([sys.executable, str(ROOT / "scripts" / script), *sys.argv[1:]], env=os.environ)
    if step.returncode != 0:
        sys.exit(step.returncode)
