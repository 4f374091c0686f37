//! Reading one Received field.
//!
//! mail-parser's Received parser gives the clauses (`by`, `with`, `id`, `for`,
//! TLS, date) for well-formed fields; this module reads the `from` part the way
//! each MTA writes it (HELO name, client IP and the reverse name the receiver
//! recorded are in different places for Postfix, Sendmail, Exim, qmail,
//! Exchange, CommuniGate, Courier, …), the TLS, authentication and envelope
//! sender comments mail-parser does not read, and decides whether the field
//! records a relay at all.
//!
//! Everything here is bounded: a field is cut at [`MAX_FIELD`] bytes and
//! comments nest at most [`MAX_DEPTH`] deep; nothing indexes or unwraps
//! input-derived data.

use super::date::parse_date;
use crate::report::{LocalFieldKind, RecordedRdns, TlsInfo};
use std::net::IpAddr;

/// Longest field text read; real Received fields are under 1 KB.
pub(crate) const MAX_FIELD: usize = 8 * 1024;
/// Deepest comment nesting kept; deeper text is read as words.
pub(crate) const MAX_DEPTH: usize = 8;
/// Longest text kept from a comment (authentication notes).
const MAX_NOTE: usize = 120;

/// One lexical item of a Received field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token<'a> {
    /// A run of characters other than white space, `(`, `)`, `;` and `"`.
    Word(&'a str),
    /// A parenthesised comment and what it holds.
    Comment(Vec<Token<'a>>),
    /// A quoted string, without the quotes.
    Quoted(&'a str),
    /// `;`, with its byte offset.
    Semi(usize),
}

/// Splits a field into tokens. Never fails; unclosed comments and quotes run
/// to the end.
pub(crate) fn tokenize<'a>(text: &'a str) -> Vec<Token<'a>> {
    let mut stack: Vec<Vec<Token<'a>>> = vec![Vec::new()];
    // Comments opened beyond MAX_DEPTH: their parentheses are dropped.
    let mut overflow = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' => {
                if stack.len() > MAX_DEPTH {
                    overflow += 1;
                } else {
                    stack.push(Vec::new());
                }
            }
            ')' => {
                if overflow > 0 {
                    overflow -= 1;
                } else if stack.len() > 1
                    && let Some(inner) = stack.pop()
                {
                    push(&mut stack, Token::Comment(inner));
                }
                // A stray ')' at the top level is ignored.
            }
            ';' => push(&mut stack, Token::Semi(i)),
            '"' => {
                let start = i + 1;
                let mut end = text.len();
                let mut escaped = false;
                for (j, q) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if q == '\\' {
                        escaped = true;
                    } else if q == '"' {
                        end = j;
                        break;
                    }
                }
                push(
                    &mut stack,
                    Token::Quoted(text.get(start..end).unwrap_or("")),
                );
            }
            _ => {
                let start = i;
                let mut end = text.len();
                while let Some(&(j, n)) = chars.peek() {
                    if n.is_whitespace() || matches!(n, '(' | ')' | ';' | '"') {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                push(&mut stack, Token::Word(text.get(start..end).unwrap_or("")));
            }
        }
    }
    while stack.len() > 1 {
        if let Some(inner) = stack.pop() {
            push(&mut stack, Token::Comment(inner));
        }
    }
    stack.pop().unwrap_or_default()
}

fn push<'a>(stack: &mut [Vec<Token<'a>>], token: Token<'a>) {
    if let Some(top) = stack.last_mut() {
        top.push(token);
    }
}

/// The words directly inside a comment (nested comments left out).
fn words<'a>(tokens: &[Token<'a>]) -> Vec<&'a str> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some(*w),
            _ => None,
        })
        .collect()
}

/// A comment's text, nested comments included, on one line.
fn text_of(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    for t in tokens {
        if !out.is_empty() {
            out.push(' ');
        }
        match t {
            Token::Word(w) => out.push_str(w),
            Token::Quoted(q) => {
                out.push('"');
                out.push_str(q);
                out.push('"');
            }
            Token::Semi(_) => out.push(';'),
            Token::Comment(inner) => {
                out.push('(');
                out.push_str(&text_of(inner));
                out.push(')');
            }
        }
        if out.len() > MAX_FIELD {
            break;
        }
    }
    out
}

/// Every comment in the field, nested ones included, outermost first.
fn all_comments<'t, 'a>(tokens: &'t [Token<'a>], out: &mut Vec<&'t [Token<'a>]>) {
    for t in tokens {
        if let Token::Comment(inner) = t {
            out.push(inner);
            all_comments(inner, out);
        }
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// An IP address as MTAs write it: `1.2.3.4`, `[1.2.3.4]`, `[1.2.3.4]:25`,
/// `1.2.3.4:25`, `1.2.3.4.25` (Exim 3), `[IPv6:2001:db8::1]`,
/// `::ffff:1.2.3.4` (read as IPv4), `fe80::1%4`.
pub(crate) fn parse_ip_loose(text: &str) -> Option<IpAddr> {
    let mut s = text.trim_matches(|c: char| matches!(c, ',' | ';' | '.' | ')' | '('));
    if let Some(rest) = s.strip_prefix('[') {
        let close = rest.find(']')?;
        let after = rest.get(close + 1..).unwrap_or("");
        if !(after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        {
            return None;
        }
        s = rest.get(..close)?;
    }
    if s.len() > 5 && s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("ipv6:")) {
        s = s.get(5..)?;
    }
    let s = s.split('%').next().unwrap_or(s);
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    // "1.2.3.4:25"
    if let Some((host, port)) = s.rsplit_once(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
        && let Ok(v4) = host.parse::<std::net::Ipv4Addr>()
    {
        return Some(IpAddr::V4(v4));
    }
    // "1.2.3.4.25" (Exim 3 writes the port after a dot)
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() == 5
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
        && let Some(head) = parts.get(..4)
        && let Ok(v4) = head.join(".").parse::<std::net::Ipv4Addr>()
    {
        return Some(IpAddr::V4(v4));
    }
    None
}

/// IPv4-mapped IPv6 addresses are IPv4 addresses.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

fn is_ip_text(text: &str) -> bool {
    parse_ip_loose(text).is_some()
}

fn is_bracketed(text: &str) -> bool {
    text.starts_with('[')
}

/// What one Received field says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Field {
    /// The word after `from`, as written (a HELO name, reverse name or address).
    pub from_host: Option<String>,
    /// The HELO/EHLO name.
    pub helo: Option<String>,
    /// The client address.
    pub ip: Option<IpAddr>,
    /// The reverse name the receiver recorded.
    pub rdns: Option<RecordedRdns>,
    /// The receiving host.
    pub by: Option<String>,
    /// The protocol.
    pub with: Option<String>,
    /// TLS, when recorded or implied.
    pub tls: Option<TlsInfo>,
    /// Queue id.
    pub id: Option<String>,
    /// Recipient.
    pub for_addr: Option<String>,
    /// Envelope sender (`Some("")` for the null sender).
    pub envelope_from: Option<String>,
    /// How the client authenticated.
    pub authenticated: Option<String>,
    /// Unix seconds, when the date was readable.
    pub time: Option<i64>,
    /// The date as written (after the `;`).
    pub date_text: Option<String>,
    /// Why the field records no relay, when it does not: (kind, reason).
    pub local: Option<(LocalFieldKind, String)>,
}

const KEYWORDS: [&str; 6] = ["from", "by", "via", "with", "id", "for"];

fn keyword(token: &Token<'_>) -> Option<&'static str> {
    match token {
        Token::Word(w) => KEYWORDS.iter().find(|k| w.eq_ignore_ascii_case(k)).copied(),
        _ => None,
    }
}

/// The tokens of one clause: after its keyword up to the next keyword or `;`.
fn clause<'t, 'a>(top: &'t [Token<'a>], name: &str, nth: usize) -> Option<&'t [Token<'a>]> {
    let start = top
        .iter()
        .enumerate()
        .filter(|(_, t)| keyword(t) == Some(name))
        .nth(nth)
        .map(|(i, _)| i + 1)?;
    let rest = top.get(start..)?;
    let len = rest
        .iter()
        .position(|t| keyword(t).is_some() || matches!(t, Token::Semi(_)))
        .unwrap_or(rest.len());
    rest.get(..len)
}

fn first_word<'a>(tokens: &[Token<'a>]) -> Option<&'a str> {
    tokens.iter().find_map(|t| match t {
        Token::Word(w) => Some(*w),
        _ => None,
    })
}

