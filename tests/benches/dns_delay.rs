//! DNS critical path under injected delay (not a timed test: it prints numbers).
//!
//! For each delay D, every DoH request goes through the bench's slow relay
//! (`/slow/<D>/dns-query`), so each answer takes at least D. The report's wall
//! time is printed next to two bounds:
//! - depth × D, where depth is the longest chain of questions that had to wait
//!   for one another (intervals in the `dns_log` that follow each other), the
//!   best any evaluator could do with these dependencies;
//! - N × D, what asking every question one after another would cost.
//!
//! Requests are bounded (`DnsConfig::max_in_flight`,
//! `dns::DEFAULT_MAX_IN_FLIGHT` by default), so with more independent
//! questions than that the wall time also includes ⌈N/bound⌉ waves; the
//! `waves×D` column shows that bound.
//!
//! Run: `cargo bench -p sendtrust-tests --bench dns_delay` (starts the bench).

use sendtrust::dns::{DnsConfig, Resolver};
use sendtrust::{NoObserver, Options};
use std::time::{Duration, Instant};

fn depth(log: &[sendtrust::report::DnsLogEntry]) -> usize {
    // Longest chain of sent (not cached) questions where each starts after the
    // previous one ended: dynamic programming over intervals sorted by start.
    let mut spans: Vec<(u64, u64)> = log
        .iter()
        .filter(|e| !e.cached && e.attempts > 0)
        .map(|e| (e.started_ms, e.started_ms + e.ms))
        .collect();
    spans.sort_unstable();
    let mut best = vec![1usize; spans.len()];
    for i in 0..spans.len() {
        for j in 0..i {
            if spans[j].1 <= spans[i].0 {
                best[i] = best[i].max(best[j] + 1);
            }
        }
    }
    best.into_iter().max().unwrap_or(0)
}

fn main() {
    let bench = sendtrust_tests::bench();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let fixtures = ["cli/shipped.eml"];
    println!(
        "{:<22} {:>6} {:>8} {:>6} {:>12} {:>6} {:>12} {:>10}",
        "message", "D ms", "wall ms", "depth", "depth×D ms", "N", "N×D ms", "waves×D ms"
    );
    for fixture in fixtures {
        let raw = sendtrust_tests::fixture(fixture);
        for delay in [0u64, 50, 100, 200] {
            let mut dns = DnsConfig::doh(bench.slow(delay));
            dns.timeout = Duration::from_secs(10);
            let options = Options {
                dns,
                ..Options::default()
            };
            let resolver = Resolver::new(options.dns.clone());
            let started = Instant::now();
            let report = runtime
                .block_on(sendtrust::analyze_with(
                    &raw,
                    &options,
                    &resolver,
                    &NoObserver,
                ))
                .expect("report");
            let wall = started.elapsed().as_millis();
            let sent = report
                .dns_log
                .iter()
                .filter(|e| !e.cached && e.attempts > 0)
                .count() as u64;
            let d = depth(&report.dns_log) as u64;
            let waves = sent.div_ceil(options.dns.max_in_flight as u64);
            println!(
                "{:<22} {:>6} {:>8} {:>6} {:>12} {:>6} {:>12} {:>10}",
                fixture,
                delay,
                wall,
                d,
                d * delay,
                sent,
                sent * delay,
                waves.max(d) * delay
            );
        }
    }
}
