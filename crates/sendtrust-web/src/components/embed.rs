//! Embed mode (`?embed=1`): the page in an iframe of a support page.
//!
//! Compact (no site header or footer, see app.rs and the embed styles) and
//! talking to the embedding page with `postMessage` — the protocol, also in
//! the README ("Embed it"):
//!
//! From the frame to its parent (target origin `*`: they carry no message
//! content):
//! - `{type: "sendtrust:ready", schemaVersion}` once the frame listens;
//! - `{type: "sendtrust:height", height}` whenever the page's height (CSS px)
//!   changes, so the parent can size the frame.
//!
//! From the parent to the frame (accepted only when `event.source` is the
//! frame's parent window; anything else is ignored):
//! - `{type: "sendtrust:analyze", raw, options?}` puts `raw` (a string) in the
//!   paste area and analyses it. `options`: `doh` (DoH URL or preset id, for
//!   this visit, not saved), `offline` (bool), `senderIp` (check this IP).
//! - `{type: "sendtrust:theme", scheme?, vars?}`: `scheme` is `auto`, `light`
//!   or `dark`; `vars` maps theme custom properties (`--accent`, …, see
//!   [`THEME_VARS`]) to plain colour values.
//! - `{type: "sendtrust:hello"}`: nothing but the parent's origin (below).
//!
//! The origin of the parent's accepted messages is remembered: "Copy link"
//! (components/share.rs) posts `{type: "sendtrust:share", link, length}` —
//! which carries header fields — to that origin only, never to `*`.
//!
//! Message data is only ever read as strings and booleans and shown as text;
//! it is never treated as HTML or as a URL to load.

use super::theme::{self, Scheme};
use crate::format::ProviderChoice;
use crate::settings::DnsSettings;
use crate::state::Analysis;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Longest message accepted from the parent (as for files).
const MAX_RAW_BYTES: usize = 64 * 1024 * 1024;

/// The custom properties a parent may set with `sendtrust:theme`.
pub const THEME_VARS: &[&str] = &[
    "--bg",
    "--surface",
    "--surface-2",
    "--text",
    "--muted",
    "--border",
    "--accent",
    "--accent-text",
    "--accent-soft",
    "--focus",
    "--pass",
    "--pass-bg",
    "--warn",
    "--warn-bg",
    "--fail",
    "--fail-bg",
    "--unknown",
    "--unknown-bg",
    "--na",
    "--na-bg",
    "--radius",
    "--radius-small",
];

/// True when the address asks for embed mode (`?embed`, `?embed=1`; not `?embed=0`).
pub fn is_embed() -> bool {
    let Ok(search) = window().location().search() else {
        return false;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return false;
    };
    params.has("embed")
        && !matches!(
            params.get("embed").unwrap_or_default().as_str(),
            "0" | "false" | "no"
        )
}

/// Whether a theme value is a plain colour or length: no functions but
/// rgb/hsl/oklch-style colour notations, no `url(`, no quotes, short.
pub fn safe_theme_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%/-+".contains(c))
        && !lower.contains("url")
        && !lower.contains("var")
        && !lower.contains("expression")
}

/// The frame's parent window, when the page is framed.
fn parent() -> Option<web_sys::Window> {
    let parent = window().parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &window())).then_some(parent)
}

fn post_to_parent(fields: &[(&str, JsValue)]) {
    let Some(parent) = parent() else {
        return;
    };
    let message = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*key).into(), value);
    }
    // `*`: these messages carry no message content, only sizes and versions.
    let _ = parent.post_message(&message, "*");
}

