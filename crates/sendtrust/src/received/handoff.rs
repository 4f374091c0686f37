//! The hand-off hop: which server handed the message to the recipient's mail
//! system. The algorithm is described in `docs/handoff.md`.

use super::ChainHop;
use super::is_public;
use super::parse::parse_ip_loose;
use crate::lists::inbound_filters::{
    FilterEntry, INBOUND_FILTERS, MICROSOFT_AUTH_AS, MICROSOFT_SKIPLISTED, service_of_host,
};
use crate::message::ParsedMessage;
use crate::report::{InboundFilter, RecordedRdns, Sender};
use std::collections::HashSet;
use std::net::IpAddr;

/// Mail providers and sending services whose hosts live under several
/// domains: a hop between any two of a group's domains is internal to that
/// operator.
const PROVIDERS: [&[&str]; 14] = [
    &["google.com", "gmail.com", "googlemail.com", "1e100.net"],
    &[
        "outlook.com",
        "office365.com",
        "microsoft.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "exchangelabs.com",
    ],
    &[
        "yahoo.com",
        "yahoo.net",
        "yahoodns.net",
        "aol.com",
        "ymail.com",
    ],
    &["icloud.com", "me.com", "mac.com", "apple.com"],
    &["fastmail.com", "messagingengine.com", "fastmail.fm"],
    &[
        "zoho.com",
        "zohomail.com",
        "zoho.eu",
        "zohomail.eu",
        "zoho.in",
        "zohomail.in",
    ],
    &["protonmail.ch", "protonmail.com", "proton.me"],
    &["gmx.net", "gmx.de", "gmx.com", "web.de"],
    &["yandex.ru", "yandex.net", "yandex.com"],
    &["mail.ru", "mail.ru.com"],
    &["amazonses.com", "amazonaws.com", "amazon.com"],
    &["sendgrid.net", "sendgrid.com"],
    &["mailgun.net", "mailgun.org", "mailgun.com"],
    &[
        "mcsv.net",
        "mcdlv.net",
        "mailchimp.com",
        "mandrillapp.com",
        "rsgsv.net",
    ],
];

/// The operator's registered domain of a host name (`mx1.mail.example.co.uk` →
/// `example.co.uk`, see `crate::domain::operator_domain`), or `None` for
/// addresses, single labels and bare public suffixes.
pub(crate) fn org_domain(host: &str) -> Option<String> {
    let h = host
        .trim()
        .trim_matches(|c: char| matches!(c, '[' | ']' | '<' | '>' | ',' | ';'))
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if h.is_empty() || parse_ip_loose(&h).is_some() || h.contains(['@', '/', ' ']) {
        return None;
    }
    crate::domain::operator_domain(&h)
}

/// The provider group a domain belongs to, when it is a known provider.
fn provider_of(domain: &str) -> Option<&'static [&'static str]> {
    PROVIDERS.iter().copied().find(|g| g.contains(&domain))
}

/// True when two organisational domains belong to the same operator.
pub(crate) fn same_operator(a: &str, b: &str) -> bool {
    a == b || provider_of(a).is_some_and(|g| g.contains(&b))
}

/// The recipient's infrastructure, as a set of organisational domains.
#[derive(Debug, Default)]
pub(crate) struct Infra {
    domains: HashSet<String>,
}

impl Infra {
    /// Adds a host's organisational domain (and its provider's other domains).
    pub(crate) fn add_host(&mut self, host: &str) {
        if let Some(d) = org_domain(host) {
            self.add_domain(d);
        }
    }

    fn add_domain(&mut self, d: String) {
        if let Some(group) = provider_of(&d) {
            for g in group {
                self.domains.insert((*g).to_string());
            }
        }
        self.domains.insert(d);
    }

    /// True when the host's organisational domain is inside.
    pub(crate) fn contains_host(&self, host: &str) -> bool {
        org_domain(host).is_some_and(|d| self.domains.contains(&d))
    }

    fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

/// An address the recipient's own server recorded for the client it
/// talked to (Received-SPF `client-ip`, Authentication-Results).
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    pub ip: IpAddr,
    pub source: &'static str,
}

