//! The Received chain: hops, times, TLS, and which server handed the message
//! to the recipient's infrastructure (the hand-off hop).
//!
//! - `parse`: one field → client HELO/IP/reverse name, `by`, protocol, TLS,
//!   queue id, `for`, envelope sender, authentication, or why it records no relay.
//! - `date`: lenient date reading.
//! - `handoff`: the walk from the newest hop to the hand-off hop (`docs/handoff.md`).
//! - `checks`: clock skew, long delays, gaps, public hops without TLS.
//!
//! Work is linear in the number of fields; every field is read with bounded effort.

mod checks;
mod date;
mod handoff;
mod parse;

#[doc(hidden)]
pub use date::parse_date;

use crate::message::{ParsedMessage, utc_rfc3339};
use crate::report::{ChainNote, Hop, LocalField, RecordedRdns, Sender, TlsInfo};
use mail_parser::{HeaderValue, Host, Received};
use std::net::IpAddr;

/// The chain as read from the message.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// Relay hops, oldest first.
    pub hops: Vec<Hop>,
    /// Received fields that record no relay.
    pub local_fields: Vec<LocalField>,
    /// Observations about the chain.
    pub notes: Vec<ChainNote>,
    /// The hand-off hop's client, when there is a public one.
    pub sender: Option<Sender>,
    /// Why `sender` was chosen, or why there is none.
    pub sender_reason: String,
}

/// Oldest and newest relay hops the report lists in full when a chain is
/// longer (real mail has a few dozen at most; RFC 5321 §6.3 has servers
/// reject a message after about 100): the rest are checked like all hops, but
/// not kept, so the memory of an analysis stays a small multiple of its input
/// (BENCHMARKS.md, "Engine: peak memory on hostile structure"). A chain note
/// of kind `omitted` says which were left out; the hand-off hop is always kept.
pub const KEPT_OLDEST_HOPS: usize = 50;
/// See [`KEPT_OLDEST_HOPS`].
pub const KEPT_NEWEST_HOPS: usize = 450;
/// Received fields that record no relay listed at most (oldest first); the
/// rest are counted in a chain note of kind `omitted`.
pub const KEPT_LOCAL_FIELDS: usize = 200;

/// Where one Received field went, in chain order.
#[derive(Clone, Copy)]
enum Entry {
    Hop(usize),
    Local(usize),
}

/// What the chain walk and checks need of a field that records no relay; the
/// rest of its [`LocalField`] is read again for the fields the report lists.
struct LocalSlim {
    header_index: usize,
    from: Option<String>,
    by: Option<String>,
}

/// What the hand-off walk and the chain checks read of one relay hop. The
/// report's [`Hop`] (raw text, queue id, dates, …) is built only for the hops
/// the report lists: a hostile chain has hundreds of thousands.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChainHop {
    /// Position in the chain, 0 = oldest.
    pub index: usize,
    pub from_helo: Option<String>,
    pub from_ip: Option<IpAddr>,
    pub from_rdns: Option<RecordedRdns>,
    pub by: Option<String>,
    pub with: Option<String>,
    /// TLS was recorded or implied.
    pub tls: bool,
    /// The client authenticated (a submission).
    pub authenticated: bool,
    /// The client address is not public.
    pub private: bool,
}

/// One field read: ours, with what mail-parser read filling the gaps.
fn read_field(value: &str, view: Option<HeaderValue<'_>>) -> parse::Field {
    let mut f = parse::parse_field(value);
    if let Some(HeaderValue::Received(view)) = &view {
        fill_from_mail_parser(&mut f, view);
    }
    f
}

/// Each Received field with mail-parser's view of it, in message order.
fn received_fields<'p>(
    parsed: &'p ParsedMessage<'_>,
) -> impl Iterator<Item = (usize, &'p str, Option<HeaderValue<'p>>)> {
    let mut views = parsed
        .message
        .as_ref()
        .map(|m| m.headers().iter().enumerate());
    parsed.values("Received").map(move |(header_index, value)| {
        // The indices grow, so one pass over mail-parser's headers serves
        // every field (linear).
        let view = views
            .as_mut()
            .and_then(|it| it.find(|(i, _)| *i == header_index))
            .map(|(_, h)| h.value());
        (header_index, value, view)
    })
}

