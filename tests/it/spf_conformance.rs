//! The openspf RFC 7208 test suite (tests/conformance/spf/rfc7208-tests.yml,
//! release 2014.04 + 2019.08 additions) through exactly the path the page and
//! the CLI use: `sendtrust::rules::spf::evaluate` — what rule 4 calls once it
//! has picked the identities, IPv4-mapped client addresses turned into IPv4
//! there — with a DoH `Resolver`, against real DNS: BIND 9 behind dnsdist's
//! DoH, one BIND view and one DoH URL per scenario
//! (tests/conformance/spf/spf_bench.py; README.md there).
//!
//! Run with `cargo test -p sendtrust-tests --test spf_conformance -- --nocapture`
//! to see the table. A case passes when the result is one of the expected
//! results and, for the 22 cases that give one, the explanation is the
//! expected text. A case that does not pass must be listed in
//! tests/conformance/spf/KNOWN_FAILURES.md with the exact wrong answer seen
//! (the `got` column): the test fails when a case fails unlisted, fails with
//! another wrong answer than the listed one, or passes while listed (update
//! the list), and when the counts drop below [`MIN_PASS`] /
//! [`MIN_EXPLANATION_AGREE`].
//! `SENDTRUST_SPF_TRACE=name,name` prints the DNS log and the evaluation of
//! those cases.

use futures::StreamExt;
use sendtrust::dns::Resolver;
use sendtrust::rules::spf::evaluate;
use sendtrust_tests::{doh_config, repo_root};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

/// Cases whose result is one of the expected results: all 203, since the
/// strict reader and evaluator of rules/spf (2026-11-30). Never lower it to
/// make a regression pass.
const MIN_PASS: usize = 203;

/// Cases with an `explanation` whose explanation agrees: all 22.
const MIN_EXPLANATION_AGREE: usize = 22;

/// Cases evaluated at the same time (each with its own resolver and cache).
const CONCURRENCY: usize = 8;

#[derive(Deserialize)]
struct Suite {
    scenarios: Vec<Scenario>,
}

#[derive(Deserialize)]
struct Scenario {
    index: usize,
    description: String,
    tests: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    spec: String,
    helo: String,
    host: String,
    mailfrom: String,
    result: Vec<String>,
    explanation: Option<String>,
}

fn spf_dir() -> PathBuf {
    repo_root().join("tests/conformance/spf")
}

/// Starts the conformance DNS (or reuses a running one with the same data)
/// once per test process; `SENDTRUST_SPF_BENCH_JSON` names a running one's
/// bench.json instead.
fn endpoints() -> &'static [String] {
    static ENDPOINTS: OnceLock<Vec<String>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        sendtrust_tests::views_bench_endpoints(
            "SENDTRUST_SPF_BENCH_JSON",
            "tests/conformance/spf/spf_bench.py",
            "tests/conformance/spf/run/bench.json",
            "the SPF conformance DNS",
        )
    })
}

