//! The exact fixes (issue #16) end to end: for a message whose rule fails
//! against the DNS bench, the records the engine computes are published in
//! the bench (each as a zone of its own at the record's name, written under
//! tests/bench/zones/ and removed afterwards), the zones are reloaded, and the
//! same message is checked again: the rule must pass now.
//!
//! The sending server is 198.51.100.247, HELO mta.fixes-run.example. Every name
//! the test breaks and fixes is a zone it writes itself (the broken state
//! first, then the fix into the same zone with a higher serial), outside every
//! static zone so that removing it shows (tests/bench/zones/fixes.test.zone).

use sendtrust::report::RecordFix;
use sendtrust::{Options, Report, RuleId, Verdict};
use sendtrust_tests::{bench, doh_config, repo_root, start_service};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// Zone serials: every write of a zone gets a higher one, so the bench's
/// reload waits until BIND serves the new content.
static SERIAL: AtomicU32 = AtomicU32::new(1);

const IP: &str = "198.51.100.247";
const HELO: &str = "mta.fixes-run.example";
const REVERSE: &str = "247.100.51.198.in-addr.arpa";

/// One test at a time: each rewrites zone files and reloads the bench.
static BENCH_ZONES: Mutex<()> = Mutex::new(());

/// Runs `test` on a runtime of its own while holding [`BENCH_ZONES`] (a
/// plain lock, so it is taken outside any async code).
fn one_at_a_time<F: std::future::Future>(test: F) -> F::Output {
    let _lock = BENCH_ZONES.lock().unwrap_or_else(|e| e.into_inner());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime")
        .block_on(test)
}

fn message(return_path: &str) -> Vec<u8> {
    format!(
        "Return-Path: <{return_path}>\r\n\
         Received: from {HELO} ({HELO} [{IP}])\r\n\
         \tby mx.receiver.example (Postfix) with ESMTPS id 4XfixA1\r\n\
         \tfor <bob@receiver.example>; Mon, 30 Nov 2026 02:00:00 +0000\r\n\
         From: Alice <alice@fixes.test>\r\n\
         To: Bob <bob@receiver.example>\r\n\
         Subject: fix fixture\r\n\
         Date: Mon, 30 Nov 2026 01:59:58 +0000\r\n\
         Message-ID: <fix-fixture@fixes.test>\r\n\
         \r\n\
         Hello.\r\n"
    )
    .into_bytes()
}

async fn analyze(raw: &[u8]) -> Report {
    let options = Options {
        dns: doh_config(&bench().doh),
        dnsbl_zones: Some(Vec::new()),
        dbl_zones: Some(Vec::new()),
        ..Options::default()
    };
    sendtrust::analyze(raw, &options)
        .await
        .expect("the message is accepted")
}

fn zone_path(name: &str) -> PathBuf {
    repo_root().join(format!("tests/bench/zones/{name}.zone"))
}

/// The zone file text of a zone at `apex` holding `records` (type, data) at
/// its apex.
fn zone_text(apex: &str, records: &[(&str, String)]) -> String {
    let serial = SERIAL.fetch_add(1, Ordering::SeqCst);
    let mut text = format!(
        "; written by tests/it/fixes.rs while it runs; removed afterwards\n\
         $ORIGIN {apex}.\n$TTL 60\n\
         @ IN SOA ns.fixes.test. hostmaster.fixes.test. {serial} 3600 600 86400 60\n\
         @ IN NS ns.fixes.test.\n"
    );
    for (rtype, data) in records {
        text.push_str(&format!("@ IN {rtype} {data}\n"));
    }
    text
}

/// Zone files written by a test; removed (and the bench reloaded) on drop,
/// also when the test fails.
struct Published(Vec<PathBuf>);

impl Published {
    fn write(&mut self, apex: &str, records: &[(&str, String)]) {
        let path = zone_path(apex);
        std::fs::write(&path, zone_text(apex, records))
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        if !self.0.contains(&path) {
            self.0.push(path);
        }
    }

    /// Publishes each fix record as the apex of a zone at its name.
    fn publish(&mut self, records: &[RecordFix]) {
        for r in records {
            let value = r
                .value
                .as_deref()
                .unwrap_or_else(|| panic!("the fix has no value to publish: {r:?}"));
            let data = match r.rtype.as_str() {
                "TXT" => format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")),
                "PTR" => format!("{value}."),
                _ => value.to_string(),
            };
            self.write(&r.name, &[(r.rtype.as_str(), data)]);
        }
        reload();
    }
}

