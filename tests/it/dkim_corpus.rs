//! Rule 5 (DKIM) against an independent corpus: messages signed by dkimpy, not
//! by anything of ours (tests/fixtures/dkim/, made by make_corpus.py), with
//! their keys served by the DNS test bench (zone auth.test) and checked by
//! `sendtrust::analyze` through DoH, end to end.
//!
//! `every_signature_agrees_with_dkimpy` compares each signature's pass/fail
//! with dkimpy's own verdict (expected.json); run it with `--nocapture` to see
//! the agreement table. The other tests pin the rule verdicts and evidence.

use sendtrust::{Options, Report, RuleResult, Verdict};
use sendtrust_tests::{bench, doh_config, fixture};
use serde_json::Value;

/// Our documented extension: a headers-only paste whose header signature
/// verifies is `header-only-pass`; dkimpy, which needs the body, fails it on
/// the body hash.
const HEADERS_ONLY: &str = "headers-only.eml";

fn options() -> Options {
    Options {
        dns: doh_config(&bench().doh),
        // Rules 1-3 are not under test here: keep their queries out of the way.
        dnsbl_zones: Some(Vec::new()),
        dbl_zones: Some(Vec::new()),
        ..Options::default()
    }
}

async fn analyze(file: &str) -> Report {
    let raw = fixture(&format!("dkim/{file}"));
    sendtrust::analyze(&raw, &options())
        .await
        .unwrap_or_else(|e| panic!("{file}: not accepted as a message: {e:?}"))
}

/// Rule 5's result for a corpus message.
async fn dkim_rule(file: &str) -> (RuleResult, Report) {
    let report = analyze(file).await;
    let rule = report.rules[4].clone();
    assert_eq!(
        rule.id,
        sendtrust::RuleId::Dkim,
        "{file}: rules[4] is not DKIM"
    );
    (rule, report)
}

fn expected() -> Value {
    serde_json::from_slice(&fixture("dkim/expected.json")).expect("expected.json is JSON")
}

