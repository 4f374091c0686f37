//! The page layout.

use crate::components::dns::DnsSettingsPanel;
use crate::components::input::{DropZone, InputPanel};
use crate::components::results::Results;
use crate::components::theme::ThemePicker;
use crate::components::{embed, export, theme};
use crate::settings::DnsSettings;
use crate::state::Analysis;
use leptos::prelude::*;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
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
                <InputPanel />
                <DnsSettingsPanel />
            </div>
            <Results />
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
        <DropZone />
    }
}