impl Drop for Published {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
        // A panic here would abort the test binary: report and go on.
        if std::panic::catch_unwind(reload).is_err() {
            eprintln!("fixes: the bench did not reload after removing the test zones");
        }
    }
}

fn reload() {
    start_service(
        "SENDTRUST_BENCH_JSON",
        "tests/bench/bench.py",
        "tests/bench/run/bench.json",
        "the DNS test bench",
    );
}

/// Rule 4: the record at `domain` is `before` (`None`: no SPF record); the
/// fixed record, once published, makes rule 4 pass for the same message.
async fn spf_fix_makes_rule_4_pass(domain: &str, before: Option<&str>, result: &str) {
    bench();
    let mut published = Published(Vec::new());
    // A reverse zone without the PTR, so rule 2 has an answer too.
    published.write(REVERSE, &[]);
    let broken: Vec<(&str, String)> = before
        .map(|r| ("TXT", format!("\"{r}\"")))
        .into_iter()
        .collect();
    published.write(domain, &broken);
    reload();
    let raw = message(&format!("bounce@{domain}"));
    let report = analyze(&raw).await;
    let spf = &report.rules[3];
    assert_eq!(spf.id, RuleId::Spf);
    assert_eq!(spf.verdict, Verdict::Fail, "{spf:#?}");
    assert_eq!(
        serde_json::to_value(&spf.details).unwrap_or_default()["result"],
        result,
        "{spf:#?}"
    );
    assert_eq!(spf.fix_records.len(), 1, "{:#?}", spf.fix_records);
    assert_eq!(spf.fix_records[0].name, domain);
    published.publish(&spf.fix_records);
    let after = analyze(&raw).await;
    let spf = &after.rules[3];
    assert_eq!(spf.verdict, Verdict::Pass, "{spf:#?}");
    assert_eq!(
        serde_json::to_value(&spf.details).unwrap_or_default()["result"],
        "pass",
        "{spf:#?}"
    );
    assert!(spf.fix_records.is_empty(), "{:#?}", spf.fix_records);
}

#[test]
fn spf_fail_fix_passes_when_published() {
    one_at_a_time(spf_fix_makes_rule_4_pass(
        "spf-fail.fixes-run.example",
        Some("v=spf1 a:mail.fixes.test -all"),
        "fail",
    ));
}

#[test]
fn spf_none_fix_passes_when_published() {
    one_at_a_time(spf_fix_makes_rule_4_pass(
        "spf-none.fixes-run.example",
        None,
        "none",
    ));
}

#[test]
fn spf_permerror_fix_passes_when_published() {
    one_at_a_time(spf_fix_makes_rule_4_pass(
        "spf-cidr.fixes-run.example",
        Some("v=spf1 ip4:198.51.100.247/33 -all"),
        "permerror",
    ));
}

/// Rule 2: no PTR, a HELO name without an address: the PTR and A pair, once
/// published, makes rule 2 pass for the same message.
#[test]
fn reverse_dns_fix_passes_when_published() {
    one_at_a_time(reverse_dns_fix());
}

async fn reverse_dns_fix() {
    bench();
    let mut published = Published(Vec::new());
    published.write(REVERSE, &[]);
    // The HELO name exists but has no address yet.
    published.write(HELO, &[]);
    reload();
    let raw = message("bounce@fixes.test");
    let report = analyze(&raw).await;
    let rdns = &report.rules[1];
    assert_eq!(rdns.id, RuleId::ReverseDns);
    assert_eq!(rdns.verdict, Verdict::Fail, "{rdns:#?}");
    let kinds: Vec<(&str, &str)> = rdns
        .fix_records
        .iter()
        .map(|r| (r.rtype.as_str(), r.name.as_str()))
        .collect();
    assert_eq!(kinds, [("PTR", REVERSE), ("A", HELO)], "{rdns:#?}");
    // Who changes the PTR: the reverse zone's delegation, asked over DoH.
    assert!(
        rdns.fix_records[0].controlled_by.contains(&format!(
            "reverse zone {REVERSE} (delegated to ns.fixes.test)"
        )),
        "{}",
        rdns.fix_records[0].controlled_by
    );
    published.publish(&rdns.fix_records);
    let after = analyze(&raw).await;
    let rdns = &after.rules[1];
    assert_eq!(rdns.verdict, Verdict::Pass, "{rdns:#?}");
    assert!(rdns.fix_records.is_empty(), "{:#?}", rdns.fix_records);
}
