//! DMARC for the From domain: mail-auth's evaluation (RFC 7489 / DMARCbis)
//! over rule 5's DKIM results and rule 4's SPF evaluation, plus what its
//! output leaves out (the record that applied, `pct`, duplicate records).
//!
//! mail-auth reads DNS through the same resolver cache the rules filled (see
//! `dns::bridge`). Its DKIM and SPF inputs are the rules' typed findings
//! (`rules::Findings`), so no signature is verified twice and SPF is
//! evaluated once per identity.

use crate::dns::bridge::is_dmarc_record;
use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata};
use crate::message::domain_of;
use crate::report::{DmarcReport, DmarcStatus};
use crate::rules::spf::{dmarc_spf_output, evaluate};
use crate::rules::{Context, Findings};
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::dmarc::{Alignment, DmarcRecord, Policy, Psd};
use mail_auth::dns::TxtRecordParser;
use mail_auth::{AuthenticatedMessage, DmarcResult, Parameters};

/// Asks, ahead of time, for the DMARC records DMARC's tree walk (DMARCbis)
/// will read: `_dmarc.` of the From domain (in A-labels) and of the parents
/// the walk visits ([`walk_names`]). Answers land in the resolver's
/// cache; failures are left for the real evaluation to report.
pub(crate) async fn prefetch(ctx: &Context<'_>) {
    if ctx.resolver.is_offline() {
        return;
    }
    let Some(domain) = ctx
        .parsed
        .from_address()
        .and_then(|a| domain_of(&a))
        .and_then(|d| crate::dns::to_ascii_name(&d))
    else {
        return;
    };
    let names: Vec<String> = walk_names(&domain)
        .iter()
        .map(|name| format!("_dmarc.{name}"))
        .collect();
    let lookups = names
        .iter()
        .map(|name| ctx.resolver.lookup(name, QType::Txt));
    futures::future::join_all(lookups).await;
}

fn policy_name(p: Policy) -> Option<String> {
    match p {
        Policy::None => Some("none".into()),
        Policy::Quarantine => Some("quarantine".into()),
        Policy::Reject => Some("reject".into()),
        Policy::Unspecified => None,
    }
}

fn alignment_name(a: &Alignment) -> String {
    match a {
        Alignment::Relaxed => "relaxed".into(),
        Alignment::Strict => "strict".into(),
    }
}