/// Cases listed in KNOWN_FAILURES.md, each with the wrong answer it gives:
/// the first and fourth columns of its table rows, in backquotes
/// (`| \`name\` | sc | expected | \`got\` | …`). `got` is [`Outcome::answer`].
fn known_failures() -> BTreeMap<String, String> {
    let path = spf_dir().join("KNOWN_FAILURES.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    parse_known_failures(&text)
}

fn parse_known_failures(text: &str) -> BTreeMap<String, String> {
    let unquote = |cell: &str| {
        let cell = cell.trim();
        cell.strip_prefix('`')
            .and_then(|c| c.strip_suffix('`'))
            .map(str::to_string)
    };
    text.lines()
        .filter(|line| line.trim().starts_with("| `"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            Some((unquote(cells.first()?)?, unquote(cells.get(3)?)?))
        })
        .collect()
}

struct Outcome {
    scenario: usize,
    name: String,
    spec: String,
    expected: String,
    got: String,
    ok: bool,
    /// `None` when the case gives no explanation.
    explanation_ok: Option<bool>,
    explanation: String,
    /// The explanation given (`None`: none, which the suite calls DEFAULT).
    got_explanation: Option<String>,
    ms: u128,
}

impl Outcome {
    /// Whether the case passes: result and (when given) explanation.
    fn passes(&self) -> bool {
        self.ok && self.explanation_ok != Some(false)
    }

    /// The answer as KNOWN_FAILURES.md records it: the result, and for a
    /// wrong explanation the explanation too (`fail; exp "text"`).
    fn answer(&self) -> String {
        match self.explanation_ok {
            Some(false) => format!(
                "{}; exp {:?}",
                self.got,
                self.got_explanation.as_deref().unwrap_or("DEFAULT")
            ),
            _ => self.got.clone(),
        }
    }
}

/// The suite's driver sets the default explanation to "DEFAULT": that is what
/// a fail without a usable `exp=` gives, and mail-auth gives no explanation.
fn explanation_agrees(expected: &str, got: Option<&str>) -> bool {
    match got {
        None => expected == "DEFAULT",
        Some(got) => got == expected,
    }
}

async fn run_case(scenario: usize, session: &Resolver, case: &Case) -> Outcome {
    let ip: IpAddr = case
        .host
        .parse()
        .unwrap_or_else(|e| panic!("{}: host {:?}: {e}", case.name, case.host));
    // One session resolver per scenario (as the page keeps one per session),
    // a log of its own per case (as each analysis has).
    let resolver = session.new_log();
    let endpoint = session.config().endpoint.clone().unwrap_or_default();
    let started = Instant::now();
    let evaluation = evaluate(&resolver, ip, &case.helo, &case.mailfrom).await;
    let ms = started.elapsed().as_millis();
    if std::env::var("SENDTRUST_SPF_TRACE")
        .is_ok_and(|names| names.split(',').any(|n| n == case.name))
    {
        println!("--- {} (scenario {scenario}, {endpoint})", case.name);
        for entry in resolver.log() {
            println!(
                "    {} {} {} {:?} {}",
                entry.qtype,
                entry.name,
                entry.status,
                entry.answers,
                entry.detail.unwrap_or_default()
            );
        }
        println!(
            "    {}",
            serde_json::to_string(&evaluation).unwrap_or_default()
        );
    }
    let ok = case.result.iter().any(|r| r == evaluation.result.name());
    let explanation_ok = case
        .explanation
        .as_deref()
        .map(|want| explanation_agrees(want, evaluation.explanation.as_deref()));
    let explanation = match (&case.explanation, &evaluation.explanation) {
        (None, _) => String::new(),
        (Some(want), got) => format!(
            "exp want {want:?} got {:?}",
            got.as_deref().unwrap_or("(none)")
        ),
    };
    Outcome {
        scenario,
        name: case.name.clone(),
        spec: case.spec.clone(),
        expected: case.result.join("|"),
        got: evaluation.result.to_string(),
        ok,
        explanation_ok,
        explanation,
        got_explanation: evaluation.explanation.clone(),
        ms,
    }
}

#[tokio::test(flavor = "current_thread")]
async fn rfc7208_suite() {
    let started = Instant::now();
    let text = std::fs::read_to_string(spf_dir().join("rfc7208-tests.json"))
        .expect("tests/conformance/spf/rfc7208-tests.json (run convert.py)");
    let suite: Suite = serde_json::from_str(&text).expect("rfc7208-tests.json");
    let endpoints = endpoints();
    assert_eq!(
        endpoints.len(),
        suite.scenarios.len(),
        "one DoH endpoint per scenario"
    );
    let dns_ready = started.elapsed();

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
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    // File order: scenario, then the case's position in it.
    let order: BTreeMap<&str, usize> = suite
        .scenarios
        .iter()
        .flat_map(|s| s.tests.iter())
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    outcomes.sort_by_key(|o| order[o.name.as_str()]);

    println!(
        "{:<3} {:<34} {:<9} {:<19} {:<10} {:<4} {:>5} explanation",
        "sc", "test", "spec", "expected", "got", "ok", "ms"
    );
    for o in &outcomes {
        println!(
            "{:<3} {:<34} {:<9} {:<19} {:<10} {:<4} {:>5} {}{}",
            o.scenario,
            o.name,
            o.spec,
            o.expected,
            o.got,
            if o.ok { "ok" } else { "FAIL" },
            o.ms,
            match o.explanation_ok {
                Some(true) => "ok: ",
                Some(false) => "DIFFERS: ",
                None => "",
            },
            o.explanation
        );
    }
    println!();
    println!(
        "{:<3} {:<44} {:>9} {:>12}",
        "sc", "scenario", "passed", "exp agree"
    );
    for scenario in &suite.scenarios {
        let mine: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.scenario == scenario.index)
            .collect();
        let with_exp: Vec<&&Outcome> = mine.iter().filter(|o| o.explanation_ok.is_some()).collect();
        println!(
            "{:<3} {:<44} {:>9} {:>12}",
            scenario.index,
            scenario.description,
            format!("{}/{}", mine.iter().filter(|o| o.ok).count(), mine.len()),
            if with_exp.is_empty() {
                "-".to_string()
            } else {
                format!(
                    "{}/{}",
                    with_exp
                        .iter()
                        .filter(|o| o.explanation_ok == Some(true))
                        .count(),
                    with_exp.len()
                )
            }
        );
    }
    let passed = outcomes.iter().filter(|o| o.ok).count();
    let with_exp = outcomes
        .iter()
        .filter(|o| o.explanation_ok.is_some())
        .count();
    let exp_agree = outcomes
        .iter()
        .filter(|o| o.explanation_ok == Some(true))
        .count();
    println!();
    println!(
        "RFC 7208 suite: {passed}/{} cases pass; explanations agree {exp_agree}/{with_exp}; \
         DNS ready in {:.1?}, all cases in {:.1?}",
        outcomes.len(),
        dns_ready,
        started.elapsed()
    );

    let known = known_failures();
    let problems = known_failure_problems(&outcomes, &known);
    assert!(
        problems.is_empty(),
        "KNOWN_FAILURES.md does not match what the suite gives:\n  {}",
        problems.join("\n  ")
    );
    assert!(
        passed >= MIN_PASS,
        "{passed} cases pass, fewer than MIN_PASS = {MIN_PASS}"
    );
    assert!(
        exp_agree >= MIN_EXPLANATION_AGREE,
        "{exp_agree} explanations agree, fewer than MIN_EXPLANATION_AGREE = {MIN_EXPLANATION_AGREE}"
    );
}

