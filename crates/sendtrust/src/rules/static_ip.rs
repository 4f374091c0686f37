//! Rule 1 — static IP (`static-ip`): is the sending server on a dynamic,
//! residential address?
//!
//! Signals, each shown as evidence:
//! - strong (fail): a Spamhaus PBL listing (ZEN 127.0.0.10/.11, or the same
//!   through the user's DQS key); a reverse name that reads as residential
//!   ([`dynamic_name`](super::dynamic_name));
//! - weak (warn): a generic reverse name that embeds the address, no reverse
//!   name at all, a SpamRATS Dyna or NoPtr listing, a HELO that is an address
//!   literal, a local or single-word name, or looks residential itself.
//!
//! Pass only when none of these point to a dynamic address; unknown when the
//! reverse name could not be looked up and nothing else says anything; a
//! private or reserved IP is `not-applicable`.

use super::Context;
use super::dnsbl::{self, CodeClass, Status};
use super::dynamic_name::{HeloKind, NameKind, classify, read_helo};
use super::sender_ip::{own_domain, target};
use crate::dns::{Answer, QType, Rdata, Resolver};
use crate::report::{Evidence, RuleDetails, RuleId, RuleResult, Verdict};

pub use crate::details::static_ip::{
    HeloReading, PtrLookup, PtrName, PtrStatus, Signals, StaticIpDetails,
};

/// Most PTR names read per address (a hostile zone could publish hundreds).
const MAX_PTR_NAMES: usize = 5;

