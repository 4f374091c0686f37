//! Rule 4 — SPF: does the envelope sender's domain authorise the sending IP?
//!
//! [`record`] is the strict reader of SPF records (RFC 7208 section 12's
//! grammar; pure, no DNS); [`eval`] is `check_host()` over the shared
//! resolver, reading every record it fetches with [`record`] first. This
//! module picks the identities, explains the result (records fetched, the term
//! that decided, lookup counts, the include tree, the term and position behind
//! a permerror), compares it with what the receiver recorded, and words the
//! fix. Why not mail-auth's SPF evaluator: ARCHITECTURE.md, "SPF".

pub mod eval;
pub mod fix;
pub mod record;

pub use crate::details::spf::{
    Identity, LOOKUP_LIMIT, Outcome, ProblemKind, SpfEvaluation, SpfNode, SpfProblem, SpfVia,
    VOID_LIMIT,
};

use super::Context;
use super::receiver::{ReceiverVerdict, recorded_results};
use crate::dns::{Resolver, normalize_name, to_ascii_name, validate_name};
use crate::report::{
    AuthResult, Evidence, RecordedResult, RuleDetails, RuleId, RuleResult, Verdict,
};
use mail_auth::SpfOutput;
use std::net::IpAddr;

impl SpfNode {
    fn new(domain: &str, via: SpfVia) -> Self {
        SpfNode {
            domain: domain.to_string(),
            via,
            record: None,
            record_count: 0,
            problem: None,
            near_miss: None,
            lookups: 0,
            void_lookups: 0,
            children: Vec::new(),
        }
    }
}

impl SpfProblem {
    /// "term 2 `a/33`: …" or the problem alone.
    pub fn describe(&self) -> String {
        match (&self.term, self.position) {
            (Some(term), Some(position)) => format!(
                "term {position} `{}`: {}",
                record::printable(term),
                self.problem
            ),
            _ => self.problem.clone(),
        }
    }
}

/// Rule 4's typed finding: the evaluation and the identity it was made for,
/// so that DMARC reads it instead of evaluating SPF again.
#[derive(Debug, Clone)]
pub struct SpfFinding {
    /// The sending IP evaluated (as the report's sender gives it).
    pub ip: IpAddr,
    /// The HELO name given to [`evaluate`] (empty: `unknown`).
    pub helo: String,
    /// The envelope sender given to [`evaluate`] (empty: the null sender).
    pub mail_from: String,
    /// What [`evaluate`] found.
    pub evaluation: SpfEvaluation,
}

impl SpfFinding {
    /// True when [`evaluate`] with these arguments is this evaluation.
    pub fn is_for(&self, ip: IpAddr, helo: &str, mail_from: &str) -> bool {
        self.ip == ip && helo_name(&self.helo) == helo_name(helo) && self.mail_from == mail_from
    }
}

/// The HELO identity [`evaluate`] checks: `unknown` when none was recorded.
fn helo_name(helo: &str) -> &str {
    if helo.is_empty() { "unknown" } else { helo }
}

