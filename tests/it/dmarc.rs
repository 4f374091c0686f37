//! DMARC beyond the happy path, end to end through the DNS bench: the tree
//! walk's fallback to a parent's record, relaxed vs strict alignment on
//! subdomains, `sp=`, `pct`, `p=quarantine`, two records at one name, a
//! failing ARC chain, and the organisational domain under a two-label public
//! suffix (issue #13: `com.pl`). Zones: tests/bench/zones/dmarc.test.zone and
//! pl.zone; fixtures signed by dkimpy (tests/fixtures/dmarc/make_fixtures.py).

use sendtrust::report::{DmarcReport, Report};
use sendtrust::{RuleId, Verdict};

async fn report(name: &str) -> Report {
    sendtrust_tests::analyze_fixture(&format!("dmarc/{name}.eml")).await
}

fn dmarc(r: &Report) -> &DmarcReport {
    r.beyond.dmarc.as_ref().expect("a DMARC report")
}

#[tokio::test(flavor = "current_thread")]
async fn a_subdomain_without_a_record_gets_the_parents_subdomain_policy() {
    let r = report("walk-subdomain").await;
    let d = dmarc(&r);
    assert_eq!(d.from_domain, "a.b.walk.dmarc.test");
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    // The record that applied is the parent's, found by the tree walk.
    assert_eq!(
        d.policy_domain.as_deref(),
        Some("walk.dmarc.test"),
        "{d:#?}"
    );
    assert_eq!(
        d.record.as_deref(),
        Some("v=DMARC1; p=reject; sp=quarantine")
    );
    assert_eq!(d.policy.as_deref(), Some("reject"));
    assert_eq!(d.subdomain_policy.as_deref(), Some("quarantine"));
    // sp=, not p=, decides for a subdomain.
    assert!(d.disposition.starts_with("quarantine"), "{}", d.disposition);
    // The walk asked the From domain, each parent, and stopped at the TLD.
    for name in [
        "_dmarc.a.b.walk.dmarc.test",
        "_dmarc.b.walk.dmarc.test",
        "_dmarc.walk.dmarc.test",
        "_dmarc.dmarc.test",
        "_dmarc.test",
    ] {
        assert!(
            r.dns_log.iter().any(|e| e.name == name && e.qtype == "TXT"),
            "{name} not asked"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn relaxed_alignment_accepts_a_subdomain_of_the_from_domain() {
    let r = report("relaxed-subdomain").await;
    let d = dmarc(&r);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Pass, "{d:#?}");
    assert!(d.spf_aligned && d.dkim_aligned, "{d:#?}");
    assert_eq!(d.adkim.as_deref(), Some("relaxed"));
    assert_eq!(d.policy_domain.as_deref(), Some("relaxed.dmarc.test"));
    assert!(d.disposition.starts_with("deliver"), "{}", d.disposition);
    // Rule 5 agrees: relaxed only.
    let dkim = &r.rules[4];
    assert_eq!(dkim.id, RuleId::Dkim);
    assert_eq!(dkim.verdict, Verdict::Pass, "{dkim:#?}");
    assert!(
        dkim.evidence
            .iter()
            .any(|e| e.value.contains("aligned (relaxed only)")),
        "{:#?}",
        dkim.evidence
    );
}

#[tokio::test(flavor = "current_thread")]
async fn strict_alignment_rejects_the_same_subdomains() {
    let r = report("strict-subdomain").await;
    let d = dmarc(&r);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert!(!d.spf_aligned && !d.dkim_aligned, "{d:#?}");
    assert_eq!(d.adkim.as_deref(), Some("strict"));
    assert_eq!(d.aspf.as_deref(), Some("strict"));
    assert!(d.disposition.starts_with("reject"), "{}", d.disposition);
    // SPF and DKIM themselves pass: only alignment fails.
    assert_eq!(
        serde_json::to_value(&r.rules[3].details).unwrap_or_default()["result"],
        "pass",
        "{:#?}",
        r.rules[3]
    );
    assert_eq!(
        serde_json::to_value(&r.rules[4].details).unwrap_or_default()["signatures"][0]["result"],
        "pass"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn sp_applies_to_subdomains_and_p_to_the_domain_itself() {
    let parent = report("sp-parent").await;
    let d = dmarc(&parent);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert_eq!(d.policy_domain.as_deref(), Some("sp.dmarc.test"));
    assert_eq!(d.policy.as_deref(), Some("none"));
    assert_eq!(d.subdomain_policy.as_deref(), Some("reject"));
    assert!(
        d.disposition.starts_with("deliver, report only"),
        "{}",
        d.disposition
    );

    let child = report("sp-child").await;
    let d = dmarc(&child);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert_eq!(d.from_domain, "child.sp.dmarc.test");
    assert_eq!(d.policy_domain.as_deref(), Some("sp.dmarc.test"));
    assert!(d.disposition.starts_with("reject"), "{}", d.disposition);
}

#[tokio::test(flavor = "current_thread")]
async fn pct_is_reported_and_explained() {
    let r = report("pct").await;
    let d = dmarc(&r);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert_eq!(d.pct, Some(25));
    // The strictest reading first: reject, and for how much of the mail.
    assert!(d.disposition.starts_with("reject"), "{}", d.disposition);
    assert!(d.disposition.contains("pct=25"), "{}", d.disposition);
    assert!(
        d.warnings.iter().any(|w| w.starts_with("pct=25")),
        "{:?}",
        d.warnings
    );
}

#[tokio::test(flavor = "current_thread")]
async fn quarantine_policy() {
    let r = report("quarantine").await;
    let d = dmarc(&r);
    assert_eq!(d.result, sendtrust::report::DmarcStatus::Fail, "{d:#?}");
    assert_eq!(d.policy.as_deref(), Some("quarantine"));
    assert_eq!(d.pct, None);
    assert!(d.disposition.starts_with("quarantine"), "{}", d.disposition);
}

#[tokio::test(flavor = "current_thread")]
async fn two_records_at_one_name_mean_no_policy() {
    let r = report("two-records").await;
    let d = dmarc(&r);
    // RFC 7489 §6.6.3: not the first record's p=reject, no policy at all.
    assert_eq!(d.result, sendtrust::report::DmarcStatus::None, "{d:#?}");
    assert_eq!(d.policy, None);
    assert_eq!(d.policy_domain, None);
    assert!(
        d.disposition.starts_with("no DMARC policy"),
        "{}",
        d.disposition
    );
    assert!(
        d.warnings.iter().any(
            |w| w.starts_with("2 DMARC records at _dmarc.two.dmarc.test")
                && w.contains("p=reject")
                && w.contains("p=none")
        ),
        "{:?}",
        d.warnings
    );
    // Not "no record": the records are there, and unusable.
    assert!(
        !d.warnings.iter().any(|w| w.starts_with("No DMARC record")),
        "{:?}",
        d.warnings
    );
    let item = r
        .beyond
        .bulk_sender
        .iter()
        .find(|i| i.id == "dmarc-record")
        .expect("dmarc-record item");
    assert_eq!(item.status, sendtrust::report::ChecklistStatus::Fail);
    assert!(
        item.evidence.starts_with("2 DMARC records"),
        "{}",
        item.evidence
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_broken_arc_chain_is_shown_as_failing() {
    let r = report("arc-broken").await;
    let arc = r.beyond.arc.as_ref().expect("an ARC report");
    assert_eq!(
        arc.result,
        Some(sendtrust::report::ArcResult::Fail),
        "{arc:#?}"
    );
    assert!(arc.reason.is_some(), "{arc:#?}");
    assert_eq!(arc.instances.len(), 1);
    assert_eq!(arc.instances[0].sealer, "list.dmarc.test");
    // The Subject changed after sealing, so the author's DKIM fails too.
    assert_eq!(
        serde_json::to_value(&r.rules[4].details).unwrap_or_default()["signatures"][0]["result"],
        "fail"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_signature_from_another_com_pl_domain_is_not_aligned() {
    // Issue #13: com.pl is a public suffix; x.evil.com.pl is not example.com.pl.
    let r = report("compl-evil").await;
    let dkim = &r.rules[4];
    let signature = &serde_json::to_value(&dkim.details).unwrap_or_default()["signatures"][0];
    assert_eq!(signature["domain"], "x.evil.com.pl");
    assert_eq!(signature["result"], "pass", "{dkim:#?}");
    assert_eq!(signature["aligned_relaxed"], false, "{dkim:#?}");
    assert_eq!(dkim.verdict, Verdict::Warn, "{dkim:#?}");
    assert!(dkim.summary.contains("not aligned"), "{}", dkim.summary);
    let d = dmarc(&r);
    assert!(!d.dkim_aligned, "{d:#?}");
    assert_eq!(d.policy_domain.as_deref(), Some("example.com.pl"));

    // The control: the domain's own subdomain is aligned (relaxed).
    let r = report("compl-own").await;
    let signature = &serde_json::to_value(&r.rules[4].details).unwrap_or_default()["signatures"][0];
    assert_eq!(signature["result"], "pass");
    assert_eq!(signature["aligned_relaxed"], true);
    assert_eq!(r.rules[4].verdict, Verdict::Pass);
    assert!(dmarc(&r).dkim_aligned);
    assert_eq!(dmarc(&r).result, sendtrust::report::DmarcStatus::Pass);
}
