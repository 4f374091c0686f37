//! Internationalised domain names: U-labels to A-labels (for DNS) and back
//! (for display), by UTS 46 as the WHATWG URL Standard's "domain to ASCII"
//! runs it (nontransitional; CheckHyphens off; CheckBidi and CheckJoiners
//! on; no length check) — what `idna::domain_to_ascii` does.
//!
//! One interface, two back ends. Natively this is the `idna` crate with its
//! ICU4X data. Both wasm modules ask the browser's URL parser, which runs the
//! same algorithm with the browser's own data: the engine wasm links `idna`
//! without Unicode data (`vendor/idna_adapter`, feature `ascii-only`: 37.7 KB
//! brotli less), and the page's UI wasm links none of it (ARCHITECTURE.md,
//! "The engine wasm's size", IDNA).
//! The glue around the URL parser ([`to_ascii_with`], [`to_unicode_with`]) is
//! pure and tested natively against `idna`, with the `url` crate (WHATWG URL
//! too) standing in for the browser.

use std::borrow::Cow;

/// `domain` with every label in A-label form (lowercase ASCII); `None` when
/// UTS 46 refuses it (disallowed characters, a bad A-label, the Bidi or
/// joiner rules).
pub fn to_ascii(domain: &str) -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    return idna::domain_to_ascii(domain).ok();
    #[cfg(target_arch = "wasm32")]
    return to_ascii_with(domain, browser::host_to_ascii);
}

/// `name` with every `xn--` label decoded, for display; `None` when a label
/// does not decode cleanly (then show the name as it was).
pub fn to_unicode(name: &str) -> Option<String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let (unicode, result) = idna::domain_to_unicode(name);
        result.is_ok().then_some(unicode)
    }
    #[cfg(target_arch = "wasm32")]
    return to_unicode_with(name, browser::host_to_ascii);
}

/// A URL whose host the HTTP client can parse: in the engine wasm, a URL
/// with a non-ASCII host is rewritten by the browser's URL parser (host in
/// A-labels, the rest as the URL Standard serialises it); unchanged elsewhere
/// and when the browser cannot parse it (the client then refuses it).
pub fn parseable_url(url: &str) -> Cow<'_, str> {
    #[cfg(target_arch = "wasm32")]
    if !url.is_ascii()
        && let Some(href) = browser::href(url)
    {
        return Cow::Owned(href);
    }
    Cow::Borrowed(url)
}

/// Characters the URL parser does not carry through a host the way
/// `idna::domain_to_ascii` (which has no deny list) does: it stops the host
/// at `/ ? # \ @ :`, decodes `%` escapes, drops tabs and line breaks, and
/// refuses the other forbidden domain code points.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the wasm modules'; natively tested only
fn url_reads_otherwise(c: char) -> bool {
    matches!(
        c,
        '\0'..=' '
            | '#'
            | '%'
            | '/'
            | ':'
            | '<'
            | '>'
            | '?'
            | '@'
            | '['
            | '\\'
            | ']'
            | '^'
            | '|'
            | '\x7f'
    )
}

/// The label appended while the URL parser converts a name: a host whose last
/// label is a number is read as an IPv4 address, never as a name. An ASCII
/// letter passes every UTS 46 check on its own and, labels being converted
/// one by one, changes nothing in the others (nor the Bidi rule: it is an
/// LTR label, which that rule accepts).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the wasm modules'; natively tested only
const GUARD_LABEL: &str = ".a";

