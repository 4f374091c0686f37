//! Export and share without uploading: the JSON report as a download, the
//! engine's Markdown summary on the clipboard, and printing.
//!
//! Everything is made in the page: the download is a local blob URL, the
//! clipboard is written by the browser, printing uses the print styles in
//! web/style.css. Nothing is sent anywhere to share a report.

use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Saves the report JSON (generated locally as a blob; nothing is sent).
pub fn download_json(analysis: &Analysis) {
    let Some(json) = analysis.report_json() else {
        return;
    };
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download("sendtrust-report.json");
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The engine's Markdown summary of the finished report.
fn markdown(analysis: &Analysis) -> Option<String> {
    if analysis.phase.get_untracked() != Phase::Done {
        return None;
    }
    analysis
        .report
        .with_untracked(|r| r.as_ref().map(sendtrust::markdown::markdown))
}

/// What became of the last "Copy Markdown".
#[derive(Debug, Clone, PartialEq)]
enum Copied {
    Not,
    Yes,
    /// The browser refused the clipboard: the text is shown to copy by hand.
    Refused(String),
}

/// Writes `text` to the clipboard; `Err` when the browser has no clipboard
/// here (insecure context, a frame without `allow="clipboard-write"`) or
/// refuses.
pub(crate) async fn write_clipboard(text: &str) -> Result<(), ()> {
    let navigator = window().navigator();
    // `navigator.clipboard` is undefined outside secure contexts: calling it
    // would throw through the wasm frames.
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| c.is_object());
    if !has_clipboard {
        return Err(());
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| ())
}

/// Opens every collapsed section of the results for printing and closes them
/// again afterwards (`<details>` cannot be opened by a print style).
pub fn open_details_when_printing() {
    let opened = StoredValue::new_local(Vec::<web_sys::Element>::new());
    let before = window_event_listener(leptos::ev::beforeprint, move |_| {
        let Ok(list) = document().query_selector_all("#results details:not([open])") else {
            return;
        };
        let mut elements = Vec::new();
        for i in 0..list.length() {
            if let Some(e) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = e.set_attribute("open", "");
                elements.push(e);
            }
        }
        opened.set_value(elements);
    });
    let after = window_event_listener(leptos::ev::afterprint, move |_| {
        for e in opened.get_value() {
            let _ = e.remove_attribute("open");
        }
        opened.set_value(Vec::new());
    });
    // The listeners live as long as the page.
    std::mem::forget((before, after));
}

/// The export buttons: JSON download, Markdown copy, print.
#[component]
pub fn ExportButtons() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let copied = RwSignal::new(Copied::Not);
    let not_done = move || analysis.phase.get() != Phase::Done;
    // A new analysis makes an earlier "copied" stale.
    Effect::watch(
        move || analysis.phase.get(),
        move |_, _, _| copied.set(Copied::Not),
        false,
    );
    let copy = move |_| {
        let Some(text) = markdown(&analysis) else {
            return;
        };
        spawn_local(async move {
            match write_clipboard(&text).await {
                Ok(()) => copied.set(Copied::Yes),
                Err(()) => copied.set(Copied::Refused(text)),
            }
        });
    };
    view! {
        <div class="export" role="group" aria-label="Export and share">
            <button
                type="button"
                class="button small"
                id="download-json"
                prop:disabled=not_done
                on:click=move |_| download_json(&analysis)
            >
                "Download JSON"
            </button>
            <button
                type="button"
                class="button small"
                id="copy-markdown"
                prop:disabled=not_done
                on:click=copy
                title="A Markdown summary for a support ticket"
            >
                "Copy Markdown"
            </button>
            <super::share::ShareLink />
            <button
                type="button"
                class="button small"
                id="print-report"
                prop:disabled=not_done
                on:click=move |_| {
                    let _ = window().print();
                }
            >
                "Print"
            </button>
            <span class="export-status" id="export-status" role="status">
                {move || match copied.get() {
                    Copied::Yes => "Markdown summary copied.",
                    Copied::Refused(_) => "The browser did not allow copying: select the text below.",
                    Copied::Not => "",
                }}
            </span>
        </div>
        {move || match copied.get() {
            Copied::Refused(text) => {
                Some(
                    view! {
                        <label class="field-label visually-hidden" for="markdown-text">
                            "Markdown summary"
                        </label>
                        <textarea id="markdown-text" class="markdown-text" readonly rows="8">
                            {text}
                        </textarea>
                    },
                )
            }
            _ => None,
        }}
    }
}
