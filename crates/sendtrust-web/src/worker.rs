//! The analysis runs in a Web Worker, so a big message never freezes the page.
//!
//! The worker runs the page's own wasm: no second download and no second
//! compile. The page creates `sendtrust-worker.js` (web/sendtrust-worker.js,
//! copied beside the glue by Trunk) as a module worker and posts it the URL
//! of its wasm-bindgen glue and its compiled `WebAssembly.Module`; the
//! script imports the glue, instantiates the module (whose `main` sees no
//! window and mounts nothing) and hands every later message to
//! [`worker_message`].
//!
//! Protocol: the page posts `{ request, raw }` — the [`Request`] as JSON and
//! the message bytes as a `Uint8Array` whose buffer is transferred, not
//! copied. The worker answers with JSON strings `[id, event]`, one per
//! [`Event`], as the engine produces them: the local report, each rule, each
//! DNS question, then the whole report or the input error. One resolver per
//! provider lives in the worker for the session, so repeated runs share
//! the DNS cache exactly as they did in the page. Besides the JSON strings
//! the script posts `{ ready: true }` once the wasm runs, or
//! `{ failed: "…" }` when it cannot start.
//!
//! When no worker can be started (no module workers, a host policy against
//! them), the page runs the engine itself, as before (see `state.rs`).

use sendtrust::dns::{DnsConfig, DohFormat, Session};
use sendtrust::report::{DnsLogEntry, Report, RuleResult};
use sendtrust::{Observer, Options};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The worker script, copied to the site root by Trunk (see index.html).
const SCRIPT: &str = "sendtrust-worker.js";

/// One analysis request, as the page sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// The page's run number; every event for this run carries it.
    pub id: u64,
    /// DoH endpoint, `None` offline.
    pub endpoint: Option<String>,
    /// `wire` or `json`.
    pub format: String,
    /// Deadline for one question, in milliseconds.
    pub timeout_ms: u64,
    /// Extra attempts after a retryable failure.
    pub retries: u32,
    /// Maximum number of DoH requests in flight.
    pub max_in_flight: usize,
    /// Check this IP instead of the detected hand-off hop.
    pub sender_ip: Option<IpAddr>,
    /// IP blocklist zones, `None` = the engine's defaults.
    pub dnsbl_zones: Option<Vec<String>>,
    /// Domain blocklist zones, `None` = the engine's defaults.
    pub dbl_zones: Option<Vec<String>>,
    /// A Spamhaus Data Query Service key.
    pub spamhaus_dqs_key: Option<String>,
}

impl Request {
    /// A request for run `id` with the page's options.
    pub fn new(id: u64, options: &Options) -> Self {
        let dns = &options.dns;
        Request {
            id,
            endpoint: dns.endpoint.clone(),
            format: dns.format.as_str().to_string(),
            timeout_ms: u64::try_from(dns.timeout.as_millis()).unwrap_or(u64::MAX),
            retries: dns.retries,
            max_in_flight: dns.max_in_flight,
            sender_ip: options.sender_ip,
            dnsbl_zones: options.dnsbl_zones.clone(),
            dbl_zones: options.dbl_zones.clone(),
            spamhaus_dqs_key: options.spamhaus_dqs_key.clone(),
        }
    }

    /// The engine's options for this request.
    fn options(&self) -> Options {
        Options {
            dns: self.dns(),
            sender_ip: self.sender_ip,
            dnsbl_zones: self.dnsbl_zones.clone(),
            dbl_zones: self.dbl_zones.clone(),
            spamhaus_dqs_key: self.spamhaus_dqs_key.clone(),
            ..Options::default()
        }
    }

    fn dns(&self) -> DnsConfig {
        DnsConfig {
            endpoint: self.endpoint.clone(),
            format: if self.format == "json" {
                DohFormat::Json
            } else {
                DohFormat::Wire
            },
            timeout: Duration::from_millis(self.timeout_ms),
            retries: self.retries,
            max_in_flight: self.max_in_flight.max(1),
        }
    }
}

/// What the worker reports about one run, in order of arrival.
#[derive(Debug, Clone, Serialize, Deserialize)]
// Externally tagged (`{"rule": {…}}`): serde_json reads it straight into the
// types, where an internally tagged enum would buffer the whole report first.
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// Everything that needs no DNS (summary, hops, sender); rules pending.
    Local {
        /// The local report.
        report: Report,
    },
    /// One rule's final result.
    Rule {
        /// The result.
        rule: RuleResult,
    },
    /// One DNS question, as logged by the resolver.
    Dns {
        /// The endpoint the run's questions go to (empty offline).
        endpoint: String,
        /// The log entry.
        entry: DnsLogEntry,
    },
    /// The complete report; the run is over.
    Done {
        /// The report.
        report: Report,
    },
    /// The input is not a message (or the request was unreadable); the run is over.
    Failed {
        /// Why, in words for the user.
        message: String,
    },
}

