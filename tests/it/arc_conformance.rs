//! The ARC validation half-suite (tests/conformance/arc/arc-validation-half.yml,
//! every other case of ValiMail's arc_test_suite, MIT) through the product's
//! path: `sendtrust::arc::check` (the analysis's ARC evaluation: the strict
//! judge, then mail-auth's verification over a DoH `Resolver`) against real
//! DNS — BIND 9 behind dnsdist's DoH, one BIND view and one DoH URL per YAML
//! document, each serving that document's `txt-records`
//! (tests/conformance/arc/arc_bench.py; README.md there).
//!
//! `cargo test -p sendtrust-tests --test arc_conformance -- --nocapture`
//! prints the table. Messages are converted from LF to CRLF; an empty `cv`
//! means Fail (as the suite's drivers read it). A case that gives another
//! result fails the test unless it is in [`KNOWN_FAILURES`] with exactly that
//! result; a listed case that gives the right result (or another wrong one)
//! fails it too, so the list cannot go stale.

use futures::StreamExt;
use sendtrust::arc;
use sendtrust::dns::{DnsConfig, Resolver};
use sendtrust::report::ArcResult;
use sendtrust_tests::{doh_config, repo_root};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

/// Cases known to give a wrong result: (case name, the wrong result it gives).
/// Empty: every case of the half-suite is right.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Cases evaluated at the same time (each with its own resolver and cache).
const CONCURRENCY: usize = 8;

#[derive(Deserialize)]
struct Suite {
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    index: usize,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    description: String,
    message: String,
    cv: String,
}

fn arc_dir() -> PathBuf {
    repo_root().join("tests/conformance/arc")
}

/// Starts the suite's DNS (or reuses a running one with the same data) once
/// per test process; `SENDTRUST_ARC_BENCH_JSON` names a running one's
/// bench.json instead.
fn endpoints() -> &'static [String] {
    static ENDPOINTS: OnceLock<Vec<String>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        sendtrust_tests::views_bench_endpoints(
            "SENDTRUST_ARC_BENCH_JSON",
            "tests/conformance/arc/arc_bench.py",
            "tests/conformance/arc/run/bench.json",
            "the ARC conformance DNS",
        )
    })
}

/// The suite's expected `cv` as a result word: an empty `cv` is Fail.
fn expected(cv: &str) -> &'static str {
    match cv.trim().to_ascii_lowercase().as_str() {
        "pass" => "pass",
        "none" => "none",
        _ => "fail",
    }
}

