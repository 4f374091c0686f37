//! Pure display helpers: no DOM, no signals, so they are unit-tested natively.
//!
//! Nothing here judges a message — verdicts, reasons and evidence all come from
//! the engine's [`Report`](sendtrust::Report). These only turn report values
//! into short strings and pick presets.

use sendtrust::Verdict;
use sendtrust::dns::{DohUrl, DohUrlError, Provider, ProviderValue, UrlParts, check_doh_url_with};
use sendtrust::report::{DnsLogEntry, RecordedRdns, TlsInfo};

/// Icon and label for a verdict (the icon is decorative; the label is read out).
pub fn verdict_label(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Pass => ("✓", "Pass"),
        Verdict::Warn => ("!", "Warning"),
        Verdict::Fail => ("✗", "Fail"),
        Verdict::Unknown => ("?", "Unknown"),
        Verdict::NotApplicable => ("–", "Not applicable"),
    }
}

/// A delay between hops for people: `4 s`, `2 min 5 s`, `1 h 3 min`, `2 d 4 h`.
/// Negative delays are clock skew and keep their sign.
pub fn delay(seconds: i64) -> String {
    let sign = if seconds < 0 { "−" } else { "" };
    let s = seconds.unsigned_abs();
    let text = if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        match s % 60 {
            0 => format!("{} min", s / 60),
            r => format!("{} min {r} s", s / 60),
        }
    } else if s < 86_400 {
        match (s % 3600) / 60 {
            0 => format!("{} h", s / 3600),
            m => format!("{} h {m} min", s / 3600),
        }
    } else {
        match (s % 86_400) / 3600 {
            0 => format!("{} d", s / 86_400),
            h => format!("{} d {h} h", s / 86_400),
        }
    };
    format!("{sign}{text}")
}

/// The recorded reverse name, or a word saying there was none.
pub fn rdns(rdns: &Option<RecordedRdns>) -> String {
    match rdns {
        Some(RecordedRdns::Name(name)) => name.clone(),
        Some(RecordedRdns::Unknown) => "unknown (lookup gave nothing)".to_string(),
        Some(RecordedRdns::Address(written)) => format!("not recorded ({written} in its place)"),
        None => "not recorded".to_string(),
    }
}

/// TLS for one hop as (protocol, cipher): `("TLSv1.3", Some("TLS_AES_…"))`,
/// `("TLS", None)` when only implied, `("none recorded", None)` without TLS.
pub fn tls(tls: &Option<TlsInfo>) -> (String, Option<String>) {
    match tls {
        None => ("none recorded".to_string(), None),
        Some(TlsInfo { version, cipher }) => (
            version.clone().unwrap_or_else(|| "TLS".to_string()),
            cipher.clone(),
        ),
    }
}

/// An RFC 3339 UTC time as (`2025-11-18`, `Some("09:14:07 UTC")`); anything
/// else as (unchanged, `None`).
pub fn time_parts(rfc3339: &str) -> (String, Option<String>) {
    let b = rfc3339.as_bytes();
    let looks_rfc3339 = b.len() >= 20 && b[4] == b'-' && b[10] == b'T' && b[13] == b':';
    match (looks_rfc3339, rfc3339.get(..10), rfc3339.get(11..19)) {
        (true, Some(date), Some(clock)) if rfc3339.ends_with('Z') => {
            (date.to_string(), Some(format!("{clock} UTC")))
        }
        _ => (rfc3339.to_string(), None),
    }
}

/// An RFC 3339 UTC time as `2025-11-18 09:14:07 UTC`; anything else unchanged.
pub fn time(rfc3339: &str) -> String {
    match time_parts(rfc3339) {
        (date, Some(clock)) => format!("{date} {clock}"),
        (raw, None) => raw,
    }
}

/// Longest text shown for one value; hostile messages carry megabyte fields.
pub const MAX_SHOWN_CHARS: usize = 2_000;

/// `text` cut to `max` characters, saying how much was left out.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let rest = text[cut..].chars().count();
            format!("{}… ({rest} more characters not shown)", &text[..cut])
        }
    }
}

