//! Rule 4's exact fix: the SPF record to publish, computed from the typed
//! evaluation ([`SpfEvaluation`]) without DNS, so every case is unit-tested.
//!
//! - fail / softfail / neutral: the current record with `ip4:<ip>` /
//!   `ip6:<ip>` (the address itself, never a guessed range) inserted before
//!   the term that decided (usually `all`), or before `redirect=` when the
//!   decision came from the redirect target, or at the end. Every other term
//!   stays as written; the lookup count of the result is given.
//! - none: a new record `v=spf1 ip4:<ip> ~all`, `~all` because Sendtrust
//!   cannot know the domain's other senders (the note says when to use `-all`).
//! - permerror: the corrected term when the correction is mechanical (an
//!   out-of-range or zero-padded CIDR length); otherwise no value, and
//!   `needs` names the fact the fix needs.
//! - an envelope domain that is a sending service's bounce domain: the
//!   record is the service's; the note says to set up a custom return-path.

use super::record::{self, Mechanism};
use super::{LOOKUP_LIMIT, Outcome, ProblemKind, SpfEvaluation, SpfNode, SpfProblem, SpfVia};
use crate::domain;
use crate::lists::sending_services::bounce_service;
use crate::report::{RecordFix, RuleResult, Verdict};
use std::net::IpAddr;

/// The records to publish so that `ip` passes SPF for the evaluated domain;
/// empty when there is nothing to publish (pass, temperror).
pub fn spf_fix(e: &SpfEvaluation, ip: IpAddr) -> Vec<RecordFix> {
    match e.result {
        Outcome::Fail | Outcome::SoftFail | Outcome::Neutral => {
            authorise(e, ip).into_iter().collect()
        }
        Outcome::None => vec![new_record(e, ip)],
        Outcome::PermError => e
            .permerror
            .as_ref()
            .map(|p| correct_permerror(e, p))
            .into_iter()
            .collect(),
        Outcome::Pass | Outcome::TempError => Vec::new(),
    }
}

/// When rule 1 found the sending address residential — a strong sign: a
/// residential reverse name or a policy-blocklist listing such as the PBL —
/// authorising that address in SPF is the wrong fix: it changes, and
/// receivers refuse mail from it whatever SPF says. The fix becomes "send
/// through your provider's relay and authorise the relay": every record
/// that would add `ip` gets the relay's `include:` as the fact it needs, and
/// the rule's fix says why. Returns whether anything changed.
pub fn for_residential_sender(spf: &mut RuleResult, static_ip: &RuleResult, ip: IpAddr) -> bool {
    let residential = static_ip.verdict == Verdict::Fail
        && static_ip
            .static_ip_details()
            .is_some_and(|d| !d.signals.strong.is_empty());
    if !residential || spf.verdict == Verdict::Pass {
        return false;
    }
    let term = ip_term(ip);
    let mut changed = false;
    for record in &mut spf.fix_records {
        let Some(value) = record.value.as_deref() else {
            continue;
        };
        let Some(written) = terms(value) else {
            continue;
        };
        if !written.contains(&term.as_str()) {
            continue;
        }
        let template: Vec<String> = written
            .iter()
            .map(|t| {
                if *t == term {
                    "include:<your relay's SPF domain>".to_string()
                } else {
                    t.to_string()
                }
            })
            .collect();
        record.template = Some(join(&template));
        record.value = None;
        // The relay's record adds lookups Sendtrust cannot count yet.
        let lookups_before = record.lookups;
        record.lookups = None;
        record.needs = Some(
            "the SPF domain of the relay (smarthost) you will send through — your mail \
             provider documents the include: to use"
                .into(),
        );
        record.note = Some(format!(
            "{ip} is a residential address (see Static IP): do not add `{term}`. Send through \
             your provider's relay with SMTP authentication and authorise the relay instead.{}",
            lookups_before.map_or(String::new(), |l| format!(
                " The record costs {} of the 10 DNS lookups SPF allows, plus the relay's own.",
                l + 1
            ))
        ));
        changed = true;
    }
    if changed {
        spf.fix = Some(format!(
            "Do not authorise {ip}: it is a residential address (see Static IP), and receivers \
             refuse mail from such addresses whatever SPF says. Send through your provider's \
             relay (smarthost) with SMTP authentication, and add the relay's `include:` to the \
             SPF record."
        ));
    }
    changed
}

