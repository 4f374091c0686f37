//! "Copy link": share the analysis without uploading anything.
//!
//! The link carries the message's **header block only** (never the body),
//! compressed with raw DEFLATE (the browser's `CompressionStream`), in
//! base64url, in the URL fragment — which browsers never send to a server:
//! `…/#h1=<base64url(deflate-raw(header block))>`. Opening such a link fills
//! the paste area with the header block and analyses it in that browser; the
//! fragment is removed from the address (and history) first, so a reload does
//! not analyse it again. The format is versioned (`h1`); a newer version is
//! refused with words, never guessed at. docs/share-link.md describes it.
//!
//! Before anything is copied, a dialog (in the page's flow, under the
//! button; not modal, see [`ShareLink`]) shows what the link contains — the
//! header fields as text, addresses included — and its length. Links longer
//! than [`MAX_LINK_CHARS`] are refused with the reason and the alternatives.
//! In embed mode the link is also posted to the embedding page
//! (`sendtrust:share`, to the parent's origin only; components/embed.rs).

use crate::format;
use crate::state::{Analysis, Phase};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The longest link the page will make, in characters (the whole URL).
///
/// The fragment never reaches a server, so server limits do not matter; the
/// tools the link passes through do. Browsers take far more (Chromium 2 MB,
/// Firefox 1 MB, Safari about 80 000 characters); the 2 083 often quoted was
/// Internet Explorer's. RFC 9110 4.1 asks every HTTP component to handle at
/// least 8 000 octets, and that is where links start to get cut on the way:
/// ticket systems' link fields, chat tools' previews and mail programs that
/// wrap or clip long lines. A header block of a typical message (3–10 KB)
/// compresses to well under this; a long relay chain with ARC sets may not.
pub const MAX_LINK_CHARS: usize = 8_000;

/// The fragment key of this version of the format.
pub const FRAGMENT_KEY: &str = "h1=";

/// Fragments longer than this are not read at all (twice the longest link
/// the page makes: room for links made by hand, no room for a huge inflation).
const MAX_FRAGMENT_CHARS: usize = 2 * MAX_LINK_CHARS;

/// The largest header block a link may inflate to.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Why a shared link could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// `#h2=…` or later: made by a newer Sendtrust.
    NewerVersion(String),
    /// Not base64url, not DEFLATE, or cut short.
    Damaged,
    /// Longer than any link the page makes.
    TooLong,
    /// Inflates to more than a header block can be.
    TooBig,
    /// The link holds no header field.
    Empty,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NewerVersion(v) => write!(
                f,
                "this shared link is in format {v}, made by a newer Sendtrust; this page reads format h1 only"
            ),
            LinkError::Damaged => write!(
                f,
                "this shared link is damaged (cut short or changed on the way); ask for it again, or for the exported report"
            ),
            LinkError::TooLong => write!(
                f,
                "this shared link is longer than {MAX_FRAGMENT_CHARS} characters, more than Sendtrust ever makes"
            ),
            LinkError::TooBig => write!(
                f,
                "this shared link unpacks to more than {} KB, more than a header block",
                MAX_HEADER_BYTES / 1024
            ),
            LinkError::Empty => write!(f, "this shared link holds no header fields"),
        }
    }
}

/// The header block of a message: everything before the first empty line,
/// without it (leading empty lines skipped). The body is never part of it.
pub fn header_block(raw: &[u8]) -> &[u8] {
    let mut start = 0;
    // Skip empty lines before the first field.
    loop {
        let rest = &raw[start..];
        if rest.starts_with(b"\r\n") {
            start += 2;
        } else if rest.starts_with(b"\n") {
            start += 1;
        } else {
            break;
        }
    }
    let block = &raw[start..];
    for (i, byte) in block.iter().enumerate() {
        let next = &block[i + 1..];
        if *byte == b'\n' && (next.starts_with(b"\n") || next.starts_with(b"\r\n")) {
            // `i` ends the last header line; keep its line end.
            return &block[..=i];
        }
    }
    block
}

/// The header fields' names, in order (a continuation line belongs to the
/// field above it): what the dialog counts.
pub fn field_names(block: &str) -> Vec<&str> {
    block
        .lines()
        .filter(|line| !line.starts_with([' ', '\t']))
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| !name.is_empty() && !name.contains(' '))
        .collect()
}

