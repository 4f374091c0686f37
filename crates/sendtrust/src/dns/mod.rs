//! DNS for every check: one resolver per session, one log per analysis.
//!
//! All lookups — PTR, A, AAAA, TXT, MX, DNSBL, DKIM keys, SPF, DMARC — go through
//! [`Resolver::lookup`]. It validates the name, serves answers from the session
//! cache while their TTL lasts, shares identical in-flight questions, bounds the
//! number of concurrent requests, enforces a per-query deadline with a bounded
//! retry, and writes every question to the analysis's `dns_log`.
//!
//! mail-auth's verifiers read the same cache through [`bridge`]; they never send
//! a query themselves (see `ARCHITECTURE.md`, "one transport").

#[cfg(feature = "engine")]
pub mod bridge;
mod doh;
pub mod idn;
mod provider;
mod session;

use crate::report::DnsLogEntry;
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::rc::Rc;
use std::time::Duration;
use web_time::Instant;

pub use doh::DohFormat;
pub use provider::{DohUrl, DohUrlError, ProviderValue, UrlParts, check_doh_url, url_parts};
pub use session::Session;

/// Entry points for the fuzz targets in `fuzz/`: the DoH answer decoders,
/// which are otherwise private. Not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    use super::{Answer, DnsFailure, QType};

    /// Decodes an RFC 8484 answer to the question `name`/`qtype`.
    pub fn decode_wire(body: &[u8], name: &str, qtype: QType) -> Result<(Answer, u32), DnsFailure> {
        let qname = hickory_proto::rr::Name::from_ascii(format!("{name}."))
            .map_err(|e| DnsFailure::InvalidName(e.to_string()))?;
        super::doh::decode_wire(body, &qname, qtype)
    }

    /// Decodes a JSON API answer to the question `name`/`qtype`.
    pub fn decode_json(body: &[u8], name: &str, qtype: QType) -> Result<(Answer, u32), DnsFailure> {
        super::doh::decode_json(body, name, qtype)
    }
}

/// Public DoH providers offered as presets.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        id: "cloudflare",
        name: "Cloudflare",
        url: "https://cloudflare-dns.com/dns-query",
        format: DohFormat::Wire,
    },
    Provider {
        id: "google",
        name: "Google",
        url: "https://dns.google/dns-query",
        format: DohFormat::Wire,
    },
    Provider {
        id: "quad9",
        name: "Quad9",
        url: "https://dns.quad9.net/dns-query",
        format: DohFormat::Wire,
    },
    Provider {
        id: "cloudflare-json",
        name: "Cloudflare (JSON API)",
        url: "https://cloudflare-dns.com/dns-query",
        format: DohFormat::Json,
    },
    Provider {
        id: "google-json",
        name: "Google (JSON API)",
        url: "https://dns.google/resolve",
        format: DohFormat::Json,
    },
];

/// The default provider: the first preset.
pub const DEFAULT_PROVIDER: &Provider = &PROVIDERS[0];

/// A DoH provider preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    /// Short id used in settings and `?doh=`.
    pub id: &'static str,
    /// Name for people.
    pub name: &'static str,
    /// Endpoint URL.
    pub url: &'static str,
    /// Wire format or JSON API.
    pub format: DohFormat,
}

/// The record types Sendtrust asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Text (SPF, DKIM, DMARC, blocklist reasons).
    Txt,
    /// Reverse name.
    Ptr,
    /// Mail exchanger.
    Mx,
    /// Name server (who a zone is delegated to: rule 2's reverse zone).
    Ns,
}

impl QType {
    /// Numeric type code.
    pub fn code(self) -> u16 {
        match self {
            QType::A => 1,
            QType::Aaaa => 28,
            QType::Txt => 16,
            QType::Ptr => 12,
            QType::Mx => 15,
            QType::Ns => 2,
        }
    }
    /// Mnemonic.
    pub fn as_str(self) -> &'static str {
        match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Txt => "TXT",
            QType::Ptr => "PTR",
            QType::Mx => "MX",
            QType::Ns => "NS",
        }
    }
}

