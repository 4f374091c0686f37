//! DNS blocklists (DNSBLs): the lists Sendtrust knows, their documented
//! return codes, and one careful query. Shared by rule 1 (the dynamic-range
//! lists) and rule 3 (the blocklists).
//!
//! A query is `<reversed IPv4 octets | IPv6 nibbles | domain>.<zone>`, type A.
//! NXDOMAIN means not listed. An address answer is a listing only when it is
//! one of the list's documented codes: Spamhaus's `127.255.255.x` (and any
//! other answer outside the documented set) means the query was refused or
//! the answer is not to be trusted, never "listed" — reading those as
//! listings made Postfix, Haraka and mox users reject good mail. A listing is
//! also cross-checked against the list's test entry that must never be listed
//! (RFC 5782: `127.0.0.1` for IP lists, `invalid` for domain lists): a list
//! that "lists" it is answering yes to everything.

use crate::dns::{Answer, DnsFailure, QType, Rdata, Resolver};
use crate::{Options, dns};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr};

pub use crate::lists::blocklists::{
    Code, CodeClass, KNOWN_LISTS, KnownList, ListKind, SPAMHAUS_REMOVAL,
};

/// The zones queried by default for `kind`.
pub fn default_zones(kind: ListKind) -> Vec<String> {
    KNOWN_LISTS
        .iter()
        .filter(|l| l.default && l.kind == kind)
        .map(|l| l.zone.to_string())
        .collect()
}

/// The list behind a zone (public zone, or a DQS zone with any key).
pub fn known(zone: &str) -> Option<&'static KnownList> {
    KNOWN_LISTS.iter().find(|l| {
        l.zone == zone
            || l.dqs.is_some_and(|d| {
                zone.len() > d.len() + 1
                    && zone.ends_with(d)
                    && zone.as_bytes()[zone.len() - d.len() - 1] == b'.'
            })
    })
}

/// One list to query.
#[derive(Debug, Clone)]
pub struct ListSpec {
    /// The zone queried (with the DQS key when there is one).
    pub zone: String,
    /// The zone as shown (the key masked).
    pub display: String,
    /// What the list lists.
    pub kind: ListKind,
    /// The list, when Sendtrust knows it.
    pub known: Option<&'static KnownList>,
}

impl ListSpec {
    /// A list for a zone name (lowercased, trailing dot removed).
    pub fn new(zone: &str, kind: ListKind) -> Self {
        let zone = dns::normalize_name(zone);
        ListSpec {
            known: known(&zone),
            display: zone.clone(),
            zone,
            kind,
        }
    }

    /// The list's name for people (the zone when unknown).
    pub fn name(&self) -> &str {
        self.known.map_or(self.display.as_str(), |k| k.name)
    }
}

/// The user's DQS key, checked: `Ok(None)` when none is set, `Err` with the
/// reason when it cannot be part of a DNS name.
pub fn dqs_key(options: &Options) -> Result<Option<String>, String> {
    let Some(key) = options.spamhaus_dqs_key.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if key.is_empty() {
        return Ok(None);
    }
    if key.len() > 63 || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(
            "the Spamhaus DQS key was not used: a key is letters and digits only (up to 63)"
                .to_string(),
        );
    }
    Ok(Some(key.to_ascii_lowercase()))
}

/// Swaps Spamhaus public zones for their DQS zones when there is a key.
fn with_dqs(mut spec: ListSpec, key: Option<&str>) -> ListSpec {
    if let (Some(key), Some(dqs)) = (key, spec.known.and_then(|k| k.dqs))
        && !spec.zone.ends_with(dqs)
    {
        spec.zone = format!("{key}.{dqs}");
        spec.display = format!("<DQS key>.{dqs}");
    }
    spec
}

