//! The one DNS transport: DNS over HTTPS with reqwest (browser `fetch` on
//! wasm32, rustls on native). RFC 8484 wire format is sent as GET
//! (`?dns=<base64url>`), which is a CORS "simple request" and so works
//! cross-origin from a static page without a preflight; the JSON API
//! (`?name=&type=`) is offered for providers that have one.

use super::{Answer, DnsFailure, Lookup, QType, Rdata};
use base64::Engine;
use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use std::time::Duration;
use web_time::Instant;

/// How questions are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DohFormat {
    /// RFC 8484 `application/dns-message`, sent with GET.
    Wire,
    /// The JSON API (`application/dns-json`) of Cloudflare and Google.
    Json,
}

impl DohFormat {
    /// `wire` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            DohFormat::Wire => "wire",
            DohFormat::Json => "json",
        }
    }
}

/// A DoH client for one endpoint.
#[derive(Clone)]
pub(super) struct DohTransport {
    client: reqwest::Client,
    url: String,
    format: DohFormat,
}

impl DohTransport {
    pub(super) fn new(url: &str, format: DohFormat) -> Self {
        DohTransport {
            client: reqwest::Client::new(),
            url: super::idn::parseable_url(url).into_owned(),
            format,
        }
    }

    /// Asks until a definite answer, a non-retryable failure, the retry budget
    /// or the deadline. Returns the lookup, the number of HTTP attempts and the TTL.
    pub(super) async fn query(
        &self,
        name: &str,
        qtype: QType,
        deadline: Duration,
        retries: u32,
    ) -> (Lookup, u32, Duration) {
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let Some(remaining) = deadline.checked_sub(started.elapsed()) else {
                return (Err(DnsFailure::Timeout), attempts - 1, Duration::ZERO);
            };
            if remaining < Duration::from_millis(50) {
                return (Err(DnsFailure::Timeout), attempts - 1, Duration::ZERO);
            }
            let result = match self.format {
                DohFormat::Wire => self.wire(name, qtype, remaining).await,
                DohFormat::Json => self.json(name, qtype, remaining).await,
            };
            match result {
                Err(failure) if failure.retryable() && attempts <= retries => continue,
                Err(failure) => return (Err(failure), attempts, Duration::ZERO),
                Ok((answer, ttl)) => {
                    return (Ok(answer), attempts, Duration::from_secs(u64::from(ttl)));
                }
            }
        }
    }

    async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
        accept: &str,
        timeout: Duration,
    ) -> Result<Vec<u8>, DnsFailure> {
        let request = request
            .header(reqwest::header::ACCEPT, accept)
            .timeout(timeout);
        let response = request.send().await.map_err(http_failure)?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(DnsFailure::HttpStatus(status));
        }
        let body = response.bytes().await.map_err(http_failure)?;
        Ok(body.to_vec())
    }

    async fn wire(
        &self,
        name: &str,
        qtype: QType,
        timeout: Duration,
    ) -> Result<(Answer, u32), DnsFailure> {
        // Raw labels, not `from_ascii`: an SPF domain-spec may name labels
        // with any visible ASCII (`foo:bar`), which the wire format carries;
        // the caller validated the name.
        let qname = Name::from_labels(name.split('.').map(str::as_bytes))
            .map_err(|e| DnsFailure::InvalidName(e.to_string()))?;
        let mut message = Message::query();
        // RFC 8484 4.1: id 0 makes GET answers cacheable by HTTP caches.
        message.metadata.id = 0;
        message.metadata.recursion_desired = true;
        message.add_query(Query::query(qname.clone(), RecordType::from(qtype.code())));
        let packet = message
            .to_vec()
            .map_err(|e| DnsFailure::InvalidName(e.to_string()))?;
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packet);
        let request = self.client.get(&self.url).query(&[("dns", encoded)]);
        let body = self
            .fetch(request, "application/dns-message", timeout)
            .await?;
        decode_wire(&body, &qname, qtype)
    }

    async fn json(
        &self,
        name: &str,
        qtype: QType,
        timeout: Duration,
    ) -> Result<(Answer, u32), DnsFailure> {
        let request = self
            .client
            .get(&self.url)
            .query(&[("name", name), ("type", qtype.as_str())]);
        let body = self.fetch(request, "application/dns-json", timeout).await?;
        decode_json(&body, name, qtype)
    }
}

fn http_failure(err: reqwest::Error) -> DnsFailure {
    if err.is_timeout() {
        return DnsFailure::Timeout;
    }
    // reqwest's Display hides the cause; the source chain names it.
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if text.contains("TimedOut") {
        return DnsFailure::Timeout;
    }
    DnsFailure::Network(text)
}

