//! The parsed message: mail-parser's view plus the raw bytes mail-auth needs.

use crate::charset;
use crate::report::{HeaderField, Summary};
use mail_parser::{Address, HeaderName, HeaderValue, Headers, Message, MessageParser};

/// A normalised message, parsed once and shared by every check.
pub struct ParsedMessage<'a> {
    /// The normalised bytes (CRLF line ends).
    pub raw: &'a [u8],
    /// mail-parser's view, when the bytes parse as a message at all.
    pub message: Option<Message<'a>>,
    /// No body was given.
    pub headers_only: bool,
    fields: Vec<HeaderField>,
}

impl<'a> ParsedMessage<'a> {
    /// Parses normalised bytes.
    pub fn parse(raw: &'a [u8], headers_only: bool) -> Self {
        let message = MessageParser::default().parse(raw);
        let fields = match &message {
            Some(m) => m
                .headers()
                .iter()
                .map(|h| HeaderField {
                    name: h.raw_name().to_string(),
                    value: unfold(h.raw_value()),
                })
                .collect(),
            None => Vec::new(),
        };
        ParsedMessage {
            raw,
            message,
            headers_only,
            fields,
        }
    }

    /// Every header field in order, unfolded.
    pub fn header_fields(&self) -> Vec<HeaderField> {
        self.fields.clone()
    }

    /// Values of every field named `name` (case-insensitive), in message order.
    pub fn values(&self, name: &str) -> impl Iterator<Item = (usize, &str)> {
        self.fields
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.name.eq_ignore_ascii_case(name))
            .map(|(i, f)| (i, f.value.as_str()))
    }

    /// The first value of `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.values(name).next().map(|(_, v)| v)
    }

    /// The summary fields.
    pub fn summary(&self) -> Summary {
        let Some(m) = &self.message else {
            return Summary::default();
        };
        let headers = m.headers();
        Summary {
            from: self.displayed(HeaderName::From, |h| h.from().map(|l| address_list(&l))),
            to: self.displayed(HeaderName::To, |h| h.to().map(|l| address_list(&l))),
            subject: self.displayed(HeaderName::Subject, |h| h.subject().map(str::to_string)),
            date: match headers.date() {
                Some(d) if d.is_valid() => Some(utc_rfc3339(d.to_timestamp())),
                _ => self.first("Date").map(str::to_string),
            },
            message_id: headers.message_id().map(str::to_string),
            return_path: self.envelope_sender(),
        }
    }

    /// What `read` takes from mail-parser's view of the field `name` (the
    /// last one, as mail-parser's accessors read), with text in the charsets
    /// mail-parser decodes only with encoding_rs decoded by `charset` —
    /// the browser's decoder in the engine wasm, where mail-parser has none.
    fn displayed<T>(
        &self,
        name: HeaderName<'static>,
        read: impl Fn(&Headers<'_>) -> Option<T>,
    ) -> Option<T> {
        let m = self.message.as_ref()?;
        let headers = m.headers();
        let field = headers.all(name).last()?;
        let Some(body) = charset::with_utf8_words(field.raw_value()) else {
            return read(&headers);
        };
        let mut alone = Vec::with_capacity(field.raw_name().len() + body.len() + 5);
        alone.extend_from_slice(field.raw_name().as_bytes());
        alone.push(b':');
        alone.extend_from_slice(&body);
        if !alone.ends_with(b"\n") {
            alone.extend_from_slice(b"\r\n");
        }
        alone.extend_from_slice(b"\r\n");
        let parsed = MessageParser::default().parse_headers(&alone)?;
        read(&parsed.headers())
    }

    /// The envelope sender from the topmost Return-Path, without brackets;
    /// `Some("")` for the null sender.
    pub fn envelope_sender(&self) -> Option<String> {
        let value = self.first("Return-Path")?;
        let v = value.trim();
        let v = v.strip_prefix('<').unwrap_or(v);
        let v = v.split('>').next().unwrap_or(v);
        Some(v.trim().to_string())
    }

    /// The address in the first From field.
    pub fn from_address(&self) -> Option<String> {
        let m = self.message.as_ref()?;
        let list = m.headers().from()?;
        list.first().and_then(|mb| mb.address()).map(str::to_string)
    }

    /// Number of From addresses (RFC 5322 wants one mailbox, or a Sender field).
    pub fn from_count(&self) -> usize {
        self.message
            .as_ref()
            .and_then(|m| m.headers().from())
            .map_or(0, |l| l.mailboxes().count())
    }

    /// The header value as mail-parser parsed it, for callers that need types.
    pub fn parsed_value(&self, name: &str) -> Option<HeaderValue<'_>> {
        self.message.as_ref()?.headers().value(name)
    }
}