/// The term that authorises exactly `ip`.
fn ip_term(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip4:{v4}"),
        IpAddr::V6(v6) => format!("ip6:{v6}"),
    }
}

/// The terms after `v=spf1`, split as RFC 7208 4.6.1 splits them (spaces
/// only); `None` when the text is not an SPF record.
fn terms(text: &str) -> Option<Vec<&str>> {
    if !record::is_spf_record(text.as_bytes()) {
        return None;
    }
    Some(
        text.get(6..)?
            .split(' ')
            .filter(|t| !t.is_empty())
            .collect(),
    )
}

fn join(terms: &[String]) -> String {
    let mut out = String::from("v=spf1");
    for t in terms {
        out.push(' ');
        out.push_str(t);
    }
    out
}

/// Who changes the SPF record of `domain`, and a note when that is a sending
/// service rather than the sender.
fn controller(domain: &str) -> (String, Option<String>) {
    if let Some(service) = bounce_service(domain) {
        return (
            format!("{service} (the sending service owns {domain})"),
            Some(format!(
                "{domain} is {service}'s bounce domain, not yours: only {service} can change its \
                 SPF record. The fix is on the service's side: set up a custom return-path \
                 (MAIL FROM / bounce domain) under your own domain in {service}'s settings, so \
                 that SPF is checked against a record in your DNS."
            )),
        );
    }
    let zone = domain::org_domain(domain).unwrap_or_else(|| domain.to_string());
    (format!("the DNS of {zone}"), None)
}

/// The DNS lookups RFC 7208 4.6.4 counts for the record in `node` and what it
/// includes (worst case: every term evaluated), and whether every record it
/// names was read (else the count is a lower bound).
fn lookups_of(node: &SpfNode) -> (usize, bool) {
    let Some(parsed) = node
        .record
        .as_deref()
        .and_then(|r| record::parse(r.as_bytes()).ok())
    else {
        return (0, false);
    };
    let has_all = parsed
        .directives
        .iter()
        .any(|d| d.mechanism == Mechanism::All);
    let mut count = parsed
        .directives
        .iter()
        .filter(|d| d.mechanism.queries_dns())
        .count();
    // RFC 7208 6.1: redirect is ignored when the record has `all`.
    if parsed.redirect.is_some() && !has_all {
        count += 1;
    }
    let mut complete = true;
    for child in &node.children {
        if child.via == SpfVia::Redirect && has_all {
            continue;
        }
        if child.record.is_none() {
            complete = false;
            continue;
        }
        let (n, c) = lookups_of(child);
        count += n;
        complete &= c;
    }
    (count, complete)
}

/// The includes (and redirect) of `node` with the lookups each one costs
/// (itself plus its own record's), heaviest first.
fn heaviest_includes(node: &SpfNode) -> Vec<(String, usize)> {
    let mut weights: Vec<(String, usize)> = node
        .children
        .iter()
        .filter(|c| c.record.is_some())
        .map(|c| {
            let term = if c.via == SpfVia::Redirect {
                format!("redirect={}", c.domain)
            } else {
                format!("include:{}", c.domain)
            };
            (term, 1 + lookups_of(c).0)
        })
        .collect();
    weights.sort_by_key(|w| std::cmp::Reverse(w.1));
    weights
}

fn lookup_note(lookups: usize, complete: bool) -> String {
    let at_least = if complete { "" } else { "at least " };
    format!("The record costs {at_least}{lookups} of the {LOOKUP_LIMIT} DNS lookups SPF allows.")
}

