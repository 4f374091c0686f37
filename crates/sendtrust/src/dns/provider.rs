//! Which DoH provider to ask: a preset id or a URL, read by one function and
//! checked by one rule, so the CLI (`--doh`), the JavaScript API (`doh`) and
//! the page (`?doh=`, the settings) accept and refuse the same values.
//!
//! The rule: `https://` on any host, or plain `http://` only for a server on
//! this computer (`127.0.0.1`, `[::1]`, `localhost`). Plain HTTP sends every
//! question — the names of the sender's domains and IP — unencrypted, which is
//! only harmless on loopback (the test bench, a local DoH proxy).

use super::{DnsConfig, PROVIDERS, Provider};
#[cfg(not(target_arch = "wasm32"))]
use reqwest::Url;
use std::fmt;

/// A DoH URL that passed [`check_doh_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DohUrl {
    /// The URL as given (surrounding whitespace removed).
    pub url: String,
    /// The host as URLs write it (`dns.example`, `127.0.0.1`, `[::1]`).
    pub host: String,
    /// True for `https://`, false for plain `http://` (then the host is loopback).
    pub https: bool,
}

/// Why a DoH URL or provider value was refused. The `Display` text is meant
/// for people: it says what is wrong and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DohUrlError {
    /// Not a URL at all, and not a preset id.
    NotAUrl(String),
    /// A scheme other than `https` / `http`.
    Scheme(String),
    /// Plain `http://` to a host that is not this computer.
    PlainHttp(String),
    /// A user name or password in the URL.
    Credentials,
}

impl fmt::Display for DohUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DohUrlError::NotAUrl(value) => write!(
                f,
                "`{value}` is neither a DoH URL (like https://dns.example/dns-query) nor a \
                 provider name ({})",
                preset_ids()
            ),
            DohUrlError::Scheme(scheme) => {
                write!(f, "a DoH URL starts with https:// (not {scheme}://)")
            }
            DohUrlError::PlainHttp(host) => write!(
                f,
                "plain http:// would send the DNS questions to {host} unencrypted; use an \
                 https:// DoH URL (http:// is accepted only for a server on this computer: \
                 127.0.0.1, [::1] or localhost)"
            ),
            DohUrlError::Credentials => write!(
                f,
                "a DoH URL carries no user name or password (nothing before an @ in the host)"
            ),
        }
    }
}

impl std::error::Error for DohUrlError {}

fn preset_ids() -> String {
    PROVIDERS
        .iter()
        .map(|p| p.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// True for the hosts that are this computer: `localhost`, `127.0.0.1`, `[::1]`.
/// Compared on the parsed URL, whose host is normalised (lowercase names,
/// `127.1` → `127.0.0.1`, `[0::1]` → `[::1]`), as the HTTP client will read
/// it. Only these three: a page's Content-Security-Policy and people reading
/// a setting both recognise them; other 127/8 addresses are rare for DoH.
fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// What the DoH URL rule reads from a URL, as a WHATWG URL parser gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// The scheme, lowercase, without `:` (`https`).
    pub scheme: String,
    /// The host as URLs write it (`dns.example`, `127.0.0.1`, `[::1]`);
    /// empty when the URL has none.
    pub host: String,
    /// True when the URL holds a user name or a password.
    pub credentials: bool,
}

/// A URL as a WHATWG URL parser reads it: natively the `url` crate (what
/// the HTTP client reads); in both wasm modules the browser's own parser, the
/// same standard, so neither links `url` and its IDNA tables for this (about
/// 25 KB brotli of the UI wasm; ARCHITECTURE.md, "IDNA in the engine wasm").
pub fn url_parts(value: &str) -> Option<UrlParts> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let url = Url::parse(value).ok()?;
        Some(UrlParts {
            scheme: url.scheme().to_string(),
            host: url.host_str().unwrap_or_default().to_string(),
            credentials: !url.username().is_empty() || url.password().is_some(),
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        let url = web_sys::Url::new(value).ok()?;
        Some(UrlParts {
            scheme: url.protocol().trim_end_matches(':').to_ascii_lowercase(),
            host: url.hostname(),
            credentials: !url.username().is_empty() || !url.password().is_empty(),
        })
    }
}

/// Checks a DoH URL against the one rule: `https://` on any host, plain
/// `http://` only on loopback (`127.0.0.1`, `[::1]`, `localhost`), no
/// credentials, no whitespace inside.
pub fn check_doh_url(value: &str) -> Result<DohUrl, DohUrlError> {
    check_doh_url_with(value, url_parts)
}

/// [`check_doh_url`] with the URL parsed by `parse` ([`url_parts`]; the
/// tests pass their own): the rule itself, pure.
pub(crate) fn check_doh_url_with(
    value: &str,
    parse: impl Fn(&str) -> Option<UrlParts>,
) -> Result<DohUrl, DohUrlError> {
    let trimmed = value.trim();
    // The URL parser drops tabs and newlines inside a URL silently; a value
    // with them is a paste accident, not an address.
    if trimmed.is_empty() || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(DohUrlError::NotAUrl(trimmed.to_string()));
    }
    let Some(url) = parse(trimmed).filter(|u| !u.host.is_empty()) else {
        return Err(DohUrlError::NotAUrl(trimmed.to_string()));
    };
    let host = url.host;
    if url.credentials {
        return Err(DohUrlError::Credentials);
    }
    let https = match url.scheme.as_str() {
        "https" => true,
        "http" if is_loopback(&host) => false,
        "http" => return Err(DohUrlError::PlainHttp(host)),
        other => return Err(DohUrlError::Scheme(other.to_string())),
    };
    Ok(DohUrl {
        url: trimmed.to_string(),
        host,
        https,
    })
}

