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
//!
//! Rules 3 and 5 and DMARC (issue #16, second part): a blocklist listing in the
//! bench's static list zones gets the list's policy and a refusal code none;
//! rule 5's key record, published with the key the fix's own command made,
//! makes the signed message pass; DMARC's first record and its first
//! enforcement step are read back once published. The DMARC tests write a
//! zone at a made-up top-level name (`fixes-dmarc`), so that every name DMARC's
//! tree walk asks is inside it (NXDOMAIN, not REFUSED, before publishing).

use sendtrust::report::{RecordFix, Removal};
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

/// A message handed over by `ip` (HELO `helo`) with the envelope sender
/// `return_path` and the From address `from`.
fn message_from(ip: &str, helo: &str, return_path: &str, from: &str) -> Vec<u8> {
    format!(
        "Return-Path: <{return_path}>\r\n\
         Received: from {helo} ({helo} [{ip}])\r\n\
         \tby mx.receiver.example (Postfix) with ESMTPS id 4XfixB2\r\n\
         \tfor <bob@receiver.example>; Mon, 30 Nov 2026 02:00:00 +0000\r\n\
         From: Alice <{from}>\r\n\
         To: Bob <bob@receiver.example>\r\n\
         Subject: fix fixture\r\n\
         Date: Mon, 30 Nov 2026 01:59:58 +0000\r\n\
         Message-ID: <fix-fixture-2@fixes.test>\r\n\
         \r\n\
         Hello.\r\n"
    )
    .into_bytes()
}

/// Rule 3 against the bench's static list zones: a listing gets the list's
/// policy; a refusal code gets none (it is not a listing).
#[test]
fn blocklist_listings_get_the_lists_policy_and_refusals_none() {
    one_at_a_time(blocklist_steps());
}

async fn blocklist_steps() {
    bench();
    let options = Options {
        dns: doh_config(&bench().doh),
        dnsbl_zones: Some(vec!["zen.spamhaus.org".into(), "bl.spamcop.net".into()]),
        dbl_zones: Some(Vec::new()),
        ..Options::default()
    };
    // 203.0.113.200 is on the SBL in the bench's zen.spamhaus.org zone.
    let raw = message_from(
        "203.0.113.200",
        "mta.fixes.test",
        "bounce@fixes.test",
        "alice@fixes.test",
    );
    let report = sendtrust::analyze(&raw, &options).await.expect("accepted");
    let rule = &report.rules[2];
    assert_eq!(rule.id, RuleId::Blocklists);
    assert_eq!(rule.verdict, Verdict::Fail, "{rule:#?}");
    assert_eq!(rule.fix_steps.len(), 1, "{:#?}", rule.fix_steps);
    let step = &rule.fix_steps[0];
    assert_eq!(step.problem, "listed");
    assert_eq!(
        step.subject,
        "203.0.113.200 on Spamhaus ZEN — SBL (127.0.0.2)"
    );
    assert_eq!(step.removal, Some(Removal::NetworkOwner));
    assert_eq!(step.page.as_deref(), Some("https://check.spamhaus.org/"));
    assert_eq!(
        step.source.as_deref(),
        Some("https://www.spamhaus.org/sbl/delistingprocedure/")
    );
    // The rule's advice in words follows the same policy: the sender cannot
    // remove an SBL listing.
    let advice = rule.fix.as_deref().unwrap_or_default();
    assert!(advice.contains("contact your provider"), "{advice}");
    assert!(!advice.contains("then ask for removal"), "{advice}");
    // The same step in the Markdown.
    let md = sendtrust::markdown::markdown(&report);
    assert!(
        md.contains("SBL (127.0.0.2): The spam must have stopped"),
        "{md}"
    );
    // 192.0.2.60 gets 127.255.255.254 (public resolver refused): not a listing.
    let raw = message_from(
        "192.0.2.60",
        "mta.fixes.test",
        "bounce@fixes.test",
        "alice@fixes.test",
    );
    let report = sendtrust::analyze(&raw, &options).await.expect("accepted");
    let rule = &report.rules[2];
    assert_ne!(rule.verdict, Verdict::Fail, "{rule:#?}");
    assert!(rule.fix_steps.is_empty(), "{:#?}", rule.fix_steps);
}

