//! The engine runs apart from the page: in a Web Worker, from its own wasm.
//!
//! The page's wasm (this crate) is the UI only; the engine is the engine wasm
//! (crates/sendtrust-engine-web). The build (scripts/shell.py) puts a small
//! script into the page's head (web/engine-boot.js) that, the moment
//! index.html is parsed, starts fetching and compiling the engine wasm and
//! starts `sendtrust-worker.js` (web/sendtrust-worker.js) as a module worker,
//! handing it the compiled module as soon as it is there: the engine runs
//! in the worker before this wasm has even downloaded (the UI's download
//! waits for the engine's bytes). It leaves `globalThis.sendtrustEngine =
//! { glue, worker, module, received, adopt, load }` — the engine's glue URL,
//! the worker script's URL, a promise of the compiled `WebAssembly.Module`,
//! a promise that the engine's bytes have arrived, `adopt()`, which hands
//! this page the head's worker once (replaying what it said before the UI
//! listened), and `load()`, which instantiates the engine in the page.
//! [`AnalysisWorker::start`] adopts that worker; where there is none (it
//! could not start, or it crashed after adoption) it starts a new one and
//! posts it the glue URL and the compiled module itself (no second download
//! or compile). The script imports the glue, instantiates the module and
//! hands every request to the engine's `runAnalysis`.
//!
//! Protocol (sendtrust_engine_web::protocol): the page posts `{ request, raw }`
//! — the [`Request`] as JSON and the message bytes as a `Uint8Array` whose
//! buffer is transferred, not copied. The engine answers with JSON strings
//! `[id, event]`, one per [`Event`]. One resolver per provider lives in the
//! engine for the session, so repeated runs share the DNS cache. Besides the
//! JSON strings the script posts `{ ready: true }` once the engine runs, or
//! `{ failed: "…" }` when it cannot start.
//!
//! When no worker can be started (no module workers, a host policy against
//! them), the page runs the same engine wasm on its main thread
//! ([`run_in_page`]) with the same events (see `state.rs`).

pub use sendtrust_engine_web::protocol::{Event, Request};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The engine's handles, as the page's head script left them
/// (`globalThis.sendtrustEngine`); `None` in a build without the engine.
fn engine_global() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("sendtrustEngine"))
        .ok()
        .filter(|v| v.is_object())
}

fn get(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Reads one JSON string `[id, event]` from the engine.
pub(crate) fn heard_json(json: &str) -> Heard {
    // The report's reader (structs from objects only: less code than
    // `serde_json::from_str`, the same for what the engine writes).
    match sendtrust::report::json::from_str::<(u64, Event)>(json) {
        Ok((id, event)) => {
            // The finished report's text, kept for "Export JSON".
            let text = matches!(event, Event::Done { .. })
                .then(|| crate::report_text::done_report(json))
                .flatten();
            Heard::Event(id, Box::new(event), text)
        }
        Err(e) => Heard::Crashed(format!("unreadable answer: {e}")),
    }
}

/// The analysis the head script started from the static shell's text
/// (web/engine-boot.js), before the UI took over.
pub struct EarlyRun {
    /// Its run number (the `id` of its events).
    pub id: u64,
    /// The text it analyses.
    pub text: String,
    /// The request it was sent with (JSON).
    pub request: String,
}

/// The head script's early run, when it started one.
pub fn early_run() -> Option<EarlyRun> {
    let early = get(&engine_global()?, "early")?;
    let id = get(&early, "id")?.as_f64()?;
    if !(id >= 1.0 && id.fract() == 0.0 && id < 9.0e15) {
        return None;
    }
    Some(EarlyRun {
        id: id as u64,
        text: get(&early, "text")?.as_string()?,
        request: get(&early, "request")?.as_string()?,
    })
}

/// Marks the root element `data-engine-wasm="ready"` once the engine runs
/// (in the worker or in the page): what the load benchmark times.
fn mark_engine_ready() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-engine-wasm", "ready");
    }
}

/// What the page hears from the worker.
pub enum Heard {
    /// An event of run `id`; for `Done`, also the report's JSON text as the
    /// engine wrote it.
    Event(u64, Box<Event>, Option<String>),
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
        let engine = engine_global()?;
        let glue = get(&engine, "glue")?.as_string()?;
        let script = get(&engine, "worker")?.as_string()?;
        let module = get(&engine, "module")?.dyn_into::<js_sys::Promise>().ok()?;

