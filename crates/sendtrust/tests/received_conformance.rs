//! Conformance of the Received parser against Apache SpamAssassin's
//! `t/rcvd_parser.t` cases (tests/conformance/received/, Apache-2.0).
//!
//! Run with `cargo test -p sendtrust --test received_conformance -- --nocapture`
//! to see the per-field agreement table. Every case that differs must be
//! listed, with the wrong value Sendtrust gives, in the `known-differences`
//! block of tests/conformance/received/KNOWN_DIFFERENCES.md (the reason is
//! written beside it): a difference not listed fails, and so does a listed
//! one that is no longer seen exactly — a case that now passes, or fails with
//! another value — until the list is updated.
//!
//! How fields are compared:
//! - `ip`, `by`, `id`, `envfrom`: exact text.
//! - `rdns`: SpamAssassin writes an empty string when the receiver recorded no
//!   name or `unknown`; Sendtrust keeps those apart (`None` / `Unknown`), and
//!   both compare as empty.
//! - `helo`: SpamAssassin writes an address literal `[1.2.3.4]` as
//!   `!1.2.3.4!`; it is turned back into brackets before comparing.
//! - `authenticated`: SpamAssassin records a label (`ESMTPA`, `Postfix`,
//!   `CriticalPath`, `HTTP`, …); Sendtrust records what the field says. The
//!   comparison is whether the hop is authenticated at all.

use sendtrust::message::ParsedMessage;
use sendtrust::received::{Chain, analyze_chain};
use sendtrust::report::RecordedRdns;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/conformance/received/spamassassin-rcvd.json")
}

fn known_differences_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/conformance/received/KNOWN_DIFFERENCES.md")
}

/// One case that differs from SpamAssassin: the case (its Received text), the
/// field, and both values. `field` is one of [`FIELDS`], or `relay` when one
/// side reads a relay and the other no relay (values `relay` / `no relay`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
struct Difference {
    case: String,
    field: String,
    ours: String,
    spamassassin: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: ours {:?}, SpamAssassin {:?}: {}",
            self.field, self.ours, self.spamassassin, self.case
        )
    }
}

/// The fenced block that lists the known differences, one JSON object a line.
const BLOCK_START: &str = "```known-differences";

/// Reads the `known-differences` block of a KNOWN_DIFFERENCES.md text. A line
/// that is not a difference, a field that is not compared, a line given twice
/// or a missing block is an error naming the file and line.
fn parse_known(text: &str, path: &Path) -> Result<BTreeSet<Difference>, String> {
    let mut lines = text.lines().enumerate();
    if !lines.any(|(_, l)| l.trim() == BLOCK_START) {
        return Err(format!("{}: no {BLOCK_START} block", path.display()));
    }
    let mut known = BTreeSet::new();
    for (n, line) in lines {
        let line = line.trim();
        if line == "```" {
            return Ok(known);
        }
        if line.is_empty() {
            continue;
        }
        let at = || format!("{}:{}", path.display(), n + 1);
        let d: Difference =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}: {line}", at()))?;
        if d.field != "relay" && !FIELDS.contains(&d.field.as_str()) {
            return Err(format!("{}: unknown field {:?}: {line}", at(), d.field));
        }
        if d.ours == d.spamassassin {
            return Err(format!("{}: both values are the same: {line}", at()));
        }
        if !known.insert(d) {
            return Err(format!("{}: listed twice: {line}", at()));
        }
    }
    Err(format!(
        "{}: the {BLOCK_START} block is not closed",
        path.display()
    ))
}

/// What differs between `seen` and `known`: differences not listed, and listed
/// ones not seen (the case now agrees, differs in another way, or is gone).
fn compare(seen: &BTreeSet<Difference>, known: &BTreeSet<Difference>) -> Vec<String> {
    let mut out: Vec<String> = seen
        .difference(known)
        .map(|d| format!("new difference, not in KNOWN_DIFFERENCES.md: {d}"))
        .collect();
    out.extend(known.difference(seen).map(|d| {
        format!("listed in KNOWN_DIFFERENCES.md but not seen (fixed? then remove it): {d}")
    }));
    out
}

fn chain_of(received: &str) -> Chain {
    let raw = format!("Received: {received}\r\nFrom: a@example.com\r\n\r\n");
    let normalized = sendtrust::input::normalize(raw.as_bytes())
        .unwrap_or_else(|e| panic!("normalize {received:?}: {e}"));
    let parsed = ParsedMessage::parse(&normalized.bytes, normalized.headers_only);
    analyze_chain(&parsed)
}

const FIELDS: [&str; 7] = ["ip", "rdns", "helo", "by", "envfrom", "id", "authenticated"];