/// One record of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rdata {
    /// A record.
    A(Ipv4Addr),
    /// AAAA record.
    Aaaa(Ipv6Addr),
    /// TXT record, character strings concatenated.
    Txt(Vec<u8>),
    /// PTR target, lowercased, without trailing dot.
    Ptr(String),
    /// MX preference and exchange (lowercased, no trailing dot).
    Mx(u16, String),
    /// NS target, lowercased, without trailing dot.
    Ns(String),
}

impl fmt::Display for Rdata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rdata::A(ip) => write!(f, "{ip}"),
            Rdata::Aaaa(ip) => write!(f, "{ip}"),
            Rdata::Txt(data) => write!(f, "\"{}\"", String::from_utf8_lossy(data)),
            Rdata::Ptr(name) => write!(f, "{name}"),
            Rdata::Mx(pref, host) => write!(f, "{pref} {host}"),
            Rdata::Ns(name) => write!(f, "{name}"),
        }
    }
}

/// A definite answer from DNS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Records of the asked type.
    Records(Vec<Rdata>),
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no records of this type.
    NoData,
}

impl Answer {
    /// The records, empty for NXDOMAIN and NODATA.
    pub fn records(&self) -> &[Rdata] {
        match self {
            Answer::Records(r) => r,
            _ => &[],
        }
    }
    /// Status mnemonic for the log.
    pub fn status(&self) -> &'static str {
        match self {
            Answer::Records(_) => "NOERROR",
            Answer::NxDomain => "NXDOMAIN",
            Answer::NoData => "NODATA",
        }
    }
}

/// Why a question got no definite answer. Checks turn these into
/// "could not check: …", never into pass or fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsFailure {
    /// Offline mode: nothing was sent.
    Offline,
    /// The name is not a valid DNS name; it was not sent.
    InvalidName(String),
    /// No answer before the deadline.
    Timeout,
    /// The request failed before an HTTP answer (connection refused, CORS, TLS, …).
    Network(String),
    /// The DoH server answered with a non-success HTTP status.
    HttpStatus(u16),
    /// The resolver reported SERVFAIL.
    ServFail,
    /// The resolver refused the query.
    Refused,
    /// Another DNS response code.
    Rcode(u16),
    /// The body was not a DNS message (or not valid JSON for the JSON API).
    Malformed(String),
    /// The answer was for another question.
    Mismatch,
}

impl DnsFailure {
    /// Short kind for the log (`timeout`, `network`, `SERVFAIL`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            DnsFailure::Offline => "offline",
            DnsFailure::InvalidName(_) => "invalid-name",
            DnsFailure::Timeout => "timeout",
            DnsFailure::Network(_) => "network",
            DnsFailure::HttpStatus(_) => "http-status",
            DnsFailure::ServFail => "SERVFAIL",
            DnsFailure::Refused => "REFUSED",
            DnsFailure::Rcode(_) => "rcode",
            DnsFailure::Malformed(_) => "malformed",
            DnsFailure::Mismatch => "mismatch",
        }
    }

    /// Detail for the log, when there is one.
    pub fn detail(&self) -> Option<String> {
        match self {
            DnsFailure::InvalidName(d) | DnsFailure::Network(d) | DnsFailure::Malformed(d) => {
                Some(d.clone())
            }
            DnsFailure::HttpStatus(s) => Some(format!("HTTP {s}")),
            DnsFailure::Rcode(c) => Some(format!("response code {c}")),
            _ => None,
        }
    }

    /// True when trying again may help.
    fn retryable(&self) -> bool {
        matches!(
            self,
            DnsFailure::Network(_) | DnsFailure::ServFail | DnsFailure::HttpStatus(500..=599)
        )
    }
}

