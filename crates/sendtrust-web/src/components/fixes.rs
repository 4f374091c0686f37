//! The exact fix of a rule (and of DMARC), as the engine computed it: the
//! next steps (`fix_steps`: a blocklist's delisting policy and page, a DKIM
//! problem's next step), the records to publish (`fix_records`, a template
//! with its placeholder when a fact is missing) and the settings and commands
//! (`fix_settings`), each value with a copy button.
//!
//! Everything shown is report text, rendered as text. The only links are a
//! listing's page and policy source, which the engine takes from its own
//! reference table of lists (`lists/blocklists.rs`), never from the message or
//! a DNS answer; a value that is not an `https://` URL is shown as text, so a
//! report from elsewhere cannot turn into a `javascript:` link.

use crate::format;
use leptos::prelude::*;
use sendtrust::report::{FixStep, RecordFix, Removal, SettingFix};

/// A copy button for one value: the value goes to the clipboard as is.
#[component]
pub fn CopyButton(text: String, label: String) -> impl IntoView {
    let state = RwSignal::new("");
    let text = StoredValue::new(text);
    let copy = move |_| {
        let value = text.get_value();
        leptos::task::spawn_local(async move {
            state.set(match super::export::write_clipboard(&value).await {
                Ok(()) => "copied",
                Err(()) => "select and copy by hand",
            });
        });
    };
    view! {
        <button type="button" class="button small copy-value" on:click=copy aria-label=label>
            "Copy"
        </button>
        <span class="copy-status" role="status">{move || state.get()}</span>
    }
}

/// Everything a rule's fix has beyond its sentence: next steps, records,
/// settings. Renders nothing when all three are empty.
#[component]
pub fn ExactFix(
    steps: Vec<FixStep>,
    records: Vec<RecordFix>,
    settings: Vec<SettingFix>,
) -> impl IntoView {
    view! {
        {(!steps.is_empty()).then(|| view! { <FixSteps steps /> })}
        {(!records.is_empty()).then(|| view! { <FixRecords records /> })}
        {(!settings.is_empty()).then(|| view! { <FixSettings settings /> })}
    }
}

/// How a listing comes off its list, in words (the engine's [`Removal`]).
pub fn removal_text(removal: Removal) -> &'static str {
    match removal {
        Removal::SelfService => "self-service on the list’s page, once the cause is fixed",
        Removal::RequestForm => "a request form the list’s staff review",
        Removal::NetworkOwner => {
            "only the owner of the address block (your ISP or hosting provider) can ask"
        }
        Removal::Expires => "expires on its own once the cause stops: nothing to ask",
        Removal::OwnersPolicy => {
            "a policy listing: the address block owner’s choice, not a spam listing"
        }
    }
}

/// The URL as a link target when it is an `https://` URL without spaces or
/// quotes; `None` otherwise (then it is shown as text only).
pub fn link_target(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let clean = !rest.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>'));
    clean.then_some(url)
}

/// One outside page: a link that opens in a new tab without telling it where
/// the visitor came from; plain text when the value is not a clean `https://`
/// URL.
#[component]
fn OutsideLink(url: String, class: &'static str) -> impl IntoView {
    let shown = format::clip(&url, format::MAX_SHOWN_CHARS);
    match link_target(&url) {
        Some(href) => view! {
            <a class=class href=href.to_string() target="_blank" rel="noopener noreferrer">
                {shown}
                <span class="visually-hidden">" (opens in a new tab)"</span>
            </a>
        }
        .into_any(),
        None => view! { <span class=class>{shown}</span> }.into_any(),
    }
}