/// The domain part of an address, lowercased.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').trim_end_matches('.');
    (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
}

fn address_list(list: &mail_parser::AddressList<'_>) -> String {
    list.iter()
        .map(|a| match a {
            Address::Mailbox(mb) => match (mb.name(), mb.address()) {
                (Some(n), Some(a)) => format!("{n} <{a}>"),
                (None, Some(a)) => a.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            },
            Address::Group(g) => g.name().unwrap_or("(group)").to_string(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Unfolds a raw header value: CRLF followed by white space becomes that
/// white space; surrounding white space is trimmed.
pub fn unfold(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Formats Unix seconds as RFC 3339 UTC (`2025-07-01T10:00:00Z`).
pub fn utc_rfc3339(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(1_751_364_000), "2025-07-01T10:00:00Z");
    }

    #[test]
    fn summary_and_headers() {
        let raw = b"Return-Path: <bounce@example.org>\r\nFrom: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: =?utf-8?q?Hi_there?=\r\nDate: Tue, 1 Jul 2025 12:00:00 +0200\r\nMessage-ID: <abc@example.com>\r\nX-Long: one\r\n two\r\n\r\nbody\r\n";
        let p = ParsedMessage::parse(raw, false);
        let s = p.summary();
        assert_eq!(s.from.as_deref(), Some("Alice <alice@example.com>"));
        assert_eq!(s.to.as_deref(), Some("bob@example.net"));
        assert_eq!(s.subject.as_deref(), Some("Hi there"));
        assert_eq!(s.date.as_deref(), Some("2025-07-01T10:00:00Z"));
        assert_eq!(s.message_id.as_deref(), Some("abc@example.com"));
        assert_eq!(s.return_path.as_deref(), Some("bounce@example.org"));
        let fields = p.header_fields();
        assert_eq!(fields.len(), 7);
        assert_eq!(fields[6].value, "one two");
        assert_eq!(p.from_address().as_deref(), Some("alice@example.com"));
    }

    /// Subject, From and To in each charset the engine wasm decodes with the
    /// browser's TextDecoder: natively (encoding_rs) the summary shows the
    /// expected text, which is also what mail-parser alone reads. The browser
    /// tests check the wasm shows the same texts for the same file.
    #[test]
    fn summary_text_in_multi_byte_charsets() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/charsets.json")).unwrap();
        let cases = data["cases"].as_array().unwrap();
        assert!(cases.len() >= 7);
        for case in cases {
            let raw = case["message"].as_str().unwrap().as_bytes();
            let p = ParsedMessage::parse(raw, false);
            let s = p.summary();
            let charset = &case["charset"];
            assert_eq!(s.subject.as_deref(), case["subject"].as_str(), "{charset}");
            assert_eq!(s.from.as_deref(), case["from"].as_str(), "{charset}");
            assert_eq!(s.to.as_deref(), case["to"].as_str(), "{charset}");
            let direct = p.message.as_ref().unwrap().headers();
            assert_eq!(s.subject.as_deref(), direct.subject(), "{charset}");
            assert_eq!(s.from, direct.from().map(|l| address_list(&l)), "{charset}");
        }
    }

    #[test]
    fn null_sender() {
        let p = ParsedMessage::parse(b"Return-Path: <>\r\nFrom: a@b.example\r\n\r\n", true);
        assert_eq!(p.envelope_sender().as_deref(), Some(""));
    }
}