impl fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsFailure::Offline => write!(f, "not checked (offline)"),
            DnsFailure::InvalidName(n) => write!(f, "not a valid DNS name ({n})"),
            DnsFailure::Timeout => write!(f, "the DNS provider did not answer in time"),
            DnsFailure::Network(e) => write!(f, "the DNS provider could not be reached ({e})"),
            DnsFailure::HttpStatus(s) => write!(f, "the DNS provider answered HTTP {s}"),
            DnsFailure::ServFail => write!(f, "the DNS server failed (SERVFAIL)"),
            DnsFailure::Refused => write!(f, "the DNS server refused the query (REFUSED)"),
            DnsFailure::Rcode(c) => write!(f, "the DNS server answered with error code {c}"),
            DnsFailure::Malformed(e) => write!(f, "the DNS provider's answer was unreadable ({e})"),
            DnsFailure::Mismatch => write!(f, "the DNS provider answered another question"),
        }
    }
}

/// What one lookup gives.
pub type Lookup = Result<Answer, DnsFailure>;

/// DoH requests in flight at once by default ([`DnsConfig::max_in_flight`]).
///
/// A message's questions are mostly independent: the five rules, DMARC's
/// prefetch and the blocklists ask 15–30 names in the first round (the
/// shipped sample 19), and each answer adds at most a few more. With a bound
/// of 8 those took ⌈N/8⌉ round trips where the dependencies need one
/// (BENCHMARKS.md, "DNS critical path"). 32 lets a typical analysis finish
/// in depth × RTT. It stays a bound, not "unlimited": a hostile message can
/// cause up to 100 questions (crates/sendtrust/tests/hostile.rs), and a
/// burst of 100 is what public DoH providers rate-limit. In a browser the
/// requests to one provider share one HTTP/2 connection as streams (servers
/// allow 100 or more), or queue in the browser's own six HTTP/1.1
/// connections; natively reqwest uses as many streams of one HTTP/2
/// connection, or at most 32 HTTP/1.1 connections — sane for a CLI.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 32;

/// How to reach DNS.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsConfig {
    /// DoH endpoint, or `None` for offline mode.
    pub endpoint: Option<String>,
    /// Wire format (RFC 8484, GET) or the JSON API.
    pub format: DohFormat,
    /// Deadline for one question, retries included.
    pub timeout: Duration,
    /// Extra attempts after a retryable failure (network, HTTP 5xx, SERVFAIL).
    pub retries: u32,
    /// Maximum number of requests in flight.
    pub max_in_flight: usize,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            endpoint: Some(DEFAULT_PROVIDER.url.to_string()),
            format: DEFAULT_PROVIDER.format,
            timeout: Duration::from_secs(5),
            retries: 1,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

impl DnsConfig {
    /// A configuration that sends nothing.
    pub fn offline() -> Self {
        DnsConfig {
            endpoint: None,
            ..Self::default()
        }
    }

    /// A configuration for a DoH endpoint (wire format unless the URL is a known JSON API).
    pub fn doh(url: impl Into<String>) -> Self {
        let url = url.into();
        let format = if url.ends_with("/resolve") {
            DohFormat::Json
        } else {
            DohFormat::Wire
        };
        DnsConfig {
            endpoint: Some(url),
            format,
            ..Self::default()
        }
    }
}

type Key = (String, QType);
type InFlight = Shared<LocalBoxFuture<'static, (Lookup, u32)>>;

struct CacheEntry {
    lookup: Lookup,
    expires: Instant,
}

struct Shared_ {
    config: DnsConfig,
    transport: Option<doh::DohTransport>,
    cache: RefCell<HashMap<Key, CacheEntry>>,
    in_flight: RefCell<HashMap<Key, InFlight>>,
    permits: async_lock::Semaphore,
    fixtures: RefCell<HashMap<Key, Lookup>>,
    /// The fixtures stand for DNS: the resolver is not offline.
    fixtures_are_dns: Cell<bool>,
}

