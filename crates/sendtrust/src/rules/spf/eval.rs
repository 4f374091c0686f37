//! RFC 7208 `check_host()` over Sendtrust's [`Resolver`].
//!
//! Every record it fetches (the checked domain's, include and redirect
//! targets) goes through the strict reader ([`super::record`]) first; the
//! evaluation then follows RFC 7208 4.6–6 and 7 term by term, counting
//! DNS-querying terms (limit 10) and void lookups (limit 2), and records what
//! it did as it goes: the tree of records read, the term that decided, and the
//! term and position behind a permerror. See ARCHITECTURE.md ("SPF") for why
//! this is ours and not mail-auth's.

use super::record::{self, Directive, MacroPart, MacroString, Mechanism, Qualifier, Record};
use super::{
    LOOKUP_LIMIT, NOT_REACHED, Outcome, ProblemKind, SpfNode, SpfProblem, SpfVia, VOID_LIMIT,
};
use crate::dns::{Answer, DnsFailure, Lookup, QType, Rdata, Resolver, normalize_name};
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use std::net::IpAddr;

/// RFC 7208 4.6.4: an `mx` term may look up at most 10 exchanges, and at
/// most 10 PTR names are checked for `ptr` and `%{p}`.
const NAME_LIMIT: usize = 10;

impl Outcome {
    /// mail-auth's word for the same result (DMARC's SPF input).
    pub fn spf_result(self) -> mail_auth::SpfResult {
        match self {
            Outcome::Pass => mail_auth::SpfResult::Pass,
            Outcome::Fail => mail_auth::SpfResult::Fail,
            Outcome::SoftFail => mail_auth::SpfResult::SoftFail,
            Outcome::Neutral => mail_auth::SpfResult::Neutral,
            Outcome::None => mail_auth::SpfResult::None,
            Outcome::PermError => mail_auth::SpfResult::PermError,
            Outcome::TempError => mail_auth::SpfResult::TempError,
        }
    }

    fn of(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => Outcome::Pass,
            Qualifier::Fail => Outcome::Fail,
            Qualifier::SoftFail => Outcome::SoftFail,
            Qualifier::Neutral => Outcome::Neutral,
        }
    }
}

/// The identity being checked, with the values macros expand to.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The client address (IPv4-mapped IPv6 already turned into IPv4).
    pub ip: IpAddr,
    /// The HELO name (`%{h}`).
    pub helo: String,
    /// The local part (`%{l}`), `postmaster` when empty.
    pub local: String,
    /// The sender's domain (`%{o}`).
    pub sender_domain: String,
}

/// What one `check_host()` produced.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The result.
    pub outcome: Outcome,
    /// The tree of records read.
    pub tree: SpfNode,
    /// The term that decided and the domain whose record holds it.
    pub decided_by: Option<(String, String)>,
    /// What made it a permerror.
    pub problem: Option<SpfProblem>,
    /// The `exp=` text, for a fail.
    pub explanation: Option<String>,
    /// DNS-querying terms evaluated.
    pub lookups: usize,
    /// Lookups that found nothing.
    pub void_lookups: usize,
    /// The terms whose lookups were void.
    pub void_terms: Vec<String>,
    /// DNS failures met on the way (`TYPE name: reason`).
    pub dns_failures: Vec<String>,
}

/// Evaluates the SPF policy of `domain` for `identity`.
pub async fn check_host(resolver: &Resolver, identity: &Identity, domain: &str) -> Checked {
    let mut eval = Eval {
        resolver,
        id: identity,
        lookups: 0,
        voids: 0,
        void_terms: Vec::new(),
        failures: Vec::new(),
        validated: None,
    };
    let (step, tree) = eval.check(domain.to_string(), SpfVia::Top, true).await;
    Checked {
        outcome: step.outcome,
        tree,
        decided_by: step.decided_by,
        problem: step.problem,
        explanation: step.explanation,
        lookups: eval.lookups,
        void_lookups: eval.voids,
        void_terms: eval.void_terms,
        dns_failures: eval.failures,
    }
}

struct Step {
    outcome: Outcome,
    decided_by: Option<(String, String)>,
    problem: Option<SpfProblem>,
    explanation: Option<String>,
}

impl Step {
    fn plain(outcome: Outcome) -> Self {
        Step {
            outcome,
            decided_by: None,
            problem: None,
            explanation: None,
        }
    }

