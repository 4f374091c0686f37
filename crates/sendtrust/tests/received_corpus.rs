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
//!
//! A second corpus, `tests/fixtures/received/formats.json`, holds single
//! Received fields in the formats of many MTAs and gateways, each naming its
//! public source, with every field the format records (client address,
//! reverse name, HELO, `by`, `id`, `with`, `for`, envelope sender, date,
//! authentication) or the kind of field that records no relay
//! (`received_formats`).

use sendtrust::message::ParsedMessage;
use sendtrust::received::{Chain, analyze_chain};
use sendtrust::report::RecordedRdns;
use serde::Deserialize;
use std::net::IpAddr;
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

/// Reads a `.expected` sidecar; a line it cannot use is an error naming the
/// file, the line number and the line.
fn expected(path: &Path) -> Result<Expected, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Expected::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        // A line the reader cannot use is an error naming it: an expectation
        // silently dropped would leave that fixture checking less than it says.
        let bad =
            |why: &str| -> String { format!("{}:{}: {why}: {line:?}", path.display(), n + 1) };
        let Some((key, value)) = line.split_once(':') else {
            return Err(bad("not `key: value`"));
        };
        let value = value.trim();
        let count = |what: &str| -> Result<usize, String> {
            value
                .parse()
                .map_err(|e| bad(&format!("{what} is not a count ({e})")))
        };
        let once = |seen: bool| -> Result<(), String> {
            if seen {
                Err(bad("key given twice"))
            } else {
                Ok(())
            }
        };
        match key.trim() {
            "handoff" => {
                once(out.handoff.is_some())?;
                if value.is_empty() || (value != "none" && value.parse::<IpAddr>().is_err()) {
                    return Err(bad("handoff is neither an IP address nor `none`"));
                }
                out.handoff = Some(value.to_string());
            }
            "hops" => {
                once(out.hops.is_some())?;
                out.hops = Some(count("hops")?);
            }
            "local" => {
                once(out.local.is_some())?;
                out.local = Some(count("local")?);
            }
            "notes" => {
                once(!out.notes.is_empty())?;
                out.notes = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if out.notes.is_empty() {
                    return Err(bad("notes lists no note kind"));
                }
                if let Some(unknown) = out.notes.iter().find(|k| !NOTE_KINDS.contains(&k.as_str()))
                {
                    return Err(bad(&format!("unknown note kind {unknown:?}")));
                }
            }
            other => return Err(bad(&format!("unknown key {other:?}"))),
        }
    }
    if out.handoff.is_none() {
        return Err(format!("{}: no `handoff:` line", path.display()));
    }
    Ok(out)
}