/// fail / softfail / neutral: add the address to the top record.
fn authorise(e: &SpfEvaluation, ip: IpAddr) -> Option<RecordFix> {
    let tree = e.tree.as_ref()?;
    let current = tree.record.as_deref()?;
    let parsed = record::parse(current.as_bytes()).ok()?;
    let written = terms(current)?;
    let decided_here = e.decided_in.as_deref().is_none_or(|d| d == e.domain);
    // Insert before the term that decided when it is in this record (a
    // `-ip4:` range that excludes the address would otherwise still match
    // first), else before `all`, else before `redirect=`, else at the end.
    let decider = e
        .decided_by
        .as_deref()
        .filter(|_| decided_here)
        .and_then(|t| parsed.directives.iter().find(|d| d.text == t))
        .map(|d| d.position);
    let all = parsed
        .directives
        .iter()
        .find(|d| d.mechanism == Mechanism::All)
        .map(|d| d.position);
    let redirect = parsed.redirect.as_ref().map(|m| m.position);
    let at = decider
        .or(all)
        .or(redirect)
        .map_or(written.len(), |p| p.saturating_sub(1));
    let mut new_terms: Vec<String> = written.iter().map(|t| t.to_string()).collect();
    new_terms.insert(at.min(new_terms.len()), ip_term(ip));
    let value = join(&new_terms);
    let mut fixed = tree.clone();
    fixed.record = Some(value.clone());
    let (lookups, complete) = lookups_of(&fixed);
    let (controlled_by, service_note) = controller(&e.domain);
    let mut note = format!(
        "Adds `{}` before `{}`; every other term is kept as written. {}",
        ip_term(ip),
        new_terms.get(at + 1).map_or("the end", String::as_str),
        lookup_note(lookups, complete)
    );
    if lookups > LOOKUP_LIMIT {
        note.push_str(&over_limit_words(&fixed));
    }
    if let Some(s) = service_note {
        note = format!("{s} {note}");
    }
    Some(RecordFix {
        name: e.domain.clone(),
        rtype: "TXT".into(),
        value: Some(value),
        replaces: Some(current.to_string()),
        controlled_by,
        needs: None,
        lookups: Some(lookups),
        template: None,
        note: Some(note),
    })
}

fn over_limit_words(node: &SpfNode) -> String {
    let heavy = heaviest_includes(node);
    if heavy.is_empty() {
        return format!(
            " Over the limit of {LOOKUP_LIMIT}: replace `a`/`mx`/`exists` terms with the \
             ip4:/ip6: ranges they stand for."
        );
    }
    let list = heavy
        .iter()
        .take(3)
        .map(|(t, n)| format!("`{t}` ({n})"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        " Over the limit of {LOOKUP_LIMIT}: the heaviest terms are {list}; replace them with \
         the ip4:/ip6: ranges they publish (flattening), or drop the ones you no longer use."
    )
}

/// none: a new record.
fn new_record(e: &SpfEvaluation, ip: IpAddr) -> RecordFix {
    let (controlled_by, service_note) = controller(&e.domain);
    let near_miss = e.tree.as_ref().and_then(|t| t.near_miss.clone());
    if let Some(why) = near_miss {
        return RecordFix {
            name: e.domain.clone(),
            rtype: "TXT".into(),
            value: None,
            replaces: None,
            controlled_by,
            needs: Some(
                "the record as you meant it, retyped so that it starts exactly with `v=spf1 `"
                    .into(),
            ),
            lookups: None,
            template: None,
            note: Some(format!(
                "A TXT record at {} is meant as SPF but {why}; receivers ignore it.",
                e.domain
            )),
        };
    }
    let mut note = format!(
        "`~all` because Sendtrust cannot know which other servers send mail for {}: list them \
         (or your providers' `include:` terms) too, then change `~all` to `-all`. {}",
        e.domain,
        lookup_note(0, true)
    );
    if let Some(s) = service_note {
        note = format!("{s} {note}");
    }
    RecordFix {
        name: e.domain.clone(),
        rtype: "TXT".into(),
        value: Some(format!("v=spf1 {} ~all", ip_term(ip))),
        replaces: None,
        controlled_by,
        needs: None,
        lookups: Some(0),
        template: None,
        note: Some(note),
    }
}

/// The node of the tree that holds `domain`'s record (first in tree order).
fn node_of<'t>(node: &'t SpfNode, domain: &str) -> Option<&'t SpfNode> {
    if node.domain.eq_ignore_ascii_case(domain) && node.record.is_some() {
        return Some(node);
    }
    node.children.iter().find_map(|c| node_of(c, domain))
}

