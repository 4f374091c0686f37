"""The engine wasm's file names in a Trunk stage: shared by scripts/shell.py
(which names them by hash and loads them from the page's head) and
scripts/api_module.py (which writes the JS API over them)."""

import re
import sys
from pathlib import Path


def engine_files(stage: Path, who: str) -> tuple[str, str]:
    """(wasm, glue): the one sendtrust-engine-<hash>_bg.wasm in `stage` and its
    wasm-bindgen glue; exits naming `who` when either is missing or ambiguous."""
    wasms = sorted(p.name for p in stage.glob("sendtrust-engine-*_bg.wasm"))
    if len(wasms) != 1 or not re.fullmatch(r"sendtrust-engine-[0-9a-f]+_bg\.wasm", wasms[0]):
        sys.exit(f"{who}: expected one sendtrust-engine-<hash>_bg.wasm in {stage}, found {wasms}")
    wasm = wasms[0]
    glue = wasm.removesuffix("_bg.wasm") + ".js"
    if not (stage / glue).is_file():
        sys.exit(f"{who}: {glue} (the glue of {wasm}) is missing from {stage}")
    return wasm, glue