/// Every way the outcomes and the list disagree: a failing case not listed,
/// listed with another wrong answer, or a listed case that passes.
fn known_failure_problems(outcomes: &[Outcome], known: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    for o in outcomes {
        match (o.passes(), known.get(&o.name)) {
            (false, None) => problems.push(format!(
                "{} fails (got `{}`, expected {}) and is not listed: a regression, or list it with the reason",
                o.name,
                o.answer(),
                o.expected
            )),
            (false, Some(listed)) if *listed != o.answer() => problems.push(format!(
                "{} is listed as giving `{listed}` but gives `{}`",
                o.name,
                o.answer()
            )),
            (true, Some(listed)) => problems.push(format!(
                "{} passes now but is listed (as `{listed}`): remove it and raise MIN_PASS",
                o.name
            )),
            _ => {}
        }
    }
    for name in known.keys() {
        if !outcomes.iter().any(|o| &o.name == name) {
            problems.push(format!("{name} is listed but is not a case of the suite"));
        }
    }
    problems
}

#[test]
fn known_failures_are_keyed_by_case_and_answer() {
    let list = "| test | sc | expected | got | kind | reason |\n\
                | --- | --- | --- | --- | --- | --- |\n\
                | `a` | 0 | permerror | `neutral` | M | why |\n\
                | `b` | 0 | fail | `fail; exp \"x\"` | M | why |\n";
    let known = parse_known_failures(list);
    assert_eq!(known.get("a").map(String::as_str), Some("neutral"));
    assert_eq!(known.get("b").map(String::as_str), Some("fail; exp \"x\""));
    let outcome = |name: &str, got: &str, ok: bool, exp: Option<bool>| Outcome {
        scenario: 0,
        name: name.into(),
        spec: String::new(),
        expected: "permerror".into(),
        got: got.into(),
        ok,
        explanation_ok: exp,
        explanation: String::new(),
        got_explanation: Some("x".into()),
        ms: 0,
    };
    // As listed: no problem.
    let same = [
        outcome("a", "neutral", false, None),
        outcome("b", "fail", true, Some(false)),
    ];
    assert_eq!(known_failure_problems(&same, &known), Vec::<String>::new());
    // The listed case changes from one wrong answer to another.
    let moved = [
        outcome("a", "pass", false, None),
        outcome("b", "fail", true, Some(false)),
    ];
    let problems = known_failure_problems(&moved, &known);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("gives `pass`"), "{problems:?}");
    // A listed case that passes now fails the check too.
    let fixed = [
        outcome("a", "permerror", true, None),
        outcome("b", "fail", true, Some(true)),
    ];
    assert_eq!(known_failure_problems(&fixed, &known).len(), 2);
    // An unlisted failure.
    let known = BTreeMap::new();
    assert_eq!(known_failure_problems(&same, &known).len(), 2);
}
