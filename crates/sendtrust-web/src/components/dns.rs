//! DNS: the provider picker with its privacy note, the blocklist settings,
//! and the query log panel.

use super::blocklists::BlocklistSettings;
use crate::format::ProviderChoice;
use crate::settings::DnsSettings;
use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use sendtrust::dns::PROVIDERS;

const CUSTOM: &str = "custom";

/// Re-analyses the message shown (keeping a hop the user picked) after a DNS
/// setting changed, so the results always match the settings on screen.
/// Does nothing when no report is shown.
pub fn rerun_after_settings_change(analysis: Analysis) {
    let Some(chosen) = analysis.report.with_untracked(|r| {
        r.as_ref().map(|r| {
            r.sender
                .as_ref()
                .filter(|s| s.chosen_by == sendtrust::report::ChosenBy::User)
                .map(|s| s.ip)
        })
    }) else {
        return;
    };
    analysis.rerun_with_sender(chosen);
}

/// Provider picker, offline toggle and what the provider will see.
#[component]
pub fn DnsSettingsPanel() -> impl IntoView {
    let settings = expect_context::<DnsSettings>();
    let analysis = expect_context::<Analysis>();
    let custom_url = RwSignal::new(match settings.choice.get_untracked() {
        ProviderChoice::Custom(url) => url,
        ProviderChoice::Preset(_) => String::new(),
    });
    let custom_error = RwSignal::new(None::<String>);
    // An embedding page can choose a custom provider after this panel is
    // shown (components/embed.rs): show its URL in the field.
    Effect::watch(
        move || settings.choice.get(),
        move |choice, _, _| {
            if let ProviderChoice::Custom(url) = choice
                && custom_url.with_untracked(|u| u != url)
            {
                custom_url.set(url.clone());
            }
        },
        false,
    );
    let is_custom = move || {
        settings
            .choice
            .with(|c| matches!(c, ProviderChoice::Custom(_)))
    };

    let apply_custom = move || {
        let url = custom_url.get_untracked();
        match ProviderChoice::parse(&url) {
            Ok(choice) => {
                custom_error.set(None);
                let changed = settings.choice.with_untracked(|c| *c != choice);
                settings.choose(choice);
                if changed {
                    rerun_after_settings_change(analysis);
                }
            }
            Err(why) => {
                // Kept (not saved) so an analysis says what is wrong instead of
                // silently asking another provider.
                custom_error.set((!url.is_empty()).then_some(why));
                settings.choice.set(ProviderChoice::Custom(url));
            }
        }
    };
    let on_select = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == CUSTOM {
            apply_custom();
        } else if let Ok(choice) = ProviderChoice::parse(&value) {
            custom_error.set(None);
            settings.choose(choice);
            rerun_after_settings_change(analysis);
        }
    };
    let is_selected = move |id: &str| {
        settings.choice.with(|c| match c {
            ProviderChoice::Preset(p) => p.id == id,
            ProviderChoice::Custom(_) => id == CUSTOM,
        })
    };

    view! {
        <section class="panel dns-settings" aria-labelledby="dns-title">
            <h2 id="dns-title">"DNS lookups"</h2>
            <div class="dns-controls">
                <div class="field">
                    <label for="provider" class="field-label">
                        "DNS-over-HTTPS provider"
                    </label>
                    <select
                        id="provider"
                        on:change=on_select
                        prop:disabled=move || settings.offline.get()
                    >
                        {PROVIDERS
                            .iter()
                            .map(|p| {
                                view! {
                                    <option value=p.id selected=move || is_selected(p.id)>
                                        {p.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                        <option value=CUSTOM selected=move || is_selected(CUSTOM)>
                            "Custom URL…"
                        </option>
                    </select>
                </div>
                <super::Shown when=is_custom>
                    <div class="field">
                        <label for="custom-doh" class="field-label">
                            "DoH URL"
                        </label>
                        <input
                            id="custom-doh"
                            type="url"
                            inputmode="url"
                            placeholder="https://dns.example/dns-query"
                            prop:value=move || custom_url.get()
                            on:input=move |ev| custom_url.set(event_target_value(&ev))
                            on:change=move |_| apply_custom()
                            aria-invalid=move || custom_error.get().is_some().to_string()
                            aria-describedby="custom-doh-error"
                        />
                        <p id="custom-doh-error" class="field-error" role="alert">
                            {move || custom_error.get()}
                        </p>
                    </div>
                </super::Shown>
                <label class="toggle" for="offline">
                    <input
                        id="offline"
                        type="checkbox"
                        prop:checked=move || settings.offline.get()
                        on:change=move |ev| {
                            settings.set_offline(event_target_checked(&ev));
                            rerun_after_settings_change(analysis);
                        }
                    />
                    <span>"Offline: send no DNS queries at all"</span>
                </label>
            </div>
            <div class="privacy-note" id="privacy-note">
                <p>{move || privacy_note(&settings, &analysis)}</p>
                {move || {
                    let names = sent_names(&settings, &analysis);
                    (!names.is_empty())
                        .then(|| {
                            view! {
                                <ul class="names" aria-label="Names sent" tabindex="0">
                                    {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                                </ul>
                            }
                        })
                }}
            </div>
            <p class="hint">{move || settings.from_address.get()}</p>
            <BlocklistSettings />
        </section>
    }
}

/// The names the current provider has been sent this session (reactive).
fn sent_names(settings: &DnsSettings, analysis: &Analysis) -> Vec<String> {
    let Some(endpoint) = settings.endpoint() else {
        return Vec::new();
    };
    analysis.sent.with(|sent| {
        sent.iter()
            .filter(|(e, _)| *e == endpoint)
            .map(|(_, n)| n.clone())
            .collect()
    })
}

/// What the provider sees: before a run the kinds of names; after one, the names.
fn privacy_note(settings: &DnsSettings, analysis: &Analysis) -> String {
    if settings.offline.get() {
        return "Offline: nothing leaves this page. Rules that need DNS will say they could \
                not be checked."
            .into();
    }
    let provider = settings.provider_name();
    let names = sent_names(settings, analysis);
    if names.is_empty() {
        format!(
            "{provider} will see these names: the sending server's reverse-DNS name (its IP \
             address, reversed), blocklist names (that address under each blocklist zone) and \
             the domains of From, Return-Path and the DKIM signature (d=), for SPF, DKIM and \
             DMARC. The message itself never leaves this page."
        )
    } else {
        format!(
            "{provider} has been sent these {} names so far; nothing else from the message \
             left this page:",
            names.len()
        )
    }
}

/// Every DNS question of the analysis.
#[component]
pub fn DnsLogPanel() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let settings = expect_context::<DnsSettings>();
    let provider = move || {
        analysis.report.with(|r| match r {
            Some(r) if r.dns.offline => "offline: nothing was sent".to_string(),
            Some(r) => format!(
                "{} ({})",
                r.dns.provider.clone().unwrap_or_default(),
                r.dns.format.clone().unwrap_or_default()
            ),
            None => settings.provider_name(),
        })
    };
    let count = move || analysis.dns_log.with(Vec::len);
    view! {
        <section class="card dns-log" id="dns-log" aria-labelledby="dns-log-title">
            <h2 id="dns-log-title">
                "DNS queries " <span class="count">{count}</span>
            </h2>
            <p class="hint">"Asked: " <span class="mono">{provider}</span></p>
            <super::Shown
                when=move || count() != 0
                fallback=move || {
                    view! {
                        <p class="empty">
                            {move || {
                                if analysis.phase.get() == Phase::Running {
                                    "Waiting for the first question…"
                                } else {
                                    "No DNS questions were asked."
                                }
                            }}
                        </p>
                    }
                }
            >
                <div class="table-wrap" tabindex="0" role="region" aria-label="DNS queries">
                    <table class="data dns-table">
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Answers"</th>
                                <th scope="col" class="num">"ms"</th>
                                <th scope="col">"Cached"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                analysis
                                    .dns_log
                                    .get()
                                    .into_iter()
                                    .map(|e| {
                                        let status_class = format!(
                                            "status status-{}",
                                            match e.status.as_str() {
                                                "NOERROR" => "ok",
                                                "NXDOMAIN" | "NODATA" => "negative",
                                                _ => "error",
                                            }
                                        );
                                        let answers_class = if e.answers.is_empty() && e.detail.is_none() {
                                            "answers none mono wrap pre"
                                        } else {
                                            "answers mono wrap pre"
                                        };
                                        let answers = if e.answers.is_empty() {
                                            e.detail.clone().unwrap_or_else(|| "—".into())
                                        } else {
                                            e.answers.join("\n")
                                        };
                                        let answers = crate::format::clip(
                                            &answers,
                                            crate::format::MAX_SHOWN_CHARS,
                                        );
                                        view! {
                                            <tr>
                                                <td data-label="Name" class="name mono wrap">{e.name}</td>
                                                <td data-label="Type" class="type">{e.qtype}</td>
                                                <td data-label="Status" class="status-cell">
                                                    <span class=status_class>{e.status}</span>
                                                </td>
                                                <td data-label="Answers" class=answers_class>{answers}</td>
                                                <td data-label="ms" class="num">{e.ms}</td>
                                                <td data-label="Cached">
                                                    {if e.cached { "yes" } else { "no" }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </super::Shown>
        </section>
    }
}