    fn perm(problem: SpfProblem) -> Self {
        Step {
            problem: Some(problem),
            ..Step::plain(Outcome::PermError)
        }
    }
}

/// Why evaluation of a record stopped early.
enum Stop {
    Temp,
    Perm(SpfProblem),
}

struct Eval<'r> {
    resolver: &'r Resolver,
    id: &'r Identity,
    lookups: usize,
    voids: usize,
    void_terms: Vec<String>,
    failures: Vec<String>,
    /// The client's validated PTR names (RFC 7208 5.5) and whether the PTR
    /// lookup was void, once looked up.
    validated: Option<(Vec<String>, bool)>,
}

fn problem(
    kind: ProblemKind,
    domain: &str,
    term: Option<(&str, usize)>,
    what: impl Into<String>,
) -> SpfProblem {
    SpfProblem {
        kind,
        domain: domain.to_string(),
        term: term.map(|(t, _)| t.to_string()),
        position: term.map(|(_, p)| p),
        problem: what.into(),
    }
}

impl<'r> Eval<'r> {
    async fn lookup(&mut self, name: &str, qtype: QType) -> Lookup {
        let lookup = self.resolver.lookup_record_name(name, qtype).await;
        if let Err(f) = &lookup
            && !matches!(f, DnsFailure::InvalidName(_))
        {
            self.failures
                .push(format!("{} {}: {f}", qtype.as_str(), normalize_name(name)));
        }
        lookup
    }

    /// Counts a void lookup of `term`; a permerror past the limit.
    fn void(&mut self, node: &mut SpfNode, domain: &str, d: &Directive) -> Result<(), Stop> {
        self.voids += 1;
        node.void_lookups += 1;
        self.void_terms
            .push(format!("`{}` in {domain}", record::printable(&d.text)));
        if self.voids > VOID_LIMIT {
            return Err(Stop::Perm(problem(
                ProblemKind::VoidLimit,
                domain,
                Some((&d.text, d.position)),
                format!(
                    "{} DNS lookups found nothing (NXDOMAIN or no records), more than the limit of {VOID_LIMIT} (RFC 7208 4.6.4)",
                    self.voids
                ),
            )));
        }
        Ok(())
    }

