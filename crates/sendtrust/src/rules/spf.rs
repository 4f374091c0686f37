//! Rule 4 — SPF: does the envelope sender's domain authorise the sending IP?
//!
//! mail-auth evaluates (RFC 7208) through the shared resolver (see
//! [`crate::dns::bridge`]); this module picks the identities, explains the
//! result (records fetched, the term that decided, lookup counts, the include
//! tree), compares it with what the receiver recorded, and words the fix.

use super::Context;
use super::receiver::{ReceiverVerdict, recorded_results};
use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata, Resolver};
use crate::report::{Evidence, RuleId, RuleResult, Verdict};
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{Parameters, SpfResult};
use serde::Serialize;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// RFC 7208 4.6.4: at most 10 DNS-querying terms.
pub const LOOKUP_LIMIT: usize = 10;
/// RFC 7208 4.6.4: at most 2 void lookups.
pub const VOID_LIMIT: usize = 2;

/// Which identity was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identity {
    /// The MAIL FROM (envelope sender) domain.
    MailFrom,
    /// The HELO name (used for the null sender).
    Helo,
}

/// The outcome of one SPF evaluation, with what explains it.
#[derive(Debug, Clone, Serialize)]
pub struct SpfEvaluation {
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `permerror`, `temperror`.
    pub result: String,
    /// The domain whose policy was evaluated.
    pub domain: String,
    /// The identity checked.
    pub identity: Identity,
    /// The explanation (`exp=`) when the domain published one and the result is fail.
    pub explanation: Option<String>,
    /// The record tree (top record and what it includes).
    pub tree: Option<SpfNode>,
    /// DNS-querying terms counted over the tree.
    pub lookups: usize,
    /// Lookups that found nothing (NXDOMAIN / no records).
    pub void_lookups: usize,
    /// The term that decided the result, when it can be attributed.
    pub decided_by: Option<String>,
    /// DNS failures met on the way.
    pub dns_failures: Vec<String>,
}

/// One SPF record in the include tree.
#[derive(Debug, Clone, Serialize)]
pub struct SpfNode {
    /// Domain the record was fetched from.
    pub domain: String,
    /// How it was reached: `top`, `include` or `redirect`.
    pub via: String,
    /// The record text (`None` when it could not be fetched).
    pub record: Option<String>,
    /// Number of SPF records found (more than one is a permerror).
    pub record_count: usize,
    /// Problem fetching or reading it, when there was one.
    pub problem: Option<String>,
    /// Included and redirected records, in order.
    pub children: Vec<SpfNode>,
}

/// Runs the check.
pub async fn check(ctx: &Context<'_>) -> RuleResult {
    let id = RuleId::Spf;
    let Some(sender) = &ctx.report.sender else {
        return RuleResult::new(
            id,
            Verdict::NotApplicable,
            format!("No sending server to check: {}.", ctx.report.sender_reason),
        );
    };
    let ip = sender.ip;
    let helo = sender.helo.clone().unwrap_or_default();
    let recorded = recorded_results(ctx.parsed);
    let envelope = envelope_sender(ctx, &recorded);

    let mut result = RuleResult::new(id, Verdict::Unknown, "");
    result.evidence.push(Evidence::neutral(
        "Sending IP",
        format!("{ip} ({})", ctx.report.sender_reason),
    ));
    match &envelope {
        Some((addr, source)) if addr.is_empty() => result.evidence.push(Evidence::neutral(
            "Envelope sender",
            format!("<> (null sender, from {source}): the HELO name is checked instead"),
        )),
        Some((addr, source)) => result.evidence.push(Evidence::neutral(
            "Envelope sender",
            format!("{addr} (from {source})"),
        )),
        None => result.evidence.push(Evidence::neutral(
            "Envelope sender",
            "not recorded in the message (no Return-Path); checking the From domain instead",
        )),
    }

    let mail_from = match &envelope {
        Some((addr, _)) => addr.clone(),
        None => ctx.parsed.from_address().unwrap_or_default(),
    };
    if ctx.resolver.is_offline() {
        result.summary = "Not checked (offline): SPF policies are in DNS.".to_string();
        return result;
    }
    if mail_from.is_empty() && helo.is_empty() {
        result.verdict = Verdict::Unknown;
        result.summary =
            "Could not check: no envelope sender, From address or HELO name to check.".into();
        return result;
    }

    let evaluation = evaluate(ctx.resolver, ip, &helo, &mail_from).await;
    explain(&mut result, &evaluation, ip);
    compare_with_receiver(
        &mut result,
        &evaluation,
        &recorded.spf,
        ctx.report.sender.as_ref(),
    );
    result.details = serde_json::to_value(&evaluation).unwrap_or_default();
    result
}