/// Decodes an RFC 8484 answer and checks it answers the question asked.
pub(crate) fn decode_wire(
    body: &[u8],
    qname: &Name,
    qtype: QType,
) -> Result<(Answer, u32), DnsFailure> {
    let message = Message::from_vec(body).map_err(|e| DnsFailure::Malformed(e.to_string()))?;
    let question_ok = message.queries.len() == 1
        && message.queries.first().is_some_and(|q| {
            q.name().eq_case(qname) || q.name().to_lowercase() == qname.to_lowercase()
        })
        && message
            .queries
            .first()
            .is_some_and(|q| u16::from(q.query_type()) == qtype.code());
    if !question_ok {
        return Err(DnsFailure::Mismatch);
    }
    match message.metadata.response_code {
        ResponseCode::NoError => {}
        ResponseCode::NXDomain => return Ok((Answer::NxDomain, negative_ttl(&message))),
        ResponseCode::ServFail => return Err(DnsFailure::ServFail),
        ResponseCode::Refused => return Err(DnsFailure::Refused),
        other => return Err(DnsFailure::Rcode(u16::from(other))),
    }
    let mut records = Vec::new();
    let mut ttl = u32::MAX;
    for answer in &message.answers {
        let rdata = match (qtype, &answer.data) {
            (QType::A, RData::A(a)) => Rdata::A(a.0),
            (QType::Aaaa, RData::AAAA(a)) => Rdata::Aaaa(a.0),
            (QType::Txt, RData::TXT(txt)) => Rdata::Txt(txt.txt_data.concat()),
            (QType::Ptr, RData::PTR(ptr)) => Rdata::Ptr(name_text(&ptr.0)),
            (QType::Mx, RData::MX(mx)) => Rdata::Mx(mx.preference, name_text(&mx.exchange)),
            (QType::Ns, RData::NS(ns)) => Rdata::Ns(name_text(&ns.0)),
            // CNAMEs and unrelated records are followed by the resolver; skip them.
            _ => continue,
        };
        ttl = ttl.min(answer.ttl);
        records.push(rdata);
    }
    if records.is_empty() {
        return Ok((Answer::NoData, negative_ttl(&message)));
    }
    Ok((Answer::Records(records), ttl))
}

/// The name's labels as they are, joined with dots (no presentation-form
/// escapes: an SPF `mx:` target `foo:bar/baz.example` has an exchange of that
/// name, which is looked up as written).
fn name_text(name: &Name) -> String {
    name.to_lowercase()
        .iter()
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(".")
}

fn negative_ttl(message: &Message) -> u32 {
    message
        .authorities
        .iter()
        .find_map(|record| match &record.data {
            RData::SOA(soa) => Some(record.ttl.min(soa.minimum)),
            _ => None,
        })
        .unwrap_or(60)
}

#[derive(serde::Deserialize)]
struct JsonAnswer {
    #[serde(rename = "Status")]
    status: u16,
    #[serde(rename = "Question", default)]
    question: Vec<JsonRecord>,
    #[serde(rename = "Answer", default)]
    answer: Vec<JsonRecord>,
}

#[derive(serde::Deserialize)]
struct JsonRecord {
    name: String,
    #[serde(rename = "type")]
    rtype: u16,
    #[serde(rename = "TTL", default)]
    ttl: u32,
    #[serde(default)]
    data: String,
}

/// Decodes a JSON API answer (Cloudflare / Google dialect).
pub(crate) fn decode_json(
    body: &[u8],
    name: &str,
    qtype: QType,
) -> Result<(Answer, u32), DnsFailure> {
    let parsed: JsonAnswer =
        serde_json::from_slice(body).map_err(|e| DnsFailure::Malformed(e.to_string()))?;
    if let Some(q) = parsed.question.first() {
        let qn = q.name.trim_end_matches('.');
        if !qn.eq_ignore_ascii_case(name) || q.rtype != qtype.code() {
            return Err(DnsFailure::Mismatch);
        }
    }
    match parsed.status {
        0 => {}
        3 => return Ok((Answer::NxDomain, 60)),
        2 => return Err(DnsFailure::ServFail),
        5 => return Err(DnsFailure::Refused),
        other => return Err(DnsFailure::Rcode(other)),
    }
    let mut records = Vec::new();
    let mut ttl = u32::MAX;
    for record in parsed.answer.iter().filter(|r| r.rtype == qtype.code()) {
        let data = record.data.trim();
        let rdata = match qtype {
            QType::A => data.parse().ok().map(Rdata::A),
            QType::Aaaa => data.parse().ok().map(Rdata::Aaaa),
            QType::Txt => Some(Rdata::Txt(unquote_txt(data))),
            QType::Ptr => Some(Rdata::Ptr(data.trim_end_matches('.').to_ascii_lowercase())),
            QType::Ns => Some(Rdata::Ns(data.trim_end_matches('.').to_ascii_lowercase())),
            QType::Mx => data.split_once(' ').and_then(|(p, h)| {
                Some(Rdata::Mx(
                    p.trim().parse().ok()?,
                    h.trim().trim_end_matches('.').to_ascii_lowercase(),
                ))
            }),
        };
        let Some(rdata) = rdata else {
            return Err(DnsFailure::Malformed(format!(
                "unreadable {} data {data:?}",
                qtype.as_str()
            )));
        };
        ttl = ttl.min(record.ttl);
        records.push(rdata);
    }
    if records.is_empty() {
        return Ok((Answer::NoData, 60));
    }
    Ok((Answer::Records(records), ttl))
}

