//! Helpers for Sendtrust's integration tests: the DNS test bench (BIND behind
//! dnsdist's DoH on loopback) and the fixture files.

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A fixture file under `tests/fixtures/`.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = repo_root().join("tests/fixtures").join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("fixture {}: {e}", full.display()))
}