/// The envelope sender and where it was found.
fn envelope_sender(
    ctx: &Context<'_>,
    recorded: &super::receiver::Recorded,
) -> Option<(String, &'static str)> {
    if let Some(rp) = ctx.parsed.envelope_sender() {
        return Some((rp, "Return-Path"));
    }
    if let Some(ef) = &recorded.envelope_from {
        return Some((ef.clone(), "the receiver's SPF record of the session"));
    }
    None
}

/// Evaluates SPF for `ip` with mail-auth through `resolver` (the same path the
/// page, the CLI and the conformance suite use). An empty `mail_from` is the
/// null sender: the HELO identity is checked (RFC 7208 2.4).
pub async fn evaluate(
    resolver: &Resolver,
    ip: IpAddr,
    helo: &str,
    mail_from: &str,
) -> SpfEvaluation {
    let authenticator = offline_authenticator();
    let helo_domain = if helo.is_empty() { "unknown" } else { helo };
    let (identity, domain) = if mail_from.is_empty() {
        (Identity::Helo, helo_domain.to_string())
    } else {
        let d = mail_from
            .rsplit_once('@')
            .map_or(helo_domain.to_string(), |(_, d)| d.to_string());
        (Identity::MailFrom, d)
    };
    let cache = AuthCache::new(resolver);
    let caches = Caches::new(&cache, vec![ip]);
    let params = check_host_params(ip, helo_domain, &domain, mail_from);
    let check = || authenticator.check_host(Parameters::new(params).with_cache(&caches));
    let mut output = converge(resolver, &cache, check).await;
    // An `exp=` target named with macros is only known once it is read.
    if output.result() == SpfResult::Fail
        && output.explanation().is_none()
        && cache.retry_explanation()
    {
        output = converge(resolver, &cache, check).await;
    }

    let result = result_name(output.result()).to_string();
    let mut walker = TreeWalker {
        resolver,
        ip,
        lookups: 0,
        void_lookups: 0,
        failures: Vec::new(),
        seen: BTreeSet::new(),
    };
    let tree = if has_macro(&domain) {
        None
    } else {
        Some(walker.node(&domain, "top", 0))
    };
    let decided_by = tree
        .as_ref()
        .and_then(|t| walker.decide(t, 0))
        .filter(|(qualifier, _)| qualifier_matches(qualifier, output.result()))
        .map(|(_, term)| term);
    SpfEvaluation {
        result,
        domain: output.domain().to_string(),
        identity,
        explanation: output.explanation().map(str::to_string),
        tree,
        lookups: walker.lookups,
        void_lookups: walker.void_lookups,
        decided_by,
        dns_failures: walker.failures,
    }
}

/// mail-auth's `check_host` parameters for one identity: the HELO name when
/// `mail_from` is empty (the null sender, RFC 7208 2.4), else the MAIL FROM
/// identity of `domain`. DMARC (in `beyond`) builds its SPF input with this too.
pub fn check_host_params<'x>(
    ip: IpAddr,
    helo_domain: &'x str,
    domain: &'x str,
    mail_from: &'x str,
) -> SpfParameters<'x> {
    if mail_from.is_empty() {
        SpfParameters::helo(ip, helo_domain, "sendtrust.invalid")
    } else {
        SpfParameters::new(ip, domain, helo_domain, "sendtrust.invalid", mail_from)
    }
}