/// Runs the check.
pub async fn check(ctx: &Context<'_>) -> RuleResult {
    let t = match target(ctx, RuleId::StaticIp) {
        Ok(t) => t,
        Err(result) => return *result,
    };
    let ip = t.ip;
    let domain = own_domain(ctx);
    let reverse = Resolver::reverse_name(ip);
    let (lists, dqs_note) = dnsbl::dynamic_lists(ctx.options);
    let (ptr, list_results) = futures::future::join(
        ctx.resolver.lookup(&reverse, QType::Ptr),
        futures::future::join_all(lists.iter().map(|s| dnsbl::check_ip(ctx.resolver, ip, s))),
    )
    .await;

    let mut evidence = vec![t.evidence.clone()];
    let mut strong: Vec<String> = Vec::new();
    let mut weak: Vec<String> = Vec::new();
    let mut fixes: Vec<String> = Vec::new();

    // The reverse name.
    let mut ptr_error = None;
    let mut ptr_names = Vec::new();
    let ptr_detail = match &ptr {
        Ok(Answer::Records(records)) => {
            for name in records
                .iter()
                .filter_map(|r| match r {
                    Rdata::Ptr(n) => Some(n.as_str()),
                    _ => None,
                })
                .take(MAX_PTR_NAMES)
            {
                let reading = classify(name, Some(ip));
                let label = format!("Reverse name (PTR) of {ip}");
                let value = format!("{name} — {}: {}", describe(reading.kind), reading.explain());
                match reading.kind {
                    NameKind::Dynamic => {
                        strong.push(format!("its reverse name {name} reads as residential"));
                        evidence.push(Evidence::bad(label, value));
                    }
                    NameKind::Generic => {
                        weak.push(format!(
                            "its reverse name {name} is a generic one that embeds the address"
                        ));
                        evidence.push(Evidence::bad(label, value));
                    }
                    _ => evidence.push(Evidence::good(label, value)),
                }
                ptr_names.push(PtrName {
                    name: name.to_string(),
                    kind: reading.kind,
                    reasons: reading.reasons,
                    provider: reading.provider.map(str::to_string),
                });
            }
            if ptr_names.is_empty() {
                weak.push("it has no reverse name (PTR)".to_string());
            }
            PtrLookup {
                query: reverse.clone(),
                status: PtrStatus::Records,
                names: Some(ptr_names),
                error: None,
            }
        }
        Ok(a @ (Answer::NxDomain | Answer::NoData)) => {
            weak.push("it has no reverse name (PTR), as is common for dynamic ranges".to_string());
            evidence.push(Evidence::bad(
                format!("Reverse name (PTR) of {ip}"),
                format!("none ({} for {reverse})", a.status()),
            ));
            PtrLookup {
                query: reverse.clone(),
                status: if matches!(a, Answer::NxDomain) {
                    PtrStatus::Nxdomain
                } else {
                    PtrStatus::Nodata
                },
                names: None,
                error: None,
            }
        }
        Err(f) => {
            ptr_error = Some(f.to_string());
            evidence.push(Evidence::error(
                format!("Reverse name (PTR) of {ip}"),
                format!("could not check: {f}"),
            ));
            PtrLookup {
                query: reverse.clone(),
                status: PtrStatus::Error,
                names: None,
                error: Some(f.to_string()),
            }
        }
    };
    if strong.iter().any(|s| s.contains("reverse name")) {
        fixes.push(format!(
            "{ip} looks like a home or mobile connection. Send through your provider's or mail \
             host's SMTP relay (a smarthost, authenticated on port 587) instead of delivering \
             directly, or move the server to a static IP and ask its provider to set a PTR \
             record for {ip} pointing to a name like mail.{domain}."
        ));
    } else if weak.iter().any(|s| s.contains("reverse name")) {
        fixes.push(format!(
            "Ask your provider to set a PTR record for {ip} pointing to a name of your own, \
             such as mail.{domain}, that resolves back to {ip}."
        ));
    }

    // The dynamic-range lists.
    let mut list_definitive = false;
    for r in &list_results {
        let label = format!("{} ({})", r.list, r.zone);
        match (r.status, r.class) {
            (Status::Listed, Some(CodeClass::DynamicRange)) => {
                list_definitive = true;
                strong.push(format!(
                    "it is in the Spamhaus PBL ({}: {})",
                    r.codes.join(", "),
                    r.meaning.as_deref().unwrap_or("end-user range")
                ));
                evidence.push(Evidence::bad(label, r.summary()));
                fixes.insert(
                    0,
                    format!(
                        "Don't deliver mail straight from {ip}: its owner lists it as an \
                         end-user range. Send through your provider's or mail host's SMTP relay \
                         (a smarthost, authenticated on port 587), or move the server to a static \
                         address. If {ip} is a static address that is yours, ask your ISP to take \
                         it out of its PBL range, or request removal at https://check.spamhaus.org/."
                    ),
                );
            }
            (Status::Listed, Some(CodeClass::DynamicHint)) => {
                list_definitive = true;
                weak.push(format!(
                    "{} lists it ({})",
                    r.list,
                    r.meaning.as_deref().unwrap_or("dynamic-looking")
                ));
                evidence.push(Evidence::bad(label, r.summary()));
                if let Some(removal) = &r.removal {
                    fixes.push(format!(
                        "Once the reverse name is fixed, ask {} for removal at {removal}.",
                        r.list
                    ));
                }
            }
            (Status::Listed, _) => {
                list_definitive = true;
                evidence.push(Evidence::neutral(
                    label,
                    format!(
                        "{} (not a dynamic-range listing; see the Blocklists rule)",
                        r.summary()
                    ),
                ));
            }
            (Status::NotListed, _) => {
                list_definitive = true;
                evidence.push(Evidence::good(label, "not listed"));
            }
            (Status::Skipped, _) => evidence.push(Evidence::neutral(label, r.summary())),
            (Status::Error | Status::InvalidAnswer, _) => {
                evidence.push(Evidence::error(label, r.summary()));
            }
        }
    }
    if let Some(note) = &dqs_note {
        evidence.push(Evidence::error("Spamhaus DQS key", note.clone()));
    }

    // The HELO name.
    let helo_detail = match t.helo.as_deref() {
        None => {
            evidence.push(Evidence::neutral(
                "HELO name",
                "not recorded by the receiver",
            ));
            HeloReading::Missing
        }
        Some(helo) => match read_helo(helo) {
            HeloKind::AddressLiteral(a) => {
                weak.push(format!(
                    "it greeted with a bare address ({helo}), as home machines and bots do"
                ));
                evidence.push(Evidence::bad(
                    "HELO name",
                    format!("{helo} — an address literal ({a}), not a name"),
                ));
                HeloReading::AddressLiteral {
                    value: helo.to_string(),
                }
            }
            HeloKind::Generic(why) => {
                weak.push(format!("it greeted with \"{helo}\", {why}"));
                evidence.push(Evidence::bad("HELO name", format!("{helo} — {why}")));
                HeloReading::Generic {
                    value: helo.to_string(),
                    reason: why.to_string(),
                }
            }
            HeloKind::Name(name) => {
                let reading = classify(&name, Some(ip));
                if reading.kind == NameKind::Dynamic {
                    weak.push(format!("its HELO name {name} reads as residential"));
                    evidence.push(Evidence::bad(
                        "HELO name",
                        format!("{name} — reads as residential: {}", reading.explain()),
                    ));
                } else {
                    evidence.push(Evidence::good(
                        "HELO name",
                        format!("{name} — {}", describe(reading.kind)),
                    ));
                }
                HeloReading::Name {
                    value: helo.to_string(),
                    name_kind: reading.kind,
                    reasons: reading.reasons,
                }
            }
        },
    };
    if weak
        .iter()
        .any(|w| w.contains("greeted") || w.contains("HELO"))
    {
        fixes.push(format!(
            "Configure the server to greet (HELO/EHLO) with its full name, such as \
             mail.{domain}, that resolves to {ip}."
        ));
    }

    let (verdict, summary) = if !strong.is_empty() {
        (
            Verdict::Fail,
            format!("{ip} looks dynamic: {}.", strong.join("; ")),
        )
    } else if !weak.is_empty() {
        let mut s = format!("{ip} may be dynamic: {}.", weak.join("; "));
        if let Some(e) = &ptr_error {
            s.push_str(&format!(" Its reverse name could not be checked ({e})."));
        }
        (Verdict::Warn, s)
    } else if let Some(e) = &ptr_error {
        (
            Verdict::Unknown,
            format!("Could not check {ip}: its reverse name lookup failed ({e})."),
        )
    } else {
        let mut s = format!("{ip} looks static: nothing points to a dynamic address.");
        if !list_definitive {
            s.push_str(
                " Judged by the name only: no dynamic-range list could be asked (see evidence).",
            );
        }
        (Verdict::Pass, s)
    };

    let details = StaticIpDetails {
        sender: t.details.clone(),
        ptr: ptr_detail,
        helo: helo_detail,
        lists: list_results,
        signals: Signals { strong, weak },
    };

    let mut result = RuleResult::new(RuleId::StaticIp, verdict, summary);
    result.evidence = evidence;
    result.details = Some(RuleDetails::StaticIp(Box::new(details)));
    if matches!(verdict, Verdict::Fail | Verdict::Warn) && !fixes.is_empty() {
        result.fix = Some(fixes.join(" "));
    } else if verdict == Verdict::Unknown {
        result.fix = Some(
            "Try again, or choose another DNS provider in the settings; the verdict needs the \
             reverse name of the address."
                .to_string(),
        );
    }
    result
}