/// Which of `count` items to show when there are too many: the first `head`,
/// the last `tail`, and `keep` (e.g. the hand-off hop), in order. Returns the
/// indices; gaps between consecutive indices are items left out.
pub fn shown_indices(count: usize, head: usize, tail: usize, keep: Option<usize>) -> Vec<usize> {
    if count <= head + tail {
        return (0..count).collect();
    }
    let mut shown: Vec<usize> = (0..head).chain(count - tail..count).collect();
    if let Some(k) = keep.filter(|k| *k < count && !shown.contains(k)) {
        shown.push(k);
        shown.sort_unstable();
    }
    shown
}

/// Size in bytes for people: `812 B`, `12.4 KB`, `3.1 MB`.
pub fn size(bytes: f64) -> String {
    if bytes < 1024.0 {
        format!("{bytes:.0} B")
    } else if bytes < 1024.0 * 1024.0 {
        format!("{:.1} KB", bytes / 1024.0)
    } else {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    }
}

/// True when the question went to the provider (answers served from the
/// cache, offline and invalid names were not sent).
pub fn was_sent(entry: &DnsLogEntry) -> bool {
    entry.attempts > 0 && !entry.cached
}

/// What the user chose (or the page address asked for) as DNS provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderChoice {
    /// One of [`PROVIDERS`](sendtrust::dns::PROVIDERS).
    Preset(&'static Provider),
    /// A DoH URL typed by the user or given with `?doh=`.
    Custom(String),
}

impl ProviderChoice {
    /// Reads a stored or `?doh=` value: a preset id, or a DoH URL (a URL equal to
    /// a wire-format preset's URL selects that preset).
    pub fn parse(value: &str) -> Result<ProviderChoice, String> {
        match ProviderValue::parse_with(value, url_parts).map_err(|e| sentence(&e))? {
            ProviderValue::Preset(p) => Ok(ProviderChoice::Preset(p)),
            ProviderValue::Url(url) => {
                page_can_reach(&url)?;
                Ok(ProviderChoice::Custom(url.url))
            }
        }
    }

    /// The value to store (`cloudflare`, or the URL).
    pub fn storage_value(&self) -> String {
        match self {
            ProviderChoice::Preset(p) => p.id.to_string(),
            ProviderChoice::Custom(url) => url.clone(),
        }
    }

    /// The provider's name for people (a custom URL is shown by its host).
    pub fn display_name(&self) -> String {
        match self {
            ProviderChoice::Preset(p) => p.name.to_string(),
            ProviderChoice::Custom(url) if url.trim().is_empty() => {
                "Your custom provider".to_string()
            }
            ProviderChoice::Custom(url) => host_of(url).unwrap_or(url).to_string(),
        }
    }
}

/// A URL as the browser's own parser reads it (the WHATWG URL Standard, as
/// the `url` crate the engine uses natively): the page does not link that
/// crate and its IDNA tables (about 25 KB brotli of the UI wasm).
#[cfg(target_arch = "wasm32")]
fn url_parts(value: &str) -> Option<UrlParts> {
    let url = web_sys::Url::new(value).ok()?;
    Some(UrlParts {
        scheme: url.protocol().trim_end_matches(':').to_ascii_lowercase(),
        host: url.hostname(),
        credentials: !url.username().is_empty() || !url.password().is_empty(),
    })
}

/// Natively (tests, the shell's render) the engine's own parser.
#[cfg(not(target_arch = "wasm32"))]
fn url_parts(value: &str) -> Option<UrlParts> {
    sendtrust::dns::url_parts(value)
}

/// A name as typed, normalised as the engine does
/// ([`normalize_name`](sendtrust::dns::normalize_name): lowercase, no
/// trailing dot, A-labels), its internationalised labels converted by the
/// browser ([`label_to_ascii`]) instead of the `idna` crate and its tables.
#[cfg(target_arch = "wasm32")]
pub fn normalize_name(typed: &str) -> String {
    sendtrust::dns::normalize_name_with(typed, label_to_ascii)
}

/// Natively (tests, the shell's render) the engine's own function.
#[cfg(not(target_arch = "wasm32"))]
pub fn normalize_name(typed: &str) -> String {
    sendtrust::dns::normalize_name(typed)
}

