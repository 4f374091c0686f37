//! mail-auth reads DNS through Sendtrust's resolver.
//!
//! mail-auth's verifiers consult a caller-supplied [`DnsCache`] before they
//! query. [`AuthCache`] is such a cache, backed by the session cache of a
//! [`Resolver`]. It never lets mail-auth send anything itself: the
//! authenticator built by [`offline_authenticator`] has an endpoint that
//! cannot be parsed as a URL, so its own backend fails before any request.
//!
//! [`converge`] runs a verifier in rounds: every name the verifier asked for
//! and did not find is recorded as a miss; the misses are then resolved
//! together (concurrently, logged) through the resolver and the verifier runs
//! again, until a run has no new misses. The last run sees only real answers,
//! so its result is exact; earlier runs' results are discarded. For SPF the
//! number of rounds is the depth of the dependent-lookup chain, which is what
//! any evaluator must wait for anyway.

use super::{Answer, DnsFailure, Lookup, QType, Rdata, Resolver, normalize_name};
use mail_auth::dkim::DomainKey;
use mail_auth::dmarc::DmarcRecord;
use mail_auth::dns::TxtRecordParser;
use mail_auth::spf::{Macro, SpfRecord};
use mail_auth::{
    DnsCache, DnsError, DnssecStatus, Error, MessageAuthenticator, Mx, Negative, RecordSet,
    ResolverCache, TxtRecord,
};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::rc::Rc;

/// Rounds after which [`converge`] stops asking (SPF allows 10 DNS terms plus
/// their A/MX follow-ups; this is far above any legitimate chain).
const MAX_ROUNDS: usize = 40;

/// An authenticator whose own DNS backend can never send a request.
pub fn offline_authenticator() -> MessageAuthenticator {
    // mail-auth's DMARC compares and asks names in A-labels; it converts them
    // with the engine's one conversion (`idn`: idna natively, the browser's URL
    // parser in the engine wasm, whose idna has no Unicode data).
    mail_auth::dns::set_a_label_converter(super::idn::to_ascii);
    thread_local! {
        // "http://[" does not parse as a URL: reqwest fails while building the
        // request, on native and in the browser alike, without touching the network.
        // Building one builds a reqwest client (natively: TLS roots, ~3 ms), so
        // one per thread is shared; clones share the client.
        static AUTHENTICATOR: MessageAuthenticator =
            MessageAuthenticator::new_doh_wire("http://[sendtrust-uses-its-own-resolver]");
    }
    AUTHENTICATOR.with(Clone::clone)
}

struct Inner {
    resolver: Resolver,
    misses: RefCell<BTreeSet<(String, QType)>>,
    /// Targets of literal `exp=` modifiers seen in SPF records: their TXT
    /// holds free text, not an SPF record.
    exp_targets: RefCell<BTreeSet<String>>,
    /// Questions the resolver refused to send (`DnsFailure::InvalidName`):
    /// answered as non-existent, see [`AuthCache::get`].
    invalid: RefCell<BTreeSet<(String, QType)>>,
}

/// A [`DnsCache`] view of the resolver's cache that records misses.
#[derive(Clone)]
pub struct AuthCache {
    inner: Rc<Inner>,
}

impl AuthCache {
    /// A view over `resolver`'s cache.
    pub fn new(resolver: &Resolver) -> Self {
        AuthCache {
            inner: Rc::new(Inner {
                resolver: resolver.clone(),
                misses: RefCell::default(),
                exp_targets: RefCell::default(),
                invalid: RefCell::default(),
            }),
        }
    }

    fn get(&self, name: &str, qtype: QType) -> Option<Lookup> {
        let name = normalize_name(name);
        let key = (name, qtype);
        // A name that is not a valid DNS name is never sent, so the resolver
        // caches nothing for it; the failure was seen when converge asked.
        if self.inner.invalid.borrow().contains(&key) {
            return Some(Err(DnsFailure::InvalidName(key.0)));
        }
        let found = self.inner.resolver.cached(&key.0, qtype);
        if found.is_none() {
            self.inner.misses.borrow_mut().insert(key);
        }
        found
    }

    fn take_misses(&self) -> BTreeSet<(String, QType)> {
        std::mem::take(&mut *self.inner.misses.borrow_mut())
    }
}

