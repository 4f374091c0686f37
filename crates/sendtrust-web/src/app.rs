//! The page layout.

use crate::components::dns::DnsSettingsPanel;
use crate::components::input::{DropZone, InputPanel};
use crate::components::results::Results;
use crate::components::theme::{Scheme, ThemePicker};
use crate::components::{embed, export, share, theme};
use crate::settings::DnsSettings;
use crate::state::Analysis;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the static shell held when the app took over (shell.rs): the text
/// typed or pasted before the engine was ready.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    /// The paste area's text.
    pub text: String,
}

/// The whole page. `carried` is what the person typed into the static shell
/// before the wasm arrived: it is kept, and analysed at once.
#[component]
pub fn App(carried: Carried) -> impl IntoView {
    let settings = DnsSettings::load();
    let analysis = Analysis::new(settings);
    provide_context(settings);
    provide_context(analysis);
    let scheme = theme::init();
    // `?embed=1`: compact, no site chrome, talks to the parent (components/embed.rs).
    let embedded = embed::is_embed();
    if embedded {
        embed::start(settings, analysis);
    }
    export::open_details_when_printing();
    // A shared link (`#h1=…`, components/share.rs) fills the input and runs.
    let from_link = share::open_from_address(analysis);
    if !from_link && !carried.text.trim().is_empty() {
        analysis.edit_text(carried.text.clone());
        // The worker may be analysing this text already (started from the
        // shell by the head script): take that run, else start one after the
        // mount (this task), when the results view is there to fill.
        if !analysis.adopt_early_run(&carried.text) {
            spawn_local(async move { analysis.run_text() });
        }
    }
    // After that decision: adopting the worker replays what it said so far.
    analysis.start_engine();

    view! {
        <Chrome embedded scheme loading=false>
            <Results />
        </Chrome>
        <DropZone />
    }
}

/// The page's frame: header, privacy promise, the input panel, the DNS
/// settings and the footer, with `children` (the results) under the inputs.
/// The app and the static shell (shell.rs, rendered to HTML at build time)
/// are both this component, so the shell cannot drift from the app.
/// `loading`: the engine is not there yet (the shell).
#[component]
pub fn Chrome(embedded: bool, scheme: Scheme, loading: bool, children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#message">
            "Skip to the message box"
        </a>
        <header class="site-header" hidden=embedded>
            <div class="container">
                <ThemePicker scheme />
                <h1>
                    <span class="logo" aria-hidden="true">"✉"</span>
                    "Sendtrust"
                </h1>
                <p class="tagline">
                    "Will receivers trust the server that sent this email? Five checks spam filters make: static IP, forward and reverse DNS, blocklists, SPF and DKIM."
                </p>
                <p class="promise">
                    <strong>"Private by design: "</strong>
                    "the message is read in this page and never sent anywhere. Only DNS questions go out, to the DNS-over-HTTPS provider you pick below — or nothing at all in offline mode."
                </p>
            </div>
        </header>
        <main class="container">
            <div class="input-grid">
                <InputPanel loading />
                <DnsSettingsPanel />
            </div>
            {children()}
        </main>
        <footer class="site-footer container">
            <p>
                {format!(
                    "Sendtrust {} · report schema v{} · runs entirely in your browser",
                    env!("CARGO_PKG_VERSION"),
                    sendtrust::SCHEMA_VERSION,
                )}
                {embedded
                    .then(|| {
                        view! {
                            " · "
                            <a href="./" target="_blank" rel="noopener">
                                "Open the full page"
                            </a>
                        }
                    })}
            </p>
        </footer>
    }
}