/// JSON APIs give TXT data as one or more quoted strings with `\"` and `\DDD` escapes.
fn unquote_txt(data: &str) -> Vec<u8> {
    if !data.starts_with('"') {
        return data.as_bytes().to_vec();
    }
    let mut out = Vec::with_capacity(data.len());
    let mut in_quotes = false;
    let mut bytes = data.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\\' if in_quotes => match bytes.next() {
                Some(d) if d.is_ascii_digit() => {
                    let mut code = u32::from(d - b'0');
                    for _ in 0..2 {
                        match bytes.next_if(u8::is_ascii_digit) {
                            Some(d) => code = code * 10 + u32::from(d - b'0'),
                            None => break,
                        }
                    }
                    out.push(u8::try_from(code).unwrap_or(b'?'));
                }
                Some(other) => out.push(other),
                None => {}
            },
            other if in_quotes => out.push(other),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_packet(name: &str, qtype: QType) -> Message {
        let mut m = Message::query();
        m.add_query(Query::query(
            Name::from_ascii(format!("{name}.")).unwrap(),
            RecordType::from(qtype.code()),
        ));
        m
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        let qname = Name::from_ascii("example.com.").unwrap();
        for body in [&b""[..], b"<html>oops</html>", &[0xff; 64], &[0u8; 12]] {
            let r = decode_wire(body, &qname, QType::A);
            assert!(
                matches!(r, Err(DnsFailure::Malformed(_) | DnsFailure::Mismatch)),
                "{r:?}"
            );
        }
    }

    #[test]
    fn answer_to_another_question_is_a_mismatch() {
        let mut m = query_packet("other.example", QType::A);
        m.metadata.message_type = hickory_proto::op::MessageType::Response;
        let body = m.to_vec().unwrap();
        let qname = Name::from_ascii("example.com.").unwrap();
        assert_eq!(
            decode_wire(&body, &qname, QType::A),
            Err(DnsFailure::Mismatch)
        );
    }

    #[test]
    fn rcodes_map_to_named_failures() {
        let qname = Name::from_ascii("example.com.").unwrap();
        for (code, want) in [
            (ResponseCode::ServFail, Err(DnsFailure::ServFail)),
            (ResponseCode::Refused, Err(DnsFailure::Refused)),
        ] {
            let mut m = query_packet("example.com", QType::A);
            m.metadata.response_code = code;
            let body = m.to_vec().unwrap();
            assert_eq!(decode_wire(&body, &qname, QType::A).map(|a| a.0), want);
        }
        let mut m = query_packet("example.com", QType::A);
        m.metadata.response_code = ResponseCode::NXDomain;
        let body = m.to_vec().unwrap();
        assert_eq!(
            decode_wire(&body, &qname, QType::A).map(|a| a.0),
            Ok(Answer::NxDomain)
        );
    }

    #[test]
    fn json_txt_is_unquoted() {
        let body = br#"{"Status":0,"Question":[{"name":"example.com.","type":16}],"Answer":[{"name":"example.com.","type":16,"TTL":300,"data":"\"v=spf1 \" \"-all\""}]}"#;
        let (answer, ttl) = decode_json(body, "example.com", QType::Txt).unwrap();
        assert_eq!(
            answer,
            Answer::Records(vec![Rdata::Txt(b"v=spf1 -all".to_vec())])
        );
        assert_eq!(ttl, 300);
        assert!(matches!(
            decode_json(b"not json", "example.com", QType::Txt),
            Err(DnsFailure::Malformed(_))
        ));
    }
}
