//! International domain names end to end through the DNS bench: the same
//! sender (bücher.idn.test = xn--bcher-kva.idn.test) written in U-labels
//! and in A-labels in From, Return-Path and DKIM `d=` (RFC 8616 allows
//! U-labels there). DNS is only ever asked the A-label; the report keeps each
//! name as the message wrote it (U-labels stay readable; a message written in
//! A-labels is shown in A-labels, not turned into look-alike Unicode), and
//! DMARC's policy domain follows the From address's spelling. Zone:
//! tests/bench/zones/idn.test.zone; fixtures by
//! tests/fixtures/dmarc/make_fixtures.py.

use sendtrust::report::Report;
use sendtrust::{RuleId, Verdict};

async fn report(name: &str) -> Report {
    sendtrust_tests::analyze_fixture(&format!("dmarc/{name}.eml")).await
}

/// Every question was asked in A-labels, and the ones the sender's checks
/// need were asked and answered.
fn asked_in_a_labels(r: &Report) {
    for e in &r.dns_log {
        assert!(e.name.is_ascii(), "asked a U-label name: {e:?}");
        assert_ne!(e.status, "invalid-name", "{e:?}");
    }
    for name in [
        "xn--bcher-kva.idn.test",
        "sel._domainkey.xn--bcher-kva.idn.test",
        "_dmarc.xn--bcher-kva.idn.test",
    ] {
        assert!(
            r.dns_log
                .iter()
                .any(|e| e.name == name && e.qtype == "TXT" && e.status == "NOERROR"),
            "{name} not asked: {:#?}",
            r.dns_log
        );
    }
}

/// SPF, DKIM and DMARC all pass for the one sender, however it is written.
fn sender_checks_pass(r: &Report) {
    let spf = r.rules.iter().find(|x| x.id == RuleId::Spf).expect("spf");
    assert_eq!(spf.verdict, Verdict::Pass, "{spf:#?}");
    let dkim = r.rules.iter().find(|x| x.id == RuleId::Dkim).expect("dkim");
    assert_eq!(dkim.verdict, Verdict::Pass, "{dkim:#?}");
    assert_eq!(
        serde_json::to_value(&dkim.details).unwrap_or_default()["signatures"][0]["aligned_strict"],
        true
    );
    let d = r.beyond.dmarc.as_ref().expect("dmarc");
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Pass, "{d:#?}");
    assert!(d.spf_aligned && d.dkim_aligned, "{d:#?}");
    assert_eq!(d.policy.as_deref(), Some("reject"));
}

/// The DMARC report's names, as shown.
fn dmarc_names(r: &Report) -> (&str, Option<&str>) {
    let d = r.beyond.dmarc.as_ref().expect("dmarc");
    (d.from_domain.as_str(), d.policy_domain.as_deref())
}

#[tokio::test(flavor = "current_thread")]
async fn unicode_names_are_asked_as_a_labels_and_shown_readable() {
    let r = report("idn-unicode").await;
    asked_in_a_labels(&r);
    sender_checks_pass(&r);
    // Shown as written: readable.
    let spf = r.rules.iter().find(|x| x.id == RuleId::Spf).expect("spf");
    assert!(spf.summary.contains("bücher.idn.test"), "{}", spf.summary);
    let dkim = r.rules.iter().find(|x| x.id == RuleId::Dkim).expect("dkim");
    assert!(dkim.summary.contains("bücher.idn.test"), "{}", dkim.summary);
    assert_eq!(
        dmarc_names(&r),
        ("bücher.idn.test", Some("bücher.idn.test"))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_u_label_from_aligns_with_an_a_label_signature_and_envelope() {
    // One domain in two spellings: strictly aligned, for rule 5 and DMARC.
    let r = report("idn-mixed").await;
    asked_in_a_labels(&r);
    sender_checks_pass(&r);
    let dkim = r.rules.iter().find(|x| x.id == RuleId::Dkim).expect("dkim");
    assert!(
        dkim.evidence
            .iter()
            .any(|e| e.value.contains("aligned (strict and relaxed)")),
        "{:#?}",
        dkim.evidence
    );
    assert_eq!(
        dmarc_names(&r),
        ("bücher.idn.test", Some("bücher.idn.test"))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_label_names_give_the_same_answers() {
    let r = report("idn-alabel").await;
    asked_in_a_labels(&r);
    sender_checks_pass(&r);
    // Written in A-labels, shown in A-labels (no look-alike Unicode).
    assert_eq!(
        dmarc_names(&r),
        ("xn--bcher-kva.idn.test", Some("xn--bcher-kva.idn.test"))
    );
}