/// Writes the zone at `apex` with `records` as (owner relative to the apex,
/// type, data) lines, replacing what was there.
fn write_zone(published: &mut Published, apex: &str, records: &[(&str, &str, String)]) {
    let serial = SERIAL.fetch_add(1, Ordering::SeqCst);
    let mut text = format!(
        "; written by tests/it/fixes.rs while it runs; removed afterwards\n\
         $ORIGIN {apex}.\n$TTL 60\n\
         @ IN SOA ns.fixes.test. hostmaster.fixes.test. {serial} 3600 600 86400 60\n\
         @ IN NS ns.fixes.test.\n"
    );
    for (owner, rtype, data) in records {
        text.push_str(&format!("{owner} IN {rtype} {data}\n"));
    }
    let path = zone_path(apex);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    if !published.0.contains(&path) {
        published.0.push(path);
    }
}

/// A TXT record's data in zone-file form: quoted strings of at most 250
/// bytes (a 2048-bit key is longer than one string may be).
fn txt_data(text: &str) -> String {
    text.as_bytes()
        .chunks(250)
        .map(|c| format!("\"{}\"", String::from_utf8_lossy(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `record`'s owner name relative to `apex`.
fn relative<'a>(record: &'a RecordFix, apex: &str) -> &'a str {
    record
        .name
        .strip_suffix(&format!(".{apex}"))
        .unwrap_or_else(|| panic!("{} is not under {apex}", record.name))
}

/// Runs one of the key-generation commands rule 5's fix gives, in `dir`,
/// and returns what it printed (the p= value).
fn run_key_command(dir: &std::path::Path, command: &str) -> String {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "{command}: {out:?}");
    String::from_utf8(out.stdout)
        .expect("base64")
        .trim()
        .to_string()
}

/// Rule 5: an unsigned message gets the key commands and the record's shape;
/// a message signed with the key those commands made, whose selector has no
/// record yet, gets the record at that selector; the record, published with
/// the public key in place of the placeholder, makes rule 5 pass.
#[test]
fn dkim_record_from_the_fix_makes_rule_5_pass() {
    one_at_a_time(dkim_fix());
}

async fn dkim_fix() {
    use mail_auth::crypto::{RsaKey, Sha256};
    use mail_auth::dkim::DkimSigner;
    use mail_auth::headers::HeaderWriter;
    use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer};

    bench();
    const APEX: &str = "dkim.fixes-run.example";
    const SELECTOR: &str = "sel2026";
    let from = format!("alice@{APEX}");
    let mut published = Published(Vec::new());
    write_zone(&mut published, APEX, &[]);
    reload();

    let unsigned = message_from("198.51.100.247", HELO, &format!("bounce@{HELO}"), &from);
    let report = analyze(&unsigned).await;
    let dkim = &report.rules[4];
    assert_eq!(dkim.verdict, Verdict::Fail, "{dkim:#?}");
    let problems: Vec<&str> = dkim.fix_steps.iter().map(|s| s.problem.as_str()).collect();
    assert_eq!(problems, ["no-signature"], "{dkim:#?}");
    assert_eq!(
        dkim.fix_records[0].name,
        format!("<selector>._domainkey.{APEX}")
    );
    let command = dkim
        .fix_settings
        .iter()
        .find(|s| s.software == "OpenSSL (RSA 2048)")
        .map(|s| s.setting.clone())
        .expect("the RSA key command");

    // The key the fix's own command makes.
    let dir = std::env::temp_dir().join(format!("sendtrust-fixes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let public_key = run_key_command(&dir, &command);
    let der = run_key_command(
        &dir,
        "openssl pkey -in dkim.private -outform DER -out dkim.der && echo ok",
    );
    assert_eq!(der, "ok");
    let der = std::fs::read(dir.join("dkim.der")).expect("the DER key");
    let _ = std::fs::remove_dir_all(&dir);
    // `openssl pkey -outform DER` writes PKCS#1 for RSA in some versions and
    // PKCS#8 in others.
    let key = RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        der.as_slice(),
    )))
    .or_else(|_| {
        RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(
            der.as_slice(),
        )))
    })
    .expect("the generated key loads");
    let signature = DkimSigner::from_key(key)
        .domain(APEX)
        .selector(SELECTOR)
        .headers(["From", "To", "Subject", "Date", "Message-ID"])
        .sign(&unsigned)
        .expect("signs");
    let mut signed = signature.to_header().into_bytes();
    signed.extend_from_slice(&unsigned);

    let report = analyze(&signed).await;
    let dkim = &report.rules[4];
    assert_eq!(dkim.verdict, Verdict::Fail, "{dkim:#?}");
    let problems: Vec<&str> = dkim.fix_steps.iter().map(|s| s.problem.as_str()).collect();
    assert_eq!(problems, ["key-missing"], "{dkim:#?}");
    assert_eq!(dkim.fix_records.len(), 1, "{:#?}", dkim.fix_records);
    let record = &dkim.fix_records[0];
    assert_eq!(record.name, format!("{SELECTOR}._domainkey.{APEX}"));
    assert_eq!(record.rtype, "TXT");
    assert!(
        record.value.is_none() && record.needs.is_some(),
        "{record:#?}"
    );
    let template = record.template.as_deref().expect("the record's shape");
    assert_eq!(template, "v=DKIM1; k=rsa; p=<public key>");
    let text = template.replace("<public key>", &public_key);
    write_zone(
        &mut published,
        APEX,
        &[(relative(record, APEX), "TXT", txt_data(&text))],
    );
    reload();

    let after = analyze(&signed).await;
    let dkim = &after.rules[4];
    assert_eq!(dkim.verdict, Verdict::Pass, "{dkim:#?}");
    let signatures = &dkim.dkim_details().expect("rule 5 details").signatures;
    assert_eq!(signatures[0].result.as_str(), "pass", "{dkim:#?}");
    assert!(
        dkim.fix_records.is_empty() && dkim.fix_steps.is_empty(),
        "{dkim:#?}"
    );
}

