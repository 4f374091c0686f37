//! Reading a host name (a PTR target or a HELO name) for signs of a dynamic,
//! residential address: the name-based half of rule 1 (`static-ip`), also used
//! by rule 2 to spot generic names.
//!
//! SpamAssassin's `RDNS_DYNAMIC` (rules/20_dynrdns.cf) is the reference. It
//! flags any name holding four numbers in a row, which also hits cheap static
//! hosting names and misses hex-encoded addresses like Deutsche Telekom's
//! `p5DE4F89F.dip0.t-ipconnect.de` unless a per-ISP rule exists. This reader
//! instead asks three questions and combines them:
//!
//! 1. Does the name embed *this* IP (decimal in any order, zero-padded, hex,
//!    one 32-bit number, or the IPv6 groups/nibbles)?
//! 2. Which markers does the host part carry (left of the registered domain,
//!    so `mail.dynamic-solutions.com` is not "dynamic")? Dynamic markers
//!    (`dyn`, `dhcp`, `pool`, `ppp`, `dsl`, `cable`, `cpe`, `fios`, `mob`,
//!    `3g`, …; the commonest also as the start of a longer word: `dynamicip`,
//!    `dslc`, `dinamico`), weak ones that only count next to the address
//!    (`res`, `client`, `cust`, `bb`, `user`, …), static ones (`static`,
//!    `fixed`, `sta`, `biz`, `b2b`, `corp`, `leased`, …, which win, as in
//!    SpamAssassin's `__RDNS_STATIC`) and mail-server words (`mailout`,
//!    `smtp`, `mx`: the ISP's own servers).
//! 3. Which kind of domain is it under (tables in
//!    `crates/sendtrust/src/lists/host_names.rs`, sources named there)?
//!    A residential ISP's subscriber zone (`btcentralplus.com`,
//!    `t-ipconnect.de`, …: any numbered name), a consumer ISP (`cox.net`,
//!    `qwest.net`, …, and fqrdns.pcre's consumer domains: a name that embeds
//!    the address, or two or three of its octets written together, is a
//!    subscriber line even without a dynamic word), a hosting provider
//!    (`compute.amazonaws.com`, `your-server.de`, …: static) or a mail
//!    provider (its outbound servers: never residential)? For a domain in no
//!    table, the registrant's own label speaks: one that calls itself a cable,
//!    DSL, broadband or telecom network (`cablecolor.hn`, `bigtelecom.ru`)
//!    numbers subscriber lines; one that calls itself a host
//!    (`hosted-by-vdsina.ru`) or a business service (`comcastbusiness.net`)
//!    does not.
//!
//! Static beats dynamic, and a table beats a word in the domain's name, so a
//! consumer ISP's business range (`wsip-…cox.net`, `b2b-…unity-media.net`)
//! stays static.
//!
//! Digits alone never make a name dynamic: `mail2.example.com`,
//! `mx-01.example.net` and `mail-yw1-f181.google.com` are servers.

use crate::lists::host_names::{
    ACCESS_DOMAIN_WORDS, BUSINESS_DOMAIN_WORDS, CONSUMER_ISP_DOMAINS, DYNAMIC_MARKERS,
    DYNAMIC_PREFIXES, HOSTING_DOMAIN_WORDS, HOSTING_DOMAINS, MAIL_PROVIDER_DOMAINS,
    RESIDENTIAL_ZONES, SERVER_MARKERS, STATIC_MARKERS, WEAK_MARKERS, fqrdns_consumer_domains,
    more_consumer_isps,
};
use std::net::IpAddr;

pub use crate::details::names::NameKind;

/// The reading of one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameReading {
    /// The verdict on the name.
    pub kind: NameKind,
    /// Why, in short phrases for people ("embeds 73.15.22.1", "marker \"pool\"").
    pub reasons: Vec<String>,
    /// The hosting provider, for [`NameKind::Provider`].
    pub provider: Option<&'static str>,
    /// How the name embeds the address, when it does ("decimal", "hex", …).
    pub embedded_ip: Option<&'static str>,
}

impl NameReading {
    /// The reasons joined for display.
    pub fn explain(&self) -> String {
        self.reasons.join("; ")
    }
}

fn has_suffix(name: &str, suffix: &str) -> bool {
    name == suffix
        || (name.len() > suffix.len()
            && name.ends_with(suffix)
            && name.as_bytes()[name.len() - suffix.len() - 1] == b'.')
}

fn leading_letters(token: &str) -> &str {
    let end = token
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(token.len());
    &token[..end]
}

/// Reads a host name against the IP it belongs to (`None` when unknown: then
/// only the shape of an IPv4 address is recognised).
pub fn classify(name: &str, ip: Option<IpAddr>) -> NameReading {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').filter(|l| !l.is_empty()).collect();
    // The host part is what precedes the operator's registered domain
    // (ICANN suffixes only: see crate::domain); a bare suffix has none.
    let org_labels = crate::domain::operator_domain(&name)
        .map_or(labels.len(), |d| d.split('.').count().min(labels.len()));
    let host_labels = &labels[..labels.len() - org_labels];
    // The operator's own label (`cablevision` in `cablevision.net.mx`): what
    // the registrant called itself.
    let org_label = labels.get(labels.len() - org_labels).copied().unwrap_or("");
    let tokens: Vec<&str> = host_labels
        .iter()
        .flat_map(|l| l.split(['-', '_']))
        .filter(|t| !t.is_empty())
        .collect();
    let host_has_digits = host_labels
        .iter()
        .any(|l| l.bytes().any(|b| b.is_ascii_digit()));

    let embedded = embedded_ip(&name, ip);
    // A token carries a marker when the marker is its leading letters
    // (`dhcp024` → `dhcp`) or the whole token (`3g`).
    let marker = |set: &[&str]| {
        tokens
            .iter()
            .find_map(|t| {
                let core = leading_letters(t);
                set.iter()
                    .find(|m| (!core.is_empty() && core == **m) || *t == **m)
            })
            .map(|m| (*m).to_string())
    };
    // Dynamic words also count as the start of a longer word: `dynamicip`,
    // `dyndsl`, `dslc`, `cablep`, `dinamico`, `pooles`.
    let dynamic = marker(DYNAMIC_MARKERS).or_else(|| {
        tokens.iter().find_map(|t| {
            let core = leading_letters(t);
            DYNAMIC_PREFIXES
                .iter()
                .find(|p| core.starts_with(**p))
                .map(|_| core.to_string())
        })
    });
    let weak = marker(WEAK_MARKERS);
    let server_word = marker(SERVER_MARKERS);
    let stat = marker(STATIC_MARKERS).or_else(|| {
        BUSINESS_DOMAIN_WORDS
            .iter()
            .find(|w| org_label.contains(**w))
            .map(|w| format!("{w} (in the domain {org_label})"))
    });
    let under = |table: &'static [(&'static str, &'static str)]| {
        table
            .iter()
            .find(|(d, _)| has_suffix(&name, d))
            .map(|(_, who)| *who)
    };
    let residential = under(RESIDENTIAL_ZONES);
    let consumer_isp: Option<String> = under(CONSUMER_ISP_DOMAINS)
        .or_else(|| {
            more_consumer_isps()
                .find(|(d, _)| has_suffix(&name, d))
                .map(|(_, who)| who)
        })
        .map(str::to_string)
        .or_else(|| {
            fqrdns_consumer_domains()
                .find(|d| has_suffix(&name, d))
                .map(|d| format!("{d} (in fqrdns.pcre's consumer list)"))
        });
    let mail_provider = under(MAIL_PROVIDER_DOMAINS);
    let mut provider = under(HOSTING_DOMAINS);
    // OVHcloud names its servers under per-range domains: ns123.ip-51-68-12.eu.
    if provider.is_none()
        && let [.., org, tld] = labels.as_slice()
        && org.starts_with("ip-")
        && matches!(*tld, "eu" | "net" | "us")
        && org[3..].bytes().all(|b| b.is_ascii_digit() || b == b'-')
    {
        provider = Some("OVHcloud");
    }
    // A registrant that calls itself a host (`hosted-by-vdsina.ru`,
    // `ubiquityservers.com`) runs servers; one that calls itself a cable,
    // DSL, broadband or telecom network (`cablecolor.hn`, `bulldogdsl.com`,
    // `bigtelecom.ru`) numbers its subscribers' lines.
    let hosting_domain = HOSTING_DOMAIN_WORDS
        .iter()
        .find(|w| org_label.contains(**w))
        .copied();
    let access_domain = ACCESS_DOMAIN_WORDS
        .iter()
        .find(|w| org_label.contains(**w))
        .copied();
    // Under a consumer ISP, part of the address is enough: ISPs number
    // subscriber lines by their last two or three octets too
    // (`d14-69-12-34.try.wideopenwest.com`, `i59F71234.versanet.de`).
    let embedded_here = embedded.or_else(|| {
        consumer_isp
            .is_some()
            .then(|| partial_ip(host_labels, ip))
            .flatten()
    });

    let numbered = embedded.is_some() || host_has_digits;
    let mut reasons = Vec::new();
    if let (Some(form), Some(ip)) = (embedded, ip) {
        reasons.push(format!("embeds the address {ip} ({form})"));
    } else if let Some(form) = embedded {
        reasons.push(format!("holds an address-like number ({form})"));
    }
    let kind = if let Some(p) = provider.filter(|_| numbered) {
        reasons.push(format!("a generated name of {p}, a hosting provider"));
        NameKind::Provider
    } else if let Some(p) = mail_provider {
        // Its outbound servers: never residential, whatever the digits say.
        reasons.clear();
        reasons.push(format!("a server of {p}, a mail provider"));
        NameKind::Specific
    } else if let Some(m) = stat.as_ref().filter(|_| numbered) {
        reasons.push(format!("marked \"{m}\": a static assignment"));
        NameKind::StaticGeneric
    } else if let Some(m) = dynamic.as_ref().filter(|_| numbered) {
        reasons.push(format!("marker \"{m}\" of a dynamic or residential range"));
        if let Some(r) = residential {
            reasons.push(format!("under a domain of {r}"));
        }
        NameKind::Dynamic
    } else if let Some(r) = residential.filter(|_| numbered) {
        reasons.push(format!("a generated name under a domain of {r}"));
        NameKind::Dynamic
    } else if let Some(m) = server_word.as_ref().filter(|_| numbered) {
        // A mail server's name under an access network (`mailout12.isp.example`)
        // is the ISP's own server, not a subscriber line.
        reasons.push(format!("marked \"{m}\": a server's name"));
        if embedded.is_some() {
            NameKind::Generic
        } else {
            NameKind::Specific
        }
    } else if let (Some(isp), Some(form)) = (consumer_isp.as_deref(), embedded_here) {
        if embedded.is_none() {
            reasons.push(format!("embeds part of the address ({form})"));
        }
        reasons.push(format!(
            "under {isp}, a consumer ISP: its address-numbered names are subscriber lines"
        ));
        NameKind::Dynamic
    } else if let Some(w) = hosting_domain.filter(|_| embedded.is_some()) {
        reasons.push(format!(
            "under {org_label}, whose name (\"{w}\") says it hosts servers: a data-centre address"
        ));
        NameKind::Provider
    } else if let Some(w) = access_domain.filter(|_| embedded.is_some()) {
        reasons.push(format!(
            "under {org_label}, whose name (\"{w}\") says it is an access network: its \
             address-numbered names are subscriber lines"
        ));
        NameKind::Dynamic
    } else if let Some(m) = weak.as_ref().filter(|_| embedded.is_some()) {
        reasons.push(format!("marker \"{m}\" next to the address"));
        NameKind::Dynamic
    } else if embedded.is_some() {
        reasons.push("no static or dynamic marker".to_string());
        NameKind::Generic
    } else if let Some(m) = dynamic {
        reasons.push(format!("marker \"{m}\", though no number"));
        NameKind::Generic
    } else {
        reasons.push("does not embed the address".to_string());
        NameKind::Specific
    };
    NameReading {
        kind,
        reasons,
        provider: if kind == NameKind::Provider {
            // A provider known only by the word in its domain has no name
            // to show (rule 2 then says "a generic provider name").
            provider
        } else {
            None
        },
        embedded_ip: embedded_here,
    }
}

