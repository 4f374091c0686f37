//! The engine's DoH resolver against the real bench: BIND behind dnsdist, and
//! the bench's fault server (tests/bench/README.md). Every test talks to real
//! servers on loopback; fixtures are in tests/bench/zones/fault.test.zone.

use sendtrust::dns::{Answer, DnsConfig, DnsFailure, QType, Rdata, Resolver};
use sendtrust::report::DnsLogEntry;
use sendtrust_tests::{bench, doh_config, http, json_config};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

const EXISTS: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 53);

/// Slack on top of a deadline for a loaded, shared 2-core machine. The bound
/// says "the deadline is enforced", not "it is fast".
const MARGIN: Duration = Duration::from_millis(1500);

/// A name nobody else asked for: every name under wild.fault.test exists
/// (A 192.0.2.53, TXT "wildcard fixture"), so the fault server's counters for
/// it count this test's requests only.
fn fresh(label: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{label}-{}-{}-{nanos}.wild.fault.test",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn wire() -> Resolver {
    Resolver::new(doh_config(&bench().doh))
}

fn with(config: DnsConfig, f: impl FnOnce(&mut DnsConfig)) -> Resolver {
    let mut config = config;
    f(&mut config);
    Resolver::new(config)
}

fn only_entry(resolver: &Resolver) -> DnsLogEntry {
    let log = resolver.log();
    assert_eq!(log.len(), 1, "{log:#?}");
    log.into_iter().next().unwrap()
}

/// Records sorted, so answers compare whatever order the server chose.
fn sorted(lookup: Result<Answer, DnsFailure>) -> Result<Answer, DnsFailure> {
    lookup.map(|answer| match answer {
        Answer::Records(mut records) => {
            records.sort_by_key(|r| r.to_string());
            Answer::Records(records)
        }
        other => other,
    })
}

fn records(rdata: Vec<Rdata>) -> Result<Answer, DnsFailure> {
    sorted(Ok(Answer::Records(rdata)))
}

// ---------------------------------------------------------------------------
// Answers with data
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn a_record_is_read_from_bind() {
    let resolver = wire();
    let got = resolver.lookup("exists.fault.test", QType::A).await;
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
    let entry = only_entry(&resolver);
    assert_eq!(entry.name, "exists.fault.test");
    assert_eq!(entry.qtype, "A");
    assert_eq!(entry.status, "NOERROR");
    assert_eq!(entry.answers, vec!["192.0.2.53"]);
    assert_eq!(entry.attempts, 1);
    assert!(!entry.cached);
}

#[tokio::test(flavor = "current_thread")]
async fn names_are_normalised_before_asking() {
    let resolver = wire();
    let got = resolver.lookup("EXISTS.Fault.Test.", QType::A).await;
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
    assert_eq!(only_entry(&resolver).name, "exists.fault.test");
}