/// A CIDR length that is written with leading zeros (`/032`) or is out of
/// range: the mechanical corrections, in order of preference — the same
/// length without padding, then the term without its CIDR part.
fn cidr_corrections(term: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(slash) = term.find('/') {
        let (head, cidr) = term.split_at(slash);
        // Zero-padded lengths: `/032` → `/32`, `//0064` → `//64`.
        let unpadded: String = cidr
            .split('/')
            .map(|n| {
                let t = n.trim_start_matches('0');
                if t.is_empty() && !n.is_empty() {
                    "0"
                } else {
                    t
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        if unpadded != cidr {
            out.push(format!("{head}{unpadded}"));
        }
        out.push(head.to_string());
    }
    out
}

/// permerror: the corrected record when the correction is mechanical.
fn correct_permerror(e: &SpfEvaluation, p: &SpfProblem) -> RecordFix {
    let (controlled_by, _) = controller(&p.domain);
    let current = e
        .tree
        .as_ref()
        .and_then(|t| node_of(t, &p.domain))
        .and_then(|n| n.record.clone());
    let mut fix = RecordFix {
        name: p.domain.clone(),
        rtype: "TXT".into(),
        value: None,
        replaces: current.clone(),
        controlled_by,
        needs: None,
        lookups: None,
        template: None,
        note: Some(format!("SPF record of {}: {}.", p.domain, p.describe())),
    };
    match p.kind {
        ProblemKind::Syntax => {
            if let (Some(term), Some(position), Some(current)) = (&p.term, p.position, &current) {
                if let Some(value) = corrected_record(current, term, position) {
                    let tree_node = e.tree.as_ref().and_then(|t| node_of(t, &p.domain));
                    let (lookups, complete) = tree_node.map_or((0, false), |n| {
                        let mut fixed = n.clone();
                        fixed.record = Some(value.clone());
                        lookups_of(&fixed)
                    });
                    fix.note = Some(format!(
                        "{} The corrected record drops the invalid CIDR length (the term then \
                         means the address or name itself); write the range you meant if it \
                         was wider. {}",
                        fix.note.unwrap_or_default(),
                        lookup_note(lookups, complete)
                    ));
                    fix.lookups = Some(lookups);
                    fix.value = Some(value);
                    return fix;
                }
                fix.needs = Some(format!(
                    "what term {position} `{term}` of the record of {} was meant to be",
                    p.domain
                ));
            } else {
                fix.needs = Some(format!("a valid SPF record for {}", p.domain));
            }
        }
        ProblemKind::MultipleRecords => {
            fix.needs = Some(format!(
                "the text of every SPF record at {} (Sendtrust keeps the first only), to merge \
                 their terms into one record with a single `all` at the end and delete the others",
                p.domain
            ));
        }
        ProblemKind::LookupLimit => {
            let over = e
                .tree
                .as_ref()
                .and_then(|t| node_of(t, &p.domain))
                .map(over_limit_words)
                .unwrap_or_default();
            fix.needs = Some(
                "the ip4:/ip6: ranges your providers send from, to replace their includes \
                 (Sendtrust does not flatten includes: providers change their ranges)"
                    .into(),
            );
            fix.note = Some(format!("{}{over}", fix.note.unwrap_or_default()));
        }
        ProblemKind::VoidLimit => {
            fix.needs = Some(format!(
                "which of the terms that found nothing ({}) are still needed; remove the others",
                e.void_terms.join(", ")
            ));
        }
        ProblemKind::MxLimit => {
            fix.needs = Some(
                "the hosts that send mail, to replace the `mx` term with `a:` or ip4:/ip6: terms"
                    .into(),
            );
        }
        ProblemKind::TargetWithoutSpf => {
            fix.needs = Some(
                "the domain the term should name (check the spelling), or whether to remove it"
                    .into(),
            );
        }
    }
    fix
}

/// `current` with the term at `position` replaced by the first mechanical
/// correction that makes the whole record valid; `None` when there is none.
fn corrected_record(current: &str, term: &str, position: usize) -> Option<String> {
    let written = terms(current)?;
    let index = position.checked_sub(1)?;
    if written.get(index) != Some(&term) {
        return None;
    }
    cidr_corrections(term).into_iter().find_map(|candidate| {
        let mut new_terms: Vec<String> = written.iter().map(|t| t.to_string()).collect();
        new_terms[index] = candidate;
        let value = join(&new_terms);
        record::parse(value.as_bytes()).ok().map(|_| value)
    })
}

#[cfg(test)]
mod tests {
    use super::super::Identity;
    use super::*;

    fn node(domain: &str, via: SpfVia, record: Option<&str>, children: Vec<SpfNode>) -> SpfNode {
        SpfNode {
            domain: domain.into(),
            via,
            record: record.map(Into::into),
            record_count: usize::from(record.is_some()),
            problem: None,
            near_miss: None,
            lookups: 0,
            void_lookups: 0,
            children,
        }
    }

    fn eval(result: &str, domain: &str, tree: SpfNode, decided_by: Option<&str>) -> SpfEvaluation {
        SpfEvaluation {
            result: serde_json::from_value(serde_json::Value::String(result.into()))
                .expect("an SPF result word"),
            domain: domain.into(),
            shown_domain: domain.into(),
            identity: Identity::MailFrom,
            explanation: None,
            tree: Some(tree),
            lookups: 0,
            void_lookups: 0,
            void_terms: Vec::new(),
            decided_by: decided_by.map(Into::into),
            decided_in: Some(domain.into()),
            permerror: None,
            dns_failures: Vec::new(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn a_residential_sender_gets_the_relay_not_its_address() {
        use crate::details::static_ip::StaticIpDetails;
        use crate::report::{RuleDetails, RuleId};
        let tree = node("home.example", SpfVia::Top, Some("v=spf1 mx ~all"), vec![]);
        let e = eval("softfail", "home.example", tree, Some("~all"));
        let addr = ip("203.0.113.77");
        let mut spf = RuleResult::new(RuleId::Spf, Verdict::Fail, "softfail");
        spf.fix_records = spf_fix(&e, addr);
        let before = spf.clone();
        // Rule 1's details with one strong sign (the PBL), from the JSON the
        // report carries.
        let details: StaticIpDetails = serde_json::from_value(serde_json::json!({
            "ip": "203.0.113.77", "hop_index": 0, "chosen_by": "auto", "reason": "r",
            "ptr": {"query": "77.113.0.203.in-addr.arpa", "status": "nxdomain"},
            "helo": {"kind": "missing"},
            "lists": [],
            "signals": {"strong": ["Spamhaus PBL"], "weak": []}
        }))
        .expect("rule 1 details");
        let mut static_ip = RuleResult::new(RuleId::StaticIp, Verdict::Fail, "dynamic");
        static_ip.details = Some(RuleDetails::StaticIp(Box::new(details)));
        assert!(for_residential_sender(&mut spf, &static_ip, addr));
        let f = &spf.fix_records[0];
        assert_eq!(f.value, None, "the address is not to be published");
        assert_eq!(
            f.template.as_deref(),
            Some("v=spf1 mx include:<your relay's SPF domain> ~all")
        );
        assert!(f.needs.as_deref().is_some_and(|n| n.contains("relay")));
        assert!(
            spf.fix
                .as_deref()
                .is_some_and(|t| t.contains("Do not authorise 203.0.113.77"))
        );
        // Without a strong sign (only a warning), the address is the fix.
        let mut weak = before.clone();
        static_ip.verdict = Verdict::Warn;
        assert!(!for_residential_sender(&mut weak, &static_ip, addr));
        assert_eq!(weak, before);
    }

    #[test]
    fn fail_adds_the_address_before_all_and_keeps_the_qualifier() {
        let tree = node(
            "example.com",
            SpfVia::Top,
            Some("v=spf1 mx include:_spf.provider.example -all"),
            vec![node(
                "_spf.provider.example",
                SpfVia::Include,
                Some("v=spf1 ip4:198.51.100.0/24 a:x.provider.example -all"),
                vec![],
            )],
        );
        let e = eval("fail", "mail.example.com", tree, Some("-all"));
        let fix = spf_fix(&e, ip("203.0.113.7"));
        assert_eq!(fix.len(), 1);
        let f = &fix[0];
        assert_eq!(f.name, "mail.example.com");
        assert_eq!(f.rtype, "TXT");
        assert_eq!(
            f.value.as_deref(),
            Some("v=spf1 mx include:_spf.provider.example ip4:203.0.113.7 -all")
        );
        assert_eq!(
            f.replaces.as_deref(),
            Some("v=spf1 mx include:_spf.provider.example -all")
        );
        // mx + include + the include's a: = 3.
        assert_eq!(f.lookups, Some(3));
        assert_eq!(f.controlled_by, "the DNS of example.com");
        assert!(f.needs.is_none());
    }

    #[test]
    fn softfail_ipv6_and_redirect_positions() {
        let tree = node("example.org", SpfVia::Top, Some("v=spf1 a ~all"), vec![]);
        let e = eval("softfail", "example.org", tree, Some("~all"));
        let f = &spf_fix(&e, ip("2001:db8::25"))[0];
        assert_eq!(f.value.as_deref(), Some("v=spf1 a ip6:2001:db8::25 ~all"));
        // Decided by the redirect target's `-all`: insert before `redirect=`.
        let tree = node(
            "example.org",
            SpfVia::Top,
            Some("v=spf1 a redirect=_spf.example.org"),
            vec![node(
                "_spf.example.org",
                SpfVia::Redirect,
                Some("v=spf1 ip4:192.0.2.0/28 -all"),
                vec![],
            )],
        );
        let mut e = eval("fail", "example.org", tree, Some("-all"));
        e.decided_in = Some("_spf.example.org".into());
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(
            f.value.as_deref(),
            Some("v=spf1 a ip4:203.0.113.7 redirect=_spf.example.org")
        );
        assert_eq!(f.lookups, Some(2));
    }

    #[test]
    fn an_excluding_term_before_all_gets_the_address_in_front_of_it() {
        let tree = node(
            "example.org",
            SpfVia::Top,
            Some("v=spf1 -ip4:203.0.113.0/24 a ~all"),
            vec![],
        );
        let e = eval("fail", "example.org", tree, Some("-ip4:203.0.113.0/24"));
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(
            f.value.as_deref(),
            Some("v=spf1 ip4:203.0.113.7 -ip4:203.0.113.0/24 a ~all")
        );
    }

    #[test]
    fn no_all_and_no_redirect_appends() {
        let tree = node("example.org", SpfVia::Top, Some("v=spf1 a  mx"), vec![]);
        let e = eval(
            "neutral",
            "example.org",
            tree,
            Some("(no term matched: default neutral)"),
        );
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(f.value.as_deref(), Some("v=spf1 a mx ip4:203.0.113.7"));
    }

    #[test]
    fn no_record_gets_a_new_softfail_record_and_says_why() {
        let mut tree = node("example.net", SpfVia::Top, None, vec![]);
        tree.problem = Some("no SPF record".into());
        let e = eval("none", "example.net", tree, None);
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(f.value.as_deref(), Some("v=spf1 ip4:203.0.113.7 ~all"));
        assert!(f.replaces.is_none());
        assert!(f.note.as_deref().unwrap_or("").contains("-all"));
    }

    #[test]
    fn a_sending_service_domain_names_the_service() {
        let tree = node(
            "em123.sendgrid.net",
            SpfVia::Top,
            Some("v=spf1 include:sendgrid.net -all"),
            vec![],
        );
        let e = eval("fail", "em123.sendgrid.net", tree, Some("-all"));
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert!(f.controlled_by.starts_with("SendGrid"), "{f:?}");
        assert!(
            f.note
                .as_deref()
                .unwrap_or("")
                .contains("custom return-path"),
            "{f:?}"
        );
    }

    fn permerror(e: &mut SpfEvaluation, kind: ProblemKind, term: Option<&str>, pos: Option<usize>) {
        e.permerror = Some(SpfProblem {
            kind,
            domain: e.domain.clone(),
            term: term.map(Into::into),
            position: pos,
            problem: "problem".into(),
        });
    }

    #[test]
    fn permerror_cidr_is_corrected_mechanically() {
        let record = "v=spf1 a ip4:192.0.2.1/33 -all";
        let mut e = eval(
            "permerror",
            "example.com",
            node("example.com", SpfVia::Top, Some(record), vec![]),
            None,
        );
        permerror(
            &mut e,
            ProblemKind::Syntax,
            Some("ip4:192.0.2.1/33"),
            Some(2),
        );
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(f.value.as_deref(), Some("v=spf1 a ip4:192.0.2.1 -all"));
        assert_eq!(f.replaces.as_deref(), Some(record));
        assert_eq!(f.lookups, Some(1));
        // Zero-padded: keep the length, drop the padding.
        let record = "v=spf1 a/024 -all";
        let mut e = eval(
            "permerror",
            "example.com",
            node("example.com", SpfVia::Top, Some(record), vec![]),
            None,
        );
        permerror(&mut e, ProblemKind::Syntax, Some("a/024"), Some(1));
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert_eq!(f.value.as_deref(), Some("v=spf1 a/24 -all"));
    }

    #[test]
    fn permerror_without_a_mechanical_correction_names_the_fact() {
        let record = "v=spf1 a:mail.example.com:8080 -all";
        let mut e = eval(
            "permerror",
            "example.com",
            node("example.com", SpfVia::Top, Some(record), vec![]),
            None,
        );
        permerror(
            &mut e,
            ProblemKind::Syntax,
            Some("a:mail.example.com:8080"),
            Some(1),
        );
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert!(f.value.is_none());
        assert!(f.needs.as_deref().unwrap_or("").contains("term 1"), "{f:?}");
        // Two records: Sendtrust has the first only, so it asks for the rest.
        let mut e = eval(
            "permerror",
            "example.com",
            node("example.com", SpfVia::Top, Some("v=spf1 a -all"), vec![]),
            None,
        );
        permerror(&mut e, ProblemKind::MultipleRecords, None, None);
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert!(f.value.is_none());
        assert!(f.needs.as_deref().unwrap_or("").contains("merge"));
    }

    #[test]
    fn lookup_limit_names_the_heaviest_includes() {
        let heavy = node(
            "heavy.example",
            SpfVia::Include,
            Some(
                "v=spf1 a:1.example a:2.example a:3.example a:4.example a:5.example a:6.example -all",
            ),
            vec![],
        );
        let light = node(
            "light.example",
            SpfVia::Include,
            Some("v=spf1 ip4:192.0.2.0/24 -all"),
            vec![],
        );
        let tree = node(
            "example.com",
            SpfVia::Top,
            Some("v=spf1 include:light.example include:heavy.example a mx exists:x.example -all"),
            vec![light, heavy],
        );
        let mut e = eval("permerror", "example.com", tree, None);
        permerror(&mut e, ProblemKind::LookupLimit, Some("-all"), Some(6));
        let f = &spf_fix(&e, ip("203.0.113.7"))[0];
        assert!(f.value.is_none());
        let note = f.note.clone().unwrap_or_default();
        let heavy_at = note.find("`include:heavy.example` (7)");
        let light_at = note.find("`include:light.example` (1)");
        assert!(heavy_at.is_some() && light_at.is_some(), "{note}");
        assert!(heavy_at < light_at, "{note}");
    }

    #[test]
    fn pass_and_temperror_have_nothing_to_publish() {
        let tree = node("example.com", SpfVia::Top, Some("v=spf1 a -all"), vec![]);
        assert!(
            spf_fix(
                &eval("pass", "example.com", tree.clone(), Some("a")),
                ip("192.0.2.1")
            )
            .is_empty()
        );
        assert!(
            spf_fix(
                &eval("temperror", "example.com", tree, None),
                ip("192.0.2.1")
            )
            .is_empty()
        );
    }
}
