//! One analysis run for the page: its request in, its events out through a
//! callback (the worker's `postMessage`, or the page's own handler when the
//! engine runs on the main thread).

use crate::protocol::{Event, Request};
use sendtrust::Observer;
use sendtrust::dns::Session;
use sendtrust::report::{Report, RuleResult};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

thread_local! {
    /// One resolver per provider for the engine's lifetime: runs share the
    /// DNS cache (the worker's session, or the page's in the fallback).
    static SESSION: Session = Session::new();
}

/// Where a run's events go: `post(json)` with `json` = `[id, event]`.
struct Events {
    id: u64,
    post: js_sys::Function,
}

impl Events {
    fn send(&self, event: &Event) {
        let json = serde_json::to_string(&(self.id, event)).or_else(|e| {
            let failed = Event::Failed {
                message: format!("The report could not be passed to the page: {e}"),
            };
            serde_json::to_string(&(self.id, &failed))
        });
        if let Ok(json) = json {
            // The page's handler or postMessage of a string: nothing to recover
            // from if it throws (the page is gone).
            let _ = self.post.call1(&JsValue::NULL, &JsValue::from_str(&json));
        }
    }
}

impl Observer for Events {
    fn local_report(&self, report: &Report) {
        self.send(&Event::Local {
            report: report.clone(),
        });
    }

    fn rule(&self, rule: &RuleResult) {
        self.send(&Event::Rule { rule: rule.clone() });
    }
}

/// Analyses one request (`{ request: JSON, raw: Uint8Array }`, see
/// [`protocol`](crate::protocol)) and calls `post` with each event as a JSON
/// string `[id, event]`. Called by web/sendtrust-worker.js and by the page
/// when it runs the engine itself.
#[wasm_bindgen(js_name = runAnalysis)]
pub fn run_analysis(message: JsValue, post: js_sys::Function) {
    let field = |name: &str| js_sys::Reflect::get(&message, &JsValue::from_str(name)).ok();
    let request = field("request")
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str::<Request>(&json).ok());
    let raw = field("raw")
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|bytes| bytes.to_vec());
    let (Some(request), Some(raw)) = (request, raw) else {
        let message = "The page sent the engine a request it could not read.".into();
        Events { id: 0, post }.send(&Event::Failed { message });
        return;
    };
    let events = Rc::new(Events {
        id: request.id,
        post,
    });
    let dns = request.dns();
    let resolver = SESSION.with(|session| session.resolver(&dns));
    let endpoint = request.endpoint.clone().unwrap_or_default();
    let log_events = events.clone();
    let resolver = resolver.with_observer(move |entry| {
        log_events.send(&Event::Dns {
            endpoint: endpoint.clone(),
            entry: entry.clone(),
        })
    });
    let options = request.options();
    wasm_bindgen_futures::spawn_local(async move {
        let event = match sendtrust::analyze_with(&raw, &options, &resolver, events.as_ref()).await
        {
            Ok(report) => Event::Done { report },
            Err(error) => Event::Failed {
                message: error.to_string(),
            },
        };
        events.send(&event);
    });
}