#[tokio::test(flavor = "current_thread")]
async fn txt_record_is_read() {
    let got = wire().lookup("exists.fault.test", QType::Txt).await;
    assert_eq!(
        got,
        Ok(Answer::Records(vec![Rdata::Txt(
            b"exists fixture".to_vec()
        )]))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn long_txt_strings_are_concatenated_without_separators() {
    // Four character-strings, 534 bytes: the answer is larger than 512 bytes.
    let want = format!(
        "v=fixture1; part=one; {}{}; part=three",
        "a".repeat(250),
        "b".repeat(250)
    );
    let got = wire().lookup("long.fault.test", QType::Txt).await;
    assert_eq!(
        got,
        Ok(Answer::Records(vec![Rdata::Txt(want.into_bytes())]))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn two_txt_records_stay_two_records() {
    let got = sorted(wire().lookup("two-txt.fault.test", QType::Txt).await);
    assert_eq!(
        got,
        records(vec![
            Rdata::Txt(b"first record".to_vec()),
            Rdata::Txt(b"second record".to_vec()),
        ])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn txt_bytes_survive_escaping() {
    let got = wire().lookup("escape.fault.test", QType::Txt).await;
    let want = "say \"hi\" \\ café".as_bytes().to_vec();
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::Txt(want)])));
}

#[tokio::test(flavor = "current_thread")]
async fn mx_records_have_preference_and_exchange() {
    let got = sorted(wire().lookup("fault.test", QType::Mx).await);
    assert_eq!(
        got,
        records(vec![
            Rdata::Mx(10, "mx1.fault.test".into()),
            Rdata::Mx(20, "mx2.fault.test".into()),
        ])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn ptr_record_is_read() {
    let got = wire().lookup("ptr.fault.test", QType::Ptr).await;
    assert_eq!(
        got,
        Ok(Answer::Records(vec![Rdata::Ptr(
            "exists.fault.test".into()
        )]))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn aaaa_record_is_read() {
    let got = wire().lookup("v6.fault.test", QType::Aaaa).await;
    let want: Ipv6Addr = "3fff:0:0:53::53".parse().unwrap();
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::Aaaa(want)])));
}

#[tokio::test(flavor = "current_thread")]
async fn cname_is_followed_to_the_address() {
    // BIND answers the CNAME and the target's A record; only the A is a record of the type asked.
    let got = wire().lookup("alias.fault.test", QType::A).await;
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
}

// ---------------------------------------------------------------------------
// Negative answers
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn missing_name_is_nxdomain() {
    let resolver = wire();
    assert_eq!(
        resolver.lookup("nope.fault.test", QType::A).await,
        Ok(Answer::NxDomain)
    );
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "NXDOMAIN");
    assert!(entry.answers.is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn cname_to_a_missing_name_is_nxdomain() {
    assert_eq!(
        wire().lookup("dangling.fault.test", QType::A).await,
        Ok(Answer::NxDomain)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn existing_name_without_the_type_is_nodata() {
    let resolver = wire();
    assert_eq!(
        resolver.lookup("nodata.fault.test", QType::Txt).await,
        Ok(Answer::NoData)
    );
    assert_eq!(only_entry(&resolver).status, "NODATA");
    // The same name does have an address: NODATA is not NXDOMAIN.
    assert_eq!(
        resolver.lookup("nodata.fault.test", QType::A).await,
        Ok(Answer::Records(vec![Rdata::A(EXISTS)]))
    );
}

// ---------------------------------------------------------------------------
// DNS failures (dnsdist rules)
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn servfail_is_a_failure_and_is_retried() {
    let resolver = wire();
    let got = resolver.lookup("x.servfail.fault.test", QType::A).await;
    assert_eq!(got, Err(DnsFailure::ServFail));
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "SERVFAIL");
    assert_eq!(entry.attempts, 2, "one try and one retry: {entry:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn refused_is_a_failure_and_is_not_retried() {
    let resolver = wire();
    let got = resolver.lookup("refused.fault.test", QType::Txt).await;
    assert_eq!(got, Err(DnsFailure::Refused));
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "REFUSED");
    assert_eq!(entry.attempts, 1);
}

// ---------------------------------------------------------------------------
// Transport failures (fault server)
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn http_500_is_retried_then_reported() {
    let name = fresh("http500");
    let resolver = with(doh_config(&bench().http500), |c| c.retries = 2);
    let got = resolver.lookup(&name, QType::A).await;
    assert_eq!(got, Err(DnsFailure::HttpStatus(500)));
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "http-status");
    assert_eq!(entry.detail.as_deref(), Some("HTTP 500"));
    assert_eq!(entry.attempts, 3, "1 + retries: {entry:?}");
    assert_eq!(bench().hits(Some("http500"), &name, "A"), 3);
}

#[tokio::test(flavor = "current_thread")]
async fn failures_are_cached_briefly_not_resent() {
    let name = fresh("failcache");
    let resolver = Resolver::new(doh_config(&bench().http500));
    assert_eq!(
        resolver.lookup(&name, QType::A).await,
        Err(DnsFailure::HttpStatus(500))
    );
    assert_eq!(
        resolver.lookup(&name, QType::A).await,
        Err(DnsFailure::HttpStatus(500))
    );
    let log = resolver.log();
    assert_eq!(log.len(), 2);
    assert!(log[1].cached && log[1].attempts == 0, "{log:#?}");
    assert_eq!(
        bench().hits(Some("http500"), &name, "A"),
        2,
        "1 + 1 retry, then cached"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn html_body_is_malformed() {
    let name = fresh("garbage");
    let resolver = Resolver::new(doh_config(&bench().garbage));
    let got = resolver.lookup(&name, QType::A).await;
    assert!(matches!(got, Err(DnsFailure::Malformed(_))), "{got:?}");
    assert_eq!(only_entry(&resolver).status, "malformed");
    assert_eq!(bench().hits(Some("garbage"), &name, "A"), 1, "not retried");
}

#[tokio::test(flavor = "current_thread")]
async fn answer_to_another_question_is_a_mismatch() {
    let resolver = Resolver::new(doh_config(&bench().mismatch));
    let got = resolver.lookup("exists.fault.test", QType::A).await;
    assert_eq!(got, Err(DnsFailure::Mismatch));
    // The fault server's answer carried 192.0.2.53 for other.fault.test: it must not leak.
    assert!(only_entry(&resolver).answers.is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn refused_connection_is_a_network_failure() {
    let resolver = Resolver::new(doh_config(&bench().down));
    let got = resolver.lookup("exists.fault.test", QType::A).await;
    assert!(matches!(got, Err(DnsFailure::Network(_))), "{got:?}");
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "network");
    assert!(entry.detail.is_some());
    assert_eq!(entry.attempts, 2, "network failures are retried once");
}

#[tokio::test(flavor = "current_thread")]
async fn silent_server_times_out_at_the_deadline() {
    let deadline = Duration::from_millis(1500);
    let name = fresh("blackhole");
    let resolver = with(doh_config(&bench().blackhole), |c| c.timeout = deadline);
    let started = Instant::now();
    let got = resolver.lookup(&name, QType::A).await;
    let elapsed = started.elapsed();
    assert_eq!(got, Err(DnsFailure::Timeout));
    assert!(
        elapsed >= deadline - Duration::from_millis(100),
        "gave up before the deadline: {elapsed:?}"
    );
    assert!(
        elapsed < deadline + MARGIN,
        "deadline not enforced: {elapsed:?}"
    );
    assert_eq!(only_entry(&resolver).status, "timeout");
    assert_eq!(bench().hits(Some("blackhole"), &name, "A"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn late_answer_past_the_deadline_is_a_timeout() {
    let deadline = Duration::from_millis(500);
    let resolver = with(doh_config(&bench().slow(2000)), |c| c.timeout = deadline);
    let started = Instant::now();
    let got = resolver.lookup(&fresh("late"), QType::A).await;
    assert_eq!(got, Err(DnsFailure::Timeout));
    assert!(
        started.elapsed() < deadline + MARGIN,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn slow_answer_within_the_deadline_succeeds() {
    let resolver = with(doh_config(&bench().slow(200)), |c| {
        c.timeout = Duration::from_secs(2)
    });
    let got = resolver.lookup("exists.fault.test", QType::A).await;
    assert_eq!(got, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
    let entry = only_entry(&resolver);
    assert!(entry.ms >= 200, "the log measures the wait: {entry:?}");
    assert_eq!(entry.attempts, 1);
}

// ---------------------------------------------------------------------------
// Cache, sharing, concurrency bound
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn second_lookup_is_served_from_the_cache() {
    let name = fresh("cache");
    let resolver = Resolver::new(doh_config(&bench().slow(0)));
    let first = resolver.lookup(&name, QType::A).await;
    let second = resolver.lookup(&name, QType::A).await;
    assert_eq!(first, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
    assert_eq!(second, first);
    let log = resolver.log();
    assert_eq!(log.len(), 2);
    assert!(!log[0].cached && log[0].attempts == 1, "{log:#?}");
    assert!(
        log[1].cached && log[1].attempts == 0 && log[1].ms == 0,
        "{log:#?}"
    );
    assert_eq!(log[1].answers, log[0].answers);
    // A clone with its own log (the next analysis) shares the cache.
    let next = resolver.new_log();
    assert_eq!(next.lookup(&name, QType::A).await, first);
    assert!(only_entry(&next).cached);
    assert_eq!(bench().hits(Some("slow"), &name, "A"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn types_are_cached_separately() {
    let name = fresh("types");
    let resolver = Resolver::new(doh_config(&bench().slow(0)));
    resolver.lookup(&name, QType::A).await.unwrap();
    let txt = resolver.lookup(&name, QType::Txt).await;
    assert_eq!(
        txt,
        Ok(Answer::Records(vec![Rdata::Txt(
            b"wildcard fixture".to_vec()
        )]))
    );
    assert!(resolver.log().iter().all(|e| !e.cached));
    assert_eq!(bench().hits(Some("slow"), &name, "TXT"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn concurrent_identical_lookups_send_one_request() {
    let name = fresh("shared");
    let resolver = Resolver::new(doh_config(&bench().slow(300)));
    let (a, b) = tokio::join!(
        resolver.lookup(&name, QType::A),
        resolver.lookup(&name, QType::A)
    );
    assert_eq!(a, Ok(Answer::Records(vec![Rdata::A(EXISTS)])));
    assert_eq!(b, a);
    let log = resolver.log();
    assert_eq!(log.len(), 2, "{log:#?}");
    let sent: Vec<_> = log.iter().filter(|e| e.attempts >= 1).collect();
    let joined: Vec<_> = log.iter().filter(|e| e.attempts == 0).collect();
    assert_eq!(sent.len(), 1, "{log:#?}");
    assert_eq!(joined.len(), 1, "{log:#?}");
    assert!(!sent[0].cached && joined[0].cached, "{log:#?}");
    assert_eq!(bench().hits(Some("slow"), &name, "A"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn max_in_flight_bounds_concurrent_requests() {
    let delay = Duration::from_millis(400);
    let resolver = with(doh_config(&bench().slow(400)), |c| c.max_in_flight = 1);
    let (one, two) = (fresh("bound"), fresh("bound"));
    let started = Instant::now();
    let (a, b) = tokio::join!(
        resolver.lookup(&one, QType::A),
        resolver.lookup(&two, QType::A)
    );
    let elapsed = started.elapsed();
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    // With one request at a time the second waits for the first.
    assert!(elapsed >= 2 * delay, "requests overlapped: {elapsed:?}");
    assert_eq!(bench().hits(Some("slow"), &one, "A"), 1);
    assert_eq!(bench().hits(Some("slow"), &two, "A"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn default_bound_asks_a_typical_first_round_at_once() {
    // A message's first round is 15–30 independent questions (the shipped
    // sample asks 19): with the default configuration they must all be on
    // the wire together, one round trip, not ⌈N/bound⌉ waves.
    let delay = Duration::from_millis(400);
    let mut config = DnsConfig::doh(bench().slow(400));
    config.timeout = Duration::from_secs(10);
    let resolver = Resolver::new(config);
    let names: Vec<String> = (0..24).map(|_| fresh("round")).collect();
    let started = Instant::now();
    let answers =
        futures::future::join_all(names.iter().map(|n| resolver.lookup(n, QType::A))).await;
    let elapsed = started.elapsed();
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    assert!(
        elapsed < 2 * delay,
        "24 questions took {elapsed:?}: more than one round trip of {delay:?}"
    );
}

// ---------------------------------------------------------------------------
// JSON API (the bench's Google-style shim over the same BIND data)
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn json_api_gives_the_same_answers_as_wire() {
    let wire = wire();
    let json = Resolver::new(json_config(&bench().json));
    let questions = [
        ("exists.fault.test", QType::A),
        ("exists.fault.test", QType::Txt),
        ("long.fault.test", QType::Txt),
        ("two-txt.fault.test", QType::Txt),
        ("escape.fault.test", QType::Txt),
        ("fault.test", QType::Mx),
        ("ptr.fault.test", QType::Ptr),
        ("v6.fault.test", QType::Aaaa),
        ("alias.fault.test", QType::A),
        ("nope.fault.test", QType::A),
        ("dangling.fault.test", QType::A),
        ("nodata.fault.test", QType::Txt),
        ("x.servfail.fault.test", QType::A),
        ("refused.fault.test", QType::A),
    ];
    for (name, qtype) in questions {
        let from_wire = sorted(wire.lookup(name, qtype).await);
        let from_json = sorted(json.lookup(name, qtype).await);
        assert_eq!(from_json, from_wire, "{name} {qtype:?}");
    }
    // Spot checks, so "both wrong the same way" cannot pass.
    assert_eq!(
        json.lookup("exists.fault.test", QType::A).await,
        Ok(Answer::Records(vec![Rdata::A(EXISTS)]))
    );
    assert_eq!(
        json.lookup("x.servfail.fault.test", QType::A).await,
        Err(DnsFailure::ServFail)
    );
    assert_eq!(
        json.lookup("nodata.fault.test", QType::Txt).await,
        Ok(Answer::NoData)
    );
}

#[tokio::test(flavor = "current_thread")]
async fn json_api_requests_reach_the_json_endpoint() {
    let name = fresh("json");
    let resolver = Resolver::new(json_config(&bench().json));
    let got = resolver.lookup(&name, QType::Txt).await;
    assert_eq!(
        got,
        Ok(Answer::Records(vec![Rdata::Txt(
            b"wildcard fixture".to_vec()
        )]))
    );
    assert_eq!(bench().hits(Some("json"), &name, "TXT"), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn json_format_is_chosen_for_resolve_urls() {
    let config = DnsConfig::doh(bench().json.clone());
    assert_eq!(config.format, sendtrust::dns::DohFormat::Json);
    let resolver = Resolver::new(DnsConfig {
        timeout: sendtrust_tests::TEST_TIMEOUT,
        ..config
    });
    assert_eq!(
        resolver.lookup("exists.fault.test", QType::A).await,
        Ok(Answer::Records(vec![Rdata::A(EXISTS)]))
    );
}

// ---------------------------------------------------------------------------
// Offline and the bench itself
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn offline_config_sends_nothing() {
    let resolver = Resolver::new(DnsConfig::offline());
    assert!(resolver.is_offline());
    let started = Instant::now();
    let got = resolver.lookup("exists.fault.test", QType::A).await;
    assert_eq!(got, Err(DnsFailure::Offline));
    let entry = only_entry(&resolver);
    assert_eq!(entry.status, "offline");
    assert_eq!(entry.attempts, 0);
    assert!(entry.answers.is_empty());
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test(flavor = "current_thread")]
async fn invalid_names_are_not_sent() {
    let resolver = Resolver::new(doh_config(&bench().slow(0)));
    let got = resolver.lookup("bad name.fault.test", QType::A).await;
    assert!(matches!(got, Err(DnsFailure::InvalidName(_))), "{got:?}");
    assert_eq!(only_entry(&resolver).attempts, 0);
}

#[test]
fn bench_endpoints_allow_cross_origin_reads() {
    let bench = bench();
    // A wire GET for "fault.test SOA" (id 0, RD), base64url without padding.
    let query = "AAABAAABAAAAAAAABWZhdWx0BHRlc3QAAAYAAQ";
    let accept = [("accept", "application/dns-message")];
    let doh = http("GET", &format!("{}?dns={query}", bench.doh), &accept).unwrap();
    assert_eq!(doh.status, 200);
    assert_eq!(doh.header("access-control-allow-origin"), Some("*"));
    assert_eq!(doh.header("content-type"), Some("application/dns-message"));
    let slow = http("GET", &format!("{}?dns={query}", bench.slow(0)), &accept).unwrap();
    assert_eq!(
        slow.body, doh.body,
        "the slow endpoint relays dnsdist's answer"
    );
    assert_eq!(slow.header("access-control-allow-origin"), Some("*"));
    let preflight = http("OPTIONS", &bench.json, &[]).unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let methods = preflight.header("access-control-allow-methods").unwrap();
    assert!(methods.contains("GET"), "{methods}");
    let json = http(
        "GET",
        &format!("{}?name=fault.test&type=SOA", bench.json),
        &[],
    )
    .unwrap();
    assert_eq!(json.status, 200);
    assert_eq!(json.header("access-control-allow-origin"), Some("*"));
    let body: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(body["Status"], 0);
    assert_eq!(body["Answer"][0]["type"], 6);
    let e500 = http("GET", &format!("{}?dns={query}", bench.http500), &[]).unwrap();
    assert_eq!(e500.status, 500);
    assert_eq!(e500.header("access-control-allow-origin"), Some("*"));
}