/// The fragment (without `#`) for compressed header bytes.
pub fn fragment_for(compressed: &[u8]) -> String {
    format!("{FRAGMENT_KEY}{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Reads a fragment (with or without `#`): `Ok(None)` when it is not a
/// shared link at all (any other fragment: `#rule-spf`, …), the compressed
/// bytes for `h1=`, an error for a damaged link or another version.
pub fn parse_fragment(fragment: &str) -> Result<Option<Vec<u8>>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some((key, value)) = fragment.split_once('=') else {
        return Ok(None);
    };
    let is_versioned =
        key.len() >= 2 && key.starts_with('h') && key[1..].bytes().all(|b| b.is_ascii_digit());
    if !is_versioned {
        return Ok(None);
    }
    if key != "h1" {
        return Err(LinkError::NewerVersion(key.to_string()));
    }
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(LinkError::TooLong);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| LinkError::Damaged)?;
    if bytes.is_empty() {
        return Err(LinkError::Empty);
    }
    Ok(Some(bytes))
}

/// The address a link points at: this page's, without its fragment and
/// without `embed` (the person who opens it gets the full page). Other
/// parameters (`doh`, `offline`, `theme`) stay: the link opens the way the
/// page was set up.
pub fn link_base(href: &str) -> String {
    let without_fragment = href.split('#').next().unwrap_or(href);
    let (path, query) = match without_fragment.split_once('?') {
        Some((path, query)) => (path, query),
        None => (without_fragment, ""),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| p.split('=').next() != Some("embed"))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// What the dialog offers, from the link's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// The link, ready to copy.
    Link(String),
    /// Too long: its length, refused.
    TooLong(usize),
}

/// The link for `base` and compressed header bytes, or a refusal.
pub fn offer(base: &str, compressed: &[u8]) -> Offer {
    let link = format!("{base}#{}", fragment_for(compressed));
    let length = link.chars().count();
    if length > MAX_LINK_CHARS {
        Offer::TooLong(length)
    } else {
        Offer::Link(link)
    }
}

/// Runs `bytes` through the browser's `CompressionStream` or
/// `DecompressionStream` (`class`) with raw DEFLATE. Constructed by name:
/// web-sys offers these classes only behind its unstable-API flag.
async fn deflate_raw(class: &str, bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &class.into())?.dyn_into()?;
    let transform =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::of1(&"deflate-raw".into()))?;
    let input = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(
        &js_sys::Uint8Array::from(bytes),
    ))?;
    // A (De)CompressionStream has `readable` and `writable`: it is the pair.
    let output = input
        .stream()
        .pipe_through(transform.unchecked_ref::<web_sys::ReadableWritablePair>());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&output))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The header block a shared link holds.
pub async fn read_link(fragment: &str) -> Result<Option<String>, LinkError> {
    let Some(compressed) = parse_fragment(fragment)? else {
        return Ok(None);
    };
    let block = deflate_raw("DecompressionStream", &compressed)
        .await
        .map_err(|_| LinkError::Damaged)?;
    if block.len() > MAX_HEADER_BYTES {
        return Err(LinkError::TooBig);
    }
    let text = String::from_utf8_lossy(header_block(&block)).into_owned();
    if field_names(&text).is_empty() {
        return Err(LinkError::Empty);
    }
    Ok(Some(text))
}

/// Opens a shared link in the address, if there is one: removes the fragment
/// from the address (replacing the history entry), then fills the paste area
/// and analyses, or says why the link cannot be read. Returns whether the
/// address held a shared link. Also listens for a link pasted into the
/// address bar of an open page (`hashchange`).
pub fn open_from_address(analysis: Analysis) -> bool {
    let found = open_fragment(analysis);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        open_fragment(analysis);
    });
    // Lives as long as the page.
    std::mem::forget(listener);
    found
}

fn open_fragment(analysis: Analysis) -> bool {
    let location = window().location();
    let Ok(hash) = location.hash() else {
        return false;
    };
    if !matches!(parse_fragment(&hash), Ok(Some(_)) | Err(_)) {
        return false;
    }
    // Out of the address before anything else: a reload must not re-run it,
    // and the history entry must not keep the headers.
    if let (Ok(history), Ok(path), Ok(search)) =
        (window().history(), location.pathname(), location.search())
    {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
    spawn_local(async move {
        match read_link(&hash).await {
            Ok(Some(text)) => {
                analysis.edit_text(text);
                analysis.run_text();
            }
            Ok(None) => {}
            Err(why) => analysis.fail(format!("Shared link: {why}.")),
        }
    });
    true
}

/// What the share dialog shows.
#[derive(Debug, Clone, PartialEq)]
enum Prepared {
    /// Compressing.
    Working,
    /// Nothing to share (no message, or no header block).
    Nothing(String),
    /// The header block and the offer.
    Ready { block: String, offer: Offer },
}

/// What became of the last copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Not,
    Copied,
    /// Posted to the embedding page (and copied when the browser allowed it).
    Sent,
    /// The browser refused the clipboard: the link is shown to copy by hand.
    Refused,
}