/// The next steps (`fix_steps`): subject, step, and for a listing how it
/// comes off and the list's page.
#[component]
pub fn FixSteps(steps: Vec<FixStep>) -> impl IntoView {
    let items = steps
        .into_iter()
        .map(|s| {
            let removal = s.removal.map(|r| {
                view! {
                    <p class="fix-step-removal" data-removal=r.as_str()>
                        <strong>"Removal: "</strong>
                        {removal_text(r)}
                    </p>
                }
            });
            // The policy source, when it is another page than the one to go to.
            let source = s.source.filter(|src| s.page.as_ref() != Some(src));
            let page = s.page.map(|page| {
                view! {
                    <p class="fix-step-page">
                        "Look it up and ask for removal: "
                        <OutsideLink url=page class="fix-step-link" />
                    </p>
                }
            });
            let source = source.map(|src| {
                view! {
                    <p class="fix-step-source">
                        "Policy as the list states it: " <OutsideLink url=src class="fix-step-link" />
                    </p>
                }
            });
            view! {
                <li class="fix-step" data-problem=s.problem.clone()>
                    <p class="fix-step-subject">
                        <strong>{format::clip(&s.subject, format::MAX_SHOWN_CHARS)}</strong>
                    </p>
                    <p class="fix-step-text">{format::clip(&s.step, format::MAX_SHOWN_CHARS)}</p>
                    {removal}
                    {page}
                    {source}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="fix-steps">
            <h4>"Next steps"</h4>
            <ul>{items}</ul>
        </div>
    }
}

/// `text` cut into plain runs and `<…>` placeholders (a placeholder keeps
/// its angle brackets), in order; joined, the parts are `text` again. A
/// placeholder is `<`, words, `>`: no space just inside the brackets, so a
/// shell redirection (`a < in > out`) stays plain text.
pub fn placeholder_parts(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    // Start of the current plain run, and where to look for the next `<`.
    let (mut plain, mut from) = (0, 0);
    while let Some(open) = text[from..].find('<').map(|i| from + i) {
        let inner_end = text[open + 1..].find(['<', '>']).map(|i| open + 1 + i);
        let placeholder = inner_end.filter(|&end| {
            let inner = &text[open + 1..end];
            text[end..].starts_with('>')
                && !inner.is_empty()
                && !inner.starts_with(char::is_whitespace)
                && !inner.ends_with(char::is_whitespace)
        });
        match placeholder {
            Some(end) => {
                if open > plain {
                    parts.push((false, &text[plain..open]));
                }
                parts.push((true, &text[open..=end]));
                plain = end + 1;
                from = end + 1;
            }
            None => from = open + 1,
        }
    }
    if plain < text.len() {
        parts.push((false, &text[plain..]));
    }
    parts
}

/// A record value or name as code, its `<…>` placeholders marked (as text:
/// the brackets are characters, never markup).
#[component]
fn CodeWithPlaceholders(text: String) -> impl IntoView {
    let shown = format::clip(&text, format::MAX_SHOWN_CHARS);
    let parts = placeholder_parts(&shown)
        .into_iter()
        .map(|(placeholder, part)| {
            let part = part.to_string();
            if placeholder {
                view! { <var class="fix-placeholder">{part}</var> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view();
    view! { <code class="mono wrap">{parts}</code> }
}

/// The records to publish, each with a copy button for its name and value.
/// A record that needs a fact shows its template (copied as is) and names
/// the fact; without a template it says what is missing.
#[component]
pub fn FixRecords(records: Vec<RecordFix>) -> impl IntoView {
    let records = records
        .into_iter()
        .map(|r| {
            let value = match (r.value, r.template) {
                (Some(v), _) => {
                    let label = format!("Copy the {} record for {}", r.rtype, r.name);
                    view! {
                        <div class="fix-record-value">
                            <code class="mono wrap">{format::clip(&v, format::MAX_SHOWN_CHARS)}</code>
                            <CopyButton text=v label />
                        </div>
                    }
                    .into_any()
                }
                (None, Some(template)) => {
                    let label = format!("Copy the {} record template for {}", r.rtype, r.name);
                    let needs = r.needs.clone().unwrap_or_else(|| "the parts in <…>".into());
                    view! {
                        <div class="fix-record-value fix-template">
                            <span class="fix-template-label">"Template: "</span>
                            <CodeWithPlaceholders text=template.clone() />
                            <CopyButton text=template label />
                        </div>
                        <p class="fix-needs">
                            {format!("Fill in {}", format::clip(&needs, format::MAX_SHOWN_CHARS))}
                        </p>
                    }
                    .into_any()
                }
                (None, None) => view! {
                    <p class="fix-needs">
                        {format!(
                            "Not computed: Sendtrust needs {}",
                            format::clip(
                                r.needs.as_deref().unwrap_or("more facts"),
                                format::MAX_SHOWN_CHARS,
                            ),
                        )}
                    </p>
                }
                .into_any(),
            };
            let lookups = r
                .lookups
                .map(|n| view! { <li>{format!("{n} of 10 DNS lookups")}</li> });
            let replaces = r.replaces.map(|old| {
                view! {
                    <li>
                        "Replaces "
                        <code class="mono wrap">{format::clip(&old, format::MAX_SHOWN_CHARS)}</code>
                    </li>
                }
            });
            let name_label = format!("Copy the name {}", r.name);
            view! {
                <li class="fix-record">
                    <div class="fix-record-head">
                        <span class="fix-record-type">{r.rtype}</span>
                        " "
                        <CodeWithPlaceholders text=r.name.clone() />
                        <CopyButton text=r.name label=name_label />
                    </div>
                    {value}
                    <ul class="fix-record-facts">
                        {replaces}
                        {lookups}
                        <li>
                            {format!(
                                "Changed by {}",
                                format::clip(&r.controlled_by, format::MAX_SHOWN_CHARS),
                            )}
                        </li>
                        {r.note.map(|n| view! { <li>{format::clip(&n, format::MAX_SHOWN_CHARS)}</li> })}
                    </ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="fix-records">
            <h4>"Records to publish"</h4>
            <ul>{records}</ul>
        </div>
    }
}

/// Server settings and commands (the HELO name, DKIM key generation, the
/// signer's settings), each as a copyable code block with its `<…>`
/// placeholders marked.
#[component]
pub fn FixSettings(settings: Vec<SettingFix>) -> impl IntoView {
    let settings = settings
        .into_iter()
        .map(|s| {
            let label = format!("Copy the {} setting", s.software);
            view! {
                <li class="fix-setting">
                    <p class="fix-setting-where">
                        <strong>{format::clip(&s.software, format::MAX_SHOWN_CHARS)}</strong>
                        {format!(" — {}", format::clip(&s.location, format::MAX_SHOWN_CHARS))}
                    </p>
                    <div class="fix-setting-value">
                        <CodeWithPlaceholders text=s.setting.clone() />
                        <CopyButton text=s.setting label />
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="fix-settings">
            <h4>"Settings and commands"</h4>
            <ul>{settings}</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_cut_out_and_the_parts_join_back() {
        let text = "v=DKIM1; k=rsa; p=<public key>";
        let parts = placeholder_parts(text);
        assert_eq!(
            parts,
            vec![(false, "v=DKIM1; k=rsa; p="), (true, "<public key>")]
        );
        let name = "<selector>._domainkey.<domain>";
        let parts = placeholder_parts(name);
        assert_eq!(
            parts,
            vec![
                (true, "<selector>"),
                (false, "._domainkey."),
                (true, "<domain>")
            ]
        );
        let command = "opendkim-genkey -s <selector> -d x.example < in > out <a<b>";
        assert_eq!(
            placeholder_parts(command),
            vec![
                (false, "opendkim-genkey -s "),
                (true, "<selector>"),
                (false, " -d x.example < in > out <a"),
                (true, "<b>"),
            ]
        );
        for t in [
            text,
            name,
            command,
            "a < b",
            "no placeholder",
            "<open",
            "<>",
            "x<é>y",
            "",
        ] {
            let joined: String = placeholder_parts(t).iter().map(|p| p.1).collect();
            assert_eq!(joined, t);
        }
        assert_eq!(placeholder_parts("a < b"), vec![(false, "a < b")]);
        assert_eq!(placeholder_parts("<>"), vec![(false, "<>")]);
        assert_eq!(
            placeholder_parts("x<é>y"),
            vec![(false, "x"), (true, "<é>"), (false, "y")]
        );
    }

    #[test]
    fn only_clean_https_urls_are_links() {
        assert_eq!(
            link_target("https://check.spamhaus.org/"),
            Some("https://check.spamhaus.org/")
        );
        for bad in [
            "javascript:alert(1)",
            "http://check.spamhaus.org/",
            "https://",
            "https://a.example/\" onmouseover=\"x",
            "https://a.example/ b",
            " https://a.example/",
            "data:text/html,<b>x</b>",
        ] {
            assert_eq!(link_target(bad), None, "{bad}");
        }
    }

    fn step(subject: &str, page: &str) -> FixStep {
        FixStep {
            problem: "listed".into(),
            subject: subject.into(),
            step: "Fix the cause, then ask.".into(),
            removal: Some(Removal::SelfService),
            page: Some(page.into()),
            source: Some("https://list.example/policy".into()),
        }
    }

    fn html(steps: Vec<FixStep>) -> String {
        Owner::new().with(|| view! { <FixSteps steps /> }.to_html())
    }

    #[test]
    fn a_listing_links_its_page_in_a_new_tab_without_opener_or_referrer() {
        let out = html(vec![step(
            "192.0.2.1 on Example",
            "https://list.example/lookup",
        )]);
        assert!(
            out.contains(
                r#"href="https://list.example/lookup" target="_blank" rel="noopener noreferrer""#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"href="https://list.example/policy""#),
            "{out}"
        );
        assert!(out.contains(r#"data-removal="self-service""#), "{out}");
        assert!(out.contains(removal_text(Removal::SelfService)), "{out}");
    }

    #[test]
    fn step_text_stays_text_and_a_bad_url_is_no_link() {
        let out = html(vec![step(
            "<img src=x onerror=alert(1)>",
            "javascript:alert(1)",
        )]);
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"), "{out}");
        assert!(!out.contains(r#"href="javascript:"#), "{out}");
        assert!(out.contains("javascript:alert(1)"), "shown as text: {out}");
    }

    #[test]
    fn every_removal_kind_has_its_own_words() {
        let all = [
            Removal::SelfService,
            Removal::RequestForm,
            Removal::NetworkOwner,
            Removal::Expires,
            Removal::OwnersPolicy,
        ];
        let mut texts: Vec<_> = all.iter().map(|r| removal_text(*r)).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), all.len());
    }
}
