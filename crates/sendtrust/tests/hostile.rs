//! The hostile-input corpus (web/hostile/, see its make.py) through the whole
//! engine: every case must give a report or the expected `InputError` — no
//! panic, no hang. Each case runs twice: offline, and with a resolver that
//! stands for DNS (every question fails at once), where the number of DNS
//! questions the message makes the engine ask must stay under
//! [`MAX_QUESTIONS`] (a message must not turn the reader into a DNS
//! amplifier). The time of each case is measured and printed
//! (`cargo test -p sendtrust --test hostile -- --nocapture`); it is not a
//! speed goal: only a case over [`HANG`] fails (a hang, or work that is not
//! linear in the input).
//!
//! The corpus is generated into a temporary directory by
//! `python3 web/hostile/make.py --out <dir>`; its large cases (the 25 MB
//! attachment, 50 000 Received fields, …) are never committed.

use sendtrust::dns::{DnsConfig, Resolver};
use sendtrust::{InputError, NoObserver, Options, Report, analyze, analyze_with};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A case slower than this has hung (generous: debug builds, 2 shared cores).
const HANG: Duration = Duration::from_secs(60);

/// DNS questions one message may cause (ordinary mail: 15–25).
const MAX_QUESTIONS: usize = 100;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Generates the corpus into a fresh temporary directory.
fn generate() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sendtrust-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new("python3")
        .arg(repo_root().join("web/hostile/make.py"))
        .arg("--out")
        .arg(&dir)
        .status()
        .unwrap_or_else(|e| panic!("running python3 web/hostile/make.py: {e}"));
    assert!(status.success(), "web/hostile/make.py failed: {status}");
    dir
}

fn options() -> Options {
    Options {
        dns: DnsConfig::offline(),
        now: Some(1_751_364_000),
        ..Options::default()
    }
}

/// What one case gave: hops, bytes of JSON (serialised as the CLI and the
/// page do) and DNS questions asked when online — or the error.
type Outcome = Result<(usize, usize, usize), InputError>;

fn run_case(data: Vec<u8>) -> Outcome {
    let report: Report = futures::executor::block_on(analyze(&data, &options()))?;
    let json = serde_json::to_string(&report).unwrap_or_else(|e| panic!("serialising: {e}"));
    let online = Options {
        dns: DnsConfig::default(),
        ..options()
    };
    let resolver = Resolver::with_fixtures_as_dns([]);
    let questions =
        futures::executor::block_on(analyze_with(&data, &online, &resolver, &NoObserver))?
            .dns_log
            .len();
    Ok((report.hops.len(), json.len(), questions))
}

#[test]
fn hostile_corpus_gives_a_report_or_an_input_error_in_bounded_time() {
    let dir = generate();
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).unwrap_or_else(|e| panic!("manifest: {e}")),
    )
    .unwrap_or_else(|e| panic!("manifest: {e}"));
    let cases = manifest["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() >= 50, "only {} cases", cases.len());

    let mut failures = Vec::new();
    let mut total = Duration::ZERO;
    let mut slowest = (Duration::ZERO, String::new());
    println!(
        "{:<40} {:>10} {:>9} {:>8}  outcome",
        "case", "bytes", "ms", "MB/s"
    );
    for case in &cases {
        let file = case["file"].as_str().unwrap_or_default().to_string();
        let data = std::fs::read(dir.join(&file)).unwrap_or_else(|e| panic!("reading {file}: {e}"));
        let bytes = data.len();
        // Each case on its own thread, so a hang is reported (after HANG)
        // instead of stopping the test run.
        let (send, receive) = mpsc::channel();
        let started = Instant::now();
        std::thread::Builder::new()
            .name(file.clone())
            .stack_size(8 << 20)
            .spawn(move || {
                let _ = send.send(run_case(data));
            })
            .unwrap_or_else(|e| panic!("spawning: {e}"));
        let outcome = receive.recv_timeout(HANG);
        let elapsed = started.elapsed();
        total += elapsed;
        if elapsed > slowest.0 {
            slowest = (elapsed, file.clone());
        }
        let expect = case["engine"]["expect"].as_str().unwrap_or_default();
        let want_kind = case["engine"]["error_kind"].as_str();
        let shown = match &outcome {
            Ok(Ok((hops, json, questions))) => {
                format!("report: {hops} hops, {json} bytes of JSON, {questions} DNS questions")
            }
            Ok(Err(e)) => format!("input error: {}", error_kind(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => format!("HUNG (> {} s)", HANG.as_secs()),
            Err(mpsc::RecvTimeoutError::Disconnected) => "PANICKED".to_string(),
        };
        println!(
            "{:<40} {:>10} {:>9} {:>8.1}  {shown}",
            file,
            bytes,
            elapsed.as_millis(),
            bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-6)
        );
        let ok = match (&outcome, expect) {
            (Ok(Ok((_, _, questions))), "report") => *questions <= MAX_QUESTIONS,
            (Ok(Err(e)), "input-error") => want_kind.is_none_or(|k| k == error_kind(e)),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{file}: expected {expect}{} (and at most {MAX_QUESTIONS} DNS questions), got {shown}",
                want_kind.map(|k| format!(" ({k})")).unwrap_or_default()
            ));
        }
    }
    println!(
        "{} cases in {:.1} s; slowest {} ({} ms)",
        cases.len(),
        total.as_secs_f64(),
        slowest.1,
        slowest.0.as_millis()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn error_kind(e: &InputError) -> &'static str {
    match e {
        InputError::Empty => "empty",
        InputError::Binary { .. } => "binary",
        InputError::NoHeaders { .. } => "no-headers",
    }
}
