//! Golden reports: the whole `Report` of every message in the corpora,
//! compared with a committed JSON file, so that a change anywhere in the
//! engine shows as a reviewable diff of what people see.
//!
//! Corpora and modes (goldens under `tests/golden/<corpus>/<stem>.<mode>.json`):
//!
//! | corpus | files | offline | bench |
//! |---|---|---|---|
//! | `samples` | `web/samples/*.eml` (the page's sample buttons) | yes | yes |
//! | `dkim` | `tests/fixtures/dkim/*.eml` (signed by dkimpy) | yes | yes |
//! | `handoff` | `tests/fixtures/received/*.eml` (the hand-off corpus) | yes | no (real-world names) |
//! | `hostile` | `web/hostile/cases/*.eml` (the committed, small cases) | yes | no |
//! | `dmarc` | `tests/fixtures/dmarc/*.eml` | no | yes |
//! | `beyond` | `tests/fixtures/beyond/*.eml` | no | yes |
//!
//! "bench" is the DNS test bench (`tests/bench/`) with the default options
//! (default blocklists). Every analysis uses one fixed "now"
//! ([`NOW`]) so DKIM expiry reads the same on every day.
//!
//! What legitimately varies between runs is normalised away before the
//! comparison ([`normalize`]): each DNS log entry's timings (`ms`,
//! `started_ms`), the bench's URL (its ports are chosen at start), the
//! order of the DNS log (rules ask concurrently, so answers arrive in any
//! order; the log is compared as a sorted list) and of the answers within
//! one log entry (an RRset has no order; BIND rotates it).
//!
//! Every report must also read back from its JSON unchanged (the page's
//! worker sends reports as JSON).
//!
//! `SENDTRUST_BLESS=1 cargo test -p sendtrust-tests --test golden` rewrites
//! the goldens (and removes those whose message is gone); review the
//! `git diff` of `tests/golden/` before committing it. Without it, a
//! difference fails the test with a path-by-path diff of every report that
//! changed.

use sendtrust::{Options, analyze};
use sendtrust_tests::{bench, doh_config, repo_root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// "Now" for every analysis: 2027-01-15, after every signature's `t=` in
/// the corpora, so no signature reads as "from the future".
const NOW: u64 = 1_800_000_000;

/// What stands for the bench's DoH URL (its port changes per start).
const BENCH_URL: &str = "<bench DoH URL>";

/// Differences shown per report (the rest are counted).
const SHOWN_DIFFERENCES: usize = 40;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Offline,
    Bench,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Offline => "offline",
            Mode::Bench => "bench",
        }
    }
}

/// One corpus: its name, the folder of its messages (from the repo root) and
/// the modes it runs in.
struct Corpus {
    name: &'static str,
    dir: &'static str,
    modes: &'static [Mode],
}

const CORPORA: &[Corpus] = &[
    Corpus {
        name: "samples",
        dir: "web/samples",
        modes: &[Mode::Offline, Mode::Bench],
    },
    Corpus {
        name: "dkim",
        dir: "tests/fixtures/dkim",
        modes: &[Mode::Offline, Mode::Bench],
    },
    Corpus {
        name: "handoff",
        dir: "tests/fixtures/received",
        modes: &[Mode::Offline],
    },
    Corpus {
        name: "hostile",
        dir: "web/hostile/cases",
        modes: &[Mode::Offline],
    },
    Corpus {
        name: "dmarc",
        dir: "tests/fixtures/dmarc",
        modes: &[Mode::Bench],
    },
    Corpus {
        name: "beyond",
        dir: "tests/fixtures/beyond",
        modes: &[Mode::Bench],
    },
];

fn golden_dir() -> PathBuf {
    repo_root().join("tests/golden")
}

fn blessing() -> bool {
    std::env::var_os("SENDTRUST_BLESS").is_some_and(|v| v == "1")
}

