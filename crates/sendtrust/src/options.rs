//! Options as people give them — strings from a command line, a JavaScript
//! object — read into [`Options`] by one function with one set of rules, so
//! the CLI and the JS API accept and refuse the same values with the same
//! messages. The DoH provider is checked by [`ProviderValue`] (https, or http
//! on loopback only).

use crate::Options;
use crate::dns::{DnsConfig, DohFormat, DohUrlError, ProviderValue};
use serde::Deserialize;
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

/// Shortest and longest per-question deadline accepted (longer or shorter
/// values are brought into this range).
pub const TIMEOUT_RANGE_MS: (u64, u64) = (100, 60_000);

/// Unchecked options, as the JS API's `analyze(raw, options)` takes them
/// (camelCase keys, all optional) and as the CLI fills them from its flags.
/// Unknown keys are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OptionsInput {
    /// A DoH URL or a preset id (`cloudflare`, `google`, `quad9`, …).
    pub doh: Option<String>,
    /// `wire` (RFC 8484) or `json`; without it, the preset's format, or JSON
    /// for a URL ending in `/resolve`.
    pub format: Option<String>,
    /// Send nothing (the provider is still checked).
    pub offline: bool,
    /// Per-question deadline in milliseconds, brought into [`TIMEOUT_RANGE_MS`].
    pub timeout_ms: Option<u64>,
    /// Check this IP instead of the detected hand-off hop.
    pub sender_ip: Option<String>,
    /// IP blocklist zones to query instead of the defaults.
    pub dnsbl: Option<Vec<String>>,
    /// Domain blocklist zones to query instead of the defaults.
    pub dbl: Option<Vec<String>>,
    /// A Spamhaus Data Query Service key (checked by rule 3, which says when
    /// it cannot be used).
    pub dqs_key: Option<String>,
}

/// The option an [`OptionsError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionField {
    /// [`OptionsInput::doh`].
    Doh,
    /// [`OptionsInput::format`].
    Format,
    /// [`OptionsInput::sender_ip`].
    SenderIp,
}

impl OptionField {
    /// The key in the JS API's options object.
    pub fn key(self) -> &'static str {
        match self {
            OptionField::Doh => "doh",
            OptionField::Format => "format",
            OptionField::SenderIp => "senderIp",
        }
    }

    /// The CLI flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            OptionField::Doh => "--doh",
            OptionField::Format => "--doh-json",
            OptionField::SenderIp => "--sender-ip",
        }
    }
}

/// A refused option: which one, and why in words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// The option.
    pub field: OptionField,
    /// What is wrong with its value (names the value).
    pub message: String,
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.key(), self.message)
    }
}

impl std::error::Error for OptionsError {}

