//! Peak memory of one analysis on hostile structure, measured with a counting
//! global allocator (this binary's only test, so no other test allocates while
//! it measures).
//!
//! A message is pasted into a page whose wasm has at most 4 GB, and the CLI
//! reads many: an analysis must need a small multiple of its input, however the
//! input is shaped. The bound, [`MAX_PEAK_PER_INPUT_BYTE`], and the numbers
//! before and after the fix are in BENCHMARKS.md ("Engine: peak memory on
//! hostile structure").
//!
//! The messages are generated here (the largest is 34 MB; nothing is
//! committed). Run with `--nocapture` to see the table.

use sendtrust::dns::DnsConfig;
use sendtrust::{Options, Report, analyze};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts the bytes allocated now and the most allocated at once since the
/// last [`Counting::reset_peak`].
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; the counters only
// observe the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is System's.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

fn grew(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated during an analysis (the input excluded), per byte of
/// input. Why 8: the engine keeps the input normalised (1×), mail-parser's
/// view of every header (its structs and offsets, about 2× on header-only
/// input), the report's `headers` array (a copy of every field, ~1.5×) and
/// what the checks derive; a hop chain capped to what the report lists keeps
/// the rest small. 8× of the 25 MB the page accepts is 200 MB, well inside the
/// page's 4 GB wasm memory and an ordinary CLI machine.
const MAX_PEAK_PER_INPUT_BYTE: f64 = 8.0;

/// `n` relay hops in the form web/hostile/make.py's `received-50000` uses, plus
/// the one hand-off hop and the ordinary headers.
fn received_relays(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 170 + 1024);
    s.push_str(
        "Received: from mail.sender.example (mail.sender.example [192.0.2.10])\r\n\
         \tby mx.example.net (Postfix) with ESMTPS id 4AbCdE\r\n\
         \tfor <user@example.net>; Tue, 1 Jul 2025 10:00:00 +0000\r\n",
    );
    for i in (1..=n).rev() {
        s.push_str(&format!(
            "Received: from relay{p}.sender.example (relay{p}.sender.example [198.51.{a}.{b}])\r\n\
             \tby relay{i}.sender.example with ESMTP id Q{i}; Tue, 1 Jul 2025 \
             {h:02}:{m:02}:{sec:02} +0000\r\n",
            p = i - 1,
            a = (i >> 8) & 255,
            b = i & 255,
            h = (i / 3600) % 24,
            m = (i / 60) % 60,
            sec = i % 60,
        ));
    }
    s.push_str(BASE);
    s.into_bytes()
}

/// `n` short relay hops (about 123 bytes a field, the shape of the 24.6 MB
/// message in issue #12).
fn received_short_relays(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 125 + 1024);
    for i in (1..=n).rev() {
        s.push_str(&format!(
            "Received: from s{p}.example.net (s{p}.example.net [203.0.{a}.{b}]) by r{i}.example.org with SMTP id {i}; 1 Jul 2025 10:00:00 -0000\r\n",
            p = i - 1,
            a = (i >> 8) & 255,
            b = i & 255,
        ));
    }
    s.push_str(BASE);
    s.into_bytes()
}

/// `n` Received fields that record no relay (they are kept as local fields).
fn received_local(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 110 + 1024);
    for i in 0..n {
        s.push_str(&format!(
            "Received: by mx.example.net (Postfix, from userid {i}) id 4Ab{i}; \
             Tue, 1 Jul 2025 10:00:00 +0000\r\n"
        ));
    }
    s.push_str(BASE);
    s.into_bytes()
}

const BASE: &str = "From: Sender <sender@sender.example>\r\n\
                    To: user@example.net\r\n\
                    Date: Tue, 1 Jul 2025 09:59:58 +0000\r\n\
                    Message-ID: <hostile@sender.example>\r\n\
                    Subject: memory\r\n\r\nHello.\r\n";

fn options() -> Options {
    Options {
        dns: DnsConfig::offline(),
        now: Some(1_751_364_000),
        ..Options::default()
    }
}

/// Peak allocation above what was live before, and the seconds taken.
fn measure(input: &[u8]) -> (usize, f64, Report) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let report = futures::executor::block_on(analyze(input, &options()))
        .unwrap_or_else(|e| panic!("input error: {e}"));
    let seconds = started.elapsed().as_secs_f64();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (peak, seconds, report)
}

#[test]
fn peak_memory_of_an_analysis_is_a_small_multiple_of_the_input() {
    // (case, message, the hand-off hop's client: proof the chain was read).
    let cases: [(&str, Vec<u8>, Option<&str>); 3] = [
        (
            "200 000 relay Received fields",
            received_relays(200_000),
            Some("192.0.2.10"),
        ),
        (
            "200 000 short relay fields",
            received_short_relays(200_000),
            Some("203.0.13.64"),
        ),
        (
            "200 000 local Received fields",
            received_local(200_000),
            None,
        ),
    ];
    let mut failures = Vec::new();
    println!(
        "{:<34} {:>12} {:>14} {:>8} {:>8}",
        "case", "input bytes", "peak bytes", "×input", "seconds"
    );
    for (name, input, sender) in cases {
        let (peak, seconds, report) = measure(&input);
        let ratio = peak as f64 / input.len() as f64;
        println!(
            "{name:<34} {:>12} {peak:>14} {ratio:>8.2} {seconds:>8.2}",
            input.len()
        );
        assert_eq!(
            report.sender.as_ref().map(|s| s.ip.to_string()).as_deref(),
            sender,
            "{name}: {}",
            report.sender_reason
        );
        if ratio > MAX_PEAK_PER_INPUT_BYTE {
            failures.push(format!(
                "{name}: peak {peak} bytes for {} bytes of input ({ratio:.2}×, at most {MAX_PEAK_PER_INPUT_BYTE}×)",
                input.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