#[test]
fn spamassassin_received_cases() {
    let text = std::fs::read_to_string(data_path())
        .unwrap_or_else(|e| panic!("{}: {e}", data_path().display()));
    let data: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("json: {e}"));
    let cases = data["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() >= 70, "conformance data looks truncated");

    let mut agree = [0usize; FIELDS.len()];
    let mut relays = 0usize;
    let mut relays_read_as_relay = 0usize;
    let mut no_relay = 0usize;
    let mut no_relay_recognised = 0usize;
    let mut differences: BTreeSet<Difference> = BTreeSet::new();
    let mut differ = |case: &str, field: &str, ours: String, spamassassin: String| {
        differences.insert(Difference {
            case: case.to_string(),
            field: field.to_string(),
            ours,
            spamassassin,
        });
    };

    for case in &cases {
        let received = case["received"].as_str().unwrap_or_default();
        let chain = chain_of(received);
        let expect = &case["expect"];
        if expect.is_null() {
            no_relay += 1;
            if chain.hops.is_empty() && chain.local_fields.len() == 1 {
                no_relay_recognised += 1;
            } else {
                let ours = if chain.hops.is_empty() {
                    "no field read"
                } else {
                    "relay"
                };
                differ(received, "relay", ours.into(), "no relay".into());
            }
            continue;
        }
        relays += 1;
        let Some(hop) = chain.hops.first() else {
            differ(received, "relay", "no relay".into(), "relay".into());
            continue;
        };
        relays_read_as_relay += 1;
        let ours = [
            hop.from_ip.map(|ip| ip.to_string()).unwrap_or_default(),
            match &hop.from_rdns {
                Some(RecordedRdns::Name(n)) => n.clone(),
                // SpamAssassin reports the address written in the name's
                // place as the reverse name.
                Some(RecordedRdns::Address(a)) => a.clone(),
                _ => String::new(),
            },
            hop.from_helo.clone().unwrap_or_default(),
            hop.by.clone().unwrap_or_default(),
            hop.envelope_from.clone().unwrap_or_default(),
            hop.id.clone().unwrap_or_default(),
            hop.authenticated.is_some().to_string(),
        ];
        let helo = expect["helo"].as_str().unwrap_or_default();
        let helo = match helo.strip_prefix('!').and_then(|h| h.strip_suffix('!')) {
            Some(inner) => format!("[{inner}]"),
            None => helo.to_string(),
        };
        let theirs = [
            expect["ip"].as_str().unwrap_or_default().to_string(),
            expect["rdns"].as_str().unwrap_or_default().to_string(),
            helo,
            expect["by"].as_str().unwrap_or_default().to_string(),
            expect["envfrom"].as_str().unwrap_or_default().to_string(),
            expect["id"].as_str().unwrap_or_default().to_string(),
            (!expect["auth"].as_str().unwrap_or_default().is_empty()).to_string(),
        ];
        for (i, field) in FIELDS.iter().enumerate() {
            if ours[i] == theirs[i] {
                agree[i] += 1;
            } else {
                differ(received, field, ours[i].clone(), theirs[i].clone());
            }
        }
    }

    println!();
    println!("Received conformance against SpamAssassin t/rcvd_parser.t");
    println!(
        "  no-relay fields recognised: {no_relay_recognised}/{no_relay}; relays read as relays: {relays_read_as_relay}/{relays}"
    );
    println!("  {:<14} {:>7} {:>8}", "field", "exact", "percent");
    let mut total_agree = 0;
    for (i, field) in FIELDS.iter().enumerate() {
        total_agree += agree[i];
        println!(
            "  {:<14} {:>3}/{:<3} {:>7.1}%",
            field,
            agree[i],
            relays,
            100.0 * agree[i] as f64 / relays as f64
        );
    }
    let all = relays * FIELDS.len();
    println!(
        "  {:<14} {:>3}/{:<3} {:>7.1}%",
        "all fields",
        total_agree,
        all,
        100.0 * total_agree as f64 / all as f64
    );
    if !differences.is_empty() {
        println!("  differences (see KNOWN_DIFFERENCES.md):");
        for d in &differences {
            println!("    {d}");
        }
    }

    let path = known_differences_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let known = parse_known(&text, &path).unwrap_or_else(|e| panic!("{e}"));
    let mismatches = compare(&differences, &known);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_known_differences_list_is_read_strictly() {
    let path = Path::new("KNOWN_DIFFERENCES.md");
    let block =
        |lines: &str| format!("# title\n\ntext\n\n{BLOCK_START}\n{lines}\n```\nmore text\n");
    let one = r#"{"case": "from a ([192.0.2.1]) by b", "field": "rdns", "ours": "", "spamassassin": "x.example"}"#;
    let known = parse_known(&block(one), path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(known.len(), 1);

    for (lines, error) in [
        ("{not json", "KNOWN_DIFFERENCES.md:6: "),
        (
            r#"{"case": "c", "field": "rdns", "ours": ""}"#,
            "KNOWN_DIFFERENCES.md:6: missing field `spamassassin`",
        ),
        (
            r#"{"case": "c", "field": "rnds", "ours": "", "spamassassin": "x"}"#,
            "KNOWN_DIFFERENCES.md:6: unknown field \"rnds\"",
        ),
        (
            r#"{"case": "c", "field": "ip", "ours": "x", "spamassassin": "x"}"#,
            "KNOWN_DIFFERENCES.md:6: both values are the same",
        ),
        (
            &format!("{one}\n{one}"),
            "KNOWN_DIFFERENCES.md:7: listed twice",
        ),
    ] {
        match parse_known(&block(lines), path) {
            Ok(k) => panic!("{lines:?} was accepted: {k:?}"),
            Err(e) => assert!(e.starts_with(error), "{lines:?}: {e} (wanted {error:?})"),
        }
    }
    assert!(parse_known("no block here", path).is_err());
    assert!(parse_known(&format!("{BLOCK_START}\n{one}\n"), path).is_err());

    // Keyed by case and wrong value: the same case failing with another value,
    // or no longer failing, is a mismatch until the list is updated.
    let listed = known.first().cloned().unwrap_or_else(|| panic!("empty"));
    let same: BTreeSet<_> = [listed.clone()].into();
    assert!(compare(&same, &known).is_empty());
    let other_value: BTreeSet<_> = [Difference {
        ours: "y.example".into(),
        ..listed.clone()
    }]
    .into();
    let m = compare(&other_value, &known);
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(
        m[0].starts_with("new difference") && m[1].starts_with("listed"),
        "{m:?}"
    );
    let fixed = compare(&BTreeSet::new(), &known);
    assert_eq!(fixed.len(), 1);
    assert!(fixed[0].contains("not seen"), "{fixed:?}");
}