/// Markers after which authentication results name the client address.
const IP_MARKERS: [&str; 8] = [
    "smtp.remote-ip=",
    "smtp.client-ip=",
    "policy.iprev=",
    "client-ip=",
    "sender ip is ",
    "designates ",
    "does not designate ",
    "remote-ip=",
];

/// Every client address named in an authentication-results text.
fn ips_in(text: &str) -> Vec<IpAddr> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for marker in IP_MARKERS {
        let mut rest = lower.as_str();
        while let Some(pos) = rest.find(marker) {
            let after = rest.get(pos + marker.len()..).unwrap_or("");
            let token = after
                .trim_start()
                .split(|c: char| c.is_whitespace() || matches!(c, ';' | ')' | '(' | ',' | '"'))
                .next()
                .unwrap_or("");
            if let Some(ip) = parse_ip_loose(token)
                && !out.contains(&ip)
            {
                out.push(ip);
            }
            rest = after;
            if out.len() > 8 {
                return out;
            }
        }
    }
    // "… 192.0.2.1 is neither permitted nor denied …"
    let words: Vec<&str> = lower.split_whitespace().take(200).collect();
    for pair in words.windows(2) {
        if let [a, b] = pair
            && *b == "is"
            && let Some(ip) = parse_ip_loose(a)
            && !out.contains(&ip)
        {
            out.push(ip);
        }
    }
    out
}

/// The authserv-id of an Authentication-Results value (`None` when the value
/// starts with a result, as Microsoft writes it).
fn authserv_id(value: &str) -> Option<String> {
    let head = value.split(';').next()?.trim();
    let id = head.split_whitespace().next()?;
    (!id.contains('=')).then(|| id.to_string())
}

/// What the recipient's servers recorded outside the Received fields.
#[derive(Debug, Default)]
pub(crate) struct Recorded {
    pub hints: Vec<Hint>,
    /// authserv-ids and `receiver=` names, for the infrastructure set.
    pub names: Vec<String>,
    /// Traces of inbound filtering services.
    pub filters: FilterTraces,
}

/// What the message says about the inbound filtering services of
/// `lists::inbound_filters` (per service, in the table's order).
#[derive(Debug, Default)]
pub(crate) struct FilterTraces {
    /// Per service: the trace fields found (the service's own verdict
    /// fields, its Authentication-Results or Received-SPF).
    traces: Vec<Vec<String>>,
    /// Per service: the field that marks the message as the service's
    /// outbound mail, when one does.
    outbound: Vec<Option<String>>,
    /// Exchange Online's enhanced-filtering field, when the recipient is
    /// Exchange Online and stamped one.
    skiplisted: Option<String>,
    /// Exchange Online recorded `AuthAs: Partner` (an inbound connector).
    partner: bool,
    /// Client addresses for which the recipient recorded an SPF `pass`.
    spf_pass: Vec<IpAddr>,
}

impl FilterTraces {
    fn read(parsed: &ParsedMessage<'_>, infra: &Infra) -> Self {
        let mut out = FilterTraces::default();
        for entry in &INBOUND_FILTERS {
            let mut found: Vec<String> = entry
                .traces
                .iter()
                .filter(|name| parsed.values(name).next().is_some())
                .map(|name| (*name).to_string())
                .collect();
            // The service's own receiver records: an Authentication-Results
            // or ARC-Authentication-Results whose authserv-id, or a
            // Received-SPF whose receiver, is one of its relays.
            for field in ["Authentication-Results", "ARC-Authentication-Results"] {
                let by_service = parsed.values(field).take(64).any(|(_, v)| {
                    let v = super::parse::truncate(v, 8192);
                    let v = match v.trim_start().strip_prefix("i=") {
                        Some(rest) => rest.split_once(';').map_or("", |(_, r)| r),
                        None => v,
                    };
                    authserv_id(v).is_some_and(|id| {
                        service_of_host(&id).is_some_and(|e| e.service == entry.service)
                    })
                });
                if by_service {
                    found.push(format!("{field} by its relay"));
                }
            }
            let spf_by_service = parsed.values("Received-SPF").take(64).any(|(_, v)| {
                receiver_of(super::parse::truncate(v, 4096)).is_some_and(|r| {
                    service_of_host(&r).is_some_and(|e| e.service == entry.service)
                })
            });
            if spf_by_service {
                found.push("Received-SPF by its relay".into());
            }
            out.traces.push(found);
            out.outbound.push(outbound_marker(parsed, entry));
        }
        // Exchange Online's own fields count only when the recipient is
        // Exchange Online: another receiver does not remove forged ones.
        if infra.contains_host("outlook.com") {
            out.skiplisted = MICROSOFT_SKIPLISTED
                .iter()
                .find(|name| parsed.values(name).next().is_some())
                .map(|name| (*name).to_string());
            out.partner = parsed
                .first(MICROSOFT_AUTH_AS)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("partner"));
        }
        out
    }
}