/// One internationalised label in A-labels (`bücher` → `xn--bcher-kva`), by
/// the browser's UTS 46 conversion of URL hosts — the processing of the
/// `idna` crate the engine uses natively (non-transitional, no STD3 rules).
/// `None` when it does not convert. An ASCII character other than a letter,
/// digit, `-` or `_` would be read as URL syntax (or refused in a host), so
/// such a label is not converted at all: no zone name can hold one anyway.
#[cfg(target_arch = "wasm32")]
fn label_to_ascii(label: &str) -> Option<String> {
    if label
        .bytes()
        .any(|b| b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        return None;
    }
    // A last label of letters keeps the URL parser from reading a numeric
    // label as an IPv4 address.
    let url = web_sys::Url::new(&format!("http://{label}.invalid/")).ok()?;
    url.hostname().strip_suffix(".invalid").map(str::to_string)
}

/// The host and port of a URL, for display.
pub fn host_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
}

/// Checks a DoH URL typed by the user or given with `?doh=`: the engine's one
/// rule ([`check_doh_url`](sendtrust::dns::check_doh_url): https, or http on
/// loopback only), plus what this page's browser policy can reach.
pub fn validate_doh_url(url: &str) -> Result<(), String> {
    let url = check_doh_url_with(url, url_parts).map_err(|e| sentence(&e))?;
    page_can_reach(&url)
}

/// The page's Content-Security-Policy (scripts/csp.py) allows plain HTTP only
/// as `http://127.0.0.1:*` and `http://localhost:*`: CSP source lists cannot
/// name IPv6 literals, so the browser would block every question to
/// `http://[::1]`. Say so now rather than with "could not check" on every rule.
fn page_can_reach(url: &DohUrl) -> Result<(), String> {
    if !url.https && url.host.starts_with('[') {
        return Err(format!(
            "This page can reach a DoH server on this computer only as http://127.0.0.1 or \
             http://localhost, not {} (the browser's security policy cannot name IPv6 \
             addresses).",
            url.host
        ));
    }
    Ok(())
}