fn clean_host(word: &str) -> String {
    word.trim_end_matches([',', ';']).to_string()
}

fn clean_addr(word: &str) -> String {
    word.trim_matches(|c: char| matches!(c, '<' | '>' | ',' | ';' | '"' | '\''))
        .to_string()
}

/// Reads one Received field value (unfolded).
pub(crate) fn parse_field(value: &str) -> Field {
    let value = truncate(value, MAX_FIELD);
    let top = unwrap_leading_from(tokenize(value));
    let mut field = Field::default();
    let lower = value.to_ascii_lowercase();

    let mut comments = Vec::new();
    all_comments(&top, &mut comments);

    // by / with / via / id / for
    field.by = clause(&top, "by", 0).and_then(first_word).map(clean_host);
    let with_clause = clause(&top, "with", 0).unwrap_or_default();
    field.with = protocol_text(with_clause);
    let via = clause(&top, "via", 0).and_then(first_word);
    field.id = clause(&top, "id", 0)
        .and_then(first_word)
        .map(clean_addr)
        .filter(|s| !s.is_empty());
    field.for_addr = clause(&top, "for", 0)
        .and_then(first_word)
        .map(clean_addr)
        .filter(|s| !s.is_empty());

    // The date: after the last top-level ';', or the last words of the field.
    let last_semi = top.iter().rev().find_map(|t| match t {
        Token::Semi(at) => Some(*at),
        _ => None,
    });
    let date_text = match last_semi {
        Some(at) => value.get(at + 1..).unwrap_or("").trim().to_string(),
        None => trailing_words(value, &top),
    };
    field.time = parse_date(&date_text);
    if !date_text.is_empty() && last_semi.is_some() {
        field.date_text = Some(truncate(&date_text, 200).to_string());
    }

    field.tls = tls(&top, &comments, field.with.as_deref());
    field.envelope_from = envelope_from(&top, &comments);
    field.authenticated = authentication(&comments, field.with.as_deref(), via);

    let starts_with_from = top
        .first()
        .is_some_and(|t| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("from")));
    if starts_with_from {
        read_from(&top, value, &lower, &mut field);
    }
    field.local = local_reason(&top, &lower, &field, starts_with_from);
    field
}

/// Some gateways write the whole `from` part in parentheses — Norton
/// AntiVirus Gateway `(from localhost [192.0.2.1]) by …`, sendmail
/// submissions `(from user@localhost) by …`: the comment's tokens are read as
/// the `from` part, so the field is read like any other instead of as a
/// comment that names no client.
fn unwrap_leading_from(mut top: Vec<Token<'_>>) -> Vec<Token<'_>> {
    let starts_with_from_comment = matches!(
        top.first(),
        Some(Token::Comment(inner))
            if matches!(inner.first(), Some(Token::Word(w)) if w.eq_ignore_ascii_case("from"))
    );
    if !starts_with_from_comment {
        return top;
    }
    let rest = top.split_off(1);
    // `top` now holds just the comment checked above.
    let Some(Token::Comment(mut from_part)) = top.pop() else {
        return rest;
    };
    from_part.extend(rest);
    from_part
}

/// The last few words of a field without `;` (some MTAs omit it before the date).
fn trailing_words(value: &str, top: &[Token<'_>]) -> String {
    let word_starts: Vec<usize> = top
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) => Some((w.as_ptr() as usize).saturating_sub(value.as_ptr() as usize)),
            _ => None,
        })
        .collect();
    let from = word_starts
        .len()
        .checked_sub(8)
        .and_then(|i| word_starts.get(i))
        .or(word_starts.first())
        .copied()
        .unwrap_or(0);
    value.get(from..).unwrap_or("").to_string()
}

/// The protocol words after `with`, up to four, before any comment:
/// `ESMTPS`, `Microsoft SMTP Server`, `[XMail 1.20 ESMTP Server]`.
fn protocol_text(with_clause: &[Token<'_>]) -> Option<String> {
    let mut parts = Vec::new();
    for t in with_clause {
        match t {
            Token::Word(w) if parts.len() < 4 => parts.push(*w),
            _ => break,
        }
    }
    // Exim 4.9x: "with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384" — the
    // words after the comment are not part of the protocol.
    let text = parts.join(" ");
    let text = text.trim_end_matches([',', ';']);
    if text.is_empty() {
        return None;
    }
    let single = !text.contains(' ');
    Some(
        if single
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            text.to_ascii_uppercase()
        } else {
            text.to_string()
        },
    )
}

/// Protocol names that mean an authenticated client (RFC 3848 and common
/// variants).
const AUTH_PROTOCOLS: [&str; 9] = [
    "ESMTPA",
    "ESMTPSA",
    "LMTPA",
    "LMTPSA",
    "ASMTP",
    "UTF8SMTPA",
    "UTF8SMTPSA",
    "ESMTPA-TLS",
    "ESMTPSA-TLS",
];

/// Webmail / client-access protocols: a logged-in user submitted the message.
const WEB_PROTOCOLS: [&str; 5] = ["HTTP", "HTTPS", "HTTPU", "HTTPREST", "MAPI"];

/// Protocol names that imply TLS.
const TLS_PROTOCOLS: [&str; 12] = [
    "ESMTPS",
    "ESMTPSA",
    "ESMTP-TLS",
    "ESMTPTLS",
    "SMTPS",
    "LMTPS",
    "LMTPSA",
    "UTF8SMTPS",
    "UTF8SMTPSA",
    "UTF8LMTPS",
    "UTF8LMTPSA",
    "HTTPS",
];

