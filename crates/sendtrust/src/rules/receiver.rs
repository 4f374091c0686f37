//! What the receiving servers recorded: Authentication-Results (RFC 8601) and
//! Received-SPF (RFC 7208 9.1), read leniently — malformed fields are read as
//! far as possible and never fail the report.

use crate::message::ParsedMessage;
use serde::Serialize;

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
    let cleaned = strip_comments(value);
    let mut parts = cleaned.split(';');
    let authserv = parts
        .next()
        .and_then(|p| p.split_whitespace().next())
        .unwrap_or("unknown")
        .to_string();
    for part in parts {
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
