//! The hostile-input corpus (web/hostile/, see its make.py) through the whole
//! engine: every case must give a report or the expected `InputError` — no
//! panic, no hang. Each case runs twice: offline, and against a DNS that
//! answers every question with data that makes the engine follow up (see
//! [`synthesize`]: PTR names whose address exists, SPF records full of
//! includes, `a`, `mx`, `ptr` and `exists`, ten MX hosts with addresses, a key
//! for every DKIM and ARC selector, DMARC records, blocklists that list
//! everything). The distinct DNS questions the message makes the engine ask
//! must stay under [`MAX_QUESTIONS`] (a message must not turn the reader into
//! a DNS amplifier). The time of each case is measured and printed
//! (`cargo test -p sendtrust --test hostile -- --nocapture`; set
//! `SENDTRUST_SHOW_QUESTIONS=1` to list each case's questions); it is not a
//! speed goal: only an analysis over [`HANG`] fails (a hang, or work that is
//! not linear in the input).
//!
//! The corpus is generated into a temporary directory by
//! `python3 web/hostile/make.py --out <dir>`; its large cases (the 25 MB
//! attachment, 50 000 Received fields, …) are never committed.

use sendtrust::dns::{Answer, DnsConfig, Lookup, QType, Rdata, Resolver};
use sendtrust::{InputError, NoObserver, Options, Report, analyze, analyze_with};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An analysis slower than this has hung (generous: debug builds, 2 shared
/// cores). A case runs several analyses (offline, then online until every
/// question has an answer); each is held to this.
const HANG: Duration = Duration::from_secs(60);
/// A case's analyses together slower than this have hung.
const CASE_HANG: Duration = Duration::from_secs(600);

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
/// page do) and the DNS questions asked against answering DNS — or the error.
type Outcome = Result<(usize, usize, Questions), InputError>;

/// DNS questions one message made the engine ask, against answering DNS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Questions {
    /// Distinct (name, type) questions: what a resolver would be sent.
    distinct: usize,
    /// Runs of the analysis until every question had an answer.
    rounds: usize,
    /// The slowest single analysis (offline or online).
    slowest: Duration,
}

fn run_case(data: Vec<u8>) -> Outcome {
    let started = Instant::now();
    let report: Report = futures::executor::block_on(analyze(&data, &options()))?;
    let offline = started.elapsed();
    let json = serde_json::to_string(&report).unwrap_or_else(|e| panic!("serialising: {e}"));
    let mut questions = questions_against_answering_dns(&data)?;
    questions.slowest = questions.slowest.max(offline);
    Ok((report.hops.len(), json.len(), questions))
}

/// The zone every synthesised name lives under.
const SYNTH: &str = "synth.example";

/// A 1024-bit RSA key (tests/bench/zones/auth.test.zone, `rsa1024`): every
/// DKIM and ARC selector has it, so every signature is looked up and checked.
const DKIM_KEY: &str = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC8e4SfcCv7CnijBC/ISCj2af7Ozc9x/Tqu74GpMf4EKHckDNt9TqxIJUB+YKDdivYQ4HiM5Al6bN5nxt7OOOUqUnIgw7HrqQWQdBZwDQijt57ZUd5jqGT32KRR7aJkOtBHTf8+hzzuuUIM6lxjrYLilq5eJVtpHAShmwIltmMlbQIDAQAB";

/// Ten MX hosts per name: the most RFC 7208 lets an `mx` term look at.
const MX_HOSTS: usize = 10;
/// PTR names per address (the rules read at most five; more are offered).
const PTR_NAMES: usize = 10;