/// DMARC: no record → the first record's shape; published with a report
/// mailbox in place of the placeholder, the DMARC section finds it.
///
/// The From domain is under a made-up top-level name whose zone the test
/// writes (`fixes-dmarc`), so every name DMARC's tree walk asks is in it
/// (NXDOMAIN until published) and removing it is seen (REFUSED).
#[test]
fn dmarc_first_record_is_found_when_published() {
    one_at_a_time(dmarc_fix());
}

async fn dmarc_fix() {
    bench();
    const APEX: &str = "fixes-dmarc";
    let from = format!("alice@news.mail.{APEX}");
    let mut published = Published(Vec::new());
    write_zone(&mut published, APEX, &[]);
    reload();
    let raw = message_from("198.51.100.247", HELO, &format!("bounce@{HELO}"), &from);
    let report = analyze(&raw).await;
    let dmarc = report.beyond.dmarc.as_ref().expect("a DMARC section");
    assert_eq!(dmarc.result.as_str(), "none", "{dmarc:#?}");
    assert_eq!(dmarc.fix_records.len(), 1, "{dmarc:#?}");
    let record = &dmarc.fix_records[0];
    // The organisational domain (the Public Suffix List's default rule
    // makes the unknown top-level name a suffix).
    assert_eq!(record.name, format!("_dmarc.mail.{APEX}"));
    assert!(
        record.value.is_none() && record.needs.is_some(),
        "{record:#?}"
    );
    let template = record.template.as_deref().expect("the record's shape");
    let text = template.replace("<report address>", &format!("dmarc@mail.{APEX}"));
    write_zone(
        &mut published,
        APEX,
        &[(relative(record, APEX), "TXT", txt_data(&text))],
    );
    reload();

    let after = analyze(&raw).await;
    let dmarc = after.beyond.dmarc.as_ref().expect("a DMARC section");
    assert_eq!(dmarc.record.as_deref(), Some(text.as_str()), "{dmarc:#?}");
    assert_eq!(
        dmarc.policy_domain.as_deref(),
        Some(&format!("mail.{APEX}")[..])
    );
    assert_eq!(dmarc.policy.as_deref(), Some("none"));
    assert_eq!(dmarc.rua, [format!("dmarc@mail.{APEX}")]);
    // Neither SPF nor DKIM aligns for this unsigned message: DMARC fails, and
    // the fix is SPF and DKIM, not a stricter policy.
    assert_eq!(dmarc.result.as_str(), "fail", "{dmarc:#?}");
    assert!(dmarc.fix_records.is_empty(), "{dmarc:#?}");
}