/// [`to_ascii`] with `host_to_ascii` as the URL parser's host reading
/// (`new URL("http://" + host + "/").hostname`, `None` on failure). A name
/// with [`url_reads_otherwise`] characters is returned as it is: `idna` would
/// keep those characters too, so either way the caller gets a name that
/// `validate_name` (letters, digits, `-`, `_`) refuses and that equals another
/// name's only where the two are the same text — never a conversion the
/// browser did not make, never a false match (DKIM and DMARC alignment). Only
/// the refused name's spelling in a reason differs from native (the text as
/// written, not `idna`'s A-label with the character kept).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the wasm modules'; natively tested only
pub(crate) fn to_ascii_with(
    domain: &str,
    host_to_ascii: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    // UTS 46 normalises to NFC, which composes `<` and `>` with a following
    // U+0338 into U+226E and U+226F — the only canonical compositions that
    // start with one of those characters — so such a name is not refused.
    let composed;
    let domain = if domain.contains('\u{338}') {
        composed = domain
            .replace("<\u{338}", "\u{226e}")
            .replace(">\u{338}", "\u{226f}");
        composed.as_str()
    } else {
        domain
    };
    if domain.is_empty() {
        return None;
    }
    if domain.chars().any(url_reads_otherwise) {
        return Some(domain.to_string());
    }
    let host = host_to_ascii(&format!("{domain}{GUARD_LABEL}"))?;
    host.strip_suffix(GUARD_LABEL).map(str::to_string)
}

/// [`to_unicode`] over the same host reading. The browser has no "domain to
/// Unicode"; UTS 46's ToUnicode is ToASCII's mapping and validation with the
/// labels left decoded, so the name is converted to A-labels (which refuses
/// every name ToUnicode refuses) and each `xn--` label is then decoded.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the wasm modules'; natively tested only
pub(crate) fn to_unicode_with(
    name: &str,
    host_to_ascii: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    // Display only: a name no host can have is shown as written.
    if name.chars().any(url_reads_otherwise) {
        return None;
    }
    let ascii = to_ascii_with(name, host_to_ascii)?;
    let labels = ascii
        .split('.')
        .map(|label| match label.strip_prefix("xn--") {
            Some(encoded) => idna::punycode::decode_to_string(encoded),
            None => Some(label.to_string()),
        })
        .collect::<Option<Vec<_>>>()?;
    Some(labels.join("."))
}

#[cfg(target_arch = "wasm32")]
mod browser {
    /// The host of `http://<host>/` as the browser's URL parser reads it.
    pub(super) fn host_to_ascii(host: &str) -> Option<String> {
        web_sys::Url::new(&format!("http://{host}/"))
            .ok()
            .map(|url| url.hostname())
    }

    /// The URL as the browser's URL parser serialises it.
    pub(super) fn href(url: &str) -> Option<String> {
        web_sys::Url::new(url).ok().map(|url| url.href())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WHATWG URL parser's host reading, by the `url` crate: the model of
    /// the browser's that both wasm modules call.
    fn url_host(host: &str) -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://{host}/")).ok()?;
        url.domain().map(str::to_string)
    }

    /// Names UTS 46 converts, maps, or refuses in each way it can.
    const NAMES: &[&str] = &[
        "bücher.example",
        "BÜCHER.Example",
        "sel._domainkey.bücher.idn.test",
        "xn--bcher-kva.example",
        "faß.de",                 // nontransitional: ß stays
        "ｅｘａｍｐｌｅ．ｃｏｍ", // fullwidth letters and full stop map to ASCII
        "例え.テスト",
        "bücher。example", // ideographic full stop
        "bücher.123",      // last label a number: a name here
        "bücher.example.",
        "münchen.0x1f",
        "שלום.example",
        "שלום.123",               // Bidi rule: a digit label in an RTL name
        "a\u{200d}b.example",     // ZWJ outside its allowed context
        "\u{0301}bücher.example", // a label starting with a combining mark
        "xn--bcher-kva.xn--.example",
        "xn--a.example", // decodes to a non-ASCII-free label
        "xn--BCHER-KVA.example",
        "bücher.exa\u{fffd}mple",
        "☃.example",
        "bü cher.example",
        "bü%63her.example",
        "bü/cher.example",
        "bü@cher.example",
        "bü:80.example",
        "bü\tcher.example",
        "bü_cher.example",
        "<\u{0338}.example", // NFC composes it to U+226E
        ">\u{0338}\u{0338}.example",
        "a<\u{0301}.example",
        "",
        ".",
        "bücher..example",
    ];

