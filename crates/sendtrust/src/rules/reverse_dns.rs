//! Rule 2 — forward and reverse DNS (`reverse-dns`): does the sending IP have
//! a reverse name (PTR) that points back to it (forward-confirmed reverse
//! DNS, FCrDNS), and does its HELO name agree?
//!
//! - No PTR: fail. PTR names none of which resolve (A for IPv4, AAAA for
//!   IPv6) to the IP: fail. A lookup that fails: unknown, never pass or fail.
//! - Confirmed: pass, or warn when the name is a generic provider or ISP name
//!   (fine for FCrDNS, but bulk-mail receivers want a name of the sender's
//!   own), when only some of several PTR names confirm, or when the HELO name
//!   does not resolve or resolves elsewhere, or is not a name at all.
//! - What the receiving server recorded at the time (the rdns in the hop, or
//!   "unknown") is compared with today's answer, and a difference explained.

use super::Context;
use super::dynamic_name::{HeloKind, NameKind, classify, read_helo};
use super::rdns_fix::{ReverseFacts, helo_settings, reverse_dns_records};
use super::sender_ip::{own_domain, target};
use super::static_ip::{PtrLookup, PtrStatus};
use crate::dns::{self, Answer, DnsFailure, Lookup, QType, Rdata, Resolver};
use crate::report::{Evidence, RecordedRdns, RuleDetails, RuleId, RuleResult, Verdict};
use std::net::IpAddr;

pub use crate::details::reverse_dns::{
    ForwardLookup, ForwardStatus, HeloCheck, HeloLookup, PtrHost, RecordedCheck, ReverseDnsDetails,
};

/// Most PTR names checked per address.
const MAX_PTR_NAMES: usize = 5;

fn qtype_for(ip: IpAddr) -> QType {
    if ip.is_ipv4() { QType::A } else { QType::Aaaa }
}

