//! The IP rules 1–3 check: which one, why that hop, and whether it can be
//! judged at all.

use super::Context;
use crate::message::domain_of;
use crate::received::is_public;
use crate::report::{Evidence, RecordedRdns, RuleId, RuleResult, Verdict};
use std::net::IpAddr;

pub use crate::details::sender::CheckedSender;

/// The checked sender, as the rules need it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The IP (an IPv4-mapped IPv6 address is read as IPv4).
    pub ip: IpAddr,
    /// The HELO name the receiver recorded.
    pub helo: Option<String>,
    /// The reverse name the receiver recorded.
    pub rdns: Option<RecordedRdns>,
    /// "Checked IP" evidence: the IP and why that hop was chosen.
    pub evidence: Evidence,
    /// The same as structured detail.
    pub details: CheckedSender,
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) as IPv4.
pub fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Why an IP cannot be judged from outside, when it cannot.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    if is_public(ip) {
        return None;
    }
    Some(match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            if v4.is_private() {
                "a private address (RFC 1918)"
            } else if v4.is_loopback() {
                "a loopback address"
            } else if v4.is_link_local() {
                "a link-local address (169.254.0.0/16)"
            } else if o[0] == 100 && (64..128).contains(&o[1]) {
                "a carrier-grade NAT address (100.64.0.0/10, RFC 6598)"
            } else if v4.is_multicast() {
                "a multicast address"
            } else {
                "a reserved address"
            }
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if v6.is_loopback() {
                "a loopback address"
            } else if (s[0] & 0xfe00) == 0xfc00 {
                "a unique local address (fc00::/7)"
            } else if (s[0] & 0xffc0) == 0xfe80 {
                "a link-local address (fe80::/10)"
            } else if v6.is_multicast() {
                "a multicast address"
            } else {
                "a reserved address"
            }
        }
    })
}

/// The "Checked IP" evidence and detail, from the report.
pub fn checked_ip(ctx: &Context<'_>) -> Option<(IpAddr, Evidence, CheckedSender)> {
    let sender = ctx.report.sender.as_ref()?;
    let ip = unmap(sender.ip);
    let mut value = format!("{ip} — {}", ctx.report.sender_reason);
    if let Some(helo) = &sender.helo {
        value.push_str(&format!(" (it said HELO {helo})"));
    }
    let details = CheckedSender {
        ip,
        hop_index: sender.hop_index,
        chosen_by: sender.chosen_by,
        reason: ctx.report.sender_reason.clone(),
    };
    Some((ip, Evidence::neutral("Checked IP", value), details))
}

/// The sender for rules that need a public IP, or the `not-applicable`
/// result saying why there is none.
pub fn target(ctx: &Context<'_>, id: RuleId) -> Result<Target, Box<RuleResult>> {
    let Some((ip, evidence, details)) = checked_ip(ctx) else {
        return Err(Box::new(RuleResult::new(
            id,
            Verdict::NotApplicable,
            format!("No sending server to check: {}.", ctx.report.sender_reason),
        )));
    };
    if let Some(why) = non_public_reason(ip) {
        return Err(Box::new(
            RuleResult::new(
                id,
                Verdict::NotApplicable,
                format!(
                    "{ip} is {why}: it means something only inside one network, so no DNS name or \
                 blocklist can say anything about it. Check the hop where the message entered \
                 the receiving network instead."
                ),
            )
            .with_evidence(evidence),
        ));
    }
    let sender = ctx.report.sender.as_ref();
    Ok(Target {
        ip,
        helo: sender.and_then(|s| s.helo.clone()),
        rdns: sender.and_then(|s| s.rdns.clone()),
        evidence,
        details,
    })
}

/// The sender's own domain for examples in fixes (`mail.<domain>`): the
/// organizational domain of the From address, or `example.com`.
pub fn own_domain(ctx: &Context<'_>) -> String {
    ctx.parsed
        .from_address()
        .and_then(|a| domain_of(&a))
        .and_then(|d| crate::dns::to_ascii_name(&d))
        .filter(|d| crate::dns::validate_name(d).is_ok())
        .and_then(|d| crate::domain::org_domain(&d))
        .unwrap_or_else(|| "example.com".to_string())
}

/// Runs one of rules 1–3 over a message and a table of DNS answers (tests).
#[cfg(test)]
pub(crate) mod test_support {
    use crate::dns::{Lookup, QType, Resolver};
    use crate::report::{RuleId, RuleResult};
    use crate::{NoObserver, Options, analyze_with};
    use std::net::IpAddr;

    /// DNS fixtures: ((name, type), answer).
    pub type Fixtures = Vec<((String, QType), Lookup)>;

    /// Analyses `raw` with `fixtures` as the only DNS (checking `sender_ip`
    /// when given) and returns rule `id`'s result.
    pub fn run(
        raw: &str,
        fixtures: Fixtures,
        sender_ip: Option<IpAddr>,
        options: Options,
        id: RuleId,
    ) -> RuleResult {
        let options = Options {
            sender_ip,
            ..options
        };
        let resolver = Resolver::with_fixtures(fixtures);
        let report = futures::executor::block_on(analyze_with(
            raw.as_bytes(),
            &options,
            &resolver,
            &NoObserver,
        ))
        .expect("test message");
        report
            .rules
            .into_iter()
            .find(|r| r.id == id)
            .expect("every rule has a result")
    }
}
