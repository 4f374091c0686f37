//! DMARC's exact fix: a first record when the From domain has none, and the
//! path to enforcement when DMARC already passes under a `none` policy
//! (quarantine with `pct`, then reject; or reject after quarantine). Pure:
//! computed from the [`DmarcReport`] the evaluation produced.
//!
//! Nothing is guessed: the address that receives aggregate reports is the
//! domain owner's choice, so a first record names it as the fact it needs and
//! shows its shape in `template`.

use crate::report::{DmarcReport, DmarcStatus, RecordFix};

/// The fact a first DMARC record needs.
pub const NEEDS_REPORT_MAILBOX: &str = "a mailbox for aggregate reports (rua)";

/// The share of failing mail the first enforcement step applies to.
const FIRST_PCT: u8 = 25;

/// The records to publish for `report`; `duplicates` is true when a name in
/// the DMARC tree walk had more than one record (then the fix is to keep one,
/// which the warning says, not a new record).
pub fn fix_records(report: &DmarcReport, duplicates: bool) -> Vec<RecordFix> {
    match report.result {
        DmarcStatus::None if report.record.is_none() && !duplicates => first_record(report),
        DmarcStatus::Pass => enforcement(report),
        _ => Vec::new(),
    }
}

fn controller(name: &str) -> String {
    let zone = crate::domain::org_domain(name).unwrap_or_else(|| name.to_string());
    format!("the DNS of {zone}")
}

fn first_record(report: &DmarcReport) -> Vec<RecordFix> {
    let from = &report.from_domain;
    let org = crate::domain::org_domain(from).unwrap_or_else(|| from.clone());
    vec![RecordFix {
        name: format!("_dmarc.{org}"),
        rtype: "TXT".into(),
        value: None,
        replaces: None,
        controlled_by: controller(&org),
        needs: Some(NEEDS_REPORT_MAILBOX.into()),
        lookups: None,
        template: Some("v=DMARC1; p=none; rua=mailto:<report address>".into()),
        note: Some(format!(
            "A first record at the organisational domain covers {from} and every other name \
             under {org}. p=none only asks for reports: read them until every service that \
             sends as {org} passes aligned SPF or DKIM, then move to quarantine and reject."
        )),
    }]
}

