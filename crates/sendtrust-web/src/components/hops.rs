//! The sending server and the relay hops read from the Received fields.

use crate::format;
use crate::state::Analysis;
use leptos::prelude::*;
use sendtrust::report::{Hop, Sender};

/// The server whose trustworthiness the rules judge, and why it was chosen.
#[component]
pub fn SenderPanel() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let sender = Memo::new(move |_| {
        analysis.report.with(|r| {
            r.as_ref()
                .map(|r| (r.sender.clone(), r.sender_reason.clone()))
        })
    });
    let view_sender = move |s: Sender| {
        let hop = s
            .hop_index
            .map(|i| format!("hop {} of the chain", i + 1))
            .unwrap_or_else(|| "not in the Received chain".into());
        let user = s.chosen_by == "user";
        view! {
            <dl class="fields">
                <div class="field-row">
                    <dt>"IP address"</dt>
                    <dd class="mono" id="sender-ip">{s.ip.to_string()}</dd>
                </div>
                <div class="field-row">
                    <dt>"HELO name"</dt>
                    <dd class="mono">{s.helo.unwrap_or_else(|| "not recorded".into())}</dd>
                </div>
                <div class="field-row">
                    <dt>"Reverse name (as recorded)"</dt>
                    <dd class="mono">{format::rdns(&s.rdns)}</dd>
                </div>
                <div class="field-row">
                    <dt>"Position"</dt>
                    <dd>{hop}</dd>
                </div>
                <div class="field-row">
                    <dt>"Chosen by"</dt>
                    <dd>{if user { "you" } else { "Sendtrust (automatic)" }}</dd>
                </div>
            </dl>
            {user
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button small"
                            id="sender-auto"
                            on:click=move |_| analysis.rerun_with_sender(None)
                        >
                            "Back to the automatic choice"
                        </button>
                    }
                })}
        }
    };
    view! {
        <section class="card sender" id="sender" aria-labelledby="sender-title">
            <h2 id="sender-title">"Sending server"</h2>
            {move || {
                sender
                    .get()
                    .map(|(s, reason)| {
                        view! {
                            {match s {
                                Some(s) => view_sender(s).into_any(),
                                None => {
                                    view! {
                                        <p class="empty">"No sending server could be picked out."</p>
                                    }
                                        .into_any()
                                }
                            }}
                            <p class="reason" id="sender-reason">{reason}</p>
                        }
                    })
            }}
        </section>
    }
}

/// Relay hops, oldest first, with the hand-off hop highlighted.
#[component]
pub fn HopsPanel() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let data = Memo::new(move |_| {
        analysis.report.with(|r| {
            r.as_ref().map(|r| {
                (
                    r.hops.clone(),
                    r.sender.as_ref().and_then(|s| s.hop_index),
                    r.chain_notes.clone(),
                    r.local_fields.clone(),
                )
            })
        })
    });
    let hops = move || data.with(|d| d.as_ref().map(|d| d.0.clone()).unwrap_or_default());
    let handoff = move || data.with(|d| d.as_ref().and_then(|d| d.1));
    view! {
        <section class="card hops" id="hops" aria-labelledby="hops-title">
            <h2 id="hops-title">"Relay hops " <span class="hint">"(oldest first)"</span></h2>
            <Show
                when=move || data.with(|d| d.as_ref().is_some_and(|d| !d.0.is_empty()))
                fallback=|| view! { <p class="empty">"No Received fields record a relay."</p> }
            >
                <div class="table-wrap" tabindex="0" role="region" aria-label="Relay hops">
                    <table class="data hops-table">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">"From"</th>
                                <th scope="col">"By"</th>
                                <th scope="col">"With"</th>
                                <th scope="col">"TLS"</th>
                                <th scope="col">"Time"</th>
                                <th scope="col" class="num">"Delay"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let handoff = handoff();
                                hops()
                                    .into_iter()
                                    .map(|hop| view! { <HopRow is_handoff=handoff == Some(hop.index) hop /> })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
            {move || {
                let notes = data.with(|d| d.as_ref().map(|d| d.2.clone()).unwrap_or_default());
                (!notes.is_empty())
                    .then(|| {
                        view! {
                            <h3>"Chain notes"</h3>
                            <ul class="chain-notes" id="chain-notes">
                                {notes
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <li class=format!("note-{}", n.kind)>{n.message}</li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
            {move || {
                let local = data.with(|d| d.as_ref().map(|d| d.3.clone()).unwrap_or_default());
                (!local.is_empty())
                    .then(|| {
                        view! {
                            <details class="local-fields">
                                <summary>{format!("Received fields that are not relays ({})", local.len())}</summary>
                                <ul>
                                    {local
                                        .into_iter()
                                        .map(|l| {
                                            view! {
                                                <li>
                                                    <span>{l.reason}</span>
                                                    <code class="wrap">{l.raw}</code>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </details>
                        }
                    })
            }}
        </section>
    }
}

/// One hop.
#[component]
fn HopRow(hop: Hop, is_handoff: bool) -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let number = hop.index + 1;
    let ip = hop.from_ip;
    let check_button = ip.filter(|_| !is_handoff).map(|ip| {
        view! {
            <button
                type="button"
                class="button small check-hop"
                aria-label=format!("Check this hop instead: hop {number}, {ip}")
                on:click=move |_| analysis.rerun_with_sender(Some(ip))
            >
                "Check this hop instead"
            </button>
        }
    });
    let (tls_version, cipher) = format::tls(&hop.tls);
    let (date, clock) = hop
        .time
        .as_deref()
        .map(format::time_parts)
        .unwrap_or_else(|| ("—".to_string(), None));
    view! {
        <tr
            class:handoff=is_handoff
            class:private=hop.private
            id=format!("hop-{number}")
            title=hop.raw
        >
            <td data-label="#">
                {number}
                {is_handoff.then(|| view! { <span class="badge handoff-badge">"hand-off"</span> })}
            </td>
            <td data-label="From" class="from">
                <span class="mono helo">{hop.from_helo.unwrap_or_else(|| "—".into())}</span>
                <span class="mono ip">
                    {ip.map(|ip| ip.to_string()).unwrap_or_else(|| "no IP".into())}
                    {hop.private.then_some(" (private)")}
                </span>
                <span class="rdns">{format::rdns(&hop.from_rdns)}</span>
                {check_button}
            </td>
            <td data-label="By" class="mono wrap">{hop.by.unwrap_or_else(|| "—".into())}</td>
            <td data-label="With">
                {hop.with.unwrap_or_else(|| "—".into())}
                {hop.authenticated.map(|a| view! { <span class="auth">{format!(" · authenticated ({a})")}</span> })}
            </td>
            <td data-label="TLS" class="tls" class:no-tls=hop.tls.is_none()>
                <span>{tls_version}</span>
                {cipher.map(|c| view! { <span class="cipher mono">{c}</span> })}
            </td>
            <td data-label="Time" class="time">
                <span>{date}</span>
                {clock.map(|c| view! { <span>{c}</span> })}
            </td>
            <td data-label="Delay" class="num" class:skew=hop.delay_seconds.is_some_and(|d| d < 0)>
                {hop.delay_seconds.map(format::delay).unwrap_or_else(|| "—".into())}
            </td>
        </tr>
    }
}
