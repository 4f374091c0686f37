//! Antispam headers end to end: each header set in
//! tests/fixtures/antispam/*.eml goes through `sendtrust::analyze` (offline)
//! and its `beyond.antispam` reports are checked: vendor, verdict, score and
//! threshold, and specific items with their meanings.
//!
//! Odd and damaged values (NaN, 1e400, huge, negative, empty keys) are
//! checked for exactly what is shown.

use sendtrust::report::{AntispamItem, AntispamReport, Report};
use sendtrust::{Options, analyze};
use std::path::PathBuf;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/antispam")
}

/// Every fixture, each checked by one test below.
const FIXTURES: &[&str] = &[
    "amavis-ham",
    "damaged-paste",
    "exim-list-spam-report",
    "microsoft-allowlisted-from-tenant",
    "microsoft-bulk-junk",
    "microsoft-high-confidence-phish",
    "mixed-list-spamassassin-then-rspamd",
    "rspamd-add-header",
    "rspamd-no-action",
    "spamassassin-cpanel-ham",
    "spamassassin-spam-header-report",
];

async fn analyze_fixture(name: &str) -> Report {
    let path = fixture_dir().join(format!("{name}.eml"));
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = Options {
        dns: sendtrust::dns::DnsConfig::offline(),
        ..Default::default()
    };
    analyze(&raw, &options).await.expect("a report")
}

async fn antispam(name: &str) -> Vec<AntispamReport> {
    analyze_fixture(name).await.beyond.antispam
}

fn only<'r>(reports: &'r [AntispamReport], vendor: &str) -> &'r AntispamReport {
    let of_vendor: Vec<_> = reports.iter().filter(|r| r.vendor == vendor).collect();
    assert_eq!(of_vendor.len(), 1, "one {vendor} report: {reports:#?}");
    of_vendor[0]
}

fn item<'r>(r: &'r AntispamReport, key: &str) -> &'r AntispamItem {
    r.items
        .iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("no item {key} in {}: {:#?}", r.header, r.items))
}

fn keys(r: &AntispamReport) -> Vec<&str> {
    r.items.iter().map(|i| i.key.as_str()).collect()
}

fn verdict(r: &AntispamReport) -> &str {
    r.verdict
        .as_deref()
        .unwrap_or_else(|| panic!("no verdict: {r:#?}"))
}

#[test]
fn every_fixture_is_checked() {
    let mut found: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    assert_eq!(found, FIXTURES, "add a test for each new fixture");
}

/// What every fixture shows, beyond each fixture's own test: the vendors in
/// order, a verdict in words, finite numbers, and no item without a key.
#[tokio::test(flavor = "current_thread")]
async fn every_fixture_shows_a_verdict_and_keyed_items() {
    let vendors: &[(&str, &[&str])] = &[
        ("amavis-ham", &["spamassassin"]),
        ("damaged-paste", &["microsoft", "spamassassin", "rspamd"]),
        ("exim-list-spam-report", &["spamassassin"]),
        (
            "microsoft-allowlisted-from-tenant",
            &["microsoft", "microsoft"],
        ),
        ("microsoft-bulk-junk", &["microsoft"]),
        ("microsoft-high-confidence-phish", &["microsoft"]),
        (
            "mixed-list-spamassassin-then-rspamd",
            &["spamassassin", "rspamd"],
        ),
        ("rspamd-add-header", &["rspamd"]),
        ("rspamd-no-action", &["rspamd"]),
        ("spamassassin-cpanel-ham", &["spamassassin"]),
        ("spamassassin-spam-header-report", &["spamassassin"]),
    ];
    assert_eq!(
        vendors.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        FIXTURES,
        "one line per fixture"
    );
    for (name, want) in vendors {
        let reports = antispam(name).await;
        let got: Vec<&str> = reports.iter().map(|r| r.vendor.as_str()).collect();
        assert_eq!(&got, want, "{name}");
        for r in &reports {
            assert!(!r.header.is_empty(), "{name}: {r:#?}");
            assert!(!verdict(r).is_empty(), "{name}: {r:#?}");
            assert!(r.score.is_none_or(f64::is_finite), "{name}: {r:#?}");
            assert!(r.threshold.is_none_or(f64::is_finite), "{name}: {r:#?}");
            assert!(!r.items.is_empty(), "{name}: {r:#?}");
            for i in &r.items {
                assert!(!i.key.is_empty(), "{name}: an item without a key: {i:?}");
            }
        }
    }
}