/// The lists to query for `kind`: the user's (`options.dnsbl_zones` /
/// `dbl_zones`) or the defaults, Spamhaus through DQS when a key is set.
/// Duplicates are dropped. The note says why a DQS key was not used.
pub fn lists(options: &Options, kind: ListKind) -> (Vec<ListSpec>, Option<String>) {
    let (key, note) = match dqs_key(options) {
        Ok(k) => (k, None),
        Err(e) => (None, Some(e)),
    };
    let zones = match kind {
        ListKind::Ip => options.dnsbl_zones.clone(),
        ListKind::Domain => options.dbl_zones.clone(),
    }
    .unwrap_or_else(|| default_zones(kind));
    let mut out: Vec<ListSpec> = Vec::new();
    for z in zones {
        let spec = with_dqs(ListSpec::new(&z, kind), key.as_deref());
        if !spec.zone.is_empty() && !out.iter().any(|o| o.zone == spec.zone) {
            out.push(spec);
        }
    }
    (out, note)
}

/// The lists rule 1 reads for dynamic ranges: the PBL through ZEN (DQS with a
/// key), SpamRATS Dyna and NoPtr.
pub fn dynamic_lists(options: &Options) -> (Vec<ListSpec>, Option<String>) {
    let (key, note) = match dqs_key(options) {
        Ok(k) => (k, None),
        Err(e) => (None, Some(e)),
    };
    let out = [
        "zen.spamhaus.org",
        "dyna.spamrats.com",
        "noptr.spamrats.com",
    ]
    .iter()
    .map(|z| with_dqs(ListSpec::new(z, ListKind::Ip), key.as_deref()))
    .collect();
    (out, note)
}

/// The query label for an IP: reversed octets, or reversed nibbles for IPv6.
pub fn ip_label(ip: IpAddr) -> String {
    let name = Resolver::reverse_name(ip);
    name.strip_suffix(".in-addr.arpa")
        .or_else(|| name.strip_suffix(".ip6.arpa"))
        .unwrap_or(&name)
        .to_string()
}

/// How one list answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Listed, with a documented code.
    Listed,
    /// Not listed (NXDOMAIN or no address).
    NotListed,
    /// No answer: timeout, refused by the resolver, network error.
    Error,
    /// An answer that is not a listing: a refusal code, or a code outside the
    /// list's documented set.
    InvalidAnswer,
    /// Not asked (an IPv4-only list and an IPv6 address, an invalid name, …).
    Skipped,
}

impl Status {
    /// The status as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::NotListed => "not-listed",
            Status::Error => "error",
            Status::InvalidAnswer => "invalid-answer",
            Status::Skipped => "skipped",
        }
    }
}

/// One list's answer about one IP or domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResult {
    /// The IP or domain looked up.
    pub subject: String,
    /// The zone as shown (DQS key masked).
    pub zone: String,
    /// The list's name.
    pub list: String,
    /// The name queried, as shown (DQS key masked).
    pub query: String,
    /// The outcome.
    pub status: Status,
    /// The addresses answered.
    pub codes: Vec<String>,
    /// What the answer means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
    /// The TXT record at the same name (reason, removal link), when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txt: Option<String>,
    /// Why the list could not be checked, or what is odd about the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What to do about a listing, a refusal or an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_to_do: Option<String>,
    /// Where to look the entry up and ask for removal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal: Option<String>,
    /// The strongest class among the codes (for rule 1's signals).
    #[serde(skip)]
    pub class: Option<CodeClass>,
}

impl ListResult {
    fn new(spec: &ListSpec, subject: &str, query: String, status: Status) -> Self {
        ListResult {
            subject: subject.to_string(),
            zone: spec.display.clone(),
            list: spec.name().to_string(),
            query: query.replace(&spec.zone, &spec.display),
            status,
            codes: Vec::new(),
            meaning: None,
            txt: None,
            detail: None,
            what_to_do: None,
            removal: spec.known.map(|k| k.removal.to_string()),
            class: None,
        }
    }