/// The field marking the message as `entry`'s outbound mail, when one does.
fn outbound_marker(parsed: &ParsedMessage<'_>, entry: &FilterEntry) -> Option<String> {
    entry.outbound_markers.iter().find_map(|(name, fragments)| {
        parsed
            .values(name)
            .take(64)
            .any(|(_, v)| {
                let lower = super::parse::truncate(v, 8192).to_ascii_lowercase();
                fragments.iter().all(|f| lower.contains(f))
            })
            .then(|| format!("{name} ({})", fragments.join(" … ")))
    })
}

/// The `receiver=` of a Received-SPF value.
fn receiver_of(spf: &str) -> Option<String> {
    let lower = spf.to_ascii_lowercase();
    let pos = lower.find("receiver=")?;
    let name = lower
        .get(pos + 9..)?
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | ')' | ','))
        .next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The client addresses an SPF `pass` was recorded for in one
/// Authentication-Results value.
fn spf_pass_ips(value: &str) -> Vec<IpAddr> {
    value
        .split(';')
        .filter(|part| {
            part.trim_start()
                .to_ascii_lowercase()
                .starts_with("spf=pass")
        })
        .flat_map(ips_in)
        .collect()
}

/// Reads Received-SPF, Authentication-Results and ARC-Authentication-Results.
pub(crate) fn recorded(parsed: &ParsedMessage<'_>, infra: &Infra) -> Recorded {
    let mut out = Recorded {
        filters: FilterTraces::read(parsed, infra),
        ..Recorded::default()
    };
    // The topmost Received-SPF is the recipient's (those below came with the message).
    if let Some(spf) = parsed.first("Received-SPF") {
        let spf = super::parse::truncate(spf, 4096);
        let lower = spf.to_ascii_lowercase();
        // `client-ip=` (RFC 7208 9.1), or the address in the comment
        // ("… designates 192.0.2.1 as permitted sender") when that is missing.
        for ip in ips_in(spf) {
            out.hints.push(Hint {
                ip,
                source: "Received-SPF",
            });
        }
        if let Some(name) = receiver_of(spf) {
            out.names.push(name);
        }
        if lower.trim_start().starts_with("pass") {
            out.filters.spf_pass.extend(ips_in(spf));
        }
    }
    // Authentication-Results: the topmost, and any other whose authserv-id is
    // the recipient's.
    for (n, (_, value)) in parsed.values("Authentication-Results").take(64).enumerate() {
        let value = super::parse::truncate(value, 8192);
        let id = authserv_id(value);
        let ours = match &id {
            Some(id) => infra.contains_host(id) || (n == 0 && infra.is_empty()),
            None => n == 0,
        };
        if !ours {
            continue;
        }
        if let Some(id) = id {
            out.names.push(id);
        }
        out.filters.spf_pass.extend(spf_pass_ips(value));
        for ip in ips_in(value) {
            out.hints.push(Hint {
                ip,
                source: "Authentication-Results",
            });
        }
    }
    // ARC-Authentication-Results of the newest ARC set, when the recipient wrote it.
    let newest_arc = parsed
        .values("ARC-Authentication-Results")
        .take(64)
        .filter_map(|(_, v)| {
            let v = super::parse::truncate(v, 8192);
            let (head, rest) = v.split_once(';')?;
            let i: u32 = head.trim().strip_prefix("i=")?.trim().parse().ok()?;
            Some((i, rest))
        })
        .max_by_key(|(i, _)| *i);
    if let Some((_, rest)) = newest_arc
        && let Some(id) = authserv_id(rest)
        && infra.contains_host(&id)
    {
        for ip in ips_in(rest) {
            out.hints.push(Hint {
                ip,
                source: "ARC-Authentication-Results",
            });
        }
    }
    out
}

