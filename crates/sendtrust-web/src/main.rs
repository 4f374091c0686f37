//! The Sendtrust page: a client-side rendered Leptos app over the engine.
//!
//! The message is read here and never leaves the page; the only requests the
//! page makes (besides its own assets) are DNS-over-HTTPS questions to the
//! provider the user picked. All judgement is the engine's, which runs from
//! its own wasm (crates/sendtrust-engine-web) in a worker (`worker.rs`): this
//! wasm is the UI only, and the views only show the report as text.
//!
//! Built natively, the binary prints the static shell instead
//! (`sendtrust-web shell`, shell.rs): the build puts it into index.html.

#![warn(missing_docs)]
// The shell's native HTML rendering (tachys `ssr`) nests the page's view types deep.
#![recursion_limit = "256"]

mod app;
mod components;
mod format;
mod report_text;
mod samples;
mod settings;
mod shell;
mod state;
mod worker;

fn main() {
    if cfg!(target_arch = "wasm32") {
        page();
    } else {
        print_shell();
    }
}

/// In the browser: take over the static shell (or mount afresh).
fn page() {
    shell::mount();
}

/// Natively (`cargo run -p sendtrust-web -- shell`): prints the body fragment
/// scripts/shell.py puts into the built index.html.
fn print_shell() {
    if std::env::args().nth(1).as_deref() == Some("shell") {
        print!("{}", shell::body_fragment());
    } else {
        eprintln!(
            "usage: sendtrust-web shell   (prints the static shell; the page itself is wasm)"
        );
        std::process::exit(2);
    }
}