/// Reads every Received field and picks the hand-off hop.
///
/// Memory stays a small multiple of the input however long the chain: each
/// field is read once straight into what the walk and the checks need; the
/// text only the report shows (raw field, queue id, recipient, envelope
/// sender, dates) is read again for the hops and fields the report lists.
pub fn analyze_chain(parsed: &ParsedMessage<'_>) -> Chain {
    let mut hops: Vec<ChainHop> = Vec::new();
    let mut locals: Vec<LocalSlim> = Vec::new();
    let mut times: Vec<Option<i64>> = Vec::new();
    // The word after `from` of each hop (not in the report; the hand-off walk
    // and the gap check read it).
    let mut from_hosts: Vec<Option<String>> = Vec::new();
    let mut order: Vec<Entry> = Vec::new();
    let mut header_indices: Vec<usize> = Vec::new();
    // Newest first in the message; reversed below.
    for (header_index, value, view) in received_fields(parsed) {
        let f = read_field(value, view);
        if f.local.is_some() {
            order.push(Entry::Local(locals.len()));
            locals.push(LocalSlim {
                header_index,
                from: f.from_host,
                by: f.by,
            });
            continue;
        }
        let ip = f.ip;
        order.push(Entry::Hop(hops.len()));
        hops.push(ChainHop {
            index: 0,
            from_helo: f.helo,
            from_ip: ip,
            from_rdns: f.rdns,
            by: f.by,
            with: f.with,
            tls: f.tls.is_some(),
            authenticated: f.authenticated.is_some(),
            private: ip.is_some_and(|ip| !is_public(ip)),
        });
        header_indices.push(header_index);
        times.push(f.time);
        from_hosts.push(f.from_host);
    }
    // Chain order: oldest first.
    hops.reverse();
    locals.reverse();
    times.reverse();
    from_hosts.reverse();
    header_indices.reverse();
    let (hop_count, local_count) = (hops.len(), locals.len());
    order.reverse();
    for entry in &mut order {
        *entry = match *entry {
            Entry::Hop(i) => Entry::Hop(hop_count - 1 - i),
            Entry::Local(i) => Entry::Local(local_count - 1 - i),
        };
    }
    for (index, hop) in hops.iter_mut().enumerate() {
        hop.index = index;
    }
    let by_of = |entry: &Entry| match *entry {
        Entry::Hop(i) => hops.get(i).and_then(|h| h.by.as_deref()),
        Entry::Local(i) => locals.get(i).and_then(|l| l.by.as_deref()),
    };

    // The recipient's infrastructure: the newest field whose receiving host
    // has a domain name, then what the recipient's servers recorded.
    let mut infra = handoff::Infra::default();
    if let Some(by) = order
        .iter()
        .rev()
        .filter_map(by_of)
        .find(|b| handoff::org_domain(b).is_some())
    {
        infra.add_host(by);
    }
    let recorded = handoff::recorded(parsed, &infra);
    for name in &recorded.names {
        infra.add_host(name);
    }
    let facts: Vec<handoff::HopFacts<'_>> = from_hosts
        .iter()
        .map(|from_host| handoff::HopFacts {
            from_host: from_host.as_deref(),
        })
        .collect();
    let walk = handoff::walk(&hops, &facts, infra, &recorded, local_count);
    drop(facts);

    let links = order.iter().filter_map(|entry| {
        Some(match *entry {
            Entry::Hop(i) => {
                let h = hops.get(i)?;
                checks::Link {
                    hop: Some(i),
                    from_names: checks::from_names(h, from_hosts.get(i).and_then(|f| f.as_deref())),
                    from_ip: h.from_ip,
                    by: h.by.as_deref(),
                }
            }
            Entry::Local(i) => {
                let l = locals.get(i)?;
                checks::Link {
                    hop: None,
                    from_names: l.from.as_deref().into_iter().collect(),
                    from_ip: None,
                    by: l.by.as_deref(),
                }
            }
        })
    });
    let (mut notes, delays) = checks::run(&hops, &times, links, &walk.inside);
    drop(from_hosts);
    drop(order);

    // Keep what the report lists.
    let handoff_index = walk.sender.as_ref().and_then(|s| s.hop_index);
    let first_newest = hop_count.saturating_sub(KEPT_NEWEST_HOPS);
    let keep = |i: usize| i < KEPT_OLDEST_HOPS || i >= first_newest || Some(i) == handoff_index;
    if hop_count > KEPT_OLDEST_HOPS + KEPT_NEWEST_HOPS {
        let left_out = (KEPT_OLDEST_HOPS..first_newest)
            .filter(|i| !keep(*i))
            .count();
        notes.push(ChainNote {
            kind: crate::report::ChainNoteKind::Omitted,
            hop_index: KEPT_OLDEST_HOPS,
            message: format!(
                "the chain has {hop_count} relay hops: {left_out} of hops {} to {first_newest} are not listed (they were read and checked like the others)",
                KEPT_OLDEST_HOPS + 1,
            ),
            seconds: None,
        });
    }
    if local_count > KEPT_LOCAL_FIELDS {
        notes.push(ChainNote {
            kind: crate::report::ChainNoteKind::Omitted,
            // Not about a hop: these fields are not hops.
            hop_index: 0,
            message: format!(
                "{local_count} Received fields record no relay; the oldest {KEPT_LOCAL_FIELDS} are listed"
            ),
            seconds: None,
        });
        locals.truncate(KEPT_LOCAL_FIELDS);
    }
    // The report's hops, from what the walk and checks read…
    let mut kept: Vec<Hop> = hops
        .into_iter()
        .zip(header_indices)
        .zip(delays)
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(i, ((h, header_index), delay_seconds))| Hop {
            index: h.index,
            header_index,
            from_helo: h.from_helo,
            from_ip: h.from_ip,
            from_rdns: h.from_rdns,
            by: h.by,
            with: h.with,
            delay_seconds,
            private: h.private,
            inside_recipient: walk.inside.get(i).copied().unwrap_or(false),
            ..Hop::default()
        })
        .collect();

    // …and the text only the report shows, read again for what it lists (at
    // most a few hundred fields).
    let mut local_fields: Vec<LocalField> = Vec::with_capacity(locals.len());
    let mut wanted: Vec<(usize, Option<usize>)> = kept
        .iter()
        .enumerate()
        .map(|(k, h)| (h.header_index, Some(k)))
        .chain(locals.iter().map(|l| (l.header_index, None)))
        .collect();
    wanted.sort_unstable_by_key(|(header_index, _)| *header_index);
    let mut wanted = wanted.into_iter().peekable();
    for (header_index, value, view) in received_fields(parsed) {
        let Some((_, hop)) = wanted.next_if(|(w, _)| *w == header_index) else {
            continue;
        };
        let f = read_field(value, view);
        match hop.and_then(|k| kept.get_mut(k)) {
            Some(hop) => {
                hop.raw = value.to_string();
                hop.tls = f.tls;
                hop.id = f.id;
                hop.for_addr = f.for_addr;
                hop.envelope_from = f.envelope_from;
                hop.authenticated = f.authenticated;
                hop.time = f.time.map(utc_rfc3339);
                hop.date_text = f.date_text;
            }
            None => {
                let (kind, reason) = f.local.unwrap_or_default();
                local_fields.push(LocalField {
                    header_index,
                    raw: value.to_string(),
                    reason,
                    kind,
                    from: f.from_host,
                    by: f.by,
                    time: f.time.map(utc_rfc3339),
                });
            }
        }
    }
    // Chain order (oldest first), as the hops.
    local_fields.reverse();

    Chain {
        hops: kept,
        local_fields,
        notes,
        sender: walk.sender,
        sender_reason: walk.reason,
    }
}

