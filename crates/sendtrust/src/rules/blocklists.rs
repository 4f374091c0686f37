//! Rule 3 — blocklists (`blocklists`): is the sending IP, or one of the
//! sender's domains (From, Return-Path, DKIM `d=`), on a DNS blocklist?
//!
//! The IP lists are `options.dnsbl_zones` or the defaults in
//! [`dnsbl::KNOWN_LISTS`]; the domain lists `options.dbl_zones` or the
//! defaults. Every list is asked concurrently, and each answer is one of:
//! listed (a documented code, decoded, with the TXT reason), not listed,
//! could not check (timeout, resolver refused, …) or query refused / invalid
//! answer (Spamhaus's 127.255.255.x, any undocumented code, a list that lists
//! its own never-listed test entry) — never read as a listing.
//!
//! Fail when any list lists the IP or a domain; pass when none does and at
//! least one list answered (with the lists that could not be checked named);
//! unknown when no list could answer.

use super::Context;
use super::dnsbl::{self, ListKind, ListResult, Status};
use super::sender_ip::{checked_ip, non_public_reason};
use crate::dns;
use crate::message::domain_of;
use crate::report::{Evidence, RuleDetails, RuleId, RuleResult, Verdict};

pub use crate::details::blocklists::{
    BlocklistsDetails, DomainListResult, SenderDomain, SkippedDomain,
};

/// Most domains looked up (a hostile message can carry many signatures).
const MAX_DOMAINS: usize = 8;
/// Most DKIM signatures read for `d=`.
const MAX_SIGNATURES: usize = 5;

/// The `d=` tag of a DKIM-Signature field value.
fn dkim_domain(value: &str) -> Option<String> {
    value.split(';').find_map(|tag| {
        let (name, v) = tag.split_once('=')?;
        (name.trim() == "d").then(|| v.chars().filter(|c| !c.is_whitespace()).collect())
    })
}

/// The sender's domains: From, Return-Path, DKIM `d=`, and the registered
/// domain of each; invalid ones are returned apart with the reason.
fn sender_domains(ctx: &Context<'_>) -> (Vec<SenderDomain>, Vec<SkippedDomain>) {
    let mut raw: Vec<(String, String)> = Vec::new();
    if let Some(d) = ctx.parsed.from_address().and_then(|a| domain_of(&a)) {
        raw.push((d, "From".into()));
    }
    if let Some(d) = ctx.parsed.envelope_sender().and_then(|a| domain_of(&a)) {
        raw.push((d, "Return-Path".into()));
    }
    for (_, v) in ctx.parsed.values("DKIM-Signature").take(MAX_SIGNATURES) {
        if let Some(d) = dkim_domain(v).filter(|d| !d.is_empty()) {
            raw.push((d, "DKIM d=".into()));
        }
    }
    let mut out: Vec<SenderDomain> = Vec::new();
    let mut skipped = Vec::new();
    let add = |domain: String, source: String, out: &mut Vec<SenderDomain>| {
        if let Some(s) = out.iter_mut().find(|s| s.domain == domain) {
            if !s.sources.contains(&source) {
                s.sources.push(source);
            }
        } else if out.len() < MAX_DOMAINS {
            out.push(SenderDomain {
                domain,
                sources: vec![source],
            });
        }
    };
    for (d, source) in raw {
        let ascii = dns::to_ascii_name(&d);
        match ascii.as_deref().map(|a| (a, dns::validate_name(a))) {
            Some((a, Ok(()))) => {
                let org = crate::domain::org_domain(a);
                add(a.to_string(), source, &mut out);
                if let Some(org) = org.filter(|o| o != a && dns::validate_name(o).is_ok()) {
                    add(org, format!("registered domain of {a}"), &mut out);
                }
            }
            Some((_, Err(why))) => skipped.push(SkippedDomain {
                value: d,
                source,
                reason: why.to_string(),
            }),
            None => skipped.push(SkippedDomain {
                value: d,
                source,
                reason: "not convertible to an ASCII domain name".into(),
            }),
        }
    }
    (out, skipped)
}