/// Runs the check; the finding is `None` when SPF was not evaluated
/// (no sender, offline, nothing to check).
pub async fn check(ctx: &Context<'_>) -> (RuleResult, Option<SpfFinding>) {
    let id = RuleId::Spf;
    let Some(sender) = &ctx.report.sender else {
        let result = RuleResult::new(
            id,
            Verdict::NotApplicable,
            format!("No sending server to check: {}.", ctx.report.sender_reason),
        );
        return (result, None);
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
        return (result, None);
    }
    if mail_from.is_empty() && helo.is_empty() {
        result.verdict = Verdict::Unknown;
        result.summary =
            "Could not check: no envelope sender, From address or HELO name to check.".into();
        return (result, None);
    }

    let evaluation = evaluate(ctx.resolver, ip, &helo, &mail_from).await;
    explain(&mut result, &evaluation, client_ip(ip));
    result.fix_records = fix::spf_fix(&evaluation, client_ip(ip));
    compare_with_receiver(
        &mut result,
        &evaluation,
        &recorded.spf,
        ctx.report.sender.as_ref(),
    );
    result.details = Some(RuleDetails::Spf(Box::new(evaluation.clone())));
    let finding = SpfFinding {
        ip,
        helo,
        mail_from,
        evaluation,
    };
    (result, Some(finding))
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

/// Evaluates SPF for `ip` (RFC 7208 `check_host()`, [`eval`]) through
/// `resolver` — the path the page, the CLI and the conformance suite use. An
/// empty `mail_from` is the null sender: the HELO identity is checked (RFC
/// 7208 2.4). An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is evaluated
/// as the IPv4 address it carries (RFC 7208 5), wherever it came from.
pub async fn evaluate(
    resolver: &Resolver,
    ip: IpAddr,
    helo: &str,
    mail_from: &str,
) -> SpfEvaluation {
    #[cfg(test)]
    EVALUATIONS.with(|count| count.set(count.get() + 1));
    let ip = client_ip(ip);
    let helo_domain = helo_name(helo);
    let (identity, local, domain) = if mail_from.is_empty() {
        (Identity::Helo, "", helo_domain.to_string())
    } else {
        match mail_from.rsplit_once('@') {
            Some((local, d)) => (Identity::MailFrom, local, d.to_string()),
            None => (Identity::MailFrom, "", helo_domain.to_string()),
        }
    };
    let shown_domain = {
        let d = domain.trim();
        d.strip_suffix('.').unwrap_or(d).to_lowercase()
    };
    let domain = normalize_name(&domain);
    let values = eval::Identity {
        ip,
        helo: helo_domain.to_string(),
        // RFC 7208 4.3: an empty local part is "postmaster".
        local: if local.is_empty() {
            "postmaster".into()
        } else {
            local.to_string()
        },
        sender_domain: domain.clone(),
    };
    // RFC 7208 4.3: a malformed or single-label domain is "none". A name
    // from the message is held to the LDH rule before it is sent (ARCHITECTURE
    // invariant 4).
    let ascii = to_ascii_name(&domain).filter(|d| validate_name(d).is_ok());
    let Some(ascii) = ascii else {
        return SpfEvaluation {
            result: Outcome::None,
            domain: domain.clone(),
            shown_domain,
            identity,
            explanation: None,
            tree: Some(SpfNode {
                problem: Some(format!(
                    "not a valid domain name ({})",
                    validate_name(&domain)
                        .err()
                        .unwrap_or_else(|| "not convertible to ASCII".into())
                )),
                ..SpfNode::new(&domain, SpfVia::Top)
            }),
            lookups: 0,
            void_lookups: 0,
            void_terms: Vec::new(),
            decided_by: None,
            decided_in: None,
            permerror: None,
            dns_failures: Vec::new(),
        };
    };
    let checked = eval::check_host(resolver, &values, &ascii).await;
    let (decided_by, decided_in) = match checked.decided_by {
        Some((term, domain)) => (Some(term), Some(domain)),
        None => (None, None),
    };
    SpfEvaluation {
        result: checked.outcome,
        domain: ascii,
        shown_domain,
        identity,
        explanation: checked.explanation,
        tree: Some(checked.tree),
        lookups: checked.lookups,
        void_lookups: checked.void_lookups,
        void_terms: checked.void_terms,
        decided_by,
        decided_in,
        permerror: checked.problem,
        dns_failures: checked.dns_failures,
    }
}

#[cfg(test)]
thread_local! {
    /// Calls of [`evaluate`] on this thread (tests count the evaluations per analysis).
    static EVALUATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The address SPF evaluates: an IPv4-mapped IPv6 address is IPv4.
pub fn client_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// DMARC's SPF input: an evaluation by [`evaluate`] (rule 4's, or one for
/// DMARC's own identity) as mail-auth's `SpfOutput`, so DMARC never counts
/// an SPF pass that rule 4 reads as a permerror.
pub fn dmarc_spf_output(e: &SpfEvaluation) -> SpfOutput {
    SpfOutput::new(e.domain.clone()).with_result(e.result.spf_result())
}

/// The problem of a record the evaluation never asked for (an earlier term
/// decided).
pub(crate) const NOT_REACHED: &str = "not looked up: the evaluation ended before reaching it";

/// What receivers do with a permerror, said in every permerror summary.
const PERMERROR_RECEIVERS: &str =
    "Gmail, Microsoft and most filters treat a permerror as a fail or as no SPF at all";

/// Words the rule's verdict, summary and fix from an evaluation. `ip` is the
/// address SPF evaluated ([`client_ip`]).
fn explain(result: &mut RuleResult, e: &SpfEvaluation, ip: IpAddr) {
    let who = match e.identity {
        Identity::MailFrom => format!("the envelope sender's domain {}", e.shown_domain),
        Identity::Helo => format!("the HELO name {}", e.shown_domain),
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
    if !e.void_terms.is_empty() {
        result
            .evidence
            .push(Evidence::neutral("Void lookups", e.void_terms.join(", ")));
    }
    if let Some(term) = &e.decided_by {
        let value = match &e.decided_in {
            Some(d) if *d != e.domain => format!("`{term}` (in the record of {d})"),
            _ => format!("`{term}`"),
        };
        result.evidence.push(Evidence::neutral("Decided by", value));
    }
    if let Some(p) = &e.permerror {
        result.evidence.push(Evidence::bad(
            "Permerror",
            format!("SPF record of {}: {}", p.domain, p.describe()),
        ));
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
    let ip_term = if ip.is_ipv4() { "ip4" } else { "ip6" };
    let (verdict, summary, fix): (Verdict, String, Option<String>) = match e.result {
        Outcome::Pass => {
            if e.lookups >= LOOKUP_LIMIT - 1 {
                (
                    Verdict::Warn,
                    format!(
                        "SPF pass: {who} authorises {ip}, but the record uses {} of the {LOOKUP_LIMIT} allowed DNS lookups.",
                        e.lookups
                    ),
                    Some(format!(
                        "Flatten or trim includes before one more include pushes the record over the {LOOKUP_LIMIT}-lookup limit (which makes SPF a permerror everywhere)."
                    )),
                )
            } else {
                (
                    Verdict::Pass,
                    format!("SPF pass: {who} authorises {ip}."),
                    None,
                )
            }
        }
        Outcome::Fail => (
            Verdict::Fail,
            format!("SPF fail: {who} says {ip} may not send its mail."),
            Some(format!(
                "If {ip} is your server, add `{ip_term}:{ip}` (or an `include:` of your provider) to the SPF record of {} before the `all` term.",
                e.domain
            )),
        ),
        Outcome::SoftFail => (
            Verdict::Fail,
            format!(
                "SPF softfail: {who} says {ip} is probably not allowed to send its mail (~all)."
            ),
            Some(format!(
                "Add `{ip_term}:{ip}` (or your provider's `include:`) to the SPF record of {}; receivers treat softfail as suspicious.",
                e.domain
            )),
        ),
        Outcome::Neutral => (
            Verdict::Warn,
            format!("SPF neutral: {who} makes no statement about {ip}."),
            Some(format!(
                "Authorise {ip} explicitly (`{ip_term}:{ip}`) and end the record of {} with `-all` or `~all` so receivers can tell your mail from forgeries.",
                e.domain
            )),
        ),
        Outcome::None => {
            let near_miss = e.tree.as_ref().and_then(|t| t.near_miss.as_ref());
            match near_miss {
                Some(why) => (
                    Verdict::Fail,
                    format!("No SPF record: {who} has a TXT record meant as SPF, but it {why}."),
                    Some(format!(
                        "Rewrite the TXT record at {} so that it begins exactly with `v=spf1 ` (delete what comes before it; a byte-order mark is invisible, so retype the start of the record).",
                        e.domain
                    )),
                ),
                None => (
                    Verdict::Fail,
                    format!("No SPF record: {who} publishes no SPF policy."),
                    Some(format!(
                        "Publish a TXT record at {} such as `v=spf1 {ip_term}:{ip} ~all` (add your providers' includes; once every server that sends for {} is listed, end it with `-all`).",
                        e.domain, e.domain
                    )),
                ),
            }
        }
        Outcome::PermError => {
            let (why, fix) = permerror_words(e);
            (
                Verdict::Fail,
                format!("SPF permerror for {who}: {why}. {PERMERROR_RECEIVERS}."),
                Some(fix),
            )
        }
        Outcome::TempError => (
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

/// The reason and the fix for a permerror: both name the record and the
/// term that caused it; the fix never suggests adding the IP (the record is
/// broken for every sender, not only this one).
fn permerror_words(e: &SpfEvaluation) -> (String, String) {
    let Some(p) = &e.permerror else {
        return (
            "the record could not be evaluated".into(),
            format!(
                "Check the SPF record of {} with an RFC 7208 validator.",
                e.domain
            ),
        );
    };
    let term = p
        .term
        .as_deref()
        .map(|t| format!("`{}`", record::printable(t)));
    let at = match (&term, p.position) {
        (Some(t), Some(n)) => format!("term {n} {t} of the SPF record of {}", p.domain),
        _ => format!("the SPF record of {}", p.domain),
    };
    let fix_term = term.clone().unwrap_or_else(|| "the record".into());
    match p.kind {
        ProblemKind::Syntax => (
            format!("{at} is invalid: {}", p.problem),
            format!(
                "Correct or remove {fix_term} in the SPF record of {} (term {}); the whole record is ignored until then.",
                p.domain,
                p.position.unwrap_or_default()
            ),
        ),
        ProblemKind::MultipleRecords => (
            format!("two or more SPF records at one name ({})", p.domain),
            format!(
                "Two SPF records at {}: merge them into one TXT record starting with `v=spf1`.",
                p.domain
            ),
        ),
        ProblemKind::LookupLimit => (
            format!(
                "{} DNS lookups, more than the limit of {LOOKUP_LIMIT} ({at} is one too many)",
                e.lookups
            ),
            format!(
                "More than {LOOKUP_LIMIT} lookups: flatten includes (replace some with the ip4:/ip6: ranges they contain) or drop unused ones; the evaluation stopped at {fix_term} in the record of {}.",
                p.domain
            ),
        ),
        ProblemKind::VoidLimit => (
            format!(
                "{} void lookups, more than the limit of {VOID_LIMIT} ({at} is the one over)",
                e.void_lookups
            ),
            format!(
                "Remove or correct the terms that name domains with no records: {}.",
                e.void_terms.join(", ")
            ),
        ),
        ProblemKind::MxLimit => (
            format!("{at}: {}", p.problem),
            format!(
                "Replace {fix_term} in the SPF record of {} with `a:` terms or ip4:/ip6: ranges of the hosts that send mail.",
                p.domain
            ),
        ),
        ProblemKind::TargetWithoutSpf => (
            format!("{at}: {}", p.problem),
            format!(
                "Fix {fix_term} in the SPF record of {}: name a domain that publishes SPF (check the spelling), or remove the term.",
                p.domain
            ),
        ),
    }
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
        let recorded_result = RecordedResult::parse(&r.result);
        let same = AuthResult::from(e.result).agrees_with(&recorded_result);
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
            let why = if recorded_result.word() == Some(AuthResult::Pass)
                && e.result != Outcome::Pass
            {
                "it passed at delivery: the SPF record may have changed since, or the receiver checked another IP (e.g. a forwarder's)"
            } else if e.result == Outcome::Pass {
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

#[cfg(test)]
mod tests {
    use super::eval::{MacroValues, expand_with};
    use super::*;
    use crate::dns::{Answer, Lookup, QType, Rdata};

    type Fixture = ((String, QType), Lookup);

    fn txt(name: &str, text: &str) -> Fixture {
        (
            (name.into(), QType::Txt),
            Ok(Answer::Records(vec![Rdata::Txt(text.as_bytes().to_vec())])),
        )
    }

    fn a(name: &str, ip: &str) -> Fixture {
        let ip = ip.parse().expect("fixture address");
        (
            (name.into(), QType::A),
            Ok(Answer::Records(vec![Rdata::A(ip)])),
        )
    }

    fn nx(name: &str, qtype: QType) -> Fixture {
        ((name.into(), qtype), Ok(Answer::NxDomain))
    }

    /// SPF evaluations in one analysis of `raw` (sent from 192.0.2.10 by
    /// `mx.example.org`), and the analysis's report.
    fn evaluations_in_analysis(raw: &str) -> (usize, crate::Report) {
        let resolver = Resolver::with_fixtures_as_dns([
            txt("example.org", "v=spf1 ip4:192.0.2.10 -all"),
            txt("mail.example.org", "v=spf1 -all"),
            txt("_dmarc.example.org", "v=DMARC1; p=reject"),
            nx("_dmarc.org", QType::Txt),
        ]);
        let before = EVALUATIONS.with(std::cell::Cell::get);
        let report = futures::executor::block_on(crate::analyze_with(
            raw.as_bytes(),
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .expect("a message");
        (EVALUATIONS.with(std::cell::Cell::get) - before, report)
    }

    const RECEIVED: &str = "Received: from mail.example.org (mail.example.org [192.0.2.10])\r\n\
         \tby mx.example.net with ESMTPS id 1; Tue, 1 Jul 2025 10:00:00 +0000\r\n";

    #[test]
    fn spf_is_evaluated_once_per_identity() {
        // With a Return-Path, rule 4 and DMARC check the same identity: one
        // evaluation, whose pass DMARC counts.
        let raw = format!(
            "Return-Path: <a@example.org>\r\n{RECEIVED}From: a@example.org\r\n\
             Subject: x\r\n\r\nbody\r\n"
        );
        let (count, report) = evaluations_in_analysis(&raw);
        assert_eq!(count, 1, "{:#?}", report.rules[3]);
        assert_eq!(
            report.rules[3].spf_details().map(|e| e.result),
            Some(Outcome::Pass)
        );
        let dmarc = report.beyond.dmarc.expect("DMARC evaluated");
        assert!(
            dmarc.spf_aligned && dmarc.result == crate::report::DmarcStatus::Pass,
            "{dmarc:#?}"
        );
        // Without one, rule 4 checks the From domain and DMARC the HELO
        // name (mail.example.org: -all): two identities, two evaluations.
        let raw = format!("{RECEIVED}From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n");
        let (count, report) = evaluations_in_analysis(&raw);
        assert_eq!(count, 2, "{:#?}", report.rules[3]);
        assert_eq!(
            report.rules[3].spf_details().map(|e| e.result),
            Some(Outcome::Pass)
        );
        let dmarc = report.beyond.dmarc.expect("DMARC evaluated");
        assert!(
            !dmarc.spf_aligned && dmarc.result == crate::report::DmarcStatus::Fail,
            "{dmarc:#?}"
        );
    }

    fn run(fixtures: Vec<Fixture>, ip: &str, mail_from: &str) -> SpfEvaluation {
        let resolver = Resolver::with_fixtures(fixtures);
        let ip = ip.parse().expect("test address");
        futures::executor::block_on(evaluate(&resolver, ip, "mail.example.org", mail_from))
    }

    fn explained(e: &SpfEvaluation, ip: &str) -> RuleResult {
        let mut result = RuleResult::new(RuleId::Spf, Verdict::Unknown, "");
        explain(&mut result, e, ip.parse().expect("test address"));
        result
    }

    #[test]
    fn include_decides_as_the_include_term() {
        let e = run(
            vec![
                txt("a.example", "v=spf1 include:b.example -all"),
                txt("b.example", "v=spf1 ip4:192.0.2.0/24 -all"),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "pass");
        assert_eq!(e.decided_by.as_deref(), Some("include:b.example"));
        assert_eq!(e.decided_in.as_deref(), Some("a.example"));
        assert_eq!(e.lookups, 1);
        // A no-match inside the include (its -all) is not the top's result.
        let e = run(
            vec![
                txt("a.example", "v=spf1 include:b.example ~all"),
                txt("b.example", "v=spf1 ip4:192.0.2.0/24 -all"),
            ],
            "198.51.100.1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "softfail");
        assert_eq!(e.decided_by.as_deref(), Some("~all"));
    }

    #[test]
    fn redirect_decides_in_the_target_and_uses_its_explanation() {
        let fixtures = vec![
            txt(
                "a.example",
                "v=spf1 ip4:203.0.113.9 redirect=b.example exp=why-a.example",
            ),
            txt("b.example", "v=spf1 -all exp=why-b.example"),
            txt("why-a.example", "not this one"),
            txt("why-b.example", "%{i} may not send for %{d} (%{l})"),
        ];
        let e = run(fixtures, "192.0.2.1", "@a.example");
        assert_eq!(e.result.name(), "fail");
        assert_eq!(e.decided_by.as_deref(), Some("-all"));
        assert_eq!(e.decided_in.as_deref(), Some("b.example"));
        // RFC 7208 6.2: the redirect target's exp=, %{d} its domain, and
        // an empty local part is "postmaster".
        assert_eq!(
            e.explanation.as_deref(),
            Some("192.0.2.1 may not send for b.example (postmaster)")
        );
        let rule = explained(&e, "192.0.2.1");
        let decided: Vec<&str> = rule
            .evidence
            .iter()
            .filter(|ev| ev.label == "Decided by")
            .map(|ev| ev.value.as_str())
            .collect();
        assert_eq!(decided, ["`-all` (in the record of b.example)"]);
    }

    #[test]
    fn include_explanation_is_not_used() {
        // RFC 7208 6.2: an include's exp= is never used; the included record
        // fails (so the include does not match) and the top's -all decides
        // with the top's explanation. The include's exp= is not even fetched.
        let resolver = Resolver::with_fixtures(vec![
            txt(
                "a.example",
                "v=spf1 include:b.example -all exp=why-a.example",
            ),
            txt("b.example", "v=spf1 -all exp=why-b.example"),
            txt("why-a.example", "from a"),
            txt("why-b.example", "from b"),
        ]);
        let ip = "192.0.2.1".parse().expect("ip");
        let e = futures::executor::block_on(evaluate(&resolver, ip, "h.example", "x@a.example"));
        assert_eq!(e.result.name(), "fail");
        assert_eq!(e.explanation.as_deref(), Some("from a"));
        let asked: Vec<String> = resolver.log().into_iter().map(|l| l.name).collect();
        assert!(!asked.iter().any(|n| n == "why-b.example"), "{asked:?}");
    }

    #[test]
    fn macro_terms_are_attributed() {
        let e = run(
            vec![
                txt(
                    "a.example",
                    "v=spf1 -exists:%{ir}.bl.example include:%{d}.spf.example -all",
                ),
                nx("1.2.0.192.bl.example", QType::A),
                txt("a.example.spf.example", "v=spf1 ip4:192.0.2.1"),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "pass");
        assert_eq!(e.decided_by.as_deref(), Some("include:%{d}.spf.example"));
        assert_eq!(e.void_lookups, 1);
        let tree = e.tree.expect("tree");
        assert_eq!(tree.children[0].domain, "a.example.spf.example");
    }

    #[test]
    fn each_record_counts_its_own_lookups_and_void_lookups() {
        // The page draws these per record; they add up to the totals.
        let e = run(
            vec![
                txt(
                    "a.example",
                    "v=spf1 a:void1.example include:b.example ip4:198.51.100.1 -all",
                ),
                nx("void1.example", QType::A),
                txt(
                    "b.example",
                    "v=spf1 exists:void2.example a:h.example ip4:192.0.2.1 -all",
                ),
                nx("void2.example", QType::A),
                a("h.example", "203.0.113.1"),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        let tree = e.tree.as_ref().expect("tree");
        assert_eq!((tree.lookups, tree.void_lookups), (2, 1), "a:, include:");
        let b = &tree.children[0];
        assert_eq!((b.lookups, b.void_lookups), (2, 1), "exists:, a:");
        assert_eq!((e.result, e.lookups, e.void_lookups), (Outcome::Pass, 4, 2));
        // A redirect is the redirecting record's lookup.
        let e = run(
            vec![
                txt("a.example", "v=spf1 redirect=b.example"),
                txt("b.example", "v=spf1 ip4:192.0.2.1 -all"),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        let tree = e.tree.as_ref().expect("tree");
        assert_eq!((tree.lookups, tree.children[0].lookups), (1, 0));
        // Read back as the page reads rule 4's details.
        let json = serde_json::to_value(&e).expect("serialises");
        let back: SpfEvaluation = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back.tree.expect("tree").lookups, 1);
    }

    /// A record with `n` a: terms that find an address other than the client's.
    fn lookups_record(n: usize) -> Vec<Fixture> {
        let terms: Vec<String> = (1..=n).map(|i| format!("a:h{i}.example")).collect();
        let mut fixtures = vec![txt(
            "a.example",
            &format!("v=spf1 {} ip4:192.0.2.1 -all", terms.join(" ")),
        )];
        fixtures.extend((1..=n).map(|i| a(&format!("h{i}.example"), "203.0.113.1")));
        fixtures
    }

    #[test]
    fn nine_or_ten_lookups_warn_on_pass() {
        let e = run(lookups_record(8), "192.0.2.1", "x@a.example");
        assert_eq!((e.result.name(), e.lookups), ("pass", 8));
        assert_eq!(explained(&e, "192.0.2.1").verdict, Verdict::Pass);
        for n in [9, 10] {
            let e = run(lookups_record(n), "192.0.2.1", "x@a.example");
            assert_eq!((e.result.name(), e.lookups), ("pass", n));
            let rule = explained(&e, "192.0.2.1");
            assert_eq!(rule.verdict, Verdict::Warn, "{n}");
            assert!(
                rule.summary
                    .contains(&format!("uses {n} of the 10 allowed DNS lookups")),
                "{}",
                rule.summary
            );
        }
        let e = run(lookups_record(11), "192.0.2.1", "x@a.example");
        assert_eq!((e.result.name(), e.lookups), ("permerror", 11));
        let p = e.permerror.as_ref().expect("located");
        assert_eq!((p.kind, p.position), (ProblemKind::LookupLimit, Some(11)));
        assert_eq!(p.term.as_deref(), Some("a:h11.example"));
    }

    #[test]
    fn permerror_wording_names_the_term_and_what_receivers_do() {
        let e = run(
            vec![
                txt("a.example", "v=spf1 include:b.example -all"),
                txt(
                    "b.example",
                    "v=spf1 ip4:192.0.2.1 a:mail.example.com:8080 -all",
                ),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "permerror");
        let p = e.permerror.as_ref().expect("located");
        assert_eq!(p.domain, "b.example");
        assert_eq!(p.position, Some(2));
        let rule = explained(&e, "192.0.2.1");
        assert_eq!(rule.verdict, Verdict::Fail);
        assert!(
            rule.summary.contains(
                "term 2 `a:mail.example.com:8080` of the SPF record of b.example is invalid"
            ),
            "{}",
            rule.summary
        );
        assert!(
            rule.summary.contains(PERMERROR_RECEIVERS),
            "{}",
            rule.summary
        );
        let fix = rule.fix.unwrap_or_default();
        assert!(
            fix.starts_with("Correct or remove `a:mail.example.com:8080` in the SPF record of b.example (term 2)"),
            "{fix}"
        );
        assert!(!fix.contains("ip4:192.0.2.1"), "{fix}");
    }

    #[test]
    fn include_without_spf_names_the_include() {
        let e = run(
            vec![
                txt(
                    "a.example",
                    "v=spf1 ip4:203.0.113.1 include:typo.example -all",
                ),
                nx("typo.example", QType::Txt),
            ],
            "192.0.2.1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "permerror");
        let rule = explained(&e, "192.0.2.1");
        assert!(
            rule.summary
                .contains("term 2 `include:typo.example` of the SPF record of a.example"),
            "{}",
            rule.summary
        );
        assert!(
            rule.fix
                .unwrap_or_default()
                .starts_with("Fix `include:typo.example` in the SPF record of a.example")
        );
    }

    #[test]
    fn ipv4_mapped_client_is_ipv4() {
        let e = run(
            vec![txt("a.example", "v=spf1 ip6:::/0 ip4:192.0.2.1 -all")],
            "::ffff:192.0.2.1",
            "x@a.example",
        );
        assert_eq!(e.decided_by.as_deref(), Some("ip4:192.0.2.1"));
        assert_eq!(
            client_ip("::ffff:192.0.2.1".parse().expect("ip")),
            "192.0.2.1".parse::<IpAddr>().expect("ip")
        );
        // A genuine IPv6 client is not mapped, and ip4 never matches it.
        let e = run(
            vec![txt("a.example", "v=spf1 ip4:0.0.0.0/0 -all")],
            "2001:db8::1",
            "x@a.example",
        );
        assert_eq!(e.result.name(), "fail");
    }

    #[test]
    fn invalid_message_domain_is_none_without_a_query() {
        let e = run(Vec::new(), "192.0.2.1", "x@[192.0.2.1]");
        assert_eq!(e.result.name(), "none");
        let e = run(Vec::new(), "192.0.2.1", "x@localhost");
        assert_eq!(e.result.name(), "none");
    }

    #[test]
    fn rfc_7208_macro_examples() {
        // RFC 7208 7.4, sender strong-bad@email.example.com, client 192.0.2.3.
        let id = eval::Identity {
            ip: "192.0.2.3".parse().expect("ip"),
            helo: "mx.example.org".into(),
            local: "strong-bad".into(),
            sender_domain: "email.example.com".into(),
        };
        let values = MacroValues {
            id: &id,
            domain: "email.example.com",
            p: "unknown",
        };
        let cases = [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            (
                "%{ir}.%{v}._spf.%{d2}",
                "3.2.0.192.in-addr._spf.example.com",
            ),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            ("%{S}", "strong-bad%40email.example.com"),
            ("%%%_%-", "% %20"),
        ];
        for (spec, want) in cases {
            let parsed = record::macro_string(spec, false).expect(spec);
            assert_eq!(expand_with(&parsed, &values), want, "{spec}");
        }
    }
}
