//! The hand-off hop: which server handed the message to the recipient's mail
//! system. The algorithm is described in `docs/handoff.md`.

use super::ChainHop;
use super::is_public;
use super::parse::parse_ip_loose;
use crate::message::ParsedMessage;
use crate::report::{RecordedRdns, Sender};
use std::collections::HashSet;
use std::net::IpAddr;

/// Second-level labels under which registrations happen one level deeper
/// (`example.co.uk`). A short list: enough to group a provider's hosts.
const TWO_LEVEL_SUFFIXES: [&str; 48] = [
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "net.uk", "ltd.uk", "plc.uk", "com.au",
    "net.au", "org.au", "edu.au", "gov.au", "co.nz", "net.nz", "org.nz", "co.jp", "ne.jp", "or.jp",
    "ac.jp", "go.jp", "com.br", "net.br", "org.br", "com.cn", "net.cn", "org.cn", "com.tw",
    "com.hk", "com.sg", "com.my", "co.in", "net.in", "org.in", "co.za", "co.kr", "or.kr", "com.mx",
    "com.ar", "com.tr", "co.il", "co.id", "com.ua", "co.th", "com.vn", "com.ph", "com.pk",
    "com.co",
];

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

/// The organisational domain of a host name (`mx1.mail.example.co.uk` →
/// `example.co.uk`), or `None` for addresses and single labels.
pub(crate) fn org_domain(host: &str) -> Option<String> {
    let h = host
        .trim()
        .trim_matches(|c: char| matches!(c, '[' | ']' | '<' | '>' | ',' | ';'))
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if h.is_empty() || parse_ip_loose(&h).is_some() || h.contains(['@', '/', ' ']) {
        return None;
    }
    let labels: Vec<&str> = h.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let n = labels.len();
    let last_two = labels.get(n - 2..)?.join(".");
    let keep = if TWO_LEVEL_SUFFIXES.contains(&last_two.as_str()) {
        3
    } else {
        2
    };
    if n < keep {
        return None;
    }
    Some(labels.get(n - keep..)?.join("."))
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
}

/// Reads Received-SPF, Authentication-Results and ARC-Authentication-Results.
pub(crate) fn recorded(parsed: &ParsedMessage<'_>, infra: &Infra) -> Recorded {
    let mut out = Recorded::default();
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
        if let Some(pos) = lower.find("receiver=") {
            let name = lower
                .get(pos + 9..)
                .unwrap_or("")
                .split(|c: char| c.is_whitespace() || matches!(c, ';' | ')' | ','))
                .next()
                .unwrap_or("");
            if !name.is_empty() {
                out.names.push(name.to_string());
            }
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

fn sender_of(hop: &ChainHop, ip: IpAddr) -> Sender {
    Sender {
        ip,
        helo: hop.from_helo.clone(),
        rdns: hop.from_rdns.clone(),
        hop_index: Some(hop.index),
        chosen_by: "auto".into(),
    }
}

/// Walks from the newest hop down to the server that handed the message over.
pub(crate) fn walk(
    hops: &[ChainHop],
    facts: &[HopFacts<'_>],
    mut infra: Infra,
    hints: &[Hint],
    local_fields: usize,
) -> HandOff {
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
    for hop in hops.iter().rev() {
        let Some(ip) = hop.from_ip else { continue };
        if let Some(by) = &hop.by
            && skipped_auth.is_none()
        {
            infra.add_host(by);
        }
        if let Some(hint) = hints.iter().find(|h| h.ip == ip)
            && is_public(ip)
        {
            out.sender = Some(sender_of(hop, ip));
            out.hop = Some(hop.index);
            out.reason = format!(
                "hop {} ({ip}): the recipient's server recorded this client address ({}){}",
                hop.index + 1,
                hint.source,
                internal_note(internal)
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
        if skipped_auth.is_none() && is_internal_by_name(hop, facts.get(hop.index), &infra) {
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
        out.sender = Some(sender_of(hop, ip));
        out.hop = Some(hop.index);
        out.reason = match skipped_auth {
            Some((auth, _)) => format!(
                "hop {} ({ip}) is the first public client below the authenticated submission at hop {}",
                hop.index + 1,
                auth + 1
            ),
            None => format!(
                "hop {} ({ip}) is the first public client, counting from the recipient, that connected from outside the recipient's mail system{}",
                hop.index + 1,
                internal_note(internal)
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
fn is_internal_by_name(hop: &ChainHop, facts: Option<&HopFacts<'_>>, infra: &Infra) -> bool {
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
    claimed.is_some_and(|h| infra.contains_host(h))
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
