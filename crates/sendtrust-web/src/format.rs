//! Pure display helpers: no DOM, no signals, so they are unit-tested natively.
//!
//! Nothing here judges a message — verdicts, reasons and evidence all come from
//! the engine's [`Report`](sendtrust::Report). These only turn report values
//! into short strings and pick presets.

use sendtrust::Verdict;
use sendtrust::dns::{DohUrl, DohUrlError, Provider, ProviderValue, check_doh_url};
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
        // `shown` is in order: put `k` in its place (no sort linked for one item).
        let at = shown.partition_point(|i| *i < k);
        shown.insert(at, k);
    }
    shown
}

/// Size in bytes for people: `812 B`, `12.4 KB`, `3.1 MB`.
pub fn size(bytes: f64) -> String {
    if bytes < 1024.0 {
        format!("{} B", fixed(bytes, 0))
    } else if bytes < 1024.0 * 1024.0 {
        format!("{} KB", fixed(bytes / 1024.0, 1))
    } else {
        format!("{} MB", fixed(bytes / (1024.0 * 1024.0), 1))
    }
}

/// A number as Rust's `{}` writes an `f64` (SVG coordinates and sizes,
/// scores). In the wasm the digits are the browser's
/// (`Number.prototype.toString`: the same shortest digits that read back as
/// the same number), laid out as Rust does, so the UI wasm links no float
/// formatting (about 13 KB raw); natively Rust's own.
#[cfg(target_arch = "wasm32")]
pub fn num(x: f64) -> String {
    let js = js_sys::Number::from(x)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default();
    display_from_js(&js, x.is_sign_negative())
}

/// Natively (tests, the shell's render) Rust's own.
#[cfg(not(target_arch = "wasm32"))]
pub fn num(x: f64) -> String {
    format!("{x}")
}

/// JavaScript's text of a number in Rust's `Display` layout: `inf` for
/// `Infinity`, `-0` for negative zero, and no exponent (JavaScript writes
/// `1e+21` and `1e-7` where Rust writes all the digits).
#[cfg(any(target_arch = "wasm32", test))]
fn display_from_js(js: &str, negative: bool) -> String {
    match js {
        "Infinity" => return "inf".into(),
        "-Infinity" => return "-inf".into(),
        "0" if negative => return "-0".into(),
        _ => {}
    }
    let Some((mantissa, exponent)) = js.split_once('e') else {
        return js.to_string();
    };
    let Ok(exponent) = exponent.parse::<i64>() else {
        return js.to_string();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let whole = mantissa.find('.').unwrap_or(mantissa.len()) as i64;
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let point = whole + exponent;
    let len = digits.len() as i64;
    if point >= len {
        format!("{sign}{digits}{}", "0".repeat((point - len) as usize))
    } else if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{sign}{int}.{frac}")
    }
}

/// A number as Rust's `{:.N$}` writes an `f64` with `decimals` decimals
/// (≤ 3): the exact value rounded half to even, by integer arithmetic on the
/// double, so the UI wasm links no float formatting.
pub fn fixed(x: f64, decimals: u32) -> String {
    let sign = if x.is_sign_negative() && !x.is_nan() {
        "-"
    } else {
        ""
    };
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    };
    let scale = 10u128.pow(decimals);
    let places = decimals as usize;
    if exponent >= 0 {
        // A whole number: mantissa · 2^exponent, then the zero decimals.
        let whole = whole_digits(mantissa, exponent as u32);
        return match places {
            0 => format!("{sign}{whole}"),
            _ => format!("{sign}{whole}.{}", "0".repeat(places)),
        };
    }
    let shift = (-exponent) as u32;
    let scaled = u128::from(mantissa) * scale;
    // mantissa · scale < 2^63: past a 100-bit shift the value is far below
    // half a unit of the last decimal.
    let units = if shift > 100 {
        0
    } else {
        let quotient = scaled >> shift;
        let rest = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && quotient % 2 == 1) {
            quotient + 1
        } else {
            quotient
        }
    };
    match places {
        0 => format!("{sign}{units}"),
        _ => format!(
            "{sign}{}.{:0places$}",
            units / scale,
            units % scale,
            places = places
        ),
    }
}