impl OptionsInput {
    /// Checks every value and builds the engine's [`Options`]; the first
    /// refused value is the error.
    pub fn parse(self) -> Result<Options, OptionsError> {
        let refuse = |field, message: String| OptionsError { field, message };
        // Checked even offline: a refused provider is refused either way.
        let provider = self
            .doh
            .as_deref()
            .map(ProviderValue::parse)
            .transpose()
            .map_err(|e: DohUrlError| refuse(OptionField::Doh, e.to_string()))?;
        let mut dns = match provider {
            Some(provider) => provider.config(),
            None => DnsConfig::default(),
        };
        match self.format.as_deref() {
            None => {}
            Some("wire") => dns.format = DohFormat::Wire,
            Some("json") => dns.format = DohFormat::Json,
            Some(other) => {
                return Err(refuse(
                    OptionField::Format,
                    format!("`{other}` is not a DoH format (wire or json)"),
                ));
            }
        }
        if let Some(ms) = self.timeout_ms {
            let (min, max) = TIMEOUT_RANGE_MS;
            dns.timeout = Duration::from_millis(ms.clamp(min, max));
        }
        if self.offline {
            dns = DnsConfig {
                endpoint: None,
                ..dns
            };
        }
        let sender_ip = match self.sender_ip.as_deref().map(str::trim) {
            None => None,
            Some(ip) => Some(ip.parse::<IpAddr>().map_err(|_| {
                refuse(
                    OptionField::SenderIp,
                    format!("`{ip}` is not an IP address"),
                )
            })?),
        };
        Ok(Options {
            dns,
            sender_ip,
            dnsbl_zones: self.dnsbl.filter(|z| !z.is_empty()),
            dbl_zones: self.dbl.filter(|z| !z.is_empty()),
            spamhaus_dqs_key: self.dqs_key.filter(|k| !k.trim().is_empty()),
            now: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(json: &str) -> Result<Options, OptionsError> {
        serde_json::from_str::<OptionsInput>(json)
            .expect("deserialises")
            .parse()
    }

    #[test]
    fn nothing_given_is_the_default_provider() {
        let options = from_json("{}").unwrap();
        assert_eq!(options.dns, DnsConfig::default());
        assert_eq!(options.sender_ip, None);
        assert_eq!(options.dnsbl_zones, None);
    }

    #[test]
    fn the_js_shape_fills_every_option() {
        let options = from_json(
            r#"{"doh": "http://127.0.0.1:8053/dns-query", "format": "json", "timeoutMs": 3000,
                "senderIp": "192.0.2.25", "dnsbl": ["bl.test"], "dbl": ["dbl.test"],
                "dqsKey": "abc123", "somethingElse": 1}"#,
        )
        .unwrap();
        assert_eq!(
            options.dns.endpoint.as_deref(),
            Some("http://127.0.0.1:8053/dns-query")
        );
        assert_eq!(options.dns.format, DohFormat::Json);
        assert_eq!(options.dns.timeout, Duration::from_secs(3));
        assert_eq!(options.sender_ip, Some("192.0.2.25".parse().unwrap()));
        assert_eq!(options.dnsbl_zones, Some(vec!["bl.test".to_string()]));
        assert_eq!(options.dbl_zones, Some(vec!["dbl.test".to_string()]));
        assert_eq!(options.spamhaus_dqs_key.as_deref(), Some("abc123"));
        // Presets keep their own format; timeouts are brought into range.
        let google = from_json(r#"{"doh": "google-json", "timeoutMs": 1}"#).unwrap();
        assert_eq!(google.dns.format, DohFormat::Json);
        assert_eq!(google.dns.timeout, Duration::from_millis(100));
        // Empty lists and keys mean "not given".
        let empty = from_json(r#"{"dnsbl": [], "dqsKey": " "}"#).unwrap();
        assert_eq!((empty.dnsbl_zones, empty.spamhaus_dqs_key), (None, None));
    }

    #[test]
    fn offline_sends_nothing_but_still_checks_the_provider() {
        let offline = from_json(r#"{"offline": true, "doh": "quad9"}"#).unwrap();
        assert_eq!(offline.dns.endpoint, None);
        let refused = from_json(r#"{"offline": true, "doh": "http://dns.example/q"}"#);
        assert_eq!(refused.unwrap_err().field, OptionField::Doh);
    }

    #[test]
    fn refusals_name_the_option_and_the_value() {
        let doh = from_json(r#"{"doh": "http://dns.example/dns-query"}"#).unwrap_err();
        assert_eq!(doh.field, OptionField::Doh);
        let text = doh.to_string();
        assert!(
            text.starts_with("doh: ") && text.contains("dns.example"),
            "{text}"
        );
        assert!(text.contains("unencrypted"), "{text}");

        let format = from_json(r#"{"format": "xml"}"#).unwrap_err();
        assert_eq!(format.field, OptionField::Format);
        assert!(format.to_string().contains("`xml`"), "{format}");

        let ip = from_json(r#"{"senderIp": "300.1.2.3"}"#).unwrap_err();
        assert_eq!(
            (ip.field.key(), ip.field.flag()),
            ("senderIp", "--sender-ip")
        );
        assert!(ip.message.contains("`300.1.2.3`"), "{ip}");
    }
}
