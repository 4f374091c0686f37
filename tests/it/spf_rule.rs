//! Rule 4 (SPF) end to end: messages built here, SPF records served by the DNS
//! test bench (tests/bench/zones/auth.test.zone, the `*.spf.auth.test` names),
//! evaluated by `sendtrust::analyze` through DoH.

use sendtrust::dns::DnsConfig;
use sendtrust::{Options, RuleResult, Verdict};
use sendtrust_tests::{bench, doh_config};
use serde_json::Value;
use std::time::Duration;

/// A message handed off by `helo` [`ip`] (the Received chain's only hop, so
/// the engine picks it as the sending IP). `return_path`: `None` leaves the
/// field out, `Some("")` is the null sender `<>`.
fn message(ip: &str, helo: &str, return_path: Option<&str>, extra: &str) -> Vec<u8> {
    let return_path = return_path.map_or(String::new(), |rp| format!("Return-Path: <{rp}>\r\n"));
    format!(
        "{return_path}{extra}Received: from {helo} ({helo} [{ip}])\r\n\
         \tby mx.receiver.example (Postfix) with ESMTPS id 4Xq2SPF\r\n\
         \tfor <bob@receiver.example>; Mon, 18 Nov 2024 11:00:00 +0000\r\n\
         From: Alice <alice@auth.test>\r\n\
         To: Bob <bob@receiver.example>\r\n\
         Subject: SPF fixture\r\n\
         Date: Mon, 18 Nov 2024 10:59:58 +0000\r\n\
         Message-ID: <spf-fixture@auth.test>\r\n\
         \r\n\
         Hello.\r\n"
    )
    .into_bytes()
}

fn options(dns: DnsConfig) -> Options {
    Options {
        dns,
        // Rules 1-3 are not under test here: keep their queries out of the way.
        dnsbl_zones: Some(Vec::new()),
        dbl_zones: Some(Vec::new()),
        ..Options::default()
    }
}

async fn spf_with(raw: &[u8], dns: DnsConfig) -> RuleResult {
    let report = sendtrust::analyze(raw, &options(dns))
        .await
        .expect("the message is accepted");
    let rule = report.rules[3].clone();
    assert_eq!(rule.id, sendtrust::RuleId::Spf, "rules[3] is not SPF");
    rule
}

/// Rule 4 for mail from `ip` with envelope sender `bounce@<domain>`.
async fn spf(ip: &str, domain: &str) -> RuleResult {
    let raw = message(ip, "mail.auth.test", Some(&format!("bounce@{domain}")), "");
    spf_with(&raw, doh_config(&bench().doh)).await
}

fn context(rule: &RuleResult) -> String {
    let evidence: Vec<String> = rule
        .evidence
        .iter()
        .map(|e| format!("  [{}] {}: {}", e.tone, e.label, e.value))
        .collect();
    format!(
        "{:?} — {}\nfix: {:?}\nevidence:\n{}\ndetails: {:#}",
        rule.verdict,
        rule.summary,
        rule.fix,
        evidence.join("\n"),
        serde_json::to_value(&rule.details).unwrap_or_default()
    )
}

fn evidence<'r>(rule: &'r RuleResult, label: &str) -> Vec<&'r str> {
    rule.evidence
        .iter()
        .filter(|e| e.label == label)
        .map(|e| e.value.as_str())
        .collect()
}