/// A provider value as people give it: a preset id (`cloudflare`, `google`,
/// …, see [`PROVIDERS`]) or a DoH URL checked by [`check_doh_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderValue {
    /// One of [`PROVIDERS`] (also when its URL was given in the preset's format).
    Preset(&'static Provider),
    /// Another DoH URL.
    Url(DohUrl),
}

impl ProviderValue {
    /// Reads a preset id or a DoH URL. A URL equal to a preset's URL selects
    /// that preset (the JSON one for a URL ending in `/resolve`).
    pub fn parse(value: &str) -> Result<ProviderValue, DohUrlError> {
        Self::parse_with(value, url_parts)
    }

    /// [`ProviderValue::parse`] with URLs parsed by `parse`
    /// ([`check_doh_url_with`]).
    pub(crate) fn parse_with(
        value: &str,
        parse: impl Fn(&str) -> Option<UrlParts>,
    ) -> Result<ProviderValue, DohUrlError> {
        let value = value.trim();
        if let Some(p) = PROVIDERS.iter().find(|p| p.id == value) {
            return Ok(ProviderValue::Preset(p));
        }
        let url = check_doh_url_with(value, parse)?;
        let format = DnsConfig::doh(url.url.as_str()).format;
        Ok(
            match PROVIDERS
                .iter()
                .find(|p| p.url == url.url && p.format == format)
            {
                Some(p) => ProviderValue::Preset(p),
                None => ProviderValue::Url(url),
            },
        )
    }