/// The `.eml` files of a corpus, sorted.
fn messages(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

fn options(mode: Mode) -> Options {
    let dns = match mode {
        Mode::Offline => sendtrust::dns::DnsConfig::offline(),
        Mode::Bench => doh_config(&bench().doh),
    };
    Options {
        dns,
        now: Some(NOW),
        ..Options::default()
    }
}

/// The report (or the input error) as JSON, normalised.
async fn golden_value(raw: &[u8], mode: Mode) -> Value {
    match analyze(raw, &options(mode)).await {
        Ok(report) => {
            let mut value = serde_json::to_value(&report)
                .unwrap_or_else(|e| panic!("serialising a report: {e}"));
            // The page reads reports back from JSON (the worker's events):
            // every report must survive the round trip unchanged.
            let back: sendtrust::Report = serde_json::from_value(value.clone())
                .unwrap_or_else(|e| panic!("reading a report back: {e}"));
            let again = serde_json::to_value(&back)
                .unwrap_or_else(|e| panic!("serialising a report read back: {e}"));
            assert!(again == value, "a report changed on its way through JSON");
            // … and through the page's own reader of the engine's text.
            let text = serde_json::to_string(&report)
                .unwrap_or_else(|e| panic!("serialising a report: {e}"));
            let read: sendtrust::Report = sendtrust::report::json::from_str(&text)
                .unwrap_or_else(|e| panic!("the page's reader: {e}"));
            assert!(read == back, "the page's reader read another report");
            // … and each rule's details read back as the same type.
            for (read, made) in back.rules.iter().zip(&report.rules) {
                assert_eq!(
                    read.details.as_ref().map(std::mem::discriminant),
                    made.details.as_ref().map(std::mem::discriminant),
                    "{}: details read back as another type",
                    made.id.as_str()
                );
            }
            normalize(&mut value, mode);
            value
        }
        Err(error) => serde_json::json!({ "input_error": format!("{error:?}") }),
    }
}

/// Removes what legitimately varies between two runs of the same analysis.
fn normalize(report: &mut Value, mode: Mode) {
    if mode == Mode::Bench {
        let url = &bench().doh;
        replace_strings(report, url, BENCH_URL);
    }
    if let Some(log) = report.get_mut("dns_log").and_then(Value::as_array_mut) {
        for entry in log.iter_mut() {
            if let Some(entry) = entry.as_object_mut() {
                entry.remove("ms");
                entry.remove("started_ms");
                // An RRset has no order; BIND rotates it.
                if let Some(answers) = entry.get_mut("answers").and_then(Value::as_array_mut) {
                    answers.sort_by_key(|a| a.to_string());
                }
            }
        }
        log.sort_by_key(|entry| entry.to_string());
    }
}

fn replace_strings(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}

/// Path-by-path differences between two JSON values (`old` is the golden).
fn differences(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let here = format!("{path}.{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => differences(&here, x, y, out),
                    (Some(x), None) => out.push(format!("- {here}: {}", short(x))),
                    (None, Some(y)) => out.push(format!("+ {here}: {}", short(y))),
                    (None, None) => {}
                }
            }
        }
        // The DNS log is a sorted multiset (see `normalize`): an entry more
        // or less would shift every later index, so say which ones.
        (Value::Array(a), Value::Array(b)) if path == "$.dns_log" => {
            let mut only_new: Vec<&Value> = b.iter().collect();
            for entry in a {
                match only_new.iter().position(|e| *e == entry) {
                    Some(i) => {
                        only_new.remove(i);
                    }
                    None => out.push(format!("- {path}[]: {}", short(entry))),
                }
            }
            for entry in only_new {
                out.push(format!("+ {path}[]: {}", short(entry)));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let here = format!("{path}[{i}]");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => differences(&here, x, y, out),
                    (Some(x), None) => out.push(format!("- {here}: {}", short(x))),
                    (None, Some(y)) => out.push(format!("+ {here}: {}", short(y))),
                    (None, None) => {}
                }
            }
        }
        _ if old != new => out.push(format!(
            "~ {path}:\n      was {}\n      now {}",
            short(old),
            short(new)
        )),
        _ => {}
    }
}

/// A value in one line, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 300 {
        let cut: String = text.chars().take(300).collect();
        format!("{cut}… ({} chars)", text.chars().count())
    } else {
        text
    }
}