/// Checks `details` (the `SpfEvaluation`).
fn assert_details(
    rule: &RuleResult,
    result: &str,
    domain: &str,
    lookups: u64,
    decided_by: Option<&str>,
) {
    let ctx = context(rule);
    let d = serde_json::to_value(&rule.details).unwrap_or_default();
    assert_eq!(d["result"], result, "{ctx}");
    assert_eq!(d["domain"], domain, "{ctx}");
    assert_eq!(d["lookups"], lookups, "{ctx}");
    match decided_by {
        Some(term) => assert_eq!(d["decided_by"], term, "{ctx}"),
        None => assert_eq!(d["decided_by"], Value::Null, "{ctx}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn pass_by_ip4() {
    let rule = spf("198.51.100.10", "pass.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_details(
        &rule,
        "pass",
        "pass.spf.auth.test",
        0,
        Some("ip4:198.51.100.10"),
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["identity"],
        "mail-from",
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["void_lookups"],
        0,
        "{ctx}"
    );
    assert_eq!(
        rule.summary,
        "SPF pass: the envelope sender's domain pass.spf.auth.test authorises 198.51.100.10.",
        "{ctx}"
    );
    assert_eq!(rule.fix, None, "{ctx}");
    assert_eq!(
        evidence(&rule, "SPF record of pass.spf.auth.test"),
        ["v=spf1 ip4:198.51.100.10 -all"],
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "Sending IP")[0].split(' ').next(),
        Some("198.51.100.10"),
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "Envelope sender"),
        ["bounce@pass.spf.auth.test (from Return-Path)"],
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn fail_by_dash_all_names_the_ip_in_the_fix() {
    let rule = spf("198.51.100.66", "fail.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "fail", "fail.spf.auth.test", 0, Some("-all"));
    assert!(rule.summary.starts_with("SPF fail:"), "{ctx}");
    assert!(rule.summary.contains("198.51.100.66 may not send"), "{ctx}");
    let fix = rule.fix.as_deref().unwrap_or_default();
    assert!(fix.contains("If 198.51.100.66 is your server"), "{ctx}");
    assert!(fix.contains("`ip4:198.51.100.66`"), "{ctx}");
    assert!(fix.contains("fail.spf.auth.test"), "{ctx}");
    assert_eq!(evidence(&rule, "Decided by"), ["`-all`"], "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn fail_shows_the_published_explanation() {
    let rule = spf("198.51.100.66", "expfail.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "fail", "expfail.spf.auth.test", 0, Some("-all"));
    let text = "198.51.100.66 is not one of expfail.spf.auth.test's designated mail servers.";
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["explanation"],
        text,
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "Explanation published by the domain"),
        [text],
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn softfail_and_neutral() {
    let rule = spf("198.51.100.66", "softfail.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "softfail", "softfail.spf.auth.test", 0, Some("~all"));
    assert!(rule.summary.starts_with("SPF softfail:"), "{ctx}");
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("`ip4:198.51.100.66`"),
        "{ctx}"
    );

    let rule = spf("198.51.100.66", "neutral.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Warn, "{ctx}");
    assert_details(&rule, "neutral", "neutral.spf.auth.test", 0, Some("?all"));
    assert!(rule.summary.starts_with("SPF neutral:"), "{ctx}");
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("`ip4:198.51.100.66`"),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn none_when_no_spf_record() {
    let rule = spf("198.51.100.10", "none.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "none", "none.spf.auth.test", 0, None);
    assert!(rule.summary.starts_with("No SPF record:"), "{ctx}");
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("`v=spf1 ip4:198.51.100.10 ~all`"),
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["tree"]["problem"],
        "no SPF record (TXT \"v=spf1 …\")",
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn permerror_for_two_records() {
    let rule = spf("198.51.100.10", "twospf.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "permerror", "twospf.spf.auth.test", 0, None);
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["tree"]["record_count"],
        2,
        "{ctx}"
    );
    assert!(
        rule.summary.contains("two or more SPF records at one name"),
        "{ctx}"
    );
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("merge them into one TXT record"),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn permerror_for_more_than_ten_lookups() {
    // hop11 would authorise 198.51.100.10, but the 11th include is one too many.
    let rule = spf("198.51.100.10", "toomany.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "permerror", "toomany.spf.auth.test", 11, None);
    assert!(
        rule.summary
            .contains("11 DNS lookups, more than the limit of 10"),
        "{ctx}"
    );
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .starts_with("More than 10 lookups: flatten includes"),
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "DNS lookups"),
        ["11 of 10 DNS-querying terms, 0 of 2 void lookups"],
        "{ctx}"
    );
    // The chain: top -> hop1 -> … -> hop10 read, hop11 not reached.
    let mut node = &serde_json::to_value(&rule.details).unwrap_or_default()["tree"];
    let mut depth = 0;
    while let Some(child) = node["children"].as_array().and_then(|c| c.first()) {
        depth += 1;
        assert_eq!(child["via"], "include", "{ctx}");
        assert_eq!(
            child["domain"],
            format!("hop{depth}.toomany.spf.auth.test"),
            "{ctx}"
        );
        node = child;
    }
    // hop11 was never asked for: the 11th include is over the limit.
    assert_eq!(depth, 11, "{ctx}");
    assert_eq!(node["domain"], "hop11.toomany.spf.auth.test", "{ctx}");
    assert_eq!(
        node["problem"], "not looked up: term number 11 that queries DNS, over the limit of 10",
        "{ctx}"
    );
    // The permerror names the term that went over and where it is.
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["permerror"]["kind"],
        "lookup-limit",
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["permerror"]["term"],
        "include:hop11.toomany.spf.auth.test",
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["permerror"]["domain"],
        "hop10.toomany.spf.auth.test",
        "{ctx}"
    );
    assert!(
        rule.summary.contains("term 1 `include:hop11.toomany.spf.auth.test` of the SPF record of hop10.toomany.spf.auth.test"),
        "{ctx}"
    );
}

/// The permerror wording every kind shares: receivers' treatment in the
/// summary, and a fix that points at the term, never at adding the IP.
fn assert_permerror_wording(rule: &RuleResult, term: &str) {
    let ctx = context(rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["result"],
        "permerror",
        "{ctx}"
    );
    assert!(
        rule.summary.contains(
            "Gmail, Microsoft and most filters treat a permerror as a fail or as no SPF at all"
        ),
        "{ctx}"
    );
    assert!(rule.summary.contains(term), "{ctx}");
    let fix = rule.fix.as_deref().unwrap_or_default();
    assert!(fix.contains(term), "{ctx}");
    assert!(!fix.contains("add `ip4:"), "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn permerror_names_the_invalid_term_even_when_the_ip_is_listed() {
    // ip4:198.51.100.10/33 lists the sender, but /33 is out of range: the
    // whole record is a permerror (mail-auth used to say pass).
    let rule = spf("198.51.100.10", "badcidr.spf.auth.test").await;
    let ctx = context(&rule);
    assert_permerror_wording(&rule, "`ip4:198.51.100.10/33`");
    assert!(
        rule.summary.contains(
            "term 1 `ip4:198.51.100.10/33` of the SPF record of badcidr.spf.auth.test is invalid: prefix length /33 is out of range (0-32)"
        ),
        "{ctx}"
    );
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .starts_with("Correct or remove `ip4:198.51.100.10/33` in the SPF record of badcidr.spf.auth.test (term 1)"),
        "{ctx}"
    );
    let p = &serde_json::to_value(&rule.details).unwrap_or_default()["permerror"];
    assert_eq!(p["kind"], "syntax", "{ctx}");
    assert_eq!(p["position"], 1, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["decided_by"],
        Value::Null,
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn dmarc_takes_the_strict_spf_result() {
    // From and envelope in badcidr.spf.auth.test, which publishes DMARC
    // p=reject: the SPF record's only error is `/33`, and DMARC must not
    // count a lenient SPF pass as aligned.
    let raw = message(
        "198.51.100.10",
        "mail.auth.test",
        Some("bounce@badcidr.spf.auth.test"),
        "",
    );
    let text = String::from_utf8(raw).expect("ASCII message").replace(
        "From: Alice <alice@auth.test>",
        "From: Alice <alice@badcidr.spf.auth.test>",
    );
    let report = sendtrust::analyze(text.as_bytes(), &options(doh_config(&bench().doh)))
        .await
        .expect("the message is accepted");
    let dmarc = report.beyond.dmarc.as_ref().expect("DMARC evaluated");
    assert_eq!(
        serde_json::to_value(&report.rules[3].details).unwrap_or_default()["result"],
        "permerror",
        "{dmarc:#?}"
    );
    assert_eq!(
        dmarc.policy_domain.as_deref(),
        Some("badcidr.spf.auth.test"),
        "{dmarc:#?}"
    );
    assert!(!dmarc.spf_aligned, "{dmarc:#?}");
    assert_eq!(
        dmarc.result,
        sendtrust::report::DmarcStatus::Fail,
        "{dmarc:#?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn third_void_lookup_is_a_permerror() {
    let rule = spf("198.51.100.10", "void.spf.auth.test").await;
    let ctx = context(&rule);
    assert_permerror_wording(&rule, "`a:v3.void.spf.auth.test`");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["void_lookups"],
        3,
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["permerror"]["kind"],
        "void-limit",
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["permerror"]["position"],
        3,
        "{ctx}"
    );
    assert!(
        rule.summary
            .contains("3 void lookups, more than the limit of 2"),
        "{ctx}"
    );
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("a:v1.void.spf.auth.test"),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn byte_order_mark_before_v_spf1_is_flagged() {
    let rule = spf("198.51.100.10", "bom.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["result"],
        "none",
        "{ctx}"
    );
    assert!(rule.summary.contains("byte-order mark (U+FEFF)"), "{ctx}");
    let fix = rule.fix.as_deref().unwrap_or_default();
    assert!(fix.contains("begins exactly with `v=spf1 `"), "{ctx}");
    assert!(!fix.contains("ip4:"), "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn unusual_modifier_name_is_not_an_error() {
    let rule = spf("198.51.100.10", "modifier.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_details(
        &rule,
        "pass",
        "modifier.spf.auth.test",
        0,
        Some("ip4:198.51.100.10"),
    );
}

#[tokio::test(flavor = "current_thread")]
async fn redirect_is_attributed_to_the_target_record() {
    let rule = spf("198.51.100.10", "redirect.spf.auth.test").await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_details(
        &rule,
        "pass",
        "redirect.spf.auth.test",
        1,
        Some("ip4:198.51.100.10"),
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["decided_in"],
        "pass.spf.auth.test",
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "Decided by"),
        ["`ip4:198.51.100.10` (in the record of pass.spf.auth.test)"],
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["tree"]["children"][0]["via"],
        "redirect",
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn ipv4_mapped_sender_is_checked_as_ipv4() {
    // The Received chain records the client as an IPv4-mapped IPv6 address;
    // the engine evaluates SPF for the IPv4 address it carries (RFC 7208 5).
    let raw = message(
        "IPv6:::ffff:198.51.100.10",
        "mail.auth.test",
        Some("bounce@pass.spf.auth.test"),
        "",
    );
    let rule = spf_with(&raw, doh_config(&bench().doh)).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["decided_by"],
        "ip4:198.51.100.10",
        "{ctx}"
    );
    assert!(rule.summary.contains("authorises 198.51.100.10."), "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn include_tree_is_explained() {
    let domain = "tree.spf.auth.test";
    // Through include b, then include c: the whole tree is evaluated.
    let rule = spf("198.51.100.60", domain).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_details(
        &rule,
        "pass",
        domain,
        5,
        Some("include:_spf-b.tree.spf.auth.test"),
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["void_lookups"],
        0,
        "{ctx}"
    );
    let tree = &serde_json::to_value(&rule.details).unwrap_or_default()["tree"];
    assert_eq!(tree["via"], "top", "{ctx}");
    let children = tree["children"].as_array().expect("children");
    let names: Vec<&str> = children
        .iter()
        .map(|c| c["domain"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["_spf-a.tree.spf.auth.test", "_spf-b.tree.spf.auth.test"],
        "{ctx}"
    );
    assert_eq!(
        children[1]["children"][0]["domain"], "_spf-c.tree.spf.auth.test",
        "{ctx}"
    );
    assert_eq!(
        children[1]["children"][0]["record"], "v=spf1 ip4:198.51.100.60 -all",
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "    ↳ include _spf-c.tree.spf.auth.test"),
        ["v=spf1 ip4:198.51.100.60 -all"],
        "{ctx}"
    );
    assert_eq!(
        evidence(&rule, "DNS lookups"),
        ["5 of 10 DNS-querying terms, 0 of 2 void lookups"],
        "{ctx}"
    );

    // Through include a (ip4:198.51.100.40/30).
    let rule = spf("198.51.100.41", domain).await;
    assert_eq!(rule.verdict, Verdict::Pass, "{}", context(&rule));
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["decided_by"],
        "include:_spf-a.tree.spf.auth.test",
        "{}",
        context(&rule)
    );

    // By the mx mechanism (mx.tree.spf.auth.test A 198.51.100.30).
    let rule = spf("198.51.100.30", domain).await;
    assert_eq!(rule.verdict, Verdict::Pass, "{}", context(&rule));
    let ctx = context(&rule);
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["decided_by"],
        "mx",
        "{ctx}"
    );
    // mx decided first: the includes were never looked up, and that is not a
    // void lookup.
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["void_lookups"],
        0,
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["tree"]["children"][0]["problem"],
        "not looked up: the evaluation ended before reaching it",
        "{ctx}"
    );

    // Nothing matches: the top record's -all.
    let rule = spf("198.51.100.66", domain).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_details(&rule, "fail", domain, 5, Some("-all"));
}

#[tokio::test(flavor = "current_thread")]
async fn null_sender_checks_the_helo_name() {
    let raw = message("198.51.100.70", "helo.spf.auth.test", Some(""), "");
    let rule = spf_with(&raw, doh_config(&bench().doh)).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["identity"],
        "helo",
        "{ctx}"
    );
    assert_details(
        &rule,
        "pass",
        "helo.spf.auth.test",
        0,
        Some("ip4:198.51.100.70"),
    );
    assert!(
        rule.summary.contains("the HELO name helo.spf.auth.test"),
        "{ctx}"
    );
    assert!(
        evidence(&rule, "Envelope sender")[0].starts_with("<> (null sender"),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn timeout_is_unknown_not_fail() {
    // The bench's blackhole endpoint never answers: every lookup times out.
    let dns = DnsConfig {
        timeout: Duration::from_millis(800),
        retries: 0,
        ..doh_config(&bench().blackhole)
    };
    let raw = message(
        "198.51.100.10",
        "mail.auth.test",
        Some("bounce@pass.spf.auth.test"),
        "",
    );
    let rule = spf_with(&raw, dns).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Unknown, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["result"],
        "temperror",
        "{ctx}"
    );
    assert!(
        rule.summary.starts_with(
            "Could not check SPF for the envelope sender's domain pass.spf.auth.test: temperror"
        ),
        "{ctx}"
    );
    assert_eq!(rule.fix, None, "{ctx}");
    let failures = evidence(&rule, "Lookup failed");
    assert!(
        failures
            .iter()
            .any(|f| f.starts_with("TXT pass.spf.auth.test")),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn receiver_recorded_pass_but_now_fail() {
    let recorded = "Authentication-Results: mx.receiver.example;\r\n\
                    \tspf=pass (sender IP is 198.51.100.66) smtp.mailfrom=bounce@fail.spf.auth.test\r\n";
    let raw = message(
        "198.51.100.66",
        "mail.auth.test",
        Some("bounce@fail.spf.auth.test"),
        recorded,
    );
    let rule = spf_with(&raw, doh_config(&bench().doh)).await;
    let ctx = context(&rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["result"],
        "fail",
        "{ctx}"
    );
    let recorded = evidence(&rule, "The receiver recorded");
    assert_eq!(recorded.len(), 1, "{ctx}");
    assert!(
        recorded[0].starts_with(
            "pass (recorded by mx.receiver.example in Authentication-Results) — differs from now: it passed at delivery"
        ),
        "{ctx}"
    );

    // The same result recorded reads as agreement.
    let recorded = "Received-SPF: fail (mx.receiver.example: domain of bounce@fail.spf.auth.test does not designate 198.51.100.66 as permitted sender) client-ip=198.51.100.66; envelope-from=\"bounce@fail.spf.auth.test\";\r\n";
    let raw = message(
        "198.51.100.66",
        "mail.auth.test",
        Some("bounce@fail.spf.auth.test"),
        recorded,
    );
    let rule = spf_with(&raw, doh_config(&bench().doh)).await;
    let ctx = context(&rule);
    assert!(
        rule.evidence
            .iter()
            .any(|e| e.label == "The receiver recorded"
                && e.tone == sendtrust::report::Tone::Good
                && e.value == "fail (recorded by mx.receiver.example in Received-SPF)"),
        "{ctx}"
    );
}