/// True when the protocol is webmail/HTTP (or MAPI) submission.
pub(crate) fn is_web_protocol(with: Option<&str>) -> bool {
    with.is_some_and(|w| WEB_PROTOCOLS.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

fn authentication(
    comments: &[&[Token<'_>]],
    with: Option<&str>,
    via: Option<&str>,
) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    if let Some(w) = with {
        let upper = w.to_ascii_uppercase();
        if AUTH_PROTOCOLS.contains(&upper.as_str()) {
            found.push(upper);
        } else if WEB_PROTOCOLS.contains(&upper.as_str()) {
            found.push(if upper == "MAPI" {
                "MAPI (mail client session)".to_string()
            } else {
                format!("{upper} (webmail)")
            });
        }
    }
    if found.is_empty()
        && let Some(v) = via
        && v.to_ascii_uppercase().starts_with("HTTP")
    {
        found.push("HTTP (webmail)".to_string());
    }
    for comment in comments {
        let ws = words(comment);
        let Some(first) = ws.first() else { continue };
        let text = text_of(comment);
        let lower = text.to_ascii_lowercase();
        let note = if first.eq_ignore_ascii_case("AUTH:") {
            // Courier: "AUTH: LOGIN user, SSL: …" — keep the AUTH part.
            Some(text.split(", SSL:").next().unwrap_or(&text).to_string())
        } else if first.eq_ignore_ascii_case("account") && ws.len() >= 2 {
            // CommuniGate Pro: "account user@example.org [HELO x]".
            Some(format!("account {}", ws.get(1).copied().unwrap_or("")))
        } else if lower.contains("authenticated")
            && !lower.contains("not authenticated")
            && !lower.contains("unauthenticated")
        {
            Some(text.clone())
        } else {
            None
        };
        if let Some(note) = note {
            let note = truncate(note.trim(), MAX_NOTE).to_string();
            if !found.contains(&note) {
                found.push(note);
            }
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

/// Normalises a TLS version as written (`TLSv1.3`, `TLS1_2`, `TLS-1.0`,
/// `TLSv1`, `SSLv3`, `TLSv1/SSLv3`) to `TLSv1.3`, `TLSv1.2`, … or keeps it.
pub(crate) fn normalize_tls_version(text: &str) -> Option<String> {
    let t = text.trim_matches(|c: char| matches!(c, ',' | ';' | ')' | '(' | ':' | '"'));
    let first = t.split('/').next().unwrap_or(t);
    let lower = first.to_ascii_lowercase();
    let (family, rest) = if let Some(r) = lower.strip_prefix("dtls") {
        ("DTLS", r)
    } else if let Some(r) = lower.strip_prefix("tls") {
        ("TLS", r)
    } else {
        ("SSL", lower.strip_prefix("ssl")?)
    };
    let digits: String = rest
        .trim_start_matches(['v', '-', '_'])
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    if digits.is_empty() {
        return None;
    }
    Some(match (family, digits.as_str()) {
        ("TLS", "1" | "10") => "TLSv1.0".to_string(),
        ("TLS", "11") => "TLSv1.1".to_string(),
        ("TLS", "12") => "TLSv1.2".to_string(),
        ("TLS", "13") => "TLSv1.3".to_string(),
        ("SSL", "3" | "30") => "SSLv3".to_string(),
        ("SSL", "2" | "20") => "SSLv2".to_string(),
        ("DTLS", "1" | "10") => "DTLSv1.0".to_string(),
        ("DTLS", "12") => "DTLSv1.2".to_string(),
        ("DTLS", "13") => "DTLSv1.3".to_string(),
        _ => truncate(t, 32).to_string(),
    })
}

fn looks_like_cipher(text: &str) -> bool {
    text.len() >= 4
        && text.len() <= 100
        && (text.contains('-') || text.contains('_'))
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && text.bytes().any(|b| b.is_ascii_uppercase())
}

fn clean_cipher(text: &str) -> Option<String> {
    let c = text.trim_matches(|c: char| matches!(c, ',' | ';' | ')' | '(' | '"'));
    looks_like_cipher(c).then(|| c.to_string())
}

/// TLS recorded in comments (Postfix `using …`, Sendmail/Gmail/Exchange
/// `version=… cipher=…`, Exim `(TLS1.2:cipher:bits)` and `(TLS1.3) tls cipher`,
/// Courier `SSL: …`, Gmail `Google Transport Security`) or implied by the protocol.
fn tls(top: &[Token<'_>], comments: &[&[Token<'_>]], with: Option<&str>) -> Option<TlsInfo> {
    let mut version: Option<String> = None;
    let mut cipher: Option<String> = None;
    let mut seen = false;
    for comment in comments {
        let ws = words(comment);
        let mut i = 0;
        while let Some(w) = ws.get(i) {
            let lw = w.to_ascii_lowercase();
            if lw == "using"
                && let Some(v) = ws.get(i + 1).and_then(|v| normalize_tls_version(v))
            {
                seen = true;
                version.get_or_insert(v);
            } else if lw == "cipher"
                && let Some(c) = ws.get(i + 1).and_then(|c| clean_cipher(c))
            {
                seen = true;
                cipher.get_or_insert(c);
            } else if let Some(v) = lw.strip_prefix("version=") {
                if let Some(v) = normalize_tls_version(v) {
                    seen = true;
                    version.get_or_insert(v);
                }
            } else if lw.starts_with("cipher=") {
                if let Some(c) = w.get(7..).and_then(clean_cipher) {
                    seen = true;
                    cipher.get_or_insert(c);
                }
            } else if (lw == "ssl:" || lw == "tls:") && i + 1 < ws.len() {
                // Courier: "SSL: TLSv1/SSLv3,128bits,RC4-MD5"
                let rest = ws.get(i + 1..).unwrap_or_default().join("");
                let mut parts = rest.split(',');
                if let Some(v) = parts.next().and_then(normalize_tls_version) {
                    seen = true;
                    version.get_or_insert(v);
                }
                if let Some(c) = rest.split(',').filter_map(clean_cipher).next_back() {
                    cipher.get_or_insert(c);
                }
            } else if w.contains(':')
                && (i == 0 || ws.first().is_some_and(|f| f.eq_ignore_ascii_case("cipher")))
            {
                // Exim: "TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256", "TLSv1:DES-CBC3-SHA:168"
                let mut parts = w.split(':');
                if let Some(v) = parts.next().and_then(normalize_tls_version) {
                    seen = true;
                    version.get_or_insert(v);
                    if let Some(c) = parts.next().and_then(clean_cipher) {
                        cipher.get_or_insert(c);
                    }
                }
            } else if i == 0
                && ws.len() == 2
                && ws
                    .get(1)
                    .is_some_and(|e| e.eq_ignore_ascii_case("encrypted"))
            {
                // qmail TLS patches: "(ECDHE-RSA-AES256-GCM-SHA384 encrypted)"
                if let Some(c) = clean_cipher(w) {
                    seen = true;
                    cipher.get_or_insert(c);
                }
            } else if i == 0 && ws.len() == 1 {
                // Exim 4.9x: "(TLS1.3)"
                if let Some(v) = normalize_tls_version(w)
                    && w.bytes().any(|b| b.is_ascii_digit())
                {
                    seen = true;
                    version.get_or_insert(v);
                }
            }
            i += 1;
        }
        if text_of(comment).eq_ignore_ascii_case("Google Transport Security") {
            seen = true;
        }
    }
    // Exim 4.9x: top-level "tls TLS_AES_256_GCM_SHA384".
    let top_words = words(top);
    for pair in top_words.windows(2) {
        if let [a, b] = pair
            && a.eq_ignore_ascii_case("tls")
            && let Some(c) = clean_cipher(b)
        {
            seen = true;
            cipher.get_or_insert(c);
        }
    }
    if let Some(w) = with {
        let upper = w.to_ascii_uppercase();
        if TLS_PROTOCOLS.contains(&upper.as_str()) {
            seen = true;
        }
    }
    seen.then_some(TlsInfo { version, cipher })
}

/// `(envelope-from <x>)`, `(envelope-sender <x>)`, `(return-path <x>)`, or
/// XMail's second `from <x>`.
fn envelope_from(top: &[Token<'_>], comments: &[&[Token<'_>]]) -> Option<String> {
    for comment in comments {
        let ws = words(comment);
        for (i, w) in ws.iter().enumerate() {
            let lw = w.to_ascii_lowercase();
            let lw = lw.trim_end_matches([':', '=']);
            // Exim configurations (Cambridge, Debian's chiark) also write
            // `(return-path <sender>)`.
            if lw == "envelope-from" || lw == "envelope-sender" || lw == "return-path" {
                // Exim writes `(envelope-from )` for the null sender.
                return Some(
                    ws.get(i + 1)
                        .map(|next| clean_addr(next))
                        .unwrap_or_default(),
                );
            } else if let Some(v) = lw
                .strip_prefix("envelope-from=")
                .or_else(|| lw.strip_prefix("envelope-sender="))
            {
                let _ = v;
                let raw = w.split_once('=').map(|(_, v)| v).unwrap_or("");
                return Some(clean_addr(raw));
            }
        }
    }
    // Haraka 2.1 writes it outside a comment: "... id X envelope-from <sender> (…)".
    let top_words = words(top);
    for pair in top_words.windows(2) {
        if let [key, addr] = pair
            && key.eq_ignore_ascii_case("envelope-from")
            && addr.starts_with('<')
        {
            return Some(clean_addr(addr));
        }
    }
    // XMail: "... for <rcpt> from <sender>; date" — a second top-level "from".
    if let Some(second) = clause(top, "from", 1)
        && let Some(w) = first_word(second)
        && w.starts_with('<')
    {
        return Some(clean_addr(w));
    }
    None
}

/// A comment in the `from` part that holds the client address.
#[derive(Debug, Default)]
struct AddrComment {
    ip: Option<IpAddr>,
    /// The name written next to a bracketed address (`name [ip]`).
    name: Option<String>,
    bracketed: bool,
    /// `[ip] verified` (CommuniGate: the HELO name resolves to the address).
    verified: bool,
    /// `[ip] RDNS failed` (Exchange) — the lookup failed.
    failed: bool,
    /// Exim/ecelerity style `([ip]:port helo=name)`.
    exim_style: bool,
    /// Written with a port (`ip:port`).
    has_port: bool,
    /// The name slot before the address is written empty (Scalix
    /// `( 192.0.2.1)`): the receiver recorded no name.
    empty_name_slot: bool,
}

fn read_addr_comment(ws: &[&str]) -> AddrComment {
    let mut out = AddrComment::default();
    // The word after HELO/EHLO is the client's greeting (CommuniGate
    // `(account user HELO [192.0.2.1])`, smap `(192.0.2.1, HELO name)`): an
    // address literal there is what the client claimed, not its address.
    let mut greeting_argument = false;
    for (k, w) in ws.iter().enumerate() {
        if std::mem::take(&mut greeting_argument) {
            continue;
        }
        if is_greeting(w) {
            greeting_argument = true;
            continue;
        }
        // Haraka 2.1 writes `[192.0.2.1 ]`: the bracket closes in the next word.
        let joined;
        let w: &str =
            if w.starts_with('[') && !w.contains(']') && ws.get(k + 1).is_some_and(|n| *n == "]") {
                joined = format!("{w}]");
                &joined
            } else {
                w
            };
        let lw = w.to_ascii_lowercase();
        if lw.starts_with("helo=") || lw.starts_with("ident=") || lw.starts_with("port=") {
            out.exim_style = true;
            continue;
        }
        if lw == "verified" {
            out.verified = true;
        }
        if lw == "failed"
            && k > 0
            && ws
                .get(k - 1)
                .is_some_and(|p| p.eq_ignore_ascii_case("rdns"))
        {
            out.failed = true;
        }
        if out.ip.is_some() {
            continue;
        }
        if let Some(open) = w.find('[') {
            let (before, bracket) = w.split_at(open);
            if let Some(ip) = parse_ip_loose(bracket) {
                out.ip = Some(ip);
                out.bracketed = true;
                out.has_port = bracket.contains("]:");
                let before = if before.is_empty() {
                    // "name [ip]": the word before.
                    k.checked_sub(1)
                        .and_then(|p| ws.get(p))
                        .copied()
                        .filter(|p| {
                            !p.eq_ignore_ascii_case("account")
                                && !p.contains('=')
                                && !is_greeting(p)
                        })
                        .unwrap_or("")
                } else {
                    before
                };
                if !before.is_empty() {
                    out.name = Some(before.to_string());
                }
                continue;
            }
        }
        // "ident@ip", "ip", "ip:port"
        let candidate = w.rsplit('@').next().unwrap_or(w);
        if let Some(ip) = parse_ip_loose(candidate) {
            out.ip = Some(ip);
            out.has_port = candidate.contains(':') && candidate.contains('.');
        }
    }
    out
}

fn is_greeting(word: &str) -> bool {
    ["HELO", "EHLO", "LHLO"]
        .iter()
        .any(|g| word.eq_ignore_ascii_case(g))
}

/// The recorded reverse name from a name written by the receiver.
fn rdns_from_name(name: &str) -> Option<RecordedRdns> {
    let mut n = name.trim();
    if let Some(rest) = n.strip_prefix("IDENT:") {
        n = rest;
    }
    if let Some((_, host)) = n.rsplit_once('@') {
        n = host;
    }
    let n = n
        .trim_matches(|c: char| matches!(c, '<' | '>' | ',' | ';'))
        .trim_end_matches('.');
    // Sun/Oracle Messaging Server brackets the name: `([unknown] [192.0.2.1])`.
    let n = match n.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) if !is_ip_text(inner) => inner,
        _ => n,
    };
    if n.is_empty() {
        return None;
    }
    let lower = n.to_ascii_lowercase();
    if lower == "unknown" || lower == "softdnserr" || lower.starts_with("unknown.") {
        return Some(RecordedRdns::Unknown);
    }
    if lower == "unverified" {
        // `(unverified [192.0.2.1])`: the receiver wrote no name.
        return None;
    }
    if is_ip_text(n) {
        // An address where a name belongs: no name was recorded, and the
        // receiver says so by writing the address.
        return Some(RecordedRdns::Address(n.to_string()));
    }
    if n.starts_with('[') {
        // An address literal where a name belongs: no name was recorded.
        return None;
    }
    Some(RecordedRdns::Name(n.to_string()))
}

/// The greeting a comment records anywhere in it: `HELO name` / `EHLO name`
/// as words (`(192.0.2.1, HELO name)`) or quoted (ZMailer's
/// `([192.0.2.1]:4711 "EHLO name" rhost-flags-…)`). `Some("")` when the
/// greeting was empty.
fn greeting_in(comment: &[Token<'_>]) -> Option<String> {
    let mut tokens = comment.iter().peekable();
    while let Some(t) = tokens.next() {
        match t {
            Token::Word(w) if is_greeting(w) => {
                let name = match tokens.peek() {
                    Some(Token::Word(n)) => n.trim_end_matches([',', ')']).to_string(),
                    _ => String::new(),
                };
                return Some(name);
            }
            Token::Quoted(q) => {
                let mut parts = q.split_whitespace();
                if parts.next().is_some_and(is_greeting) {
                    return Some(parts.collect::<Vec<_>>().join(" "));
                }
            }
            _ => {}
        }
    }
    None
}

/// True when the comment `inner` (tokens of `value`) opens with white space
/// before its first word, as Scalix writes `(rdns ip)` with no name:
/// `( 192.0.2.1)`.
fn opens_with_space(value: &str, inner: &[Token<'_>]) -> bool {
    let Some(Token::Word(first)) = inner.first() else {
        return false;
    };
    let start = (first.as_ptr() as usize).wrapping_sub(value.as_ptr() as usize);
    let Some(before) = value.get(..start) else {
        return false;
    };
    let trimmed = before.trim_end_matches([' ', '\t']);
    trimmed.len() < before.len() && trimmed.ends_with('(')
}

/// True when `word` (a token of `value`) is followed directly by `(`, as in
/// smap's and Obtuse smtpd's `from rdns(192.0.2.1)`: the name the receiver
/// looked up, written against the address it belongs to.
fn glued_to_comment(value: &str, word: &str) -> bool {
    let start = (word.as_ptr() as usize).wrapping_sub(value.as_ptr() as usize);
    start <= value.len()
        && value
            .as_bytes()
            .get(start.saturating_add(word.len()))
            .is_some_and(|b| *b == b'(')
}

/// Reads the `from` part: HELO, client IP, recorded reverse name.
fn read_from(top: &[Token<'_>], value: &str, lower: &str, field: &mut Field) {
    let Some(from) = clause(top, "from", 0) else {
        return;
    };
    let mut host_word: Option<&str> = None;
    let mut bare_bracket_ip: Option<IpAddr> = None;
    let mut explicit_helo: Option<String> = None;
    let mut addr: Option<AddrComment> = None;
    let mut has_greeting_comment = false;
    // Exim's `name (helo) [192.0.2.1]`: a one-word comment right after the
    // name, before a bracketed address.
    let mut paren_helo: Option<&str> = None;
    let mut comments_seen = 0usize;
    let glued = match from.first() {
        Some(Token::Word(w)) => glued_to_comment(value, w),
        _ => false,
    };

    let mut prev_words: Vec<&str> = Vec::new();
    for t in from {
        match t {
            Token::Word(w) => {
                let w = w.trim_end_matches(',');
                if w.is_empty() {
                    continue;
                }
                if host_word.is_none() && prev_words.is_empty() {
                    host_word = Some(w);
                } else if bare_bracket_ip.is_none()
                    && is_bracketed(w)
                    && let Some(ip) = parse_ip_loose(w)
                {
                    bare_bracket_ip = Some(ip);
                }
                prev_words.push(w);
            }
            Token::Quoted(q) => {
                // Obtuse smtpd: `, claiming to be "helo"`
                let n = prev_words.len();
                if n >= 3
                    && prev_words
                        .get(n - 3..)
                        .is_some_and(|p| p.join(" ").eq_ignore_ascii_case("claiming to be"))
                {
                    explicit_helo = Some(q.to_string());
                }
            }
            Token::Comment(inner) => {
                comments_seen += 1;
                let ws = words(inner);
                if comments_seen == 1
                    && prev_words.len() == 1
                    && inner.len() == 1
                    && let [only] = ws.as_slice()
                    && !is_ip_text(only)
                    && !is_greeting(only)
                {
                    paren_helo = Some(only);
                }
                match ws.first() {
                    Some(first) if is_greeting(first) => {
                        // qmail / qpsmtpd / CommuniGate: "(HELO name)"; may be empty.
                        has_greeting_comment = true;
                        explicit_helo = Some(ws.get(1..).unwrap_or_default().join(" "));
                    }
                    Some(first) if first.eq_ignore_ascii_case("account") => {
                        // CommuniGate: "(account user [HELO name])"
                        if let Some(pos) = ws.iter().position(|w| is_greeting(w)) {
                            explicit_helo =
                                Some(ws.get(pos + 1).map(|s| s.to_string()).unwrap_or_default());
                        }
                        if addr.is_none() {
                            let a = read_addr_comment(ws.get(1..).unwrap_or_default());
                            if a.ip.is_some() {
                                addr = Some(a);
                            }
                        }
                    }
                    // `(proxying for 192.0.2.1)`, `(for name [192.0.2.1])`:
                    // the address of another host, not of the client.
                    Some(first)
                        if first.eq_ignore_ascii_case("proxying")
                            || first.eq_ignore_ascii_case("for") => {}
                    Some(_) => {
                        for w in &ws {
                            if let Some(h) = w
                                .get(..5)
                                .filter(|p| p.eq_ignore_ascii_case("helo="))
                                .and_then(|_| w.get(5..))
                            {
                                explicit_helo = Some(h.trim_end_matches([')', ',']).to_string());
                            }
                        }
                        if explicit_helo.is_none() {
                            explicit_helo = greeting_in(inner);
                        }
                        if addr.is_none() {
                            let mut a = read_addr_comment(&ws);
                            if a.ip.is_some() {
                                a.empty_name_slot = opens_with_space(value, inner);
                                addr = Some(a);
                            }
                        }
                    }
                    None => {}
                }
            }
            Token::Semi(_) => {}
        }
    }

    if explicit_helo.is_none()
        && addr.is_none()
        && bare_bracket_ip.is_some()
        && let Some(h) = paren_helo
    {
        explicit_helo = Some(h.to_string());
    }
    // The client's greeting is written on its own (`(HELO x)`, `helo=x`,
    // `"EHLO x"`, `claiming to be "x"`): the word after `from` is then not
    // the greeting but the receiver's name for the client.
    let helo_stated = explicit_helo.is_some();

    field.from_host = host_word.map(str::to_string);
    let host_ip = host_word.and_then(parse_ip_loose);
    let exim = lower.contains("(exim") || lower.contains("/exim");
    let microsoft = lower.contains("microsoft smtp")
        || lower.contains("smtpsvc")
        || lower.contains("microsoft exchange");
    let xmail = lower.contains("[xmail");

    enum Source {
        Comment,
        BareBracket,
        HostWord,
    }
    let (ip, source) = match (addr.as_ref().and_then(|a| a.ip), bare_bracket_ip, host_ip) {
        (Some(ip), _, _) => (Some(ip), Some(Source::Comment)),
        (None, Some(ip), _) => (Some(ip), Some(Source::BareBracket)),
        (None, None, Some(ip)) => (Some(ip), Some(Source::HostWord)),
        _ => (None, None),
    };
    field.ip = ip;

    // The host word as a name (not an address).
    let host_name = host_word.filter(|h| !is_ip_text(h) && !is_bracketed(h));
    let rdns_from_host = || host_name.and_then(rdns_from_name);

    // HELO
    field.helo = if is_web_protocol(field.with.as_deref()) {
        // HTTP has no HELO; the word after "from" is the client's address or a label.
        None
    } else if let Some(h) = explicit_helo {
        (!h.is_empty()).then_some(h)
    } else if glued {
        // smap / Obtuse smtpd: `rdns(192.0.2.1)` records no greeting.
        None
    } else {
        match (host_word, &source) {
            (None, _) => None,
            // The word after `from` is the client's address itself, not a
            // greeting. When the address is written elsewhere (`from
            // 192.0.2.7 (unknown[192.0.2.9])`), the word is what the client
            // greeted with, even if that is an address.
            (Some(_), Some(Source::HostWord) | None) => None,
            (Some(h), _) => Some(h.to_string()),
        }
    };

    // Recorded reverse name
    field.rdns = match (&addr, &source) {
        (Some(a), Some(Source::Comment)) if a.bracketed => {
            if let Some(name) = &a.name {
                rdns_from_name(name)
            } else if a.failed {
                Some(RecordedRdns::Unknown)
            } else if a.verified || a.exim_style || exim || helo_stated || glued {
                rdns_from_host()
            } else {
                None
            }
        }
        (Some(a), Some(Source::Comment)) => {
            // "(ip)", "(ident@ip)", "(ip:port)": qmail and Critical Path write
            // the receiver's name for the client before it; Microsoft,
            // XMail (`ip:port`) and webmail write the greeting or a label;
            // Scalix leaves the name slot empty (`( ip)`).
            if a.empty_name_slot
                || microsoft
                || xmail
                || a.has_port
                || is_web_protocol(field.with.as_deref())
            {
                None
            } else if let Some(written) = host_word.filter(|h| is_ip_text(h) && !is_bracketed(h)) {
                // Yahoo, Zoho, Exchange 5.5 and James write the address in
                // the name's place when they have no name for it.
                Some(RecordedRdns::Address(written.to_string()))
            } else {
                rdns_from_host()
            }
        }
        (_, Some(Source::BareBracket)) if exim || helo_stated => rdns_from_host(),
        _ => None,
    };
    // qmail's "(HELO x)" form with the host word "unknown" and no address comment name.
    if field.rdns.is_none()
        && has_greeting_comment
        && host_name.is_some_and(|h| h.eq_ignore_ascii_case("unknown"))
    {
        field.rdns = Some(RecordedRdns::Unknown);
    }
}

/// Why a field records no relay, or `None` when it records one.
fn local_reason(
    top: &[Token<'_>],
    lower: &str,
    field: &Field,
    starts_with_from: bool,
) -> Option<(LocalFieldKind, String)> {
    if lower.contains("from userid") || lower.contains("/submit)") {
        return Some((
            LocalFieldKind::LocalSubmission,
            "local submission by a program on the server (from userid / sendmail submit)".into(),
        ));
    }
    let first_is_comment = matches!(top.first(), Some(Token::Comment(_)));
    if first_is_comment {
        if lower.contains("invoked by uid") || lower.contains("invoked by alias") {
            return Some((
                LocalFieldKind::LocalSubmission,
                "qmail local injection (invoked by uid): a program on the server handed the message to qmail"
                    .into(),
            ));
        }
        if lower.contains("invoked from network") {
            return Some((
                LocalFieldKind::QueueHandover,
                "qmail queue hand-over (invoked from network): the relay itself is recorded in the neighbouring field"
                    .into(),
            ));
        }
        return Some((
            LocalFieldKind::CommentOnly,
            "the field holds only a comment and names no client".into(),
        ));
    }
    if lower.contains("mail pickup service") {
        return Some((
            LocalFieldKind::LocalSubmission,
            "Exchange pickup service: the message was dropped into the server's pickup folder"
                .into(),
        ));
    }
    if lower.contains("(fetchmail") || lower.contains("(getmail") {
        return Some((
            LocalFieldKind::Retrieval,
            "fetched from a mailbox by fetchmail/getmail (a download, not a relay)".into(),
        ));
    }
    let with_upper = field.with.as_deref().map(str::to_ascii_uppercase);
    if matches!(
        with_upper.as_deref(),
        Some("POP3" | "IMAP" | "POP" | "IMAPS" | "POP3S")
    ) {
        return Some((
            LocalFieldKind::Retrieval,
            "retrieved from a mailbox over POP3/IMAP (a download, not a relay)".into(),
        ));
    }
    let words_top = words(top);
    let by_uid = words_top.windows(2).any(
        |p| matches!(p, [a, b] if a.eq_ignore_ascii_case("by") && b.eq_ignore_ascii_case("uid")),
    );
    const SCANNERS: [&str; 7] = [
        "qmail-scanner",
        "spamassassin",
        "amavis",
        "mimedefang",
        "clamsmtp",
        "spamd",
        "mailscanner",
    ];
    let with_lower = field.with.as_deref().unwrap_or("").to_ascii_lowercase();
    let loopback = field.ip.is_some_and(|ip| ip.is_loopback());
    let scanner_named = SCANNERS
        .iter()
        .find(|s| with_lower.starts_with(*s))
        .or_else(|| {
            // A scanner named in the by part, on a loopback hand-off:
            // "by localhost (amavisd-new, port 10024)".
            (loopback || field.ip.is_none())
                .then(|| SCANNERS.iter().find(|s| lower.contains(&format!("({s}"))))
                .flatten()
        });
    if by_uid || scanner_named.is_some() {
        let name = scanner_named.copied().unwrap_or("qmail-scanner");
        return Some((
            LocalFieldKind::ContentScanner,
            format!(
                "content scanner ({name}): the message passed through a filter on the same server"
            ),
        ));
    }
    if let Some(w) = &with_upper {
        if (w.starts_with("LMTP") || w.starts_with("UTF8LMTP")) && (field.ip.is_none() || loopback)
        {
            return Some((
                LocalFieldKind::LocalDelivery,
                "local delivery to the mailbox (LMTP)".into(),
            ));
        }
        if w.starts_with("LOCAL") || w == "STDIN" || w == "BSMTP" || w == "UUCP" || w == "SENDMAIL"
        {
            return Some((
                LocalFieldKind::LocalSubmission,
                format!(
                    "local submission on the server (with {})",
                    field.with.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    if field.ip.is_none() {
        if !starts_with_from {
            return Some((
                LocalFieldKind::NoClient,
                "records only the receiving host: no client is named".into(),
            ));
        }
        let host = field.from_host.as_deref().unwrap_or("");
        if host.eq_ignore_ascii_case("localhost") || lower.contains("@localhost)") {
            return Some((
                LocalFieldKind::LocalSubmission,
                "local submission (localhost, no network client)".into(),
            ));
        }
        if is_web_protocol(field.with.as_deref()) {
            return Some((
                LocalFieldKind::NoClientAddress,
                "webmail submission that records no client address".into(),
            ));
        }
        return Some((
            LocalFieldKind::NoClientAddress,
            "records no client IP address, so the message cannot be traced through it".into(),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn v4(a: u8, b: u8, c: u8, d: u8) -> Option<IpAddr> {
        Some(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
    }

    #[test]
    fn tokenizer_nests_and_survives_junk() {
        let t = tokenize("from a (b [1.2.3.4] (may be forged)) by c; date");
        assert_eq!(t.len(), 7);
        for junk in [
            "(((((((((((((((((((((((((((",
            ")))))))",
            "\"unclosed",
            "from (",
            ";;;;",
            "é(ü)\"ö\"",
        ] {
            let _ = tokenize(junk);
            let _ = parse_field(junk);
        }
        let deep = "(".repeat(10_000) + &")".repeat(10_000);
        let _ = parse_field(&deep);
    }

    /// Random fields built from the pieces real ones are made of: nothing panics.
    #[test]
    fn random_fields_do_not_panic() {
        const PIECES: [&str; 47] = [
            "\"EHLO",
            "proxying",
            "( ",
            "name(",
            "[unknown]",
            "(from",
            "[192.0.2.1 ]",
            "from",
            "by",
            "with",
            "id",
            "for",
            "via",
            "(",
            ")",
            "((",
            "))",
            "[",
            "]",
            ";",
            "\"",
            "[192.0.2.1]",
            "[IPv6:2001:db8::1]",
            "::ffff:",
            "1.2.3.4.5",
            "helo=",
            "HELO",
            "(account",
            "AUTH:",
            "using",
            "TLSv1.3",
            "version=",
            "cipher=",
            "envelope-from",
            "<a@b>",
            "<",
            ">",
            "@",
            "=",
            ":",
            ",",
            "Tue, 1 Jul 2025 10:00:00 +0000",
            "2025-07-01 10:00:00.1 +0000 UTC m=+1",
            "é",
            "\u{1F600}",
            "localhost",
            "LMTP",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3000 {
            let mut field = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let piece = PIECES
                    .get((state % PIECES.len() as u64) as usize)
                    .copied()
                    .unwrap_or("");
                field.push_str(piece);
                if !state.is_multiple_of(3) {
                    field.push(' ');
                }
            }
            let _ = parse_field(&field);
        }
    }

    #[test]
    fn ip_forms() {
        assert_eq!(parse_ip_loose("[192.0.2.1]"), v4(192, 0, 2, 1));
        assert_eq!(parse_ip_loose("[192.0.2.1]:25"), v4(192, 0, 2, 1));
        assert_eq!(parse_ip_loose("192.0.2.1:25"), v4(192, 0, 2, 1));
        assert_eq!(parse_ip_loose("192.0.2.1.63559"), v4(192, 0, 2, 1));
        assert_eq!(parse_ip_loose("[::ffff:192.0.2.1]"), v4(192, 0, 2, 1));
        assert_eq!(
            parse_ip_loose("[IPv6:2001:db8::25]"),
            Some(IpAddr::V6(
                "2001:db8::25"
                    .parse::<Ipv6Addr>()
                    .unwrap_or(Ipv6Addr::LOCALHOST)
            ))
        );
        assert_eq!(parse_ip_loose("mail.example.com"), None);
        assert_eq!(parse_ip_loose("[Masked]"), None);
        assert_eq!(parse_ip_loose("0"), None);
    }

    #[test]
    fn tls_forms() {
        let cases = [
            (
                "from a.example (a.example [192.0.2.1]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256) (No client certificate requested) by mx.example.net (Postfix) with ESMTPS id 4X; Tue, 1 Jul 2025 10:00:00 +0000",
                Some("TLSv1.3"),
                Some("TLS_AES_256_GCM_SHA384"),
            ),
            (
                "from mail.example.org (203.0.113.7) by BN2PEPF000044A9.mail.protection.outlook.com (10.167.243.160) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7918.13 via Frontend Transport; Thu, 12 Sep 2024 10:15:23 +0000",
                Some("TLSv1.2"),
                Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            ),
            (
                "from mail.example.com (mail.example.com. [203.0.113.5]) by mx.google.com with ESMTPS id x for <u@gmail.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Thu, 12 Sep 2024 03:15:20 -0700 (PDT)",
                Some("TLSv1.3"),
                Some("TLS_AES_256_GCM_SHA384"),
            ),
            (
                "from a.example ([192.0.2.1]) by b.example with esmtps (TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256) (Exim 4.92) id 1abc-0001; Tue, 1 Jul 2025 10:00:00 +0000",
                Some("TLSv1.2"),
                Some("ECDHE-RSA-AES256-GCM-SHA384"),
            ),
            (
                "from a.example ([192.0.2.1]) by b.example with esmtps  (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.94.2) (envelope-from <a@a.example>) id 1abc-0001; Tue, 1 Jul 2025 10:00:00 +0000",
                Some("TLSv1.3"),
                Some("TLS_AES_256_GCM_SHA384"),
            ),
            (
                "from a.example (a.example [192.0.2.1]) (version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT) by b.example (8.15.2/8.15.2) with ESMTPS id 5X; Tue, 1 Jul 2025 10:00:00 +0000",
                Some("TLSv1.2"),
                Some("ECDHE-RSA-AES256-GCM-SHA384"),
            ),
            (
                "from gorkcomputer (my.dns.example [192.0.2.4]) (AUTH: LOGIN gork@example.com, SSL: TLSv1/SSLv3,128bits,RC4-MD5) by example.com with esmtp; Thu, 10 Nov 2005 08:24:21 -0600",
                Some("TLSv1.0"),
                Some("RC4-MD5"),
            ),
            (
                "from a.example ([192.0.2.1]) by b.example with ESMTPS id 9; Tue, 1 Jul 2025 10:00:00 +0000",
                None,
                None,
            ),
            (
                "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a1 for <u@gmail.com> (Google Transport Security); Thu, 12 Sep 2024 03:15:21 -0700 (PDT)",
                None,
                None,
            ),
        ];
        for (value, version, cipher) in cases {
            let f = parse_field(value);
            let tls = f.tls.unwrap_or_else(|| panic!("no TLS in {value}"));
            assert_eq!(tls.version.as_deref(), version, "{value}");
            assert_eq!(tls.cipher.as_deref(), cipher, "{value}");
        }
        let qmail = parse_field(
            "from mx.example.com (HELO mx.example.com) (198.51.100.210) by mail.example.net with ESMTPS (ECDHE-RSA-AES256-GCM-SHA384 encrypted); 1 Jul 2025 20:00:03 -0000",
        );
        assert_eq!(
            qmail.tls.and_then(|t| t.cipher).as_deref(),
            Some("ECDHE-RSA-AES256-GCM-SHA384")
        );
        let plain = parse_field(
            "from a.example (a.example [192.0.2.1]) by b.example (Postfix) with ESMTP id 1; Tue, 1 Jul 2025 10:00:00 +0000",
        );
        assert_eq!(plain.tls, None);
    }

    #[test]
    fn auth_forms() {
        let cases = [
            (
                "from a ([192.0.2.1]) by b.example with ESMTPSA id 1; Tue, 1 Jul 2025 10:00:00 +0000",
                "ESMTPSA",
            ),
            (
                "from a ([192.0.2.1]) by b.example with ESMTPA id 1; Tue, 1 Jul 2025 10:00:00 +0000",
                "ESMTPA",
            ),
            (
                "from [192.168.1.5] (unknown [198.51.100.9]) (Authenticated sender: alice@example.org) by smtp.example.org (Postfix) with ESMTPSA id 1; Tue, 1 Jul 2025 10:00:00 +0000",
                "Authenticated sender: alice@example.org",
            ),
            (
                "from laptop (dsl.example.net [198.51.100.9]) (authenticated bits=0) by smtp.example.org (8.15.2/8.15.2) with ESMTP id 1; Tue, 1 Jul 2025 10:00:00 +0000",
                "authenticated bits=0",
            ),
            (
                "from [198.51.100.9] (account alice@example.org HELO laptop) by mail.example.org (CommuniGate Pro SMTP 6.3) with ESMTPSA id 1; Tue, 1 Jul 2025 10:00:00 +0000",
                "account alice@example.org",
            ),
            (
                "from 198.51.100.9 by webmail.example.org with HTTP; Tue, 1 Jul 2025 10:00:00 +0000",
                "HTTP (webmail)",
            ),
            (
                "from a1200 ([198.51.100.4]) (AUTH: LOGIN mitch@example.com) by bigass1.example.com with esmtp; Tue, 06 Jan 2004 23:56:09 +0000",
                "AUTH: LOGIN mitch@example.com",
            ),
        ];
        for (value, expected) in cases {
            let f = parse_field(value);
            let auth = f.authenticated.unwrap_or_default();
            assert!(auth.contains(expected), "{value}: {auth}");
        }
        let plain = parse_field(
            "from a.example (a.example [192.0.2.1]) (Client did not present a certificate) by b.example (Postfix) with ESMTPS id 1; Tue, 1 Jul 2025 10:00:00 +0000",
        );
        assert_eq!(plain.authenticated, None);
    }

    #[test]
    fn no_relay_forms() {
        let cases = [
            (
                "(qmail 10681 invoked by uid 404); 14 Nov 2003 08:05:52 -0000",
                "local-submission",
            ),
            (
                "(qmail 84907 invoked from network); 13 Feb 2003 20:59:28 -0000",
                "queue-handover",
            ),
            (
                "from mail pickup service by hotmail.com with Microsoft SMTPSVC; Tue, 16 Mar 2004 18:12:31 -0800",
                "local-submission",
            ),
            (
                "from localhost [127.0.0.1] by localhost with IMAP (fetchmail-6.2.4) for u@localhost (single-drop); Mon, 08 Mar 2004 16:02:50 -0800 (PST)",
                "retrieval",
            ),
            (
                "from advertisement@example.net by blazing.example.org by uid 502 with qmail-scanner-1.20 (clamuko: 0.65. Clear:RC:0(192.0.2.10):. Processed in 0.2 secs); 03 Mar 2004 20:34:39 -0000",
                "content-scanner",
            ),
            (
                "from localhost by spike.example.com with SpamAssassin (version 3.0.2); Thu, 17 Aug 2006 08:21:10 +1000",
                "content-scanner",
            ),
            (
                "from mail.example.org ([127.0.0.1]) by localhost (mail.example.org [127.0.0.1]) (amavisd-new, port 10024) with ESMTP id a1; Tue, 1 Jul 2025 10:00:01 +0000",
                "content-scanner",
            ),
            (
                "from mail.example.org by imap.example.org with LMTP id x for <u@example.org>; Tue, 1 Jul 2025 10:00:01 +0000",
                "local-delivery",
            ),
            (
                "from mail.example.org ([127.0.0.1]) by imap.example.org (Cyrus v3) with LMTPA; Tue, 1 Jul 2025 10:00:01 +0000",
                "local-delivery",
            ),
            (
                "by mail.example.org (Postfix, from userid 1000) id 4ABC; Tue, 1 Jul 2025 10:00:00 +0000",
                "local-submission",
            ),
            (
                "by 2002:a05:6a10:a78c:b0:4c5:d5a4:8f10 with SMTP id jz12csp1234567pxb; Thu, 12 Sep 2024 03:15:22 -0700 (PDT)",
                "no-client",
            ),
            (
                "from andrew by trinity.example.net with local (Exim 4.12) id 18xeL6-000Dn1-00; Tue, 25 Mar 2003 02:39:00 +0000",
                "local-submission",
            ),
            (
                "from lin6410.example.com by CSKMAIL1; 29 Aug 2006 11:02:05 -0700",
                "no-client-address",
            ),
        ];
        for (value, kind) in cases {
            let f = parse_field(value);
            assert_eq!(
                f.local.as_ref().map(|l| l.0.as_str()),
                Some(kind),
                "{value}: {:?}",
                f.local
            );
        }
        // An LMTP hand-off between hosts does record a relay.
        let f = parse_field(
            "from mail1-backend.example.com (LHLO mail2-backend.example.com) (10.2.2.20) by mail3-backend.example.com with LMTP; Thu, 18 Jun 2015 16:50:56 -0700 (PDT)",
        );
        assert_eq!(f.local, None);
        assert_eq!(f.ip, v4(10, 2, 2, 20));
    }

    #[test]
    fn from_forms() {
        let f = parse_field(
            "from mail.example.com (mail.example.com. [203.0.113.5]) by mx.google.com with ESMTPS id x; Thu, 12 Sep 2024 03:15:20 -0700 (PDT)",
        );
        assert_eq!(f.helo.as_deref(), Some("mail.example.com"));
        assert_eq!(f.ip, v4(203, 0, 113, 5));
        assert_eq!(f.rdns, Some(RecordedRdns::Name("mail.example.com".into())));
        assert_eq!(f.by.as_deref(), Some("mx.google.com"));
        assert_eq!(f.time, Some(1_726_136_120));

        let f = parse_field(
            "from email.example (unknown [198.51.100.3]) by mx.example.net (Postfix) with ESMTP id 33DC; Mon,  1 Mar 2004 01:09:44 -0500 (EST)",
        );
        assert_eq!(f.rdns, Some(RecordedRdns::Unknown));
        assert_eq!(f.helo.as_deref(), Some("email.example"));

        let f = parse_field(
            "from mail.example.org (203.0.113.7) by BN2PEPF000044A9.mail.protection.outlook.com (10.167.243.160) with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.7918.13 via Frontend Transport; Thu, 12 Sep 2024 10:15:23 +0000",
        );
        assert_eq!(f.helo.as_deref(), Some("mail.example.org"));
        assert_eq!(f.rdns, None);
        assert_eq!(f.with.as_deref(), Some("Microsoft SMTP Server"));

        let f = parse_field(
            "from [192.0.2.77] (helo=laptop.example) by mx.example.net with esmtp (Exim 4.96) (envelope-from <a@example.org>) id 1qX-000; Tue, 1 Jul 2025 10:00:00 +0000",
        );
        assert_eq!(f.ip, v4(192, 0, 2, 77));
        assert_eq!(f.helo.as_deref(), Some("laptop.example"));
        assert_eq!(f.rdns, None);
        assert_eq!(f.envelope_from.as_deref(), Some("a@example.org"));

        // The address literal a client greets with is its claim, not its
        // address: CommuniGate writes it after HELO in the account comment.
        let f = parse_field(
            "from [203.0.113.9] (account alice@example.org HELO [192.168.1.20]) by mail.example.org (CommuniGate Pro SMTP 6.3) with ESMTPSA id 1; Tue, 1 Jul 2025 10:00:00 +0000",
        );
        assert_eq!(f.ip, v4(203, 0, 113, 9));
        assert_eq!(f.helo.as_deref(), Some("[192.168.1.20]"));
        assert_eq!(f.rdns, None);
        let f = parse_field(
            "from smtp.example.com(198.51.100.8, HELO [10.1.1.1]) by x.example.org via smap (V1.3) id xma1; Fri, 27 Feb 04 14:16:56 -0800",
        );
        assert_eq!(f.ip, v4(198, 51, 100, 8));
        assert_eq!(f.helo.as_deref(), Some("[10.1.1.1]"));
    }
}