thread_local! {
    /// The origin of the parent's accepted messages, once it has sent one.
    static PARENT_ORIGIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Posts a shared link to the embedding page (`sendtrust:share`), to the
/// origin its messages came from; `false` when not embedded or the parent
/// has not spoken yet (its origin is unknown: the link stays in the frame).
pub fn post_share_link(link: &str) -> bool {
    let Some(origin) = PARENT_ORIGIN.with(|o| o.borrow().clone()) else {
        return false;
    };
    let Some(parent) = parent() else {
        return false;
    };
    let message = js_sys::Object::new();
    for (key, value) in [
        ("type", JsValue::from("sendtrust:share")),
        ("link", link.into()),
        ("length", (link.chars().count() as u32).into()),
    ] {
        let _ = js_sys::Reflect::set(&message, &key.into(), &value);
    }
    parent.post_message(&message, &origin).is_ok()
}

fn field(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `sendtrust:analyze`: fill the paste area and analyse.
fn analyze_message(data: &JsValue, settings: DnsSettings, analysis: Analysis) {
    let Some(raw) = field(data, "raw").as_string() else {
        analysis.fail("The embedding page sent no message text (raw must be a string).");
        return;
    };
    if raw.len() > MAX_RAW_BYTES {
        analysis.fail("The embedding page sent a message larger than 64 MB.");
        return;
    }
    let options = field(data, "options");
    let mut sender_ip = None;
    if options.is_object() {
        if let Some(doh) = field(&options, "doh").as_string() {
            match ProviderChoice::parse(&doh) {
                Ok(choice) => {
                    settings.from_address.set(Some(format!(
                        "The embedding page chose {} for this visit.",
                        choice.display_name()
                    )));
                    settings.choice.set(choice);
                }
                Err(why) => {
                    analysis.fail(format!("The embedding page's DNS provider: {why}"));
                    return;
                }
            }
        }
        if let Some(offline) = field(&options, "offline").as_bool() {
            settings.offline.set(offline);
        }
        if let Some(ip) = field(&options, "senderIp").as_string() {
            match ip.trim().parse() {
                Ok(ip) => sender_ip = Some(ip),
                Err(_) => {
                    analysis.fail("The embedding page's senderIp is not an IP address.");
                    return;
                }
            }
        }
    }
    analysis.edit_text(raw.clone());
    match sender_ip {
        Some(ip) => analysis.run(raw.into_bytes(), Some(ip)),
        None => analysis.run_text(),
    }
}

/// `sendtrust:theme`: a scheme and/or colour overrides.
fn theme_message(data: &JsValue) {
    if let Some(scheme) = field(data, "scheme")
        .as_string()
        .and_then(|s| Scheme::parse(&s))
    {
        theme::apply(scheme);
    }
    let vars = field(data, "vars");
    if !vars.is_object() {
        return;
    }
    let Some(root) = document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    for name in THEME_VARS {
        if let Some(value) = field(&vars, name).as_string()
            && safe_theme_value(&value)
        {
            let _ = style.set_property(name, value.trim());
        }
    }
}

/// Starts embed mode: marks the root element (`data-embed`), listens for the
/// parent's messages and reports the page height.
pub fn start(settings: DnsSettings, analysis: Analysis) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-embed", "");
    }
    let Some(parent) = parent() else {
        // Opened on its own: compact, but nobody to talk to.
        return;
    };

    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let from_parent = ev.source().is_some_and(|s| js_sys::Object::is(&s, &parent));
            if !from_parent {
                return;
            }
            // An opaque origin ("null") cannot be targeted: no link is posted then.
            let origin = ev.origin();
            if origin != "null" && !origin.is_empty() {
                PARENT_ORIGIN.with(|o| *o.borrow_mut() = Some(origin));
            }
            let data = ev.data();
            match field(&data, "type").as_string().as_deref() {
                Some("sendtrust:analyze") => analyze_message(&data, settings, analysis),
                Some("sendtrust:theme") => theme_message(&data),
                _ => {}
            }
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();

    let last = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let report_height = move || {
        let Some(root) = document().document_element() else {
            return;
        };
        let height = root.get_bounding_client_rect().height().ceil().max(0.0) as u32;
        if height != last.get() {
            last.set(height);
            post_to_parent(&[
                ("type", "sendtrust:height".into()),
                ("height", height.into()),
            ]);
        }
    };
    report_height();
    let observer = Closure::<dyn FnMut()>::new(report_height);
    if let (Ok(resize), Some(root)) = (
        web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref()),
        document().document_element(),
    ) {
        resize.observe(&root);
        // Observes for the page's lifetime.
        std::mem::forget(resize);
    }
    observer.forget();

    post_to_parent(&[
        ("type", "sendtrust:ready".into()),
        ("schemaVersion", sendtrust::SCHEMA_VERSION.into()),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_values_are_plain() {
        for ok in [
            "#0a7",
            "#112233",
            "rgb(10 20 30 / 50%)",
            "hsl(210, 50%, 40%)",
            "rebeccapurple",
            "6px",
        ] {
            assert!(safe_theme_value(ok), "{ok}");
        }
        for bad in [
            "url(https://x.example/a.png)",
            "var(--x)",
            "red; background: url(x)",
            "\"quoted\"",
            "",
            "expression(alert(1))",
            &"a".repeat(65),
        ] {
            assert!(!safe_theme_value(bad), "{bad}");
        }
    }
}
