//! The resolver's session cache against the DNS bench: an answer is reused
//! while its TTL lasts and asked again once it has passed. The records are
//! `ttl-short.cli.test` (TTL 2 s) and `ttl-long.cli.test` (TTL 300 s) in
//! tests/bench/zones/cli.test.zone, asked through the fault server's counted
//! pass-through (`slow/0`) so the test sees what reached the server.
//!
//! `cargo test -p sendtrust-tests --test cache_ttl`

use sendtrust::dns::{Answer, QType, Rdata, Resolver};
use sendtrust_tests::{bench, doh_config};
use std::time::Duration;

const SHORT: &str = "ttl-short.cli.test";
const LONG: &str = "ttl-long.cli.test";
/// The TTL of [`SHORT`] in the zone.
const SHORT_TTL: Duration = Duration::from_secs(2);

fn sent(name: &str) -> u64 {
    bench().hits(Some("slow"), name, "A")
}

/// Asks `name` and returns whether the answer came from the cache.
async fn ask(resolver: &Resolver, name: &str) -> bool {
    let answer = resolver.lookup(name, QType::A).await;
    assert_eq!(
        answer,
        Ok(Answer::Records(vec![Rdata::A(
            "192.0.2.53".parse().unwrap()
        )])),
        "{name}"
    );
    let log = resolver.log();
    let entry = log.last().unwrap();
    assert_eq!(entry.name, name);
    assert_eq!(entry.attempts == 0, entry.cached, "{entry:?}");
    entry.cached
}

#[tokio::test(flavor = "current_thread")]
async fn cached_answers_are_reused_before_their_ttl_and_asked_again_after() {
    let resolver = Resolver::new(doh_config(&bench().slow(0)));
    let (short_before, long_before) = (sent(SHORT), sent(LONG));

    assert!(!ask(&resolver, SHORT).await, "first question is sent");
    assert!(!ask(&resolver, LONG).await, "first question is sent");
    assert_eq!(sent(SHORT), short_before + 1);
    assert_eq!(sent(LONG), long_before + 1);

    // Within the TTL: from the cache, nothing reaches the server.
    assert!(ask(&resolver, SHORT).await, "reused before its TTL");
    assert_eq!(sent(SHORT), short_before + 1);

    tokio::time::sleep(SHORT_TTL + Duration::from_millis(600)).await;

    // Past its 2 s TTL the short answer is asked again; the 300 s one is not.
    assert!(!ask(&resolver, SHORT).await, "asked again after its TTL");
    assert_eq!(sent(SHORT), short_before + 2);
    assert!(ask(&resolver, LONG).await, "still within its TTL");
    assert_eq!(sent(LONG), long_before + 1);
    // The fresh answer is cached again.
    assert!(ask(&resolver, SHORT).await);
    assert_eq!(sent(SHORT), short_before + 2);
}
