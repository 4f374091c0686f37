//! A Markdown summary of a report, for pasting into a support ticket. The page
//! copies it to the clipboard; the CLI prints it with `--markdown`.
//!
//! Message content is untrusted: every value taken from the message or from
//! DNS is escaped so it cannot add links, images, HTML or table cells to the
//! ticket it is pasted into.

use crate::report::{FixStep, RecordFix, RecordedRdns, Report, SettingFix, Verdict};
use std::fmt::Write;

/// Escapes text for Markdown: inline markup, HTML, table pipes and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars().take(2000) {
        match c {
            // Enough to stop links, images, emphasis, code, tables and
            // strike-through; parentheses alone cannot form a link.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' | '\t' => out.push(' '),
            c if is_deceptive(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Control characters, including the bidi overrides and isolates, would let
/// a value display (or rewrite a terminal) differently from what it is. The
/// Markdown summary and the CLI's text output replace them.
pub fn is_deceptive(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "✅ pass",
        Verdict::Warn => "⚠️ warn",
        Verdict::Fail => "❌ fail",
        Verdict::Unknown => "❔ could not check",
        Verdict::NotApplicable => "➖ n/a",
    }
}

/// One line: "3 of 5 rules pass · 1 warning · 1 failure".
pub fn tally(report: &Report) -> String {
    let count = |v: Verdict| report.rules.iter().filter(|r| r.verdict == v).count();
    let mut parts = vec![format!(
        "{} of {} rules pass",
        count(Verdict::Pass),
        report.rules.len()
    )];
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if count(Verdict::Warn) > 0 {
        parts.push(plural(count(Verdict::Warn), "warning", "warnings"));
    }
    if count(Verdict::Fail) > 0 {
        parts.push(plural(count(Verdict::Fail), "failure", "failures"));
    }
    if count(Verdict::Unknown) > 0 {
        parts.push(format!("{} not checked", count(Verdict::Unknown)));
    }
    if count(Verdict::NotApplicable) > 0 {
        parts.push(format!("{} not applicable", count(Verdict::NotApplicable)));
    }
    parts.join(" · ")
}

/// One record of a fix in plain text (not escaped): "TXT at example.com:
/// v=spf1 … (replaces …; 2 of 10 lookups) — change: the DNS of example.com".
/// The page, the CLI and the Markdown summary show the same words.
pub fn record_fix_text(f: &RecordFix) -> String {
    let mut out = format!("{} at {}: ", f.rtype, f.name);
    match (&f.value, &f.needs) {
        (Some(value), _) => out.push_str(value),
        (None, Some(needs)) => match &f.template {
            Some(template) => {
                let _ = write!(out, "{template} (fill in: {needs})");
            }
            None => {
                let _ = write!(out, "(not computed: needs {needs})");
            }
        },
        (None, None) => out.push_str("(not computed)"),
    }
    let mut extra = Vec::new();
    if let Some(old) = &f.replaces {
        extra.push(format!("replaces {old}"));
    }
    if let Some(n) = f.lookups {
        extra.push(format!("{n} of 10 DNS lookups"));
    }
    if !extra.is_empty() {
        let _ = write!(out, " ({})", extra.join("; "));
    }
    let _ = write!(out, " — changed by {}", f.controlled_by);
    if let Some(note) = &f.note {
        let _ = write!(out, ". {note}");
    }
    out
}

/// One server setting of a fix in plain text (not escaped).
pub fn setting_fix_text(s: &SettingFix) -> String {
    format!("{} ({}): {}", s.software, s.location, s.setting)
}

/// One next step of a fix in plain text (not escaped): "192.0.2.1 on
/// SpamCop (127.0.0.2): <policy> [expires] — https://… (policy:
/// https://…)".
pub fn fix_step_text(s: &FixStep) -> String {
    let mut out = format!("{}: {}", s.subject, s.step);
    if let Some(removal) = s.removal {
        let _ = write!(out, " [{}]", removal.as_str());
    }
    if let Some(page) = &s.page {
        let _ = write!(out, " — {page}");
    }
    if let Some(source) = s
        .source
        .as_ref()
        .filter(|src| s.page.as_ref() != Some(*src))
    {
        let _ = write!(out, " (policy: {source})");
    }
    out
}

/// The Markdown summary.
pub fn markdown(report: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "### Sendtrust: {}\n", tally(report));
    let s = &report.summary;
    for (label, value) in [
        ("From", &s.from),
        ("Subject", &s.subject),
        ("Date", &s.date),
        ("Message-ID", &s.message_id),
    ] {
        if let Some(v) = value {
            let _ = writeln!(o, "- **{label}:** {}", escape(v));
        }
    }
    match &report.sender {
        Some(sender) => {
            let rdns = match &sender.rdns {
                Some(RecordedRdns::Name(n)) => escape(n),
                Some(RecordedRdns::Unknown) => "unknown".into(),
                Some(RecordedRdns::Address(_)) | None => "not recorded".into(),
            };
            let _ = writeln!(
                o,
                "- **Sending server:** {} (HELO {}, rDNS at delivery {}) — {}",
                sender.ip,
                sender.helo.as_deref().map_or("not recorded".into(), escape),
                rdns,
                escape(&report.sender_reason)
            );
        }
        None => {
            let _ = writeln!(
                o,
                "- **Sending server:** none found — {}",
                escape(&report.sender_reason)
            );
        }
    }
    let _ = writeln!(o, "\n| Rule | Verdict | Why |\n|---|---|---|");
    for rule in &report.rules {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            rule.title,
            icon(rule.verdict),
            escape(&rule.summary)
        );
    }
    let fixes: Vec<_> = report
        .rules
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Warn))
        .filter(|r| r.fix.is_some() || !r.fix_records.is_empty() || !r.fix_steps.is_empty())
        .collect();
    if !fixes.is_empty() {
        let _ = writeln!(o, "\n**How to fix**\n");
        for rule in fixes {
            let _ = writeln!(
                o,
                "- *{}:* {}",
                rule.title,
                rule.fix.as_deref().map_or(String::new(), escape)
            );
            for record in &rule.fix_records {
                let _ = writeln!(o, "  - {}", escape(&record_fix_text(record)));
            }
            for setting in &rule.fix_settings {
                let _ = writeln!(o, "  - {}", escape(&setting_fix_text(setting)));
            }
            for step in &rule.fix_steps {
                let _ = writeln!(o, "  - {}", escape(&fix_step_text(step)));
            }
        }
    }
    if let Some(d) = &report.beyond.dmarc {
        let _ = writeln!(
            o,
            "\n- **DMARC** ({}): {} — {}",
            escape(&d.from_domain),
            escape(d.result.as_str()),
            escape(&d.disposition)
        );
        for record in &d.fix_records {
            let _ = writeln!(o, "  - {}", escape(&record_fix_text(record)));
        }
    }
    let _ = writeln!(
        o,
        "\n<sub>{} · DNS: {} · schema {}</sub>",
        escape(&report.generator),
        if report.dns.offline {
            "offline".to_string()
        } else {
            escape(report.dns.provider.as_deref().unwrap_or("?"))
        },
        report.schema_version
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_cannot_add_markup() {
        let e = escape("[click](javascript:alert(1)) <img src=x onerror=alert(1)> | x\n# h");
        assert!(!e.contains("[click]("));
        assert!(!e.contains('<'));
        assert!(!e.contains('\n'));
        assert!(e.contains("\\|"));
        assert_eq!(escape("a\u{202e}b"), "a\u{fffd}b");
    }

    #[test]
    fn summary_table_has_every_rule() {
        let raw = b"From: a@example.com\r\nSubject: [x](y)\r\n\r\n";
        let options = crate::Options {
            dns: crate::dns::DnsConfig::offline(),
            ..Default::default()
        };
        let report = futures::executor::block_on(crate::analyze(raw, &options)).unwrap();
        let md = markdown(&report);
        for rule in &report.rules {
            assert!(md.contains(&format!("| {} |", rule.title)), "{md}");
        }
        assert!(md.contains("\\[x\\](y)"), "{md}");
        assert!(md.starts_with("### Sendtrust: 0 of 5 rules pass"), "{md}");
    }

    #[test]
    fn fix_records_are_listed_and_escaped() {
        let raw = b"From: a@example.com\r\nSubject: x\r\n\r\n";
        let options = crate::Options {
            dns: crate::dns::DnsConfig::offline(),
            ..Default::default()
        };
        let mut report = futures::executor::block_on(crate::analyze(raw, &options)).unwrap();
        let spf = &mut report.rules[3];
        spf.verdict = Verdict::Fail;
        spf.fix = Some("Add the address.".into());
        spf.fix_records = vec![RecordFix {
            name: "_spf.example.com".into(),
            rtype: "TXT".into(),
            value: Some("v=spf1 ip4:192.0.2.1 [x](javascript:y) -all".into()),
            replaces: Some("v=spf1 -all".into()),
            controlled_by: "the DNS of example.com".into(),
            needs: None,
            lookups: Some(0),
            template: None,
            note: None,
        }];
        let md = markdown(&report);
        assert!(
            md.contains(
                "  - TXT at \\_spf.example.com: v=spf1 ip4:192.0.2.1 \\[x\\](javascript:y) -all \
                 (replaces v=spf1 -all; 0 of 10 DNS lookups) — changed by the DNS of example.com"
            ),
            "{md}"
        );
    }

    #[test]
    fn fix_steps_templates_and_dmarc_records_are_listed() {
        let raw = b"From: a@example.com\r\nSubject: x\r\n\r\n";
        let options = crate::Options {
            dns: crate::dns::DnsConfig::offline(),
            ..Default::default()
        };
        let mut report = futures::executor::block_on(crate::analyze(raw, &options)).unwrap();
        let blocklists = &mut report.rules[2];
        blocklists.verdict = Verdict::Fail;
        blocklists.fix_steps = vec![FixStep {
            problem: "listed".into(),
            subject: "192.0.2.1 on SpamCop (127.0.0.2)".into(),
            step: "Wait a day.".into(),
            removal: Some(crate::report::Removal::Expires),
            page: Some("https://www.spamcop.net/bl.shtml".into()),
            source: Some("https://www.spamcop.net/bl.shtml".into()),
        }];
        let record = RecordFix {
            name: "_dmarc.example.com".into(),
            rtype: "TXT".into(),
            value: None,
            replaces: None,
            controlled_by: "the DNS of example.com".into(),
            needs: Some("a mailbox for aggregate reports".into()),
            lookups: None,
            template: Some("v=DMARC1; p=none; rua=mailto:<report address>".into()),
            note: None,
        };
        report.beyond.dmarc = Some(crate::report::DmarcReport {
            from_domain: "example.com".into(),
            result: crate::report::DmarcStatus::None,
            fix_records: vec![record],
            ..Default::default()
        });
        let md = markdown(&report);
        assert!(
            md.contains(
                "  - 192.0.2.1 on SpamCop (127.0.0.2): Wait a day. \\[expires\\] — \
                 https://www.spamcop.net/bl.shtml\n"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "  - TXT at \\_dmarc.example.com: v=DMARC1; p=none; rua=mailto:&lt;report \
                 address&gt; (fill in: a mailbox for aggregate reports)"
            ),
            "{md}"
        );
    }
}