// ---------------------------------------------------------------- worker side

thread_local! {
    /// The worker's resolvers, one per provider, for the session.
    static SESSION: Session = Session::new();
}

fn post(id: u64, event: &Event) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match serde_json::to_string(&(id, event)) {
        Ok(json) => {
            // Posting a string cannot fail (nothing to clone but the string).
            let _ = scope.post_message(&JsValue::from_str(&json));
        }
        Err(e) => {
            let failed = Event::Failed {
                message: format!("The report could not be passed to the page: {e}"),
            };
            if let Ok(json) = serde_json::to_string(&(id, &failed)) {
                let _ = scope.post_message(&JsValue::from_str(&json));
            }
        }
    }
}

struct WorkerObserver {
    id: u64,
}

impl Observer for WorkerObserver {
    fn local_report(&self, report: &Report) {
        post(
            self.id,
            &Event::Local {
                report: report.clone(),
            },
        );
    }

    fn rule(&self, rule: &RuleResult) {
        post(self.id, &Event::Rule { rule: rule.clone() });
    }
}

/// Worker side: analyses one request (`{ request: JSON, raw: Uint8Array }`)
/// and posts its events back to the page. Called by sendtrust-worker.js.
#[wasm_bindgen(js_name = sendtrustWorkerMessage)]
pub fn worker_message(message: JsValue) {
    let field = |name: &str| js_sys::Reflect::get(&message, &JsValue::from_str(name)).ok();
    let request = field("request")
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str::<Request>(&json).ok());
    let raw = field("raw")
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|bytes| bytes.to_vec());
    let (Some(request), Some(raw)) = (request, raw) else {
        let message = "The page sent the analysis worker a request it could not read.".into();
        post(0, &Event::Failed { message });
        return;
    };
    let id = request.id;
    let dns = request.dns();
    let resolver = SESSION.with(|session| session.resolver(&dns));
    let endpoint = request.endpoint.clone().unwrap_or_default();
    let resolver = resolver.with_observer(move |entry| {
        post(
            id,
            &Event::Dns {
                endpoint: endpoint.clone(),
                entry: entry.clone(),
            },
        )
    });
    let options = request.options();
    wasm_bindgen_futures::spawn_local(async move {
        let observer = WorkerObserver { id };
        let event = match sendtrust::analyze_with(&raw, &options, &resolver, &observer).await {
            Ok(report) => Event::Done { report },
            Err(error) => Event::Failed {
                message: error.to_string(),
            },
        };
        post(id, &event);
    });
}

// ---------------------------------------------------------------- page side

