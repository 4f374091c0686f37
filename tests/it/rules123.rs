//! Rules 1–3 (static IP, forward and reverse DNS, blocklists) end to end:
//! `sendtrust::analyze` over the fixture messages in `tests/fixtures/rules123/`,
//! with DNS from the test bench (zones `rdns.test`, `2.0.192.in-addr.arpa`,
//! `8.b.d.0.1.0.0.2.ip6.arpa`, `bl.test`, `dbl.test` and local fakes of
//! `zen.spamhaus.org`, `dyna.spamrats.com`, `noptr.spamrats.com`).
//!
//! Run: `cargo test -p sendtrust-tests --test rules123 -- --nocapture` (prints
//! a verdict table).

use sendtrust::dns::DnsConfig;
use sendtrust::report::{Report, RuleResult};
use sendtrust::{Options, RuleId, Verdict, analyze};
use sendtrust_tests::{bench, doh_config, fixture};
use std::time::Duration;

use Verdict::{Fail, NotApplicable as NA, Pass, Unknown, Warn};

fn options(dns: DnsConfig) -> Options {
    Options {
        dns,
        dnsbl_zones: Some(vec!["bl.test".into(), "zen.spamhaus.org".into()]),
        dbl_zones: Some(vec!["dbl.test".into()]),
        ..Options::default()
    }
}

async fn run_with(name: &str, options: &Options) -> Report {
    let raw = fixture(&format!("rules123/{name}.eml"));
    analyze(&raw, options)
        .await
        .unwrap_or_else(|e| panic!("{name}: not analysed: {e}"))
}

async fn run(name: &str) -> Report {
    run_with(name, &options(doh_config(&bench().doh))).await
}

fn rule(report: &Report, id: RuleId) -> &RuleResult {
    report
        .rules
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no {} result", id.as_str()))
}

fn evidence_has(r: &RuleResult, needle: &str) -> bool {
    r.evidence
        .iter()
        .any(|e| e.label.contains(needle) || e.value.contains(needle))
}

/// Fixture, checked IP, expected verdicts for rules 1, 2, 3.
const TABLE: &[(&str, Option<&str>, [Verdict; 3])] = &[
    ("static", Some("192.0.2.10"), [Pass, Pass, Pass]),
    ("dynamic", Some("192.0.2.20"), [Fail, Warn, Pass]),
    ("pbl", Some("192.0.2.21"), [Fail, Pass, Fail]),
    ("noptr", Some("192.0.2.30"), [Warn, Fail, Pass]),
    ("mismatch", Some("192.0.2.40"), [Pass, Fail, Pass]),
    ("listed", Some("192.0.2.50"), [Pass, Pass, Fail]),
    ("refused", Some("192.0.2.60"), [Pass, Pass, Pass]),
    ("generic", Some("192.0.2.70"), [Pass, Warn, Pass]),
    ("bare-helo", Some("192.0.2.10"), [Warn, Warn, Pass]),
    ("static6", Some("2001:db8::10"), [Pass, Pass, Pass]),
    ("dynamic6", Some("2001:db8::20"), [Fail, Warn, Pass]),
    ("noptr6", Some("2001:db8::30"), [Warn, Fail, Pass]),
    ("listed6", Some("2001:db8::50"), [Pass, Pass, Fail]),
    ("private", None, [NA, NA, Pass]),
];