/// The resolver. Cloning is cheap; clones share the cache. Use
/// [`Resolver::new_log`] for a clone that keeps its own query log (one per
/// analysis) while sharing the session cache.
#[derive(Clone)]
pub struct Resolver {
    shared: Rc<Shared_>,
    log: Rc<RefCell<Vec<DnsLogEntry>>>,
    log_started: Instant,
    on_log: Option<LogObserver>,
}

/// A callback that sees each log entry as it is written.
type LogObserver = Rc<dyn Fn(&DnsLogEntry)>;

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

/// Failures are remembered for a short while only, so a re-run retries them.
const FAILURE_TTL: Duration = Duration::from_secs(10);
/// Negative answers without an SOA TTL (and the cap on all TTLs within a session).
const NEGATIVE_TTL: Duration = Duration::from_secs(300);
const MAX_TTL: Duration = Duration::from_secs(3600);

impl Resolver {
    /// A resolver for this configuration.
    pub fn new(config: DnsConfig) -> Self {
        let transport = config
            .endpoint
            .as_ref()
            .map(|url| doh::DohTransport::new(url, config.format));
        let permits = async_lock::Semaphore::new(config.max_in_flight.max(1));
        Resolver {
            shared: Rc::new(Shared_ {
                config,
                transport,
                cache: RefCell::default(),
                in_flight: RefCell::default(),
                permits,
                fixtures: RefCell::default(),
                fixtures_are_dns: Cell::new(false),
            }),
            log: Rc::default(),
            log_started: Instant::now(),
            on_log: None,
        }
    }

    /// An offline resolver whose only answers are the given fixtures; every
    /// other question fails as offline. For unit tests of the rules.
    pub fn with_fixtures(fixtures: impl IntoIterator<Item = ((String, QType), Lookup)>) -> Self {
        let resolver = Resolver::new(DnsConfig::offline());
        resolver.shared.fixtures.borrow_mut().extend(
            fixtures
                .into_iter()
                .map(|((name, qtype), lookup)| ((normalize_name(&name), qtype), lookup)),
        );
        resolver
    }

    /// Like [`Resolver::with_fixtures`], but the checks run as if online: the
    /// fixtures are all of DNS, and every other question fails as offline.
    /// For benchmarks and tests of whole analyses (DKIM verification
    /// included) without a network.
    pub fn with_fixtures_as_dns(
        fixtures: impl IntoIterator<Item = ((String, QType), Lookup)>,
    ) -> Self {
        let resolver = Resolver::with_fixtures(fixtures);
        resolver.shared.fixtures_are_dns.set(true);
        resolver
    }

    /// A clone sharing the cache, with an empty log of its own.
    pub fn new_log(&self) -> Self {
        Resolver {
            shared: self.shared.clone(),
            log: Rc::default(),
            log_started: Instant::now(),
            on_log: self.on_log.clone(),
        }
    }

    /// Calls `f` with each log entry as it is written (for progressive display).
    pub fn with_observer(mut self, f: impl Fn(&DnsLogEntry) + 'static) -> Self {
        self.on_log = Some(Rc::new(f));
        self
    }