fn addresses(lookup: &Lookup) -> Vec<IpAddr> {
    lookup
        .as_ref()
        .map(|a| {
            a.records()
                .iter()
                .filter_map(|r| match r {
                    Rdata::A(v4) => Some(IpAddr::V4(*v4)),
                    Rdata::Aaaa(v6) => Some(IpAddr::V6(*v6)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How one name's forward lookup relates to the IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forward {
    Confirmed,
    Mismatch,
    NoAddress,
    Error,
}

impl Forward {
    fn of(lookup: &Lookup, ip: IpAddr) -> Self {
        match lookup {
            Err(_) => Forward::Error,
            Ok(Answer::NxDomain | Answer::NoData) => Forward::NoAddress,
            Ok(Answer::Records(_)) => {
                let addrs = addresses(lookup);
                if addrs.contains(&ip) {
                    Forward::Confirmed
                } else if addrs.is_empty() {
                    Forward::NoAddress
                } else {
                    Forward::Mismatch
                }
            }
        }
    }

    fn status(self, lookup: &Lookup) -> ForwardStatus {
        match (self, lookup) {
            (_, Err(DnsFailure::InvalidName(_))) => ForwardStatus::InvalidName,
            (Forward::Confirmed, _) => ForwardStatus::Confirmed,
            (Forward::Mismatch, _) => ForwardStatus::Mismatch,
            (Forward::NoAddress, Ok(Answer::NxDomain)) => ForwardStatus::Nxdomain,
            (Forward::NoAddress, _) => ForwardStatus::Nodata,
            (Forward::Error, _) => ForwardStatus::Error,
        }
    }
}

fn answer_text(lookup: &Lookup) -> String {
    match lookup {
        Ok(Answer::Records(_)) => {
            let a = addresses(lookup);
            if a.is_empty() {
                "no address".to_string()
            } else {
                a.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
        Ok(other) => format!("no address ({})", other.status()),
        Err(f) => format!("could not check: {f}"),
    }
}

/// The reverse zone that holds `reverse` (the PTR name of `ip`) and the name
/// servers it is delegated to: the closest of the usual delegation points
/// (IPv4: the address, /24, /16; IPv6: /64, /56, /48) that has NS records.
/// `None` when none has, or a lookup fails (then nobody is named).
async fn reverse_zone(
    resolver: &Resolver,
    reverse: &str,
    ip: IpAddr,
) -> Option<(String, Vec<String>)> {
    let labels: Vec<&str> = reverse.split('.').collect();
    // Labels to drop from the full reverse name for each candidate zone.
    let drops: &[usize] = if ip.is_ipv4() {
        &[0, 1, 2]
    } else {
        &[16, 18, 20]
    };
    let zones: Vec<String> = drops
        .iter()
        .map(|&drop| labels.get(drop..).map(|l| l.join(".")))
        .collect::<Option<_>>()?;
    // All candidates at once (one round trip instead of up to three); the
    // closest with NS records wins, and a failure closer than it names nobody.
    let answers =
        futures::future::join_all(zones.iter().map(|z| resolver.lookup(z, QType::Ns))).await;
    for (zone, answer) in zones.into_iter().zip(answers) {
        match answer {
            Ok(Answer::Records(records)) => {
                let servers: Vec<String> = records
                    .iter()
                    .filter_map(|r| match r {
                        Rdata::Ns(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                if !servers.is_empty() {
                    return Some((zone, servers));
                }
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Runs the check.
pub async fn check(ctx: &Context<'_>) -> RuleResult {
    let t = match target(ctx, RuleId::ReverseDns) {
        Ok(t) => t,
        Err(result) => return *result,
    };
    let ip = t.ip;
    let qtype = qtype_for(ip);
    let rr = qtype.as_str();
    let domain = own_domain(ctx);
    let reverse = Resolver::reverse_name(ip);

    // Stage 1: the PTR and the HELO name's address, together.
    let helo_kind = t.helo.as_deref().map(read_helo);
    let helo_name = match &helo_kind {
        Some(HeloKind::Name(n)) => dns::to_ascii_name(n),
        _ => None,
    };
    let (ptr, helo_lookup) =
        futures::future::join(ctx.resolver.lookup(&reverse, QType::Ptr), async {
            match &helo_name {
                Some(n) => Some(ctx.resolver.lookup(n, qtype).await),
                None => None,
            }
        })
        .await;

    let mut evidence = vec![t.evidence.clone()];
    let recorded = t.rdns.clone();

    let names: Vec<String> = match &ptr {
        Ok(Answer::Records(records)) => records
            .iter()
            .filter_map(|r| match r {
                Rdata::Ptr(n) => Some(n.clone()),
                _ => None,
            })
            .take(MAX_PTR_NAMES)
            .collect(),
        _ => Vec::new(),
    };
    let ptr_detail = PtrLookup {
        query: reverse.clone(),
        status: match &ptr {
            Ok(Answer::Records(_)) => PtrStatus::Records,
            Ok(Answer::NxDomain) => PtrStatus::Nxdomain,
            Ok(Answer::NoData) => PtrStatus::Nodata,
            Err(_) => PtrStatus::Error,
        },
        names: Some(
            names
                .iter()
                .map(|name| PtrHost { name: name.clone() })
                .collect(),
        ),
        error: ptr.as_ref().err().map(ToString::to_string),
    };

    // Stage 2: each PTR name's forward lookup.
    let forwards: Vec<Lookup> = futures::future::join_all(names.iter().map(|n| async move {
        match dns::to_ascii_name(n) {
            Some(a) => ctx.resolver.lookup(&a, qtype).await,
            None => Err(DnsFailure::InvalidName(n.clone())),
        }
    }))
    .await;

    match &ptr {
        Ok(Answer::Records(_)) if !names.is_empty() => evidence.push(Evidence::neutral(
            format!("PTR of {ip} ({reverse})"),
            names.join(", "),
        )),
        Ok(a) => evidence.push(Evidence::bad(
            format!("PTR of {ip} ({reverse})"),
            format!(
                "none ({})",
                if names.is_empty() && matches!(a, Answer::Records(_)) {
                    "no PTR records"
                } else {
                    a.status()
                }
            ),
        )),
        Err(f) => evidence.push(Evidence::error(
            format!("PTR of {ip} ({reverse})"),
            format!("could not check: {f}"),
        )),
    }

    let mut forward_detail = Vec::new();
    let mut confirmed: Vec<&str> = Vec::new();
    let mut any_error = false;
    let mut invalid_names = Vec::new();
    for (name, lookup) in names.iter().zip(&forwards) {
        let f = Forward::of(lookup, ip);
        let label = format!("{rr} of {name}");
        match f {
            Forward::Confirmed => {
                confirmed.push(name);
                evidence.push(Evidence::good(
                    label,
                    format!("{} — includes {ip}: forward-confirmed", answer_text(lookup)),
                ));
            }
            Forward::Mismatch => evidence.push(Evidence::bad(
                label,
                format!("{} — does not include {ip}", answer_text(lookup)),
            )),
            Forward::NoAddress => evidence.push(Evidence::bad(label, answer_text(lookup))),
            Forward::Error => {
                if matches!(lookup, Err(DnsFailure::InvalidName(_))) {
                    invalid_names.push(name.as_str());
                    evidence.push(Evidence::bad(
                        format!("PTR name {name}"),
                        "not a valid host name, so it cannot resolve back to the address",
                    ));
                } else {
                    any_error = true;
                    evidence.push(Evidence::error(label, answer_text(lookup)));
                }
            }
        }
        forward_detail.push(ForwardLookup {
            name: name.clone(),
            qtype: rr.to_string(),
            status: f.status(lookup),
            addresses: addresses(lookup).iter().map(ToString::to_string).collect(),
            error: lookup.as_ref().err().map(ToString::to_string),
        });
    }

    // The name's kind: generic provider names pass FCrDNS but earn a warning.
    let confirmed_reading = confirmed.first().map(|n| (*n, classify(n, Some(ip))));

    // HELO.
    let mut warnings: Vec<String> = Vec::new();
    let mut fixes: Vec<String> = Vec::new();
    let helo_detail = match (&t.helo, &helo_kind) {
        (None, _) | (_, None) => {
            evidence.push(Evidence::neutral(
                "HELO name",
                "not recorded by the receiver",
            ));
            HeloCheck::Missing
        }
        (Some(h), Some(HeloKind::AddressLiteral(a))) => {
            warnings.push(format!(
                "the server greeted with a bare address ({h}), not a name"
            ));
            evidence.push(Evidence::bad(
                "HELO name",
                format!("{h} — an address literal ({a})"),
            ));
            HeloCheck::AddressLiteral { value: h.clone() }
        }
        (Some(h), Some(HeloKind::Generic(why))) => {
            warnings.push(format!("the HELO name \"{h}\" is {why}"));
            evidence.push(Evidence::bad("HELO name", format!("{h} — {why}")));
            HeloCheck::Generic {
                value: h.clone(),
                reason: why.to_string(),
            }
        }
        (Some(h), Some(HeloKind::Name(n))) => match (&helo_name, &helo_lookup) {
            (Some(ascii), Some(lookup)) => {
                let f = Forward::of(lookup, ip);
                let label = format!("HELO {n} ({rr})");
                let found = HeloLookup {
                    value: h.clone(),
                    name: ascii.clone(),
                    addresses: addresses(lookup).iter().map(ToString::to_string).collect(),
                    error: lookup.as_ref().err().map(ToString::to_string),
                };
                match f {
                    Forward::Confirmed => {
                        evidence.push(Evidence::good(
                            label,
                            format!("{} — includes {ip}: agrees", answer_text(lookup)),
                        ));
                        HeloCheck::Agrees(found)
                    }
                    Forward::Mismatch => {
                        warnings.push(format!("the HELO name {n} resolves to other addresses"));
                        evidence.push(Evidence::bad(
                            label,
                            format!("{} — does not include {ip}", answer_text(lookup)),
                        ));
                        HeloCheck::ResolvesElsewhere(found)
                    }
                    Forward::NoAddress => {
                        warnings.push(if matches!(lookup, Ok(Answer::NxDomain)) {
                            format!("the HELO name {n} does not exist in DNS")
                        } else {
                            format!("the HELO name {n} has no {rr} record")
                        });
                        evidence.push(Evidence::bad(label, answer_text(lookup)));
                        HeloCheck::DoesNotResolve(found)
                    }
                    Forward::Error => {
                        evidence.push(Evidence::error(label, answer_text(lookup)));
                        if matches!(lookup, Err(DnsFailure::InvalidName(_))) {
                            warnings
                                .push(format!("the HELO name \"{h}\" is not a valid host name"));
                            HeloCheck::InvalidName {
                                value: found.value,
                                name: Some(found.name),
                                addresses: Some(found.addresses),
                                error: found.error,
                            }
                        } else {
                            HeloCheck::Error(found)
                        }
                    }
                }
            }
            _ => {
                warnings.push(format!("the HELO name \"{h}\" is not a valid host name"));
                evidence.push(Evidence::bad(
                    "HELO name",
                    format!("{h} — not a valid host name"),
                ));
                HeloCheck::InvalidName {
                    value: h.clone(),
                    name: None,
                    addresses: None,
                    error: None,
                }
            }
        },
    };
    if !warnings.is_empty() {
        let name = confirmed
            .first()
            .map_or_else(|| format!("mail.{domain}"), |n| n.to_string());
        fixes.push(format!(
            "Configure the server to greet (HELO/EHLO) with its full name, {name}, with an {rr} \
             record pointing to {ip}."
        ));
    }

    // What the receiver recorded at the time.
    let normalized_names: Vec<String> = names.iter().map(|n| dns::normalize_name(n)).collect();
    let recorded_detail = match &recorded {
        Some(RecordedRdns::Name(n)) => {
            let rec = dns::normalize_name(n);
            let matches = normalized_names.contains(&rec);
            let value = if matches {
                format!("{n} — the same name as today")
            } else if names.is_empty() {
                format!(
                    "{n} — but today {ip} has no PTR: it was removed or changed since the message \
                     was received"
                )
            } else {
                format!(
                    "{n} — today the PTR says {}: the PTR changed since the message was received, \
                     or the receiver recorded another name there (some log the HELO name)",
                    names.join(", ")
                )
            };
            evidence.push(if matches {
                Evidence::good("Recorded by the receiver", value)
            } else {
                Evidence::neutral("Recorded by the receiver", value)
            });
            RecordedCheck::Name {
                name: n.clone(),
                matches,
            }
        }
        Some(RecordedRdns::Unknown) => {
            let value = if confirmed.is_empty() {
                "unknown — the receiver found no confirmed name either".to_string()
            } else {
                format!(
                    "unknown — yet today {ip} has the forward-confirmed name {}. The receiver \
                     could not confirm a name when the message arrived: the PTR or its {rr} \
                     record was added or fixed since, or DNS failed at that moment. Receivers \
                     judged this message as coming from an address without a name.",
                    confirmed.join(", ")
                )
            };
            evidence.push(if confirmed.is_empty() {
                Evidence::neutral("Recorded by the receiver", value)
            } else {
                Evidence::bad("Recorded by the receiver", value)
            });
            RecordedCheck::Unknown {
                matches: confirmed.is_empty(),
            }
        }
        Some(RecordedRdns::Address(written)) => {
            evidence.push(Evidence::neutral(
                "Recorded by the receiver",
                format!(
                    "no reverse name: the hop writes the address {written} where the name goes"
                ),
            ));
            RecordedCheck::None { matches: None }
        }
        None => {
            evidence.push(Evidence::neutral(
                "Recorded by the receiver",
                "no reverse name recorded in the hop",
            ));
            RecordedCheck::None { matches: None }
        }
    };

    // The verdict.
    let (verdict, summary) = match &ptr {
        Err(f) => (
            Verdict::Unknown,
            format!("Could not check {ip}: the PTR lookup failed ({f})."),
        ),
        Ok(_) if names.is_empty() => {
            // The same name as the exact fix (`fix_records`): the HELO name
            // when it is a full name; otherwise only an example.
            let target = match (&helo_kind, &helo_name) {
                (Some(HeloKind::Name(_)), Some(n)) => n.clone(),
                _ => format!("a name of your own (such as mail.{domain})"),
            };
            fixes.insert(
                0,
                format!(
                    "Ask whoever controls {ip} (your hosting provider or ISP, not your domain's \
                     DNS host) to set a PTR record for {ip} pointing to {target}, and give \
                     that name an {rr} record for {ip}."
                ),
            );
            (Verdict::Fail, format!("{ip} has no reverse name (PTR)."))
        }
        Ok(_) if confirmed.is_empty() && any_error => (
            Verdict::Unknown,
            format!(
                "Could not confirm {}: the forward lookup failed.",
                names.join(", ")
            ),
        ),
        Ok(_) if confirmed.is_empty() => {
            let first = &names[0];
            fixes.insert(
                0,
                format!(
                    "Either add an {rr} record for {first} pointing to {ip} (if {first} is your \
                     name), or ask your provider to change the PTR of {ip} to a name whose {rr} \
                     record is {ip}, such as mail.{domain}."
                ),
            );
            let why = if invalid_names.len() == names.len() {
                "is not a valid host name".to_string()
            } else {
                format!("does not resolve back to it ({rr})")
            };
            (
                Verdict::Fail,
                format!("{ip}'s reverse name {} {why}.", names.join(", ")),
            )
        }
        Ok(_) => {
            let Some((name, reading)) = &confirmed_reading else {
                return RuleResult::new(
                    RuleId::ReverseDns,
                    Verdict::Unknown,
                    "internal: no confirmed name",
                );
            };
            match reading.kind {
                NameKind::Specific => {}
                NameKind::Dynamic => warnings.insert(
                    0,
                    format!("{name} reads as a residential name (see Static IP)"),
                ),
                _ => {
                    warnings.insert(
                        0,
                        format!(
                            "{name} is a generic {} name: it passes FCrDNS, but receivers of \
                             bulk mail expect a name in the sender's own domain",
                            reading.provider.unwrap_or("provider")
                        ),
                    );
                    fixes.insert(
                        0,
                        format!(
                            "Ask your provider to set the PTR record for {ip} to a name of your \
                             own, such as mail.{domain}, with an {rr} record pointing back to {ip}."
                        ),
                    );
                }
            }
            if confirmed.len() < names.len() {
                warnings.push(format!(
                    "{} of {} PTR names resolve back; receivers may check any one of them",
                    confirmed.len(),
                    names.len()
                ));
                fixes.push(format!(
                    "Keep a single PTR record for {ip}, the name that resolves back to it."
                ));
            }
            if warnings.is_empty() {
                (
                    Verdict::Pass,
                    format!("{ip} has a forward-confirmed reverse name: {name}."),
                )
            } else {
                (
                    Verdict::Warn,
                    format!(
                        "{ip} has a forward-confirmed reverse name ({name}), but {}.",
                        warnings.join("; ")
                    ),
                )
            }
        }
    };

    let details = ReverseDnsDetails {
        sender: t.details.clone(),
        ptr: ptr_detail,
        forward: forward_detail,
        fcrdns: match (&ptr, confirmed.is_empty(), any_error) {
            (Err(_), _, _) => None,
            (_, false, _) => Some(true),
            (_, true, true) => None,
            (_, true, false) => Some(false),
        },
        confirmed_names: confirmed.iter().map(|n| n.to_string()).collect(),
        name_kind: confirmed_reading.as_ref().map(|(_, r)| r.kind),
        helo: helo_detail,
        recorded: recorded_detail,
    };

    let mut result = RuleResult::new(RuleId::ReverseDns, verdict, summary);
    if matches!(verdict, Verdict::Fail | Verdict::Warn) {
        let valid_names: Vec<String> = names
            .iter()
            .filter(|n| !invalid_names.contains(&n.as_str()))
            .cloned()
            .collect();
        let facts = ReverseFacts {
            ptr_names: &valid_names,
            confirmed: &confirmed,
            confirmed_is_generic: confirmed_reading
                .as_ref()
                .is_some_and(|(_, r)| r.kind != NameKind::Specific),
            helo_name: match &helo_kind {
                Some(HeloKind::Name(_)) => helo_name.as_deref(),
                _ => None,
            },
            helo_resolves_here: helo_lookup
                .as_ref()
                .is_some_and(|l| Forward::of(l, ip) == Forward::Confirmed),
            reverse_zone: None,
        };
        result.fix_records = reverse_dns_records(ip, &facts);
        // A PTR to change: name whoever the reverse zone is delegated to.
        if result.fix_records.iter().any(|r| r.rtype == "PTR")
            && let Some((zone, servers)) = reverse_zone(ctx.resolver, &reverse, ip).await
        {
            let facts = ReverseFacts {
                reverse_zone: Some((&zone, &servers)),
                ..facts.clone()
            };
            result.fix_records = reverse_dns_records(ip, &facts);
        }
        // The name the server should greet with: the one its PTR names (or
        // will name, after the fix); settings only when HELO is not it.
        let server_name = result
            .fix_records
            .iter()
            .find(|r| r.rtype == "PTR")
            .and_then(|r| r.value.clone())
            .or_else(|| confirmed.first().map(|n| n.to_string()))
            .or_else(|| valid_names.first().cloned());
        if let Some(name) = server_name
            && facts.helo_name != Some(name.as_str())
        {
            result.fix_settings = helo_settings(&name);
        }
    }
    result.evidence = evidence;
    result.details = Some(RuleDetails::ReverseDns(Box::new(details)));
    result.fix = match verdict {
        Verdict::Fail | Verdict::Warn if !fixes.is_empty() => Some(fixes.join(" ")),
        Verdict::Unknown => {
            Some("Try again, or choose another DNS provider in the settings.".to_string())
        }
        _ => None,
    };
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;
    use crate::rules::sender_ip::test_support::{Fixtures, run};

    fn rule(raw: &str, fixtures: Fixtures) -> RuleResult {
        run(raw, fixtures, None, Options::default(), RuleId::ReverseDns)
    }

    fn msg(ip: &str, helo: &str, rdns: &str) -> String {
        format!(
            "Received: from {helo} ({rdns} [{ip}]) by mx.recipient.example with ESMTP id 1; \
             Tue, 1 Jul 2025 12:00:00 +0000\r\nFrom: a@example.org\r\nSubject: t\r\n\r\nbody\r\n"
        )
    }

    fn ptr(name: &str) -> Lookup {
        Ok(Answer::Records(vec![Rdata::Ptr(name.into())]))
    }

    fn a(ip: &str) -> Lookup {
        Ok(Answer::Records(vec![match ip.parse::<IpAddr>().unwrap() {
            IpAddr::V4(v) => Rdata::A(v),
            IpAddr::V6(v) => Rdata::Aaaa(v),
        }]))
    }

    fn key(name: &str, q: QType) -> (String, QType) {
        (name.to_string(), q)
    }

    #[test]
    fn confirmed_specific_name_passes() {
        let f = vec![
            (
                key("10.2.0.192.in-addr.arpa", QType::Ptr),
                ptr("mail.example.org"),
            ),
            (key("mail.example.org", QType::A), a("192.0.2.10")),
        ];
        let r = rule(
            &msg("192.0.2.10", "mail.example.org", "mail.example.org"),
            f,
        );
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
        let details = r.reverse_dns_details().expect("rule 2's details");
        assert_eq!(details.fcrdns, Some(true));
        assert_eq!(
            details.recorded,
            RecordedCheck::Name {
                name: "mail.example.org".into(),
                matches: true
            }
        );
    }

    #[test]
    fn mismatch_fails_no_ptr_fails() {
        let f = vec![
            (
                key("10.2.0.192.in-addr.arpa", QType::Ptr),
                ptr("mail.example.org"),
            ),
            (key("mail.example.org", QType::A), a("192.0.2.99")),
            (key("mail.example.org", QType::A), a("192.0.2.99")),
        ];
        let r = rule(
            &msg("192.0.2.10", "mail.example.org", "mail.example.org"),
            f,
        );
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        let f = vec![(
            key("10.2.0.192.in-addr.arpa", QType::Ptr),
            Ok(Answer::NxDomain),
        )];
        let r = rule(&msg("192.0.2.10", "mail.example.org", "unknown"), f);
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert!(
            r.fix
                .unwrap()
                .contains("PTR record for 192.0.2.10 pointing to mail.example.org")
        );
    }

    #[test]
    fn generic_provider_name_warns_and_recorded_unknown_is_explained() {
        let name = "ec2-54-210-12-34.compute-1.amazonaws.com";
        let f = vec![
            (key("34.12.210.54.in-addr.arpa", QType::Ptr), ptr(name)),
            (key(name, QType::A), a("54.210.12.34")),
        ];
        let r = rule(&msg("54.210.12.34", name, "unknown"), f);
        assert_eq!(r.verdict, Verdict::Warn, "{r:#?}");
        assert!(r.summary.contains("Amazon EC2"));
        assert!(
            r.evidence
                .iter()
                .any(|e| e.value.contains("could not confirm a name"))
        );
    }

    #[test]
    fn ipv6_and_failures() {
        let ip: IpAddr = "2001:db8::25".parse().unwrap();
        let rev = Resolver::reverse_name(ip);
        let f = vec![
            (key(&rev, QType::Ptr), ptr("mail.example.org")),
            (key("mail.example.org", QType::Aaaa), a("2001:db8::25")),
        ];
        let r = rule(
            &msg("2001:db8::25", "mail.example.org", "mail.example.org"),
            f,
        );
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
        let f = vec![(key(&rev, QType::Ptr), Err(DnsFailure::Timeout))];
        let r = rule(
            &msg("2001:db8::25", "mail.example.org", "mail.example.org"),
            f,
        );
        assert_eq!(r.verdict, Verdict::Unknown, "{r:#?}");
    }

    #[test]
    fn fix_records_follow_the_evidence() {
        // No PTR; the HELO name already resolves to the address: only the PTR.
        let f = vec![
            (
                key("10.2.0.192.in-addr.arpa", QType::Ptr),
                Ok(Answer::NxDomain),
            ),
            (key("mail.example.org", QType::A), a("192.0.2.10")),
            // The reverse zone: not at the address, delegated at the /24.
            (
                key("10.2.0.192.in-addr.arpa", QType::Ns),
                Ok(Answer::NoData),
            ),
            (
                key("2.0.192.in-addr.arpa", QType::Ns),
                Ok(Answer::Records(vec![Rdata::Ns("ns1.isp.example".into())])),
            ),
        ];
        let r = rule(&msg("192.0.2.10", "mail.example.org", "unknown"), f);
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert_eq!(r.fix_records.len(), 1, "{:#?}", r.fix_records);
        assert_eq!(r.fix_records[0].name, "10.2.0.192.in-addr.arpa");
        assert!(
            r.fix_records[0]
                .controlled_by
                .contains("reverse zone 2.0.192.in-addr.arpa (delegated to ns1.isp.example)"),
            "{}",
            r.fix_records[0].controlled_by
        );
        assert_eq!(r.fix_records[0].value.as_deref(), Some("mail.example.org"));
        assert!(r.fix_settings.is_empty(), "{:#?}", r.fix_settings);
        // A PTR name without an A record, HELO another name: the A record,
        // and the HELO settings for the PTR name.
        let f = vec![
            (
                key("10.2.0.192.in-addr.arpa", QType::Ptr),
                ptr("mail.example.org"),
            ),
            (key("mail.example.org", QType::A), Ok(Answer::NxDomain)),
            (key("relay.example.net", QType::A), Ok(Answer::NxDomain)),
        ];
        let r = rule(&msg("192.0.2.10", "relay.example.net", "unknown"), f);
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert_eq!(r.fix_records.len(), 1, "{:#?}", r.fix_records);
        assert_eq!(r.fix_records[0].rtype, "A");
        assert_eq!(r.fix_records[0].name, "mail.example.org");
        assert_eq!(r.fix_records[0].value.as_deref(), Some("192.0.2.10"));
        assert!(
            r.fix_settings
                .iter()
                .any(|s| s.setting == "smtp_helo_name = mail.example.org"),
            "{:#?}",
            r.fix_settings
        );
    }
}
