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
    assert_eq!(report["schema_version"], sendtrust::SCHEMA_VERSION);
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

/// The first line of stderr: the error itself (the usage text after it names
/// every flag, so the whole of stderr would match any flag name).
fn first_error_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn usage_errors_exit_2_and_name_the_bad_argument() {
    // Every case has a real message file, so only the bad argument can be
    // what makes it fail.
    let file = fixture("shipped.eml");
    let file = file.to_str().unwrap();
    let cases: &[(&[&str], &[&str])] = &[
        (&["frobnicate", file], &["`frobnicate`"]),
        (&["analyze"], &["no input"]),
        (
            &["analyze", "--sender-ip", "not-an-ip", file],
            &["--sender-ip", "`not-an-ip`"],
        ),
        (
            &["analyze", "--doh", "ftp-ish", file],
            &["--doh", "`ftp-ish`"],
        ),
        (
            &["analyze", "--doh", "http://dns.example/dns-query", file],
            &["--doh", "dns.example", "unencrypted", "https://"],
        ),
        (
            &["analyze", "--doh=ftp://dns.example/dns-query", file],
            &["--doh", "https://", "not ftp://"],
        ),
        // Refused even when --offline means it would not be used.
        (
            &["analyze", "--offline", "--doh", "http://192.0.2.53/q", file],
            &["--doh", "192.0.2.53", "unencrypted"],
        ),
        (&["analyze", "--bogus", file], &["`--bogus`"]),
        (
            &["analyze", "--timeout", "soon", file],
            &["--timeout", "`soon`"],
        ),
        (&["analyze", file, "--dnsbl"], &["--dnsbl needs a value"]),
    ];
    for (args, needles) in cases {
        let out = sendtrust(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
        let error = first_error_line(&out);
        assert!(error.starts_with("sendtrust: "), "{args:?}: {error}");
        for needle in *needles {
            assert!(
                error.contains(needle),
                "{args:?}: {needle:?} not in {error:?}"
            );
        }
    }
    assert_eq!(sendtrust(&["--help"]).status.code(), Some(0));
}

#[test]
fn plain_http_doh_is_accepted_on_loopback_only() {
    let file = fixture("shipped.eml");
    let file = file.to_str().unwrap();
    for url in [
        "http://127.0.0.1:9/dns-query",
        "http://[::1]:9/dns-query",
        "http://localhost:9/dns-query",
        "https://dns.example/dns-query",
    ] {
        // --offline: the provider is checked but nothing is sent.
        let out = sendtrust(&["analyze", file, "--doh", url, "--offline", "--json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{url}: {}",
            first_error_line(&out)
        );
        assert_eq!(json(&out)["dns"]["offline"], true, "{url}");
    }
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

// ---------------------------------------------------------------------------
// Runs where the DNS bench's answers decide the verdicts. The messages
// (tests/fixtures/cli/good.eml, bad.eml, made by make_fixtures.py there) are
// served by tests/bench/zones/cli.test.zone and the reverse zones of
// 203.0.113.161 and .162: good.eml's sender is forward-confirmed, not listed,
// authorised by SPF and DKIM-signed with the published key; bad.eml's PTR
// name points elsewhere, its IP and domain are listed, SPF does not
// authorise it and the published key is not the one that signed.

/// The local blocklists of cli.test, replacing the defaults.
const CLI_LISTS: [&str; 4] = ["--dnsbl", "bl.cli.test", "--dbl", "dbl.cli.test"];

/// `sendtrust analyze <fixture> --doh <bench> --timeout 3000 <extra…>`.
fn on_bench(file: &str, extra: &[&str]) -> Output {
    let bench = sendtrust_tests::bench();
    let path = fixture(file);
    let mut args = vec![
        "analyze",
        path.to_str().unwrap(),
        "--doh",
        bench.doh.as_str(),
        "--timeout",
        "3000",
    ];
    args.extend_from_slice(extra);
    sendtrust(&args)
}

fn rule<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

fn stdout_text(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn bench_answers_make_rules_2_to_5_pass() {
    let report = json(&on_bench(
        "good.eml",
        &[&["--json"][..], &CLI_LISTS].concat(),
    ));
    for id in ["reverse-dns", "blocklists", "spf", "dkim"] {
        assert_eq!(
            rule(&report, id)["verdict"],
            "pass",
            "{id}: {}",
            rule(&report, id)
        );
    }
    // Each pass rests on what the bench answered.
    let rdns = &rule(&report, "reverse-dns")["details"];
    assert_eq!(rdns["fcrdns"], true);
    assert_eq!(rdns["confirmed_names"][0], "mail.good.cli.test");
    let lists = &rule(&report, "blocklists")["details"];
    assert_eq!(lists["ip_lists"][0]["zone"], "bl.cli.test");
    assert_eq!(lists["ip_lists"][0]["status"], "not-listed");
    assert_eq!(lists["domain_lists"][0]["zone"], "dbl.cli.test");
    assert_eq!(lists["domain_lists"][0]["status"], "not-listed");
    let spf = &rule(&report, "spf")["details"];
    assert_eq!(
        (spf["result"].as_str(), spf["domain"].as_str()),
        (Some("pass"), Some("good.cli.test"))
    );
    let dkim = &rule(&report, "dkim")["details"]["signatures"][0];
    assert_eq!(dkim["result"], "pass");
    assert_eq!(dkim["domain"], "good.cli.test");
    assert!(
        report["dns_log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "sel._domainkey.good.cli.test" && e["status"] == "NOERROR"),
        "the DKIM key was not fetched from the bench"
    );

    let text = stdout_text(&on_bench("good.eml", &CLI_LISTS));
    assert!(text.starts_with("5 of 5 rules pass"), "{text}");
    for line in [
        "[PASS] Forward and reverse DNS: 203.0.113.161 has a forward-confirmed reverse name: mail.good.cli.test.",
        "[PASS] Blocklists: Not listed: 203.0.113.161",
        "[PASS] SPF: SPF pass: the envelope sender's domain good.cli.test authorises 203.0.113.161.",
        "[PASS] DomainKeys (DKIM): DKIM signature by good.cli.test verifies.",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line:?} not in\n{text}"
        );
    }
}

#[test]
fn bench_answers_make_rules_2_to_5_fail() {
    let report = json(&on_bench(
        "bad.eml",
        &[&["--json"][..], &CLI_LISTS].concat(),
    ));
    for id in ["reverse-dns", "blocklists", "spf", "dkim"] {
        assert_eq!(
            rule(&report, id)["verdict"],
            "fail",
            "{id}: {}",
            rule(&report, id)
        );
    }
    let rdns = &rule(&report, "reverse-dns")["details"];
    assert_eq!(rdns["fcrdns"], false);
    assert_eq!(
        rdns["ptr"]["names"][0]["name"], "mail.bad.cli.test",
        "{rdns}"
    );
    let lists = &rule(&report, "blocklists")["details"];
    let ip = &lists["ip_lists"][0];
    assert_eq!(
        (ip["status"].as_str(), ip["codes"][0].as_str()),
        (Some("listed"), Some("127.0.0.2"))
    );
    assert_eq!(
        ip["txt"],
        "cli.test fixture listing: 203.0.113.162 sent spam"
    );
    let domain = &lists["domain_lists"][0];
    assert_eq!(
        (domain["subject"].as_str(), domain["status"].as_str()),
        (Some("bad.cli.test"), Some("listed"))
    );
    let spf = &rule(&report, "spf")["details"];
    assert_eq!(
        (spf["result"].as_str(), spf["domain"].as_str()),
        (Some("fail"), Some("bad.cli.test"))
    );
    // DKIM fails on the published key (fetched and well-formed), not on a missing one.
    let dkim = &rule(&report, "dkim")["details"]["signatures"][0];
    assert_eq!(dkim["result"], "fail");
    assert_eq!(dkim["key"]["bits"], 2048);

    let text = stdout_text(&on_bench("bad.eml", &CLI_LISTS));
    assert!(
        text.starts_with("1 of 5 rules pass · 0 warning(s) · 4 failure(s)"),
        "{text}"
    );
    for line in [
        "[FAIL] Forward and reverse DNS: 203.0.113.162's reverse name mail.bad.cli.test does not resolve back to it (A).",
        "[FAIL] Blocklists: Listed: 203.0.113.162 on bl.cli.test",
        "[FAIL] SPF: SPF fail: the envelope sender's domain bad.cli.test says 203.0.113.162 may not send its mail.",
        "[FAIL] DomainKeys (DKIM): DKIM signature by bad.cli.test does not verify",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "{line:?} not in\n{text}"
        );
    }
}

#[test]
fn check_exits_0_when_no_rule_fails_and_1_when_one_does() {
    let good = on_bench("good.eml", &[&["--check"][..], &CLI_LISTS].concat());
    assert_eq!(
        good.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    assert!(String::from_utf8_lossy(&good.stdout).starts_with("5 of 5 rules pass"));
    let bad = on_bench("bad.eml", &[&["--check"][..], &CLI_LISTS].concat());
    assert_eq!(bad.status.code(), Some(1));
    // The report is still printed; only the status says "failed".
    assert!(String::from_utf8_lossy(&bad.stdout).contains("[FAIL] SPF"));
    // Several files: one failing file makes the run fail.
    let both = on_bench(
        "good.eml",
        &[
            &[fixture("bad.eml").to_str().unwrap(), "--check", "--json"][..],
            &CLI_LISTS,
        ]
        .concat(),
    );
    assert_eq!(both.status.code(), Some(1));
    assert_eq!(json(&both).as_array().map(Vec::len), Some(2));
}

#[test]
fn dnsbl_and_dbl_replace_the_default_lists() {
    // bad.eml's IP and domain are listed only on cli.test's own lists: with
    // the defaults (the bench's empty stand-ins) rule 3 passes.
    let defaults = json(&on_bench("bad.eml", &["--json"]));
    assert_eq!(rule(&defaults, "blocklists")["verdict"], "pass");
    let default_zones: Vec<&str> = rule(&defaults, "blocklists")["details"]["ip_lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["zone"].as_str().unwrap())
        .collect();
    assert!(
        default_zones.contains(&"zen.spamhaus.org"),
        "{default_zones:?}"
    );

    let chosen = json(&on_bench(
        "bad.eml",
        &["--json", "--dnsbl", "bl.cli.test", "--dbl", "dbl.cli.test"],
    ));
    let details = &rule(&chosen, "blocklists")["details"];
    let zones = |key: &str| -> Vec<String> {
        let mut z: Vec<String> = details[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["zone"].as_str().unwrap().to_string())
            .collect();
        z.dedup();
        z
    };
    assert_eq!(zones("ip_lists"), ["bl.cli.test"]);
    assert_eq!(zones("domain_lists"), ["dbl.cli.test"]);
    assert_eq!(rule(&chosen, "blocklists")["verdict"], "fail");
    // No rule-3 question went to a default list (rule 1 still reads its own
    // dynamic-range lists, which --dnsbl does not change).
    for entry in chosen["dns_log"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        assert!(
            !name.ends_with("bl.spamcop.net") && !name.ends_with("dbl.spamhaus.org"),
            "{name}"
        );
    }
    // --dnsbl is repeatable: two zones, two IP lists asked.
    let two = json(&on_bench(
        "bad.eml",
        &["--json", "--dnsbl", "bl.cli.test", "--dnsbl", "bl.test"],
    ));
    let asked: Vec<&str> = rule(&two, "blocklists")["details"]["ip_lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["zone"].as_str().unwrap())
        .collect();
    assert_eq!(asked, ["bl.cli.test", "bl.test"]);
}

#[test]
fn dqs_key_never_appears_in_any_output() {
    // Letters and digits (the only keys used): it goes into the query names
    // of every Spamhaus zone (<key>.zen.dq.spamhaus.net …), lowercased.
    const KEY: &str = "CliTestDqsKey0123456789";
    let needle = KEY.to_ascii_lowercase();
    let leaks = |what: &str, out: &Output| {
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
            assert!(
                !text.contains(&needle),
                "{what} {stream} shows the DQS key:\n{text}"
            );
        }
    };
    let as_json = on_bench("good.eml", &["--json", "--dqs-key", KEY]);
    leaks("--json", &as_json);
    let report = json(&as_json);
    // The key was used: the masked DQS zone is in the log and in rule 3.
    let masked: Vec<&str> = report["dns_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .filter(|n| n.contains("<DQS key>.zen.dq.spamhaus.net"))
        .collect();
    assert!(!masked.is_empty(), "no DQS question in the log");
    let zones: Vec<&str> = rule(&report, "blocklists")["details"]["ip_lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["zone"].as_str().unwrap())
        .collect();
    assert!(
        zones.contains(&"<DQS key>.zen.dq.spamhaus.net"),
        "{zones:?}"
    );

    let text = on_bench("good.eml", &["--dqs-key", KEY]);
    leaks("text", &text);
    assert!(stdout_text(&text).contains("<DQS key>.zen.dq.spamhaus.net"));
    leaks(
        "--markdown",
        &on_bench("good.eml", &["--markdown", "--dqs-key", KEY]),
    );
    // A usage error after the key does not echo it either.
    let usage = sendtrust(&["analyze", "--dqs-key", KEY, "--bogus", "x.eml"]);
    assert_eq!(usage.status.code(), Some(2));
    leaks("usage error", &usage);
}
