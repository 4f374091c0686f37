//! The JavaScript API: the same wasm the page runs, exported as an ES module
//! for support pages that want the report without the page around it.
//!
//! ```js
//! import init, { analyze } from "./sendtrust-web.js";
//! await init();
//! const report = await analyze(rawMessageText, { doh: "https://cloudflare-dns.com/dns-query" });
//! ```
//!
//! `analyze` resolves to the JSON report (docs/report-schema.md) as a plain
//! object, or rejects with `{ kind, message }` when the input is not a
//! message. Nothing is sent anywhere but DoH questions to the chosen provider
//! (none with `offline: true`).

use sendtrust::dns::{DnsConfig, DohFormat, PROVIDERS, Resolver};
use sendtrust::{NoObserver, Options};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// Options accepted by `analyze` (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ApiOptions {
    /// A DoH URL or a preset id (`cloudflare`, `google`, `quad9`, …).
    doh: Option<String>,
    /// `wire` (RFC 8484, default) or `json`.
    format: Option<String>,
    /// Send nothing.
    offline: bool,
    /// Per-question deadline in milliseconds.
    timeout_ms: Option<u64>,
    /// Check this IP instead of the detected hand-off hop.
    sender_ip: Option<String>,
    /// IP blocklists to query instead of the defaults.
    dnsbl: Option<Vec<String>>,
    /// Domain blocklists to query instead of the defaults.
    dbl: Option<Vec<String>>,
}

thread_local! {
    /// One resolver per provider for the page's lifetime: repeated calls share
    /// the DNS cache, as the page does.
    static RESOLVERS: RefCell<HashMap<String, Resolver>> = RefCell::new(HashMap::new());
}

fn error(kind: &str, message: impl std::fmt::Display) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"kind".into(), &kind.into());
    let _ = js_sys::Reflect::set(&object, &"message".into(), &message.to_string().into());
    object.into()
}

fn dns_config(options: &ApiOptions) -> Result<DnsConfig, JsValue> {
    if options.offline {
        return Ok(DnsConfig::offline());
    }
    let mut config = match options.doh.as_deref() {
        None => DnsConfig::default(),
        Some(id) => match PROVIDERS.iter().find(|p| p.id == id) {
            Some(p) => DnsConfig {
                endpoint: Some(p.url.to_string()),
                format: p.format,
                ..DnsConfig::default()
            },
            None if id.starts_with("https://") || id.starts_with("http://") => DnsConfig::doh(id),
            None => return Err(error("options", format!("unknown DoH provider {id:?}"))),
        },
    };
    match options.format.as_deref() {
        Some("json") => config.format = DohFormat::Json,
        Some("wire") => config.format = DohFormat::Wire,
        Some(other) => return Err(error("options", format!("unknown format {other:?}"))),
        None => {}
    }
    if let Some(ms) = options.timeout_ms {
        config.timeout = Duration::from_millis(ms.clamp(100, 60_000));
    }
    Ok(config)
}

/// Analyses one message (its raw text) and resolves to the JSON report.
#[wasm_bindgen]
pub async fn analyze(raw: String, options: JsValue) -> Result<JsValue, JsValue> {
    let api: ApiOptions = if options.is_undefined() || options.is_null() {
        ApiOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| error("options", e))?
    };
    let dns = dns_config(&api)?;
    let sender_ip = match &api.sender_ip {
        Some(ip) => Some(
            ip.parse()
                .map_err(|_| error("options", format!("senderIp {ip:?} is not an IP address")))?,
        ),
        None => None,
    };
    let key = format!(
        "{}|{}|{}",
        dns.endpoint.as_deref().unwrap_or("offline"),
        dns.format.as_str(),
        dns.timeout.as_millis()
    );
    let resolver = RESOLVERS.with(|r| {
        r.borrow_mut()
            .entry(key)
            .or_insert_with(|| Resolver::new(dns.clone()))
            .clone()
    });
    let options = Options {
        dns,
        sender_ip,
        dnsbl_zones: api.dnsbl,
        dbl_zones: api.dbl,
        ..Options::default()
    };
    let report = sendtrust::analyze_with(raw.as_bytes(), &options, &resolver, &NoObserver)
        .await
        .map_err(|e| {
            let kind = match &e {
                sendtrust::InputError::Empty => "empty",
                sendtrust::InputError::Binary { .. } => "binary",
                sendtrust::InputError::NoHeaders { .. } => "no-headers",
            };
            error(kind, e)
        })?;
    report
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error("internal", e))
}

/// The engine's report schema version.
#[wasm_bindgen(js_name = schemaVersion)]
pub fn schema_version() -> u32 {
    sendtrust::SCHEMA_VERSION
}

use serde::Serialize as _;