    /// RFC 7208 4.1–4.6 for one domain; `via`: `top`, `include` or
    /// `redirect`; `want_exp`: this record's `exp=` is used on fail (not
    /// inside an include, RFC 7208 6.2).
    fn check(
        &mut self,
        domain: String,
        via: SpfVia,
        want_exp: bool,
    ) -> LocalBoxFuture<'_, (Step, SpfNode)> {
        async move {
            let mut node = SpfNode {
                domain: normalize_name(&domain),
                via,
                record: None,
                record_count: 0,
                problem: None,
                near_miss: None,
                lookups: 0,
                void_lookups: 0,
                children: Vec::new(),
            };
            let (outcome, texts) = match self.lookup(&domain, QType::Txt).await {
                Err(DnsFailure::InvalidName(why)) => {
                    node.problem = Some(format!("not a valid domain name ({why})"));
                    return (Step::plain(Outcome::None), node);
                }
                Err(f) => {
                    node.problem = Some(format!("could not be fetched: {f}"));
                    return (Step::plain(Outcome::TempError), node);
                }
                Ok(Answer::NxDomain) => (Some("the domain does not exist"), Vec::new()),
                Ok(Answer::NoData) => (Some("no TXT records"), Vec::new()),
                Ok(Answer::Records(records)) => (
                    None,
                    records
                        .into_iter()
                        .filter_map(|r| match r {
                            Rdata::Txt(t) => Some(t),
                            _ => None,
                        })
                        .collect(),
                ),
            };
            if let Some(why) = outcome {
                node.problem = Some(why.into());
                return (Step::plain(Outcome::None), node);
            }
            let spf: Vec<&Vec<u8>> = texts.iter().filter(|t| record::is_spf_record(t)).collect();
            let Some(first) = spf.first() else {
                node.near_miss = texts.iter().find_map(|t| record::near_miss(t));
                node.problem = Some(match &node.near_miss {
                    Some(why) => format!("no SPF record: a TXT record here {why}"),
                    None => "no SPF record (TXT \"v=spf1 …\")".into(),
                });
                return (Step::plain(Outcome::None), node);
            };
            node.record = Some(String::from_utf8_lossy(first).into_owned());
            node.record_count = spf.len();
            if spf.len() > 1 {
                let what = format!(
                    "{} SPF records at one name (only one is allowed: permerror)",
                    spf.len()
                );
                node.problem = Some(what.clone());
                let p = problem(ProblemKind::MultipleRecords, &node.domain, None, what);
                return (Step::perm(p), node);
            }
            let record = match record::parse(first) {
                Ok(r) => r,
                Err(e) => {
                    node.problem = Some(e.to_string());
                    let p = problem(
                        ProblemKind::Syntax,
                        &node.domain,
                        Some((&e.term, e.position)),
                        e.problem,
                    );
                    return (Step::perm(p), node);
                }
            };
            let step = self.evaluate(&record, &mut node, want_exp).await;
            (step, node)
        }
        .boxed_local()
    }

    /// RFC 7208 4.6.2 and 6: the directives in order, then `redirect=`.
    async fn evaluate(&mut self, record: &Record, node: &mut SpfNode, want_exp: bool) -> Step {
        let domain = node.domain.clone();
        for (index, d) in record.directives.iter().enumerate() {
            let matched = match self.directive(d, &domain, node).await {
                Ok(m) => m,
                Err(Stop::Temp) => return Step::plain(Outcome::TempError),
                Err(Stop::Perm(p)) => {
                    if node.problem.is_none() && p.domain == domain {
                        node.problem = Some(p.describe());
                    }
                    return Step::perm(p);
                }
            };
            if matched {
                not_reached(record.directives.get(index + 1..), record, node);
                let outcome = Outcome::of(d.qualifier);
                let explanation = if outcome == Outcome::Fail && want_exp {
                    self.explanation(record, &domain).await
                } else {
                    None
                };
                return Step {
                    outcome,
                    decided_by: Some((d.text.clone(), domain)),
                    problem: None,
                    explanation,
                };
            }
        }
        let Some(redirect) = &record.redirect else {
            return Step {
                decided_by: Some(("(no term matched: default neutral)".into(), domain)),
                ..Step::plain(Outcome::Neutral)
            };
        };
        let at = Some((redirect.text.as_str(), redirect.position));
        self.lookups += 1;
        node.lookups += 1;
        if self.lookups > LOOKUP_LIMIT {
            push_not_reached(
                node,
                SpfVia::Redirect,
                &redirect.domain,
                over_limit(self.lookups),
            );
            return Step::perm(limit_problem(&domain, at, self.lookups));
        }
        let target = self.expand_domain(&redirect.domain, &domain).await;
        let (step, child) = self.check(target.clone(), SpfVia::Redirect, want_exp).await;
        node.children.push(child);
        match step.outcome {
            Outcome::None => Step::perm(problem(
                ProblemKind::TargetWithoutSpf,
                &domain,
                at,
                format!("the redirect target {target} has no SPF record"),
            )),
            _ => step,
        }
    }

    /// Whether one directive matches.
    async fn directive(
        &mut self,
        d: &Directive,
        domain: &str,
        node: &mut SpfNode,
    ) -> Result<bool, Stop> {
        let at = Some((d.text.as_str(), d.position));
        if d.mechanism.queries_dns() {
            self.lookups += 1;
            node.lookups += 1;
            if self.lookups > LOOKUP_LIMIT {
                if let Mechanism::Include(target) = &d.mechanism {
                    push_not_reached(node, SpfVia::Include, target, over_limit(self.lookups));
                }
                return Err(Stop::Perm(limit_problem(domain, at, self.lookups)));
            }
        }
        let ip = self.id.ip;
        match &d.mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4(net, len) => Ok(match ip {
                IpAddr::V4(ip) => prefix_eq(&net.octets(), &ip.octets(), *len),
                IpAddr::V6(_) => false,
            }),
            Mechanism::Ip6(net, len) => Ok(match ip {
                IpAddr::V6(ip) => prefix_eq(&net.octets(), &ip.octets(), *len),
                IpAddr::V4(_) => false,
            }),
            Mechanism::A {
                domain: spec,
                v4,
                v6,
            } => {
                let target = self.target(spec.as_ref(), domain).await;
                let addrs = match self.addresses(&target, false).await {
                    Ok(a) => a,
                    Err(()) => return Err(Stop::Temp),
                };
                if addrs.is_empty() {
                    self.void(node, domain, d)?;
                }
                Ok(addrs.iter().any(|a| self.in_prefix(*a, *v4, *v6)))
            }
            Mechanism::Mx {
                domain: spec,
                v4,
                v6,
            } => {
                let target = self.target(spec.as_ref(), domain).await;
                let exchanges: Vec<String> = match self.lookup(&target, QType::Mx).await {
                    Ok(answer) => answer
                        .records()
                        .iter()
                        .filter_map(|r| match r {
                            Rdata::Mx(_, host) => Some(host.clone()),
                            _ => None,
                        })
                        .collect(),
                    Err(DnsFailure::InvalidName(_)) => Vec::new(),
                    Err(_) => return Err(Stop::Temp),
                };
                if exchanges.is_empty() {
                    self.void(node, domain, d)?;
                }
                if exchanges.len() > NAME_LIMIT {
                    return Err(Stop::Perm(problem(
                        ProblemKind::MxLimit,
                        domain,
                        at,
                        format!(
                            "{target} has {} MX records; an `mx` term may look up at most {NAME_LIMIT} (RFC 7208 4.6.4)",
                            exchanges.len()
                        ),
                    )));
                }
                for host in exchanges {
                    // A null MX ("0 .") names no host.
                    if host.is_empty() || host == "." {
                        continue;
                    }
                    let addrs = match self.addresses(&host, false).await {
                        Ok(a) => a,
                        Err(()) => return Err(Stop::Temp),
                    };
                    if addrs.iter().any(|a| self.in_prefix(*a, *v4, *v6)) {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Mechanism::Ptr(spec) => {
                let target = normalize_name(&self.target(spec.as_ref(), domain).await);
                let (names, void) = self.validated_names().await;
                if void {
                    self.void(node, domain, d)?;
                }
                Ok(names
                    .iter()
                    .any(|n| n == &target || n.ends_with(&format!(".{target}"))))
            }
            Mechanism::Exists(spec) => {
                let target = self.expand_domain(spec, domain).await;
                // RFC 7208 5.7: an A lookup, whatever the client's family.
                let addrs = match self.addresses(&target, true).await {
                    Ok(a) => a,
                    Err(()) => return Err(Stop::Temp),
                };
                if addrs.is_empty() {
                    self.void(node, domain, d)?;
                }
                Ok(!addrs.is_empty())
            }
            Mechanism::Include(spec) => {
                let target = self.expand_domain(spec, domain).await;
                let (step, child) = self.check(target.clone(), SpfVia::Include, false).await;
                node.children.push(child);
                // RFC 7208 5.2: the included record's result decides the match.
                match step.outcome {
                    Outcome::Pass => Ok(true),
                    Outcome::Fail | Outcome::SoftFail | Outcome::Neutral => Ok(false),
                    Outcome::TempError => Err(Stop::Temp),
                    Outcome::PermError => Err(Stop::Perm(step.problem.unwrap_or_else(|| {
                        problem(ProblemKind::Syntax, &target, None, "permerror")
                    }))),
                    Outcome::None => Err(Stop::Perm(problem(
                        ProblemKind::TargetWithoutSpf,
                        domain,
                        at,
                        format!("the include target {target} has no SPF record"),
                    ))),
                }
            }
        }
    }

    fn in_prefix(&self, addr: IpAddr, v4: u8, v6: u8) -> bool {
        match (addr, self.id.ip) {
            (IpAddr::V4(a), IpAddr::V4(ip)) => prefix_eq(&a.octets(), &ip.octets(), v4),
            (IpAddr::V6(a), IpAddr::V6(ip)) => prefix_eq(&a.octets(), &ip.octets(), v6),
            _ => false,
        }
    }

    /// The A (IPv4 client, or `force_a`) or AAAA records of `name`; `Err`
    /// for a DNS failure (temperror). A name that cannot be sent has none.
    async fn addresses(&mut self, name: &str, force_a: bool) -> Result<Vec<IpAddr>, ()> {
        let qtype = if force_a || self.id.ip.is_ipv4() {
            QType::A
        } else {
            QType::Aaaa
        };
        match self.lookup(name, qtype).await {
            Ok(answer) => Ok(answer
                .records()
                .iter()
                .filter_map(|r| match r {
                    Rdata::A(a) if qtype == QType::A => Some(IpAddr::V4(*a)),
                    Rdata::Aaaa(a) if qtype == QType::Aaaa => Some(IpAddr::V6(*a)),
                    _ => None,
                })
                .collect()),
            Err(DnsFailure::InvalidName(_)) => Ok(Vec::new()),
            Err(_) => Err(()),
        }
    }

    /// RFC 7208 5.5: the client's PTR names (at most 10) whose addresses
    /// include the client; a DNS error is no names. Looked up once.
    async fn validated_names(&mut self) -> (Vec<String>, bool) {
        if let Some(v) = &self.validated {
            return v.clone();
        }
        let ip = self.id.ip;
        let reverse = Resolver::reverse_name(ip);
        let (names, void) = match self.lookup(&reverse, QType::Ptr).await {
            Ok(answer) => {
                let names: Vec<String> = answer
                    .records()
                    .iter()
                    .filter_map(|r| match r {
                        Rdata::Ptr(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                let void = names.is_empty();
                (names, void)
            }
            Err(_) => (Vec::new(), false),
        };
        let mut validated = Vec::new();
        for name in names.into_iter().take(NAME_LIMIT) {
            if let Ok(addrs) = self.addresses(&name, false).await
                && addrs.contains(&ip)
            {
                validated.push(normalize_name(&name));
            }
        }
        self.validated = Some((validated, void));
        self.validated.clone().unwrap_or_default()
    }

    /// The target of `a`/`mx`/`ptr`: the domain-spec, or the current domain.
    async fn target(&mut self, spec: Option<&MacroString>, domain: &str) -> String {
        match spec {
            Some(spec) => self.expand_domain(spec, domain).await,
            None => domain.to_string(),
        }
    }

    /// Expands a domain-spec and truncates it from the left to 253
    /// characters (RFC 7208 7.3).
    async fn expand_domain(&mut self, spec: &MacroString, domain: &str) -> String {
        let mut name = self.expand(spec, domain).await;
        let trailing = name.ends_with('.');
        while name.trim_end_matches('.').len() > 253 {
            match name.split_once('.') {
                Some((_, rest)) => name = rest.to_string(),
                None => break,
            }
        }
        if trailing && !name.ends_with('.') {
            name.push('.');
        }
        name
    }

    /// RFC 7208 7.3.
    async fn expand(&mut self, spec: &MacroString, domain: &str) -> String {
        let p = if spec.uses('p') {
            self.p_value(domain).await
        } else {
            String::new()
        };
        expand_with(
            spec,
            &MacroValues {
                id: self.id,
                domain,
                p: &p,
            },
        )
    }

    /// `%{p}`: a validated name of the client, preferring `domain` itself,
    /// then a subdomain of it; `unknown` when there is none.
    async fn p_value(&mut self, domain: &str) -> String {
        let domain = normalize_name(domain);
        let (names, _) = self.validated_names().await;
        names
            .iter()
            .find(|n| **n == domain)
            .or_else(|| names.iter().find(|n| n.ends_with(&format!(".{domain}"))))
            .or_else(|| names.first())
            .cloned()
            .unwrap_or_else(|| "unknown".into())
    }

    /// RFC 7208 6.2: the text at the `exp=` target, when it is one TXT record
    /// that is a valid explain-string; anything else gives no explanation.
    async fn explanation(&mut self, record: &Record, domain: &str) -> Option<String> {
        let exp = record.exp.as_ref()?;
        let target = self.expand_domain(&exp.domain, domain).await;
        // Not part of the evaluation: a failure here is not a temperror.
        let answer = self
            .resolver
            .lookup_record_name(&target, QType::Txt)
            .await
            .ok()?;
        let texts: Vec<&Vec<u8>> = answer
            .records()
            .iter()
            .filter_map(|r| match r {
                Rdata::Txt(t) => Some(t),
                _ => None,
            })
            .collect();
        let [text] = texts.as_slice() else {
            return None;
        };
        let text = std::str::from_utf8(text).ok()?;
        let spec = record::macro_string(text, true).ok()?;
        let p = if spec.uses('p') {
            self.p_value(domain).await
        } else {
            String::new()
        };
        Some(expand_with(
            &spec,
            &MacroValues {
                id: self.id,
                domain,
                p: &p,
            },
        ))
    }
}

fn over_limit(n: usize) -> String {
    format!("not looked up: term number {n} that queries DNS, over the limit of {LOOKUP_LIMIT}")
}

fn limit_problem(domain: &str, at: Option<(&str, usize)>, n: usize) -> SpfProblem {
    problem(
        ProblemKind::LookupLimit,
        domain,
        at,
        format!("{n} DNS lookups, more than the limit of {LOOKUP_LIMIT} (RFC 7208 4.6.4)"),
    )
}

/// Adds an unread child for an include/redirect target (literal targets
/// only: a macro target has no name until it is expanded).
fn push_not_reached(node: &mut SpfNode, via: SpfVia, target: &MacroString, why: String) {
    if let Some(name) = target.literal() {
        node.children.push(SpfNode {
            domain: normalize_name(&name),
            via,
            record: None,
            record_count: 0,
            problem: Some(why),
            near_miss: None,
            lookups: 0,
            void_lookups: 0,
            children: Vec::new(),
        });
    }
}

/// The includes (and the redirect) after the deciding term, shown unread.
fn not_reached(rest: Option<&[Directive]>, record: &Record, node: &mut SpfNode) {
    for d in rest.unwrap_or_default() {
        if let Mechanism::Include(target) = &d.mechanism {
            push_not_reached(node, SpfVia::Include, target, NOT_REACHED.into());
        }
    }
    if let Some(redirect) = &record.redirect {
        push_not_reached(node, SpfVia::Redirect, &redirect.domain, NOT_REACHED.into());
    }
}

/// What the macro letters stand for in one expansion.
pub struct MacroValues<'a> {
    /// The identity.
    pub id: &'a Identity,
    /// `%{d}`: the domain whose record is evaluated.
    pub domain: &'a str,
    /// `%{p}`, already validated.
    pub p: &'a str,
}

/// Expands a macro-string (RFC 7208 7.3): transformers split the value on
/// the delimiters (`.` by default), reverse with `r`, keep the right-hand
/// parts and join them with dots; an upper-case letter URL-escapes.
pub fn expand_with(spec: &MacroString, v: &MacroValues<'_>) -> String {
    let mut out = String::new();
    for part in &spec.0 {
        match part {
            MacroPart::Literal(text) => out.push_str(text),
            MacroPart::Expand {
                letter,
                escape,
                keep,
                reverse,
                delimiters,
            } => {
                let value = letter_value(*letter, v);
                let delimiters = if delimiters.is_empty() {
                    "."
                } else {
                    delimiters.as_str()
                };
                let mut parts: Vec<&str> = value.split(|c| delimiters.contains(c)).collect();
                if *reverse {
                    parts.reverse();
                }
                if let Some(n) = keep {
                    let skip = parts.len().saturating_sub(*n);
                    parts.drain(..skip);
                }
                let joined = parts.join(".");
                if *escape {
                    out.push_str(&url_escape(&joined));
                } else {
                    out.push_str(&joined);
                }
            }
        }
    }
    out
}

fn letter_value(letter: char, v: &MacroValues<'_>) -> String {
    let id = v.id;
    match letter {
        's' => format!("{}@{}", id.local, id.sender_domain),
        'l' => id.local.clone(),
        'o' => id.sender_domain.clone(),
        'd' => v.domain.to_string(),
        'i' => match id.ip {
            IpAddr::V4(a) => a.to_string(),
            // Nibbles in the suite's (and pyspf's) upper case; DNS ignores case.
            IpAddr::V6(a) => a
                .octets()
                .iter()
                .flat_map(|b| [b >> 4, b & 0xf])
                .map(|n| format!("{n:X}"))
                .collect::<Vec<_>>()
                .join("."),
        },
        'p' => v.p.to_string(),
        'v' => if id.ip.is_ipv4() { "in-addr" } else { "ip6" }.to_string(),
        'h' => id.helo.clone(),
        'c' => id.ip.to_string(),
        'r' => "unknown".to_string(),
        't' => web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .map(|d| d.as_secs().to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// RFC 3986 2.1: everything outside the unreserved set as `%XX`, upper-case hex.
fn url_escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// True when the first `bits` bits of `a` and `b` agree.
pub fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
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