    /// True when `other` is this resolver or a clone of it (one cache).
    pub fn shares_cache_with(&self, other: &Resolver) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
    }

    /// The configuration.
    pub fn config(&self) -> &DnsConfig {
        &self.shared.config
    }

    /// True when nothing will be sent (and no fixtures stand for DNS): the
    /// checks that need DNS say "not checked (offline)".
    pub fn is_offline(&self) -> bool {
        self.shared.transport.is_none() && !self.shared.fixtures_are_dns.get()
    }

    /// The log so far.
    pub fn log(&self) -> Vec<DnsLogEntry> {
        self.log.borrow().clone()
    }

    /// Answers from the cache only, without logging or sending anything.
    pub fn cached(&self, name: &str, qtype: QType) -> Option<Lookup> {
        let key = (normalize_name(name), qtype);
        if let Some(l) = self.shared.fixtures.borrow().get(&key) {
            return Some(l.clone());
        }
        let cache = self.shared.cache.borrow();
        let entry = cache.get(&key)?;
        (entry.expires > Instant::now()).then(|| entry.lookup.clone())
    }

    /// The PTR name for an IP (`4.3.2.1.in-addr.arpa` / nibbles `.ip6.arpa`).
    pub fn reverse_name(ip: IpAddr) -> String {
        // hickory-proto's reverse name (RFC 1035 §3.5, RFC 3596 §2.5), not
        // mail-auth's: the page's UI wasm links this module without mail-auth.
        let name = hickory_proto::rr::Name::from(ip).to_ascii();
        name.strip_suffix('.').unwrap_or(&name).to_string()
    }

    /// Asks one question.
    pub async fn lookup(&self, name: &str, qtype: QType) -> Lookup {
        self.lookup_checked(name, qtype, validate_name).await
    }

    /// Asks one question about a name an SPF record built (RFC 7208
    /// domain-specs may hold any visible ASCII, e.g. `foo:bar/baz.example`):
    /// checked with [`validate_wire_name`] instead of the LDH rule.
    pub async fn lookup_record_name(&self, name: &str, qtype: QType) -> Lookup {
        self.lookup_checked(name, qtype, validate_wire_name).await
    }

    async fn lookup_checked(
        &self,
        name: &str,
        qtype: QType,
        validate: fn(&str) -> Result<(), String>,
    ) -> Lookup {
        let name = normalize_name(name);
        if let Err(why) = validate(&name) {
            let failure = DnsFailure::InvalidName(why);
            self.write_log(&name, qtype, &Err(failure.clone()), 0, false, 0);
            return Err(failure);
        }
        let key = (name.clone(), qtype);
        if let Some(lookup) = self.shared.fixtures.borrow().get(&key).cloned() {
            self.write_log(&name, qtype, &lookup, 0, false, 1);
            return lookup;
        }
        if let Some(lookup) = self.cached(&name, qtype) {
            self.write_log(&name, qtype, &lookup, 0, true, 0);
            return lookup;
        }
        let Some(transport) = self.shared.transport.clone() else {
            let lookup = Err(DnsFailure::Offline);
            self.write_log(&name, qtype, &lookup, 0, false, 0);
            return lookup;
        };

        // Share an identical question already on its way.
        let existing = self.shared.in_flight.borrow().get(&key).cloned();
        let (future, joined) = match existing {
            Some(f) => (f, true),
            None => {
                let shared = self.shared.clone();
                let key2 = key.clone();
                let fut = async move {
                    let _permit = shared.permits.acquire().await;
                    let (lookup, attempts, ttl) = transport
                        .query(
                            &key2.0,
                            key2.1,
                            shared.config.timeout,
                            shared.config.retries,
                        )
                        .await;
                    let keep = match &lookup {
                        Ok(Answer::Records(_)) => ttl.min(MAX_TTL),
                        Ok(_) => ttl.min(NEGATIVE_TTL),
                        Err(_) => FAILURE_TTL,
                    };
                    shared.cache.borrow_mut().insert(
                        key2.clone(),
                        CacheEntry {
                            lookup: lookup.clone(),
                            expires: Instant::now() + keep,
                        },
                    );
                    shared.in_flight.borrow_mut().remove(&key2);
                    (lookup, attempts)
                }
                .boxed_local()
                .shared();
                self.shared
                    .in_flight
                    .borrow_mut()
                    .insert(key.clone(), fut.clone());
                (fut, false)
            }
        };
        let started = Instant::now();
        let (lookup, attempts) = future.await;
        let ms = started.elapsed().as_millis() as u64;
        // A question that joined one in flight was not sent again: log it as shared.
        self.write_log(
            &name,
            qtype,
            &lookup,
            ms,
            joined,
            if joined { 0 } else { attempts },
        );
        lookup
    }

    fn write_log(
        &self,
        name: &str,
        qtype: QType,
        lookup: &Lookup,
        ms: u64,
        cached: bool,
        attempts: u32,
    ) {
        let since_start = self.log_started.elapsed().as_millis() as u64;
        let entry = DnsLogEntry {
            started_ms: since_start.saturating_sub(ms),
            name: name.to_string(),
            qtype: qtype.as_str().to_string(),
            status: match lookup {
                Ok(a) => a.status().to_string(),
                Err(f) => f.kind().to_string(),
            },
            answers: match lookup {
                Ok(a) => a.records().iter().map(ToString::to_string).collect(),
                Err(_) => Vec::new(),
            },
            ms,
            cached,
            attempts,
            detail: lookup.as_ref().err().and_then(DnsFailure::detail),
        };
        if let Some(f) = &self.on_log {
            f(&entry);
        }
        self.log.borrow_mut().push(entry);
    }
}

