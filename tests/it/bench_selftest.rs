//! The benches' shared Python library (tests/bench/benchlib.py) tests itself
//! on a private bench in a temporary directory: reuse reloads changed zones,
//! a zone that does not load is an error (and the running bench keeps its
//! data), bench.py's zone scan rejects a zone named-checkzone rejects.

use sendtrust_tests::repo_root;
use std::process::Command;

#[test]
fn benchlib_reloads_on_reuse_and_rejects_zones_that_do_not_load() {
    let python = std::env::var("SENDTRUST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = repo_root().join("tests/bench/benchlib_selftest.py");
    let output = Command::new(&python)
        .arg(&script)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("running {python} {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