/// A run of digits in a name: where it is and, when it fits, its value as an
/// octet.
#[derive(Debug, Clone, Copy)]
struct Run<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    octet: Option<u8>,
}

fn digit_runs(name: &str) -> Vec<Run<'_>> {
    let bytes = name.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let text = &name[start..i];
            let octet = if text.len() <= 3 {
                text.parse::<u16>().ok().and_then(|v| u8::try_from(v).ok())
            } else {
                None
            };
            runs.push(Run {
                start,
                end: i,
                text,
                octet,
            });
        } else {
            i += 1;
        }
    }
    runs
}

/// How `name` embeds `ip`, if it does.
fn embedded_ip(name: &str, ip: Option<IpAddr>) -> Option<&'static str> {
    let runs = digit_runs(name);
    match ip {
        Some(IpAddr::V4(v4)) => {
            let o = v4.octets();
            let hex = format!("{:02x}{:02x}{:02x}{:02x}", o[0], o[1], o[2], o[3]);
            if name.contains(&hex) {
                return Some("hex");
            }
            // The address as one 32-bit number (`1234567890.ip2long.net`).
            let integer = u32::from(v4).to_string();
            if integer.len() >= 8 && runs.iter().any(|r| r.text == integer) {
                return Some("one 32-bit number");
            }
            let padded: Vec<String> = o.iter().map(|b| format!("{b:03}")).collect();
            let fwd3 = [padded[..3].concat(), padded[1..].concat()];
            let rev: Vec<String> = padded.iter().rev().cloned().collect();
            let rev3 = [rev[..3].concat(), rev[1..].concat()];
            for r in &runs {
                if r.text == padded.concat() || r.text == rev.concat() {
                    return Some("zero-padded");
                }
                if r.text.len() == 9
                    && (fwd3.contains(&r.text.to_string()) || rev3.contains(&r.text.to_string()))
                {
                    return Some("zero-padded, three octets");
                }
            }
            let mut sorted = o;
            sorted.sort_unstable();
            for w in runs.windows(4) {
                let vals: Option<Vec<u8>> = w.iter().map(|r| r.octet).collect();
                if let Some(mut v) = vals {
                    v.sort_unstable();
                    if v == sorted {
                        return Some("decimal");
                    }
                }
            }
            let triples = [
                [o[0], o[1], o[2]],
                [o[1], o[2], o[3]],
                [o[3], o[2], o[1]],
                [o[2], o[1], o[0]],
            ];
            for w in runs.windows(3) {
                if let (Some(a), Some(b), Some(c)) = (w[0].octet, w[1].octet, w[2].octet)
                    && triples.contains(&[a, b, c])
                {
                    return Some("decimal, three octets");
                }
            }
            None
        }
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let nibbles: String = s.iter().map(|g| format!("{g:04x}")).collect();
            let reversed: String = nibbles
                .chars()
                .rev()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(".");
            let full: Vec<String> = s.iter().map(|g| format!("{g:x}")).collect();
            let padded: Vec<String> = s.iter().map(|g| format!("{g:04x}")).collect();
            let compressed = v6.to_string();
            let forms = [
                nibbles,
                reversed,
                full.join("-"),
                full.join("."),
                padded.join("-"),
                padded.join("."),
                compressed.replace(':', "-"),
                compressed.replace(':', "."),
            ];
            if forms.iter().any(|f| name.contains(f.as_str())) {
                return Some("IPv6");
            }
            // The interface half alone (…a1b2-c3d4-e5f6-718…), when not trivial.
            let tail = full[4..].join("-");
            if s[4..].iter().filter(|g| **g != 0).count() >= 3 && name.contains(&tail) {
                return Some("IPv6, interface half");
            }
            None
        }
        None => runs
            .windows(4)
            .any(|w| {
                w.iter().all(|r| r.octet.is_some())
                    && w.windows(2).all(|p| p[1].start == p[0].end + 1)
            })
            .then_some("four numbers in a row"),
    }
}