fn signatures(rule: &RuleResult) -> Vec<Value> {
    serde_json::to_value(&rule.details).unwrap_or_default()["signatures"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no details.signatures in {:#?}", rule.details))
}

/// The only signature of a single-signature message.
fn only_signature(file: &str, rule: &RuleResult) -> Value {
    let sigs = signatures(rule);
    assert_eq!(sigs.len(), 1, "{file}: {sigs:#?}");
    sigs.into_iter().next().unwrap()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// Why a signature did not verify, in words both verifiers' messages map to.
fn dkimpy_why(error: &str) -> &'static str {
    if error.contains("body hash mismatch") {
        "body"
    } else if error.contains("valid: False") {
        "signature"
    } else if error.contains("missing public key") {
        "no key"
    } else if error.contains("could not parse RSA public key (b'')") {
        // dkimpy reads an empty p= as an unparsable key.
        "revoked"
    } else if error.contains("x= value is past") {
        "expired"
    } else if error.contains("public key too small") {
        "weak key"
    } else if error.starts_with("ValidationError") || error.starts_with("MessageFormatError") {
        // dkimpy's errors for a tag list it will not verify (missing or
        // duplicate tags).
        "malformed"
    } else {
        "other"
    }
}

fn sendtrust_why(reason: &str) -> &'static str {
    if reason.contains("body hash mismatch") || reason.contains("body not provided") {
        "body"
    } else if reason.contains("signature mismatch") {
        "signature"
    } else if reason.contains("key not found") {
        "no key"
    } else if reason.contains("revoked") {
        "revoked"
    } else if reason.contains("expired") {
        "expired"
    } else if reason.contains("too weak") {
        "weak key"
    } else if reason.starts_with("malformed DKIM-Signature") {
        "malformed"
    } else {
        "other"
    }
}

fn context(file: &str, rule: &RuleResult) -> String {
    format!(
        "{file}: {:?} — {}\nfix: {:?}\n{:#}",
        rule.verdict,
        rule.summary,
        rule.fix,
        serde_json::to_value(&rule.details).unwrap_or_default()
    )
}

#[tokio::test(flavor = "current_thread")]
async fn every_signature_agrees_with_dkimpy() {
    let expected = expected();
    let cases = expected["cases"].as_array().expect("cases");
    assert!(
        cases.len() >= 16,
        "the corpus shrank: {} cases",
        cases.len()
    );

    let mut rows = Vec::new();
    let (mut agree, mut total) = (0, 0);
    for case in cases {
        let file = text(&case["file"]);
        let (rule, _) = dkim_rule(file).await;
        let ours = signatures(&rule);
        let theirs = case["signatures"].as_array().expect("signatures");
        assert_eq!(
            ours.len(),
            theirs.len(),
            "{file}: signature count differs\n{}",
            context(file, &rule)
        );
        for want in theirs {
            let (d, s) = (text(&want["d"]), text(&want["s"]));
            let got = ours
                .iter()
                .find(|o| text(&o["domain"]) == d && text(&o["selector"]) == s)
                .unwrap_or_else(|| panic!("{file}: no result for d={d} s={s}\n{ours:#?}"));
            let dkimpy = text(&want["dkimpy"]);
            let result = text(&got["result"]);
            let (their_why, our_why) = (
                dkimpy_why(text(&want["dkimpy_error"])),
                sendtrust_why(text(&got["reason"])),
            );
            // Both pass, or both do not and for the same kind of reason.
            let same = if file == HEADERS_ONLY {
                // The extension: ours verifies the header signature, dkimpy
                // fails on the (missing) body.
                result == "header-only-pass" && dkimpy == "fail" && their_why == "body"
            } else if dkimpy == "pass" {
                result == "pass"
            } else {
                result != "pass" && their_why == our_why && our_why != "other"
            };
            total += 1;
            agree += usize::from(same);
            let reason = got["reason"].as_str().map_or(String::new(), |r| {
                let short: String = r.chars().take(50).collect();
                format!(": {short}")
            });
            let dkimpy_why = want["dkimpy_error"].as_str().map_or(String::new(), |e| {
                let short: String = e.chars().take(38).collect();
                format!(": {short}")
            });
            rows.push(format!(
                "{:<16} {:<11} {:<46} {:<72} {}",
                file.trim_end_matches(".eml"),
                s,
                format!("{dkimpy}{dkimpy_why}"),
                format!("{result}{reason}"),
                match (same, dkimpy) {
                    (false, _) => "NO".to_string(),
                    (true, _) if file == HEADERS_ONLY => "yes (extension; dkimpy: body)".into(),
                    (true, "pass") => "yes".into(),
                    (true, _) => format!("yes ({our_why})"),
                }
            ));
        }
    }
    println!(
        "\n{:<16} {:<11} {:<46} {:<72} agree\n{}",
        "message",
        "selector",
        "dkimpy",
        "sendtrust",
        "-".repeat(170)
    );
    for row in &rows {
        println!("{row}");
    }
    println!("agreement with dkimpy: {agree}/{total} signatures\n");
    assert_eq!(agree, total, "Sendtrust and dkimpy disagree (table above)");
}

#[tokio::test(flavor = "current_thread")]
async fn good_signatures_pass_with_key_evidence() {
    for (file, canon, algorithm, key_type, bits) in [
        (
            "rsa2048-relaxed.eml",
            "relaxed/relaxed",
            "rsa-sha256",
            "rsa",
            2048,
        ),
        (
            "rsa2048-simple.eml",
            "simple/simple",
            "rsa-sha256",
            "rsa",
            2048,
        ),
        (
            "ed25519.eml",
            "relaxed/relaxed",
            "ed25519-sha256",
            "ed25519",
            256,
        ),
    ] {
        let (rule, _) = dkim_rule(file).await;
        let ctx = context(file, &rule);
        assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
        assert_eq!(
            rule.summary, "DKIM signature by auth.test verifies.",
            "{ctx}"
        );
        assert_eq!(rule.fix, None, "{ctx}");
        let sig = only_signature(file, &rule);
        assert_eq!(sig["result"], "pass", "{ctx}");
        assert_eq!(sig["reason"], Value::Null, "{ctx}");
        assert_eq!(sig["canonicalization"], canon, "{ctx}");
        assert_eq!(sig["algorithm"], algorithm, "{ctx}");
        assert_eq!(sig["key"]["key_type"], key_type, "{ctx}");
        assert_eq!(sig["key"]["bits"], bits, "{ctx}");
        assert_eq!(sig["key"]["revoked"], false, "{ctx}");
        assert_eq!(sig["key"]["testing"], false, "{ctx}");
        assert_eq!(sig["aligned_strict"], true, "{ctx}");
        assert_eq!(sig["aligned_relaxed"], true, "{ctx}");
        assert!(
            rule.evidence
                .iter()
                .any(|e| e.label == "Alignment with From"
                    && e.value.contains("aligned (strict and relaxed)")),
            "{ctx}"
        );
        assert!(
            rule.evidence.iter().any(|e| e.label
                == format!("Key {}._domainkey.auth.test", text(&sig["selector"]))
                && e.value.starts_with("v=DKIM1; k=")),
            "{ctx}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn rsa_512_is_too_weak_to_count() {
    let file = "rsa512.eml";
    let (rule, _) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    let sig = only_signature(file, &rule);
    // RFC 8301 3.2: keys under 1024 bits must not be considered valid.
    assert_eq!(sig["result"], "fail", "{ctx}");
    assert!(text(&sig["reason"]).contains("512 bits"), "{ctx}");
    assert!(text(&sig["reason"]).contains("too weak"), "{ctx}");
    assert_eq!(sig["key"]["bits"], 512, "{ctx}");
    assert!(rule.summary.contains("too weak"), "{ctx}");
    assert!(
        rule.fix.as_deref().unwrap_or_default().contains("2048-bit"),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn weaker_but_valid_signatures_warn() {
    for (file, summary_has, fix_has) in [
        (
            "rsa1024.eml",
            "is 1024 bits; 2048 is the current recommendation",
            "2048-bit",
        ),
        (
            "rsa-sha1.eml",
            "rsa-sha1, which RFC 8301 deprecates",
            "rsa-sha256",
        ),
        ("body-length.eml", "uses l= (body length)", "drop l="),
        (
            "not-aligned.eml",
            "not aligned with the From domain example.com",
            "d=example.com",
        ),
    ] {
        let (rule, _) = dkim_rule(file).await;
        let ctx = context(file, &rule);
        assert_eq!(rule.verdict, Verdict::Warn, "{ctx}");
        assert!(rule.summary.contains("verifies"), "{ctx}");
        assert!(rule.summary.contains(summary_has), "{ctx}");
        assert!(
            rule.fix.as_deref().unwrap_or_default().contains(fix_has),
            "{ctx}"
        );
        let sig = only_signature(file, &rule);
        assert_eq!(sig["result"], "pass", "{ctx}");
        match file {
            "rsa1024.eml" => assert_eq!(sig["key"]["bits"], 1024, "{ctx}"),
            "rsa-sha1.eml" => assert_eq!(sig["algorithm"], "rsa-sha1", "{ctx}"),
            "body-length.eml" => assert!(sig["body_length"].as_u64().is_some(), "{ctx}"),
            _ => {
                assert_eq!(sig["aligned_strict"], false, "{ctx}");
                assert_eq!(sig["aligned_relaxed"], false, "{ctx}");
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn broken_signatures_fail_with_the_reason() {
    for (file, result, reason_has, fix_has) in [
        (
            "tampered-header.eml",
            "fail",
            "signature mismatch: the signed headers were changed",
            "rewrites signed headers",
        ),
        (
            "tampered-body.eml",
            "neutral",
            "body hash mismatch: the header signature is valid, so the body changed after signing",
            "changed the body after signing",
        ),
        (
            "revoked.eml",
            "permerror",
            "key revoked (the DNS record has an empty p=)",
            "The key retired was revoked",
        ),
        (
            "expired.eml",
            "neutral",
            "signature expired (x= is in the past)",
            "Signatures expire (x=)",
        ),
        (
            "key-not-found.eml",
            "permerror",
            "key not found in DNS",
            "unpublished._domainkey.auth.test",
        ),
    ] {
        let (rule, _) = dkim_rule(file).await;
        let ctx = context(file, &rule);
        assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
        let sig = only_signature(file, &rule);
        assert_eq!(sig["result"], result, "{ctx}");
        assert!(text(&sig["reason"]).starts_with(reason_has), "{ctx}");
        assert!(
            rule.summary
                .starts_with("DKIM signature by auth.test does not verify: "),
            "{ctx}"
        );
        if file == "tampered-body.eml" {
            // Said in plain words, not as "body hash mismatch".
            assert!(
                rule.summary
                    .contains("the message body was changed after it was signed"),
                "{ctx}"
            );
            assert!(
                rule.summary.contains("the signed headers are intact"),
                "{ctx}"
            );
        } else {
            assert!(rule.summary.contains(reason_has), "{ctx}");
        }
        assert!(!rule.summary.contains("paste damage"), "{ctx}");
        assert!(
            rule.fix.as_deref().unwrap_or_default().contains(fix_has),
            "{ctx}"
        );
        match file {
            "revoked.eml" => assert_eq!(sig["key"]["revoked"], true, "{ctx}"),
            "key-not-found.eml" => assert_eq!(sig["key"], Value::Null, "{ctx}"),
            "tampered-body.eml" => assert_eq!(sig["header_signature_valid"], true, "{ctx}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_good_signature_is_enough() {
    let file = "two-signatures.eml";
    let (rule, _) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    let sigs = signatures(&rule);
    let by = |s: &str| {
        sigs.iter()
            .find(|c| c["selector"] == s)
            .unwrap_or_else(|| panic!("no s={s}: {ctx}"))
    };
    assert_eq!(by("rotated")["result"], "fail", "{ctx}");
    assert!(
        text(&by("rotated")["reason"]).contains("signature mismatch"),
        "{ctx}"
    );
    assert_eq!(by("rsa2048")["result"], "pass", "{ctx}");
    assert!(
        rule.evidence
            .iter()
            .any(|e| e.label == "Signature d=auth.test s=rotated"
                && e.tone == sendtrust::report::Tone::Bad),
        "{ctx}"
    );
    assert!(
        rule.evidence
            .iter()
            .any(|e| e.label == "Signature d=auth.test s=rsa2048"
                && e.tone == sendtrust::report::Tone::Good),
        "{ctx}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn headers_only_paste_verifies_the_header_signature() {
    let file = HEADERS_ONLY;
    let (rule, report) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    assert!(report.input.headers_only, "{ctx}");
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert!(rule.summary.contains("the body was not provided"), "{ctx}");
    let sig = only_signature(file, &rule);
    assert_eq!(sig["result"], "header-only-pass", "{ctx}");
    assert!(text(&sig["reason"]).contains("body not provided"), "{ctx}");
    assert_eq!(sig["header_signature_valid"], true, "{ctx}");
    assert_eq!(sig["key"]["bits"], 2048, "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn paste_damage_is_recognised() {
    let file = "paste-damaged.eml";
    let (rule, report) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    assert!(
        report
            .input
            .repairs
            .iter()
            .any(|r| r.contains("LF line ends to CRLF")),
        "{:?}\n{ctx}",
        report.input.repairs
    );
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    let sig = only_signature(file, &rule);
    assert_eq!(sig["canonicalization"], "simple/simple", "{ctx}");
    assert_eq!(sig["header_signature_valid"], true, "{ctx}");
    assert!(text(&sig["reason"]).contains("body hash mismatch"), "{ctx}");
    assert!(rule.summary.contains("likely paste damage"), "{ctx}");
    assert!(rule.summary.contains("try the original .eml file"), "{ctx}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_unparseable_signature_is_listed_as_permerror() {
    // mail-auth cannot parse the upper field (no bh=) and reports nothing for
    // it; the report lists it, in header order, above the good signature.
    let file = "unparseable.eml";
    let (rule, report) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    let sigs = signatures(&rule);
    assert_eq!(sigs.len(), 2, "{ctx}");
    assert_eq!(sigs[0]["selector"], "broken", "{ctx}");
    assert_eq!(sigs[0]["domain"], "auth.test", "{ctx}");
    assert_eq!(sigs[0]["result"], "permerror", "{ctx}");
    assert_eq!(
        text(&sigs[0]["reason"]),
        "malformed DKIM-Signature: required tag bh= is missing or empty (RFC 6376 3.5)",
        "{ctx}"
    );
    assert_eq!(sigs[0]["key"], Value::Null, "{ctx}");
    assert_eq!(sigs[1]["selector"], "rsa2048", "{ctx}");
    assert_eq!(sigs[1]["result"], "pass", "{ctx}");
    // The good signature decides the verdict; the broken one is shown as bad.
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert!(
        rule.evidence
            .iter()
            .any(|e| e.label == "Signature d=auth.test s=broken"
                && e.tone == sendtrust::report::Tone::Bad
                && e.value.starts_with("permerror: malformed DKIM-Signature")),
        "{ctx}"
    );
    // The receiver's dkim=pass is compared with the good signature, not with
    // the broken one of the same domain listed first.
    assert!(
        rule.evidence
            .iter()
            .any(|e| e.label == "The receiver recorded" && e.tone == sendtrust::report::Tone::Good),
        "{ctx}"
    );
    let row = report
        .beyond
        .receiver
        .iter()
        .find(|r| r.method == sendtrust::report::AuthMethod::Dkim)
        .unwrap_or_else(|| panic!("no receiver row for dkim: {:#?}", report.beyond.receiver));
    assert_eq!(
        row.now,
        Some(sendtrust::report::AuthResult::Pass),
        "{row:?}"
    );
    assert_eq!(row.agrees, Some(true), "{row:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_duplicate_tag_makes_the_signature_invalid() {
    let file = "duplicate-tag.eml";
    let (rule, report) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    let sig = only_signature(file, &rule);
    assert_eq!(sig["result"], "permerror", "{ctx}");
    assert!(
        text(&sig["reason"]).contains("the tag d= appears more than once"),
        "{ctx}"
    );
    assert_eq!(rule.verdict, Verdict::Fail, "{ctx}");
    assert!(
        rule.summary
            .starts_with("DKIM signature by auth.test is not valid: malformed DKIM-Signature"),
        "{ctx}"
    );
    assert!(
        rule.fix
            .as_deref()
            .unwrap_or_default()
            .contains("each tag once"),
        "{ctx}"
    );
    // An invalid signature is never verified: no key query for it.
    assert!(
        !report
            .dns_log
            .iter()
            .any(|e| e.name.ends_with("._domainkey.auth.test")),
        "{:#?}",
        report.dns_log
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_domainkey_signature_is_explained_as_obsolete() {
    let file = "domainkey.eml";
    let (rule, _) = dkim_rule(file).await;
    let ctx = context(file, &rule);
    // The DKIM signature below it still decides.
    assert_eq!(rule.verdict, Verdict::Pass, "{ctx}");
    assert_eq!(only_signature(file, &rule)["result"], "pass", "{ctx}");
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["domainkeys"][0]["domain"],
        "auth.test",
        "{ctx}"
    );
    assert_eq!(
        serde_json::to_value(&rule.details).unwrap_or_default()["domainkeys"][0]["selector"],
        "rsa2048",
        "{ctx}"
    );
    let line = rule
        .evidence
        .iter()
        .find(|e| e.label == "DomainKey-Signature d=auth.test s=rsa2048")
        .unwrap_or_else(|| panic!("no DomainKey-Signature evidence\n{ctx}"));
    assert_eq!(line.tone, sendtrust::report::Tone::Neutral, "{ctx}");
    assert!(line.value.contains("RFC 4870"), "{ctx}");
    assert!(line.value.contains("receivers ignore it"), "{ctx}");
    assert!(line.value.contains("Sign with DKIM"), "{ctx}");
}