/// Fills what our reading left empty with mail-parser's.
fn fill_from_mail_parser(field: &mut parse::Field, r: &Received<'_>) {
    if field.by.is_none() {
        field.by = r.by().map(host_text);
    }
    if field.with.is_none() {
        field.with = r.with().map(|p| p.as_str().to_string());
    }
    if field.id.is_none() {
        field.id = r.id().map(str::to_string);
    }
    if field.for_addr.is_none() {
        field.for_addr = r.for_().map(str::to_string);
    }
    if field.tls.is_none()
        && let Some(v) = r.tls_version()
    {
        field.tls = Some(TlsInfo {
            version: Some(v.as_str().to_string()),
            cipher: r.tls_cipher().map(str::to_string),
        });
    }
    if field.time.is_none() {
        field.time = r.date().filter(|d| d.is_valid()).map(|d| d.to_timestamp());
    }
}

fn host_text(host: Host<'_>) -> String {
    match host {
        Host::Name(n) => n.to_string(),
        Host::IpAddr(ip) => ip.to_string(),
    }
}

/// The sender the user chose, matched to a hop when one has that IP.
pub fn user_sender(chain: &Chain, ip: IpAddr) -> (Option<Sender>, String) {
    let hop = chain.hops.iter().rev().find(|h| h.from_ip == Some(ip));
    (
        Some(Sender {
            ip,
            helo: hop.and_then(|h| h.from_helo.clone()),
            rdns: hop.and_then(|h| h.from_rdns.clone()),
            hop_index: hop.map(|h| h.index),
            chosen_by: crate::report::ChosenBy::User,
            filter: None,
        }),
        match hop {
            Some(h) => format!("chosen by you: hop {}", h.index + 1),
            None => format!("chosen by you: {ip} (no hop records this IP)"),
        },
    )
}

