//! The blocklist settings: which IP and domain blocklists rule 3 asks, lists
//! of the user's own, and an optional Spamhaus DQS key. Everything is kept in
//! localStorage ([`DnsSettings`]); a change re-runs the analysis shown.

use super::dns::rerun_after_settings_change;
use crate::settings::{DnsSettings, known_lists};
use crate::state::Analysis;
use leptos::ev;
use leptos::prelude::*;
use sendtrust::rules::dnsbl::{KnownList, ListKind};

fn kind_id(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Ip => "ip",
        ListKind::Domain => "domain",
    }
}

/// An element id for a zone's checkbox (zones are LDH names).
fn zone_id(kind: ListKind, zone: &str) -> String {
    format!("list-{}-{}", kind_id(kind), zone.replace('.', "-"))
}

/// The blocklist settings, collapsed under the DNS settings.
#[component]
pub fn BlocklistSettings() -> impl IntoView {
    let settings = expect_context::<DnsSettings>();
    let analysis = expect_context::<Analysis>();
    let count = move |kind: ListKind| {
        let choice = settings.lists(kind);
        settings
            .offered(kind)
            .iter()
            .filter(|z| choice.is_ticked(kind, z))
            .count()
    };
    let summary = move || {
        let (ip, domain) = (count(ListKind::Ip), count(ListKind::Domain));
        let customised = !settings.lists(ListKind::Ip).is_default()
            || !settings.lists(ListKind::Domain).is_default();
        format!(
            "Blocklists: {ip} IP, {domain} domain{}{}",
            if customised {
                " (your choice)"
            } else {
                " (defaults)"
            },
            if settings.dqs_key.with(String::is_empty) {
                ""
            } else {
                ", Spamhaus key set"
            }
        )
    };
    let reset = move |_| {
        settings.reset_lists();
        rerun_after_settings_change(analysis);
    };
    view! {
        <details class="blocklists" id="blocklists">
            <summary id="blocklists-summary">{summary}</summary>
            <p class="hint">
                "Rule 3 asks these lists about the sending server's address and the sender's domains. Your choice is kept in this browser only."
            </p>
            <ListGroup kind=ListKind::Ip />
            <ListGroup kind=ListKind::Domain />
            <DqsKey />
            <p class="lists-actions">
                <button
                    type="button"
                    class="button small"
                    id="lists-reset"
                    prop:disabled=move || {
                        settings.lists(ListKind::Ip).is_default()
                            && settings.lists(ListKind::Domain).is_default()
                    }
                    on:click=reset
                >
                    "Reset to the default lists"
                </button>
            </p>
        </details>
    }
}