/// Lowercases, strips one trailing dot, and writes internationalised labels
/// as A-labels (what DNS holds): mail-auth asks for names as the message
/// wrote them (`sel._domainkey.bücher.example`, RFC 8616 allows U-labels in
/// `d=` and addresses). A label that does not convert stays as it is, and
/// `validate_name` refuses it.
pub fn normalize_name(name: &str) -> String {
    normalize_name_with(name, idn::to_ascii)
}

/// [`normalize_name`] with internationalised labels converted by
/// `label_to_ascii` (`None`: it does not convert) — [`idn::to_ascii`] in
/// every build; the tests pass their own.
pub(crate) fn normalize_name_with(
    name: &str,
    label_to_ascii: impl Fn(&str) -> Option<String>,
) -> String {
    let name = name.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.split('.')
        .map(|label| {
            if label.is_ascii() {
                label.to_ascii_lowercase()
            } else {
                label_to_ascii(label).unwrap_or_else(|| label.to_lowercase())
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Checks a name taken from a message before it is sent to a provider: LDH
/// labels (underscores allowed, for `_domainkey`/`_dmarc`), 1–63 bytes each,
/// at most 253 in all, at least two labels. Internationalised names are
/// converted to their A-label form first by the caller ([`to_ascii_name`]).
pub fn validate_name(name: &str) -> Result<(), String> {
    check_labels(name, |b| {
        b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
    })
}

/// Checks a name built from DNS data (an SPF domain-spec after macro
/// expansion) before it is sent: what the DNS wire format carries — labels of
/// 1–63 visible ASCII bytes or spaces, at most 253 in all, at least two
/// labels — without the LDH rule of [`validate_name`]. A backslash is refused
/// (it would be read as an escape in presentation form).
pub fn validate_wire_name(name: &str) -> Result<(), String> {
    check_labels(name, |b| (0x20..0x7f).contains(&b) && b != b'\\')
}

/// The length and label rules both name checks share; `allowed` is the byte
/// rule for the labels.
fn check_labels(name: &str, allowed: fn(u8) -> bool) -> Result<(), String> {
    if name.is_empty() {
        return Err("empty name".into());
    }
    if name.len() > 253 {
        return Err("longer than 253 characters".into());
    }
    if !name.contains('.') {
        return Err("a single label".into());
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err("an empty label".into());
        }
        if label.len() > 63 {
            return Err("a label longer than 63 characters".into());
        }
        if !label.bytes().all(allowed) {
            return Err(format!(
                "characters not allowed in a DNS name in \"{}\"",
                label.chars().take(40).collect::<String>()
            ));
        }
    }
    Ok(())
}

/// Converts a possibly internationalised domain to its ASCII (A-label) form.
pub fn to_ascii_name(domain: &str) -> Option<String> {
    let domain = domain.trim().trim_end_matches('.');
    if domain.is_ascii() {
        return Some(domain.to_ascii_lowercase());
    }
    idn::to_ascii(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_asked_in_a_labels() {
        assert_eq!(
            normalize_name("sel._domainkey.BÜcher.Example."),
            "sel._domainkey.xn--bcher-kva.example"
        );
        assert_eq!(normalize_name("Mail.Example.COM."), "mail.example.com");
        assert!(validate_name(&normalize_name("a\u{200b}\u{fffd}.example")).is_err());
    }

    #[test]
    fn only_internationalised_labels_go_to_the_given_conversion() {
        let marked: fn(&str) -> Option<String> = |label| Some(format!("xn--{}", label.len()));
        let refused: fn(&str) -> Option<String> = |_| None;
        assert_eq!(
            normalize_name_with(" Sel.BÜcher.Example. ", marked),
            "sel.xn--7.example"
        );
        assert_eq!(normalize_name_with("Mail.Example.", marked), "mail.example");
        // A label that does not convert stays as it is, lowercased.
        assert_eq!(
            normalize_name_with("a.BÜcher.test", refused),
            "a.bücher.test"
        );
    }

    #[test]
    fn names_are_validated() {
        assert!(validate_name("mail.example.com").is_ok());
        assert!(validate_name("s1._domainkey.example.com").is_ok());
        assert!(validate_name("2.0.0.127.zen.spamhaus.org").is_ok());
        assert!(validate_name("localhost").is_err());
        assert!(validate_name("a..b").is_err());
        assert!(validate_name("<script>.example").is_err());
        assert!(validate_name("exa mple.com").is_err());
        assert!(validate_name(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn record_names_allow_what_the_wire_carries() {
        assert!(validate_wire_name("foo:bar/baz.example.com").is_ok());
        assert!(validate_wire_name("macro%percent  space%20url-space.example.com").is_ok());
        assert!(validate_wire_name("museum").is_err());
        assert!(validate_wire_name("a..example").is_err());
        assert!(validate_wire_name("a\\.example").is_err());
        assert!(validate_wire_name("caf\u{e9}.example").is_err());
        assert!(validate_wire_name(&format!("{}.com", "a".repeat(64))).is_err());
        assert!(validate_wire_name(&format!("{}.com", "a.".repeat(126))).is_err());
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            Resolver::reverse_name("192.0.2.1".parse().unwrap()),
            "1.2.0.192.in-addr.arpa"
        );
        let v6 = Resolver::reverse_name("2001:db8::1".parse().unwrap());
        assert!(v6.starts_with("1.0.0.0.0.0.0.0"));
        assert!(v6.ends_with("8.b.d.0.1.0.0.2.ip6.arpa"));
    }

    #[test]
    fn offline_sends_nothing_and_logs_offline() {
        let resolver = Resolver::new(DnsConfig::offline());
        let result = futures::executor::block_on(resolver.lookup("example.com", QType::A));
        assert_eq!(result, Err(DnsFailure::Offline));
        assert_eq!(resolver.log()[0].status, "offline");
    }

    #[test]
    fn fixtures_as_dns_answer_and_are_not_offline() {
        let key = ("s1._domainkey.example.com".to_string(), QType::Txt);
        let answer = Ok(Answer::Records(vec![Rdata::Txt(b"v=DKIM1; p=".to_vec())]));
        let resolver = Resolver::with_fixtures_as_dns([(key, answer.clone())]);
        assert!(!resolver.is_offline());
        assert!(Resolver::with_fixtures([]).is_offline());
        let found =
            futures::executor::block_on(resolver.lookup("S1._domainkey.example.com.", QType::Txt));
        assert_eq!(found, answer);
        let other = futures::executor::block_on(resolver.lookup("example.com", QType::Txt));
        assert_eq!(other, Err(DnsFailure::Offline));
    }

    #[test]
    fn invalid_names_are_not_sent() {
        let resolver = Resolver::new(DnsConfig::doh("http://127.0.0.1:9/dns-query"));
        let result = futures::executor::block_on(resolver.lookup("bad name.example", QType::Txt));
        assert!(matches!(result, Err(DnsFailure::InvalidName(_))));
        assert_eq!(resolver.log()[0].attempts, 0);
    }
}