/// True for globally routable unicast addresses (not private, loopback,
/// link-local, CGNAT, benchmarking, multicast, reserved…). The documentation
/// ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
/// count as public: the test fixtures use them as stand-ins for public addresses.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(headers: &str) -> Chain {
        let normalized =
            crate::input::normalize(headers.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let parsed = ParsedMessage::parse(&normalized.bytes, normalized.headers_only);
        analyze_chain(&parsed)
    }

    #[test]
    fn public_ranges() {
        for ip in [
            "192.0.2.1",
            "198.51.100.1",
            "203.0.113.1",
            "2001:db8::1",
            "8.8.8.8",
        ] {
            assert!(
                is_public(ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))),
                "{ip}"
            );
        }
        for ip in [
            "10.0.0.1",
            "127.0.0.1",
            "192.168.1.1",
            "172.16.0.1",
            "100.64.0.1",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "198.18.0.1",
        ] {
            assert!(
                !is_public(ip.parse().unwrap_or(IpAddr::from([8, 8, 8, 8]))),
                "{ip}"
            );
        }
    }

    #[test]
    fn laptop_submission_is_not_the_sender() {
        let c = chain(concat!(
            "Received: from mail.example.org (mail.example.org [203.0.113.10])\n",
            "\tby mx.example.net (Postfix) with ESMTPS id 4AAA\n",
            "\tfor <bob@example.net>; Tue, 1 Jul 2025 10:00:05 +0000 (UTC)\n",
            "Received: from [192.168.1.20] (dsl-198-51-100-20.example.com [198.51.100.20])\n",
            "\t(Authenticated sender: alice@example.org)\n",
            "\tby mail.example.org (Postfix) with ESMTPSA id 1BBB;\n",
            "\tTue, 1 Jul 2025 10:00:01 +0000 (UTC)\n",
            "From: alice@example.org\n",
        ));
        assert_eq!(c.hops.len(), 2);
        let s = c
            .sender
            .unwrap_or_else(|| panic!("no sender: {}", c.sender_reason));
        assert_eq!(s.ip.to_string(), "203.0.113.10");
        assert_eq!(c.hops.get(1).and_then(|h| h.delay_seconds), Some(4));
        assert!(
            c.hops
                .first()
                .and_then(|h| h.authenticated.clone())
                .is_some()
        );
    }

    #[test]
    fn internal_only_mail_has_no_sender() {
        let c = chain(concat!(
            "Received: from app1.corp.example (app1.corp.example [10.1.2.3])\n",
            "\tby mail.corp.example (Postfix) with ESMTP id 4AAA; Tue, 1 Jul 2025 10:00:05 +0000\n",
            "Received: by app1.corp.example (Postfix, from userid 1000) id 1BBB; Tue, 1 Jul 2025 10:00:01 +0000\n",
            "From: cron@corp.example\n",
        ));
        assert!(c.sender.is_none());
        assert!(c.sender_reason.contains("internal"), "{}", c.sender_reason);
        assert_eq!(c.local_fields.len(), 1);
        assert_eq!(c.hops.len(), 1);
    }

    #[test]
    fn chain_notes() {
        let c = chain(concat!(
            "Received: from relay.other.example (relay.other.example [198.51.100.7])\n",
            "\tby mx.example.net (Postfix) with ESMTP id 4AAA; Tue, 1 Jul 2025 12:00:00 +0000\n",
            "Received: from out.example.org (out.example.org [203.0.113.10])\n",
            "\tby gw.example.org (Postfix) with ESMTPS id 3CCC; Tue, 1 Jul 2025 10:00:00 +0000\n",
            "Received: from laptop (unknown [192.0.2.55])\n",
            "\tby out.example.org (Postfix) with ESMTPSA id 2DDD; Tue, 1 Jul 2025 10:05:00 +0000\n",
            "From: a@example.org\n",
        ));
        let kinds: Vec<&str> = c.notes.iter().map(|n| n.kind.as_str()).collect();
        assert!(kinds.contains(&"clock-skew"), "{kinds:?}");
        assert!(kinds.contains(&"long-delay"), "{kinds:?}");
        assert!(kinds.contains(&"gap"), "{kinds:?}");
        assert!(kinds.contains(&"no-tls"), "{kinds:?}");
        assert_eq!(
            c.sender.map(|s| s.ip.to_string()).as_deref(),
            Some("198.51.100.7")
        );
    }

    #[test]
    fn unreadable_date_leaves_the_hop_without_time() {
        let c = chain(concat!(
            "Received: from a.example (a.example [192.0.2.1]) by mx.example.net with ESMTP id 1; sometime last week\n",
            "Received: from b.example (b.example [192.0.2.2]) by a.example with ESMTP id 2; Tue, 1 Jul 2025 10:00:00 +0000\n",
            "From: a@example.org\n",
        ));
        assert_eq!(c.hops.len(), 2);
        let newest = c.hops.get(1).cloned().unwrap_or_default();
        assert_eq!(newest.time, None);
        assert_eq!(newest.delay_seconds, None);
        assert_eq!(newest.date_text.as_deref(), Some("sometime last week"));
        assert_eq!(
            c.hops.first().and_then(|h| h.time.clone()).as_deref(),
            Some("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            c.sender.map(|s| s.ip.to_string()).as_deref(),
            Some("192.0.2.1")
        );
    }

    #[test]
    fn huge_and_hostile_fields_are_bounded() {
        let mut text = String::from("Received: from a.example (a.example [192.0.2.1]) ");
        for _ in 0..100_000 {
            text.push_str("((x [1.2.3.4] ; ");
        }
        text.push_str("\r\nReceived: ;;;;\r\nReceived: (\r\nReceived: from\r\nReceived: by\r\nFrom: a@example.org\r\n\r\n");
        let c = chain(&text);
        assert_eq!(c.hops.len() + c.local_fields.len(), 5);
    }

    #[test]
    fn many_fields_stay_linear() {
        let mut text = String::new();
        for i in 0..50_000u32 {
            text.push_str(&format!(
                "Received: from h{i}.example (h{i}.example [10.0.{}.{}]) by h{}.example with ESMTP id {i}; Tue, 1 Jul 2025 10:00:00 +0000\r\n",
                (i / 256) % 256,
                i % 256,
                i + 1
            ));
        }
        text.push_str("From: a@example.org\r\n\r\n");
        let start = std::time::Instant::now();
        let c = chain(&text);
        // docs/report-schema.md promises the 50 oldest and the 450 newest.
        assert_eq!((KEPT_OLDEST_HOPS, KEPT_NEWEST_HOPS), (50, 450));
        // Every field was read (the newest is the hand-off hop, its index
        // counts all of them); the report lists the oldest and newest hops.
        assert_eq!(c.hops.len(), KEPT_OLDEST_HOPS + KEPT_NEWEST_HOPS);
        let indices: Vec<usize> = c.hops.iter().map(|h| h.index).collect();
        let expected: Vec<usize> = (0..KEPT_OLDEST_HOPS)
            .chain(50_000 - KEPT_NEWEST_HOPS..50_000)
            .collect();
        assert_eq!(indices, expected);
        // What the report lists is complete: raw text, queue id, dates.
        let newest = c.hops.last().cloned().unwrap_or_default();
        assert!(newest.raw.starts_with("from h0.example"), "{}", newest.raw);
        assert_eq!(newest.id.as_deref(), Some("0"));
        assert_eq!(newest.time.as_deref(), Some("2025-07-01T10:00:00Z"));
        assert_eq!(newest.delay_seconds, Some(0));
        let oldest = c.hops.first().cloned().unwrap_or_default();
        assert_eq!(oldest.id.as_deref(), Some("49999"));
        let omitted: Vec<&ChainNote> = c
            .notes
            .iter()
            .filter(|n| n.kind == crate::report::ChainNoteKind::Omitted)
            .collect();
        assert_eq!(omitted.len(), 1, "{:?}", c.notes);
        assert_eq!(omitted[0].hop_index, KEPT_OLDEST_HOPS);
        assert!(
            omitted[0].message.contains(&format!(
                "{} of hops {} to {}",
                50_000 - KEPT_OLDEST_HOPS - KEPT_NEWEST_HOPS,
                KEPT_OLDEST_HOPS + 1,
                50_000 - KEPT_NEWEST_HOPS
            )),
            "{}",
            omitted[0].message
        );
        assert!(c.notes.len() <= 4 * 50 + 1);
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }

    #[test]
    fn the_hand_off_hop_is_kept_in_a_long_chain() {
        // 2 000 hops from inside the recipient (private addresses, their
        // names) on top of a public hand-off hop, itself on top of 1 000
        // public relays: the hand-off hop is in the part left out, and kept.
        let mut text = String::new();
        for i in 0..2_000u32 {
            text.push_str(&format!(
                "Received: from in{i}.example.net (in{i}.example.net [10.0.{}.{}]) by in{}.example.net with ESMTPS id I{i}; Tue, 1 Jul 2025 10:00:00 +0000\r\n",
                (i / 256) % 256,
                i % 256,
                i + 1
            ));
        }
        text.push_str("Received: from out.sender.example (out.sender.example [203.0.113.9]) by in2000.example.net with ESMTPS id H; Tue, 1 Jul 2025 10:00:00 +0000\r\n");
        for i in 0..1_000u32 {
            text.push_str(&format!(
                "Received: from r{}.sender.example (r{}.sender.example [198.51.{}.{}]) by r{i}.sender.example with ESMTPS id R{i}; Tue, 1 Jul 2025 10:00:00 +0000\r\n",
                i + 1,
                i + 1,
                (i / 256) % 256,
                i % 256
            ));
        }
        text.push_str("From: a@example.org\r\n\r\n");
        let c = chain(&text);
        let sender = c
            .sender
            .clone()
            .unwrap_or_else(|| panic!("{}", c.sender_reason));
        let at = sender.hop_index.unwrap_or_else(|| panic!("no hop index"));
        let hop = c
            .hops
            .iter()
            .find(|h| h.index == at)
            .cloned()
            .unwrap_or_default();
        assert_eq!(hop.from_ip, sender.ip.into());
        assert_eq!(hop.id.as_deref(), Some("H"));
        assert_eq!(c.hops.len(), KEPT_OLDEST_HOPS + KEPT_NEWEST_HOPS + 1);
    }

    #[test]
    fn long_lists_of_local_fields_are_cut_with_a_note() {
        // docs/report-schema.md promises the 200 oldest.
        assert_eq!(KEPT_LOCAL_FIELDS, 200);
        let mut text = String::new();
        for i in 0..1_000 {
            text.push_str(&format!(
                "Received: by mx.example.net (Postfix, from userid {i}) id L{i}; Tue, 1 Jul 2025 10:00:00 +0000\r\n"
            ));
        }
        text.push_str("From: a@example.org\r\n\r\n");
        let c = chain(&text);
        assert_eq!(c.local_fields.len(), KEPT_LOCAL_FIELDS);
        // The oldest (bottom) fields, oldest first, complete.
        let Some(first) = c.local_fields.first() else {
            panic!("no local fields");
        };
        assert!(first.raw.contains("userid 999"), "{}", first.raw);
        assert_eq!(first.time.as_deref(), Some("2025-07-01T10:00:00Z"));
        assert!(
            !first.reason.is_empty() && first.kind != crate::report::LocalFieldKind::Unrecognised
        );
        let note = c
            .notes
            .iter()
            .find(|n| n.kind == crate::report::ChainNoteKind::Omitted);
        assert!(
            note.is_some_and(|n| n.message.starts_with("1000 Received fields")),
            "{:?}",
            c.notes
        );
    }
}