/// The answer a DNS built to make the engine follow up gives to `name`/`qtype`:
///
/// - PTR: [`PTR_NAMES`] names `pK.<the address>.synth.example`, whose A/AAAA
///   is that address (so forward confirmation succeeds and goes on);
/// - A/AAAA of anything else: `127.0.0.2` / `2001:db8::77` — a "listed" code
///   for every blocklist (which then asks the reason TXT and the test entry),
///   and never the client's address, so no SPF term matches and the record is
///   evaluated to the end;
/// - MX: [`MX_HOSTS`] hosts, each with an address; NS: one name server;
/// - TXT: a DKIM key under `_domainkey`, a DMARC record under `_dmarc`, else an
///   SPF record with every kind of DNS term, whose include loops through
///   `s.synth.example` until the 10-lookup limit.
fn synthesize(name: &str, qtype: QType) -> Lookup {
    let records = match qtype {
        QType::Ptr => {
            let Some(ip) = reverse_name_to_label(name) else {
                return Ok(Answer::NxDomain);
            };
            (0..PTR_NAMES)
                .map(|k| Rdata::Ptr(format!("p{k}.{ip}.{SYNTH}")))
                .collect()
        }
        QType::A => vec![Rdata::A(
            forward_of_ptr_name(name)
                .and_then(|l| l.parse().ok())
                .unwrap_or(Ipv4Addr::new(127, 0, 0, 2)),
        )],
        QType::Aaaa => vec![Rdata::Aaaa(
            forward_of_ptr_name(name)
                .and_then(nibbles_to_ipv6)
                .unwrap_or(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x77)),
        )],
        // Who controls a reverse zone (rule 2's fix): a delegation.
        QType::Ns => vec![Rdata::Ns(format!("ns1.{SYNTH}"))],
        QType::Mx => (0..MX_HOSTS)
            .map(|k| Rdata::Mx(10, format!("mx{k}.{SYNTH}")))
            .collect(),
        QType::Txt => {
            let text = if name.contains("._domainkey.") {
                DKIM_KEY.to_string()
            } else if name.starts_with("_dmarc.") {
                format!("v=DMARC1; p=reject; sp=reject; rua=mailto:d@{SYNTH}")
            } else {
                format!(
                    "v=spf1 a mx ptr a:a.{SYNTH} mx:m.{SYNTH} exists:%{{i}}.e.{SYNTH} \
                     include:s.{SYNTH} ?all"
                )
            };
            vec![Rdata::Txt(text.into_bytes())]
        }
    };
    Ok(Answer::Records(records))
}

/// `10.2.0.192.in-addr.arpa` → `192-0-2-10`; an ip6.arpa name → its 32
/// nibbles, most significant first (one DNS label either way).
fn reverse_name_to_label(name: &str) -> Option<String> {
    if let Some(v4) = name.strip_suffix(".in-addr.arpa") {
        let mut octets: Vec<&str> = v4.split('.').collect();
        octets.reverse();
        return (octets.len() == 4).then(|| octets.join("-"));
    }
    let v6 = name.strip_suffix(".ip6.arpa")?;
    let mut nibbles: Vec<&str> = v6.split('.').collect();
    nibbles.reverse();
    (nibbles.len() == 32).then(|| nibbles.concat())
}

/// The address label of a synthesised PTR name (`p3.192-0-2-10.synth.example`),
/// in the form A/AAAA parsing wants (`192.0.2.10` or 32 nibbles).
fn forward_of_ptr_name(name: &str) -> Option<String> {
    let rest = name.strip_suffix(&format!(".{SYNTH}"))?;
    let (first, label) = rest.split_once('.')?;
    if !first.starts_with('p') || label.contains('.') {
        return None;
    }
    Some(label.replace('-', "."))
}

fn nibbles_to_ipv6(nibbles: String) -> Option<Ipv6Addr> {
    u128::from_str_radix(&nibbles, 16).ok().map(Ipv6Addr::from)
}

