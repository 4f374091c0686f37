//! Beyond the five rules, end to end through the DNS bench: DMARC, ARC, the
//! receiver's verdicts vs Sendtrust's re-check, the bulk-sender checklist.
//! Fixtures are signed and ARC-sealed by dkimpy (tests/fixtures/beyond/make_fixtures.py).

use sendtrust::report::{ChecklistItem, Report};
use sendtrust::{Options, analyze};

async fn report(name: &str) -> Report {
    sendtrust_tests::analyze_fixture(&format!("beyond/{name}.eml")).await
}

fn item<'r>(report: &'r Report, id: &str) -> &'r ChecklistItem {
    report
        .beyond
        .bulk_sender
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no checklist item {id}: {:#?}", report.beyond.bulk_sender))
}

#[tokio::test(flavor = "current_thread")]
async fn dmarc_pass_with_a_clean_bulk_checklist() {
    let r = report("dmarc-pass").await;
    let d = r.beyond.dmarc.as_ref().expect("dmarc");
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Pass, "{d:#?}");
    assert!(d.spf_aligned && d.dkim_aligned, "{d:#?}");
    assert_eq!(d.policy.as_deref(), Some("reject"));
    assert_eq!(d.policy_domain.as_deref(), Some("pass.beyond.test"));
    assert!(d.record.as_deref().unwrap().starts_with("v=DMARC1"));
    assert_eq!(d.rua, ["dmarc@pass.beyond.test"]);
    assert!(d.disposition.starts_with("deliver"));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    for id in [
        "spf-pass",
        "dkim-pass",
        "dmarc-record",
        "from-aligned",
        "fcrdns",
        "tls",
        "one-click-unsubscribe",
        "rfc5322",
    ] {
        assert_eq!(
            item(&r, id).status,
            sendtrust::report::ChecklistStatus::Pass,
            "{id}: {:#?}",
            item(&r, id)
        );
    }
    // The receiver's verdicts agree with the re-check.
    let rows = &r.beyond.receiver;
    for method in [
        sendtrust::report::AuthMethod::Spf,
        sendtrust::report::AuthMethod::Dkim,
        sendtrust::report::AuthMethod::Dmarc,
    ] {
        let row = rows
            .iter()
            .find(|c| c.method == method)
            .unwrap_or_else(|| panic!("no {method} row"));
        assert_eq!(row.authserv, "mx.example.net");
        assert_eq!(row.agrees, Some(true), "{row:#?}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn dmarc_fail_under_reject_and_a_mismatching_receiver_verdict() {
    let r = report("dmarc-fail").await;
    let d = r.beyond.dmarc.as_ref().expect("dmarc");
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert!(!d.spf_aligned && !d.dkim_aligned);
    assert_eq!(d.aspf.as_deref(), Some("strict"));
    assert!(d.disposition.starts_with("reject"), "{}", d.disposition);
    let dmarc_row = r
        .beyond
        .receiver
        .iter()
        .find(|c| c.method == sendtrust::report::AuthMethod::Dmarc)
        .expect("dmarc row");
    assert_eq!(
        dmarc_row.recorded.word(),
        Some(sendtrust::report::AuthResult::Pass)
    );
    assert_eq!(dmarc_row.now, Some(sendtrust::report::AuthResult::Fail));
    assert_eq!(dmarc_row.agrees, Some(false));
    assert!(dmarc_row.note.is_some());
    assert_eq!(
        item(&r, "from-aligned").status,
        sendtrust::report::ChecklistStatus::Fail
    );
    // SPF itself passes for the envelope domain: alignment is what fails.
    assert_eq!(
        item(&r, "spf-pass").status,
        sendtrust::report::ChecklistStatus::Pass
    );
    assert_eq!(
        item(&r, "dkim-pass").status,
        sendtrust::report::ChecklistStatus::Fail
    );
    // Not marketing mail: no unsubscribe needed.
    assert_eq!(
        item(&r, "one-click-unsubscribe").status,
        sendtrust::report::ChecklistStatus::NotApplicable
    );
}

#[tokio::test(flavor = "current_thread")]
async fn no_dmarc_record_and_marketing_without_one_click() {
    let r = report("dmarc-none-marketing").await;
    let d = r.beyond.dmarc.as_ref().expect("dmarc");
    assert_eq!(d.result, sendtrust::report::DmarcStatus::None, "{d:#?}");
    assert!(d.record.is_none());
    assert!(
        d.warnings.iter().any(|w| w.contains("No DMARC record")),
        "{:?}",
        d.warnings
    );
    assert_eq!(
        item(&r, "dmarc-record").status,
        sendtrust::report::ChecklistStatus::Fail
    );
    let unsub = item(&r, "one-click-unsubscribe");
    assert_eq!(unsub.status, sendtrust::report::ChecklistStatus::Fail);
    assert!(unsub.evidence.contains("https"), "{}", unsub.evidence);
    assert!(unsub.evidence.contains("One-Click"), "{}", unsub.evidence);
    assert_eq!(
        item(&r, "tls").status,
        sendtrust::report::ChecklistStatus::Fail
    );
    let rfc = item(&r, "rfc5322");
    assert_eq!(rfc.status, sendtrust::report::ChecklistStatus::Fail);
    assert!(rfc.evidence.contains("Message-ID"));
}

#[tokio::test(flavor = "current_thread")]
async fn arc_explains_a_forwarded_message_whose_spf_and_dkim_fail() {
    let r = report("arc-forwarded").await;
    let arc = r.beyond.arc.as_ref().expect("arc");
    assert_eq!(
        arc.result,
        Some(sendtrust::report::ArcResult::Pass),
        "{arc:#?}"
    );
    assert_eq!(arc.instances.len(), 1);
    assert_eq!(arc.instances[0].sealer, "list.beyond.test");
    assert_eq!(arc.instances[0].cv, sendtrust::report::ArcCv::None);
    assert!(arc.instances[0].auth_results.contains("dkim=pass"));
    // The final hop is the list's server: SPF for the author fails, and the
    // Subject tag broke the author's signature.
    assert_eq!(r.sender.as_ref().unwrap().ip.to_string(), "203.0.113.210");
    let spf = &r.rules[3];
    assert_eq!(
        serde_json::to_value(&spf.details).unwrap_or_default()["result"],
        "fail",
        "{spf:#?}"
    );
    let dkim = &r.rules[4];
    assert_eq!(dkim.verdict, sendtrust::Verdict::Fail, "{dkim:#?}");
    assert_eq!(
        r.beyond.dmarc.as_ref().unwrap().result,
        sendtrust::report::DmarcStatus::Fail
    );
    // What the list saw before it forwarded, attributed to its ARC set.
    let arc_rows: Vec<_> = r
        .beyond
        .receiver
        .iter()
        .filter(|c| c.source == "ARC-Authentication-Results i=1")
        .collect();
    assert!(
        arc_rows
            .iter()
            .any(|c| c.method == sendtrust::report::AuthMethod::Dkim
                && c.recorded.word() == Some(sendtrust::report::AuthResult::Pass)
                && c.authserv == "list.beyond.test"),
        "{arc_rows:#?}"
    );
    assert!(
        arc_rows
            .iter()
            .any(|c| c.method == sendtrust::report::AuthMethod::Spf
                && c.recorded.word() == Some(sendtrust::report::AuthResult::Pass))
    );
    // And the final receiver's fails agree with the re-check.
    let spf_row = r
        .beyond
        .receiver
        .iter()
        .find(|c| {
            c.method == sendtrust::report::AuthMethod::Spf && c.source == "Authentication-Results"
        })
        .unwrap();
    assert_eq!(spf_row.agrees, Some(true));
}

#[tokio::test(flavor = "current_thread")]
async fn offline_beyond_says_not_checked() {
    let raw = sendtrust_tests::fixture("beyond/dmarc-pass.eml");
    let r = analyze(
        &raw,
        &Options {
            dns: sendtrust::dns::DnsConfig::offline(),
            ..Options::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        r.beyond.dmarc.as_ref().unwrap().result,
        sendtrust::report::DmarcStatus::NotChecked
    );
    assert_eq!(
        item(&r, "dmarc-record").status,
        sendtrust::report::ChecklistStatus::Unknown
    );
    // Header-only facts still decided offline.
    assert_eq!(
        item(&r, "one-click-unsubscribe").status,
        sendtrust::report::ChecklistStatus::Pass
    );
    assert_eq!(
        item(&r, "rfc5322").status,
        sendtrust::report::ChecklistStatus::Pass
    );
    assert!(r.dns_log.iter().all(|e| e.attempts == 0));
}
