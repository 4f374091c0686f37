//! The Sendtrust page: a client-side rendered Leptos app over the engine.
//!
//! The message is read here and never leaves the page; the only requests the
//! page makes (besides its own assets) are DNS-over-HTTPS questions to the
//! provider the user picked. All judgement is the engine's
//! ([`sendtrust::analyze_with`]); the views only show the report as text.

#![warn(missing_docs)]

mod api;
mod app;
mod components;
mod format;
mod samples;
mod settings;
mod state;
mod worker;

fn main() {
    // Loaded through the JS API module (dist/sendtrust.js), the wasm serves
    // `analyze()` only and must not take over the host page.
    let api_only = js_sys::Reflect::get(&js_sys::global(), &"__sendtrustApiOnly".into())
        .is_ok_and(|v| v.is_truthy());
    // In the analysis worker (worker.rs) there is no window: it only analyses.
    let in_window = wasm_bindgen::JsCast::is_instance_of::<web_sys::Window>(&js_sys::global());
    if in_window && !api_only {
        leptos::mount::mount_to_body(app::App);
    }
}
