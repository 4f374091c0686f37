//! "The receiver recorded" next to "Sendtrust re-checked now", per method,
//! with the likely reason when they differ.

use crate::report::{
    ArcReport, ArcResult, AuthMethod, AuthResult, DmarcReport, DmarcStatus, ReceiverComparison,
    RecordedResult, RuleId, RuleResult, Verdict,
};
use crate::rules::dkim::signature_for_recorded;
use crate::rules::receiver::{ReceiverVerdict, read_auth_results_into, recorded_results};
use crate::rules::rule;
use crate::rules::{Context, Findings};

fn props(v: &ReceiverVerdict) -> Vec<String> {
    v.properties
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// The word Sendtrust's DMARC result is compared and shown as (`None` for
/// not checked: no row gets a `now`).
fn dmarc_result(status: DmarcStatus) -> Option<AuthResult> {
    match status {
        DmarcStatus::Pass => Some(AuthResult::Pass),
        DmarcStatus::Fail => Some(AuthResult::Fail),
        DmarcStatus::None => Some(AuthResult::None),
        DmarcStatus::Temperror => Some(AuthResult::Temperror),
        DmarcStatus::Permerror => Some(AuthResult::Permerror),
        DmarcStatus::NotChecked => None,
    }
}

/// The word an ARC chain validation status is shown as.
fn arc_result(result: ArcResult) -> AuthResult {
    match result {
        ArcResult::None => AuthResult::None,
        ArcResult::Pass => AuthResult::Pass,
        ArcResult::Fail => AuthResult::Fail,
    }
}

/// The likely reason a recorded result differs from Sendtrust's now.
fn difference_note(method: AuthMethod, recorded: &RecordedResult) -> String {
    let recorded_pass = recorded.word() == Some(AuthResult::Pass);
    match method {
        AuthMethod::Spf if recorded_pass => "passed at delivery, not now: the SPF record changed since, or the receiver checked another IP (a forwarder's)".to_string(),
        AuthMethod::Spf => "the SPF record or the checked IP changed between delivery and now".to_string(),
        AuthMethod::Dkim if recorded_pass => "passed at delivery, not now: the key was rotated or removed, or the message changed after delivery (editing, pasting)".to_string(),
        AuthMethod::Dkim => "the receiver saw a different message or key (e.g. a mailing list modified it before)".to_string(),
        AuthMethod::Dmarc => "follows from the SPF/DKIM differences above (or a changed DMARC record)".to_string(),
        AuthMethod::Iprev => "the reverse DNS of the sending IP changed since delivery, or the receiver judged another hop".to_string(),
        AuthMethod::Arc => "results differ between delivery and now".to_string(),
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
        .map(|f| AuthResult::from(f.evaluation.result));
    let iprev_now = rule(rules, RuleId::ReverseDns).and_then(|r| match r.verdict {
        Verdict::Pass | Verdict::Warn => Some(AuthResult::Pass),
        Verdict::Fail => Some(AuthResult::Fail),
        _ => None,
    });
    let dmarc_now = dmarc.and_then(|d| dmarc_result(d.result));
    let arc_now = arc.and_then(|a| a.result).map(arc_result);

    let mut rows = Vec::new();
    let sender = ctx.report.sender.as_ref();
    let mut push =
        |method: AuthMethod, v: &ReceiverVerdict, source: String, now: Option<AuthResult>| {
            // Recorded for the recipient's inbound filter: not comparable with
            // the sender's result now.
            let for_filter = crate::rules::receiver::filter_relay_note(v, sender);
            let now = if for_filter.is_some() { None } else { now };
            let recorded = RecordedResult::parse(&v.result);
            let agrees = now.map(|n| n.agrees_with(&recorded));
            let note = (agrees == Some(false)).then(|| difference_note(method, &recorded));
            let note = for_filter.or(note);
            rows.push(ReceiverComparison {
                method,
                authserv: v.authserv.clone(),
                source,
                recorded,
                properties: props(v),
                now,
                agrees,
                note,
            });
        };
    for v in &recorded.spf {
        push(AuthMethod::Spf, v, v.source.clone(), spf_now);
    }
    for v in &recorded.dkim {
        // The signature rule 5 compared with this recorded result.
        let now =
            signature_for_recorded(findings.dkim.checks(), v).map(|c| AuthResult::from(c.result));
        push(AuthMethod::Dkim, v, v.source.clone(), now);
    }
    for v in &recorded.dmarc {
        push(AuthMethod::Dmarc, v, v.source.clone(), dmarc_now);
    }
    for v in &recorded.iprev {
        push(AuthMethod::Iprev, v, v.source.clone(), iprev_now);
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
            (AuthMethod::Spf, &seen.spf),
            (AuthMethod::Dkim, &seen.dkim),
            (AuthMethod::Dmarc, &seen.dmarc),
        ] {
            for v in list {
                rows.push(ReceiverComparison {
                    method,
                    authserv: v.authserv.clone(),
                    source: format!("ARC-Authentication-Results i={instance}"),
                    recorded: RecordedResult::parse(&v.result),
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
            method: AuthMethod::Arc,
            authserv: "sendtrust".into(),
            source: "ARC chain".into(),
            recorded: RecordedResult::Nothing,
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
    use crate::details::dkim::SignatureStatus;
    use crate::details::spf::Outcome;

    #[test]
    fn a_header_only_pass_agrees_with_a_recorded_pass_and_nothing_else() {
        let recorded = RecordedResult::parse;
        let header_only = AuthResult::from(SignatureStatus::HeaderOnlyPass);
        assert!(header_only.agrees_with(&recorded("pass")));
        assert!(AuthResult::from(SignatureStatus::Pass).agrees_with(&recorded("pass")));
        assert!(!header_only.agrees_with(&recorded("fail")));
        assert!(!AuthResult::from(SignatureStatus::Neutral).agrees_with(&recorded("pass")));
        assert_eq!(header_only.as_str(), "header-only-pass");
        assert!(AuthResult::from(Outcome::SoftFail).agrees_with(&recorded("softfail")));
        assert!(!AuthResult::Pass.agrees_with(&recorded("fail")));
        // A word no receiver writes for a pass never agrees with one.
        assert!(!AuthResult::Pass.agrees_with(&recorded("bestguesspass")));
        assert!(!AuthResult::None.agrees_with(&RecordedResult::Nothing));
    }

    #[test]
    fn recorded_words_are_read_case_insensitively_and_the_rest_kept_as_text() {
        for (text, word) in [
            ("pass", AuthResult::Pass),
            ("FAIL", AuthResult::Fail),
            ("SoftFail", AuthResult::Softfail),
            ("neutral", AuthResult::Neutral),
            ("none", AuthResult::None),
            ("TempError", AuthResult::Temperror),
            ("permerror", AuthResult::Permerror),
            ("policy", AuthResult::Policy),
        ] {
            assert_eq!(
                RecordedResult::parse(text),
                RecordedResult::Word(word),
                "{text}"
            );
        }
        // Sendtrust's own words are not a receiver's.
        for text in [
            "header-only-pass",
            "not-checked",
            "hardfail",
            "Bestguesspass",
        ] {
            assert_eq!(
                RecordedResult::parse(text),
                RecordedResult::Unreadable(text.to_ascii_lowercase()),
                "{text}"
            );
        }
        assert_eq!(RecordedResult::parse(""), RecordedResult::Nothing);
    }

    #[test]
    fn recorded_results_keep_their_json_words() {
        for text in ["pass", "softfail", "policy", "hardfail", ""] {
            let recorded = RecordedResult::parse(text);
            let json = serde_json::to_string(&recorded).unwrap_or_default();
            assert_eq!(json, format!("\"{text}\""));
            let back: Result<RecordedResult, _> = serde_json::from_str(&json);
            assert_eq!(back.ok(), Some(recorded));
        }
        for (result, json) in [
            (AuthResult::HeaderOnlyPass, "\"header-only-pass\""),
            (AuthResult::NotChecked, "\"not-checked\""),
            (AuthResult::Softfail, "\"softfail\""),
        ] {
            assert_eq!(serde_json::to_string(&result).ok().as_deref(), Some(json));
            assert_eq!(result.as_str(), json.trim_matches('"'));
        }
        assert_eq!(
            serde_json::to_string(&AuthMethod::Iprev).ok().as_deref(),
            Some("\"iprev\"")
        );
    }

    #[test]
    fn a_difference_note_follows_the_recorded_word() {
        let pass = RecordedResult::parse("pass");
        let fail = RecordedResult::parse("fail");
        assert!(difference_note(AuthMethod::Spf, &pass).starts_with("passed at delivery"));
        assert!(difference_note(AuthMethod::Spf, &fail).starts_with("the SPF record"));
        assert!(difference_note(AuthMethod::Dkim, &pass).starts_with("passed at delivery"));
        assert!(difference_note(AuthMethod::Dkim, &fail).starts_with("the receiver saw"));
    }
}