    /// One line for evidence: what the list said.
    pub fn summary(&self) -> String {
        let mut s = match self.status {
            Status::Listed => format!(
                "listed ({}): {}",
                self.codes.join(", "),
                self.meaning.as_deref().unwrap_or("listed")
            ),
            Status::NotListed => "not listed".to_string(),
            Status::Error => format!(
                "could not check: {}",
                self.detail.as_deref().unwrap_or("no answer")
            ),
            Status::InvalidAnswer => format!(
                "query refused or invalid answer ({}): {}",
                self.codes.join(", "),
                self.meaning
                    .as_deref()
                    .or(self.detail.as_deref())
                    .unwrap_or("not a listing")
            ),
            Status::Skipped => format!(
                "not asked: {}",
                self.detail.as_deref().unwrap_or("does not apply")
            ),
        };
        if let Some(txt) = &self.txt {
            s.push_str(&format!(" — TXT: {txt}"));
        }
        if matches!(self.status, Status::Listed | Status::InvalidAnswer)
            && let Some(w) = &self.what_to_do
        {
            s.push_str(&format!(" — {w}"));
        }
        s
    }
}

/// How Sendtrust reads one answered address for a list.
fn interpret(spec: &ListSpec, addr: Ipv4Addr) -> (CodeClass, Option<String>) {
    let o = addr.octets();
    if let Some(k) = spec.known {
        return match k.codes.iter().find(|c| c.addr == o) {
            Some(c) => (c.class, Some(c.meaning.to_string())),
            None => (
                CodeClass::Refused,
                Some(format!(
                    "{addr} is not one of {}'s documented answers, so it is not a listing",
                    k.name
                )),
            ),
        };
    }
    // A list Sendtrust does not know: the conventions every list follows.
    if o[0] != 127 {
        (
            CodeClass::Refused,
            Some(format!(
                "{addr} is not a blocklist answer (those are in 127.0.0.0/8): the zone may not be \
                 a blocklist, or the resolver redirected the query"
            )),
        )
    } else if o[1..] == [255, 255, o[3]] {
        (
            CodeClass::Refused,
            Some(format!(
                "{addr}: answers in 127.255.255.0/24 are query errors by convention (refused, \
                 rate-limited), not listings"
            )),
        )
    } else if o == [127, 0, 0, 1] {
        (
            CodeClass::Refused,
            Some(
                "127.0.0.1 is never a listing (RFC 5782 reserves it as the not-listed test \
                 entry); several lists answer it to refuse a query"
                    .to_string(),
            ),
        )
    } else {
        (
            CodeClass::Listed,
            Some(format!(
                "listed (code {addr}; Sendtrust does not know this list's codes)"
            )),
        )
    }
}

fn failure_advice(f: &DnsFailure) -> &'static str {
    match f {
        DnsFailure::Offline => "turn off offline mode to check the lists",
        DnsFailure::InvalidName(_) => "the name cannot be asked; check the list's zone name",
        DnsFailure::Refused => {
            "the DNS provider refused the question; choose another DNS provider in the settings"
        }
        _ => "try again, or choose another DNS provider in the settings",
    }
}

fn refusal_advice(spec: &ListSpec) -> String {
    let spamhaus = spec.known.is_some_and(|k| k.dqs.is_some()) || spec.zone.contains("spamhaus");
    if spamhaus {
        format!(
            "Spamhaus does not answer queries that reach it through public DNS resolvers, and \
             every DoH provider is one. Add a Spamhaus Data Query Service (DQS) key in the \
             settings (see spamhaus.com for its free tier and the conditions), or look the \
             address up by hand at {SPAMHAUS_REMOVAL}."
        )
    } else {
        let by_hand = spec.known.map_or(String::new(), |k| {
            format!(" or look it up by hand at {}", k.removal)
        });
        format!(
            "This answer is not a listing. The list may be refusing your DNS provider, have \
             changed its codes, or have shut down: try another DNS provider{by_hand}."
        )
    }
}

