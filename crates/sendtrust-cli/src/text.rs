//! The human-readable report: the same texts the page shows.

use sendtrust::report::{RecordedRdns, Report, Verdict};
use std::fmt::Write;

fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "PASS",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
        Verdict::Unknown => "????",
        Verdict::NotApplicable => " n/a",
    }
}

/// Strips control characters (including bidi overrides) so message content
/// cannot rewrite the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if sendtrust::markdown::is_deceptive(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Renders the report as plain text.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let count = |v: Verdict| r.rules.iter().filter(|x| x.verdict == v).count();
    let _ = writeln!(
        o,
        "{} of {} rules pass · {} warning(s) · {} failure(s) · {} not checked",
        count(Verdict::Pass),
        r.rules.len(),
        count(Verdict::Warn),
        count(Verdict::Fail),
        count(Verdict::Unknown)
    );
    let s = &r.summary;
    for (label, value) in [
        ("From", &s.from),
        ("To", &s.to),
        ("Subject", &s.subject),
        ("Date", &s.date),
        ("Message-ID", &s.message_id),
        ("Return-Path", &s.return_path),
    ] {
        if let Some(v) = value {
            let _ = writeln!(o, "  {label:<12} {}", clean(v));
        }
    }
    if r.input.headers_only {
        let _ = writeln!(o, "  (headers only: no body was given)");
    }
    match &r.sender {
        Some(sender) => {
            let rdns = match &sender.rdns {
                Some(RecordedRdns::Name(n)) => clean(n),
                Some(RecordedRdns::Unknown) => "unknown".into(),
                Some(RecordedRdns::Address(_)) | None => "-".into(),
            };
            let _ = writeln!(
                o,
                "\nSending server: {} (HELO {}, recorded rDNS {})\n  why this hop: {}",
                sender.ip,
                sender.helo.as_deref().map_or("-".into(), clean),
                rdns,
                clean(&r.sender_reason)
            );
        }
        None => {
            let _ = writeln!(
                o,
                "\nSending server: none found — {}",
                clean(&r.sender_reason)
            );
        }
    }
    let _ = writeln!(o);
    for rule in &r.rules {
        let _ = writeln!(
            o,
            "[{}] {}: {}",
            mark(rule.verdict),
            rule.title,
            clean(&rule.summary)
        );
        for e in &rule.evidence {
            let _ = writeln!(o, "       {}: {}", clean(&e.label), clean(&e.value));
        }
        if let Some(fix) = &rule.fix {
            let _ = writeln!(o, "       fix: {}", clean(fix));
        }
        for record in &rule.fix_records {
            let _ = writeln!(
                o,
                "       publish: {}",
                clean(&sendtrust::markdown::record_fix_text(record))
            );
        }
        for setting in &rule.fix_settings {
            let _ = writeln!(
                o,
                "       set: {}",
                clean(&sendtrust::markdown::setting_fix_text(setting))
            );
        }
        for step in &rule.fix_steps {
            let _ = writeln!(
                o,
                "       next: {}",
                clean(&sendtrust::markdown::fix_step_text(step))
            );
        }
        if rule.verdict != Verdict::Pass {
            let _ = writeln!(o, "       why it matters: {}", rule.why);
        }
    }
    if let Some(d) = r
        .beyond
        .dmarc
        .as_ref()
        .filter(|d| !d.fix_records.is_empty())
    {
        let _ = writeln!(
            o,
            "\nDMARC ({}): {} — {}",
            clean(&d.from_domain),
            clean(d.result.as_str()),
            clean(&d.disposition)
        );
        for record in &d.fix_records {
            let _ = writeln!(
                o,
                "       publish: {}",
                clean(&sendtrust::markdown::record_fix_text(record))
            );
        }
    }
    if !r.hops.is_empty() {
        let _ = writeln!(o, "\nHops (oldest first):");
        for h in &r.hops {
            let handoff = r.sender.as_ref().and_then(|s| s.hop_index) == Some(h.index);
            let _ = writeln!(
                o,
                "{} {:>2}. from {} [{}] by {} with {}{}{}",
                if handoff { "→" } else { " " },
                h.index + 1,
                h.from_helo.as_deref().map_or("-".into(), clean),
                h.from_ip.map_or("-".into(), |i| i.to_string()),
                h.by.as_deref().map_or("-".into(), clean),
                h.with.as_deref().map_or("-".into(), clean),
                h.tls
                    .as_ref()
                    .and_then(|t| t.version.clone())
                    .map_or(String::new(), |v| format!(" ({})", clean(&v))),
                h.delay_seconds
                    .map_or(String::new(), |d| format!(", +{d}s")),
            );
        }
    }
    for n in &r.chain_notes {
        let _ = writeln!(o, "  note: {}", clean(&n.message));
    }
    if !r.input.repairs.is_empty() {
        let _ = writeln!(o, "\nInput repairs: {}", r.input.repairs.join("; "));
    }
    let _ = writeln!(
        o,
        "\nDNS: {} ({} queries)",
        if r.dns.offline {
            "offline — nothing was sent".to_string()
        } else {
            r.dns.provider.clone().unwrap_or_default()
        },
        r.dns_log.iter().filter(|e| !e.cached).count()
    );
    o
}
