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
use crate::report::{ChainNote, Hop, LocalField, Sender, TlsInfo};
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

/// One Received field, read.
struct Read {
    header_index: usize,
    raw: String,
    field: parse::Field,
}

/// Reads every Received field and picks the hand-off hop.
pub fn analyze_chain(parsed: &ParsedMessage<'_>) -> Chain {
    // mail-parser's view of each header, by position (one pass: linear).
    let views: Vec<Option<Received<'_>>> = match &parsed.message {
        Some(m) => m
            .headers()
            .iter()
            .map(|h| match h.value() {
                HeaderValue::Received(r) => Some(r),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };

    // Newest first in the message; the chain is oldest first.
    let mut read: Vec<Read> = parsed
        .values("Received")
        .map(|(header_index, value)| {
            let mut field = parse::parse_field(value);
            if let Some(Some(view)) = views.get(header_index) {
                fill_from_mail_parser(&mut field, view);
            }
            Read {
                header_index,
                raw: value.to_string(),
                field,
            }
        })
        .collect();
    read.reverse();

    let mut hops: Vec<Hop> = Vec::new();
    let mut local_fields: Vec<LocalField> = Vec::new();
    let mut times: Vec<Option<i64>> = Vec::new();
    // Chain order over all fields, for the gap check: (hop index, field).
    let mut order: Vec<(Option<usize>, usize)> = Vec::new();
    for (n, r) in read.iter().enumerate() {
        let f = &r.field;
        if let Some((kind, reason)) = &f.local {
            local_fields.push(LocalField {
                header_index: r.header_index,
                raw: r.raw.clone(),
                reason: reason.clone(),
                kind: (*kind).to_string(),
                from: f.from_host.clone(),
                by: f.by.clone(),
                time: f.time.map(utc_rfc3339),
            });
            order.push((None, n));
            continue;
        }
        let ip = f.ip;
        let index = hops.len();
        hops.push(Hop {
            index,
            header_index: r.header_index,
            raw: r.raw.clone(),
            from_helo: f.helo.clone(),
            from_ip: ip,
            from_rdns: f.rdns.clone(),
            by: f.by.clone(),
            with: f.with.clone(),
            tls: f.tls.clone(),
            id: f.id.clone(),
            for_addr: f.for_addr.clone(),
            envelope_from: f.envelope_from.clone(),
            authenticated: f.authenticated.clone(),
            time: f.time.map(utc_rfc3339),
            delay_seconds: None,
            private: ip.is_some_and(|ip| !is_public(ip)),
            date_text: f.date_text.clone(),
            inside_recipient: false,
        });
        times.push(f.time);
        order.push((Some(index), n));
    }

    // The recipient's infrastructure: the newest field whose receiving host
    // has a domain name, then what the recipient's servers recorded.
    let mut infra = handoff::Infra::default();
    if let Some(by) = read
        .iter()
        .rev()
        .filter_map(|r| r.field.by.as_deref())
        .find(|b| handoff::org_domain(b).is_some())
    {
        infra.add_host(by);
    }
    let recorded = handoff::recorded(parsed, &infra);
    for name in &recorded.names {
        infra.add_host(name);
    }
    let facts: Vec<handoff::HopFacts<'_>> = order
        .iter()
        .filter(|(hop, _)| hop.is_some())
        .map(|(_, n)| handoff::HopFacts {
            from_host: read.get(*n).and_then(|r| r.field.from_host.as_deref()),
        })
        .collect();
    let walk = handoff::walk(&hops, &facts, infra, &recorded, local_fields.len());
    for (hop, inside) in hops.iter_mut().zip(&walk.inside) {
        hop.inside_recipient = *inside;
    }

    let notes = {
        let links: Vec<checks::Link<'_>> = order
            .iter()
            .filter_map(|(hop, n)| {
                let r = read.get(*n)?;
                let from_host = r.field.from_host.as_deref();
                Some(match hop.and_then(|h| hops.get(h)) {
                    Some(h) => checks::Link {
                        hop: Some(h.index),
                        from_names: checks::from_names(h, from_host),
                        from_ip: h.from_ip,
                        by: h.by.as_deref(),
                    },
                    None => checks::Link {
                        hop: None,
                        from_names: from_host.into_iter().collect(),
                        from_ip: None,
                        by: r.field.by.as_deref(),
                    },
                })
            })
            .collect();
        // `links` borrows `hops`; the delays are written after.
        let mut scratch = hops.clone();
        let notes = checks::run(&mut scratch, &times, &links, &walk.inside);
        for (hop, s) in hops.iter_mut().zip(scratch) {
            hop.delay_seconds = s.delay_seconds;
        }
        notes
    };

    Chain {
        hops,
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
            chosen_by: "user".into(),
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
        assert_eq!(c.hops.len(), 50_000);
        assert!(c.notes.len() <= 4 * 50);
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }
}