/// Builds a header block around `headers` (bytes: some are not UTF-8) and
/// decodes it.
async fn decode(headers: impl AsRef<[u8]>) -> Vec<AntispamReport> {
    let mut raw = headers.as_ref().to_vec();
    raw.extend_from_slice(b"From: a@example.com\r\n\r\nbody\r\n");
    let options = Options {
        dns: sendtrust::dns::DnsConfig::offline(),
        ..Default::default()
    };
    analyze(&raw, &options)
        .await
        .expect("a report")
        .beyond
        .antispam
}

/// Odd numbers (NaN, infinities, 1e400, huge, negative) are shown as
/// written, never turned into a number or compared: the verdict says what the
/// header says and that the number is unreadable.
#[tokio::test(flavor = "current_thread")]
async fn odd_scores_are_shown_as_written_and_never_compared() {
    let r = decode("X-Spam-Status: Yes, score=NaN required=inf tests=\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!((sa.score, sa.threshold), (None, None));
    assert_eq!(verdict(sa), "spam (the score \"NaN\" is not a number)");

    let r = decode("X-Spam-Status: No, score=1e400 required=5.0 tests=A\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!((sa.score, sa.threshold), (None, Some(5.0)));
    // Not "score 1e400, below the required 5.0": that comparison is false.
    assert_eq!(
        verdict(sa),
        "not spam (the score \"1e400\" is not a number)"
    );

    let r = decode("X-Spam-Status: No, score=-12.5 required=5.0 tests=BAYES_00\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!((sa.score, sa.threshold), (Some(-12.5), Some(5.0)));
    assert_eq!(
        verdict(sa),
        "not spam (score -12.5, below the required 5.0)"
    );

    // Huge but written as a plain number: a number.
    let r =
        decode("X-Spam-Status: Yes, score=99999999999999999999999 required=5.0 tests=A\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!(sa.score, Some(1e23));
    assert_eq!(
        verdict(sa),
        "spam (score 99999999999999999999999, at or above the required 5.0)"
    );
    // A flag that contradicts the numbers: the wording follows the numbers.
    let r = decode("X-Spam-Status: Yes, score=1.0 required=5.0 tests=A\r\n").await;
    assert_eq!(
        verdict(only(&r, "spamassassin")),
        "spam (score 1.0, below the required 5.0)"
    );
    let r = decode("X-Spam-Status: Yes, score=-0 required=-5 tests=NONE\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!((sa.score, sa.threshold), (Some(-0.0), Some(-5.0)));
    assert_eq!(verdict(sa), "spam (score -0, at or above the required -5)");

    for written in ["1e400", "-1e3", "inf", "NaN"] {
        let r = decode(&format!(
            "X-Rspamd-Score: {written}\r\nX-Rspamd-Action: no action\r\n"
        ))
        .await;
        let rs = only(&r, "rspamd");
        assert_eq!(rs.score, None, "{written}");
        assert_eq!(verdict(rs), "no action: delivered normally");
        let score = item(rs, "X-Rspamd-Score");
        assert_eq!(score.value, written);
        assert_eq!(
            score.meaning,
            "The total score, but not a number as written: not used."
        );
    }
    let r = decode("X-Rspamd-Score: 1e400\r\nX-Rspamd-Action: \r\n").await;
    let rs = only(&r, "rspamd");
    assert_eq!(rs.verdict, None);
    assert_eq!(
        item(rs, "X-Rspamd-Action").meaning,
        "Action Rspamd chose: no action given."
    );

    let r = decode("X-Spamd-Result: default: False [NaN / 15.00]; R_SPF_ALLOW(NaN)[x]\r\n").await;
    let rs = only(&r, "rspamd");
    assert_eq!((rs.score, rs.threshold), (None, Some(15.0)));
    assert_eq!(verdict(rs), "not rejected (the action was below reject)");
    // A symbol whose points are not a number is not listed as scored.
    assert!(rs.items.iter().all(|i| i.key != "R_SPF_ALLOW"), "{rs:#?}");

    let r = decode("X-Forefront-Antispam-Report: SCL:99999999999999999999;SFV:SPM\r\n").await;
    let ms = only(&r, "microsoft");
    assert_eq!(ms.score, None);
    assert_eq!(verdict(ms), "SFV:SPM (the spam filter marked it spam)");
    assert_eq!(
        item(ms, "SCL").meaning,
        "Spam confidence level (unreadable value)."
    );

    let r =
        decode("X-Forefront-Antispam-Report: SCL:-7;SFV:NSPM\r\nX-Microsoft-Antispam: BCL:NaN\r\n")
            .await;
    let ms = only(&r, "microsoft");
    assert_eq!(ms.score, Some(-7.0));
    assert!(
        verdict(ms).starts_with("SCL -7: value out of range;"),
        "{ms:#?}"
    );
    assert!(
        item(ms, "SCL")
            .meaning
            .contains("out of range (SCL runs from -1 to 9)")
    );
    assert_eq!(
        item(ms, "BCL").meaning,
        "Bulk complaint level (unreadable value)."
    );
}

/// Damaged fields are decoded as far as they go, and nothing is shown
/// without a key: `;;:` and `=, ==` are left out, not listed as blank rows.
#[tokio::test(flavor = "current_thread")]
async fn damaged_fields_show_no_blank_items() {
    let r =
        decode("X-Forefront-Antispam-Report: ;;;:;::;SCL:;SCL:x;SCL:99999999999999999999;CAT:\r\n")
            .await;
    let ms = only(&r, "microsoft");
    assert_eq!(keys(ms), ["SCL", "SCL", "SCL", "CAT"]);
    assert_eq!(ms.verdict, None);
    assert_eq!(item(ms, "CAT").meaning, "Threat category (empty).");

    let r = decode("X-Microsoft-Antispam: BCL:-7;BCL:;PCL:abc\r\n").await;
    let ms = only(&r, "microsoft");
    assert_eq!(keys(ms), ["BCL", "BCL", "PCL"]);
    assert!(
        item(ms, "BCL")
            .meaning
            .contains("out of range (BCL runs from 0 to 9)")
    );

    let r = decode("X-Spam_report: (/ requ) =, ==, a=b=c\r\n").await;
    let sa = only(&r, "spamassassin");
    assert!(sa.items.iter().all(|i| !i.key.is_empty()), "{sa:#?}");
    assert_eq!(
        (sa.score, sa.threshold, sa.verdict.as_deref()),
        (None, None, None)
    );

    let r = decode("X-Spam-Status: ,,,,\r\nX-Spam-Report: *\r\n *\r\n * 1.0\r\n").await;
    let sa = only(&r, "spamassassin");
    assert_eq!(sa.header, "X-Spam-Status, X-Spam-Report");
    assert_eq!((sa.score, sa.verdict.as_deref()), (None, None));
    assert!(sa.items.iter().all(|i| !i.key.is_empty()), "{sa:#?}");

    let r = decode(b"X-Spamd-Result: default: \xff\xfe [ / ]; (((; ]]]; X(; Y[; Z()[\r\n").await;
    let rs = only(&r, "rspamd");
    assert_eq!(
        (rs.score, rs.threshold, rs.verdict.as_deref()),
        (None, None, None)
    );
    assert!(rs.items.iter().all(|i| !i.key.is_empty()), "{rs:#?}");

    let r = decode("X-Spamd-Result: default: False [3.40 / 15.00 / 0.00]; R_SPF_ALLOW(-0.20)[+ip4:[192.0.2.1]]; \r\n").await;
    let rs = only(&r, "rspamd");
    assert_eq!((rs.score, rs.threshold), (Some(3.4), Some(15.0)));
    assert_eq!(item(rs, "R_SPF_ALLOW").value, "-0.20 [+ip4:[192.0.2.1]]");
}

#[tokio::test(flavor = "current_thread")]
async fn microsoft_bulk_mail_filed_as_junk() {
    let reports = antispam("microsoft-bulk-junk").await;
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let r = only(&reports, "microsoft");
    assert_eq!(
        r.header,
        "X-Forefront-Antispam-Report, X-Microsoft-Antispam, X-MS-Exchange-Organization-SCL, X-Microsoft-Antispam-Mailbox-Delivery"
    );
    assert_eq!(r.score, Some(6.0));
    assert_eq!(r.threshold, None);
    assert_eq!(
        verdict(r),
        "SCL 6: spam (Junk Email folder by default); SFV:SPM (the spam filter marked it spam); \
         CAT:BULK (bulk); bulk mail (BCL 8); delivered to the Junk Email folder"
    );
    assert_eq!(item(r, "CIP").value, "192.0.2.44");
    assert!(item(r, "CIP").meaning.starts_with("Connecting IP"));
    assert_eq!(item(r, "CTRY").value, "NL");
    assert_eq!(item(r, "SRV").value, "BULK");
    assert!(item(r, "SRV").meaning.contains("bulk mail"));
    assert_eq!(item(r, "BCL").value, "8");
    assert!(item(r, "BCL").meaning.contains("many complaints"));
    assert!(
        item(r, "SCL")
            .meaning
            .starts_with("Spam confidence level 6: spam")
    );
    assert_eq!(item(r, "dest").value, "J");
    assert_eq!(
        item(r, "dest").meaning,
        "Delivered to the Junk Email folder."
    );
    assert!(item(r, "SFS").meaning.contains("Microsoft-internal"));
    // Undocumented keys are kept, with no meaning.
    assert_eq!(item(r, "RF").value, "JunkEmail");
    assert_eq!(item(r, "RF").meaning, "");
}

#[tokio::test(flavor = "current_thread")]
async fn microsoft_allow_list_and_the_senders_untrusted_stamp() {
    let reports = antispam("microsoft-allowlisted-from-tenant").await;
    assert_eq!(reports.len(), 2, "{reports:#?}");
    assert!(reports.iter().all(|r| r.vendor == "microsoft"));
    let mine = &reports[0];
    assert!(
        mine.header
            .starts_with("X-Forefront-Antispam-Report, X-Microsoft-Antispam")
    );
    assert_eq!(mine.score, Some(-1.0));
    assert_eq!(
        verdict(mine),
        "SCL -1: spam filtering skipped (Inbox); SFV:SKN (a mail flow rule marked it not spam before filtering); delivered to the Inbox"
    );
    // The IPv6 connecting address keeps its colons.
    assert_eq!(item(mine, "CIP").value, "2001:db8:7f::25");
    assert!(item(mine, "IPV").meaning.contains("IP Allow List"));
    assert!(item(mine, "SFV").meaning.contains("mail flow rule"));
    assert!(item(mine, "CAT").meaning.contains("none"));
    assert!(item(mine, "BCL").meaning.contains("not from a bulk sender"));

    let theirs = &reports[1];
    assert_eq!(
        theirs.header,
        "X-Forefront-Antispam-Report-Untrusted, X-Microsoft-Antispam-Untrusted"
    );
    assert_eq!(theirs.score, Some(1.0));
    assert!(
        verdict(theirs).starts_with("Another Microsoft 365 organization's verdict"),
        "{theirs:#?}"
    );
    assert!(verdict(theirs).contains("SCL 1: not spam"));
    assert_eq!(item(theirs, "DIR").value, "OUT");
    assert!(item(theirs, "DIR").meaning.contains("outbound"));
    assert!(item(theirs, "PTR").meaning.contains("none recorded"));
}

#[tokio::test(flavor = "current_thread")]
async fn microsoft_high_confidence_phish() {
    let reports = antispam("microsoft-high-confidence-phish").await;
    let r = only(&reports, "microsoft");
    assert_eq!(r.score, Some(9.0));
    let v = verdict(r);
    assert!(v.starts_with("SCL 9: high confidence spam"), "{v}");
    assert!(v.contains("CAT:HPHSH (high confidence phishing)"), "{v}");
    assert!(!v.contains("bulk"), "{v}");
    assert!(item(r, "CAT").meaning.contains("high confidence phishing"));
    assert_eq!(item(r, "SFTY").value, "9.25");
    assert!(item(r, "SFTY").meaning.contains("first contact"));
    assert!(item(r, "SCL").meaning.contains("high confidence spam"));
}

#[tokio::test(flavor = "current_thread")]
async fn spamassassin_spam_with_header_report() {
    let reports = antispam("spamassassin-spam-header-report").await;
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let r = only(&reports, "spamassassin");
    assert_eq!(r.score, Some(7.4));
    assert_eq!(r.threshold, Some(5.0));
    assert_eq!(verdict(r), "spam (score 7.4, at or above the required 5.0)");
    assert!(r.header.contains("X-Spam-Report"), "{}", r.header);
    // Rules in X-Spam-Status order, points from X-Spam-Report.
    assert_eq!(
        keys(r).get(..9),
        Some(
            &[
                "BAYES_95",
                "FREEMAIL_FORGED_REPLYTO",
                "HTML_MESSAGE",
                "MIME_HTML_ONLY",
                "RDNS_NONE",
                "SPF_HELO_NONE",
                "SPF_SOFTFAIL",
                "URIBL_BLOCKED",
                "LOCAL_CRYPTO_LURE",
            ][..]
        )
    );
    assert_eq!(item(r, "BAYES_95").value, "3.0");
    assert!(item(r, "BAYES_95").meaning.contains("95–99%"));
    assert_eq!(item(r, "SPF_SOFTFAIL").value, "0.7");
    assert!(item(r, "SPF_SOFTFAIL").meaning.contains("softfail"));
    assert_eq!(item(r, "RDNS_NONE").value, "1.3");
    assert!(item(r, "URIBL_BLOCKED").meaning.contains("did not run"));
    // A local rule has no table entry: the report's description stands in.
    assert_eq!(item(r, "LOCAL_CRYPTO_LURE").value, "0.2");
    assert_eq!(
        item(r, "LOCAL_CRYPTO_LURE").meaning,
        "Body mentions a crypto giveaway (local rule)"
    );
    assert_eq!(item(r, "autolearn").value, "no");
    assert!(item(r, "X-Spam-Level").meaning.starts_with("7 stars"));
    assert_eq!(item(r, "X-Spam-Flag").value, "YES");
}

#[tokio::test(flavor = "current_thread")]
async fn spamassassin_cpanel_ham_report_table() {
    let reports = antispam("spamassassin-cpanel-ham").await;
    let r = only(&reports, "spamassassin");
    assert!(r.header.contains("X-Ham-Report"), "{}", r.header);
    assert_eq!(r.score, Some(-0.2));
    // The required score comes only from the report's "Content analysis details".
    assert_eq!(r.threshold, Some(5.0));
    assert_eq!(verdict(r), "not spam (score -0.2, below the required 5.0)");
    assert_eq!(
        keys(r).get(..7),
        Some(
            &[
                "SPF_PASS",
                "SPF_HELO_NONE",
                "DKIM_VALID_AU",
                "DKIM_VALID",
                "DKIM_SIGNED",
                "DKIM_VALID_EF",
                "T_SCC_BODY_TEXT_LINE",
            ][..]
        )
    );
    assert_eq!(item(r, "SPF_PASS").value, "-0.0");
    assert_eq!(item(r, "DKIM_VALID_AU").value, "-0.1");
    assert!(
        item(r, "DKIM_VALID_AU")
            .meaning
            .contains("author's (From) domain")
    );
    assert!(item(r, "DKIM_VALID_EF").meaning.contains("envelope sender"));
    // The table's meaning replaces SpamAssassin's "No description available."
    assert!(
        item(r, "T_SCC_BODY_TEXT_LINE")
            .meaning
            .contains("information only")
    );
    assert_eq!(item(r, "X-Spam-Bar").value, "/");
}

#[tokio::test(flavor = "current_thread")]
async fn amavis_status_with_scored_tests() {
    let reports = antispam("amavis-ham").await;
    let r = only(&reports, "spamassassin");
    assert_eq!(r.score, Some(-2.001));
    assert_eq!(r.threshold, Some(6.31));
    assert_eq!(
        verdict(r),
        "not spam (score -2.001, below the required 6.31)"
    );
    assert_eq!(
        keys(r).get(..7),
        Some(
            &[
                "BAYES_00",
                "DKIM_SIGNED",
                "DKIM_VALID",
                "DKIM_VALID_AU",
                "RCVD_IN_DNSWL_NONE",
                "SPF_HELO_NONE",
                "SPF_PASS",
            ][..]
        )
    );
    assert_eq!(item(r, "BAYES_00").value, "-1.9");
    assert!(item(r, "BAYES_00").meaning.contains("0–1%"));
    assert_eq!(item(r, "RCVD_IN_DNSWL_NONE").value, "-0.0001");
    assert!(item(r, "RCVD_IN_DNSWL_NONE").meaning.contains("DNSWL"));
    assert_eq!(item(r, "autolearn").value, "ham");
    assert!(item(r, "autolearn").meaning.contains("good mail"));
}

#[tokio::test(flavor = "current_thread")]
async fn exim_spam_report_summary() {
    let reports = antispam("exim-list-spam-report").await;
    let r = only(&reports, "spamassassin");
    assert_eq!(r.header, "X-Spam_report, X-Spam_score");
    assert_eq!(r.score, Some(-2.1));
    assert_eq!(r.threshold, Some(5.0));
    assert_eq!(verdict(r), "not spam (score -2.1, below the required 5.0)");
    assert_eq!(item(r, "BAYES_00").value, "-1.9");
    assert_eq!(item(r, "DKIM_VALID_EF").value, "-0.1");
    let blocked = item(r, "RCVD_IN_VALIDITY_RPBL_BLOCKED");
    assert_eq!(blocked.value, "0.001");
    assert!(blocked.meaning.contains("Validity refused"), "{blocked:?}");
    assert!(
        item(r, "RCVD_IN_VALIDITY_SAFE_BLOCKED")
            .meaning
            .contains("did not run")
    );
    assert_eq!(item(r, "autolearn").value, "ham");
}

#[tokio::test(flavor = "current_thread")]
async fn rspamd_clean_message() {
    let reports = antispam("rspamd-no-action").await;
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let r = only(&reports, "rspamd");
    assert_eq!(r.header, "X-Spamd-Result, X-Rspamd-Action, X-Spamd-Bar");
    assert_eq!(r.score, Some(-3.91));
    assert_eq!(r.threshold, Some(15.0));
    assert_eq!(verdict(r), "no action: delivered normally");
    assert_eq!(r.items.first().map(|i| i.key.as_str()), Some("BAYES_HAM"));
    assert_eq!(item(r, "BAYES_HAM").value, "-3.00 [99.99%]");
    assert!(item(r, "BAYES_HAM").meaning.contains("good mail"));
    assert_eq!(item(r, "R_SPF_ALLOW").value, "-0.20 [+ip4:192.0.2.0/24]");
    assert!(item(r, "R_SPF_ALLOW").meaning.starts_with("SPF pass"));
    assert_eq!(
        item(r, "R_DKIM_ALLOW").value,
        "-0.20 [git.example.com:s=s2025]"
    );
    assert!(
        item(r, "DMARC_POLICY_ALLOW")
            .meaning
            .starts_with("DMARC pass")
    );
    assert_eq!(item(r, "ARC_NA").value, "0.00");
    assert!(item(r, "ARC_NA").meaning.contains("no ARC headers"));
    assert_eq!(
        item(r, "ASN").value,
        "0.00 [asn:64500, ipnet:192.0.2.0/24, country:ZZ]"
    );
    assert!(item(r, "MID_RHS_MATCH_FROM").meaning.contains("Message-ID"));
    assert!(item(r, "RCVD_COUNT_ONE").meaning.contains("one"));
    assert!(
        item(r, "RWL_MAILSPIKE_GOOD")
            .meaning
            .contains("good Mailspike")
    );
    assert!(item(r, "DKIM_TRACE").meaning.contains("+ pass"));
    assert_eq!(item(r, "X-Spamd-Bar").value, "---");
}

#[tokio::test(flavor = "current_thread")]
async fn rspamd_spam_with_its_own_x_spam_status() {
    let reports = antispam("rspamd-add-header").await;
    // Rspamd's "X-Spam-Status: Yes, score=8.95" and X-Spam-Level are not
    // taken for SpamAssassin's.
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let r = only(&reports, "rspamd");
    assert_eq!(r.score, Some(8.95));
    assert_eq!(r.threshold, Some(15.0));
    assert_eq!(
        verdict(r),
        "add header: delivered marked as spam (usually filed as junk)"
    );
    assert!(r.header.contains("X-Spam-Status"), "{}", r.header);
    assert_eq!(item(r, "BAYES_SPAM").value, "3.45 [93.02%]");
    assert!(item(r, "BAYES_SPAM").meaning.contains("says spam"));
    assert!(item(r, "RBL_SPAMHAUS_PBL").meaning.contains("Spamhaus PBL"));
    assert!(
        item(r, "DMARC_POLICY_QUARANTINE")
            .meaning
            .contains("p=quarantine")
    );
    assert!(
        item(r, "R_SPF_SOFTFAIL")
            .meaning
            .starts_with("SPF softfail")
    );
    assert!(item(r, "FORGED_SENDER").meaning.contains("differ"));
    assert!(item(r, "R_DKIM_NA").meaning.contains("no DKIM signature"));
    assert_eq!(item(r, "X-Spam-Status").value, "Yes, score=8.95");
    assert!(
        item(r, "X-Spam-Status")
            .meaning
            .contains("stronger than greylist")
    );
    assert!(item(r, "X-Spam-Level").meaning.starts_with("8 stars"));
    assert_eq!(item(r, "X-Spam").value, "Yes");
}

#[tokio::test(flavor = "current_thread")]
async fn spamassassin_on_the_list_then_rspamd_at_the_recipient() {
    let reports = antispam("mixed-list-spamassassin-then-rspamd").await;
    assert_eq!(reports.len(), 2, "{reports:#?}");

    let sa = only(&reports, "spamassassin");
    assert_eq!(sa.score, Some(-0.5));
    assert_eq!(sa.threshold, Some(5.0));
    assert_eq!(verdict(sa), "not spam (score -0.5, below the required 5.0)");
    assert!(
        sa.header.contains("X-Spam-Checker-Version"),
        "{}",
        sa.header
    );
    assert!(
        item(sa, "RCVD_IN_ZEN_BLOCKED_OPENDNS")
            .meaning
            .contains("public DNS resolver")
    );
    assert!(item(sa, "DKIM_INVALID").meaning.contains("did not verify"));
    // Without a report there are no points, but the rule is still explained.
    assert_eq!(item(sa, "FREEMAIL_FROM").value, "");
    assert!(item(sa, "FREEMAIL_FROM").meaning.contains("free mail"));

    // The older Rspamd form: symbols on folded lines, no semicolons.
    let rs = only(&reports, "rspamd");
    assert_eq!(rs.header, "X-Spamd-Result, X-Rspamd-Score");
    assert_eq!(rs.score, Some(1.2));
    assert_eq!(rs.threshold, Some(20.0));
    assert_eq!(verdict(rs), "not rejected (the action was below reject)");
    assert_eq!(
        rs.items
            .iter()
            .filter(|i| i.key != "X-Rspamd-Score")
            .count(),
        11
    );
    assert_eq!(
        item(rs, "R_DKIM_REJECT").value,
        "1.00 [mail.example:s=20230601]"
    );
    assert!(
        item(rs, "R_DKIM_REJECT")
            .meaning
            .contains("failed to verify")
    );
    assert_eq!(
        item(rs, "DMARC_POLICY_SOFTFAIL").value,
        "0.10 [mail.example : SPF not aligned (relaxed), No valid DKIM,none]"
    );
    assert!(
        item(rs, "RCVD_COUNT_THREE")
            .meaning
            .contains("three or four")
    );
    assert!(
        item(rs, "FORGED_SENDER_MAILLIST")
            .meaning
            .contains("mailing list")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn damaged_paste_is_decoded_as_far_as_it_goes() {
    let reports = antispam("damaged-paste").await;
    assert_eq!(reports.len(), 3, "{reports:#?}");

    let ms = only(&reports, "microsoft");
    assert_eq!(ms.score, Some(5.0));
    assert!(verdict(ms).contains("CAT:SPOOF (spoofing)"), "{ms:#?}");
    assert_eq!(item(ms, "SFS").value, "(13230040)(4636009");
    assert_eq!(item(ms, "DIR").value, "INB");
    // "BCL:" with no value: kept, and said to be unreadable.
    assert_eq!(item(ms, "BCL").value, "");
    assert!(item(ms, "BCL").meaning.contains("unreadable"));

    let sa = only(&reports, "spamassassin");
    assert_eq!(sa.score, Some(6.1));
    assert_eq!(keys(sa), ["BAYES_99", "DKIM_SIGNED", "SPF_FA"]);

    let rs = only(&reports, "rspamd");
    assert_eq!(rs.score, Some(4.6));
    // The cut "R_DKIM_NA(0.00)[; BAYES_SPA" keeps R_DKIM_NA and drops the stub.
    assert_eq!(keys(rs), ["R_SPF_FAIL", "DMARC_POLICY_REJECT", "R_DKIM_NA"]);
    assert!(item(rs, "DMARC_POLICY_REJECT").meaning.contains("p=reject"));
}
