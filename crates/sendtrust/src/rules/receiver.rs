//! What the receiving servers recorded: Authentication-Results (RFC 8601) and
//! Received-SPF (RFC 7208 9.1), read leniently — malformed fields are read as
//! far as possible and never fail the report.

use crate::message::ParsedMessage;
use crate::report::Sender;
use serde::Serialize;
use std::net::IpAddr;

/// One method result recorded by a receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiverVerdict {
    /// The result word (`pass`, `fail`, …), lowercased.
    pub result: String,
    /// The authserv-id (or `Received-SPF` receiver) that recorded it.
    pub authserv: String,
    /// The header field it came from.
    pub source: String,
    /// Properties such as `header.d=example.com` or `smtp.mailfrom=…`.
    pub properties: Vec<(String, String)>,
    /// The client address the result was recorded for, when the receiver
    /// wrote it (`smtp.remote-ip=`, `client-ip=`, Microsoft's `sender IP is
    /// …`, Gmail's `designates … as permitted sender`).
    pub checked_ip: Option<IpAddr>,
}

impl ReceiverVerdict {
    /// The domain a recorded DKIM result is about: `header.d`, else the
    /// domain of `header.i` (which may carry a local part,
    /// `user@sub.example.com`), lowercase; empty when it names neither.
    pub fn dkim_domain(&self) -> String {
        self.properties
            .iter()
            .find(|(k, _)| k == "header.d" || k == "header.i")
            .map(|(_, v)| {
                v.rsplit('@')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default()
    }
}

/// Where a receiver writes the client address it checked, in
/// Authentication-Results (properties and comments) and Received-SPF.
const CHECKED_IP_MARKERS: [&str; 9] = [
    "smtp.remote-ip=",
    "smtp.client-ip=",
    "client-ip=",
    "policy.iprev=",
    "sender ip is ",
    "does not designate ",
    "discourages use of ",
    "designates ",
    "remote-ip=",
];

/// The first client address named in one recorded result (comments included).
fn checked_address(text: &str) -> Option<IpAddr> {
    let lower = text.to_ascii_lowercase();
    CHECKED_IP_MARKERS.iter().find_map(|marker| {
        let pos = lower.find(marker)?;
        let token = lower
            .get(pos + marker.len()..)?
            .trim_start()
            .split(|c: char| c.is_whitespace() || matches!(c, ';' | ')' | '(' | ',' | '"'))
            .next()?;
        token
            .trim_matches(|c| c == '[' || c == ']')
            .trim_start_matches("ipv6:")
            .parse()
            .ok()
    })
}

/// When the hand-off walk went past an inbound filtering service and `v` was
/// recorded for that filter's relay address, why it is not about the sender:
/// the recipient's mailbox system checked the filter that handed the message
/// on, so comparing it with the sender's result now would be comparing two
/// different servers.
pub fn filter_relay_note(v: &ReceiverVerdict, sender: Option<&Sender>) -> Option<String> {
    let filter = sender?.filter.as_ref()?;
    (v.checked_ip? == filter.ip).then(|| {
        format!(
            "recorded for the filter's relay, not the sender: {} ({}) is the recipient's inbound filter, and the recipient's mailbox system checked the address it received the message from; the sender was checked by the filter",
            filter.name, filter.ip
        )
    })
}

/// Everything recorded, grouped by method.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recorded {
    /// `spf=` results and Received-SPF fields.
    pub spf: Vec<ReceiverVerdict>,
    /// `dkim=` results.
    pub dkim: Vec<ReceiverVerdict>,
    /// `dmarc=` results.
    pub dmarc: Vec<ReceiverVerdict>,
    /// `iprev=` results.
    pub iprev: Vec<ReceiverVerdict>,
    /// The envelope sender the receiver saw, when recorded.
    pub envelope_from: Option<String>,
    /// The client IP the receiver checked SPF for, when recorded.
    pub client_ip: Option<String>,
}

/// Reads the receiver's verdicts from the message (topmost first).
pub fn recorded_results(parsed: &ParsedMessage<'_>) -> Recorded {
    let mut out = Recorded::default();
    for (_, value) in parsed.values("Authentication-Results") {
        read_auth_results_into(value, "Authentication-Results", &mut out);
    }
    for (_, value) in parsed.values("Received-SPF") {
        read_received_spf(value, &mut out);
    }
    out
}

/// Removes RFC 5322 comments (parenthesised, nestable).
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads one Authentication-Results value (authserv-id; method=result …)
/// into `out`, attributing each result to `source`.
pub fn read_auth_results_into(value: &str, source: &str, out: &mut Recorded) {
    // The address is often only in a comment (`spf=fail (sender IP is …)`):
    // read it per result from the raw text, in the same order as the
    // comment-free parts (a `;` inside a comment would shift them, so a
    // part's address is only taken when the counts agree).
    let raw_parts: Vec<&str> = value.split(';').collect();
    let cleaned = strip_comments(value);
    let parts: Vec<&str> = cleaned.split(';').collect();
    let same_split = parts.len() == raw_parts.len();
    // Microsoft writes no authserv-id: the value starts with a result
    // (`spf=pass (sender IP is …) …; dkim=…`).
    let first = parts
        .first()
        .and_then(|p| p.split_whitespace().next())
        .unwrap_or("");
    let (authserv, skip) = if first.contains('=') {
        ("unknown".to_string(), 0)
    } else if first.is_empty() {
        ("unknown".to_string(), 1)
    } else {
        (first.to_string(), 1)
    };
    for (n, part) in parts.iter().enumerate().skip(skip) {
        let checked_ip = if same_split {
            raw_parts.get(n).and_then(|p| checked_address(p))
        } else {
            None
        };
        let mut tokens = part.split_whitespace();
        let Some(first) = tokens.next() else { continue };
        let Some((method, result)) = first.split_once('=') else {
            continue;
        };
        let method = method.to_ascii_lowercase();
        // `dkim=pass` may carry a version (`dkim/1=pass`): drop it.
        let method = method.split('/').next().unwrap_or_default().to_string();
        let properties: Vec<(String, String)> = tokens
            .filter_map(|t| t.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.trim_matches('"').to_string()))
            .collect();
        if method == "spf" {
            for (k, v) in &properties {
                if k == "smtp.mailfrom" && out.envelope_from.is_none() {
                    out.envelope_from = Some(v.clone());
                }
            }
        }
        let verdict = ReceiverVerdict {
            result: result.to_ascii_lowercase(),
            authserv: authserv.clone(),
            source: source.into(),
            properties,
            checked_ip,
        };
        match method.as_str() {
            "spf" => out.spf.push(verdict),
            "dkim" => out.dkim.push(verdict),
            "dmarc" => out.dmarc.push(verdict),
            "iprev" => out.iprev.push(verdict),
            _ => {}
        }
    }
}