/// Runs `verify` until it finds every record it asks for in the cache (see
/// the module documentation). `verify` must read DNS through `cache` (for
/// example through [`Caches::new`]); the caller owns `cache` so that the
/// verifier's output may borrow it.
pub async fn converge<T, F, Fut>(resolver: &Resolver, cache: &AuthCache, mut verify: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let mut asked: BTreeSet<(String, QType)> = BTreeSet::new();
    let mut round = 0;
    loop {
        round += 1;
        cache.take_misses();
        let output = verify().await;
        let misses: Vec<_> = cache
            .take_misses()
            .into_iter()
            .filter(|m| !asked.contains(m))
            .collect();
        if misses.is_empty() || round >= MAX_ROUNDS || resolver.is_offline() {
            return output;
        }
        let lookups = misses.iter().map(|(name, qtype)| {
            let resolver = resolver.clone();
            async move { resolver.lookup(name, *qtype).await }
        });
        let results = futures::future::join_all(lookups).await;
        for (miss, result) in misses.iter().zip(&results) {
            if matches!(result, Err(DnsFailure::InvalidName(_))) {
                cache.inner.invalid.borrow_mut().insert(miss.clone());
            }
        }
        // A failed lookup stays a miss (the cache holds a failure that mail-auth
        // cannot represent for A/MX/PTR); it is not asked again.
        asked.extend(misses);
    }
}

fn negative(answer: &Answer) -> Option<Negative> {
    match answer {
        Answer::NxDomain => Some(Negative { code: 3 }),
        Answer::NoData => Some(Negative { code: 0 }),
        Answer::Records(_) => None,
    }
}

fn record_set<T>(
    lookup: Lookup,
    pick: impl Fn(&Rdata) -> Option<T>,
) -> Option<Result<RecordSet<T>, Negative>> {
    match lookup {
        Ok(Answer::Records(records)) => {
            let picked: Vec<T> = records.iter().filter_map(pick).collect();
            if picked.is_empty() {
                Some(Err(Negative { code: 0 }))
            } else {
                Some(Ok(RecordSet {
                    records: picked.into(),
                    dnssec_status: DnssecStatus::Indeterminate,
                }))
            }
        }
        Ok(other) => negative(&other).map(Err),
        // A name that cannot be sent cannot exist (RFC 7208 4.3, 4.8: a
        // malformed target is "none" / no match, never a temporary error).
        Err(DnsFailure::InvalidName(_)) => Some(Err(Negative { code: 3 })),
        // A failure cannot be stored as a negative answer; let mail-auth's
        // (network-less) backend fail, which it reports as a temporary error.
        Err(_) => None,
    }
}

/// True for the TXT text of an SPF record (RFC 7208 4.5: `v=spf1` alone or
/// followed by a space).
fn is_spf(record: &[u8]) -> bool {
    record.eq_ignore_ascii_case(b"v=spf1")
        || (record.len() > 6 && record[..7].eq_ignore_ascii_case(b"v=spf1 "))
}

/// True for a TXT string that starts a DMARC record (`v=DMARC1`, RFC 7489
/// §6.6.3 step 2: others at `_dmarc.` are discarded).
pub(crate) fn is_dmarc_record(record: &[u8]) -> bool {
    let text = String::from_utf8_lossy(record);
    let text = text.trim_start();
    text.get(..2).is_some_and(|v| v.eq_ignore_ascii_case("v="))
        && text[2..]
            .trim_start()
            .get(..6)
            .is_some_and(|v| v.eq_ignore_ascii_case("DMARC1"))
}