/// Runs every corpus in `mode`; compares with (or, blessing, rewrites) the
/// goldens. Returns the failures, one readable block each.
async fn check_mode(mode: Mode) -> Vec<String> {
    let bless = blessing();
    let mut failures = Vec::new();
    let mut compared = 0;
    for corpus in CORPORA.iter().filter(|c| c.modes.contains(&mode)) {
        let out_dir = golden_dir().join(corpus.name);
        std::fs::create_dir_all(&out_dir)
            .unwrap_or_else(|e| panic!("creating {}: {e}", out_dir.display()));
        let suffix = format!(".{}.json", mode.name());
        let mut expected_files = BTreeSet::new();
        for path in messages(&repo_root().join(corpus.dir)) {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_else(|| panic!("a file name that is not UTF-8: {}", path.display()));
            let golden = out_dir.join(format!("{stem}{suffix}"));
            expected_files.insert(golden.clone());
            let raw =
                std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let now = golden_value(&raw, mode).await;
            let pretty = serde_json::to_string_pretty(&now)
                .unwrap_or_else(|e| panic!("serialising: {e}"))
                + "\n";
            compared += 1;
            if bless {
                std::fs::write(&golden, pretty)
                    .unwrap_or_else(|e| panic!("writing {}: {e}", golden.display()));
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&golden) else {
                failures.push(format!(
                    "{}: no golden (run with SENDTRUST_BLESS=1)",
                    golden.display()
                ));
                continue;
            };
            let was: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", golden.display()));
            if was != now {
                let mut diff = Vec::new();
                differences("$", &was, &now, &mut diff);
                let mut block = format!(
                    "{} ({} vs {}): {} difference(s)\n",
                    golden.display(),
                    path.display(),
                    mode.name(),
                    diff.len()
                );
                for line in diff.iter().take(SHOWN_DIFFERENCES) {
                    let _ = writeln!(block, "  {line}");
                }
                if diff.len() > SHOWN_DIFFERENCES {
                    let _ = writeln!(block, "  … {} more", diff.len() - SHOWN_DIFFERENCES);
                }
                failures.push(block);
            }
        }
        // A golden whose message is gone is stale.
        for entry in std::fs::read_dir(&out_dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", out_dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
        {
            let ours = entry
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&suffix));
            if ours && !expected_files.contains(&entry) {
                if bless {
                    let _ = std::fs::remove_file(&entry);
                } else {
                    failures.push(format!("{}: stale golden (no message)", entry.display()));
                }
            }
        }
    }
    assert!(compared > 0, "no message analysed in mode {}", mode.name());
    eprintln!(
        "golden ({}): {compared} reports {}",
        mode.name(),
        if bless { "written" } else { "compared" }
    );
    failures
}

fn report_failures(mode: Mode, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} report(s) differ from their goldens ({}); if the change is deliberate, \
         rerun with SENDTRUST_BLESS=1 and review `git diff tests/golden`:\n\n{}",
        failures.len(),
        mode.name(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn offline_reports_match_their_goldens() {
    let failures = check_mode(Mode::Offline).await;
    report_failures(Mode::Offline, failures);
}

#[tokio::test(flavor = "current_thread")]
async fn bench_reports_match_their_goldens() {
    let failures = check_mode(Mode::Bench).await;
    report_failures(Mode::Bench, failures);
}

#[test]
fn the_diff_names_each_changed_path() {
    let was = serde_json::json!({"rules": [{"verdict": "pass", "x": 1}], "gone": true});
    let now = serde_json::json!({"rules": [{"verdict": "fail", "x": 1}], "new": [1]});
    let mut diff = Vec::new();
    differences("$", &was, &now, &mut diff);
    assert_eq!(
        diff,
        [
            "- $.gone: true",
            "+ $.new: [1]",
            "~ $.rules[0].verdict:\n      was \"pass\"\n      now \"fail\""
        ]
    );
}

#[test]
fn the_diff_names_dns_log_entries_gone_and_new() {
    let was = serde_json::json!({"dns_log": [{"name": "a"}, {"name": "b"}, {"name": "c"}]});
    let now = serde_json::json!({"dns_log": [{"name": "a"}, {"name": "c"}, {"name": "d"}]});
    let mut diff = Vec::new();
    differences("$", &was, &now, &mut diff);
    assert_eq!(
        diff,
        [
            "- $.dns_log[]: {\"name\":\"b\"}",
            "+ $.dns_log[]: {\"name\":\"d\"}"
        ]
    );
}

#[test]
fn normalising_drops_timings_and_sorts_the_log() {
    let mut report = serde_json::json!({"dns_log": [
        {"name": "b.test", "ms": 5, "started_ms": 9},
        {"name": "a.test", "ms": 1, "started_ms": 2},
    ]});
    normalize(&mut report, Mode::Offline);
    assert_eq!(
        report,
        serde_json::json!({"dns_log": [{"name": "a.test"}, {"name": "b.test"}]})
    );
}