/// Chain-note kinds the engine writes (docs/report-schema.md, `chain_notes`).
const NOTE_KINDS: [&str; 4] = ["clock-skew", "long-delay", "gap", "no-tls"];

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
        let exp = expected(&eml.with_extension("expected")).unwrap_or_else(|e| panic!("{e}"));
        let want = exp.handoff.clone().unwrap_or_default();
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
            if !chain.notes.iter().any(|n| n.kind.as_str() == kind) {
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

/// The sidecar reader itself: a line it cannot use fails with the file, the
/// line number and the line, instead of being dropped.
#[test]
fn a_malformed_expectation_line_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("sendtrust-expected-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join("case.expected");
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        expected(&path)
    };

    let good = read("# a comment\nhandoff: 192.0.2.1\nhops: 3\nlocal: 0\nnotes: gap, no-tls\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(good.handoff.as_deref(), Some("192.0.2.1"));
    assert_eq!(good.hops, Some(3));
    assert_eq!(good.local, Some(0));
    assert_eq!(good.notes, ["gap", "no-tls"]);
    assert_eq!(
        read("handoff: none\n")
            .unwrap_or_else(|e| panic!("{e}"))
            .handoff
            .as_deref(),
        Some("none")
    );

    for (text, line, why) in [
        (
            "handoff: 192.0.2.1\nhops: three\n",
            2,
            "hops is not a count",
        ),
        ("handoff: 192.0.2.1\nhops: -1\n", 2, "hops is not a count"),
        (
            "handoff: 192.0.2.1\n\nlocal: 2 fields\n",
            3,
            "local is not a count",
        ),
        ("handoff: 192.0.2.1\nhops 3\n", 2, "not `key: value`"),
        ("handoff: 192.0.2.1\nhop: 3\n", 2, "unknown key"),
        (
            "handoff: mail.example\n",
            1,
            "handoff is neither an IP address",
        ),
        (
            "handoff: 192.0.2.1\nhops: 3\nhops: 4\n",
            3,
            "key given twice",
        ),
        (
            "handoff: 192.0.2.1\nnotes: gap, no_tls\n",
            2,
            "unknown note kind",
        ),
        ("handoff: 192.0.2.1\nnotes: ,\n", 2, "lists no note kind"),
    ] {
        let err = match read(text) {
            Ok(_) => panic!("{text:?} was accepted"),
            Err(e) => e,
        };
        let at = format!("case.expected:{line}: ");
        assert!(
            err.contains(&at) && err.contains(why),
            "{text:?}: {err} (wanted {at:?} and {why:?})"
        );
        let bad_line = text.lines().nth(line - 1).unwrap_or_default().trim();
        assert!(err.contains(&format!("{bad_line:?}")), "{err}");
    }
    let err = match read("hops: 3\n") {
        Ok(_) => panic!("a sidecar without handoff was accepted"),
        Err(e) => e,
    };
    assert!(err.contains("no `handoff:` line"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One case of `formats.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatCase {
    source: String,
    received: String,
    #[serde(default)]
    note: Option<String>,
    expect: FormatExpect,
}

/// What a case expects: a relay with every field, or a field that records no
/// relay and its kind. Every key must be present (`null` for "not recorded"),
/// so a case always checks all fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatExpect {
    relay: bool,
    #[serde(default)]
    local: Option<String>,
    #[serde(default, deserialize_with = "stated")]
    ip: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    rdns: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    helo: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    by: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    id: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    with: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated", rename = "for")]
    for_addr: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    envfrom: Option<Option<String>>,
    #[serde(default, deserialize_with = "stated")]
    date: Option<Option<String>>,
    #[serde(default)]
    auth: Option<bool>,
}

/// A key that is present: `null` becomes `Some(None)`, so that a key left out
/// (`None`, by `default`) can be told from "not recorded".
fn stated<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn one_field_chain(received: &str) -> Chain {
    let raw = format!("Received: {received}\r\nFrom: a@example.com\r\n\r\n");
    let normalized = sendtrust::input::normalize(raw.as_bytes())
        .unwrap_or_else(|e| panic!("normalize {received:?}: {e}"));
    let parsed = ParsedMessage::parse(&normalized.bytes, normalized.headers_only);
    analyze_chain(&parsed)
}

/// The differences between what one case expects and what Sendtrust reads,
/// as `field: got …, expected …` lines (empty when it agrees).
fn format_differences(case: &FormatCase) -> Result<Vec<String>, String> {
    let chain = one_field_chain(&case.received);
    let e = &case.expect;
    let mut out = Vec::new();
    if !e.relay {
        let Some(kind) = &e.local else {
            return Err("relay false needs `local` (the kind)".into());
        };
        match (chain.hops.len(), chain.local_fields.first()) {
            (0, Some(l)) if l.kind.as_str() == kind => {}
            (0, Some(l)) => out.push(format!(
                "local kind: got {}, expected {kind}",
                l.kind.as_str()
            )),
            (n, _) => out.push(format!(
                "relay: got {n} hop(s), expected a field of kind {kind}"
            )),
        }
        return Ok(out);
    }
    if e.local.is_some() {
        return Err("relay true with `local`".into());
    }
    let Some(hop) = chain.hops.first() else {
        out.push(format!(
            "relay: got none ({:?}), expected a relay",
            chain.local_fields.first().map(|l| &l.reason)
        ));
        return Ok(out);
    };
    let rdns = match &hop.from_rdns {
        Some(RecordedRdns::Name(n)) => Some(n.clone()),
        Some(RecordedRdns::Unknown) => Some("unknown".to_string()),
        // No name recorded (the address in the name's place).
        Some(RecordedRdns::Address(_)) | None => None,
    };
    // (field, expected, read, compared without regard to case)
    type Compared<'e> = (
        &'static str,
        &'e Option<Option<String>>,
        Option<String>,
        bool,
    );
    let fields: [Compared<'_>; 9] = [
        ("ip", &e.ip, hop.from_ip.map(|ip| ip.to_string()), false),
        ("rdns", &e.rdns, rdns, false),
        ("helo", &e.helo, hop.from_helo.clone(), false),
        ("by", &e.by, hop.by.clone(), false),
        ("id", &e.id, hop.id.clone(), false),
        ("with", &e.with, hop.with.clone(), true),
        ("for", &e.for_addr, hop.for_addr.clone(), false),
        ("envfrom", &e.envfrom, hop.envelope_from.clone(), false),
        ("date", &e.date, hop.time.clone(), false),
    ];
    for (name, want, got, any_case) in fields {
        let Some(want) = want.clone() else {
            return Err(format!("no `{name}` key (write null when not recorded)"));
        };
        let same = match (&want, &got) {
            (Some(w), Some(g)) if any_case => w.eq_ignore_ascii_case(g),
            _ => want == got,
        };
        if !same {
            out.push(format!("{name}: got {got:?}, expected {want:?}"));
        }
    }
    let Some(auth) = e.auth else {
        return Err("no `auth` key".into());
    };
    if hop.authenticated.is_some() != auth {
        out.push(format!(
            "auth: got {:?}, expected {auth}",
            hop.authenticated
        ));
    }
    Ok(out)
}

/// Received formats from public sources: every field of every case.
#[test]
fn received_formats() {
    let path = corpus_dir().join("formats.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    #[derive(Deserialize)]
    struct File {
        #[allow(dead_code)]
        about: String,
        cases: Vec<FormatCase>,
    }
    let file: File =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        file.cases.len() >= 60,
        "format corpus looks truncated: {} cases",
        file.cases.len()
    );
    let mut failures = Vec::new();
    let mut relays = 0usize;
    let mut ip_right = 0usize;
    let mut right = 0usize;
    for (n, case) in file.cases.iter().enumerate() {
        assert!(!case.source.trim().is_empty(), "case {n} names no source");
        let diffs = format_differences(case)
            .unwrap_or_else(|e| panic!("formats.json case {n} ({}): {e}", case.received));
        if case.expect.relay {
            relays += 1;
            if !diffs
                .iter()
                .any(|d| d.starts_with("ip:") || d.starts_with("relay:"))
            {
                ip_right += 1;
            }
        }
        if diffs.is_empty() {
            right += 1;
        } else {
            failures.push(format!(
                "case {n} ({}{}): {}\n    {}",
                case.source,
                case.note
                    .as_deref()
                    .map(|t| format!("; {t}"))
                    .unwrap_or_default(),
                case.received,
                diffs.join("\n    ")
            ));
        }
    }
    println!(
        "received formats: {right}/{} cases right; relay IPs {ip_right}/{relays}",
        file.cases.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The format-corpus reader rejects a case that leaves a field out or
/// contradicts itself, instead of checking less than it says.
#[test]
fn a_format_case_must_state_every_field() {
    let full = r#"{"source": "s", "received": "from a.example (a.example [192.0.2.1]) by b.example with ESMTP id 1; Tue, 1 Jul 2025 10:00:00 +0000", "expect": {"relay": true, "ip": "192.0.2.1", "rdns": "a.example", "helo": "a.example", "by": "b.example", "id": "1", "with": "esmtp", "for": null, "envfrom": null, "date": "2025-07-01T10:00:00Z", "auth": false}}"#;
    let case: FormatCase = serde_json::from_str(full).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(format_differences(&case), Ok(Vec::new()));

    let wrong = full.replace(r#""by": "b.example""#, r#""by": "c.example""#);
    let case: FormatCase = serde_json::from_str(&wrong).unwrap_or_else(|e| panic!("{e}"));
    let diffs = format_differences(&case).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(diffs[0].starts_with("by:"), "{diffs:?}");

    let missing = full.replace(r#""for": null, "#, "");
    let case: FormatCase = serde_json::from_str(&missing).unwrap_or_else(|e| panic!("{e}"));
    assert!(format_differences(&case).is_err());

    let unknown = full.replace(r#""auth": false"#, r#""auth": false, "ident": "x""#);
    assert!(serde_json::from_str::<FormatCase>(&unknown).is_err());

    let local = r#"{"source": "s", "received": "(qmail 1 invoked by uid 89); 1 Jul 2025 20:00:03 -0000", "expect": {"relay": false, "local": "local-submission"}}"#;
    let case: FormatCase = serde_json::from_str(local).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(format_differences(&case), Ok(Vec::new()));
    let case: FormatCase = serde_json::from_str(&local.replace("local-submission", "retrieval"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        format_differences(&case).map(|d| d.len()),
        Ok(1),
        "a wrong kind is a difference"
    );
}
