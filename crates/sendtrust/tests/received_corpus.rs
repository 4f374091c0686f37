//! The hand-off corpus: whole header sets in the formats Gmail, Outlook.com /
//! Exchange Online, Yahoo, iCloud, Fastmail, Zoho, Postfix, Exim and Sendmail
//! servers write, with mail from Amazon SES, SendGrid, Mailgun and Mailchimp
//! (tests/fixtures/received/*.eml).
//!
//! Each `NAME.eml` has a `NAME.expected` sidecar:
//!
//! ```text
//! # comment
//! handoff: 203.0.113.10     (or "none" when the message has no hand-off hop)
//! hops: 3                   (optional: number of relay hops)
//! local: 2                  (optional: number of fields that record no relay)
//! notes: gap, no-tls        (optional: chain-note kinds that must be present)
//! ```
//!
//! Run with `--nocapture` to see the table.

use sendtrust::message::ParsedMessage;
use sendtrust::received::{Chain, analyze_chain};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/received")
}

fn chain_of(path: &Path) -> Chain {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let normalized =
        sendtrust::input::normalize(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = ParsedMessage::parse(&normalized.bytes, normalized.headers_only);
    analyze_chain(&parsed)
}

#[derive(Default)]
struct Expected {
    handoff: Option<String>,
    hops: Option<usize>,
    local: Option<usize>,
    notes: Vec<String>,
}

fn expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Expected::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            panic!("{}: bad line {line:?}", path.display());
        };
        let value = value.trim();
        match key.trim() {
            "handoff" => out.handoff = Some(value.to_string()),
            "hops" => out.hops = value.parse().ok(),
            "local" => out.local = value.parse().ok(),
            "notes" => {
                out.notes = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            other => panic!("{}: unknown key {other:?}", path.display()),
        }
    }
    out
}

#[test]
fn handoff_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap_or_else(|e| panic!("{}: {e}", corpus_dir().display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 15,
        "corpus looks incomplete: {} files",
        files.len()
    );

    let mut right = 0usize;
    let mut failures: Vec<String> = Vec::new();
    println!();
    println!(
        "{:<36} {:<26} {:<26} hops local notes",
        "fixture", "expected", "got"
    );
    for eml in &files {
        let name = eml
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        let exp = expected(&eml.with_extension("expected"));
        let want = exp
            .handoff
            .clone()
            .unwrap_or_else(|| panic!("{name}: no handoff line"));
        let chain = chain_of(eml);
        let got = chain
            .sender
            .as_ref()
            .map(|s| s.ip.to_string())
            .unwrap_or_else(|| "none".to_string());
        let kinds: Vec<&str> = chain.notes.iter().map(|n| n.kind.as_str()).collect();
        println!(
            "{:<36} {:<26} {:<26} {:>4} {:>5} {}",
            name,
            want,
            got,
            chain.hops.len(),
            chain.local_fields.len(),
            kinds.join(",")
        );
        let mut ok = got == want;
        if !ok {
            failures.push(format!(
                "{name}: hand-off {got}, expected {want} ({})",
                chain.sender_reason
            ));
        }
        if let Some(h) = exp.hops
            && h != chain.hops.len()
        {
            ok = false;
            failures.push(format!("{name}: {} hops, expected {h}", chain.hops.len()));
        }
        if let Some(l) = exp.local
            && l != chain.local_fields.len()
        {
            ok = false;
            failures.push(format!(
                "{name}: {} local fields, expected {l}: {:?}",
                chain.local_fields.len(),
                chain
                    .local_fields
                    .iter()
                    .map(|f| &f.reason)
                    .collect::<Vec<_>>()
            ));
        }
        for kind in &exp.notes {
            if !chain.notes.iter().any(|n| &n.kind == kind) {
                ok = false;
                failures.push(format!("{name}: no {kind} note in {:?}", chain.notes));
            }
        }
        // Every readable hop date must have been read.
        for hop in &chain.hops {
            if hop.time.is_none() {
                ok = false;
                failures.push(format!(
                    "{name}: hop {} has no time: {}",
                    hop.index + 1,
                    hop.raw
                ));
            }
        }
        if got == want {
            right += 1;
        }
        let _ = ok;
    }
    println!("hand-off correct: {right}/{}", files.len());
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
}