    #[test]
    fn the_url_parsers_reading_is_idnas_domain_to_ascii() {
        for name in NAMES {
            let idna = idna::domain_to_ascii(name).ok();
            let ours = to_ascii_with(name, url_host);
            if ours == idna || name.is_empty() {
                continue;
            }
            // Otherwise only a name with a character the URL parser reads
            // otherwise, kept as written; every caller refuses it, as it
            // refuses idna's result (the character kept) or refusal.
            assert!(
                name.chars().any(url_reads_otherwise),
                "{name:?}: {ours:?} ≠ {idna:?}"
            );
            assert_eq!(ours.as_deref(), Some(*name));
            assert!(crate::dns::validate_name(name).is_err(), "{name:?}");
            assert!(
                idna.as_deref()
                    .is_none_or(|a| crate::dns::validate_name(a).is_err()),
                "{name:?} → {idna:?} would be sent"
            );
        }
    }

    #[test]
    fn the_url_parsers_reading_gives_idnas_domain_to_unicode() {
        for name in NAMES {
            let (unicode, result) = idna::domain_to_unicode(name);
            let idna = result.is_ok().then_some(unicode);
            let ours = to_unicode_with(name, url_host);
            if name.is_empty() || name.chars().any(url_reads_otherwise) {
                // Display only: the caller shows such a name as written.
                assert_eq!(ours, None, "{name:?}");
            } else {
                assert_eq!(ours, idna, "{name:?}");
            }
        }
    }

    #[test]
    fn a_numeric_last_label_is_still_a_name() {
        assert_eq!(
            url_host("bücher.123"),
            None,
            "the URL parser reads an IPv4 address"
        );
        assert_eq!(
            to_ascii_with("bücher.123", url_host).as_deref(),
            Some("xn--bcher-kva.123")
        );
    }

    #[test]
    fn the_interface_is_idna_natively() {
        assert_eq!(
            to_ascii("Bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(to_ascii("a\u{200d}b.example"), None);
        assert_eq!(
            to_unicode("xn--bcher-kva.example").as_deref(),
            Some("bücher.example")
        );
        assert_eq!(to_unicode("xn--a.example"), None);
        assert_eq!(
            parseable_url("https://bücher.example/q"),
            "https://bücher.example/q"
        );
    }

    /// The names of the shared corpus (also run in the browser): natively
    /// `to_ascii` gives the expected A-labels, and an offline analysis asks
    /// the expected domain blocklist questions.
    #[test]
    fn corpus_native() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/idn.json")).unwrap();
        let cases = data["cases"].as_array().unwrap();
        let mut dump = Vec::new();
        for case in cases {
            let domain = case["domain"].as_str().unwrap();
            let raw = format!(
                "Received: from x (x [203.0.113.9]) by mx.example.net; Tue, 1 Jul 2025 12:00:00 +0000\r\nFrom: <a@{domain}>\r\n\r\nhi\r\n"
            );
            let options = crate::Options {
                dns: crate::dns::DnsConfig::offline(),
                ..Default::default()
            };
            let report =
                futures::executor::block_on(crate::analyze(raw.as_bytes(), &options)).unwrap();
            let dbl: Vec<&str> = report
                .dns_log
                .iter()
                .filter(|e| e.name.ends_with(".dbl.spamhaus.org"))
                .map(|e| e.name.as_str())
                .collect();
            let ascii = to_ascii(domain);
            dump.push(serde_json::json!({"domain": domain, "ascii": ascii, "dbl": dbl}));
        }
        if std::env::var_os("SENDTRUST_DUMP_IDN").is_some() {
            println!("{}", serde_json::to_string_pretty(&dump).unwrap());
        }
        for (case, got) in cases.iter().zip(&dump) {
            let domain = &case["domain"];
            assert_eq!(got["ascii"], case["ascii"], "{domain}");
            assert_eq!(got["dbl"], case["dbl"], "{domain}");
        }
    }
}
