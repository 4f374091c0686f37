//! Getting a message in: the paste area, "Open file", drop anywhere, samples.

use crate::format;
use crate::samples::SAMPLES;
use crate::state::Analysis;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Files larger than this are refused.
const MAX_FILE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;
/// Files larger than this are not put into the paste area whole (typing in a
/// multi-megabyte text area crawls); it shows the header block instead.
const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// What the paste area shows for a loaded file.
fn text_for_file(raw: &[u8]) -> String {
    if raw.len() <= MAX_TEXT_BYTES {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let head = &raw[..MAX_TEXT_BYTES.min(256 * 1024)];
    let end = head
        .windows(2)
        .position(|w| w == b"\n\n")
        .or_else(|| head.windows(4).position(|w| w == b"\r\n\r\n"))
        .unwrap_or(head.len());
    format!(
        "{}\n\n[Sendtrust: the rest of this {} file is not shown here, but it was analysed. \
         Editing this text analyses what you see instead.]\n",
        String::from_utf8_lossy(&head[..end]),
        format::size(raw.len() as f64)
    )
}

/// Reads a file and analyses it (bytes as they are: the engine decodes).
pub fn load_file(analysis: Analysis, file: web_sys::File) {
    let name = file.name();
    let bytes = file.size();
    if bytes > MAX_FILE_BYTES {
        analysis.fail(format!(
            "{name} is {}; Sendtrust reads messages up to {}. Save only the headers \
             (\"Show original\") and paste them instead.",
            format::size(bytes),
            format::size(MAX_FILE_BYTES)
        ));
        return;
    }
    spawn_local(async move {
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
        match buffer {
            Ok(buffer) => {
                let raw = js_sys::Uint8Array::new(&buffer).to_vec();
                analysis.load_file(
                    raw,
                    text_for_file,
                    format!("{name}, {}", format::size(bytes)),
                );
            }
            Err(_) => analysis.fail(format!("{name} could not be read.")),
        }
    });
}

/// The input panel. `loading`: the static shell's rendering (shell.rs),
/// before the engine is there — the buttons say so and do nothing yet; what
/// is typed is analysed when the app takes over.
#[component]
pub fn InputPanel(loading: bool) -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let file_input = NodeRef::<html::Input>::new();
    // A paste is followed by an input event carrying the new text: analyse then.
    let paste_pending = StoredValue::new(false);

    let on_input = move |ev: ev::Event| {
        analysis.edit_text(event_target_value(&ev));
        if paste_pending.get_value() {
            paste_pending.set_value(false);
            analysis.run_text();
        }
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            analysis.run_text();
        }
    };
    let on_file = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            load_file(analysis, file);
        }
        // Allow opening the same file again.
        input.set_value("");
    };

    view! {
        <section class="panel input-panel" aria-labelledby="input-title">
            <h2 id="input-title">"Check a message"</h2>
            <label for="message" class="field-label">
                "Paste the message source "
                <span class="hint">
                    "(in your mail program: “Show original” or “View source”; headers alone are enough)"
                </span>
            </label>
            <textarea
                id="message"
                rows="10"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                placeholder="Received: from mail.example.org (mail.example.org [192.0.2.25]) by …"
                aria-describedby="input-help"
                prop:value=move || analysis.text.get()
                on:input=on_input
                on:paste=move |_| paste_pending.set_value(true)
                on:keydown=on_keydown
            ></textarea>
            <p id="input-help" class="hint">
                "Pasting starts the check. Ctrl+Enter analyses what you typed. "
                "You can also drop an .eml file anywhere on this page."
                {move || analysis.source.get().map(|s| format!(" Loaded: {s}."))}
            </p>
            <div class="actions">
                <button
                    id="analyze"
                    class="button primary"
                    disabled=loading
                    on:click=move |_| analysis.run_text()
                >
                    {if loading { "Loading the checker…" } else { "Analyze" }}
                </button>
                <button
                    id="open-file"
                    type="button"
                    class="button"
                    disabled=loading
                    on:click=move |_| {
                        if let Some(input) = file_input.get() {
                            input.click();
                        }
                    }
                >
                    "Open file…"
                </button>
                <input
                    id="file"
                    type="file"
                    class="visually-hidden"
                    accept=".eml,.txt,message/rfc822,text/plain"
                    tabindex="-1"
                    aria-hidden="true"
                    node_ref=file_input
                    on:change=on_file
                />
            </div>
            <div class="samples" role="group" aria-labelledby="samples-label">
                <span id="samples-label">"Try a sample:"</span>
                {SAMPLES
                    .iter()
                    .map(|sample| {
                        view! {
                            <button
                                type="button"
                                class="button small"
                                id=format!("sample-{}", sample.id)
                                disabled=loading
                                on:click=move |_| {
                                    analysis.edit_text(sample.raw.to_string());
                                    analysis.run_text();
                                }
                            >
                                {sample.title}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// Drop an .eml anywhere: an overlay while dragging, then analysis.
#[component]
pub fn DropZone() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let dragging = RwSignal::new(false);
    let has_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer()
            .map(|dt| dt.types().includes(&"Files".into(), 0))
            .unwrap_or(false)
    };
    // The window listeners live as long as the page.
    let _ = window_event_listener(ev::dragover, move |ev| {
        if has_files(&ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    let _ = window_event_listener(ev::dragleave, move |ev| {
        // Leaving the window: no related target.
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(ev::drop, move |ev| {
        dragging.set(false);
        if !has_files(&ev) {
            return;
        }
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            load_file(analysis, file);
        }
    });
    view! {
        <div class="drop-overlay" class:visible=move || dragging.get() aria-hidden="true">
            <p>"Drop the .eml file to check it"</p>
        </div>
    }
}
