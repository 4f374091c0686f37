//! The whole engine with DNS: the same as `analyze_offline`, but through a
//! resolver whose fixtures stand for DNS — every TXT record of the test bench
//! zones auth.test, beyond.test and samples.test (fuzz/seeds/txt_fixtures.json:
//! DKIM keys, SPF, DMARC). So DKIM, SPF, DMARC and ARC verification (mail-auth
//! and Sendtrust's own header-only DKIM check) run on hostile input; the
//! repository's signed messages verify, and the fuzzer mutates from there.
//! Every other question fails at once as "offline".
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendtrust::dns::{Answer, QType, Rdata, Resolver};
use sendtrust::{NoObserver, Options, RuleId, analyze_with};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static TXT: LazyLock<BTreeMap<String, Vec<Vec<u8>>>> = LazyLock::new(|| {
    let records: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../seeds/txt_fixtures.json")).expect("fixtures");
    let mut by_name: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for r in records {
        let (Some(name), Some(txt)) = (r["name"].as_str(), r["txt"].as_str()) else {
            continue;
        };
        by_name
            .entry(name.to_string())
            .or_default()
            .push(txt.as_bytes().to_vec());
    }
    by_name
});

fuzz_target!(|data: &[u8]| {
    let resolver = Resolver::with_fixtures_as_dns(TXT.iter().map(|(name, texts)| {
        (
            (name.clone(), QType::Txt),
            Ok(Answer::Records(texts.iter().cloned().map(Rdata::Txt).collect())),
        )
    }));
    let options = Options {
        now: Some(1_750_000_000),
        ..Options::default()
    };
    let Ok(report) =
        futures::executor::block_on(analyze_with(data, &options, &resolver, &NoObserver))
    else {
        return;
    };
    let ids: Vec<RuleId> = report.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, RuleId::ALL, "all five rules, in order");
    // A message must not make the reader send an unbounded number of questions.
    assert!(
        report.dns_log.len() <= 100,
        "{} DNS questions",
        report.dns_log.len()
    );
    let json = serde_json::to_string(&report).expect("a report serialises");
    assert!(!json.is_empty());
});