/// LF line ends to CRLF (a CR already before an LF is kept once).
fn crlf(message: &str) -> Vec<u8> {
    message
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

struct Outcome {
    scenario: usize,
    name: String,
    description: String,
    expected: &'static str,
    got: String,
    reason: String,
}

async fn run_case(scenario: usize, resolver: &Resolver, case: &Case) -> Outcome {
    let session = resolver.new_log();
    let report = arc::check(&crlf(&case.message), &session).await;
    let (got, reason) = match &report {
        None => (ArcResult::None.as_str().to_string(), String::new()),
        Some(r) => match r.result {
            Some(result) => (
                result.as_str().to_string(),
                r.reason.clone().unwrap_or_default(),
            ),
            None => (
                "could-not-check".to_string(),
                r.could_not_check.clone().unwrap_or_default(),
            ),
        },
    };
    Outcome {
        scenario,
        name: case.name.clone(),
        description: case.description.clone(),
        expected: expected(&case.cv),
        got,
        reason,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn arc_validation_half_suite() {
    let started = Instant::now();
    let text = std::fs::read_to_string(arc_dir().join("arc-validation-half.json"))
        .expect("tests/conformance/arc/arc-validation-half.json (run convert.py)");
    let suite: Suite = serde_json::from_str(&text).expect("arc-validation-half.json");
    let endpoints = endpoints();
    assert_eq!(
        endpoints.len(),
        suite.scenarios.len(),
        "one DoH endpoint per YAML document"
    );
    let sessions: Vec<Resolver> = endpoints
        .iter()
        .map(|url| Resolver::new(doh_config(url)))
        .collect();
    let jobs = suite.scenarios.iter().flat_map(|scenario| {
        let session = &sessions[scenario.index];
        scenario
            .tests
            .iter()
            .map(move |case| run_case(scenario.index, session, case))
    });
    let mut outcomes: Vec<Outcome> = futures::stream::iter(jobs)
        .buffered(CONCURRENCY)
        .collect()
        .await;
    outcomes.sort_by_key(|o| o.scenario);

    println!(
        "{:<3} {:<28} {:<8} {:<16} {:<5} reason",
        "doc", "case", "expected", "got", "ok"
    );
    let mut problems = Vec::new();
    let mut right = 0;
    for o in &outcomes {
        let ok = o.got == o.expected;
        right += usize::from(ok);
        println!(
            "{:<3} {:<28} {:<8} {:<16} {:<5} {} ({})",
            o.scenario,
            o.name,
            o.expected,
            o.got,
            if ok { "ok" } else { "WRONG" },
            o.reason,
            o.description
        );
        let listed = KNOWN_FAILURES.iter().find(|(name, _)| *name == o.name);
        match (ok, listed) {
            (true, Some(_)) => problems.push(format!(
                "{} is listed in KNOWN_FAILURES but now gives the right result {}: remove it",
                o.name, o.got
            )),
            (false, Some((_, wrong))) if *wrong != o.got => problems.push(format!(
                "{} is listed as giving {wrong} but gives {} (expected {})",
                o.name, o.got, o.expected
            )),
            (false, None) => problems.push(format!(
                "{}: expected {}, got {} — {}",
                o.name, o.expected, o.got, o.reason
            )),
            _ => {}
        }
    }
    for (name, _) in KNOWN_FAILURES {
        if !outcomes.iter().any(|o| o.name == *name) {
            problems.push(format!(
                "KNOWN_FAILURES names {name}, which is not in the suite"
            ));
        }
    }
    let total: usize = suite.scenarios.iter().map(|s| s.tests.len()).sum();
    println!(
        "\nARC half-suite: {right}/{total} cases right; {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(outcomes.len(), total, "every case ran");
    assert!(total >= 85, "the half-suite has 85 cases, found {total}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The suite's messages outside the suite's DNS: a well-formed chain whose
/// keys cannot be fetched is "could not check", never pass or fail; a chain
/// that is broken in itself fails without DNS.
#[tokio::test(flavor = "current_thread")]
async fn dns_failures_are_no_verdict_and_broken_chains_fail_without_dns() {
    let text = std::fs::read_to_string(arc_dir().join("arc-validation-half.json"))
        .expect("arc-validation-half.json");
    let suite: Suite = serde_json::from_str(&text).expect("arc-validation-half.json");
    let case = |name: &str| {
        suite
            .scenarios
            .iter()
            .flat_map(|s| s.tests.iter())
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name} is in the suite"))
    };
    // Nothing listens on port 9 of loopback: every lookup is a network failure.
    let unreachable = Resolver::new(doh_config("http://127.0.0.1:9/dns-query"));
    let offline = Resolver::new(DnsConfig::offline());
    for resolver in [&unreachable, &offline] {
        let passing = arc::check(&crlf(&case("cv_pass_i2_2").message), resolver)
            .await
            .expect("an ARC report");
        assert_eq!(passing.result, None, "{passing:#?}");
        assert!(passing.could_not_check.is_some(), "{passing:#?}");
        assert_eq!(passing.status(), "unknown");
        let broken = arc::check(&crlf(&case("as_struct_missing").message), resolver)
            .await
            .expect("an ARC report");
        assert_eq!(broken.result, Some(ArcResult::Fail), "{broken:#?}");
        assert_eq!(broken.broken_instance, Some(1), "{broken:#?}");
        assert!(broken.could_not_check.is_none());
    }
    let reason = arc::check(&crlf(&case("cv_pass_i2_2").message), &unreachable)
        .await
        .and_then(|r| r.could_not_check)
        .unwrap_or_default();
    assert!(reason.contains("_domainkey.example.org"), "{reason}");
}

/// The fallback verifier (`arc::verify`, used when mail-auth cannot read a
/// chain the judge accepts) on its own, in place of mail-auth for every case:
/// it must agree with the suite everywhere too, so its canonicalization,
/// header selection, key handling and seal checks are all exercised.
#[tokio::test(flavor = "current_thread")]
async fn the_fallback_verifier_alone_agrees_with_the_suite() {
    use sendtrust::arc::judge::{self, Field, Verdict};
    use sendtrust::message::ParsedMessage;
    let text = std::fs::read_to_string(arc_dir().join("arc-validation-half.json"))
        .expect("arc-validation-half.json");
    let suite: Suite = serde_json::from_str(&text).expect("arc-validation-half.json");
    let endpoints = endpoints();
    let mut wrong = Vec::new();
    let mut verified = 0;
    for scenario in &suite.scenarios {
        let resolver = Resolver::new(doh_config(&endpoints[scenario.index]));
        for case in &scenario.tests {
            let raw = crlf(&case.message);
            let parsed = ParsedMessage::parse(&raw, false);
            let found = arc::fields(&parsed);
            let fields: Vec<Field<'_>> = found
                .iter()
                .map(|(kind, value)| Field { kind: *kind, value })
                .collect();
            let read = judge::chain(&fields);
            let verdict = match (judge::without_dns(&read), read) {
                (Some(verdict), _) => verdict,
                (None, Ok(Some(chain))) => {
                    verified += 1;
                    let crypto = arc::verify::verify(&resolver, &raw, &chain).await;
                    let keys = arc::lookup::key_sizes(&resolver, &chain);
                    judge::judge(&chain, &keys, &crypto)
                }
                (None, _) => Verdict::None,
            };
            let got = match &verdict {
                Verdict::None => "none",
                Verdict::Pass => "pass",
                Verdict::Fail(_) => "fail",
                Verdict::CouldNotCheck(_) => "could-not-check",
            };
            if got != expected(&case.cv) {
                wrong.push(format!("{}: {got} ({verdict:?})", case.name));
            }
        }
    }
    assert!(
        verified >= 40,
        "only {verified} chains reached the signatures"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