#[tokio::test(flavor = "current_thread")]
async fn verdicts_per_fixture() {
    let mut failures = Vec::new();
    println!(
        "{:<10} {:<14} {:<15} {:<15} {:<15}",
        "fixture", "checked IP", "static-ip", "reverse-dns", "blocklists"
    );
    for (name, ip, expected) in TABLE {
        let report = run(name).await;
        let got: Vec<Verdict> = [RuleId::StaticIp, RuleId::ReverseDns, RuleId::Blocklists]
            .iter()
            .map(|id| rule(&report, *id).verdict)
            .collect();
        let checked = report.sender.as_ref().map(|s| s.ip.to_string());
        println!(
            "{name:<10} {:<14} {:<15} {:<15} {:<15}",
            checked.as_deref().unwrap_or("-"),
            got[0].as_str(),
            got[1].as_str(),
            got[2].as_str()
        );
        if checked.as_deref() != *ip {
            failures.push(format!("{name}: checked {checked:?}, expected {ip:?}"));
        }
        if got != expected {
            failures.push(format!("{name}: got {got:?}, expected {expected:?}"));
            for id in [RuleId::StaticIp, RuleId::ReverseDns, RuleId::Blocklists] {
                let r = rule(&report, id);
                failures.push(format!("  {}: {}", id.as_str(), r.summary));
            }
        }
        // Every rule that checked an IP says which, and why that hop.
        if let Some(ip) = ip {
            for id in [RuleId::StaticIp, RuleId::ReverseDns, RuleId::Blocklists] {
                let r = rule(&report, id);
                let first = r.evidence.first();
                if !first.is_some_and(|e| e.label == "Checked IP" && e.value.starts_with(ip)) {
                    failures.push(format!(
                        "{name}: {} does not start with the checked IP",
                        id.as_str()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "current_thread")]
async fn static_server_evidence() {
    let report = run("static").await;
    let r2 = rule(&report, RuleId::ReverseDns);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["fcrdns"],
        true
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["ptr"]["names"][0]["name"],
        "mail.rdns.test"
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["forward"][0]["status"],
        "confirmed"
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["helo"]["status"],
        "agrees"
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["recorded"]["matches"],
        true
    );
    let r1 = rule(&report, RuleId::StaticIp);
    assert_eq!(
        serde_json::to_value(&r1.details).unwrap_or_default()["ptr"]["names"][0]["kind"],
        "specific"
    );
    assert!(r1.fix.is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn dynamic_name_and_dyna_listing() {
    let report = run("dynamic").await;
    let r1 = rule(&report, RuleId::StaticIp);
    assert!(r1.summary.contains("residential"), "{}", r1.summary);
    assert!(evidence_has(r1, "127.0.0.36"));
    assert!(r1.fix.as_deref().unwrap_or("").contains("smarthost"));
    let r2 = rule(&report, RuleId::ReverseDns);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["fcrdns"],
        true
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["name_kind"],
        "dynamic"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn pbl_listing_fails_rule_1_and_shows_in_rule_3() {
    let report = run("pbl").await;
    let r1 = rule(&report, RuleId::StaticIp);
    assert!(r1.summary.contains("PBL"), "{}", r1.summary);
    assert!(evidence_has(r1, "127.0.0.11"));
    assert!(
        evidence_has(r1, "https://check.spamhaus.org/query/ip/192.0.2.21"),
        "TXT shown"
    );
    let r3 = rule(&report, RuleId::Blocklists);
    let zen = &serde_json::to_value(&r3.details).unwrap_or_default()["ip_lists"][1];
    assert_eq!(zen["zone"], "zen.spamhaus.org");
    assert_eq!(zen["status"], "listed");
    assert_eq!(zen["codes"][0], "127.0.0.11");
}

#[tokio::test(flavor = "current_thread")]
async fn no_ptr() {
    let report = run("noptr").await;
    let r2 = rule(&report, RuleId::ReverseDns);
    assert!(r2.summary.contains("no reverse name"), "{}", r2.summary);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["ptr"]["status"],
        "nxdomain"
    );
    let fix = r2.fix.as_deref().unwrap_or("");
    assert!(
        fix.contains("set a PTR record for 192.0.2.30 pointing to mail3.rdns.test"),
        "{fix}"
    );
    let r1 = rule(&report, RuleId::StaticIp);
    assert!(evidence_has(r1, "127.0.0.37"), "NoPtr listing shown");
}

#[tokio::test(flavor = "current_thread")]
async fn ptr_whose_a_does_not_match() {
    let report = run("mismatch").await;
    let r2 = rule(&report, RuleId::ReverseDns);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["fcrdns"],
        false
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["forward"][0]["status"],
        "mismatch"
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["forward"][0]["addresses"][0],
        "192.0.2.41"
    );
    assert!(
        r2.summary.contains("does not resolve back"),
        "{}",
        r2.summary
    );
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["recorded"]["kind"],
        "unknown"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn listed_ip_and_domain_with_txt_reasons() {
    let report = run("listed").await;
    let r3 = rule(&report, RuleId::Blocklists);
    assert_eq!(r3.verdict, Fail);
    let bl = &serde_json::to_value(&r3.details).unwrap_or_default()["ip_lists"][0];
    assert_eq!(bl["status"], "listed");
    assert_eq!(bl["query"], "50.2.0.192.bl.test");
    assert!(
        bl["txt"]
            .as_str()
            .unwrap_or("")
            .contains("https://bl.test/remove?ip=192.0.2.50")
    );
    let r3_details = serde_json::to_value(&r3.details).unwrap_or_default();
    let listed_domain = r3_details["domain_lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "listed")
        .expect("a listed domain");
    assert_eq!(listed_domain["domain"], "bad.rdns.test");
    let sources = listed_domain["sources"].to_string();
    assert!(
        sources.contains("From") && sources.contains("DKIM d="),
        "{sources}"
    );
    assert!(r3.fix.as_deref().unwrap_or("").contains("removal"));
}

#[tokio::test(flavor = "current_thread")]
async fn spamhaus_refusal_is_never_a_listing() {
    let report = run("refused").await;
    let r3 = rule(&report, RuleId::Blocklists);
    assert_eq!(r3.verdict, Pass, "{}", r3.summary);
    let zen = &serde_json::to_value(&r3.details).unwrap_or_default()["ip_lists"][1];
    assert_eq!(zen["status"], "invalid-answer");
    assert_eq!(zen["codes"][0], "127.255.255.254");
    assert!(
        zen["meaning"]
            .as_str()
            .unwrap_or("")
            .contains("public or open DNS resolver")
    );
    assert!(zen["what_to_do"].as_str().unwrap_or("").contains("DQS"));
    assert!(
        r3.summary.contains("Spamhaus ZEN (refused)"),
        "{}",
        r3.summary
    );
    // Rule 1 asks the same question: no PBL verdict from a refusal.
    let r1 = rule(&report, RuleId::StaticIp);
    assert_eq!(r1.verdict, Pass);
    assert!(evidence_has(r1, "127.255.255.254"));
    // The receiver recorded another name than today's PTR: explained.
    let r2 = rule(&report, RuleId::ReverseDns);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["recorded"]["matches"],
        false
    );
    assert!(evidence_has(
        r2,
        "the PTR changed since the message was received"
    ));
}

#[tokio::test(flavor = "current_thread")]
async fn ipv6_nibbles() {
    let report = run("listed6").await;
    let r3 = rule(&report, RuleId::Blocklists);
    let bl = &serde_json::to_value(&r3.details).unwrap_or_default()["ip_lists"][0];
    assert_eq!(
        bl["query"],
        "0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test"
    );
    assert_eq!(bl["status"], "listed");
    assert_eq!(bl["txt"], "Listed in bl.test: IPv6 spam source");
    let r2 = rule(&report, RuleId::ReverseDns);
    assert_eq!(
        serde_json::to_value(&r2.details).unwrap_or_default()["forward"][0]["qtype"],
        "AAAA"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn user_chosen_private_ip_is_not_applicable() {
    let opts = Options {
        sender_ip: Some("10.0.0.5".parse().unwrap()),
        ..options(doh_config(&bench().doh))
    };
    let report = run_with("static", &opts).await;
    for id in [RuleId::StaticIp, RuleId::ReverseDns] {
        let r = rule(&report, id);
        assert_eq!(r.verdict, NA, "{}", r.summary);
        assert!(r.summary.contains("private address"), "{}", r.summary);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn timeouts_are_unknown_never_pass_or_fail() {
    let mut dns = doh_config(&bench().blackhole);
    dns.timeout = Duration::from_millis(800);
    dns.retries = 0;
    dns.max_in_flight = 32;
    let started = std::time::Instant::now();
    for name in ["static", "static6"] {
        let report = run_with(name, &options(dns.clone())).await;
        for id in [RuleId::StaticIp, RuleId::ReverseDns, RuleId::Blocklists] {
            let r = rule(&report, id);
            assert_eq!(r.verdict, Unknown, "{name} {}: {}", id.as_str(), r.summary);
            assert!(
                r.evidence
                    .iter()
                    .any(|e| e.tone == sendtrust::report::Tone::Error),
                "{name} {}: the failure is shown",
                id.as_str()
            );
        }
    }
    assert!(started.elapsed() < Duration::from_secs(30), "no hang");
}
