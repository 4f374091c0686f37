//! "The receiver recorded" next to "Sendtrust re-checked now", per method,
//! with the likely reason when they differ.

use crate::report::{
    ArcReport, DmarcReport, DmarcStatus, ReceiverComparison, RuleId, RuleResult, Verdict,
};
use crate::rules::dkim::SignatureStatus;
use crate::rules::receiver::{ReceiverVerdict, read_auth_results_into, recorded_results};
use crate::rules::rule;
use crate::rules::{Context, Findings};

fn props(v: &ReceiverVerdict) -> Vec<String> {
    v.properties
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// Sendtrust's result now for one method, typed until it is written into
/// the row (the receiver's recorded word is header text).
#[derive(Clone, Copy)]
enum Now {
    /// An SPF, DMARC or iprev result, in the words receivers record.
    Word(&'static str),
    /// A DKIM signature's result (a header-only pass agrees with a pass).
    Dkim(SignatureStatus),
}

impl Now {
    fn word(self) -> &'static str {
        match self {
            Now::Word(word) => word,
            Now::Dkim(status) => status.as_str(),
        }
    }

    /// Whether the receiver's recorded word says the same.
    fn agrees_with(self, recorded: &str) -> bool {
        match self {
            Now::Word(word) => word == recorded,
            Now::Dkim(status) => status.agrees_with_recorded(recorded),
        }
    }
}

/// Builds the comparison rows.
pub(crate) fn compare(
    ctx: &Context<'_>,
    rules: &[RuleResult],
    findings: &Findings,
    dmarc: Option<&DmarcReport>,
    arc: Option<&ArcReport>,
) -> Vec<ReceiverComparison> {
    let recorded = recorded_results(ctx.parsed);
    let spf_now = findings
        .spf
        .as_ref()
        .map(|f| Now::Word(f.evaluation.result.name()));
    let dkim_now: Vec<(&str, SignatureStatus)> = findings
        .dkim
        .checks()
        .iter()
        .map(|c| (c.domain.as_str(), c.result))
        .collect();
    let iprev_now = rule(rules, RuleId::ReverseDns).and_then(|r| match r.verdict {
        Verdict::Pass | Verdict::Warn => Some(Now::Word("pass")),
        Verdict::Fail => Some(Now::Word("fail")),
        _ => None,
    });
    let dmarc_now = dmarc
        .filter(|d| d.result != DmarcStatus::NotChecked)
        .map(|d| Now::Word(d.result.as_str()));
    let arc_now = arc.and_then(|a| a.result).map(|r| r.as_str().to_string());

    let mut rows = Vec::new();
    let sender = ctx.report.sender.as_ref();
    let mut push = |method: &str, v: &ReceiverVerdict, source: String, now: Option<Now>| {
        // Recorded for the recipient's inbound filter: not comparable with
        // the sender's result now.
        let for_filter = crate::rules::receiver::filter_relay_note(v, sender);
        let now = if for_filter.is_some() { None } else { now };
        let agrees = now.map(|n| n.agrees_with(&v.result));
        let note = match (agrees, method) {
            (Some(false), "spf") => Some(if v.result == "pass" {
                "passed at delivery, not now: the SPF record changed since, or the receiver checked another IP (a forwarder's)".to_string()
            } else {
                "the SPF record or the checked IP changed between delivery and now".to_string()
            }),
            (Some(false), "dkim") => Some(if v.result == "pass" {
                "passed at delivery, not now: the key was rotated or removed, or the message changed after delivery (editing, pasting)".to_string()
            } else {
                "the receiver saw a different message or key (e.g. a mailing list modified it before)".to_string()
            }),
            (Some(false), "dmarc") => Some(
                "follows from the SPF/DKIM differences above (or a changed DMARC record)".to_string(),
            ),
            (Some(false), "iprev") => Some(
                "the reverse DNS of the sending IP changed since delivery, or the receiver judged another hop"
                    .to_string(),
            ),
            (Some(false), _) => Some("results differ between delivery and now".to_string()),
            _ => None,
        };
        let note = for_filter.or(note);
        rows.push(ReceiverComparison {
            method: method.to_string(),
            authserv: v.authserv.clone(),
            source,
            recorded: v.result.clone(),
            properties: props(v),
            now: now.map(|n| n.word().to_string()),
            agrees,
            note,
        });
    };
    for v in &recorded.spf {
        push("spf", v, v.source.clone(), spf_now);
    }
    for v in &recorded.dkim {
        let d = v
            .properties
            .iter()
            .find(|(k, _)| k == "header.d" || k == "header.i")
            .map(|(_, d)| d.trim_start_matches('@').to_ascii_lowercase());
        let now = d.and_then(|d| {
            // Several signatures may share the domain (a broken one listed
            // beside a good one): compare with the one that agrees, if any.
            let same_domain =
                |(dom, _): &&(&str, SignatureStatus)| d == *dom || d.ends_with(&format!(".{dom}"));
            let mut candidates = dkim_now.iter().filter(same_domain);
            let first = candidates.clone().next();
            candidates
                .find(|(_, r)| r.agrees_with_recorded(&v.result))
                .or(first)
                .map(|(_, r)| Now::Dkim(*r))
        });
        push("dkim", v, v.source.clone(), now);
    }
    for v in &recorded.dmarc {
        push("dmarc", v, v.source.clone(), dmarc_now);
    }
    for v in &recorded.iprev {
        push("iprev", v, v.source.clone(), iprev_now);
    }
    // What each ARC sealer saw (no re-check: those verdicts belong to earlier hops).
    for (_, value) in ctx.parsed.values("ARC-Authentication-Results") {
        let (instance, rest) = match value.trim().strip_prefix("i=") {
            Some(r) => match r.split_once(';') {
                Some((i, rest)) => (i.trim().to_string(), rest),
                None => continue,
            },
            None => continue,
        };
        let mut seen = crate::rules::receiver::Recorded::default();
        read_auth_results_into(rest, "ARC-Authentication-Results", &mut seen);
        for (method, list) in [
            ("spf", &seen.spf),
            ("dkim", &seen.dkim),
            ("dmarc", &seen.dmarc),
        ] {
            for v in list {
                rows.push(ReceiverComparison {
                    method: method.to_string(),
                    authserv: v.authserv.clone(),
                    source: format!("ARC-Authentication-Results i={instance}"),
                    recorded: v.result.clone(),
                    properties: props(v),
                    now: None,
                    agrees: None,
                    note: Some(
                        "recorded by an intermediary before forwarding: explains why SPF/DKIM may fail at the final receiver"
                            .into(),
                    ),
                });
            }
        }
    }
    if let Some(a) = arc_now {
        rows.push(ReceiverComparison {
            method: "arc".into(),
            authserv: "sendtrust".into(),
            source: "ARC chain".into(),
            recorded: String::new(),
            properties: Vec::new(),
            now: Some(a),
            agrees: None,
            note: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_only_pass_agrees_with_a_recorded_pass_and_nothing_else() {
        assert!(Now::Dkim(SignatureStatus::HeaderOnlyPass).agrees_with("pass"));
        assert!(Now::Dkim(SignatureStatus::Pass).agrees_with("pass"));
        assert!(!Now::Dkim(SignatureStatus::HeaderOnlyPass).agrees_with("fail"));
        assert!(!Now::Dkim(SignatureStatus::Neutral).agrees_with("pass"));
        assert_eq!(
            Now::Dkim(SignatureStatus::HeaderOnlyPass).word(),
            "header-only-pass"
        );
        assert!(Now::Word("softfail").agrees_with("softfail"));
        assert!(!Now::Word("pass").agrees_with("fail"));
    }
}