/// Parses TXT answers into the record type the name implies. `exp_target`:
/// the name is the target of an `exp=` modifier (free text).
fn txt_record(name: &str, lookup: Lookup, exp_target: bool) -> TxtRecord {
    let records: Vec<Vec<u8>> = match lookup {
        Ok(Answer::Records(records)) => records
            .into_iter()
            .filter_map(|r| match r {
                Rdata::Txt(t) => Some(t),
                _ => None,
            })
            .collect(),
        Ok(Answer::NxDomain) => return TxtRecord::Error(Error::Dns(DnsError::RecordNotFound(3))),
        Ok(Answer::NoData) => return TxtRecord::Error(Error::Dns(DnsError::RecordNotFound(0))),
        Err(DnsFailure::InvalidName(_)) => {
            return TxtRecord::Error(Error::Dns(DnsError::RecordNotFound(3)));
        }
        Err(failure) => return TxtRecord::Error(resolver_error(&failure)),
    };
    if name.contains("._domainkey.") || name.starts_with("_domainkey.") {
        DomainKey::parse_records(&records).into()
    } else if name.starts_with("_dmarc.") {
        if records.iter().filter(|r| is_dmarc_record(r)).count() > 1 {
            // RFC 7489 §6.6.3: a name with more than one DMARC record has no
            // policy (mail-auth would use the first); the tree walk goes on.
            return TxtRecord::Error(Error::Dns(DnsError::InvalidRecordType));
        }
        DmarcRecord::parse_records(&records).into()
    } else if exp_target && records.len() == 1 && !is_spf(&records[0]) {
        match Macro::parse(&records[0]) {
            Ok(m) => m.into(),
            Err(e) => TxtRecord::Error(e),
        }
    } else if records.iter().filter(|r| is_spf(r)).count() > 1 {
        // RFC 7208 4.5: more than one SPF record is a permerror, which
        // mail-auth gives for a parse error (it would use the first record).
        TxtRecord::Error(Error::Parse)
    } else {
        // No SPF record among other TXT records: InvalidRecordType, "none".
        SpfRecord::parse_records(&records).into()
    }
}

fn resolver_error(failure: &DnsFailure) -> Error {
    Error::Dns(DnsError::Resolver(failure.to_string()))
}

/// Recovers the text of a `str` cache key from behind mail-auth's generic
/// `get<Q>` signature: `str` hashes as its bytes followed by 0xff, so a hasher
/// that records what it is fed gets the name back. The result is checked with
/// `Borrow`, so a key that is not a `str` yields `None`, never a wrong name.
fn key_text<K, Q>(name: &Q) -> Option<String>
where
    K: Borrow<Q> + From<Box<str>>,
    Q: Hash + Eq + ?Sized,
{
    #[derive(Default)]
    struct Capture(Vec<u8>);
    impl std::hash::Hasher for Capture {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }
    let mut capture = Capture::default();
    name.hash(&mut capture);
    let mut bytes = capture.0;
    if bytes.pop() != Some(0xff) {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    let candidate: K = K::from(text.clone().into_boxed_str());
    (candidate.borrow() == name).then_some(text)
}

/// The TXT view.
pub struct TxtView(AuthCache);
/// The MX view.
pub struct MxView(AuthCache);
/// The A view.
pub struct Ipv4View(AuthCache);
/// The AAAA view.
pub struct Ipv6View(AuthCache);
/// The PTR view.
pub struct PtrView(AuthCache, Vec<IpAddr>);

impl ResolverCache<Box<str>, TxtRecord> for TxtView {
    fn get<Q>(&self, name: &Q) -> Option<TxtRecord>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let name = normalize_name(&key_text::<Box<str>, Q>(name)?);
        let lookup = self.0.get(&name, QType::Txt)?;
        let exp_target = self.0.inner.exp_targets.borrow().contains(&name);
        let record = txt_record(&name, lookup, exp_target);
        if matches!(record, TxtRecord::DomainKey(_)) {
            // mail-auth verifies the signature right after it reads the key.
            crate::rules::dkim::count_verification();
        }
        if let TxtRecord::Spf(spf) = &record
            && let Some(Macro::Literal(target)) = &spf.exp
        {
            let target = normalize_name(&String::from_utf8_lossy(target));
            self.0.inner.exp_targets.borrow_mut().insert(target);
        }
        Some(record)
    }
    fn remove<Q>(&self, _name: &Q) -> Option<TxtRecord>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }
    fn insert(&self, _key: Box<str>, _value: TxtRecord, _valid_until: web_time::Instant) {
        // The resolver owns the cache. mail-auth only inserts what its own
        // backend answered, and that backend never answers.
    }
}

