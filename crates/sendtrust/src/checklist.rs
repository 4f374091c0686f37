//! The Gmail and Yahoo bulk-sender requirements (in force since 2024), item by item.

use crate::report::{
    ChecklistItem, ChecklistStatus, DmarcReport, DmarcStatus, RuleId, RuleResult, Verdict,
};
use crate::rules::rule;
use crate::rules::spf::Outcome;
use crate::rules::{Context, Findings};

fn item(
    id: &str,
    title: &str,
    status: ChecklistStatus,
    evidence: impl Into<String>,
) -> ChecklistItem {
    ChecklistItem {
        id: id.into(),
        title: title.into(),
        status,
        evidence: evidence.into(),
    }
}

fn from_verdict(r: Option<&RuleResult>, pass_on_warn: bool) -> ChecklistStatus {
    match r.map(|r| r.verdict) {
        Some(Verdict::Pass) => ChecklistStatus::Pass,
        Some(Verdict::Warn) if pass_on_warn => ChecklistStatus::Pass,
        Some(Verdict::Warn | Verdict::Fail) => ChecklistStatus::Fail,
        Some(Verdict::NotApplicable) => ChecklistStatus::NotApplicable,
        _ => ChecklistStatus::Unknown,
    }
}

/// Evaluates each requirement.
pub(crate) fn items(
    ctx: &Context<'_>,
    rules: &[RuleResult],
    findings: &Findings,
    dmarc: Option<&DmarcReport>,
) -> Vec<ChecklistItem> {
    let mut out = Vec::new();
    let spf = rule(rules, RuleId::Spf);
    let spf_result = findings.spf.as_ref().map(|f| f.evaluation.result);
    out.push(item(
        "spf-pass",
        "SPF passes for the sending domain",
        match spf_result {
            Some(Outcome::Pass) => ChecklistStatus::Pass,
            None | Some(Outcome::TempError) => from_verdict(spf, true),
            Some(_) => ChecklistStatus::Fail,
        },
        spf.map_or(String::new(), |r| r.summary.clone()),
    ));
    let dkim = rule(rules, RuleId::Dkim);
    out.push(item(
        "dkim-pass",
        "The message carries a valid DKIM signature",
        from_verdict(dkim, true),
        dkim.map_or(String::new(), |r| r.summary.clone()),
    ));
    match dmarc {
        Some(d) if d.result == DmarcStatus::NotChecked => {
            out.push(item(
                "dmarc-record",
                "A DMARC record is published (p=none is enough)",
                ChecklistStatus::Unknown,
                "not checked (offline)",
            ));
            out.push(item(
                "from-aligned",
                "The From domain aligns with SPF or DKIM",
                ChecklistStatus::Unknown,
                "not checked (offline)",
            ));
        }
        Some(d) => {
            out.push(item(
                "dmarc-record",
                "A DMARC record is published (p=none is enough)",
                match (&d.record, d.result) {
                    (Some(_), _) => ChecklistStatus::Pass,
                    (None, DmarcStatus::Temperror) => ChecklistStatus::Unknown,
                    _ => ChecklistStatus::Fail,
                },
                d.record
                    .clone()
                    .or_else(|| {
                        // Records that exist but cannot apply (two at one name).
                        d.warnings
                            .iter()
                            .find(|w| w.contains(crate::dmarc::DUPLICATE_RECORDS))
                            .cloned()
                    })
                    .unwrap_or_else(|| format!("no record at _dmarc.{}", d.from_domain)),
            ));
            out.push(item(
                "from-aligned",
                "The From domain aligns with SPF or DKIM",
                if d.dkim_aligned || d.spf_aligned {
                    ChecklistStatus::Pass
                } else if d.result == DmarcStatus::Temperror {
                    ChecklistStatus::Unknown
                } else {
                    ChecklistStatus::Fail
                },
                format!(
                    "From {}: DKIM {}, SPF {}",
                    d.from_domain,
                    if d.dkim_aligned {
                        "aligned"
                    } else {
                        "not aligned"
                    },
                    if d.spf_aligned {
                        "aligned"
                    } else {
                        "not aligned"
                    }
                ),
            ));
        }
        None => {
            out.push(item(
                "dmarc-record",
                "A DMARC record is published (p=none is enough)",
                ChecklistStatus::Fail,
                "the message has no From domain",
            ));
            out.push(item(
                "from-aligned",
                "The From domain aligns with SPF or DKIM",
                ChecklistStatus::Fail,
                "the message has no From domain",
            ));
        }
    }
    let rdns = rule(rules, RuleId::ReverseDns);
    out.push(item(
        "fcrdns",
        "The sending IP has valid forward and reverse DNS",
        from_verdict(rdns, true),
        rdns.map_or(String::new(), |r| r.summary.clone()),
    ));
    // TLS on the hand-off hop.
    let handoff = ctx
        .report
        .sender
        .as_ref()
        .and_then(|s| s.hop_index)
        // By index, not position: a long chain lists only some hops.
        .and_then(|i| ctx.report.hops.iter().find(|h| h.index == i));
    out.push(match handoff {
        Some(hop) => {
            let tls = hop.tls.is_some()
                || hop
                    .with
                    .as_deref()
                    .is_some_and(|w| w.to_ascii_uppercase().contains("ESMTPS"));
            item(
                "tls",
                "The sending server used TLS to hand the message over",
                if tls {
                    ChecklistStatus::Pass
                } else {
                    ChecklistStatus::Fail
                },
                match &hop.tls {
                    Some(t) => format!(
                        "hop {}: {} {}",
                        hop.index + 1,
                        t.version.clone().unwrap_or_else(|| "TLS".into()),
                        t.cipher.clone().unwrap_or_default()
                    ),
                    None => format!(
                        "hop {}: with {}",
                        hop.index + 1,
                        hop.with.clone().unwrap_or_else(|| "(not recorded)".into())
                    ),
                },
            )
        }
        None => item(
            "tls",
            "The sending server used TLS to hand the message over",
            ChecklistStatus::Unknown,
            "no hand-off hop found",
        ),
    });
    // One-click unsubscribe (RFC 8058), for bulk/marketing mail.
    let lu = ctx.parsed.first("List-Unsubscribe");
    let lup = ctx.parsed.first("List-Unsubscribe-Post");
    let bulk_signs = lu.is_some()
        || ctx.parsed.first("List-Id").is_some()
        || ctx
            .parsed
            .first("Precedence")
            .is_some_and(|p| matches!(p.trim().to_ascii_lowercase().as_str(), "bulk" | "list"));
    out.push(if !bulk_signs {
        item(
            "one-click-unsubscribe",
            "Marketing mail offers one-click unsubscribe (RFC 8058)",
            ChecklistStatus::NotApplicable,
            "no sign of bulk mail (no List-Unsubscribe, List-Id or Precedence: bulk)",
        )
    } else {
        let https = lu.is_some_and(|v| v.to_ascii_lowercase().contains("<https://"));
        let one_click = lup.is_some_and(|v| {
            v.to_ascii_lowercase()
                .replace(' ', "")
                .contains("list-unsubscribe=one-click")
        });
        let signed = ctx
            .parsed
            .values("DKIM-Signature")
            .any(|(_, v)| v.to_ascii_lowercase().contains("list-unsubscribe"));
        let status = if https && one_click {
            ChecklistStatus::Pass
        } else {
            ChecklistStatus::Fail
        };
        let mut why = Vec::new();
        if lu.is_none() {
            why.push("no List-Unsubscribe header".to_string());
        } else if !https {
            why.push("List-Unsubscribe has no https URL".to_string());
        }
        if !one_click {
            why.push("no \"List-Unsubscribe-Post: List-Unsubscribe=One-Click\"".to_string());
        }
        if status == ChecklistStatus::Pass && !signed {
            why.push("(List-Unsubscribe should be covered by the DKIM signature)".to_string());
        }
        item(
            "one-click-unsubscribe",
            "Marketing mail offers one-click unsubscribe (RFC 8058)",
            status,
            if why.is_empty() {
                "List-Unsubscribe with an https URL and List-Unsubscribe-Post: One-Click"
                    .to_string()
            } else {
                why.join("; ")
            },
        )
    });
    // RFC 5322 basics.
    let count = |name: &str| ctx.parsed.values(name).count();
    let mut problems = Vec::new();
    if count("From") != 1 {
        problems.push(format!(
            "{} From fields (exactly one required)",
            count("From")
        ));
    } else if ctx.parsed.from_count() > 1 && count("Sender") == 0 {
        problems.push("several From addresses without a Sender field".to_string());
    }
    if count("Date") != 1 {
        problems.push(format!(
            "{} Date fields (exactly one required)",
            count("Date")
        ));
    }
    if count("Message-ID") == 0 {
        problems.push("no Message-ID".to_string());
    } else if count("Message-ID") > 1 {
        problems.push("several Message-ID fields".to_string());
    }
    if count("Subject") > 1 {
        problems.push("several Subject fields".to_string());
    }
    out.push(item(
        "rfc5322",
        "Headers follow RFC 5322 (one From, one Date, a Message-ID)",
        if problems.is_empty() {
            ChecklistStatus::Pass
        } else {
            ChecklistStatus::Fail
        },
        if problems.is_empty() {
            "one From, one Date, one Message-ID".to_string()
        } else {
            problems.join("; ")
        },
    ));
    out
}