/// The result as RFC 7208 names it.
pub fn result_name(result: SpfResult) -> &'static str {
    match result {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

fn qualifier_matches(qualifier: &str, result: SpfResult) -> bool {
    matches!(
        (qualifier, result),
        ("+", SpfResult::Pass)
            | ("-", SpfResult::Fail)
            | ("~", SpfResult::SoftFail)
            | ("?", SpfResult::Neutral)
    )
}

fn has_macro(s: &str) -> bool {
    s.contains('%')
}

/// Walks the record tree from the resolver's cache (everything it needs was
/// fetched while mail-auth evaluated) to explain the result.
struct TreeWalker<'r> {
    resolver: &'r Resolver,
    ip: IpAddr,
    lookups: usize,
    void_lookups: usize,
    failures: Vec<String>,
    seen: BTreeSet<String>,
}

/// Records deeper than this are not read. A chain of includes within the
/// lookup limit is at most 10 deep; one more level reads the record whose
/// include goes over the limit, so that lookup is counted too.
const MAX_DEPTH: usize = LOOKUP_LIMIT + 1;

/// The problem of a record the evaluation never asked for (an earlier term
/// decided, or the lookup limit was reached first).
const NOT_REACHED: &str = "not looked up: the evaluation ended before reaching it";

impl TreeWalker<'_> {
    fn cached(&mut self, name: &str, qtype: QType) -> Option<Answer> {
        match self.resolver.cached(name, qtype) {
            Some(Ok(answer)) => Some(answer),
            Some(Err(f)) => {
                self.failures
                    .push(format!("{} {name}: {f}", qtype.as_str()));
                None
            }
            None => None,
        }
    }

    /// The SPF records at `domain`, the problem with them, and whether the
    /// lookup was void (NXDOMAIN or no answer, RFC 7208 4.6.4).
    fn spf_records(&mut self, domain: &str) -> (Vec<String>, Option<String>, bool) {
        match self.cached(domain, QType::Txt) {
            Some(Answer::Records(records)) => {
                let spf: Vec<String> = records
                    .iter()
                    .filter_map(|r| match r {
                        Rdata::Txt(t) => Some(String::from_utf8_lossy(t).into_owned()),
                        _ => None,
                    })
                    .filter(|t| {
                        let l = t.to_ascii_lowercase();
                        l == "v=spf1" || l.starts_with("v=spf1 ")
                    })
                    .collect();
                let problem = spf
                    .is_empty()
                    .then(|| "no SPF record (TXT \"v=spf1 …\")".into());
                (spf, problem, false)
            }
            Some(Answer::NxDomain) => (Vec::new(), Some("the domain does not exist".into()), true),
            Some(Answer::NoData) => (Vec::new(), Some("no TXT records".into()), true),
            None if self.resolver.cached(domain, QType::Txt).is_none() => {
                (Vec::new(), Some(NOT_REACHED.into()), false)
            }
            None => (Vec::new(), Some("could not be fetched".into()), false),
        }
    }

    fn node(&mut self, domain: &str, via: &str, depth: usize) -> SpfNode {
        let (records, problem, void) = self.spf_records(domain);
        let mut node = SpfNode {
            domain: domain.to_string(),
            via: via.to_string(),
            record: records.first().cloned(),
            record_count: records.len(),
            problem: problem.clone(),
            children: Vec::new(),
        };
        if via != "top" && void {
            self.void_lookups += 1;
        }
        if records.len() > 1 {
            node.problem = Some(format!(
                "{} SPF records at one name (only one is allowed: permerror)",
                records.len()
            ));
        }
        let Some(record) = records.first() else {
            return node;
        };
        if depth >= MAX_DEPTH || !self.seen.insert(domain.to_string()) {
            node.problem = Some("include loop or too deep".into());
            return node;
        }
        for term in record.split_ascii_whitespace().skip(1) {
            let lower = term.to_ascii_lowercase();
            let bare = lower.trim_start_matches(['+', '-', '~', '?']);
            let counts = bare.starts_with("include:")
                || bare.starts_with("redirect=")
                || bare == "a"
                || bare.starts_with("a:")
                || bare.starts_with("a/")
                || bare == "mx"
                || bare.starts_with("mx:")
                || bare.starts_with("mx/")
                || bare == "ptr"
                || bare.starts_with("ptr:")
                || bare.starts_with("exists:");
            if counts {
                self.lookups += 1;
            }
            let target = bare
                .strip_prefix("include:")
                .map(|t| ("include", t))
                .or_else(|| bare.strip_prefix("redirect=").map(|t| ("redirect", t)));
            if let Some((kind, target)) = target
                && !has_macro(target)
            {
                node.children.push(self.node(target, kind, depth + 1));
            }
        }
        node
    }

    /// Finds the first term of `node` that matches the IP, returning its
    /// qualifier and text. `None` when it cannot be attributed without
    /// re-implementing evaluation (macros, `exists`, `ptr`).
    fn decide(&mut self, node: &SpfNode, depth: usize) -> Option<(String, String)> {
        let record = node.record.as_ref()?;
        if depth > MAX_DEPTH {
            return None;
        }
        let mut child = node.children.iter();
        for term in record.split_ascii_whitespace().skip(1) {
            let lower = term.to_ascii_lowercase();
            let (qualifier, bare) = match lower.chars().next() {
                Some(c @ ('+' | '-' | '~' | '?')) => (c.to_string(), &lower[1..]),
                _ => ("+".to_string(), lower.as_str()),
            };
            // Targets written with macros have no node in the tree (it is
            // built without expanding them): stop before the children misalign.
            if let Some(target) = bare
                .strip_prefix("redirect=")
                .or_else(|| bare.strip_prefix("include:"))
                && has_macro(target)
            {
                return None;
            }
            if bare.starts_with("redirect=") {
                let sub = child.next()?;
                return self.decide(sub, depth + 1);
            }
            if bare.contains('=') && !bare.contains(':') {
                // Another modifier (exp=, unknown ones): not a match term.
                continue;
            }
            let matched = if bare == "all" {
                Some(true)
            } else if let Some(net) = bare
                .strip_prefix("ip4:")
                .or_else(|| bare.strip_prefix("ip6:"))
            {
                Some(cidr_contains(net, self.ip))
            } else if bare.starts_with("include:") {
                let sub = child.next()?;
                // An include matches when the included record passes.
                self.decide(sub, depth + 1).map(|(q, _)| q == "+")
            } else if bare == "a" || bare.starts_with("a:") || bare.starts_with("a/") {
                self.address_match(bare.trim_start_matches('a'), &node.domain)
            } else if bare == "mx" || bare.starts_with("mx:") || bare.starts_with("mx/") {
                self.mx_match(bare.trim_start_matches("mx"), &node.domain)
            } else {
                None
            };
            match matched {
                Some(true) => return Some((qualifier, term.to_string())),
                Some(false) => continue,
                None => return None,
            }
        }
        // No match and no redirect: neutral by default.
        Some(("?".into(), "(no term matched: default neutral)".into()))
    }

    fn target_and_masks(&self, spec: &str, default: &str) -> (String, Option<u8>, Option<u8>) {
        let spec = spec.strip_prefix(':').unwrap_or(spec);
        let (name, masks) = match spec.find('/') {
            Some(p) => (&spec[..p], &spec[p..]),
            None => (spec, ""),
        };
        let name = if name.is_empty() { default } else { name };
        // "/24", "//64" or "/24//64" (RFC 7208 dual-cidr-length).
        let (v4, v6) = match masks.find("//") {
            Some(p) => (&masks[..p], &masks[p + 2..]),
            None => (masks, ""),
        };
        let v4 = v4.strip_prefix('/').and_then(|m| m.parse().ok());
        let v6 = v6.parse().ok();
        (name.to_string(), v4, v6)
    }

    fn address_match(&mut self, spec: &str, domain: &str) -> Option<bool> {
        let (name, v4, v6) = self.target_and_masks(spec, domain);
        if has_macro(&name) {
            return None;
        }
        self.host_has_ip(&name, v4, v6)
    }

    fn host_has_ip(&mut self, name: &str, v4: Option<u8>, v6: Option<u8>) -> Option<bool> {
        let qtype = if self.ip.is_ipv4() {
            QType::A
        } else {
            QType::Aaaa
        };
        let answer = self.cached(name, qtype)?;
        Some(answer.records().iter().any(|r| match (r, self.ip) {
            (Rdata::A(a), IpAddr::V4(ip)) => prefix_eq(&a.octets(), &ip.octets(), v4.unwrap_or(32)),
            (Rdata::Aaaa(a), IpAddr::V6(ip)) => {
                prefix_eq(&a.octets(), &ip.octets(), v6.unwrap_or(128))
            }
            _ => false,
        }))
    }

    fn mx_match(&mut self, spec: &str, domain: &str) -> Option<bool> {
        let (name, v4, v6) = self.target_and_masks(spec, domain);
        if has_macro(&name) {
            return None;
        }
        let hosts: Vec<String> = self
            .cached(&name, QType::Mx)?
            .records()
            .iter()
            .filter_map(|r| match r {
                Rdata::Mx(_, h) => Some(h.clone()),
                _ => None,
            })
            .collect();
        let mut any = false;
        for host in hosts {
            if self.host_has_ip(&host, v4, v6)? {
                any = true;
            }
        }
        Some(any)
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits).min(a.len() * 8);
    let full = bits / 8;
    if a.get(..full) != b.get(..full) {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (a.get(full), b.get(full)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

fn cidr_contains(net: &str, ip: IpAddr) -> bool {
    let (addr, len) = match net.split_once('/') {
        Some((a, l)) => (a, l.parse::<u8>().ok()),
        None => (net, None),
    };
    match (addr.parse::<IpAddr>(), ip) {
        (Ok(IpAddr::V4(n)), IpAddr::V4(i)) => {
            prefix_eq(&n.octets(), &i.octets(), len.unwrap_or(32))
        }
        (Ok(IpAddr::V6(n)), IpAddr::V6(i)) => {
            prefix_eq(&n.octets(), &i.octets(), len.unwrap_or(128))
        }
        _ => false,
    }
}

fn explain(result: &mut RuleResult, e: &SpfEvaluation, ip: IpAddr) {
    let who = match e.identity {
        Identity::MailFrom => format!("the envelope sender's domain {}", e.domain),
        Identity::Helo => format!("the HELO name {}", e.domain),
    };
    if let Some(tree) = &e.tree {
        push_tree(&mut result.evidence, tree, 0);
    }
    result.evidence.push(Evidence::neutral(
        "DNS lookups",
        format!(
            "{} of {LOOKUP_LIMIT} DNS-querying terms, {} of {VOID_LIMIT} void lookups",
            e.lookups, e.void_lookups
        ),
    ));
    if let Some(term) = &e.decided_by {
        result
            .evidence
            .push(Evidence::neutral("Decided by", format!("`{term}`")));
    }
    if let Some(exp) = &e.explanation {
        result.evidence.push(Evidence::neutral(
            "Explanation published by the domain",
            exp.clone(),
        ));
    }
    for f in &e.dns_failures {
        result
            .evidence
            .push(Evidence::error("Lookup failed", f.clone()));
    }
    let multiple = e.tree.as_ref().is_some_and(|t| t.record_count > 1);
    let ip_term = if ip.is_ipv4() { "ip4" } else { "ip6" };
    let (verdict, summary, fix): (Verdict, String, Option<String>) = match e.result.as_str() {
        "pass" => {
            if e.lookups >= 9 {
                (
                    Verdict::Warn,
                    format!("SPF pass: {who} authorises {ip}, but the record uses {} of the 10 allowed DNS lookups.", e.lookups),
                    Some("Flatten or trim includes before one more include pushes the record over the 10-lookup limit (which makes SPF fail everywhere).".into()),
                )
            } else {
                (
                    Verdict::Pass,
                    format!("SPF pass: {who} authorises {ip}."),
                    None,
                )
            }
        }
        "fail" => (
            Verdict::Fail,
            format!("SPF fail: {who} says {ip} may not send its mail."),
            Some(format!(
                "If {ip} is your server, add `{ip_term}:{ip}` (or an `include:` of your provider) to the SPF record of {} before the `all` term.",
                e.domain
            )),
        ),
        "softfail" => (
            Verdict::Fail,
            format!(
                "SPF softfail: {who} says {ip} is probably not allowed to send its mail (~all)."
            ),
            Some(format!(
                "Add `{ip_term}:{ip}` (or your provider's `include:`) to the SPF record of {}; receivers treat softfail as suspicious.",
                e.domain
            )),
        ),
        "neutral" => (
            Verdict::Warn,
            format!("SPF neutral: {who} makes no statement about {ip}."),
            Some(format!(
                "Authorise {ip} explicitly (`{ip_term}:{ip}`) and end the record of {} with `-all` or `~all` so receivers can tell your mail from forgeries.",
                e.domain
            )),
        ),
        "none" => (
            Verdict::Fail,
            format!("No SPF record: {who} publishes no SPF policy."),
            Some(format!(
                "Publish a TXT record at {} such as `v=spf1 {ip_term}:{ip} -all` (add your providers' includes).",
                e.domain
            )),
        ),
        "permerror" => {
            let why = if multiple {
                "two or more SPF records at one name".to_string()
            } else if e.lookups > LOOKUP_LIMIT {
                format!("{} DNS lookups, more than the limit of 10", e.lookups)
            } else if e.void_lookups > VOID_LIMIT {
                format!("{} void lookups, more than the limit of 2", e.void_lookups)
            } else {
                "the record is invalid or an include has no SPF record".to_string()
            };
            let fix = if multiple {
                "Two SPF records: merge them into one TXT record starting with `v=spf1`."
                    .to_string()
            } else if e.lookups > LOOKUP_LIMIT {
                "More than 10 lookups: flatten includes (replace some with the ip4:/ip6: ranges they contain) or drop unused ones.".to_string()
            } else {
                format!(
                    "Fix the SPF record of {}: check every include: target exists and publishes SPF, and the syntax is valid.",
                    e.domain
                )
            };
            (
                Verdict::Fail,
                format!("SPF permerror for {who}: {why}; receivers treat this like no SPF at all."),
                Some(fix),
            )
        }
        _ => (
            Verdict::Unknown,
            format!(
                "Could not check SPF for {who}: {}.",
                e.dns_failures
                    .first()
                    .map_or("a DNS lookup failed (temperror)".to_string(), |f| format!(
                        "temperror ({f})"
                    ))
            ),
            None,
        ),
    };
    result.verdict = verdict;
    result.summary = summary;
    result.fix = fix;
}

fn push_tree(evidence: &mut Vec<Evidence>, node: &SpfNode, depth: usize) {
    let indent = "  ".repeat(depth);
    let label = if depth == 0 {
        format!("SPF record of {}", node.domain)
    } else {
        format!("{indent}↳ {} {}", node.via, node.domain)
    };
    match (&node.record, &node.problem) {
        (Some(r), None) => evidence.push(Evidence::neutral(label, r.clone())),
        (Some(r), Some(p)) => evidence.push(Evidence::bad(label, format!("{r} — {p}"))),
        (None, Some(p)) if p == NOT_REACHED => evidence.push(Evidence::neutral(label, p.clone())),
        (None, Some(p)) => evidence.push(Evidence::bad(label, p.clone())),
        (None, None) => {}
    }
    for child in &node.children {
        push_tree(evidence, child, depth + 1);
    }
}

fn compare_with_receiver(
    result: &mut RuleResult,
    e: &SpfEvaluation,
    recorded: &[ReceiverVerdict],
    sender: Option<&crate::report::Sender>,
) {
    for r in recorded {
        let same = r.result.eq_ignore_ascii_case(&e.result);
        let text = format!("{} (recorded by {} in {})", r.result, r.authserv, r.source);
        // Recorded for the recipient's inbound filter, not for this server.
        if let Some(note) = super::receiver::filter_relay_note(r, sender) {
            result.evidence.push(Evidence::neutral(
                "The receiver recorded",
                format!("{text} — {note}"),
            ));
            continue;
        }
        if same {
            result
                .evidence
                .push(Evidence::good("The receiver recorded", text));
        } else {
            let why = if r.result.eq_ignore_ascii_case("pass") && e.result != "pass" {
                "it passed at delivery: the SPF record may have changed since, or the receiver checked another IP (e.g. a forwarder's)"
            } else if e.result == "pass" {
                "it passes now: the record may have been fixed since, or the receiver checked another hop (forwarded mail)"
            } else {
                "the record or the checked IP differ between then and now"
            };
            result.evidence.push(Evidence::neutral(
                "The receiver recorded",
                format!("{text} — differs from now: {why}"),
            ));
        }
    }
}