macro_rules! address_view {
    ($view:ty, $t:ty, $qtype:expr, $pick:expr) => {
        impl ResolverCache<Box<str>, Result<RecordSet<$t>, Negative>> for $view {
            fn get<Q>(&self, name: &Q) -> Option<Result<RecordSet<$t>, Negative>>
            where
                Box<str>: Borrow<Q>,
                Q: Hash + Eq + ?Sized,
            {
                let name = key_text::<Box<str>, Q>(name)?;
                record_set(self.0.get(&name, $qtype)?, $pick)
            }
            fn remove<Q>(&self, _name: &Q) -> Option<Result<RecordSet<$t>, Negative>>
            where
                Box<str>: Borrow<Q>,
                Q: Hash + Eq + ?Sized,
            {
                None
            }
            fn insert(
                &self,
                _key: Box<str>,
                _value: Result<RecordSet<$t>, Negative>,
                _valid_until: web_time::Instant,
            ) {
            }
        }
    };
}

address_view!(Ipv4View, Ipv4Addr, QType::A, |r: &Rdata| match r {
    Rdata::A(ip) => Some(*ip),
    _ => None,
});
address_view!(Ipv6View, Ipv6Addr, QType::Aaaa, |r: &Rdata| match r {
    Rdata::Aaaa(ip) => Some(*ip),
    _ => None,
});

impl ResolverCache<Box<str>, Result<RecordSet<Mx>, Negative>> for MxView {
    fn get<Q>(&self, name: &Q) -> Option<Result<RecordSet<Mx>, Negative>>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let name = key_text::<Box<str>, Q>(name)?;
        let lookup = self.0.get(&name, QType::Mx)?;
        let mut pairs: Vec<(u16, String)> = match lookup {
            Ok(Answer::Records(records)) => records
                .into_iter()
                .filter_map(|r| match r {
                    Rdata::Mx(p, h) => Some((p, h)),
                    _ => None,
                })
                .collect(),
            Ok(other) => return negative(&other).map(Err),
            Err(DnsFailure::InvalidName(_)) => return Some(Err(Negative { code: 3 })),
            Err(_) => return None,
        };
        pairs.sort_by_key(|(p, _)| *p);
        let mut groups: Vec<Mx> = Vec::new();
        for (preference, host) in pairs {
            match groups.last_mut() {
                Some(g) if g.preference == preference => {
                    let mut hosts = std::mem::take(&mut g.exchanges).into_vec();
                    hosts.push(host.into_boxed_str());
                    g.exchanges = hosts.into_boxed_slice();
                }
                _ => groups.push(Mx {
                    exchanges: vec![host.into_boxed_str()].into_boxed_slice(),
                    preference,
                }),
            }
        }
        if groups.is_empty() {
            return Some(Err(Negative { code: 0 }));
        }
        Some(Ok(RecordSet {
            records: groups.into(),
            dnssec_status: DnssecStatus::Indeterminate,
        }))
    }
    fn remove<Q>(&self, _name: &Q) -> Option<Result<RecordSet<Mx>, Negative>>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }
    fn insert(
        &self,
        _key: Box<str>,
        _value: Result<RecordSet<Mx>, Negative>,
        _valid_until: web_time::Instant,
    ) {
    }
}

impl ResolverCache<IpAddr, Result<RecordSet<Box<str>>, Negative>> for PtrView {
    fn get<Q>(&self, addr: &Q) -> Option<Result<RecordSet<Box<str>>, Negative>>
    where
        IpAddr: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        // The only address SPF asks PTR for is the client IP, which we know.
        let ip = self.1.iter().find(|ip| (*ip).borrow() == addr)?;
        let lookup = self.0.get(&Resolver::reverse_name(*ip), QType::Ptr)?;
        record_set(lookup, |r| match r {
            Rdata::Ptr(name) => Some(name.clone().into_boxed_str()),
            _ => None,
        })
    }
    fn remove<Q>(&self, _addr: &Q) -> Option<Result<RecordSet<Box<str>>, Negative>>
    where
        IpAddr: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        None
    }
    fn insert(
        &self,
        _key: IpAddr,
        _value: Result<RecordSet<Box<str>>, Negative>,
        _valid_until: web_time::Instant,
    ) {
    }
}

/// The set of typed views mail-auth's verifiers take through `Parameters::with_cache`.
pub struct Caches {
    txt: TxtView,
    mx: MxView,
    ipv4: Ipv4View,
    ipv6: Ipv6View,
    ptr: PtrView,
}

impl Caches {
    /// Views over `cache`; `ips` are the addresses PTR may be asked for.
    pub fn new(cache: &AuthCache, ips: Vec<IpAddr>) -> Self {
        Caches {
            txt: TxtView(cache.clone()),
            mx: MxView(cache.clone()),
            ipv4: Ipv4View(cache.clone()),
            ipv6: Ipv6View(cache.clone()),
            ptr: PtrView(cache.clone(), ips),
        }
    }
}