#[wasm_bindgen]
extern "C" {
    /// The URL of this wasm's glue module (`import.meta.url` of the glue).
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// What the page hears from the worker.
pub enum Heard {
    /// An event of run `id`.
    Event(u64, Box<Event>),
    /// The worker could not start; nothing was analysed (run the engine in the page).
    NotStarted(String),
    /// The worker stopped (an error escaped the engine); its runs are lost.
    Crashed(String),
}

/// The page's handle on the analysis worker.
pub struct AnalysisWorker {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl AnalysisWorker {
    /// Starts the worker; `on_heard` receives everything it says. `None`
    /// when this browser cannot start one (the page then analyses itself).
    pub fn start(on_heard: impl Fn(Heard) + 'static) -> Option<Self> {
        let glue = GLUE_URL.with(String::clone);
        let script = web_sys::Url::new_with_base(SCRIPT, &glue).ok()?.href();
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(&script, &options).ok()?;

        let on_heard = Rc::new(on_heard);
        let ready = Rc::new(std::cell::Cell::new(false));
        let on_message = {
            let (on_heard, ready) = (on_heard.clone(), ready.clone());
            Closure::<dyn FnMut(_)>::new(move |ev: web_sys::MessageEvent| {
                let data = ev.data();
                if let Some(json) = data.as_string() {
                    match serde_json::from_str::<(u64, Event)>(&json) {
                        Ok((id, event)) => on_heard(Heard::Event(id, Box::new(event))),
                        Err(e) => on_heard(Heard::Crashed(format!("unreadable answer: {e}"))),
                    }
                    return;
                }
                let get = |name: &str| js_sys::Reflect::get(&data, &JsValue::from_str(name));
                if get("ready").is_ok_and(|v| v.is_truthy()) {
                    ready.set(true);
                } else if let Ok(failed) = get("failed")
                    && !failed.is_undefined()
                {
                    on_heard(Heard::NotStarted(
                        failed.as_string().unwrap_or_else(|| "unknown error".into()),
                    ));
                }
            })
        };
        let on_error = {
            let (on_heard, ready) = (on_heard.clone(), ready.clone());
            // An ErrorEvent for an exception in the worker; a plain Event when
            // its script could not be loaded.
            Closure::<dyn FnMut(_)>::new(move |ev: web_sys::Event| {
                ev.prevent_default();
                let message = js_sys::Reflect::get(&ev, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "the analysis worker could not be loaded".to_string());
                on_heard(if ready.get() {
                    Heard::Crashed(message)
                } else {
                    Heard::NotStarted(message)
                });
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        let init = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&init, &JsValue::from_str(k), v);
        set("glue", &JsValue::from_str(&glue)).ok()?;
        set("module", &wasm_bindgen::module()).ok()?;
        worker.post_message(&init).ok()?;
        Some(AnalysisWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Asks for an analysis of `raw`. False when the request could not be posted.
    pub fn analyze(&self, request: &Request, raw: &[u8]) -> bool {
        let Ok(json) = serde_json::to_string(request) else {
            return false;
        };
        let bytes = js_sys::Uint8Array::from(raw);
        let message = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
        if set("request", &JsValue::from_str(&json)).is_err() || set("raw", &bytes).is_err() {
            return false;
        }
        let transfer = js_sys::Array::of1(&bytes.buffer());
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .is_ok()
    }
}

impl Drop for AnalysisWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_carries_every_option_the_page_sets() {
        let options = Options {
            dns: DnsConfig {
                endpoint: Some("http://127.0.0.1:8053/resolve".into()),
                format: DohFormat::Json,
                timeout: Duration::from_millis(2500),
                retries: 2,
                max_in_flight: 4,
            },
            sender_ip: Some("192.0.2.7".parse().expect("an IP")),
            dnsbl_zones: Some(vec!["bl.test".into()]),
            dbl_zones: Some(vec![]),
            spamhaus_dqs_key: Some("key".into()),
            now: None,
        };
        let json = serde_json::to_string(&Request::new(7, &options)).expect("serialises");
        let back: Request = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.id, 7);
        let again = back.options();
        assert_eq!(again.dns, options.dns);
        assert_eq!(again.sender_ip, options.sender_ip);
        assert_eq!(again.dnsbl_zones, options.dnsbl_zones);
        assert_eq!(again.dbl_zones, options.dbl_zones);
        assert_eq!(again.spamhaus_dqs_key, options.spamhaus_dqs_key);
        // Offline stays offline, with a resolver of its own in the session.
        let offline = Request::new(
            1,
            &Options {
                dns: DnsConfig::offline(),
                ..Options::default()
            },
        );
        assert_eq!(offline.options().dns.endpoint, None);
        assert_ne!(offline.options().dns, back.options().dns);
    }

    #[test]
    fn events_round_trip_as_json() {
        let report = futures::executor::block_on(sendtrust::analyze(
            b"From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n",
            &Options {
                dns: DnsConfig::offline(),
                ..Options::default()
            },
        ))
        .expect("a message");
        let entry = report.dns_log.first().cloned();
        let mut events = vec![
            Event::Local {
                report: report.clone(),
            },
            Event::Rule {
                rule: report.rules[0].clone(),
            },
            Event::Done {
                report: report.clone(),
            },
            Event::Failed {
                message: "no".into(),
            },
        ];
        if let Some(entry) = entry {
            events.push(Event::Dns {
                endpoint: String::new(),
                entry,
            });
        }
        for event in events {
            let json = serde_json::to_string(&(3u64, &event)).expect("serialises");
            let (id, back): (u64, Event) = serde_json::from_str(&json).expect("parses");
            assert_eq!(id, 3);
            match (&event, &back) {
                (Event::Local { report: a }, Event::Local { report: b })
                | (Event::Done { report: a }, Event::Done { report: b }) => assert_eq!(a, b),
                (Event::Rule { rule: a }, Event::Rule { rule: b }) => assert_eq!(a, b),
                (Event::Dns { entry: a, .. }, Event::Dns { entry: b, .. }) => assert_eq!(a, b),
                (Event::Failed { message: a }, Event::Failed { message: b }) => assert_eq!(a, b),
                _ => panic!("event kind changed: {json}"),
            }
        }
    }
}