/// Two or three octets of `ip` written next to each other in the host part
/// (`12-34`, `34.12`, `201-24-28`), in address or reversed order: how ISPs
/// number lines within a range named elsewhere in the name. Too weak on its
/// own (`a8-12.smtp-out.amazonses.com` holds two octets of its address too),
/// so read only under a consumer ISP's domain.
fn partial_ip(host_labels: &[&str], ip: Option<IpAddr>) -> Option<&'static str> {
    let Some(IpAddr::V4(v4)) = ip else {
        return None;
    };
    let o = v4.octets();
    let host = host_labels.join(".");
    let runs = digit_runs(&host);
    // Adjacent runs: one separator between them.
    let adjacent = |w: &[Run<'_>]| w.windows(2).all(|p| p[1].start == p[0].end + 1);
    for w in runs.windows(3) {
        if adjacent(w)
            && let (Some(a), Some(b), Some(c)) = (w[0].octet, w[1].octet, w[2].octet)
            && ([a, b, c] == [o[1], o[2], o[3]] || [a, b, c] == [o[3], o[2], o[1]])
        {
            return Some("three octets");
        }
    }
    for w in runs.windows(2) {
        if adjacent(w)
            && let (Some(a), Some(b)) = (w[0].octet, w[1].octet)
            && ([a, b] == [o[2], o[3]] || [a, b] == [o[3], o[2]])
        {
            return Some("last two octets");
        }
    }
    None
}

/// What a HELO/EHLO argument is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeloKind {
    /// An address literal (`[192.0.2.1]`) or a bare IP.
    AddressLiteral(IpAddr),
    /// A name that cannot identify a server on the Internet; the reason.
    Generic(&'static str),
    /// A fully qualified name, worth resolving.
    Name(String),
}

