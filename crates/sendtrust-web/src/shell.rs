//! The static shell: the page's first screen as plain HTML in `index.html`,
//! so it paints (and takes typing) before the wasm has arrived.
//!
//! Built natively at build time (`cargo run -p sendtrust-web -- shell`, from
//! the Trunk hook scripts/shell.py): [`render`] renders the app's own
//! [`Chrome`] component — header, privacy promise, input panel, DNS settings,
//! footer — with Leptos's HTML rendering, for the full page and for embed
//! mode, so the shell is the app's markup and cannot drift from it. In the
//! browser, [`mount`] replaces the shell with the live app in one task (no
//! paint in between) and carries over what was typed, the selection and the
//! focus.

use crate::app::{App, Carried, Chrome};
use crate::components::theme::Scheme;
use crate::settings::DnsSettings;
use crate::state::Analysis;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the element the shell and the app live in.
pub const ROOT_ID: &str = "app";
/// The id of the `<template>` holding the embed-mode shell.
const EMBED_TEMPLATE_ID: &str = "shell-embed";

/// Runs before the first paint, in the shell: swaps in the embed shell for
/// `?embed` (as components/embed.rs reads it) and applies the saved or
/// requested theme (as components/theme.rs does), so neither flips when the
/// app takes over. scripts/csp.py allows it by hash.
const EARLY_SCRIPT: &str = "(function(){var d=document,r=d.documentElement,p=new URLSearchParams(location.search),e=p.get('embed');\
if(p.has('embed')&&!/^(0|false|no)$/.test(e)){var t=d.getElementById('shell-embed'),a=d.getElementById('app');\
if(t&&a){a.replaceWith(t.content.cloneNode(true));}r.setAttribute('data-embed','');}\
var s=p.get('theme');if(!s){try{s=localStorage.getItem('sendtrust.theme');}catch(x){}}\
s=(s||'').trim().toLowerCase();if(s==='light'||s==='dark'){r.setAttribute('data-theme',s);}})();";

/// The shell's HTML for the full page (`embedded` false) or embed mode: the
/// app's [`Chrome`] as it renders before the engine is ready.
pub fn render(embedded: bool) -> String {
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Effects the components create are never run for the HTML: an
        // executor that drops them (set once; a second set is refused, fine).
        let _ = any_spawner::Executor::init_custom_executor(DropEffects);
    }
    let owner = Owner::new();
    owner.with(|| {
        // Defaults only: the saved provider and theme are the app's to read.
        let settings = DnsSettings::defaults();
        provide_context(settings);
        provide_context(Analysis::new(settings));
        let chrome = view! {
            <Chrome embedded scheme=Scheme::Auto loading=true>
                ""
            </Chrome>
        }
        .to_html();
        format!(r#"<div id="{ROOT_ID}" data-shell="">{chrome}</div>"#)
    })
}

/// The executor for rendering the shell natively: drops every task (the
/// shell is the first render; no effect needs to run for it).
#[cfg(not(target_arch = "wasm32"))]
struct DropEffects;

#[cfg(not(target_arch = "wasm32"))]
impl any_spawner::CustomExecutor for DropEffects {
    fn spawn(&self, _: any_spawner::PinnedFuture<()>) {}
    fn spawn_local(&self, _: any_spawner::PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// The request a first visit sends and the saved settings that would make
/// it another (`{ keys, request }`): the head script (web/engine-boot.js)
/// analyses a text pasted into the shell with it when none of those keys is
/// stored and the page address has no query.
pub fn default_request() -> String {
    let owner = Owner::new();
    let request = owner.with(|| crate::state::default_request(&DnsSettings::defaults()));
    let keys = serde_json::to_string(&crate::settings::SAVED_KEYS).unwrap_or_default();
    // The request as the page writes it (field order kept: state.rs compares text).
    let request = request.unwrap_or_else(|| "null".into());
    format!(r#"{{"keys":{keys},"request":{request}}}"#)
        // Inside <script>: no "</script>" can close it early.
        .replace("</", "<\\/")
}

/// What goes into `index.html`'s body: the embed shell (inert template), the
/// full shell, the script choosing between them before the first paint, and
/// the default request (data).
pub fn body_fragment() -> String {
    format!(
        "<template id=\"{EMBED_TEMPLATE_ID}\">{}</template>\n{}\n<script>{EARLY_SCRIPT}</script>\n\
         <script type=\"application/json\" id=\"shell-request\">{}</script>\n",
        render(true),
        render(false),
        default_request()
    )
}

/// Mounts the app over the shell (or into a new root when the page has
/// none), keeping the paste area's text, selection and focus, then marks the
/// root element `data-engine="ready"`.
pub fn mount() {
    let document = document();
    let Some(body) = document.body() else {
        return;
    };
    let shell = document.get_element_by_id(ROOT_ID);
    let typed = shell
        .as_ref()
        .and_then(|_| document.get_element_by_id("message"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let focused = typed
        .as_ref()
        .is_some_and(|t| document.active_element().is_some_and(|a| a == ***t));
    let selection = typed.as_ref().and_then(|t| {
        Some((
            t.selection_start().ok().flatten()?,
            t.selection_end().ok().flatten()?,
        ))
    });
    let text = typed.as_ref().map(|t| t.value()).unwrap_or_default();
    let carried = Carried { text: text.clone() };

    let Ok(root) = document.create_element("div") else {
        return;
    };
    root.set_id(ROOT_ID);
    let placed = match &shell {
        Some(shell) => shell.before_with_node_1(&root),
        None => body.append_child(&root).map(|_| ()),
    };
    if placed.is_err() {
        return;
    }
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    leptos::mount::mount_to(root, move || view! { <App carried /> }).forget();
    if let Some(shell) = shell {
        shell.remove();
    }
    // The app sets the new paste area's value in an effect that runs after
    // this task, which would put the caret at the end: give it the same
    // value now (setting an equal value later moves nothing), then restore
    // the selection and the focus.
    let area = document
        .get_element_by_id("message")
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    if let Some(area) = area {
        area.set_value(&text);
        if let Some((start, end)) = selection {
            let _ = area.set_selection_range(start, end);
        }
        if focused {
            let _ = area.focus();
        }
    }
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-engine", "ready");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_holds_the_input_panel_in_its_loading_state() {
        let html = render(false);
        assert!(
            html.starts_with(r#"<div id="app" data-shell="">"#),
            "{html}"
        );
        assert!(html.contains(r#"id="message""#), "{html}");
        assert!(html.contains("Loading the checker…"), "{html}");
        assert!(html.contains("Private by design"), "{html}");
        assert!(html.contains(r#"id="provider""#), "{html}");
        assert!(!html.contains("Open the full page"), "{html}");
    }

    #[test]
    fn embed_shell_hides_the_header_and_links_the_full_page() {
        let html = render(true);
        assert!(html.contains("Open the full page"), "{html}");
        let header = html.find("<header").map(|i| &html[i..]).unwrap_or_default();
        assert!(
            header
                .split('>')
                .next()
                .unwrap_or_default()
                .contains("hidden"),
            "{html}"
        );
    }
}