/// The "Copy link…" button and its dialog.
#[component]
pub fn ShareLink() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let dialog = NodeRef::<html::Dialog>::new();
    let prepared = RwSignal::new(Prepared::Working);
    let done = RwSignal::new(Done::Not);
    let not_done = move || analysis.phase.get() != Phase::Done;

    let open = move |_| {
        done.set(Done::Not);
        prepared.set(Prepared::Working);
        // Not modal: in an embedding page's frame (as tall as its content)
        // a modal dialog would sit in the middle of the frame, out of sight;
        // in the flow it opens right under the button.
        if let Some(d) = dialog.get() {
            d.show();
            let _ = d.focus();
        }
        let Some(raw) = analysis.message_bytes() else {
            prepared.set(Prepared::Nothing(
                "There is no analysed message to share.".into(),
            ));
            return;
        };
        let block = header_block(&raw).to_vec();
        let text = String::from_utf8_lossy(&block).into_owned();
        if field_names(&text).is_empty() {
            prepared.set(Prepared::Nothing(
                "The message has no header fields to share.".into(),
            ));
            return;
        }
        let base = link_base(&window().location().href().unwrap_or_default());
        spawn_local(async move {
            match deflate_raw("CompressionStream", &block).await {
                Ok(compressed) => prepared.set(Prepared::Ready {
                    block: text,
                    offer: offer(&base, &compressed),
                }),
                Err(_) => prepared.set(Prepared::Nothing(
                    "This browser cannot compress the link (no CompressionStream). Use Download JSON or Copy Markdown instead."
                        .into(),
                )),
            }
        });
    };
    let button = NodeRef::<html::Button>::new();
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    };
    let copy = move |_| {
        let Prepared::Ready {
            offer: Offer::Link(link),
            ..
        } = prepared.get_untracked()
        else {
            return;
        };
        let sent = super::embed::post_share_link(&link);
        spawn_local(async move {
            let copied = super::export::write_clipboard(&link).await.is_ok();
            done.set(match (sent, copied) {
                (true, _) => Done::Sent,
                (false, true) => Done::Copied,
                (false, false) => Done::Refused,
            });
        });
    };

    let body = move || match prepared.get() {
        Prepared::Working => view! { <p class="hint">"Preparing the link…"</p> }.into_any(),
        Prepared::Nothing(why) => {
            view! { <p class="error-box" id="share-nothing">{why}</p> }.into_any()
        }
        Prepared::Ready { block, offer } => {
            let fields = field_names(&block).len();
            let (length_text, refused) = match &offer {
                Offer::Link(link) => (
                    format!(
                        "The link is {} characters long (at most {MAX_LINK_CHARS}).",
                        link.chars().count()
                    ),
                    None,
                ),
                Offer::TooLong(length) => (
                    format!(
                        "The link would be {length} characters long, over the limit of {MAX_LINK_CHARS}."
                    ),
                    Some(view! {
                        <p class="error-box" id="share-refused" role="alert">
                            {format!(
                                "Not copied: links over {MAX_LINK_CHARS} characters get cut by chat tools, ticket systems and mail programs, and a cut link opens nothing. Share the report instead: Download JSON (the full report) or Copy Markdown (a summary for a ticket)."
                            )}
                        </p>
                    }),
                ),
            };
            let link = match &offer {
                Offer::Link(link) => Some(link.clone()),
                Offer::TooLong(_) => None,
            };
            view! {
                <p>
                    {format!(
                        "The link holds the message’s header block: {fields} header field{}, {} characters, addresses included. The body is left out. Whoever opens the link sees these fields and checks them again in their browser; nothing is uploaded.",
                        if fields == 1 { "" } else { "s" },
                        block.chars().count(),
                    )}
                </p>
                <pre class="share-fields mono" id="share-fields" tabindex="0" aria-label="The header fields in the link">
                    {format::clip(&block, 50_000)}
                </pre>
                <p id="share-length">{length_text}</p>
                {refused}
                {link.map(|link| {
                    view! {
                        <label class="field-label" for="share-url">"The link"</label>
                        <input id="share-url" class="mono share-url" type="text" readonly prop:value=link />
                    }
                })}
            }
                .into_any()
        }
    };
    let can_copy = move || {
        matches!(
            prepared.get(),
            Prepared::Ready {
                offer: Offer::Link(_),
                ..
            }
        )
    };
    view! {
        <button
            type="button"
            class="button small"
            id="share-link"
            node_ref=button
            prop:disabled=not_done
            on:click=open
            title="A link that carries the header block, checked again by whoever opens it"
            aria-haspopup="dialog"
        >
            "Copy link…"
        </button>
        <dialog
            node_ref=dialog
            class="share-dialog"
            id="share-dialog"
            aria-labelledby="share-title"
            tabindex="-1"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    close();
                }
            }
        >
            <h2 id="share-title">"Share a link to this check"</h2>
            {body}
            <p class="share-status" id="share-status" role="status">
                {move || match done.get() {
                    Done::Not => "",
                    Done::Copied => "Link copied.",
                    Done::Sent => "Link sent to the page around this one.",
                    Done::Refused => "The browser did not allow copying: select the link above and copy it.",
                }}
            </p>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    id="share-copy"
                    prop:disabled=move || !can_copy()
                    on:click=copy
                >
                    "Copy link"
                </button>
                <button type="button" class="button" id="share-close" on:click=move |_| close()>
                    "Close"
                </button>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &[u8] = b"Received: from a.example (a.example [192.0.2.1])\r\n\tby b.example; Tue, 18 Nov 2025 09:14:07 +0000\r\nFrom: Alice <alice@a.example>\r\nSubject: hi\r\n\r\nThe body: secret.\r\n\r\nMore body.\r\n";

    #[test]
    fn the_header_block_stops_before_the_body() {
        let block = header_block(MESSAGE);
        let text = std::str::from_utf8(block).expect("ascii");
        assert!(text.ends_with("Subject: hi\r\n"), "{text:?}");
        assert!(!text.contains("secret"));
        // LF line ends, leading empty lines, and a headers-only paste.
        let lf = b"\n\nFrom: a@b.example\nTo: c@d.example\n\nbody\n";
        assert_eq!(header_block(lf), b"From: a@b.example\nTo: c@d.example\n");
        let only = b"From: a@b.example\nSubject: x";
        assert_eq!(header_block(only), only);
        // A body line that looks like a field stays out.
        let tricky = b"From: a@b.example\n\nX-Looks-Like: a field\n";
        assert_eq!(header_block(tricky), b"From: a@b.example\n");
    }

    #[test]
    fn fields_are_counted_with_their_continuations() {
        let text = std::str::from_utf8(header_block(MESSAGE)).expect("ascii");
        assert_eq!(field_names(text), ["Received", "From", "Subject"]);
        assert!(field_names("just text\nno fields here").is_empty());
    }

    #[test]
    fn fragments_round_trip_and_are_versioned() {
        let bytes = [0u8, 1, 2, 250, 251, 252, 253, 254, 255];
        let fragment = fragment_for(&bytes);
        assert!(fragment.starts_with("h1="));
        // base64url: no characters a URL would need to escape.
        assert!(
            fragment[3..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{fragment}"
        );
        assert_eq!(parse_fragment(&fragment), Ok(Some(bytes.to_vec())));
        assert_eq!(
            parse_fragment(&format!("#{fragment}")),
            Ok(Some(bytes.to_vec()))
        );
        // Other fragments are not links.
        for other in [
            "",
            "#",
            "#rule-spf",
            "#results",
            "#x=1",
            "#h=abc",
            "#hx=abc",
        ] {
            assert_eq!(parse_fragment(other), Ok(None), "{other}");
        }
        assert_eq!(
            parse_fragment("#h2=AAAA"),
            Err(LinkError::NewerVersion("h2".into()))
        );
        assert_eq!(parse_fragment("#h1=not base64!"), Err(LinkError::Damaged));
        assert_eq!(parse_fragment("#h1="), Err(LinkError::Empty));
        let long = format!("#h1={}", "A".repeat(MAX_FRAGMENT_CHARS));
        assert_eq!(parse_fragment(&long), Err(LinkError::TooLong));
    }

    #[test]
    fn the_link_drops_embed_and_the_old_fragment() {
        assert_eq!(
            link_base("https://x.example/tools/?embed=1&doh=google#h1=abc"),
            "https://x.example/tools/?doh=google"
        );
        assert_eq!(
            link_base("https://x.example/tools/?embed#rule-spf"),
            "https://x.example/tools/"
        );
        assert_eq!(
            link_base("http://127.0.0.1:8080/sendtrust/?theme=dark&embedded=2"),
            "http://127.0.0.1:8080/sendtrust/?theme=dark&embedded=2"
        );
    }

    #[test]
    fn links_over_the_limit_are_refused() {
        let base = "https://x.example/";
        let fits = (MAX_LINK_CHARS - base.len() - 4) / 4 * 3;
        match offer(base, &vec![7u8; fits]) {
            Offer::Link(link) => {
                assert!(link.len() <= MAX_LINK_CHARS);
                assert!(link.starts_with("https://x.example/#h1="));
            }
            other => panic!("{other:?}"),
        }
        match offer(base, &vec![7u8; fits + 3]) {
            Offer::TooLong(length) => assert!(length > MAX_LINK_CHARS),
            other => panic!("{other:?}"),
        }
    }
}