        let on_heard = Rc::new(on_heard);
        let ready = Rc::new(std::cell::Cell::new(false));
        let on_message = {
            let (on_heard, ready) = (on_heard.clone(), ready.clone());
            Closure::<dyn FnMut(_)>::new(move |ev: web_sys::MessageEvent| {
                let data = ev.data();
                if let Some(json) = data.as_string() {
                    on_heard(heard_json(&json));
                    return;
                }
                let get = |name: &str| js_sys::Reflect::get(&data, &JsValue::from_str(name));
                if get("ready").is_ok_and(|v| v.is_truthy()) {
                    ready.set(true);
                    mark_engine_ready();
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
        // The worker the head script started as the page loaded (one worker,
        // not two): it already has, or will get, the compiled module from
        // the head script, and what it said before now is replayed to these
        // handlers. Otherwise (none was started, or it was adopted before
        // and has crashed since) a new one, handed the module here.
        let adopted = get(&engine, "adopt")
            .and_then(|adopt| adopt.dyn_into::<js_sys::Function>().ok())
            .and_then(|adopt| {
                adopt
                    .call2(&engine, on_message.as_ref(), on_error.as_ref())
                    .ok()
            })
            .and_then(|worker| worker.dyn_into::<web_sys::Worker>().ok());
        let hand_over = adopted.is_none();
        let worker = match adopted {
            Some(worker) => worker,
            None => {
                let options = web_sys::WorkerOptions::new();
                options.set_type(web_sys::WorkerType::Module);
                let worker = web_sys::Worker::new_with_options(&script, &options).ok()?;
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                worker
            }
        };

        // The module compiles in the page (started by the head script as
        // the page loaded): hand it over once it is there. Requests posted
        // meanwhile wait in the worker's queue. An adopted worker gets it
        // from the head script; a failed download is reported either way.
        let init_worker = worker.clone();
        let on_failure = on_heard.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let module = match wasm_bindgen_futures::JsFuture::from(module).await {
                Ok(module) => module,
                Err(e) => {
                    let why = e
                        .as_string()
                        .or_else(|| js_sys::Error::from(e).message().as_string())
                        .unwrap_or_else(|| "unknown error".into());
                    on_failure(Heard::NotStarted(format!(
                        "the engine could not be downloaded ({why})"
                    )));
                    return;
                }
            };
            if !hand_over {
                return;
            }
            let init = js_sys::Object::new();
            let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&init, &JsValue::from_str(k), v);
            if set("glue", &JsValue::from_str(&glue)).is_err()
                || set("module", &module).is_err()
                || init_worker.post_message(&init).is_err()
            {
                on_failure(Heard::NotStarted(
                    "the engine could not be handed to the worker".into(),
                ));
            }
        });
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

/// The engine on the page's main thread, once loaded (the fallback).
struct InPage {
    run: js_sys::Function,
    post: Closure<dyn Fn(String)>,
}

thread_local! {
    static IN_PAGE: RefCell<Option<Rc<InPage>>> = const { RefCell::new(None) };
}

/// Runs one request with the engine on the page's main thread (where no
/// worker can run): loads the engine wasm in the page on first use (the
/// compiled module the head script made), then calls its `runAnalysis`
/// with a callback in place of `postMessage`. `on_heard` receives the same
/// events a worker would send, or [`Heard::NotStarted`] when the engine
/// cannot be loaded at all.
pub fn run_in_page(request: &Request, raw: &[u8], on_heard: impl Fn(Heard) + 'static) {
    let Ok(json) = serde_json::to_string(request) else {
        on_heard(Heard::NotStarted("the request could not be written".into()));
        return;
    };
    let message = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
    if set("request", &JsValue::from_str(&json)).is_err()
        || set("raw", &js_sys::Uint8Array::from(raw)).is_err()
    {
        on_heard(Heard::NotStarted("the request could not be written".into()));
        return;
    }
    let on_heard: Rc<dyn Fn(Heard)> = Rc::new(on_heard);
    wasm_bindgen_futures::spawn_local(async move {
        match load_in_page(on_heard.clone()).await {
            Ok(engine) => {
                let _ = engine.run.call2(
                    &JsValue::NULL,
                    &message,
                    engine.post.as_ref().unchecked_ref(),
                );
            }
            Err(why) => on_heard(Heard::NotStarted(why)),
        }
    });
}

/// The engine in the page, loaded once; its events go to the `on_heard` of
/// the first run (the page's one [`Analysis`](crate::state::Analysis)).
async fn load_in_page(on_heard: Rc<dyn Fn(Heard)>) -> Result<Rc<InPage>, String> {
    if let Some(engine) = IN_PAGE.with(|e| e.borrow().clone()) {
        return Ok(engine);
    }
    let engine = engine_global().ok_or("this build has no engine")?;
    let load = get(&engine, "load")
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("this build has no engine loader")?;
    let describe = |e: JsValue| {
        e.as_string()
            .or_else(|| js_sys::Error::from(e).message().as_string())
            .unwrap_or_else(|| "unknown error".into())
    };
    let promise = load
        .call0(&engine)
        .map_err(describe)?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "the engine loader returned no promise".to_string())?;
    let glue = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| format!("the engine could not be loaded ({})", describe(e)))?;
    let run = get(&glue, "runAnalysis")
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("the engine has no runAnalysis")?;
    mark_engine_ready();
    let post = Closure::<dyn Fn(String)>::new(move |json: String| on_heard(heard_json(&json)));
    let engine = Rc::new(InPage { run, post });
    IN_PAGE.with(|e| *e.borrow_mut() = Some(engine.clone()));
    Ok(engine)
}