impl DnsCache for Caches {
    type Txt = TxtView;
    type Mx = MxView;
    type Ipv4 = Ipv4View;
    type Ipv6 = Ipv6View;
    type Ptr = PtrView;

    fn txt(&self) -> Option<&Self::Txt> {
        Some(&self.txt)
    }
    fn mx(&self) -> Option<&Self::Mx> {
        Some(&self.mx)
    }
    fn ipv4(&self) -> Option<&Self::Ipv4> {
        Some(&self.ipv4)
    }
    fn ipv6(&self) -> Option<&Self::Ipv6> {
        Some(&self.ipv6)
    }
    fn ptr(&self) -> Option<&Self::Ptr> {
        Some(&self.ptr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_keys_are_recovered_exactly() {
        assert_eq!(
            key_text::<Box<str>, str>("sel._domainkey.example.com."),
            Some("sel._domainkey.example.com.".to_string())
        );
        assert_eq!(key_text::<Box<str>, str>(""), Some(String::new()));
    }

    #[test]
    fn txt_records_parse_by_name() {
        let spf = txt_record(
            "example.com",
            Ok(Answer::Records(vec![Rdata::Txt(b"v=spf1 -all".to_vec())])),
            false,
        );
        assert!(matches!(spf, TxtRecord::Spf(_)));
        let key = txt_record(
            "s._domainkey.example.com",
            Ok(Answer::Records(vec![Rdata::Txt(b"v=DKIM1; p=".to_vec())])),
            false,
        );
        assert!(matches!(key, TxtRecord::DomainKey(_) | TxtRecord::Error(_)));
        let dmarc = txt_record(
            "_dmarc.example.com",
            Ok(Answer::Records(vec![Rdata::Txt(
                b"v=DMARC1; p=none".to_vec(),
            )])),
            false,
        );
        assert!(matches!(dmarc, TxtRecord::Dmarc(_)));
        let failed = txt_record("example.com", Err(DnsFailure::Timeout), false);
        assert!(matches!(
            failed,
            TxtRecord::Error(Error::Dns(DnsError::Resolver(_)))
        ));
    }

    #[test]
    fn names_that_cannot_be_sent_do_not_exist() {
        let invalid = || Err(DnsFailure::InvalidName("a single label".into()));
        assert!(matches!(
            txt_record("museum", invalid(), false),
            TxtRecord::Error(Error::Dns(DnsError::RecordNotFound(3)))
        ));
        let a = |r: &Rdata| match r {
            Rdata::A(ip) => Some(*ip),
            _ => None,
        };
        assert!(matches!(
            record_set(invalid(), a),
            Some(Err(Negative { code: 3 }))
        ));
        // Other failures stay temporary errors.
        assert!(record_set(Err(DnsFailure::Timeout), a).is_none());
    }

    #[test]
    fn spf_none_permerror_and_explanations() {
        let txt = |texts: &[&str]| {
            Ok(Answer::Records(
                texts
                    .iter()
                    .map(|t| Rdata::Txt(t.as_bytes().to_vec()))
                    .collect(),
            ))
        };
        // A verification token is not an SPF record: "none", not an explanation.
        let other = txt_record("example.com", txt(&["site-verification=abc"]), false);
        assert!(matches!(
            other,
            TxtRecord::Error(Error::Dns(DnsError::InvalidRecordType))
        ));
        // Two SPF records: permerror (mail-auth maps Parse to it).
        let two = txt_record("example.com", txt(&["v=spf1 -all", "v=spf1 ~all"]), false);
        assert!(matches!(two, TxtRecord::Error(Error::Parse)));
        // One SPF record among other TXT records.
        let mixed = txt_record("example.com", txt(&["token=1", "v=spf1 -all"]), false);
        assert!(matches!(mixed, TxtRecord::Spf(_)));
        // The target of an exp= modifier holds free text.
        let exp = txt_record("exp.example.com", txt(&["Not allowed: %{i}"]), true);
        assert!(matches!(exp, TxtRecord::SpfExplanation(_)));
        assert!(is_spf(b"V=SPF1") && is_spf(b"v=spf1 -all") && !is_spf(b"v=spf10"));
    }
}