/// The outcome of the walk.
#[derive(Debug, Clone, Default)]
pub(crate) struct HandOff {
    pub sender: Option<Sender>,
    pub reason: String,
    /// Per hop: counted as part of the recipient's mail system.
    pub inside: Vec<bool>,
    /// The hand-off hop's index, when there is one.
    pub hop: Option<usize>,
}

/// Per-hop facts the walk needs beyond [`ChainHop`].
pub(crate) struct HopFacts<'a> {
    /// The word after `from` as written.
    pub from_host: Option<&'a str>,
}

fn sender_of(hop: &ChainHop, ip: IpAddr, filter: Option<&InboundFilter>) -> Sender {
    Sender {
        ip,
        helo: hop.from_helo.clone(),
        rdns: hop.from_rdns.clone(),
        hop_index: Some(hop.index),
        chosen_by: crate::report::ChosenBy::Auto,
        filter: filter.cloned(),
    }
}

/// Recognises `hop` as an inbound filtering service's relay handing the
/// message to the recipient's mailbox system (docs/handoff.md, "Inbound
/// filtering services"). The same services relay companies' outbound mail,
/// so the relay's name alone is not enough: the evidence must say inbound.
///
/// Returns the filter and, for the hand-off reason, the main reason in a few
/// words (the full list is in `evidence`).
fn filter_hop(
    hop: &ChainHop,
    ip: IpAddr,
    infra: &Infra,
    traces: &FilterTraces,
) -> Option<(InboundFilter, &'static str)> {
    // It hands the message to a host the walk already counts as the recipient's.
    if !hop.by.as_deref().is_some_and(|b| infra.contains_host(b)) {
        return None;
    }
    let vouched = traces.skiplisted.is_some() || traces.partner;
    // The relay's name: the reverse name its receiver recorded, or the HELO
    // name only when the recipient's inbound connector vouches for the
    // client (a HELO name is the client's claim).
    let (entry, host, named_by) = match &hop.from_rdns {
        Some(RecordedRdns::Name(name)) if service_of_host(name).is_some() => {
            (service_of_host(name)?, name.clone(), "reverse name")
        }
        _ => {
            let helo = hop.from_helo.as_deref()?;
            if !vouched {
                return None;
            }
            (service_of_host(helo)?, helo.to_string(), "HELO name")
        }
    };
    let n = INBOUND_FILTERS
        .iter()
        .position(|e| e.service == entry.service)?;
    let mut evidence = vec![format!(
        "{named_by} {host} is a {} relay, handing the message to {}",
        entry.name,
        hop.by.as_deref().unwrap_or("the recipient's server")
    )];
    if let Some(field) = &traces.skiplisted {
        // The recipient's own record: Exchange Online knows this gateway as
        // its front door and recorded the original sender behind it.
        evidence.push(format!(
            "{field}: Exchange Online's enhanced filtering for the connector recorded the original sender behind the gateway"
        ));
        return Some((
            filter_of(entry, hop, ip, host, evidence),
            "Exchange Online's enhanced filtering recorded the sender behind it",
        ));
    }
    let own = traces.traces.get(n).map_or(&[][..], Vec::as_slice);
    if own.is_empty() && !traces.partner {
        return None;
    }
    // Marked as the service's outbound mail: the filter is the sender's relay.
    if traces.outbound.get(n).is_some_and(Option::is_some) {
        return None;
    }
    // The recipient's server found the relay authorised by the sender's SPF
    // policy: the sender uses this service to send; judge it as the sender.
    if traces.spf_pass.contains(&ip) {
        return None;
    }
    if traces.partner {
        evidence.push(
            "X-MS-Exchange-Organization-AuthAs: Partner: the message came in through the recipient's inbound connector"
                .into(),
        );
    }
    if !own.is_empty() {
        evidence.push(format!("its filtering fields: {}", own.join(", ")));
    }
    evidence.push(
        "no mark of the service's outbound relaying, and the recipient recorded no SPF pass for the relay's address"
            .into(),
    );
    let why = if traces.partner {
        "it came in through the recipient's inbound connector"
    } else {
        "its own filtering fields, and no mark of outbound relaying"
    };
    Some((filter_of(entry, hop, ip, host, evidence), why))
}