/// The engine's error as a sentence for the page.
fn sentence(error: &DohUrlError) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendtrust::dns::PROVIDERS;

    #[test]
    fn delays_read_naturally() {
        assert_eq!(delay(0), "0 s");
        assert_eq!(delay(59), "59 s");
        assert_eq!(delay(60), "1 min");
        assert_eq!(delay(125), "2 min 5 s");
        assert_eq!(delay(3600 + 180), "1 h 3 min");
        assert_eq!(delay(2 * 86_400 + 4 * 3600 + 5), "2 d 4 h");
        assert_eq!(delay(-30), "−30 s");
    }

    #[test]
    fn times_are_shortened_only_when_rfc3339_utc() {
        assert_eq!(time("2025-11-18T09:14:07Z"), "2025-11-18 09:14:07 UTC");
        assert_eq!(time("Tue, 18 Nov 2025"), "Tue, 18 Nov 2025");
        assert_eq!(time("é"), "é");
        assert_eq!(
            time_parts("2025-11-18T09:14:07Z"),
            ("2025-11-18".to_string(), Some("09:14:07 UTC".to_string()))
        );
        assert_eq!(time_parts("yesterday"), ("yesterday".to_string(), None));
    }

    #[test]
    fn tls_and_rdns_texts() {
        assert_eq!(tls(&None), ("none recorded".to_string(), None));
        let t = TlsInfo {
            version: Some("TLSv1.3".into()),
            cipher: Some("TLS_AES_128_GCM_SHA256".into()),
        };
        assert_eq!(
            tls(&Some(t)),
            (
                "TLSv1.3".to_string(),
                Some("TLS_AES_128_GCM_SHA256".to_string())
            )
        );
        assert_eq!(tls(&Some(TlsInfo::default())), ("TLS".to_string(), None));
        assert_eq!(rdns(&None), "not recorded");
        assert_eq!(
            rdns(&Some(RecordedRdns::Name("mx.samples.test".into()))),
            "mx.samples.test"
        );
    }

    #[test]
    fn provider_values() {
        assert_eq!(
            ProviderChoice::parse("google"),
            Ok(ProviderChoice::Preset(&PROVIDERS[1]))
        );
        // The preset's URL selects the preset; the JSON API URL selects the JSON preset.
        assert_eq!(
            ProviderChoice::parse("https://dns.quad9.net/dns-query"),
            Ok(ProviderChoice::Preset(&PROVIDERS[2]))
        );
        let json = ProviderChoice::parse("https://dns.google/resolve").unwrap();
        assert!(matches!(json, ProviderChoice::Preset(p) if p.id == "google-json"));
        let bench = ProviderChoice::parse("http://127.0.0.1:8053/dns-query").unwrap();
        assert_eq!(
            bench,
            ProviderChoice::Custom("http://127.0.0.1:8053/dns-query".into())
        );
        assert_eq!(bench.display_name(), "127.0.0.1:8053");
        assert_eq!(bench.storage_value(), "http://127.0.0.1:8053/dns-query");
        assert!(ProviderChoice::parse("http://dns.example/dns-query").is_err());
        assert!(ProviderChoice::parse("ftp://dns.example/").is_err());
        assert!(ProviderChoice::parse("nonsense").is_err());
        assert!(ProviderChoice::parse("http://localhost:8053/dns-query").is_ok());
        assert!(ProviderChoice::parse("http://[::1]:53/dns-query").is_err());
        assert!(ProviderChoice::parse("http://127.0.0.1@evil.example/").is_err());
    }

    #[test]
    fn doh_url_errors_are_the_engines_rule_as_sentences() {
        // The engine's one rule decides; the page words it as a sentence.
        let plain = validate_doh_url("http://dns.example/dns-query").unwrap_err();
        assert!(plain.starts_with("Plain http://"), "{plain}");
        assert!(
            plain.contains("dns.example") && plain.ends_with(")."),
            "{plain}"
        );
        assert!(validate_doh_url("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(validate_doh_url("https://dns.example/dns-query").is_ok());
        // Loopback IPv6 passes the engine's rule but not this page's CSP.
        let v6 = validate_doh_url("http://[::1]:8053/dns-query").unwrap_err();
        assert!(
            v6.contains("[::1]") && v6.contains("security policy"),
            "{v6}"
        );
        assert!(validate_doh_url("https://[2001:db8::53]/dns-query").is_ok());
    }

    #[test]
    fn cached_offline_and_invalid_questions_were_not_sent() {
        let entry = |name: &str, cached: bool, attempts: u32| DnsLogEntry {
            name: name.into(),
            qtype: "A".into(),
            status: "NOERROR".into(),
            answers: vec![],
            ms: 1,
            started_ms: 0,
            cached,
            attempts,
            detail: None,
        };
        let log = [
            entry("a.samples.test", false, 1),
            entry("a.samples.test", false, 1),
            entry("b.samples.test", true, 0),
            entry("c.samples.test", false, 0),
            entry("d.samples.test", false, 2),
        ];
        let sent: Vec<&str> = log
            .iter()
            .filter(|e| was_sent(e))
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(sent, ["a.samples.test", "a.samples.test", "d.samples.test"]);
    }

    #[test]
    fn long_values_are_clipped_on_char_boundaries() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("ééééé", 5), "ééééé");
        assert_eq!(clip("éééééé", 5), "ééééé… (1 more characters not shown)");
        let long = "x".repeat(MAX_SHOWN_CHARS + 500);
        assert!(clip(&long, MAX_SHOWN_CHARS).ends_with("(500 more characters not shown)"));
    }

    #[test]
    fn many_items_show_head_tail_and_the_kept_one() {
        assert_eq!(shown_indices(5, 2, 3, None), [0, 1, 2, 3, 4]);
        assert_eq!(shown_indices(10, 2, 3, None), [0, 1, 7, 8, 9]);
        assert_eq!(shown_indices(10, 2, 3, Some(4)), [0, 1, 4, 7, 8, 9]);
        assert_eq!(shown_indices(10, 2, 3, Some(8)), [0, 1, 7, 8, 9]);
        assert_eq!(shown_indices(50_001, 25, 150, Some(50_000)).len(), 175);
    }

    #[test]
    fn sizes() {
        assert_eq!(size(812.0), "812 B");
        assert_eq!(size(12_700.0), "12.4 KB");
    }
}