    /// The DNS configuration for this provider (default deadline and limits).
    pub fn config(&self) -> DnsConfig {
        match self {
            ProviderValue::Preset(p) => DnsConfig {
                endpoint: Some(p.url.to_string()),
                format: p.format,
                ..DnsConfig::default()
            },
            ProviderValue::Url(url) => DnsConfig::doh(url.url.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::DohFormat;

    #[test]
    fn https_is_accepted_on_any_host() {
        let url = check_doh_url(" https://dns.example/dns-query ").unwrap();
        assert_eq!(url.url, "https://dns.example/dns-query");
        assert_eq!(url.host, "dns.example");
        assert!(url.https);
        assert!(check_doh_url("HTTPS://DNS.example:8443/q").is_ok());
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8053/dns-query",
            "http://[::1]:8053/dns-query",
            "http://localhost:8053/dns-query",
            "http://LOCALHOST/dns-query",
        ] {
            let url = check_doh_url(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(!url.https, "{ok}");
        }
        assert_eq!(
            check_doh_url("http://[::1]/dns-query").unwrap().host,
            "[::1]"
        );
        for (bad, host) in [
            ("http://dns.example/dns-query", "dns.example"),
            ("http://192.0.2.53/dns-query", "192.0.2.53"),
            // Names that only start like loopback are other hosts.
            ("http://127.0.0.1.dns.example/q", "127.0.0.1.dns.example"),
            ("http://localhost.dns.example/q", "localhost.dns.example"),
            ("http://[::2]/q", "[::2]"),
        ] {
            let err = check_doh_url(bad).unwrap_err();
            assert_eq!(err, DohUrlError::PlainHttp(host.to_string()), "{bad}");
            let text = err.to_string();
            assert!(
                text.contains("unencrypted") && text.contains(host),
                "{text}"
            );
            assert!(text.contains("https://"), "{text}");
        }
    }

    #[test]
    fn other_schemes_credentials_and_garbage_are_refused() {
        assert_eq!(
            check_doh_url("ftp://dns.example/"),
            Err(DohUrlError::Scheme("ftp".into()))
        );
        assert_eq!(
            check_doh_url("http://127.0.0.1@evil.example/"),
            Err(DohUrlError::Credentials)
        );
        assert_eq!(
            check_doh_url("https://user:pw@dns.example/"),
            Err(DohUrlError::Credentials)
        );
        for garbage in [
            "",
            "   ",
            "nonsense",
            "dns.example/dns-query",
            "https://",
            "https://dns.exa mple/",
            "https://dns.example/\tdns-query",
        ] {
            let err = check_doh_url(garbage).unwrap_err();
            assert!(
                matches!(err, DohUrlError::NotAUrl(_)),
                "{garbage:?}: {err:?}"
            );
        }
        let text = check_doh_url("nonsense").unwrap_err().to_string();
        assert!(
            text.contains("`nonsense`") && text.contains("cloudflare"),
            "{text}"
        );
    }

    #[test]
    fn provider_values_are_presets_or_checked_urls() {
        assert_eq!(
            ProviderValue::parse("google"),
            Ok(ProviderValue::Preset(&PROVIDERS[1]))
        );
        assert_eq!(
            ProviderValue::parse("https://dns.quad9.net/dns-query"),
            Ok(ProviderValue::Preset(&PROVIDERS[2]))
        );
        let json = ProviderValue::parse("https://dns.google/resolve").unwrap();
        assert!(matches!(json, ProviderValue::Preset(p) if p.id == "google-json"));
        assert_eq!(json.config().format, DohFormat::Json);
        let bench = ProviderValue::parse("http://127.0.0.1:8053/dns-query").unwrap();
        assert_eq!(
            bench.config().endpoint.as_deref(),
            Some("http://127.0.0.1:8053/dns-query")
        );
        assert_eq!(bench.config().format, DohFormat::Wire);
        assert!(matches!(
            ProviderValue::parse("http://dns.example/dns-query"),
            Err(DohUrlError::PlainHttp(_))
        ));
        assert!(matches!(
            ProviderValue::parse("cloudflair"),
            Err(DohUrlError::NotAUrl(_))
        ));
    }

    #[test]
    fn the_rule_reads_what_the_given_parser_reports() {
        fn parts(scheme: &str, host: &str, credentials: bool) -> Option<UrlParts> {
            Some(UrlParts {
                scheme: scheme.into(),
                host: host.into(),
                credentials,
            })
        }
        // The url crate's reading is the default rule's.
        assert_eq!(
            url_parts("HTTPS://User:pw@DNS.Example:8443/dns-query"),
            parts("https", "dns.example", true)
        );
        assert_eq!(url_parts("http://[0::1]/q"), parts("http", "[::1]", false));
        assert_eq!(url_parts("not a url"), None);
        // Another parser decides scheme, host and credentials alike.
        let loopback: fn(&str) -> Option<UrlParts> = |_| parts("http", "localhost", false);
        let plain: fn(&str) -> Option<UrlParts> = |_| parts("http", "dns.example", false);
        let with_user: fn(&str) -> Option<UrlParts> = |_| parts("https", "dns.example", true);
        let no_host: fn(&str) -> Option<UrlParts> = |_| parts("https", "", false);
        let ftp: fn(&str) -> Option<UrlParts> = |_| parts("ftp", "dns.example", false);
        let url = "https://anything.example/q";
        let ok = check_doh_url_with(url, loopback).expect("loopback http");
        assert_eq!(
            (ok.url.as_str(), ok.host.as_str(), ok.https),
            (url, "localhost", false)
        );
        assert_eq!(
            check_doh_url_with(url, plain),
            Err(DohUrlError::PlainHttp("dns.example".into()))
        );
        assert_eq!(
            check_doh_url_with(url, with_user),
            Err(DohUrlError::Credentials)
        );
        assert_eq!(
            check_doh_url_with(url, no_host),
            Err(DohUrlError::NotAUrl(url.into()))
        );
        assert_eq!(
            check_doh_url_with(url, ftp),
            Err(DohUrlError::Scheme("ftp".into()))
        );
        assert!(matches!(
            ProviderValue::parse_with(url, with_user),
            Err(DohUrlError::Credentials)
        ));
        assert_eq!(
            ProviderValue::parse_with("quad9", with_user),
            Ok(ProviderValue::Preset(&PROVIDERS[2]))
        );
    }
}
