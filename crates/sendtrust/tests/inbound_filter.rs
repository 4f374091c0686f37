//! An inbound filtering service in front of the recipient's mailbox, through
//! the whole engine: the report names the filter on `sender.filter`, and what
//! the recipient's mailbox system recorded for the filter's relay is explained
//! as such in the receiver comparison and in the SPF rule
//! (tests/fixtures/received/barracuda-to-postfix.eml).

use sendtrust::dns::{Answer, DnsConfig, QType, Rdata, Resolver};
use sendtrust::report::FilterService;
use sendtrust::{NoObserver, Options, Report, RuleId, analyze, analyze_with};
use std::path::PathBuf;

fn fixture() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/received/barracuda-to-postfix.eml");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options() -> Options {
    Options {
        dns: DnsConfig::offline(),
        now: Some(1_751_534_200),
        ..Options::default()
    }
}

const FILTER_NOTE: &str = "recorded for the filter's relay, not the sender";

#[test]
fn the_report_names_the_filter_and_explains_its_spf_result() {
    let report: Report = futures::executor::block_on(analyze(&fixture(), &options()))
        .unwrap_or_else(|e| panic!("{e}"));
    let sender = report
        .sender
        .clone()
        .unwrap_or_else(|| panic!("no sender: {}", report.sender_reason));
    assert_eq!(sender.ip.to_string(), "203.0.113.77");
    let filter = sender
        .filter
        .clone()
        .unwrap_or_else(|| panic!("no filter: {}", report.sender_reason));
    assert_eq!(filter.service, FilterService::Barracuda);
    assert_eq!(filter.ip.to_string(), "198.51.100.206");
    assert_eq!(filter.host, "outbound-ip24a.ess.barracuda.com");
    assert_eq!(Some(filter.hop_index), sender.hop_index.map(|h| h + 1));
    assert!(
        report
            .sender_reason
            .contains("Barracuda Email Security, the recipient's inbound filter"),
        "{}",
        report.sender_reason
    );
    // The typed field in the JSON contract.
    let json = serde_json::to_value(&report).unwrap_or_default();
    assert_eq!(json["sender"]["filter"]["service"], "barracuda");
    assert_eq!(json["sender"]["filter"]["ip"], "198.51.100.206");

    // policyd-spf's softfail was for Barracuda's relay: explained, not compared.
    let row = report
        .beyond
        .receiver
        .iter()
        .find(|r| r.method == sendtrust::report::AuthMethod::Spf && r.source == "Received-SPF")
        .unwrap_or_else(|| panic!("no Received-SPF row: {:#?}", report.beyond.receiver));
    assert_eq!(
        row.recorded.word(),
        Some(sendtrust::report::AuthResult::Softfail)
    );
    assert_eq!(row.now, None);
    assert_eq!(row.agrees, None);
    assert!(
        row.note
            .as_deref()
            .is_some_and(|n| n.starts_with(FILTER_NOTE)),
        "{row:#?}"
    );
}

#[test]
fn the_spf_rule_does_not_compare_the_filters_result_with_the_senders() {
    // DNS is these records only: the sender's domain authorises the sender.
    let resolver = Resolver::with_fixtures_as_dns([(
        ("example.net".to_string(), QType::Txt),
        Ok(Answer::Records(vec![Rdata::Txt(
            b"v=spf1 ip4:203.0.113.77 -all".to_vec(),
        )])),
    )]);
    let online = Options {
        dns: DnsConfig::default(),
        ..options()
    };
    let report =
        futures::executor::block_on(analyze_with(&fixture(), &online, &resolver, &NoObserver))
            .unwrap_or_else(|e| panic!("{e}"));
    let spf = report
        .rules
        .iter()
        .find(|r| r.id == RuleId::Spf)
        .unwrap_or_else(|| panic!("no SPF rule"));
    assert_eq!(
        serde_json::to_value(&spf.details).unwrap_or_default()["result"],
        "pass",
        "{spf:#?}"
    );
    let recorded: Vec<&str> = spf
        .evidence
        .iter()
        .filter(|e| e.label == "The receiver recorded")
        .map(|e| e.value.as_str())
        .collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert!(
        recorded
            .iter()
            .all(|v| v.contains(FILTER_NOTE) && !v.contains("differs from now")),
        "{recorded:?}"
    );
}