fn tone(r: &ListResult, label: String) -> Evidence {
    match r.status {
        Status::Listed => Evidence::bad(label, r.summary()),
        Status::NotListed => Evidence::good(label, r.summary()),
        Status::Skipped => Evidence::neutral(label, r.summary()),
        Status::Error | Status::InvalidAnswer => Evidence::error(label, r.summary()),
    }
}

/// Runs the check.
pub async fn check(ctx: &Context<'_>) -> RuleResult {
    let checked = checked_ip(ctx);
    let (ip_specs, ip_note) = dnsbl::lists(ctx.options, ListKind::Ip);
    let (dom_specs, _) = dnsbl::lists(ctx.options, ListKind::Domain);
    let (domains, skipped_domains) = sender_domains(ctx);

    let mut evidence = Vec::new();
    let mut checked_ip_of = None;
    let mut sender = None;
    let ip = match &checked {
        Some((ip, ev, d)) => {
            evidence.push(ev.clone());
            checked_ip_of = Some(*ip);
            sender = Some(d.clone());
            match non_public_reason(*ip) {
                Some(why) => {
                    evidence.push(Evidence::neutral(
                        "IP lists",
                        format!("not asked: {ip} is {why}, which no blocklist lists"),
                    ));
                    None
                }
                None => Some(*ip),
            }
        }
        None => {
            evidence.push(Evidence::neutral(
                "Checked IP",
                format!("none: {}", ctx.report.sender_reason),
            ));
            None
        }
    };
    if ip.is_none() && domains.is_empty() {
        let mut r = RuleResult::new(
            RuleId::Blocklists,
            Verdict::NotApplicable,
            format!(
                "Nothing to look up: no public sending IP ({}) and no sender domain.",
                ctx.report.sender_reason
            ),
        );
        r.evidence = evidence;
        return r;
    }

    // Every question at once.
    let ip_checks = futures::future::join_all(ip.iter().flat_map(|ip| {
        ip_specs
            .iter()
            .map(move |s| dnsbl::check_ip(ctx.resolver, *ip, s))
    }));
    let domain_checks = futures::future::join_all(domains.iter().flat_map(|d| {
        dom_specs
            .iter()
            .map(move |s| dnsbl::check_domain(ctx.resolver, &d.domain, s))
    }));
    let (ip_results, domain_results) = futures::future::join(ip_checks, domain_checks).await;

    let source_of = |domain: &str| {
        domains
            .iter()
            .find(|d| d.domain == domain)
            .map(|d| d.sources.clone())
            .unwrap_or_default()
    };
    let all: Vec<(Option<Vec<String>>, &ListResult)> = ip_results
        .iter()
        .map(|r| (None, r))
        .chain(
            domain_results
                .iter()
                .map(|r| (Some(source_of(&r.subject)), r)),
        )
        .collect();

    // Evidence: listings first, then what could not be checked, then the rest.
    let order = |s: Status| match s {
        Status::Listed => 0,
        Status::InvalidAnswer => 1,
        Status::Error => 2,
        Status::NotListed => 3,
        Status::Skipped => 4,
    };
    let mut sorted: Vec<&(Option<Vec<String>>, &ListResult)> = all.iter().collect();
    sorted.sort_by_key(|(_, r)| order(r.status));
    for (sources, r) in &sorted {
        let label = match sources {
            None => format!("{} ({})", r.list, r.zone),
            Some(src) => format!(
                "{} on {} ({}) — {}",
                r.subject,
                r.list,
                r.zone,
                src.join(", ")
            ),
        };
        evidence.push(tone(r, label));
    }
    for s in &skipped_domains {
        evidence.push(Evidence::neutral(
            format!("Domain {}", s.value),
            format!("not looked up: {}", s.reason),
        ));
    }
    if let Some(note) = &ip_note {
        evidence.push(Evidence::error("Spamhaus DQS key", note.clone()));
    }

    let listed: Vec<&ListResult> = all
        .iter()
        .map(|(_, r)| *r)
        .filter(|r| r.status == Status::Listed)
        .collect();
    let answered = all
        .iter()
        .filter(|(_, r)| r.status == Status::NotListed)
        .count();
    let unanswered: Vec<&ListResult> = all
        .iter()
        .map(|(_, r)| *r)
        .filter(|r| matches!(r.status, Status::Error | Status::InvalidAnswer))
        .collect();
    let asked = answered + listed.len() + unanswered.len();

    let unanswered_note = if unanswered.is_empty() {
        String::new()
    } else {
        let mut names: Vec<String> = unanswered
            .iter()
            .map(|r| {
                format!(
                    "{} ({})",
                    r.list,
                    if r.status == Status::Error {
                        "no answer"
                    } else {
                        "refused"
                    }
                )
            })
            .collect();
        names.dedup();
        format!(" Could not check: {}.", names.join(", "))
    };

    let (verdict, summary, fix) = if !listed.is_empty() {
        let what: Vec<String> = listed
            .iter()
            .map(|r| {
                format!(
                    "{} on {} ({})",
                    r.subject,
                    r.list,
                    r.meaning.as_deref().unwrap_or("listed")
                )
            })
            .collect();
        let mut fixes: Vec<String> = Vec::new();
        for r in &listed {
            if let Some(w) = &r.what_to_do
                && !fixes.contains(w)
            {
                fixes.push(w.clone());
            }
        }
        (
            Verdict::Fail,
            format!("Listed: {}.{unanswered_note}", what.join("; ")),
            Some(fixes.join(" ")),
        )
    } else if asked == 0 {
        (
            Verdict::Unknown,
            "Not checked: no blocklist is selected.".to_string(),
            Some("Select at least one IP blocklist (the defaults are a good start).".into()),
        )
    } else if answered == 0 {
        let advice = unanswered
            .iter()
            .filter_map(|r| r.what_to_do.clone())
            .next()
            .unwrap_or_else(|| "Try again, or choose another DNS provider in the settings.".into());
        (
            Verdict::Unknown,
            format!("Could not check any of the {asked} blocklist questions.{unanswered_note}"),
            Some(advice),
        )
    } else {
        let subjects = match (ip, domains.len()) {
            (Some(ip), 0) => ip.to_string(),
            (Some(ip), n) => format!(
                "{ip} and {n} sender domain{}",
                if n == 1 { "" } else { "s" }
            ),
            (None, n) => format!("{n} sender domain{}", if n == 1 { "" } else { "s" }),
        };
        (
            Verdict::Pass,
            format!(
                "Not listed: {subjects} checked, {answered} of {asked} answers say not listed.{unanswered_note}"
            ),
            None,
        )
    };

    // The listings' next steps, while `listed` still borrows the results
    // the details take over below.
    let fix_steps = super::dnsbl_fix::listing_steps(&listed);
    let domain_lists = domain_results
        .into_iter()
        .map(|r| DomainListResult {
            domain: r.subject.clone(),
            sources: source_of(&r.subject),
            result: r,
        })
        .collect();
    let details = BlocklistsDetails {
        ip: checked_ip_of,
        sender,
        ip_lists: ip_results,
        domain_lists,
        domains,
        skipped_domains,
    };

    let mut result = RuleResult::new(RuleId::Blocklists, verdict, summary);
    result.evidence = evidence;
    result.details = Some(RuleDetails::Blocklists(Box::new(details)));
    result.fix = fix;
    result.fix_steps = fix_steps;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::dns::{Answer, DnsFailure, Lookup, QType, Rdata};
    use crate::rules::sender_ip::test_support::run;

    fn opts() -> Options {
        Options {
            dnsbl_zones: Some(vec!["bl.test".into(), "zen.spamhaus.org".into()]),
            dbl_zones: Some(vec!["dbl.test".into()]),
            ..Options::default()
        }
    }

    const MSG: &str = "Received: from mail.example.org (mail.example.org [192.0.2.99]) by mx.recipient.example with ESMTP id 1; Tue, 1 Jul 2025 12:00:00 +0000\r\nDKIM-Signature: v=1; a=rsa-sha256; d=news.example.org;\r\n s=s1; b=abc\r\nReturn-Path: <bounce@example.net>\r\nFrom: a@example.org\r\nSubject: t\r\n\r\nbody\r\n";

    fn a(o: [u8; 4]) -> Lookup {
        Ok(Answer::Records(vec![Rdata::A(o.into())]))
    }

    fn k(n: &str, q: QType) -> (String, QType) {
        (n.to_string(), q)
    }

    #[test]
    fn domains_are_collected_with_sources() {
        let r = run(MSG, vec![], None, opts(), RuleId::Blocklists);
        let details = serde_json::to_value(&r.details).unwrap_or_default();
        let domains: Vec<&str> = details["domains"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["domain"].as_str().unwrap())
            .collect();
        assert_eq!(domains, ["example.org", "example.net", "news.example.org"]);
        // Offline everywhere: nothing answered.
        assert_eq!(r.verdict, Verdict::Unknown, "{r:#?}");
    }

    #[test]
    fn listing_fails_refusal_does_not() {
        let mut f = vec![
            (k("99.2.0.192.bl.test", QType::A), a([127, 0, 0, 2])),
            (
                k("99.2.0.192.bl.test", QType::Txt),
                Ok(Answer::Records(vec![Rdata::Txt(
                    b"Listed: see https://bl.test/99".to_vec(),
                )])),
            ),
            (k("1.0.0.127.bl.test", QType::A), Ok(Answer::NxDomain)),
            (
                k("99.2.0.192.zen.spamhaus.org", QType::A),
                a([127, 255, 255, 254]),
            ),
        ];
        for d in ["example.org", "example.net", "news.example.org"] {
            f.push((k(&format!("{d}.dbl.test"), QType::A), Ok(Answer::NxDomain)));
        }
        let r = run(MSG, f.clone(), None, opts(), RuleId::Blocklists);
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert!(r.summary.contains("bl.test"));
        assert!(r.summary.contains("Spamhaus ZEN (refused)"));
        let zen = &serde_json::to_value(&r.details).unwrap_or_default()["ip_lists"][1];
        assert_eq!(zen["status"], "invalid-answer");
        assert_eq!(
            serde_json::to_value(&r.details).unwrap_or_default()["ip_lists"][0]["txt"],
            "Listed: see https://bl.test/99"
        );

        f[0] = (k("99.2.0.192.bl.test", QType::A), Ok(Answer::NxDomain));
        let r = run(MSG, f, None, opts(), RuleId::Blocklists);
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
        assert!(r.summary.contains("Could not check"));
    }

    #[test]
    fn timeouts_are_unknown() {
        let f = vec![
            (k("99.2.0.192.bl.test", QType::A), Err(DnsFailure::Timeout)),
            (
                k("99.2.0.192.zen.spamhaus.org", QType::A),
                Err(DnsFailure::Timeout),
            ),
        ];
        let r = run(MSG, f, None, opts(), RuleId::Blocklists);
        assert_eq!(r.verdict, Verdict::Unknown, "{r:#?}");
    }

    #[test]
    fn dkim_tags() {
        assert_eq!(
            dkim_domain("v=1; d = ex ample.org ; s=x").as_deref(),
            Some("example.org")
        );
        assert_eq!(dkim_domain("v=1; s=x"), None);
        assert_eq!(dkim_domain("v=1; dd=x; d=a.b").as_deref(), Some("a.b"));
    }

    #[test]
    fn hostile_domains_are_skipped() {
        let msg = "From: a@exa mple.org\r\nReturn-Path: <x@[192.0.2.1]>\r\nDKIM-Signature: d=<script>.example; s=1\r\n\r\n";
        let r = run(msg, vec![], None, opts(), RuleId::Blocklists);
        assert!(
            matches!(r.verdict, Verdict::NotApplicable | Verdict::Unknown),
            "{r:#?}"
        );
    }
}