fn read_received_spf(value: &str, out: &mut Recorded) {
    let Some(result) = value.split_whitespace().next() else {
        return;
    };
    let mut properties = Vec::new();
    let mut receiver = None;
    // key=value pairs after the comment, separated by ';'.
    let cleaned = strip_comments(value);
    for pair in cleaned.split(';') {
        if let Some((k, v)) = pair.trim().split_once('=') {
            let k = k.trim().to_ascii_lowercase();
            let k = k.rsplit(' ').next().unwrap_or_default().to_string();
            let v = v.trim().trim_matches('"').to_string();
            match k.as_str() {
                "envelope-from" if out.envelope_from.is_none() => {
                    out.envelope_from = Some(v.trim_matches(['<', '>']).to_string());
                }
                "client-ip" if out.client_ip.is_none() => out.client_ip = Some(v.clone()),
                "receiver" => receiver = Some(v.clone()),
                _ => {}
            }
            properties.push((k, v));
        }
    }
    // "Received-SPF: pass (mx.example.net: domain of … designates …)".
    let authserv = receiver.unwrap_or_else(|| {
        value
            .split_once('(')
            .and_then(|(_, c)| c.split(':').next())
            .map_or("the receiver".into(), |s| s.trim().to_string())
    });
    out.spf.push(ReceiverVerdict {
        result: result.to_ascii_lowercase(),
        authserv,
        source: "Received-SPF".into(),
        properties,
        checked_ip: checked_address(value),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gmail_style_results() {
        let raw = b"Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@example.com header.s=s1 header.b=abc;\r\n       spf=pass (google.com: domain of b@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=b@example.com;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com\r\nReceived-SPF: softfail (mx.example.net: transitioning) client-ip=192.0.2.1; envelope-from=\"x@example.org\";\r\nFrom: a@example.com\r\n\r\n";
        let p = ParsedMessage::parse(raw, true);
        let r = recorded_results(&p);
        assert_eq!(r.spf.len(), 2);
        assert_eq!(r.spf[0].result, "pass");
        assert_eq!(r.spf[0].authserv, "mx.google.com");
        assert_eq!(r.spf[1].result, "softfail");
        assert_eq!(r.spf[1].authserv, "mx.example.net");
        assert_eq!(r.dkim[0].result, "pass");
        assert_eq!(r.dmarc[0].result, "pass");
        assert_eq!(r.envelope_from.as_deref(), Some("b@example.com"));
        assert_eq!(r.client_ip.as_deref(), Some("192.0.2.1"));
    }

    #[test]
    fn reads_microsoft_results_and_checked_addresses() {
        let raw = b"Authentication-Results: spf=fail (sender IP is 198.51.100.110)\r\n smtp.mailfrom=example.org; dkim=pass (signature was verified)\r\n header.d=example.org;dmarc=pass action=none header.from=example.org\r\nReceived-SPF: SoftFail (protection.outlook.com: domain of transitioning\r\n example.org discourages use of 198.51.100.190 as permitted sender)\r\nFrom: a@example.org\r\n\r\n";
        let p = ParsedMessage::parse(raw, true);
        let r = recorded_results(&p);
        assert_eq!(r.spf.len(), 2);
        assert_eq!(r.spf[0].result, "fail");
        assert_eq!(r.spf[0].authserv, "unknown");
        assert_eq!(r.spf[0].checked_ip, "198.51.100.110".parse().ok());
        assert_eq!(r.spf[1].result, "softfail");
        assert_eq!(r.spf[1].checked_ip, "198.51.100.190".parse().ok());
        assert_eq!(r.dkim.len(), 1);
        assert_eq!(r.dkim[0].checked_ip, None);
        assert_eq!(r.dmarc.len(), 1);
    }

    #[test]
    fn results_for_the_filters_relay_are_explained() {
        use crate::report::{FilterService, InboundFilter, Sender};
        let filter_ip: IpAddr = "198.51.100.206"
            .parse()
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let mut sender = Sender {
            ip: "203.0.113.77".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])),
            helo: None,
            rdns: None,
            hop_index: Some(1),
            chosen_by: crate::report::ChosenBy::Auto,
            filter: Some(InboundFilter {
                service: FilterService::Barracuda,
                name: "Barracuda Email Security".into(),
                hop_index: 2,
                ip: filter_ip,
                host: "outbound-ip24a.ess.barracuda.com".into(),
                evidence: vec![],
            }),
        };
        let mut v = ReceiverVerdict {
            result: "softfail".into(),
            authserv: "mail.contoso.example".into(),
            source: "Received-SPF".into(),
            properties: vec![],
            checked_ip: Some(filter_ip),
        };
        let note = filter_relay_note(&v, Some(&sender)).unwrap_or_default();
        assert!(
            note.starts_with("recorded for the filter's relay, not the sender"),
            "{note}"
        );
        assert!(note.contains("Barracuda"), "{note}");
        // Another address, or no filter walked past: compared as usual.
        v.checked_ip = "203.0.113.77".parse().ok();
        assert_eq!(filter_relay_note(&v, Some(&sender)), None);
        v.checked_ip = Some(filter_ip);
        sender.filter = None;
        assert_eq!(filter_relay_note(&v, Some(&sender)), None);
        assert_eq!(filter_relay_note(&v, None), None);
    }

    #[test]
    fn malformed_fields_do_not_break() {
        for v in [
            "",
            ";;;",
            "(((",
            "x; spf",
            "x; =pass",
            "\u{202e}; dkim=pass",
        ] {
            let raw = format!("Authentication-Results: {v}\r\nReceived-SPF: {v}\r\n\r\n");
            let p = ParsedMessage::parse(raw.as_bytes(), true);
            let _ = recorded_results(&p);
        }
    }
}
