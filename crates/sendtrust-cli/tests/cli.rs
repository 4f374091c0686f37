//! The `sendtrust` binary, run as a user would: files, stdin, JSON, exit codes.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/cli")
        .join(name)
}

fn sendtrust(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sendtrust"))
        .args(args)
        .output()
        .expect("run sendtrust")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn json_report_has_the_contract_keys() {
    let file = fixture("shipped.eml");
    let out = sendtrust(&["analyze", file.to_str().unwrap(), "--json", "--offline"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["schema_version"], 2);
    let ids: Vec<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["static-ip", "reverse-dns", "blocklists", "spf", "dkim"]
    );
    for rule in report["rules"].as_array().unwrap() {
        for key in ["verdict", "summary", "evidence", "why"] {
            assert!(rule.get(key).is_some(), "rule {} lacks {key}", rule["id"]);
        }
    }
    // Four Received fields; the authenticated submission from the laptop is not the sender.
    assert!(report["hops"].as_array().unwrap().len() >= 3);
    assert_eq!(report["sender"]["ip"], "192.0.2.25");
    assert!(report["sender"]["hop_index"].is_u64());
    assert_eq!(report["summary"]["subject"], "Your order has shipped");
    assert_eq!(
        report["summary"]["return_path"],
        "bounces+123@mail.shop.example"
    );
    assert_eq!(report["dns"]["offline"], true);
    // Offline: nothing was sent.
    assert!(
        report["dns_log"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["attempts"] == 0)
    );
}

#[test]
fn offline_rules_say_not_checked_never_pass_or_fail() {
    let file = fixture("shipped.eml");
    let report = json(&sendtrust(&[
        "analyze",
        file.to_str().unwrap(),
        "--json",
        "--offline",
    ]));
    for rule in report["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        if id == "dkim" {
            // No DKIM-Signature at all is a fact of the message, not a DNS result.
            assert_eq!(rule["verdict"], "fail");
            continue;
        }
        assert!(
            rule["verdict"] == "unknown" || rule["verdict"] == "not-applicable",
            "{id}: {}",
            rule["verdict"]
        );
    }
}

#[test]
fn several_files_give_an_array_and_stdin_works() {
    let a = fixture("shipped.eml");
    let b = fixture("headers-only-lf.eml");
    let out = sendtrust(&[
        "analyze",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--json",
        "--offline",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let reports = json(&out);
    assert_eq!(reports.as_array().map(Vec::len), Some(2));
    assert_eq!(reports[1]["input"]["headers_only"], true);

    let mut child = Command::new(env!("CARGO_BIN_EXE_sendtrust"))
        .args(["analyze", "-", "--json", "--offline"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&b).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["summary"]["subject"], "headers only, LF endings");
    assert!(
        report["input"]["repairs"][0]
            .as_str()
            .unwrap()
            .contains("LF")
    );
}

#[test]
fn text_output_shows_verdicts_and_the_sender() {
    let file = fixture("shipped.eml");
    let out = sendtrust(&["analyze", file.to_str().unwrap(), "--offline"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Sending server: 192.0.2.25"), "{text}");
    assert!(text.contains("[FAIL] DomainKeys (DKIM)"), "{text}");
    assert!(text.contains("Static IP"), "{text}");
    assert!(text.contains("offline"), "{text}");
}

#[test]
fn garbage_and_unreadable_inputs_exit_2_with_a_message() {
    for (name, needle) in [
        ("binary.bin", "binary"),
        ("prose.txt", "does not start with email headers"),
        ("no-such-file.eml", "No such file"),
    ] {
        let file = fixture(name);
        let out = sendtrust(&["analyze", file.to_str().unwrap(), "--offline"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["frobnicate"],
        vec!["analyze"],
        vec!["analyze", "--sender-ip", "not-an-ip", "x.eml"],
        vec!["analyze", "--doh", "ftp-ish", "x.eml"],
        vec!["analyze", "--bogus", "x.eml"],
    ] {
        let out = sendtrust(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    assert_eq!(sendtrust(&["--help"]).status.code(), Some(0));
}

#[test]
fn sender_ip_overrides_the_hand_off_hop() {
    let file = fixture("shipped.eml");
    let report = json(&sendtrust(&[
        "analyze",
        file.to_str().unwrap(),
        "--json",
        "--offline",
        "--sender-ip",
        "198.51.100.77",
    ]));
    assert_eq!(report["sender"]["ip"], "198.51.100.77");
    assert_eq!(report["sender"]["chosen_by"], "user");
    assert!(
        report["sender_reason"]
            .as_str()
            .unwrap()
            .contains("chosen by you")
    );
}

#[test]
fn check_flag_exits_1_when_a_rule_fails() {
    let file = fixture("shipped.eml");
    // Unsigned message: DKIM fails even offline.
    let out = sendtrust(&["analyze", file.to_str().unwrap(), "--offline", "--check"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn doh_against_the_bench_fills_the_dns_log() {
    let bench = sendtrust_tests::bench();
    let file = fixture("shipped.eml");
    let out = sendtrust(&[
        "analyze",
        file.to_str().unwrap(),
        "--json",
        "--doh",
        &bench.doh,
        "--timeout",
        "3000",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["dns"]["provider"], bench.doh.as_str());
    let log = report["dns_log"].as_array().unwrap();
    assert!(!log.is_empty(), "no DNS questions were asked");
    assert!(log.iter().any(|e| e["attempts"].as_u64() >= Some(1)));
    // The SPF policy of shop.example was asked for over DoH.
    assert!(
        log.iter()
            .any(|e| e["name"] == "mail.shop.example" || e["name"] == "shop.example"),
        "{log:?}"
    );
}

#[test]
fn markdown_summary_for_tickets() {
    let file = fixture("shipped.eml");
    let out = sendtrust(&["analyze", file.to_str().unwrap(), "--offline", "--markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("### Sendtrust: "), "{md}");
    assert!(md.contains("| Rule | Verdict | Why |"), "{md}");
    assert!(md.contains("| DomainKeys (DKIM) | ❌ fail |"), "{md}");
    assert!(md.contains("192.0.2.25"), "{md}");
}