fn describe(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Specific => "a server's own name",
        NameKind::Provider => "a hosting provider's generated name (a static data-centre address)",
        NameKind::StaticGeneric => "an ISP's generated name marked static",
        NameKind::Generic => "a generic name that embeds the address",
        NameKind::Dynamic => "a residential or dynamic name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::dns::{DnsFailure, Lookup};
    use crate::rules::sender_ip::test_support::{Fixtures, run};

    fn rule(raw: &str, fixtures: Fixtures) -> RuleResult {
        run(raw, fixtures, None, Options::default(), RuleId::StaticIp)
    }

    fn ptr(name: &str) -> Lookup {
        Ok(Answer::Records(vec![Rdata::Ptr(name.into())]))
    }

    fn msg(ip: &str, helo: &str) -> String {
        format!(
            "Received: from {helo} (host [{ip}]) by mx.recipient.example with ESMTP id 1; \
             Tue, 1 Jul 2025 12:00:00 +0000\r\nFrom: a@example.org\r\nSubject: t\r\n\r\nbody\r\n"
        )
    }

    #[test]
    fn residential_name_fails_specific_name_passes() {
        let fixtures = vec![
            (
                ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
                ptr("c-192-0-2-10.hsd1.ca.comcast.net"),
            ),
            (
                ("10.2.0.192.zen.spamhaus.org".to_string(), QType::A),
                Ok(Answer::NxDomain),
            ),
        ];
        let r = rule(&msg("192.0.2.10", "box.example.org"), fixtures);
        assert_eq!(r.verdict, Verdict::Fail, "{r:?}");
        assert!(r.fix.unwrap().contains("smarthost"));

        let fixtures = vec![
            (
                ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
                ptr("mail.example.org"),
            ),
            (
                ("10.2.0.192.zen.spamhaus.org".to_string(), QType::A),
                Ok(Answer::NxDomain),
            ),
        ];
        let r = rule(&msg("192.0.2.10", "mail.example.org"), fixtures);
        assert_eq!(r.verdict, Verdict::Pass, "{r:?}");
    }

    #[test]
    fn consumer_isp_name_fails_hosting_name_passes_unknown_warns() {
        let with_ptr = |name: &str| {
            vec![
                (
                    ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
                    ptr(name),
                ),
                (
                    ("10.2.0.192.zen.spamhaus.org".to_string(), QType::A),
                    Ok(Answer::NxDomain),
                ),
            ]
        };
        let m = msg("192.0.2.10", "box.example.org");
        // No dyn/pool/dsl word: the consumer ISP's domain decides.
        let r = rule(&m, with_ptr("ip192-0-2-10.ph.ph.cox.net"));
        assert_eq!(r.verdict, Verdict::Fail, "{r:?}");
        assert!(
            r.evidence
                .iter()
                .any(|e| e.tone == crate::report::Tone::Bad
                    && e.value.contains("Cox, a consumer ISP")),
            "{:?}",
            r.evidence
        );
        // The same embedding under a hosting provider: static, passes.
        let r = rule(&m, with_ptr("ec2-192-0-2-10.compute-1.amazonaws.com"));
        assert_eq!(r.verdict, Verdict::Pass, "{r:?}");
        // Under an unknown domain: only "may be dynamic".
        let r = rule(&m, with_ptr("192-0-2-10.example-net.test"));
        assert_eq!(r.verdict, Verdict::Warn, "{r:?}");
    }

    #[test]
    fn pbl_fails_and_refusal_is_not_a_listing() {
        let fixtures = vec![
            (
                ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
                ptr("mail.example.org"),
            ),
            (
                ("10.2.0.192.zen.spamhaus.org".to_string(), QType::A),
                Ok(Answer::Records(vec![Rdata::A([127, 0, 0, 10].into())])),
            ),
            (
                ("1.0.0.127.zen.spamhaus.org".to_string(), QType::A),
                Ok(Answer::NxDomain),
            ),
        ];
        let r = rule(&msg("192.0.2.10", "mail.example.org"), fixtures);
        assert_eq!(r.verdict, Verdict::Fail, "{r:?}");
        assert!(r.summary.contains("PBL"));

        let fixtures = vec![
            (
                ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
                ptr("mail.example.org"),
            ),
            (
                ("10.2.0.192.zen.spamhaus.org".to_string(), QType::A),
                Ok(Answer::Records(vec![Rdata::A([127, 255, 255, 254].into())])),
            ),
        ];
        let r = rule(&msg("192.0.2.10", "mail.example.org"), fixtures);
        assert_eq!(r.verdict, Verdict::Pass, "{r:?}");
        assert!(r.summary.contains("name only"));
    }

    #[test]
    fn failures_are_unknown_and_bare_ip_helo_warns() {
        let fixtures = vec![(
            ("10.2.0.192.in-addr.arpa".to_string(), QType::Ptr),
            Err(DnsFailure::Timeout),
        )];
        let r = rule(&msg("192.0.2.10", "mail.example.org"), fixtures.clone());
        assert_eq!(r.verdict, Verdict::Unknown, "{r:?}");
        let r = rule(&msg("192.0.2.10", "[192.0.2.10]"), fixtures);
        assert_eq!(r.verdict, Verdict::Warn, "{r:?}");
    }

    #[test]
    fn private_ip_is_not_applicable() {
        let r = run(
            &msg("192.0.2.10", "mail.example.org"),
            vec![],
            Some("10.1.2.3".parse().unwrap()),
            Options::default(),
            RuleId::StaticIp,
        );
        assert_eq!(r.verdict, Verdict::NotApplicable);
        assert!(r.summary.contains("private"));
    }
}