fn listed_advice(spec: &ListSpec, class: Option<CodeClass>) -> String {
    let removal = spec.known.map_or_else(
        || "the list's website".to_string(),
        |k| k.removal.to_string(),
    );
    match class {
        Some(CodeClass::DynamicRange | CodeClass::DynamicHint) => format!(
            "This lists the kind of address, not spam: send through a relay (smarthost) or give \
             the server a static address with a proper reverse name; if the address really is \
             a static server's, ask for removal at {removal}."
        ),
        _ => format!(
            "Find and stop the cause first (an infected machine or hacked account, an open \
             relay, a web form sending mail, bad lists), then ask for removal at {removal}."
        ),
    }
}

/// Renders TXT records for display: joined, control characters dropped, cut
/// to a sensible length.
fn txt_text(records: &[Rdata]) -> Option<String> {
    let joined = records
        .iter()
        .filter_map(|r| match r {
            Rdata::Txt(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" | ");
    let clean: String = joined
        .chars()
        .filter(|c| !c.is_control())
        .take(400)
        .collect();
    (!clean.trim().is_empty()).then(|| clean.trim().to_string())
}

/// Asks one list about an IP.
pub async fn check_ip(resolver: &Resolver, ip: IpAddr, spec: &ListSpec) -> ListResult {
    let query = format!("{}.{}", ip_label(ip), spec.zone);
    if ip.is_ipv6() && spec.known.is_some_and(|k| !k.ipv6) {
        let mut r = ListResult::new(spec, &ip.to_string(), query, Status::Skipped);
        r.detail = Some("this list covers IPv4 addresses only".to_string());
        return r;
    }
    check(resolver, &ip.to_string(), query, "1.0.0.127", spec).await
}

/// Asks one list about a domain (already in ASCII form).
pub async fn check_domain(resolver: &Resolver, domain: &str, spec: &ListSpec) -> ListResult {
    let query = format!("{domain}.{}", spec.zone);
    check(resolver, domain, query, "invalid", spec).await
}

async fn check(
    resolver: &Resolver,
    subject: &str,
    query: String,
    never_listed: &str,
    spec: &ListSpec,
) -> ListResult {
    let mut result = ListResult::new(spec, subject, query.clone(), Status::Error);
    let answer = resolver.lookup(&query, QType::A).await;
    let addrs: Vec<Ipv4Addr> = match answer {
        Err(f) => {
            result.detail = Some(f.to_string());
            result.what_to_do = Some(failure_advice(&f).to_string());
            if matches!(f, DnsFailure::InvalidName(_)) {
                result.status = Status::Skipped;
            }
            return result;
        }
        Ok(Answer::NxDomain | Answer::NoData) => {
            result.status = Status::NotListed;
            return result;
        }
        Ok(Answer::Records(records)) => records
            .iter()
            .filter_map(|r| match r {
                Rdata::A(a) => Some(*a),
                _ => None,
            })
            .collect(),
    };
    if addrs.is_empty() {
        result.status = Status::NotListed;
        return result;
    }
    result.codes = addrs.iter().map(ToString::to_string).collect();
    let readings: Vec<(CodeClass, Option<String>)> =
        addrs.iter().map(|a| interpret(spec, *a)).collect();
    let refused = readings.iter().any(|(c, _)| *c == CodeClass::Refused);
    let meanings: Vec<String> = readings
        .iter()
        .filter(|(c, _)| !refused || *c == CodeClass::Refused)
        .filter_map(|(_, m)| m.clone())
        .collect();
    result.meaning = (!meanings.is_empty()).then(|| meanings.join("; "));

    // The reason text, and for a listing the never-listed test entry, together.
    let test_query = format!("{never_listed}.{}", spec.zone);
    let (txt, test) = futures::future::join(resolver.lookup(&query, QType::Txt), async {
        if refused {
            None
        } else {
            Some(resolver.lookup(&test_query, QType::A).await)
        }
    })
    .await;
    result.txt = txt.ok().and_then(|a| txt_text(a.records()));

    if refused {
        result.status = Status::InvalidAnswer;
        result.what_to_do = Some(refusal_advice(spec));
        return result;
    }
    let lists_everything = matches!(&test, Some(Ok(Answer::Records(r))) if r.iter().any(|rd| {
        matches!(rd, Rdata::A(a) if interpret(spec, *a).0 != CodeClass::Refused)
    }));
    if lists_everything {
        result.status = Status::InvalidAnswer;
        result.detail = Some(format!(
            "the list also \"lists\" {test_query}, its test entry that no list may list \
             (RFC 5782): it is answering \"listed\" to everything"
        ));
        result.meaning = Some(
            "the list answers \"listed\" to every question, so this answer means nothing"
                .to_string(),
        );
        result.what_to_do = Some(refusal_advice(spec));
        return result;
    }
    result.status = Status::Listed;
    result.class = readings.iter().map(|(c, _)| *c).max_by_key(|c| match c {
        CodeClass::Listed => 3,
        CodeClass::DynamicRange => 2,
        CodeClass::DynamicHint => 1,
        CodeClass::Refused => 0,
    });
    // The list's own policy when Sendtrust knows it (an SBL listing is not
    // removed by the sender); the general advice otherwise.
    result.what_to_do = Some(
        super::dnsbl_fix::policy_advice(spec.known, &addrs)
            .unwrap_or_else(|| listed_advice(spec, result.class)),
    );
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Lookup;

    fn a(ip: [u8; 4]) -> Lookup {
        Ok(Answer::Records(vec![Rdata::A(Ipv4Addr::from(ip))]))
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    #[test]
    fn ip_labels() {
        assert_eq!(ip_label("192.0.2.99".parse().unwrap()), "99.2.0.192");
        let v6 = ip_label("2001:db8::1".parse().unwrap());
        assert!(v6.starts_with("1.0.0.0."));
        assert!(v6.ends_with(".8.b.d.0.1.0.0.2"));
        assert_eq!(v6.split('.').count(), 32);
    }

    #[test]
    fn spamhaus_refusal_is_never_listed() {
        let spec = ListSpec::new("zen.spamhaus.org", ListKind::Ip);
        let r = Resolver::with_fixtures([(
            ("99.2.0.192.zen.spamhaus.org".to_string(), QType::A),
            a([127, 255, 255, 254]),
        )]);
        let res = run(check_ip(&r, "192.0.2.99".parse().unwrap(), &spec));
        assert_eq!(res.status, Status::InvalidAnswer);
        assert!(res.meaning.unwrap().contains("public or open DNS resolver"));
        assert!(res.what_to_do.unwrap().contains("DQS"));
    }

    #[test]
    fn undocumented_code_is_invalid() {
        let spec = ListSpec::new("bl.spamcop.net", ListKind::Ip);
        let r = Resolver::with_fixtures([(
            ("99.2.0.192.bl.spamcop.net".to_string(), QType::A),
            a([127, 0, 0, 9]),
        )]);
        let res = run(check_ip(&r, "192.0.2.99".parse().unwrap(), &spec));
        assert_eq!(res.status, Status::InvalidAnswer);
    }

    #[test]
    fn listing_with_txt_and_a_clean_test_entry() {
        let spec = ListSpec::new("bl.test", ListKind::Ip);
        let r = Resolver::with_fixtures([
            (
                ("99.2.0.192.bl.test".to_string(), QType::A),
                a([127, 0, 0, 2]),
            ),
            (
                ("99.2.0.192.bl.test".to_string(), QType::Txt),
                Ok(Answer::Records(vec![Rdata::Txt(
                    b"spam\x07 trap hit".to_vec(),
                )])),
            ),
            (
                ("1.0.0.127.bl.test".to_string(), QType::A),
                Ok(Answer::NxDomain),
            ),
        ]);
        let res = run(check_ip(&r, "192.0.2.99".parse().unwrap(), &spec));
        assert_eq!(res.status, Status::Listed);
        assert_eq!(res.txt.as_deref(), Some("spam trap hit"));
        assert_eq!(res.class, Some(CodeClass::Listed));
    }

    #[test]
    fn a_list_that_lists_everything_is_invalid() {
        let spec = ListSpec::new("bl.test", ListKind::Ip);
        let r = Resolver::with_fixtures([
            (
                ("99.2.0.192.bl.test".to_string(), QType::A),
                a([127, 0, 0, 2]),
            ),
            (
                ("99.2.0.192.bl.test".to_string(), QType::Txt),
                Ok(Answer::NxDomain),
            ),
            (
                ("1.0.0.127.bl.test".to_string(), QType::A),
                a([127, 0, 0, 2]),
            ),
        ]);
        let res = run(check_ip(&r, "192.0.2.99".parse().unwrap(), &spec));
        assert_eq!(res.status, Status::InvalidAnswer);
    }

    #[test]
    fn failures_are_errors_and_ipv4_only_lists_skip_ipv6() {
        let spec = ListSpec::new("bl.test", ListKind::Ip);
        let r = Resolver::with_fixtures([(
            ("99.2.0.192.bl.test".to_string(), QType::A),
            Err(DnsFailure::Timeout),
        )]);
        let res = run(check_ip(&r, "192.0.2.99".parse().unwrap(), &spec));
        assert_eq!(res.status, Status::Error);
        let spamcop = ListSpec::new("bl.spamcop.net", ListKind::Ip);
        let res = run(check_ip(&r, "2001:db8::1".parse().unwrap(), &spamcop));
        assert_eq!(res.status, Status::Skipped);
    }

    #[test]
    fn dqs_replaces_spamhaus_zones_and_masks_the_key() {
        let options = Options {
            spamhaus_dqs_key: Some("abc123".into()),
            ..Options::default()
        };
        let (ip, note) = lists(&options, ListKind::Ip);
        assert!(note.is_none());
        let zen = ip.iter().find(|s| s.zone.contains("spamhaus")).unwrap();
        assert_eq!(zen.zone, "abc123.zen.dq.spamhaus.net");
        assert_eq!(zen.display, "<DQS key>.zen.dq.spamhaus.net");
        assert_eq!(zen.known.map(|k| k.zone), Some("zen.spamhaus.org"));
        let (dom, _) = lists(&options, ListKind::Domain);
        assert!(dom.iter().any(|s| s.zone == "abc123.dbl.dq.spamhaus.net"));

        let bad = Options {
            spamhaus_dqs_key: Some("bad key!".into()),
            ..Options::default()
        };
        let (ip, note) = lists(&bad, ListKind::Ip);
        assert!(note.is_some());
        assert!(ip.iter().any(|s| s.zone == "zen.spamhaus.org"));
    }

    #[test]
    fn unknown_zones_follow_conventions() {
        let spec = ListSpec::new("Example-BL.test.", ListKind::Ip);
        assert_eq!(spec.zone, "example-bl.test");
        assert_eq!(
            interpret(&spec, Ipv4Addr::new(127, 0, 0, 2)).0,
            CodeClass::Listed
        );
        assert_eq!(
            interpret(&spec, Ipv4Addr::new(127, 0, 0, 1)).0,
            CodeClass::Refused
        );
        assert_eq!(
            interpret(&spec, Ipv4Addr::new(127, 255, 255, 254)).0,
            CodeClass::Refused
        );
        assert_eq!(
            interpret(&spec, Ipv4Addr::new(192, 0, 2, 1)).0,
            CodeClass::Refused
        );
    }
}
