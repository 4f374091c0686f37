//! The Received chain: hops, times, TLS, and which server handed the message
//! to the recipient's infrastructure (the hand-off hop).

use crate::message::{ParsedMessage, utc_rfc3339};
use crate::report::{ChainNote, Hop, LocalField, RecordedRdns, Sender, TlsInfo};
use mail_parser::{HeaderValue, Host};
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

/// Reads every Received field and picks the hand-off hop.
pub fn analyze_chain(parsed: &ParsedMessage<'_>) -> Chain {
    let mut hops = Vec::new();
    let fields: Vec<(usize, String)> = parsed
        .values("Received")
        .map(|(i, v)| (i, v.to_string()))
        .collect();
    // Newest first in the message; hops are oldest first.
    for (header_index, value) in fields.iter().rev() {
        let mut hop = Hop {
            header_index: *header_index,
            raw: value.clone(),
            ..Hop::default()
        };
        if let Some(message) = &parsed.message
            && let Some(header) = message.headers().iter().nth(*header_index)
            && let HeaderValue::Received(r) = header.value()
        {
            hop.from_helo = r.helo().map(host_text);
            hop.from_ip = r.from_ip();
            hop.from_rdns = r.from_iprev().map(|n| {
                if n.eq_ignore_ascii_case("unknown") {
                    RecordedRdns::Unknown
                } else {
                    RecordedRdns::Name(n.to_string())
                }
            });
            hop.by = r.by().map(host_text);
            hop.with = r.with().map(|p| p.as_str().to_string());
            hop.tls = r.tls_version().map(|v| TlsInfo {
                version: Some(format!("{v:?}").replace('_', ".")),
                cipher: r.tls_cipher().map(str::to_string),
            });
            hop.id = r.id().map(str::to_string);
            hop.for_addr = r.for_().map(str::to_string);
            hop.time = r
                .date()
                .filter(|d| d.is_valid())
                .map(|d| utc_rfc3339(d.to_timestamp()));
        }
        hop.private = hop.from_ip.is_some_and(|ip| !is_public(ip));
        hop.index = hops.len();
        hops.push(hop);
    }
    let (sender, sender_reason) = pick_sender(&hops);
    Chain {
        hops,
        local_fields: Vec::new(),
        notes: Vec::new(),
        sender,
        sender_reason,
    }
}

fn host_text(host: Host<'_>) -> String {
    match host {
        Host::Name(n) => n.to_string(),
        Host::IpAddr(ip) => ip.to_string(),
    }
}

fn pick_sender(hops: &[Hop]) -> (Option<Sender>, String) {
    for hop in hops.iter().rev() {
        if let Some(ip) = hop.from_ip
            && is_public(ip)
        {
            return (
                Some(Sender {
                    ip,
                    helo: hop.from_helo.clone(),
                    rdns: hop.from_rdns.clone(),
                    hop_index: Some(hop.index),
                    chosen_by: "auto".into(),
                }),
                format!(
                    "hop {} is the newest hop whose client has a public IP",
                    hop.index + 1
                ),
            );
        }
    }
    (
        None,
        "no Received field records a public client IP (internal mail, or headers missing)"
            .to_string(),
    )
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
        }),
        match hop {
            Some(h) => format!("chosen by you: hop {}", h.index + 1),
            None => format!("chosen by you: {ip} (no hop records this IP)"),
        },
    )
}

/// True for globally routable unicast addresses (not private, loopback,
/// link-local, CGNAT, documentation… except the documentation ranges, which
/// the test fixtures use as stand-ins for public addresses).
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
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}