/// Reads a HELO/EHLO argument.
pub fn read_helo(helo: &str) -> HeloKind {
    let t = helo.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    let inner = inner
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("ipv6:"))
        .map_or(inner, |_| &inner[5..]);
    if let Ok(ip) = inner.parse::<IpAddr>() {
        return HeloKind::AddressLiteral(ip);
    }
    let name = t.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return HeloKind::Generic("empty");
    }
    if !name.contains('.') {
        return HeloKind::Generic("a single word, not a fully qualified domain name");
    }
    const LOCAL: &[&str] = &[
        "localdomain",
        "local",
        "lan",
        "home",
        "internal",
        "localhost",
        "invalid",
        "home.arpa",
        "intranet",
        "corp",
        "private",
    ];
    if name.starts_with("localhost.") || LOCAL.iter().any(|s| has_suffix(&name, s)) {
        return HeloKind::Generic("a local-network name that means nothing on the Internet");
    }
    HeloKind::Name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for SpamAssassin's RDNS_DYNAMIC (rules/20_dynrdns.cf), written
    /// without regexes: the generic sub-rules (IPADDR, DHCP, HCC, DIALIN, HEXIP,
    /// SPLIT_IP, YAHOOBB, OOL, INDICATOR_DYN/RES/TYPE2, TTNET, SPACELAN) and the
    /// ISP rules that match this table (VELOX, NTL, ATTBI, CHELLO_NL, HOME_NL),
    /// minus `__RDNS_STATIC`.
    /// Its per-ISP rules for ISPs not in the table are left out, which cannot
    /// change its score here.
    mod spamassassin {
        fn is_digit(c: u8) -> bool {
            c.is_ascii_digit()
        }

        /// `\d+[^\d\s]\d+[^\d\s]\d+[^\d\s]\d+` starting at or after `from`;
        /// returns the end of the match.
        fn four_numbers(n: &[u8], from: usize, single_sep: bool) -> Option<usize> {
            let mut start = from;
            while start < n.len() {
                if is_digit(n[start]) && (start == 0 || !is_digit(n[start - 1]) || start == from) {
                    let mut i = start;
                    let mut ok = true;
                    for k in 0..4 {
                        let d0 = i;
                        while i < n.len() && is_digit(n[i]) {
                            i += 1;
                        }
                        if i == d0 {
                            ok = false;
                            break;
                        }
                        if k < 3 {
                            let s0 = i;
                            while i < n.len() && !is_digit(n[i]) {
                                i += 1;
                            }
                            if i == s0 || (single_sep && i - s0 != 1) {
                                ok = false;
                                break;
                            }
                        }
                    }
                    if ok {
                        return Some(i);
                    }
                }
                start += 1;
            }
            None
        }

        fn has_token(name: &str, words: &[&str], seps_before: bool, seps_after: bool) -> bool {
            let b = name.as_bytes();
            words.iter().any(|w| {
                name.match_indices(w).any(|(i, _)| {
                    let before = i > 0 && (b[i - 1] == b'-' || b[i - 1] == b'.');
                    let j = i + w.len();
                    let after = j < b.len() && (b[j] == b'-' || b[j] == b'.');
                    (!seps_before || before) && (!seps_after || after)
                })
            })
        }

        pub fn rdns_dynamic(name: &str) -> bool {
            let lower = name.to_ascii_lowercase();
            let n = lower.as_bytes();
            if ["fix", "static", "fixip"].iter().any(|s| lower.contains(s)) {
                return false;
            }
            // __RDNS_DYNAMIC_IPADDR: four numbers with single separators, then \S*\.\S+\.\S
            let ipaddr = (0..n.len()).any(|s| {
                four_numbers(n, s, true).is_some_and(|end| {
                    let rest = &lower[end..];
                    rest.find('.').is_some_and(|d| {
                        let after = &rest[d + 1..];
                        after
                            .find('.')
                            .is_some_and(|d2| d2 > 0 && d2 + 1 < after.len())
                    })
                })
            });
            // __RDNS_DYNAMIC_DHCP: (cm|catv|docsis|cable|dsl|dhcp|cpe|node)\S*\d+[^\d\s]+\d
            let dhcp = [
                "cm", "catv", "docsis", "cable", "dsl", "dhcp", "cpe", "node",
            ]
            .iter()
            .any(|w| {
                lower.match_indices(w).any(|(i, _)| {
                    let rest = &n[i + w.len()..];
                    rest.iter().position(|c| is_digit(*c)).is_some_and(|d| {
                        let r = &rest[d..];
                        let nd = r.iter().position(|c| !is_digit(*c));
                        nd.is_some_and(|nd| r[nd..].iter().any(|c| is_digit(*c)))
                    })
                })
            });
            // __RDNS_DYNAMIC_HCC: \d+[^\d\s]+\d+\S*\.(docsis|cable|dsl|adsl|dhcp|cpe)\.
            let hcc = has_token(
                &lower,
                &["docsis", "cable", "dsl", "adsl", "dhcp", "cpe"],
                true,
                true,
            ) && lower.bytes().filter(|c| is_digit(*c)).count() >= 2;
            // __RDNS_DYNAMIC_DIALIN: ^[a-z][A-F0-9]+\.dip\. (case-sensitive hex)
            let dialin = {
                let b = name.as_bytes();
                b.first().is_some_and(|c| c.is_ascii_lowercase())
                    && name[1..].find(".dip.").is_some_and(|d| {
                        d > 0
                            && name[1..1 + d]
                                .bytes()
                                .all(|c| is_digit(c) || (b'A'..=b'F').contains(&c))
                    })
            };
            // __RDNS_DYNAMIC_HEXIP: ^0x[a-f0-9]{8}\.
            let hexip = lower.starts_with("0x")
                && lower.len() > 11
                && lower[2..10].bytes().all(|c| c.is_ascii_hexdigit())
                && n[10] == b'.';
            // __RDNS_DYNAMIC_SPLIT_IP: ^\d+\.\S+\d+[^\d\s]\d+[^\d\s]\d+[^\d\s]
            let split_ip = {
                let lead = n.iter().take_while(|c| is_digit(**c)).count();
                lead > 0 && n.get(lead) == Some(&b'.') && {
                    let rest = &lower[lead + 1..];
                    let r = rest.as_bytes();
                    (1..r.len()).any(|s| {
                        is_digit(r[s])
                            && !is_digit(r[s - 1])
                            && four_numbers(r, s, true).is_none()
                            && {
                                // three numbers each followed by one non-digit
                                let mut i = s;
                                let mut ok = true;
                                for _ in 0..3 {
                                    let d0 = i;
                                    while i < r.len() && is_digit(r[i]) {
                                        i += 1;
                                    }
                                    if i == d0 || i >= r.len() || is_digit(r[i]) {
                                        ok = false;
                                        break;
                                    }
                                    i += 1;
                                }
                                ok
                            }
                    })
                }
            };
            let yahoobb = lower.starts_with("yahoobb");
            let ool = lower.contains(".dyn.optonline.net");
            let ind_dyn = has_token(&lower, &["dyn", "dynamic"], true, true);
            let ind_res = has_token(&lower, &["res", "resnet", "client"], true, true);
            let ind_type2 = has_token(&lower, &["docsis", "dhcp", "cpe", "catv"], true, true);
            // __RDNS_DYNAMIC_TTNET: [\-\.]dyn(amic)?\d
            let ttnet = ["dyn", "dynamic"].iter().any(|w| {
                lower.match_indices(w).any(|(i, _)| {
                    i > 0
                        && (n[i - 1] == b'-' || n[i - 1] == b'.')
                        && n.get(i + w.len()).is_some_and(|c| is_digit(*c))
                })
            });
            // __RDNS_DYNAMIC_SPACELAN: \S+-[a-z]\d+-\d+\.
            let spacelan = (1..n.len()).any(|i| {
                n[i] == b'-' && n.get(i + 1).is_some_and(|c| c.is_ascii_lowercase()) && {
                    let mut j = i + 2;
                    let d0 = j;
                    while j < n.len() && is_digit(n[j]) {
                        j += 1;
                    }
                    j > d0 && n.get(j) == Some(&b'-') && {
                        j += 1;
                        let d1 = j;
                        while j < n.len() && is_digit(n[j]) {
                            j += 1;
                        }
                        j > d1 && n.get(j) == Some(&b'.')
                    }
                }
            });
            // __RDNS_DYNAMIC_VELOX: [a-z]{2}\d+\.user\.veloxzone\.
            let velox = lower.contains(".user.veloxzone.");
            // __RDNS_DYNAMIC_NTL: \S+\d+-\d+-cust\d+\.[a-z]{4,6}\.broadband\.ntl\.com
            let ntl = lower.contains("-cust") && lower.ends_with(".broadband.ntl.com");
            // __RDNS_DYNAMIC_ATTBI, _CHELLO_NL, _HOME_NL (approximated by their
            // domains; the table's rows match the full patterns).
            let attbi = lower.ends_with(".client2.attbi.com") && n.iter().any(|c| is_digit(*c));
            let chello_nl = lower.contains(".upc-") && lower.ends_with(".chello.nl");
            let home_nl = lower.ends_with(".home.nl") && n.iter().any(|c| is_digit(*c));
            ipaddr
                || dhcp
                || hcc
                || dialin
                || hexip
                || split_ip
                || yahoobb
                || ool
                || ind_dyn
                || ind_res
                || ind_type2
                || ttnet
                || spacelan
                || velox
                || ntl
                || attbi
                || chello_nl
                || home_nl
        }
    }

    use NameKind::*;

    /// Real-world name shapes (addresses changed where the original is not
    /// public knowledge; the shape is what matters) with the address each
    /// belongs to and the expected reading.
    const CASES: &[(&str, &str, NameKind)] = &[
        // --- residential / dynamic -------------------------------------------
        ("c-73-15-22-1.hsd1.ca.comcast.net", "73.15.22.1", Dynamic),
        (
            "c-67-168-174-61.client.comcast.net",
            "67.168.174.61",
            Dynamic,
        ),
        (
            "pool-71-105-22-33.nycmny.fios.verizon.net",
            "71.105.22.33",
            Dynamic,
        ),
        (
            "dsl-200-95-109-107.prod-infinitum.com.mx",
            "200.95.109.107",
            Dynamic,
        ),
        ("cpe-74-72-130-11.nyc.res.rr.com", "74.72.130.11", Dynamic),
        (
            "dhcp024-210-034-053.columbus.rr.com",
            "24.210.34.53",
            Dynamic,
        ),
        (
            "3.12.40.58.broad.sh.sh.dynamic.163data.com.cn",
            "58.40.12.3",
            Dynamic,
        ),
        ("p5DE4F89F.dip0.t-ipconnect.de", "93.228.248.159", Dynamic),
        ("pD9E4F89F.dip.t-dialin.net", "217.228.248.159", Dynamic),
        (
            "host86-128-12-34.range86-128.btcentralplus.com",
            "86.128.12.34",
            Dynamic,
        ),
        (
            "alyon-652-1-123-45.w86-200.abo.wanadoo.fr",
            "86.200.123.45",
            Dynamic,
        ),
        (
            "vaise-1-82-67-44-166.fbx.proxad.net",
            "82.67.44.166",
            Dynamic,
        ),
        (
            "lns-vlq-11-62-147-186-141.adsl.proxad.net",
            "62.147.186.141",
            Dynamic,
        ),
        (
            "200-171-228-6.customer.telesp.net.br",
            "200.171.228.6",
            Dynamic,
        ),
        (
            "modemcable090.28-201-24.mc.videotron.ca",
            "24.201.28.90",
            Dynamic,
        ),
        ("80-218-47-160.dclient.hispeed.ch", "80.218.47.160", Dynamic),
        ("74.67-201-80.adsl.skynet.be", "80.201.67.74", Dynamic),
        ("pptp-81-30-186-139.ufanet.ru", "81.30.186.139", Dynamic),
        (
            "catv-506237d8.miskcatv.broadband.hu",
            "80.98.55.216",
            Dynamic,
        ),
        (
            "0x50a46949.virnxx11.adsl-dhcp.tele.dk",
            "80.164.105.73",
            Dynamic,
        ),
        ("ool-18be1aaf.dyn.optonline.net", "24.190.26.175", Dynamic),
        (
            "118.red-80-35-201.pooles.rima-tde.net",
            "80.35.201.118",
            Dynamic,
        ),
        ("yahoobb219173000034.bbtec.net", "219.173.0.34", Dynamic),
        (
            "cpc1-lewi4-6-0-cust190.lond.broadband.ntl.com",
            "82.10.20.30",
            Dynamic,
        ),
        (
            "cpc123456-lewi17-2-0-cust42.2-3.cable.virginm.net",
            "86.1.2.3",
            Dynamic,
        ),
        ("5e0a1b2c.bb.sky.com", "94.10.27.44", Dynamic),
        ("ppp-94-66-12-34.home.otenet.gr", "94.66.12.34", Dynamic),
        (
            "99-1-2-3.lightspeed.sntcca.sbcglobal.net",
            "99.1.2.3",
            Dynamic,
        ),
        ("114-32-5-6.dynamic-ip.hinet.net", "114.32.5.6", Dynamic),
        ("85.107.12.34.dynamic.ttnet.com.tr", "85.107.12.34", Dynamic),
        ("cm-84.208.12.34.getinternet.no", "84.208.12.34", Dynamic),
        (
            "d53-64-35-171.nap.wideopenwest.com",
            "64.53.171.35",
            Dynamic,
        ),
        ("12-218-225-223.client.mchsi.com", "12.218.225.223", Dynamic),
        (
            "adsl-75-18-220-12.dsl.pltn13.sbcglobal.net",
            "75.18.220.12",
            Dynamic,
        ),
        (
            "24-181-12-34.dhcp.mdsn.wi.charter.com",
            "24.181.12.34",
            Dynamic,
        ),
        ("s0106001cf0a1b2c3.vc.shawcable.net", "24.80.1.2", Dynamic),
        (
            "ba199058073.user.veloxzone.com.br",
            "187.199.58.73",
            Dynamic,
        ),
        ("93-34-12-56.ip50.fastwebnet.it", "93.34.12.56", Dynamic),
        (
            "ip5f5ab12c.dynamic.kabel-deutschland.de",
            "95.90.177.44",
            Dynamic,
        ),
        ("xdsl-188-155-12-34.adslplus.ch", "188.155.12.34", Dynamic),
        (
            "109-186-12-34.bb.netvision.net.il",
            "109.186.12.34",
            Dynamic,
        ),
        ("bzq-79-176-12-34.red.bezeqint.net", "79.176.12.34", Dynamic),
        (
            "mobile-166-170-12-34.mycingular.net",
            "166.170.12.34",
            Dynamic,
        ),
        ("fia160-115-100.dsl.hccnet.nl", "80.100.115.160", Dynamic),
        (
            "p200300c5e7123400a1b2c3d4e5f60718.dip0.t-ipconnect.de",
            "2003:c5:e712:3400:a1b2:c3d4:e5f6:718",
            Dynamic,
        ),
        (
            "2a02-8108-1234-5678-a1b2-c3d4-e5f6-718.dyn.example-cable.de",
            "2a02:8108:1234:5678:a1b2:c3d4:e5f6:718",
            Dynamic,
        ),
        // SpamAssassin 20_dynrdns.cf's documented examples not covered above.
        (
            "c-66-176-16-108.se.client2.attbi.com",
            "66.176.16.108",
            Dynamic,
        ),
        ("h0002a5d76857.ne.client2.attbi.com", "65.96.12.59", Dynamic),
        (
            "cdm-68-226-239-16.laft.cox-internet.com",
            "68.226.239.16",
            Dynamic,
        ),
        ("190-12-34-56.fibertel.com.ar", "190.12.34.56", Dynamic),
        ("210.12.34.56.ap.yournet.ne.jp", "56.34.12.210", Dynamic),
        ("81.12.34-56.rev.gaoland.net", "81.12.34.56", Dynamic),
        ("cp160000-a.mill1.nb.home.nl", "84.12.34.56", Dynamic),
        ("a151145.upc-a.chello.nl", "62.12.34.56", Dynamic),
        ("cm89.omega139.maxonline.com.sg", "220.255.12.34", Dynamic),
        ("0xd5aaf40b.dhcp.kabelnettet.dk", "213.170.244.11", Dynamic),
        ("apn-37-7-12-34.dynamic.gprs.plus.pl", "37.7.12.34", Dynamic),
        // --- servers with digits, provider names, static names ---------------
        ("mail2.example.com", "203.0.113.5", Specific),
        ("mx-01.example.net", "198.51.100.7", Specific),
        ("smtp-out-123.sendgrid.net", "167.89.12.34", Specific),
        ("o1.email.example.com", "167.89.1.2", Specific),
        ("mail-yw1-f181.google.com", "209.85.128.181", Specific),
        ("mail-sor-f41.google.com", "209.85.220.41", Specific),
        ("a8-12.smtp-out.amazonses.com", "54.240.8.12", Specific),
        (
            "a27-18.smtp-out.us-west-2.amazonses.com",
            "54.240.27.18",
            Specific,
        ),
        (
            "mail-dm6nam12on2081.outbound.protection.outlook.com",
            "40.107.243.81",
            Specific,
        ),
        ("m228-45.mailgun.net", "159.135.228.45", Specific),
        ("mail180-12.suw31.mandrillapp.com", "198.2.180.12", Specific),
        ("mta174a.sparkpostmail.com", "192.174.81.12", Specific),
        (
            "sonic301-12.consmr.mail.ne1.yahoo.com",
            "66.163.191.12",
            Specific,
        ),
        ("mx0b-00123402.pphosted.com", "148.163.151.12", Specific),
        (
            "eu-smtp-delivery-151.mimecast.com",
            "185.58.86.151",
            Specific,
        ),
        ("smtp01.mail.example.org", "198.51.100.30", Specific),
        ("mx-2.mail.example.co.uk", "198.51.100.31", Specific),
        ("out-12.smtp.github.com", "192.30.252.12", Specific),
        ("mail.dynamic-solutions.com", "198.51.100.40", Specific),
        ("mx1.generaldynamics.com", "198.51.100.41", Specific),
        ("mail.poolside-resort.com", "198.51.100.42", Specific),
        ("mail.example.com", "2001:db8::25", Specific),
        (
            "ec2-54-210-12-34.compute-1.amazonaws.com",
            "54.210.12.34",
            Provider,
        ),
        (
            "ec2-3-120-1-2.eu-central-1.compute.amazonaws.com",
            "3.120.1.2",
            Provider,
        ),
        (
            "78.56.12.34.bc.googleusercontent.com",
            "34.12.56.78",
            Provider,
        ),
        (
            "static.88-99-12-34.clients.your-server.de",
            "88.99.12.34",
            Provider,
        ),
        ("li123-45.members.linode.com", "45.79.123.45", Provider),
        ("45.76.12.34.vultrusercontent.com", "45.76.12.34", Provider),
        ("vmi123456.contaboserver.net", "161.97.1.2", Provider),
        ("ns3012345.ip-51-68-12.eu", "51.68.12.34", Provider),
        (
            "34.56.12.198.host.secureserver.net",
            "198.12.56.34",
            Provider,
        ),
        (
            "host-203-0-113-7.static.example-isp.net",
            "203.0.113.7",
            StaticGeneric,
        ),
        (
            "110-174-12-34.static.tpgi.com.au",
            "110.174.12.34",
            StaticGeneric,
        ),
        (
            "static-71-105-22-33.bstnma.fios.verizon.net",
            "71.105.22.33",
            StaticGeneric,
        ),
        (
            "host1-2-3-4.business.example-telecom.it",
            "1.2.3.4",
            StaticGeneric,
        ),
        // A registrant that calls itself a host: its numbered names are
        // data-centre addresses.
        (
            "198-51-100-25.example-hosting.net",
            "198.51.100.25",
            Provider,
        ),
        ("unn-149-40-50-12.datapacket.com", "149.40.50.12", Provider),
        // The same shape under a domain that says nothing: a weak sign only.
        ("198-51-100-26.example.net", "198.51.100.26", Generic),
    ];

    #[test]
    fn dynamic_name_table() {
        assert!(CASES.len() >= 50, "the table needs at least 50 shapes");
        let (mut tp, mut fp, mut fneg, mut tn) = (0u32, 0u32, 0u32, 0u32);
        let (mut sa_tp, mut sa_fp, mut sa_fn, mut sa_tn) = (0u32, 0u32, 0u32, 0u32);
        let mut failures = Vec::new();
        let mut sa_misses = Vec::new();
        for (name, ip, expected) in CASES {
            let ip: IpAddr = ip.parse().expect("table IP");
            let got = classify(name, Some(ip));
            let positive = *expected == Dynamic;
            match (positive, got.kind == Dynamic) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                (false, false) => tn += 1,
            }
            // SpamAssassin reads IPv4 relays' names only; count IPv6 rows for it as misses.
            let sa = ip.is_ipv4() && spamassassin::rdns_dynamic(name);
            match (positive, sa) {
                (true, true) => sa_tp += 1,
                (false, true) => sa_fp += 1,
                (true, false) => sa_fn += 1,
                (false, false) => sa_tn += 1,
            }
            if positive != sa {
                sa_misses.push(format!(
                    "{} {name}",
                    if sa {
                        "false positive:"
                    } else {
                        "missed:        "
                    }
                ));
            }
            if got.kind != *expected {
                failures.push(format!(
                    "{name} [{ip}]: expected {expected:?}, got {:?} ({})",
                    got.kind,
                    got.explain()
                ));
            }
        }
        let pr = |tp: u32, fp: u32, fneg: u32| {
            (
                f64::from(tp) / f64::from((tp + fp).max(1)),
                f64::from(tp) / f64::from((tp + fneg).max(1)),
            )
        };
        let (p, r) = pr(tp, fp, fneg);
        let (sp, sr) = pr(sa_tp, sa_fp, sa_fn);
        println!(
            "dynamic-name detection over {} names ({} dynamic, {} not):",
            CASES.len(),
            tp + fneg,
            fp + tn
        );
        println!(
            "  sendtrust:            precision {p:.3}  recall {r:.3}  (tp {tp}, fp {fp}, fn {fneg}, tn {tn})"
        );
        println!(
            "  SpamAssassin approx.: precision {sp:.3}  recall {sr:.3}  (tp {sa_tp}, fp {sa_fp}, fn {sa_fn}, tn {sa_tn})"
        );
        for m in &sa_misses {
            println!("    SpamAssassin approx. {m}");
        }
        assert!(
            failures.is_empty(),
            "misread names:\n{}",
            failures.join("\n")
        );
    }

    /// A labelled set for the consumer-ISP reading: residential names in the
    /// forms ISPs publish (most with no `dyn`/`pool`/`dsl` word: the form many
    /// cable and mobile operators use) and server names, hosting names that
    /// embed their address among them (they are static and pass rule 1).
    const RESIDENTIAL: &[(&str, &str)] = &[
        ("ip-109-41-12-34.web.vodafone.de", "109.41.12.34"),
        ("n218103012034.netvigator.com", "218.103.12.34"),
        ("ip68-101-12-34.ph.ph.cox.net", "68.101.12.34"),
        ("ip72-200-45-67.oc.oc.cox.net", "72.200.45.67"),
        ("174-16-12-34.hlrn.qwest.net", "174.16.12.34"),
        ("71-218-45-6.albq.qwest.net", "71.218.45.6"),
        ("50-39-12-34.bvtn.or.frontiernet.net", "50.39.12.34"),
        ("i59F71234.versanet.de", "89.247.18.52"),
        ("5ec01234.skybroadband.com", "94.192.18.52"),
        ("host-92-12-34-56.as13285.net", "92.12.34.56"),
        ("host81-132-12-34.in-addr.btopenworld.com", "81.132.12.34"),
        ("123-243-12-34.tpgi.com.au", "123.243.12.34"),
        ("c122-106-12-34.rochd4.qld.optusnet.com.au", "122.106.12.34"),
        ("125-238-12-34.jetstream.xtra.co.nz", "125.238.12.34"),
        ("d154-20-12-34.bchsia.telus.net", "154.20.12.34"),
        ("s23-16-12-34.ab.hsia.telus.net", "23.16.12.34"),
        ("host-24-222-12-34.public.eastlink.ca", "24.222.12.34"),
        ("12.sub-174-192-34.myvzw.com", "174.192.34.12"),
        ("host12.190-34-56.telecom.net.ar", "190.34.56.12"),
        ("190-12-34-56.speedy.com.ar", "190.12.34.56"),
        ("181-47-12-34.fibertel.com.ar", "181.47.12.34"),
        ("bd2a1234.virtua.com.br", "189.42.18.52"),
        ("d51A41234.access.telenet.be", "81.164.18.52"),
        ("94-225-12-34.access.telenet.be", "94.225.12.34"),
        ("91-154-12-34.elisa-laajakaista.fi", "91.154.12.34"),
        ("78-69-12-34-no2000.tbcn.telia.com", "78.69.12.34"),
        ("ip-178-200-12-34.hsi06.unitymediagroup.de", "178.200.12.34"),
        ("aftr-37-201-12-34.unity-media.net", "37.201.12.34"),
        (
            "dslb-092-075-012-034.092.075.pools.vodafone-ip.de",
            "92.75.12.34",
        ),
        (
            "HSI-KBW-046-223-012-034.hsi.kabel-badenwuerttemberg.de",
            "46.223.12.34",
        ),
        ("host-41.34.12.56.tedata.net", "41.34.12.56"),
        ("vc-196-207-12-34.3g.vodacom.co.za", "196.207.12.34"),
        ("i121-118-12-34.s41.a013.ap.plala.or.jp", "121.118.12.34"),
        ("KD106128012034.au-net.ne.jp", "106.128.12.34"),
        ("FL1-118-110-12-34.tky.mesh.ad.jp", "118.110.12.34"),
        ("097-088-012-034.res.spectrum.com", "97.88.12.34"),
        ("syn-070-123-045-067.res.spectrum.com", "70.123.45.67"),
        ("c-24-12-34-56.hsd1.mn.comcast.net", "24.12.34.56"),
        ("173-17-12-34.client.mchsi.com", "173.17.12.34"),
        ("176-145-12-34.abo.bbox.fr", "176.145.12.34"),
        ("82-209-12-34.cust.bredband2.com", "82.209.12.34"),
        ("87-92-12-34.bb.dnainternet.fi", "87.92.12.34"),
        ("net-93-144-12-34.cust.vodafonedsl.it", "93.144.12.34"),
        ("host-79-12-34-56.retail.telecomitalia.it", "79.12.34.56"),
        ("142-126-12-34.dsl.bell.ca", "142.126.12.34"),
        ("CPE-121-44-12-34.lnse1.woo.bigpond.net.au", "121.44.12.34"),
    ];

    const SERVERS: &[(&str, &str)] = &[
        ("ec2-54-210-12-34.compute-1.amazonaws.com", "54.210.12.34"),
        (
            "ec2-3-120-1-2.eu-central-1.compute.amazonaws.com",
            "3.120.1.2",
        ),
        ("78.56.12.34.bc.googleusercontent.com", "34.12.56.78"),
        ("static.88-99-12-34.clients.your-server.de", "88.99.12.34"),
        ("li123-45.members.linode.com", "45.79.123.45"),
        ("172-105-12-34.ip.linodeusercontent.com", "172.105.12.34"),
        ("45.76.12.34.vultrusercontent.com", "45.76.12.34"),
        ("vmi123456.contaboserver.net", "161.97.1.2"),
        ("ns3012345.ip-51-68-12.eu", "51.68.12.34"),
        ("ip34.ip-54-38-12.eu", "54.38.12.34"),
        ("vps-1a2b3c4d.vps.ovh.net", "51.75.12.34"),
        ("34.56.12.198.host.secureserver.net", "198.12.56.34"),
        ("163-172-12-34.rev.poneytelecom.eu", "163.172.12.34"),
        (
            "a23-45-67-89.deploy.static.akamaitechnologies.com",
            "23.45.67.89",
        ),
        ("104-130-12-34.static.cloud-ips.com", "104.130.12.34"),
        ("hwsrv-123456.hostwindsdns.com", "104.168.12.34"),
        ("lvps176-28-12-34.dedicated.hosteurope.de", "176.28.12.34"),
        ("ip217-160-12-34.pbiaas.com", "217.160.12.34"),
        ("s12345678.onlinehome-server.info", "82.165.12.34"),
        ("h2812345.stratoserver.net", "85.214.12.34"),
        ("mail-yw1-f181.google.com", "209.85.128.181"),
        ("mail-sor-f41.google.com", "209.85.220.41"),
        ("a8-12.smtp-out.amazonses.com", "54.240.8.12"),
        ("e226-12.smtp-out.amazonses.com", "23.251.226.12"),
        ("m228-45.mailgun.net", "159.135.228.45"),
        ("mail180-12.suw31.mandrillapp.com", "198.2.180.12"),
        ("mail12.atl41.rsgsv.net", "205.201.12.12"),
        ("mta174a.sparkpostmail.com", "192.174.81.12"),
        ("sonic301-12.consmr.mail.ne1.yahoo.com", "66.163.191.12"),
        ("mx0b-00123402.pphosted.com", "148.163.151.12"),
        ("eu-smtp-delivery-151.mimecast.com", "185.58.86.151"),
        (
            "mail-dm6nam12on2081.outbound.protection.outlook.com",
            "40.107.243.81",
        ),
        ("sender4-op-o12.zoho.com", "136.143.188.12"),
        ("mta12a-ord.mtasv.net", "50.31.156.12"),
        ("out-12.smtp.github.com", "192.30.252.12"),
        ("resomta-po-12v.sys.comcast.net", "96.114.154.162"),
        ("fed1rmfepo202.cox.net", "68.230.241.202"),
        (
            "static-71-105-22-33.bstnma.fios.verizon.net",
            "71.105.22.33",
        ),
        ("wsip-70-169-12-34.ph.ph.cox.net", "70.169.12.34"),
        ("rrcs-24-12-34-56.central.biz.rr.com", "24.12.34.56"),
        ("50-78-12-34-static.hfc.comcastbusiness.net", "50.78.12.34"),
        ("110-174-12-34.static.tpgi.com.au", "110.174.12.34"),
        ("mail2.example.com", "203.0.113.5"),
        ("mx-01.example.net", "198.51.100.7"),
        ("mx1.generaldynamics.com", "198.51.100.41"),
    ];

    #[test]
    fn consumer_isp_names_fail_and_server_names_pass() {
        assert!(RESIDENTIAL.len() >= 40 && SERVERS.len() >= 40);
        let flagged = |name: &str, ip: &str| {
            let ip: IpAddr = ip.parse().expect("table IP");
            classify(name, Some(ip)).kind == Dynamic
        };
        let missed: Vec<String> = RESIDENTIAL
            .iter()
            .filter(|(n, ip)| !flagged(n, ip))
            .map(|(n, ip)| format!("{n} [{ip}]: {:?}", classify(n, ip.parse().ok()).explain()))
            .collect();
        let false_positives: Vec<String> = SERVERS
            .iter()
            .filter(|(n, ip)| flagged(n, ip))
            .map(|(n, ip)| format!("{n} [{ip}]: {:?}", classify(n, ip.parse().ok()).explain()))
            .collect();
        let sa_caught = RESIDENTIAL
            .iter()
            .filter(|(n, _)| spamassassin::rdns_dynamic(n))
            .count();
        let sa_flagged = SERVERS
            .iter()
            .filter(|(n, _)| spamassassin::rdns_dynamic(n))
            .count();
        println!(
            "residential caught: sendtrust {}/{}, SpamAssassin approx. {sa_caught}/{}; \
             servers flagged: sendtrust {}/{}, SpamAssassin approx. {sa_flagged}/{}",
            RESIDENTIAL.len() - missed.len(),
            RESIDENTIAL.len(),
            RESIDENTIAL.len(),
            false_positives.len(),
            SERVERS.len(),
            SERVERS.len()
        );
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
        assert!(
            false_positives.is_empty(),
            "servers flagged:\n{}",
            false_positives.join("\n")
        );
        // Hosting names keep their own reading: static, generic (rule 2 warns).
        for (name, ip) in &SERVERS[..20] {
            let kind = classify(name, ip.parse().ok()).kind;
            assert!(matches!(kind, Provider | StaticGeneric), "{name}: {kind:?}");
        }
    }

    /// The evaluation set built from public sources (fqrdns.pcre, SpamAssassin's
    /// 20_dynrdns.cf examples, ISPs' and providers' own naming; see
    /// tests/fixtures/names/make_eval.py), split by registered domain into a
    /// tuning half (A) and a measuring half (B).
    const EVAL_SET: &str = include_str!("../../../../tests/fixtures/names/eval.tsv");

    /// Per half: (residential caught, residential, servers flagged, servers,
    /// SpamAssassin caught, SpamAssassin flagged, misread rows).
    fn score_eval_half(half: &str) -> (usize, usize, usize, usize, usize, usize, Vec<String>) {
        let (mut caught, mut residential, mut flagged, mut servers) = (0, 0, 0, 0);
        let (mut sa_caught, mut sa_flagged) = (0, 0);
        let mut misread = Vec::new();
        for line in EVAL_SET.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [h, label, name, ip, _source] = cols.as_slice() else {
                panic!("eval.tsv: bad row {line:?}");
            };
            if *h != half {
                continue;
            }
            let ip: IpAddr = ip.parse().expect("eval.tsv IP");
            let reading = classify(name, Some(ip));
            let dynamic = reading.kind == Dynamic;
            let sa = ip.is_ipv4() && spamassassin::rdns_dynamic(name);
            match *label {
                "residential" => {
                    residential += 1;
                    caught += usize::from(dynamic);
                    sa_caught += usize::from(sa);
                    if !dynamic {
                        misread.push(format!("missed {name} [{ip}]: {}", reading.explain()));
                    }
                }
                "server" => {
                    servers += 1;
                    flagged += usize::from(dynamic);
                    sa_flagged += usize::from(sa);
                    if dynamic {
                        misread.push(format!("flagged {name} [{ip}]: {}", reading.explain()));
                    }
                }
                other => panic!("eval.tsv: bad label {other:?}"),
            }
        }
        (
            caught,
            residential,
            flagged,
            servers,
            sa_caught,
            sa_flagged,
            misread,
        )
    }

    /// Residential rows of a half whose domain no table knows (no subscriber
    /// zone, no consumer ISP, no fqrdns.pcre domain): what the general reading
    /// (markers, the registrant's own label) catches on its own.
    fn score_untabled(half: &str) -> (usize, usize) {
        let known = |name: &str| {
            RESIDENTIAL_ZONES
                .iter()
                .chain(CONSUMER_ISP_DOMAINS)
                .copied()
                .chain(more_consumer_isps())
                .any(|(d, _)| has_suffix(name, d))
                || fqrdns_consumer_domains().any(|d| has_suffix(name, d))
        };
        let (mut caught, mut total) = (0, 0);
        for line in EVAL_SET.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [h, "residential", name, ip, _] = cols.as_slice()
                && *h == half
                && !known(name)
            {
                total += 1;
                let ip: IpAddr = ip.parse().expect("eval.tsv IP");
                caught += usize::from(classify(name, Some(ip)).kind == Dynamic);
            }
        }
        (caught, total)
    }

    #[test]
    fn evaluation_set_halves() {
        let mut results = Vec::new();
        for half in ["A", "B"] {
            let (caught, residential, flagged, servers, sa_caught, sa_flagged, misread) =
                score_eval_half(half);
            let (untabled_caught, untabled) = score_untabled(half);
            println!(
                "half {half}: residential caught {caught}/{residential} \
                 (SpamAssassin approx. {sa_caught}/{residential}); servers flagged \
                 {flagged}/{servers} (SpamAssassin approx. {sa_flagged}/{servers}); \
                 residential under no table: {untabled_caught}/{untabled} caught"
            );
            // Only the tuning half's misreadings are shown: half B is the
            // measurement and is not read row by row while tuning.
            if half == "A" {
                for m in &misread {
                    println!("    {m}");
                }
            }
            results.push((caught, residential, flagged, servers));
        }
        // Floors at what was measured (docs/rules-1-3.md): the tuning half is
        // read entirely right; the measuring half at the issue's target rate
        // (39 of 40) or better, and no server is flagged in either.
        let (a_caught, a_total, a_flagged, a_servers) = results[0];
        let (b_caught, b_total, b_flagged, b_servers) = results[1];
        assert!(a_total >= 100 && a_servers >= 40 && b_total >= 100 && b_servers >= 30);
        assert_eq!((a_caught, a_flagged), (a_total, 0), "tuning half");
        assert!(
            b_caught * 40 >= b_total * 39,
            "measuring half: {b_caught}/{b_total}"
        );
        assert_eq!(b_flagged, 0, "measuring half: servers flagged");
    }

    #[test]
    fn the_registrants_own_label_speaks_for_unknown_domains() {
        let read = |name: &str, ip: &str| classify(name, Some(ip.parse().expect("ip")));
        // An access network by its name: address-numbered lines are subscribers.
        let r = read(
            "181-115-12-34.reverse.examplecablecolor.hn",
            "181.115.12.34",
        );
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        assert!(r.explain().contains("access network"), "{}", r.explain());
        let r = read("host-77-95-12-34.bigtelecom-example.ru", "77.95.12.34");
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        // A host by its name: a data-centre address, even with a weak marker.
        let r = read("1-2-3-4.clients.examplehosting.net", "1.2.3.4");
        assert_eq!(r.kind, Provider, "{}", r.explain());
        let r = read("host-185-104-12-34.hosted-by-vdsina.ru", "185.104.12.34");
        assert_eq!(r.kind, Provider, "{}", r.explain());
        assert_eq!(r.provider, None, "no provider name to show");
        // A business service by its name: static, marker or not.
        let r = read(
            "173-161-12-34-philadelphia.hfc.comcastbusiness.net",
            "173.161.12.34",
        );
        assert_eq!(r.kind, StaticGeneric, "{}", r.explain());
        // The words need the address: a named host under such a domain is a
        // server, and a domain that says nothing keeps the weak reading.
        assert_eq!(read("mail.examplecable.net", "1.2.3.4").kind, Specific);
        assert_eq!(read("1-2-3-4.example.net", "1.2.3.4").kind, Generic);
        // The address of another host is not this host's line.
        assert_ne!(read("1-2-3-4.examplecable.net", "5.6.7.8").kind, Dynamic);
    }

    #[test]
    fn words_in_the_host_part() {
        let read = |name: &str, ip: &str| classify(name, Some(ip.parse().expect("ip"))).kind;
        assert_eq!(
            read("dinamico-190-12-34-56.example.net", "190.12.34.56"),
            Dynamic
        );
        assert_eq!(
            read("dslc-082-083-012-034.example.net", "82.83.12.34"),
            Dynamic
        );
        assert_eq!(
            read("dynamicip-178-34-12-34.example.net", "178.34.12.34"),
            Dynamic
        );
        assert_eq!(
            read("34.red-83-45-12.cablep.example.net", "83.45.12.34"),
            Dynamic
        );
        // Whole-token markers that are not letters.
        assert_eq!(read("177-73-12-34.3g.example.net", "177.73.12.34"), Dynamic);
        assert_eq!(
            read("mob-176-247-12-34.example.net", "176.247.12.34"),
            Dynamic
        );
        // Access-network equipment and carrier NAT.
        assert_eq!(
            read("aftr-88-217-12-34.example.net", "88.217.12.34"),
            Dynamic
        );
        assert_eq!(
            read("lns-bzn-33-82-252-12-34.example.net", "82.252.12.34"),
            Dynamic
        );
        // "access" is weak: next to the address only.
        assert_eq!(read("1-2-3-4.access.example.net", "1.2.3.4"), Dynamic);
        assert_eq!(read("gw1.access.example.net", "1.2.3.4"), Specific);
        // Virtual servers are static.
        assert_eq!(read("1-2-3-4.cloud.example.net", "1.2.3.4"), StaticGeneric);
        // Not inside the registered domain, and not without a number.
        assert_eq!(read("mail.dynamicsystems.com", "198.51.100.1"), Specific);
        assert_ne!(read("poolside.example.net", "198.51.100.1"), Dynamic);
    }

    #[test]
    fn static_and_server_words_win_over_the_consumer_reading() {
        let read = |name: &str, ip: &str| classify(name, Some(ip.parse().expect("ip")));
        // A consumer ISP's business ranges.
        for (name, ip) in [
            ("b2b-78-94-12-34.unity-media.net", "78.94.12.34"),
            (
                "customer-200-94-12-34-sta.uninet-ide.com.mx",
                "200.94.12.34",
            ),
            ("leased-line-85-12-34-56.telecom.by", "85.12.34.56"),
            ("h-12-34.a357.corp.bahnhof.se", "85.24.12.34"),
            ("adsl-ip-fija-200-87-12-34.cotas.com.bo", "200.87.12.34"),
        ] {
            let r = read(name, ip);
            assert_eq!(r.kind, StaticGeneric, "{name}: {}", r.explain());
        }
        // The ISP's own mail servers, even when numbered by the address.
        let r = read("smtp-68-230-12-34.cox.net", "68.230.12.34");
        assert_eq!(r.kind, Generic, "{}", r.explain());
        let r = read("mailout12.cox.net", "68.230.241.12");
        assert_eq!(r.kind, Specific, "{}", r.explain());
    }

    #[test]
    fn fqrdns_consumer_domains_count_as_consumer_isps() {
        let ip: IpAddr = "24.225.12.34".parse().expect("ip");
        let r = classify("host-24-225-12-34.patmedia.net", Some(ip));
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        assert!(r.explain().contains("fqrdns"), "{}", r.explain());
        // A table beats a word in the domain's name: `server.by` is a
        // consumer ISP in fqrdns.pcre, whatever "server" suggests.
        let ip: IpAddr = "93.84.12.34".parse().expect("ip");
        let r = classify("93.84.12.34.server.by", Some(ip));
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        let ip: IpAddr = "24.225.12.34".parse().expect("ip");
        // The same shape under a domain the list does not name stays weak.
        let r = classify("host-24-225-12-34.patmedia-example.net", Some(ip));
        assert_eq!(r.kind, Generic, "{}", r.explain());
    }

    #[test]
    fn name_tables_are_well_formed() {
        let lines = crate::lists::host_names::MORE_CONSUMER_ISPS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(
            more_consumer_isps().count(),
            lines,
            "every line of MORE_CONSUMER_ISPS is \"domain Name\""
        );
        let consumer: Vec<&str> = CONSUMER_ISP_DOMAINS
            .iter()
            .map(|(d, _)| *d)
            .chain(more_consumer_isps().map(|(d, _)| d))
            .chain(fqrdns_consumer_domains())
            .collect();
        assert!(consumer.len() > 1000, "{}", consumer.len());
        let mut seen = std::collections::HashSet::new();
        for d in &consumer {
            assert!(
                d.contains('.')
                    && d.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'.'
                        || b == b'-'),
                "not a lower-case domain: {d:?}"
            );
            assert!(seen.insert(*d), "listed twice: {d}");
            // A domain is a consumer ISP or a server operator, never both.
            assert!(
                !HOSTING_DOMAINS
                    .iter()
                    .chain(MAIL_PROVIDER_DOMAINS)
                    .any(|(h, _)| h == d),
                "{d} is both a consumer ISP and a hosting or mail provider"
            );
        }
    }

    #[test]
    fn ipv6_groups_zero_padded() {
        let ip: IpAddr = "2a02:810d:4b40:1234:0:0:a1b2:c3".parse().expect("ip");
        let r = classify(
            "2a02-810d-4b40-1234-0000-0000-a1b2-00c3.example-cable.de",
            Some(ip),
        );
        assert_eq!(r.embedded_ip, Some("IPv6"), "{}", r.explain());
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
    }

    #[test]
    fn the_address_as_one_number() {
        // 73.150.2.210 is 1234567890.
        let ip: IpAddr = "73.150.2.210".parse().expect("ip");
        let r = classify("1234567890.ip2long.net", Some(ip));
        assert_eq!(r.embedded_ip, Some("one 32-bit number"), "{}", r.explain());
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        let other: IpAddr = "73.150.2.211".parse().expect("ip");
        assert_eq!(
            classify("1234567890.example.net", Some(other)).embedded_ip,
            None
        );
    }

    #[test]
    fn consumer_isp_reading_needs_the_address() {
        // The ISP's own servers under the same domain are named, not numbered.
        let ip: IpAddr = "68.230.241.202".parse().expect("ip");
        assert_ne!(classify("fed1rmfepo202.cox.net", Some(ip)).kind, Dynamic);
        // Even when its scattered digits are octets of the address: only
        // octets written next to each other are an address.
        let ip: IpAddr = "68.230.1.202".parse().expect("ip");
        assert_ne!(classify("fed1rmfepo202.cox.net", Some(ip)).kind, Dynamic);
        // A mail provider's outbound name that embeds its whole address is
        // its server, not a "may be dynamic" name.
        let ip: IpAddr = "209.85.128.181".parse().expect("ip");
        let r = classify("mail-209-85-128-181.google.com", Some(ip));
        assert_eq!(r.kind, Specific, "{}", r.explain());
        assert!(r.explain().contains("mail provider"), "{}", r.explain());
        // Another address: the name is not this host's line.
        let other: IpAddr = "203.0.113.9".parse().expect("ip");
        assert_ne!(
            classify("ip68-101-12-34.ph.ph.cox.net", Some(other)).kind,
            Dynamic
        );
        // Two octets of the address count under a consumer ISP only.
        let ip: IpAddr = "190.34.56.12".parse().expect("ip");
        let r = classify("host12.190-34-56.telecom.net.ar", Some(ip));
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        let ip: IpAddr = "54.240.8.12".parse().expect("ip");
        assert_eq!(
            classify("a8-12.smtp-out.amazonses.com", Some(ip)).kind,
            Specific
        );
        assert_eq!(
            classify("a8-12.smtp-out.example-mailer.net", Some(ip)).kind,
            Specific
        );
        let ip: IpAddr = "81.2.8.12".parse().expect("ip");
        let r = classify("a8-12.example.telia.com", Some(ip));
        assert_eq!(r.kind, Dynamic, "{}", r.explain());
        assert!(r.explain().contains("last two octets"), "{}", r.explain());
        // The same address-embedding shape under an unknown domain stays a
        // weak sign ("may be dynamic").
        let ip: IpAddr = "174.16.12.34".parse().expect("ip");
        assert_eq!(
            classify("174-16-12-34.hlrn.example-net.net", Some(ip)).kind,
            Generic
        );
    }

    #[test]
    fn without_an_ip_only_the_shape_counts() {
        assert_eq!(
            classify("c-73-15-22-1.hsd1.ca.comcast.net", None).kind,
            Dynamic
        );
        assert_eq!(classify("mail2.example.com", None).kind, Specific);
        assert_eq!(classify("1-2-3-4.example.net", None).kind, Generic);
    }

    #[test]
    fn hostile_names_do_not_panic() {
        for name in [
            "",
            ".",
            "..",
            "-",
            "a",
            "é.example",
            "999999999999999999999999.example",
            "0x.dip.",
            "ip-.eu",
            "\u{0}\u{7f}.x",
            &"1-".repeat(500),
        ] {
            let _ = classify(name, Some("192.0.2.1".parse().unwrap()));
            let _ = classify(name, Some("2001:db8::1".parse().unwrap()));
            let _ = classify(name, None);
            let _ = read_helo(name);
        }
    }

    #[test]
    fn helo_kinds() {
        assert!(matches!(
            read_helo("[192.0.2.1]"),
            HeloKind::AddressLiteral(_)
        ));
        assert!(matches!(
            read_helo("[IPv6:2001:db8::1]"),
            HeloKind::AddressLiteral(_)
        ));
        assert!(matches!(
            read_helo("192.0.2.1"),
            HeloKind::AddressLiteral(_)
        ));
        assert!(matches!(read_helo("DESKTOP-7F3K2Q"), HeloKind::Generic(_)));
        assert!(matches!(
            read_helo("localhost.localdomain"),
            HeloKind::Generic(_)
        ));
        assert!(matches!(read_helo("box.lan"), HeloKind::Generic(_)));
        assert_eq!(
            read_helo("Mail.Example.COM."),
            HeloKind::Name("mail.example.com".into())
        );
    }
}