fn filter_of(
    entry: &FilterEntry,
    hop: &ChainHop,
    ip: IpAddr,
    host: String,
    evidence: Vec<String>,
) -> InboundFilter {
    InboundFilter {
        service: entry.service,
        name: entry.name.to_string(),
        hop_index: hop.index,
        ip,
        host,
        evidence,
    }
}

/// The words added to the hand-off reason when a filter was walked past
/// (`sender.filter.evidence` has the whole list).
fn filter_note((f, why): &(InboundFilter, &'static str)) -> String {
    format!(
        "; hop {} ({}, {}) is {}, the recipient's inbound filter, not the sender: {why}",
        f.hop_index + 1,
        f.ip,
        f.host,
        f.name,
    )
}

/// Walks from the newest hop down to the server that handed the message over.
pub(crate) fn walk(
    hops: &[ChainHop],
    facts: &[HopFacts<'_>],
    mut infra: Infra,
    recorded: &Recorded,
    local_fields: usize,
) -> HandOff {
    let hints = &recorded.hints;
    let mut out = HandOff {
        inside: vec![false; hops.len()],
        ..HandOff::default()
    };
    if hops.is_empty() {
        out.reason = if local_fields == 0 {
            "the message has no Received fields (headers missing, or the message was never sent)"
                .into()
        } else {
            "no Received field records a relay with a client address (only local hand-offs)".into()
        };
        return out;
    }
    let mut internal = 0usize;
    let mut skipped_auth: Option<(usize, IpAddr)> = None;
    let mut saw_public = false;
    // The inbound filter walked past, and the domains whose HELO claims no
    // longer count (every customer of a filtering service shares its domains).
    let mut filter: Option<(InboundFilter, &'static str)> = None;
    let mut filter_domains: Vec<String> = Vec::new();
    for hop in hops.iter().rev() {
        let Some(ip) = hop.from_ip else { continue };
        if let Some(by) = &hop.by
            && skipped_auth.is_none()
        {
            infra.add_host(by);
        }
        // Before the hints: the recipient's mailbox system records the
        // filter's address as its client, which is not the sender.
        if skipped_auth.is_none()
            && filter.is_none()
            && is_public(ip)
            && let Some(found) = filter_hop(hop, ip, &infra, &recorded.filters)
        {
            if let Some(entry) = INBOUND_FILTERS
                .iter()
                .find(|e| e.service == found.0.service)
            {
                for domain in entry.relay_domains {
                    if let Some(org) = org_domain(domain) {
                        filter_domains.push(org.clone());
                        infra.add_domain(org);
                    }
                }
            }
            if let Some(flag) = out.inside.get_mut(hop.index) {
                *flag = true;
            }
            internal += 1;
            saw_public = true;
            filter = Some(found);
            continue;
        }
        if let Some(hint) = hints.iter().find(|h| h.ip == ip)
            && is_public(ip)
        {
            out.sender = Some(sender_of(hop, ip, filter.as_ref().map(|(f, _)| f)));
            out.hop = Some(hop.index);
            out.reason = format!(
                "hop {} ({ip}): the recipient's server recorded this client address ({}){}{}",
                hop.index + 1,
                hint.source,
                internal_note(internal),
                filter.as_ref().map(filter_note).unwrap_or_default()
            );
            return out;
        }
        if !is_public(ip) {
            if skipped_auth.is_none()
                && let Some(flag) = out.inside.get_mut(hop.index)
            {
                *flag = true;
            }
            internal += 1;
            continue;
        }
        saw_public = true;
        if skipped_auth.is_none()
            && is_internal_by_name(hop, facts.get(hop.index), &infra, &filter_domains)
        {
            if let Some(flag) = out.inside.get_mut(hop.index) {
                *flag = true;
            }
            internal += 1;
            continue;
        }
        if hop.authenticated {
            // A user's own machine submitting with a password is not a
            // sending server: keep walking down.
            skipped_auth.get_or_insert((hop.index, ip));
            continue;
        }
        out.sender = Some(sender_of(hop, ip, filter.as_ref().map(|(f, _)| f)));
        out.hop = Some(hop.index);
        out.reason = match skipped_auth {
            Some((auth, _)) => format!(
                "hop {} ({ip}) is the first public client below the authenticated submission at hop {}",
                hop.index + 1,
                auth + 1
            ),
            None => format!(
                "hop {} ({ip}) is the first public client, counting from the recipient, that connected from outside the recipient's mail system{}{}",
                hop.index + 1,
                internal_note(internal),
                filter.as_ref().map(filter_note).unwrap_or_default()
            ),
        };
        return out;
    }
    out.reason = match skipped_auth {
        Some((auth, ip)) => format!(
            "no sending server outside the recipient's mail system: the only public client (hop {}, {ip}) is an authenticated submission by a user of that system",
            auth + 1
        ),
        None if saw_public => {
            "every hop is inside the recipient's own mail system (internal mail): no server handed the message over from outside".into()
        }
        None => "no hop has a public client address: the message stayed inside private networks (internal mail)".into(),
    };
    if let Some(f) = &filter {
        out.reason.push_str(&filter_note(f));
    }
    out
}

fn internal_note(internal: usize) -> String {
    match internal {
        0 => String::new(),
        1 => " (after 1 internal hop)".into(),
        n => format!(" (after {n} internal hops)"),
    }
}

/// A public hop between two hosts of the recipient's own system. The names
/// are claims: the reverse name the receiver recorded counts on its own; the
/// HELO name (or, for HTTP hops, the word after `from`) only when the
/// receiving host is inside too.
///
/// `shared` are domains many organisations' hosts live under (an inbound
/// filtering service's): a HELO claim naming them does not count.
fn is_internal_by_name(
    hop: &ChainHop,
    facts: Option<&HopFacts<'_>>,
    infra: &Infra,
    shared: &[String],
) -> bool {
    if let Some(RecordedRdns::Name(name)) = &hop.from_rdns
        && infra.contains_host(name)
    {
        return true;
    }
    let by_inside = hop.by.as_deref().is_some_and(|b| infra.contains_host(b));
    if !by_inside {
        return false;
    }
    let claimed = hop
        .from_helo
        .as_deref()
        .or_else(|| facts.and_then(|f| f.from_host));
    claimed.is_some_and(|h| {
        infra.contains_host(h) && !org_domain(h).is_some_and(|d| shared.contains(&d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_domains() {
        assert_eq!(
            org_domain("mx1.mail.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert_eq!(
            org_domain("BN2PEPF000044A9.mail.protection.outlook.com").as_deref(),
            Some("outlook.com")
        );
        assert_eq!(
            org_domain("mail.example.com.").as_deref(),
            Some("example.com")
        );
        assert_eq!(org_domain("[192.0.2.1]"), None);
        assert_eq!(org_domain("2002:a05:6a10:a78c:b0:4c5:d5a4:8f10"), None);
        assert_eq!(org_domain("localhost"), None);
        assert_eq!(org_domain("co.uk"), None);
    }

    #[test]
    fn ips_in_results() {
        let ar = "mx.google.com; dkim=pass header.i=@example.com; spf=pass (google.com: domain of a@example.com designates 203.0.113.5 as permitted sender) smtp.mailfrom=a@example.com";
        assert_eq!(
            ips_in(ar),
            vec![
                "203.0.113.5"
                    .parse::<IpAddr>()
                    .unwrap_or(IpAddr::from([0, 0, 0, 0]))
            ]
        );
        let ms = "spf=pass (sender IP is 203.0.113.7) smtp.mailfrom=example.org; dkim=pass";
        assert_eq!(ips_in(ms).len(), 1);
        assert_eq!(authserv_id(ms), None);
        assert_eq!(
            authserv_id("mx.example.net; spf=pass").as_deref(),
            Some("mx.example.net")
        );
    }
}