/// `mantissa · 2^exponent` in decimal (a whole number of up to 309 digits).
fn whole_digits(mantissa: u64, exponent: u32) -> String {
    if exponent <= 64 {
        return (u128::from(mantissa) << exponent).to_string();
    }
    // Base 10^9 limbs, least significant first, doubled `exponent` times.
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![
        mantissa % BASE,
        mantissa / BASE % BASE,
        mantissa / BASE / BASE,
    ];
    for _ in 0..exponent {
        let mut carry = 0;
        for limb in &mut limbs {
            let doubled = *limb * 2 + carry;
            *limb = doubled % BASE;
            carry = doubled / BASE;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut text = limbs.last().map(u64::to_string).unwrap_or_default();
    for limb in limbs.iter().rev().skip(1) {
        text.push_str(&format!("{limb:09}"));
    }
    text
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
        match ProviderValue::parse(value).map_err(|e| sentence(&e))? {
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

/// The host and port of a URL, for display.
pub fn host_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
}

/// Checks a DoH URL typed by the user or given with `?doh=`: the engine's one
/// rule ([`check_doh_url`](sendtrust::dns::check_doh_url): https, or http on
/// loopback only), plus what this page's browser policy can reach.
pub fn validate_doh_url(url: &str) -> Result<(), String> {
    let url = check_doh_url(url).map_err(|e| sentence(&e))?;
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
    #[test]
    fn fixed_decimals_are_rusts_to_the_digit() {
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.25,
            0.35,
            1.25,
            1.35,
            2.5,
            0.5,
            1.5,
            -0.04,
            -1.25,
            12.75,
            1023.4999,
            123_456_789.95,
            4_503_599_627_370_497.0,
            1e22,
            1.7e308,
            5e-324,
            1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            306.0 + 500.0 / 3.0,
            1_536.0 / 1024.0,
            1_280.0 / 1024.0,
            25.0 * 1024.0 * 1024.0 / 1_048_576.0,
        ];
        // Layout-like values: many ties and near-ties.
        values.extend((0..2000).map(|i| f64::from(i) * 0.05 - 20.0));
        values.extend((1..500).map(|i| 500.0 / f64::from(i) * 7.3));
        for x in values {
            for d in 0..=3 {
                assert_eq!(fixed(x, d), format!("{x:.*}", d as usize), "{x:e} to {d}");
            }
        }
        assert_eq!(fixed(f64::NAN, 1), format!("{:.1}", f64::NAN));
        assert_eq!(fixed(f64::INFINITY, 1), format!("{:.1}", f64::INFINITY));
        assert_eq!(
            fixed(f64::NEG_INFINITY, 0),
            format!("{:.0}", f64::NEG_INFINITY)
        );
    }

    #[test]
    fn javascripts_number_text_is_laid_out_as_rusts() {
        // (what `Number.prototype.toString` gives, the number)
        for (js, x) in [
            ("1e+21", 1e21),
            ("1.5e+300", 1.5e300),
            ("-2.5e+22", -2.5e22),
            ("1e-7", 1e-7),
            ("1.234e-10", 1.234e-10),
            ("-5e-324", -5e-324),
            ("123.456", 123.456),
            ("0.1", 0.1),
            ("5", 5.0),
            ("0", 0.0),
            ("0", -0.0),
            ("NaN", f64::NAN),
            ("Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            assert_eq!(
                display_from_js(js, x.is_sign_negative()),
                format!("{x}"),
                "{js}"
            );
        }
    }

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
        assert_eq!(shown_indices(10, 2, 3, Some(2)), [0, 1, 2, 7, 8, 9]);
        assert_eq!(shown_indices(10, 2, 3, Some(6)), [0, 1, 6, 7, 8, 9]);
        assert_eq!(shown_indices(10, 2, 3, Some(8)), [0, 1, 7, 8, 9]);
        assert_eq!(shown_indices(50_001, 25, 150, Some(50_000)).len(), 175);
    }

    #[test]
    fn sizes() {
        assert_eq!(size(812.0), "812 B");
        assert_eq!(size(12_700.0), "12.4 KB");
    }
}