/// DMARC passes (aligned SPF) under p=none: the first step to enforcement,
/// once published, is the policy receivers read, and the next step is
/// reject.
#[test]
fn dmarc_enforcement_step_is_read_back_when_published() {
    one_at_a_time(dmarc_enforcement());
}

async fn dmarc_enforcement() {
    bench();
    const APEX: &str = "fixes-dmarc";
    let domain = format!("mail.{APEX}");
    let before = format!("v=DMARC1; p=none; rua=mailto:dmarc@{domain}");
    let spf = format!("v=spf1 ip4:{IP} -all");
    let mut published = Published(Vec::new());
    write_zone(
        &mut published,
        APEX,
        &[
            ("mail", "TXT", txt_data(&spf)),
            ("_dmarc.mail", "TXT", txt_data(&before)),
        ],
    );
    reload();
    let raw = message_from(
        IP,
        HELO,
        &format!("bounce@{domain}"),
        &format!("alice@{domain}"),
    );
    let report = analyze(&raw).await;
    let dmarc = report.beyond.dmarc.as_ref().expect("a DMARC section");
    assert_eq!(dmarc.result.as_str(), "pass", "{dmarc:#?}");
    assert!(dmarc.spf_aligned, "{dmarc:#?}");
    let steps: Vec<&str> = dmarc
        .fix_records
        .iter()
        .filter_map(|r| r.value.as_deref())
        .collect();
    assert_eq!(
        steps,
        [
            format!("v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}; pct=25"),
            format!("v=DMARC1; p=reject; rua=mailto:dmarc@{domain}"),
        ],
        "{dmarc:#?}"
    );
    let first = &dmarc.fix_records[0];
    assert_eq!(first.name, format!("_dmarc.{domain}"));
    assert_eq!(first.replaces.as_deref(), Some(before.as_str()));
    write_zone(
        &mut published,
        APEX,
        &[
            ("mail", "TXT", txt_data(&spf)),
            (relative(first, APEX), "TXT", txt_data(steps[0])),
        ],
    );
    reload();
    let after = analyze(&raw).await;
    let dmarc = after.beyond.dmarc.as_ref().expect("a DMARC section");
    assert_eq!(dmarc.policy.as_deref(), Some("quarantine"), "{dmarc:#?}");
    assert_eq!(dmarc.pct, Some(25), "{dmarc:#?}");
    let next: Vec<&str> = dmarc
        .fix_records
        .iter()
        .filter_map(|r| r.value.as_deref())
        .collect();
    assert_eq!(
        next,
        [format!("v=DMARC1; p=reject; rua=mailto:dmarc@{domain}")],
        "{dmarc:#?}"
    );
}