/// Evaluates DMARC for the From domain with mail-auth, over rule 5's DKIM
/// results and rule 4's SPF evaluation (no signature is verified again).
pub(crate) async fn evaluate_dmarc(
    ctx: &Context<'_>,
    message: &AuthenticatedMessage<'_>,
    findings: &Findings,
) -> Option<DmarcReport> {
    let from_domain = ctx.parsed.from_address().and_then(|a| domain_of(&a))?;
    let mut report = DmarcReport {
        from_domain: from_domain.clone(),
        ..DmarcReport::default()
    };
    if ctx.resolver.is_offline() {
        report.result = DmarcStatus::NotChecked;
        report.disposition = "not checked (offline)".into();
        return Some(report);
    }
    let ip = ctx.report.sender.as_ref().map(|s| s.ip);
    let helo = ctx
        .report
        .sender
        .as_ref()
        .and_then(|s| s.helo.clone())
        .unwrap_or_else(|| "unknown".into());
    let mail_from = ctx.parsed.envelope_sender().unwrap_or_default();
    let mail_from_domain = domain_of(&mail_from).unwrap_or_else(|| helo.clone());

    let cache = AuthCache::new(ctx.resolver);
    let caches = Caches::new(&cache, ip.into_iter().collect());
    let authenticator = offline_authenticator();
    let dkim = findings.dkim.outputs(message);
    let spf = match ip {
        // The strict evaluation (rules/spf), not mail-auth's. DMARC's SPF
        // identity is the Return-Path's, or the HELO name when there is none;
        // rule 4 checks a recorded envelope sender or the From domain when
        // the Return-Path is missing. Where the identities agree (a message
        // with a Return-Path) rule 4's evaluation is used; else DMARC's own
        // identity is evaluated here, once.
        Some(ip) => match findings
            .spf
            .as_ref()
            .filter(|f| f.is_for(ip, &helo, &mail_from))
        {
            Some(finding) => dmarc_spf_output(&finding.evaluation),
            None => dmarc_spf_output(&evaluate(ctx.resolver, ip, &helo, &mail_from).await),
        },
        None => mail_auth::SpfOutput::new(mail_from_domain.clone()),
    };
    let output = converge(ctx.resolver, &cache, || {
        authenticator.verify_dmarc(
            Parameters::new(DmarcParameters::new(
                message,
                &dkim,
                &mail_from_domain,
                &spf,
            ))
            .with_cache(&caches),
        )
    })
    .await;

    report.dkim_aligned = matches!(output.dkim_result(), DmarcResult::Pass);
    report.spf_aligned = matches!(output.spf_result(), DmarcResult::Pass);
    // mail-auth's output names the From domain, not the domain whose record
    // applied: read that off the tree walk's answers in the cache.
    let walk = tree_walk(ctx, output.domain());
    let duplicates = walk.iter().filter(|(_, texts)| texts.len() > 1);
    for (name, texts) in duplicates.clone() {
        report.warnings.push(format!(
            "{}{DUPLICATE_RECORDS}{name} ({}): a name with more than one record has no \
             policy (RFC 7489 §6.6.3), so receivers ignore them all (a few implementations \
             use the first instead); keep one.",
            texts.len(),
            texts
                .iter()
                .map(|t| format!("\"{}\"", t.chars().take(200).collect::<String>()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let applied = policy_record(&walk, output.domain());
    // Shown in the From address's spelling: U-labels when it used them (DNS
    // was asked the A-label); an A-label From is not turned into look-alike
    // Unicode.
    let shown = |name: &str| {
        if from_domain.is_ascii() {
            name.to_string()
        } else {
            crate::domain::to_unicode(name)
        }
    };
    if let Some((name, text)) = applied {
        report.policy_domain = Some(shown(name));
        report.record = Some(text.to_string());
        report.pct = pct(text);
    } else if let Some((name, texts)) = walk.first().filter(|(_, t)| t.len() == 1) {
        // A record mail-auth could not use (a permerror): show what is there.
        report.policy_domain = Some(shown(name));
        report.record = texts.first().cloned();
    }
    report.result = match output.result() {
        DmarcResult::Pass => DmarcStatus::Pass,
        DmarcResult::Fail(_) => DmarcStatus::Fail,
        DmarcResult::TempError(_) => DmarcStatus::Temperror,
        DmarcResult::PermError(_) => DmarcStatus::Permerror,
        DmarcResult::None => DmarcStatus::None,
    };
    if let Some(record) = output.record() {
        report.policy = policy_name(record.p);
        report.subdomain_policy = policy_name(record.sp);
        report.adkim = Some(alignment_name(&record.adkim));
        report.aspf = Some(alignment_name(&record.aspf));
        report.rua = record.rua().iter().map(|u| u.uri().to_string()).collect();
        if record.p == Policy::None && record.rua().is_empty() {
            report.warnings.push(
                "p=none without rua=: the policy asks for nothing and no reports are collected, so \
                 you never learn when it would be safe to enforce. Add rua=mailto:… and move to \
                 quarantine/reject once reports are clean."
                    .into(),
            );
        } else if record.p == Policy::None {
            report.warnings.push(
                "p=none is a monitoring policy: forged mail is still delivered. Move to \
                 quarantine or reject once your reports show all your senders aligned."
                    .into(),
            );
        }
        if let Some(pct) = report.pct.filter(|p| *p < 100) {
            report.warnings.push(format!(
                "pct={pct}: RFC 7489 receivers apply the policy to {pct}% of failing mail and the \
                 next milder one to the rest; DMARCbis drops pct (use t=y to test). Remove pct \
                 once your reports are clean."
            ));
        }
    } else if report.result == DmarcStatus::None && duplicates.count() == 0 {
        let org = crate::domain::org_domain(&from_domain).unwrap_or_else(|| from_domain.clone());
        report.warnings.push(format!(
            "No DMARC record for {from_domain}: Gmail and Yahoo require one from bulk senders. \
             Publish TXT at _dmarc.{org} such as \"v=DMARC1; p=none; rua=mailto:dmarc@{org}\"."
        ));
    } else if report.result == DmarcStatus::Permerror {
        report
            .warnings
            .push("The DMARC record has a syntax error; receivers ignore it.".into());
    }
    // The policy mail-auth applied: p for the From domain's own record, else
    // sp (or np for a name that does not exist), milder under t=y.
    let applied = output.policy();
    let sampled = report.pct.filter(|p| *p < 100);
    report.disposition = match report.result {
        DmarcStatus::Pass => "deliver: DMARC passes (aligned SPF or DKIM)".into(),
        DmarcStatus::Fail => match (applied, sampled) {
            (Policy::Reject, None) => {
                "reject: DMARC fails and the domain asks receivers to reject".into()
            }
            (Policy::Reject, Some(pct)) => format!(
                "reject: DMARC fails and the domain asks receivers to reject (pct={pct}: RFC 7489 \
                 receivers reject {pct}% of such mail and quarantine the rest)"
            ),
            (Policy::Quarantine, None) => {
                "quarantine (junk folder): DMARC fails and the domain asks for quarantine".into()
            }
            (Policy::Quarantine, Some(pct)) => format!(
                "quarantine (junk folder): DMARC fails and the domain asks for quarantine \
                 (pct={pct}: RFC 7489 receivers quarantine {pct}% of such mail and deliver the rest)"
            ),
            _ => "deliver, report only: DMARC fails but the policy is none".into(),
        },
        DmarcStatus::None => "no DMARC policy: the receiver decides on its own".into(),
        DmarcStatus::Temperror => "unknown: a DNS lookup failed".into(),
        DmarcStatus::Permerror => "the receiver ignores the broken record".into(),
        DmarcStatus::NotChecked => "not checked (offline)".into(),
    };
    report.fix_records =
        crate::dmarc_fix::fix_records(&report, walk.iter().any(|(_, t)| t.len() > 1));
    Some(report)
}

/// The words of the warning about a name with several DMARC records, after
/// their count (the checklist quotes that warning).
pub(crate) const DUPLICATE_RECORDS: &str = " DMARC records at _dmarc.";

/// The names DMARC's tree walk reads, in its order (RFC 9989 §4.10, as
/// mail-auth does it): the From domain, then (past eight labels) its
/// seven-label suffix, then each shorter suffix down to the top-level label.
fn walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let total = labels.len();
    let mut names = Vec::new();
    if total < 2 {
        return names;
    }
    let mut count = total;
    loop {
        names.push(labels[total - count..].join("."));
        if count == 1 {
            break;
        }
        count = if count >= 8 { 7 } else { count - 1 };
    }
    names
}

/// The tree walk's DMARC records from the resolver's cache (mail-auth has
/// just read them): each name of the walk with its `v=DMARC1` texts, in
/// walk order, for the names that have at least one.
fn tree_walk(ctx: &Context<'_>, domain: &str) -> Vec<(String, Vec<String>)> {
    walk_names(domain)
        .into_iter()
        .filter_map(|name| {
            let texts = dmarc_records(ctx, &name);
            (!texts.is_empty()).then_some((name, texts))
        })
        .collect()
}

/// The name and record that applied, chosen as mail-auth chooses (RFC 9989
/// §4.10): the From domain's own record; else the organisational domain's
/// (the name with `psd=n`, or the name one label below a `psd=y` record,
/// else the shortest name with a record). Names with several records have
/// no policy and take no part.
fn policy_record<'w>(walk: &'w [(String, Vec<String>)], from: &str) -> Option<(&'w str, &'w str)> {
    let valid: Vec<(&str, &str, DmarcRecord)> = walk
        .iter()
        .filter(|(_, texts)| texts.len() == 1)
        .filter_map(|(name, texts)| {
            let text = texts.first()?;
            let record = DmarcRecord::parse(text.as_bytes()).ok()?;
            Some((name.as_str(), text.as_str(), record))
        })
        .collect();
    if let Some((name, text, _)) = valid.iter().find(|(name, _, _)| *name == from) {
        return Some((name, text));
    }
    let mut org: Option<String> = None;
    for (name, _, record) in &valid {
        match record.psd {
            Psd::No => {
                org = Some(name.to_string());
                break;
            }
            Psd::Yes if *name != from => {
                let depth = name.split('.').count() + 1;
                let labels: Vec<&str> = from.split('.').collect();
                org = Some(labels[labels.len().saturating_sub(depth)..].join("."));
                break;
            }
            _ => {}
        }
    }
    valid
        .iter()
        .find(|(name, _, _)| org.as_deref() == Some(*name))
        .or_else(|| valid.last())
        .map(|(name, text, _)| (*name, *text))
}

/// The `pct=` of a record's text (RFC 7489 §6.3; mail-auth ignores it):
/// `None` when absent or not a number from 0 to 100.
fn pct(record: &str) -> Option<u8> {
    record.split(';').find_map(|tag| {
        let (key, value) = tag.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("pct") {
            return None;
        }
        value.trim().parse::<u8>().ok().filter(|p| *p <= 100)
    })
}

/// The `v=DMARC1` texts at `_dmarc.<domain>`, as cached, sorted: an RRset
/// has no order (servers rotate it), and the report must not change between
/// two runs on the same data.
fn dmarc_records(ctx: &Context<'_>, domain: &str) -> Vec<String> {
    if domain.is_empty() {
        return Vec::new();
    }
    let mut texts = match ctx.resolver.cached(&format!("_dmarc.{domain}"), QType::Txt) {
        Some(Ok(Answer::Records(records))) => records
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(t) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            })
            .filter(|t| is_dmarc_record(t.as_bytes()))
            .collect(),
        _ => Vec::new(),
    };
    texts.sort();
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(entries: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        entries
            .iter()
            .map(|(name, texts)| {
                (
                    name.to_string(),
                    texts.iter().map(|t| t.to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn the_walk_skips_to_seven_labels_and_ends_at_the_tld() {
        assert_eq!(
            walk_names("a.b.c.d.e.f.g.h.i.test"),
            [
                "a.b.c.d.e.f.g.h.i.test",
                "d.e.f.g.h.i.test",
                "e.f.g.h.i.test",
                "f.g.h.i.test",
                "g.h.i.test",
                "h.i.test",
                "i.test",
                "test"
            ]
        );
        assert_eq!(walk_names("example.com"), ["example.com", "com"]);
        assert!(walk_names("localhost").is_empty());
    }

    #[test]
    fn the_record_that_applies() {
        let from = "a.b.example.test";
        // The From domain's own record wins.
        let w = walk(&[
            (from, &["v=DMARC1; p=none"]),
            ("example.test", &["v=DMARC1; p=reject"]),
        ]);
        assert_eq!(policy_record(&w, from), Some((from, "v=DMARC1; p=none")));
        // Else the shortest name with a record (the organisational domain).
        let w = walk(&[
            ("b.example.test", &["v=DMARC1; p=quarantine"]),
            ("example.test", &["v=DMARC1; p=reject"]),
        ]);
        assert_eq!(policy_record(&w, from).map(|r| r.0), Some("example.test"));
        // psd=n marks the organisational domain; psd=y the suffix above it.
        let w = walk(&[
            ("b.example.test", &["v=DMARC1; p=quarantine; psd=n"]),
            ("example.test", &["v=DMARC1; p=reject"]),
        ]);
        assert_eq!(policy_record(&w, from).map(|r| r.0), Some("b.example.test"));
        let w = walk(&[
            ("example.test", &["v=DMARC1; p=quarantine"]),
            ("test", &["v=DMARC1; p=reject; psd=y"]),
        ]);
        assert_eq!(policy_record(&w, from).map(|r| r.0), Some("example.test"));
        // Two records at a name: it takes no part.
        let w = walk(&[
            (
                "b.example.test",
                &["v=DMARC1; p=reject", "v=DMARC1; p=none"],
            ),
            ("example.test", &["v=DMARC1; p=quarantine"]),
        ]);
        assert_eq!(policy_record(&w, from).map(|r| r.0), Some("example.test"));
        assert_eq!(policy_record(&[], from), None);
    }

    #[test]
    fn pct_values() {
        assert_eq!(pct("v=DMARC1; p=reject; pct=25"), Some(25));
        assert_eq!(pct("v=DMARC1; p=reject; PCT = 0 "), Some(0));
        assert_eq!(pct("v=DMARC1; p=reject; pct=150"), None);
        assert_eq!(pct("v=DMARC1; p=reject; pct=half"), None);
        assert_eq!(pct("v=DMARC1; p=reject"), None);
    }
}
