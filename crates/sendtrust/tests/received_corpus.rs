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