/// The lists of one kind with checkboxes, and a field to add one.
#[component]
fn ListGroup(kind: ListKind) -> impl IntoView {
    let settings = expect_context::<DnsSettings>();
    let analysis = expect_context::<Analysis>();
    let known = known_lists(kind);
    let (legend, add_label, placeholder) = match kind {
        ListKind::Ip => (
            "IP blocklists (the sending server's address)",
            "Add an IP blocklist zone",
            "bl.example.org",
        ),
        ListKind::Domain => (
            "Domain blocklists (From, Return-Path and DKIM domains)",
            "Add a domain blocklist zone",
            "dbl.example.org",
        ),
    };
    let input_id = format!("add-{}-zone", kind_id(kind));
    let error_id = format!("{input_id}-error");
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move || {
        let text = typed.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        match settings.add_list(kind, &text) {
            Ok(_) => {
                typed.set(String::new());
                error.set(None);
                rerun_after_settings_change(analysis);
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let none_ticked = move || {
        let choice = settings.lists(kind);
        !settings
            .offered(kind)
            .iter()
            .any(|z| choice.is_ticked(kind, z))
    };
    view! {
        <fieldset class="list-group" id=format!("{}-lists", kind_id(kind))>
            <legend>{legend}</legend>
            <ul class="list-choices">
                // Keyed, so ticking a box keeps it (and the keyboard focus) in place.
                <For
                    each=move || settings.offered(kind)
                    key=|zone| zone.clone()
                    children=move |zone| {
                        let list = known.iter().copied().find(|l| l.zone == zone);
                        view! { <ListItem kind zone list /> }
                    }
                />
            </ul>
            <super::Shown when=none_ticked>
                <p class="field-error">
                    "No list ticked: rule 3 will ask nothing of this kind."
                </p>
            </super::Shown>
            <div class="add-zone">
                <label for=input_id.clone() class="field-label">
                    {add_label}
                </label>
                <div class="add-zone-row">
                    <input
                        id=input_id
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=placeholder
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        on:keydown=move |ev: ev::KeyboardEvent| {
                            if ev.key() == "Enter" {
                                ev.prevent_default();
                                add();
                            }
                        }
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        aria-describedby=error_id.clone()
                    />
                    <button type="button" class="button small" on:click=move |_| add()>
                        "Add"
                    </button>
                </div>
                <p id=error_id class="field-error" role="alert">
                    {move || error.get()}
                </p>
            </div>
        </fieldset>
    }
}

/// One zone: its checkbox, name and note (or a remove button for the user's own).
#[component]
fn ListItem(kind: ListKind, zone: String, list: Option<&'static KnownList>) -> impl IntoView {
    let settings = expect_context::<DnsSettings>();
    let analysis = expect_context::<Analysis>();
    let id = zone_id(kind, &zone);
    let label_for = id.clone();
    let checked = {
        let zone = zone.clone();
        move || settings.lists(kind).is_ticked(kind, &zone)
    };
    let on_change = {
        let zone = zone.clone();
        move |ev: ev::Event| {
            settings.set_list(kind, &zone, event_target_checked(&ev));
            rerun_after_settings_change(analysis);
        }
    };
    let remove = list.is_none().then(|| {
        let zone = zone.clone();
        let label = format!("Remove {zone}");
        view! {
            <button
                type="button"
                class="button small remove-zone"
                aria-label=label
                on:click=move |_| {
                    settings.remove_list(kind, &zone);
                    rerun_after_settings_change(analysis);
                }
            >
                "Remove"
            </button>
        }
    });
    view! {
        <li class="list-choice">
            <label class="toggle" for=label_for>
                <input id=id type="checkbox" prop:checked=checked on:change=on_change />
                <span>
                    <span class="list-name">{list.map_or("Your list", |l| l.name)}</span>
                    " "
                    <span class="mono zone">{zone.clone()}</span>
                    {list.filter(|l| l.default).map(|_| view! { <span class="tag">"default"</span> })}
                </span>
            </label>
            {remove}
            {list.map(|l| view! { <p class="list-note">{l.note}</p> })}
        </li>
    }
}

/// The optional Spamhaus Data Query Service key.
#[component]
fn DqsKey() -> impl IntoView {
    let settings = expect_context::<DnsSettings>();
    let analysis = expect_context::<Analysis>();
    let typed = RwSignal::new(settings.dqs_key.get_untracked());
    let error = RwSignal::new(None::<String>);
    let apply = move || {
        let before = settings.dqs_key.get_untracked();
        match settings.set_dqs_key(&typed.get_untracked()) {
            Ok(()) => {
                error.set(None);
                typed.set(settings.dqs_key.get_untracked());
                if settings.dqs_key.get_untracked() != before {
                    rerun_after_settings_change(analysis);
                }
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let forget = move |_| {
        typed.set(String::new());
        apply();
    };
    view! {
        <div class="field dqs">
            <label for="dqs-key" class="field-label">
                "Spamhaus DQS key (optional)"
            </label>
            <div class="add-zone-row">
                <input
                    id="dqs-key"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="your free Data Query Service key"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:change=move |_| apply()
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            apply();
                        }
                    }
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="dqs-key-help dqs-key-error"
                />
                <super::Shown when=move || !settings.dqs_key.with(String::is_empty)>
                    <button type="button" class="button small" id="dqs-forget" on:click=forget>
                        "Forget"
                    </button>
                </super::Shown>
            </div>
            <p id="dqs-key-error" class="field-error" role="alert">
                {move || error.get()}
            </p>
            <p id="dqs-key-help" class="hint">
                {move || {
                    format!(
                        "Spamhaus refuses questions that come through public resolvers, which every DoH provider is. With a free Data Query Service key, Spamhaus ZEN and DBL are asked as <key>.zen.dq.spamhaus.net instead. The key stays in this browser (localStorage) and is never put in the page address, but it is sent as part of those DNS names to {}, which can see it.",
                        settings.provider_name(),
                    )
                }}
            </p>
        </div>
    }
}