/// Runs the analysis against [`synthesize`]d DNS and counts the questions.
///
/// `Resolver::with_fixtures_as_dns` answers only what it is given, so the
/// answers are grown to a fixed point: run, answer every question the run
/// asked that had no answer yet, run again — until a run asks nothing new.
/// The questions counted are all those asked in any run: mail-auth's
/// verifiers read answered fixtures without logging them (`bridge` reads the
/// cache first), so one run's log alone would miss them. That union is an
/// upper bound of what one analysis against such a DNS asks.
fn questions_against_answering_dns(data: &[u8]) -> Result<Questions, InputError> {
    /// Rounds before giving up: each round answers one more level of
    /// follow-ups, and no chain of them in the engine is this deep.
    const MAX_ROUNDS: usize = 30;
    let online = Options {
        dns: DnsConfig::default(),
        ..options()
    };
    let mut answers: HashMap<(String, QType), Lookup> = HashMap::new();
    let mut slowest = Duration::ZERO;
    for round in 1..=MAX_ROUNDS {
        let resolver = Resolver::with_fixtures_as_dns(answers.clone());
        let started = Instant::now();
        let report =
            futures::executor::block_on(analyze_with(data, &online, &resolver, &NoObserver))?;
        slowest = slowest.max(started.elapsed());
        // Names the resolver refused to send (invalid) are not questions.
        let unanswered: HashSet<(String, QType)> = report
            .dns_log
            .iter()
            .filter(|e| e.status != "invalid-name")
            .map(|e| (e.name.clone(), qtype_of(&e.qtype)))
            .filter(|q| !answers.contains_key(q))
            .collect();
        if unanswered.is_empty() {
            if std::env::var_os("SENDTRUST_SHOW_QUESTIONS").is_some() {
                let mut asked: Vec<_> = answers.keys().collect();
                asked.sort();
                for (name, qtype) in asked {
                    println!("    {} {name}", qtype.as_str());
                }
            }
            return Ok(Questions {
                distinct: answers.len(),
                rounds: round,
                slowest,
            });
        }
        // Answer them, and only them: an answer given ahead of time would be
        // read by mail-auth without a log entry, and the count would miss it.
        for (name, qtype) in unanswered {
            let answer = synthesize(&name, qtype);
            answers.insert((name, qtype), answer);
        }
    }
    panic!("the questions did not converge in {MAX_ROUNDS} rounds of answers");
}

fn qtype_of(name: &str) -> QType {
    match name {
        "A" => QType::A,
        "AAAA" => QType::Aaaa,
        "TXT" => QType::Txt,
        "PTR" => QType::Ptr,
        "MX" => QType::Mx,
        "NS" => QType::Ns,
        other => panic!("a dns_log entry of type {other}"),
    }
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
    // SENDTRUST_HOSTILE_ONLY=<part of a name> runs only the matching cases.
    let only = std::env::var("SENDTRUST_HOSTILE_ONLY").unwrap_or_default();
    for case in &cases {
        let file = case["file"].as_str().unwrap_or_default().to_string();
        if !file.contains(&only) {
            continue;
        }
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
        let outcome = receive.recv_timeout(CASE_HANG);
        let elapsed = started.elapsed();
        total += elapsed;
        if elapsed > slowest.0 {
            slowest = (elapsed, file.clone());
        }
        let expect = case["engine"]["expect"].as_str().unwrap_or_default();
        let want_kind = case["engine"]["error_kind"].as_str();
        let shown = match &outcome {
            Ok(Ok((hops, json, questions))) => {
                format!(
                    "report: {hops} hops, {json} bytes of JSON, {} DNS questions ({} rounds, slowest run {} ms)",
                    questions.distinct,
                    questions.rounds,
                    questions.slowest.as_millis()
                )
            }
            Ok(Err(e)) => format!("input error: {}", error_kind(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                format!("HUNG (> {} s)", CASE_HANG.as_secs())
            }
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
            (Ok(Ok((_, _, questions))), "report") => {
                questions.distinct <= MAX_QUESTIONS && questions.slowest <= HANG
            }
            (Ok(Err(e)), "input-error") => want_kind.is_none_or(|k| k == error_kind(e)),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{file}: expected {expect}{} (at most {MAX_QUESTIONS} DNS questions, no analysis over {} s), got {shown}",
                want_kind.map(|k| format!(" ({k})")).unwrap_or_default(),
                HANG.as_secs()
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
