//! The whole engine, offline: raw bytes → `Report` (or `InputError`) → JSON.
//! Offline, the engine never awaits I/O, so a plain executor drives it.
//! Besides "no panic", it checks the report's invariants (ARCHITECTURE.md):
//! all five rules, in order; the hand-off hop names a hop that exists; the
//! report serialises and reads back unchanged (the schema is a contract).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendtrust::dns::DnsConfig;
use sendtrust::{Options, Report, RuleId, analyze};

fuzz_target!(|data: &[u8]| {
    let options = Options {
        dns: DnsConfig::offline(),
        // A fixed "now", so a run is reproducible.
        now: Some(1_750_000_000),
        ..Options::default()
    };
    let Ok(report) = futures::executor::block_on(analyze(data, &options)) else {
        return;
    };
    let ids: Vec<RuleId> = report.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, RuleId::ALL, "all five rules, in order");
    if let Some(sender) = &report.sender
        && let Some(i) = sender.hop_index
    {
        assert!(i < report.hops.len(), "the sender's hop exists");
    }
    // The CLI and the page serialise the report; the page reads it back.
    let json = serde_json::to_string(&report).expect("a report serialises");
    let back: Report = serde_json::from_str(&json).expect("a report reads back");
    assert_eq!(back, report, "the report survives a JSON round trip");
});