/// The record's tags, in order, as (name, value) with white space trimmed.
fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| {
            let (k, v) = t.split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// `record` with `set` tags replaced in place (or added at the end) and
/// `remove` tags dropped.
fn rewrite(record: &str, set: &[(&str, String)], remove: &[&str]) -> String {
    let mut out = tags(record);
    out.retain(|(k, _)| !remove.iter().any(|r| k.eq_ignore_ascii_case(r)));
    for (name, value) in set {
        match out.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
            Some(tag) => tag.1 = value.clone(),
            None => out.push((name.to_string(), value.clone())),
        }
    }
    out.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn enforcement(report: &DmarcReport) -> Vec<RecordFix> {
    let (Some(record), Some(domain)) = (&report.record, &report.policy_domain) else {
        return Vec::new();
    };
    // For a From domain below the record's name, sp= decides when present.
    let subdomain = !domain.eq_ignore_ascii_case(&report.from_domain);
    let (tag, current) = match (&report.subdomain_policy, &report.policy) {
        (Some(sp), _) if subdomain && tags(record).iter().any(|(k, _)| k == "sp") => ("sp", sp),
        (_, Some(p)) => ("p", p),
        _ => return Vec::new(),
    };
    let name = format!("_dmarc.{domain}");
    let no_reports = if report.rua.is_empty() {
        " The record has no rua=: add rua=mailto:<a mailbox of yours> first, or nothing \
         tells you what enforcement would block."
    } else {
        ""
    };
    let step = |value: String, replaces: String, note: String| RecordFix {
        name: name.clone(),
        rtype: "TXT".into(),
        value: Some(value),
        replaces: Some(replaces),
        controlled_by: controller(domain),
        needs: None,
        lookups: None,
        template: None,
        note: Some(note),
    };
    match current.as_str() {
        "none" => {
            let quarantine = rewrite(
                record,
                &[(tag, "quarantine".into()), ("pct", FIRST_PCT.to_string())],
                &[],
            );
            let reject = rewrite(record, &[(tag, "reject".into())], &["pct"]);
            vec![
                step(
                    quarantine.clone(),
                    record.clone(),
                    format!(
                        "Step 1 of 2: DMARC passes (aligned {}), so the domain can ask for \
                         quarantine once the aggregate reports show every legitimate sender \
                         aligned. pct={FIRST_PCT}: RFC 7489 receivers quarantine a quarter of \
                         failing mail; raise it (50, 100) over the following weeks. DMARCbis \
                         receivers ignore pct and quarantine all failing mail.{no_reports}",
                        aligned_by(report)
                    ),
                ),
                step(
                    reject,
                    quarantine,
                    "Step 2 of 2: once quarantine at 100% has blocked no legitimate mail, ask \
                     receivers to reject mail that fails DMARC."
                        .into(),
                ),
            ]
        }
        "quarantine" => vec![step(
            rewrite(record, &[(tag, "reject".into())], &["pct"]),
            record.clone(),
            format!(
                "DMARC passes (aligned {}) and the domain already asks for quarantine: once \
                 quarantine at 100% has blocked no legitimate mail, ask receivers to reject \
                 mail that fails DMARC.{no_reports}",
                aligned_by(report)
            ),
        )],
        _ => Vec::new(),
    }
}

fn aligned_by(report: &DmarcReport) -> &'static str {
    match (report.spf_aligned, report.dkim_aligned) {
        (true, true) => "SPF and DKIM",
        (true, false) => "SPF only",
        (false, true) => "DKIM only",
        (false, false) => "neither",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(result: &str, record: Option<&str>) -> DmarcReport {
        DmarcReport {
            from_domain: "news.example.org".into(),
            policy_domain: record.map(|_| "example.org".into()),
            record: record.map(Into::into),
            result: serde_json::from_value(serde_json::Value::String(result.into()))
                .expect("a DMARC status name"),
            policy: record
                .and_then(|r| tags(r).into_iter().find(|(k, _)| k == "p").map(|(_, v)| v)),
            subdomain_policy: record
                .and_then(|r| tags(r).into_iter().find(|(k, _)| k == "sp").map(|(_, v)| v)),
            rua: vec!["mailto:d@example.org".into()],
            dkim_aligned: result == "pass",
            ..Default::default()
        }
    }

    #[test]
    fn no_record_gets_a_first_record_at_the_organisational_domain() {
        let r = fix_records(&report("none", None), false);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, "_dmarc.example.org");
        assert_eq!(r[0].rtype, "TXT");
        assert_eq!(r[0].value, None);
        assert_eq!(r[0].needs.as_deref(), Some(NEEDS_REPORT_MAILBOX));
        assert_eq!(
            r[0].template.as_deref(),
            Some("v=DMARC1; p=none; rua=mailto:<report address>")
        );
        assert_eq!(r[0].controlled_by, "the DNS of example.org");
        // Two records at a name: keep one (the warning), no new record.
        assert!(fix_records(&report("none", None), true).is_empty());
    }

    #[test]
    fn pass_under_p_none_gets_quarantine_with_pct_then_reject() {
        let r = fix_records(
            &report("pass", Some("v=DMARC1; p=none; rua=mailto:d@example.org")),
            false,
        );
        let values: Vec<&str> = r.iter().filter_map(|f| f.value.as_deref()).collect();
        assert_eq!(
            values,
            [
                "v=DMARC1; p=quarantine; rua=mailto:d@example.org; pct=25",
                "v=DMARC1; p=reject; rua=mailto:d@example.org"
            ]
        );
        assert_eq!(r[0].name, "_dmarc.example.org");
        assert_eq!(
            r[0].replaces.as_deref(),
            Some("v=DMARC1; p=none; rua=mailto:d@example.org")
        );
        assert_eq!(r[1].replaces.as_deref(), Some(values[0]));
        assert!(
            r[0].note
                .as_deref()
                .is_some_and(|n| n.contains("DKIM only"))
        );
    }

    #[test]
    fn the_subdomain_policy_is_raised_when_it_decides() {
        let r = fix_records(
            &report("pass", Some("v=DMARC1; p=reject; sp=none; pct=10")),
            false,
        );
        let values: Vec<&str> = r.iter().filter_map(|f| f.value.as_deref()).collect();
        assert_eq!(
            values,
            [
                "v=DMARC1; p=reject; sp=quarantine; pct=25",
                "v=DMARC1; p=reject; sp=reject"
            ]
        );
    }

    #[test]
    fn quarantine_goes_to_reject_and_reject_or_failures_need_no_record() {
        let r = fix_records(
            &report("pass", Some("v=DMARC1; p=quarantine; pct=50")),
            false,
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].value.as_deref(), Some("v=DMARC1; p=reject"));
        assert!(fix_records(&report("pass", Some("v=DMARC1; p=reject")), false).is_empty());
        // Alignment fails: SPF and DKIM come first, not the policy.
        assert!(fix_records(&report("fail", Some("v=DMARC1; p=none")), false).is_empty());
        // A DNS failure or offline: could not check, nothing to publish.
        assert!(fix_records(&report("temperror", None), false).is_empty());
        assert!(fix_records(&report("not-checked", None), false).is_empty());
    }

    #[test]
    fn no_rua_is_said_on_the_first_step() {
        let mut rep = report("pass", Some("v=DMARC1; p=none"));
        rep.rua.clear();
        let r = fix_records(&rep, false);
        assert!(r[0].note.as_deref().is_some_and(|n| n.contains("no rua=")));
    }
}
