//! The sending server and the relay hops read from the Received fields: a
//! timeline ([`HopTimeline`]) and a table with TLS and the engine's chain
//! notes shown per hop.

use super::timeline::{HopFlags, HopTimeline};
use crate::format;
use crate::state::Analysis;
use leptos::prelude::*;
use sendtrust::report::{Hop, Sender};

/// Oldest and newest hops shown when a chain is too long to list (hostile
/// messages carry thousands); the hand-off hop is always shown.
const HEAD_HOPS: usize = 25;
const TAIL_HOPS: usize = 150;
/// Chain notes and non-relay fields listed at most.
const MAX_LISTED: usize = 50;
/// Longest text in one table cell.
const MAX_CELL_CHARS: usize = 200;

enum Row {
    Hop(Box<Hop>, bool, HopFlags),
    Gap(usize),
}

fn cell(text: Option<String>) -> String {
    text.map(|t| format::clip(&t, MAX_CELL_CHARS))
        .unwrap_or_else(|| "—".into())
}

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
        let user = s.chosen_by == sendtrust::report::ChosenBy::User;
        // The recipient's inbound filter the walk went past (as text only).
        let filter = s.filter.map(|f| {
            format!(
                "{} relay {} ({}) at hop {}: the recipient's inbound filter, not the sender",
                f.name,
                format::clip(&f.host, MAX_CELL_CHARS),
                f.ip,
                f.hop_index + 1
            )
        });
        view! {
            <dl class="fields">
                <div class="field-row">
                    <dt>"IP address"</dt>
                    <dd class="mono" id="sender-ip">{s.ip.to_string()}</dd>
                </div>
                <div class="field-row">
                    <dt>"HELO name"</dt>
                    <dd class="mono wrap">
                        {s
                            .helo
                            .map(|h| format::clip(&h, MAX_CELL_CHARS))
                            .unwrap_or_else(|| "not recorded".into())}
                    </dd>
                </div>
                <div class="field-row">
                    <dt>"Reverse name (as recorded)"</dt>
                    <dd class="mono wrap">{format::clip(&format::rdns(&s.rdns), MAX_CELL_CHARS)}</dd>
                </div>
                <div class="field-row">
                    <dt>"Position"</dt>
                    <dd>{hop}</dd>
                </div>
                <div class="field-row">
                    <dt>"Chosen by"</dt>
                    <dd>{if user { "you" } else { "Sendtrust (automatic)" }}</dd>
                </div>
                {filter
                    .map(|text| {
                        view! {
                            <div class="field-row">
                                <dt>"Inbound filter"</dt>
                                <dd class="wrap" id="sender-filter">{text}</dd>
                            </div>
                        }
                    })}
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
                            <p class="reason" id="sender-reason">
                                {format::clip(&reason, format::MAX_SHOWN_CHARS)}
                            </p>
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
    let rows = move || {
        data.with(|d| {
            let Some((hops, handoff, notes, _)) = d.as_ref() else {
                return Vec::new();
            };
            // `handoff` is an index in the whole chain; a long chain's report
            // omits middle hops, so count gaps by `hop.index`, not position.
            let handoff_pos = handoff.and_then(|h| hops.iter().position(|x| x.index == h));
            let shown = format::shown_indices(hops.len(), HEAD_HOPS, TAIL_HOPS, handoff_pos);
            let mut rows = Vec::with_capacity(shown.len() + 1);
            let mut next = 0;
            for i in shown {
                let Some(hop) = hops.get(i) else { continue };
                if hop.index > next {
                    rows.push(Row::Gap(hop.index - next));
                }
                rows.push(Row::Hop(
                    Box::new(hop.clone()),
                    *handoff == Some(hop.index),
                    HopFlags::for_hop(notes, hop.index),
                ));
                next = hop.index + 1;
            }
            rows
        })
    };
    view! {
        <section class="card hops" id="hops" aria-labelledby="hops-title">
            <h2 id="hops-title">"Relay hops " <span class="hint">"(oldest first)"</span></h2>
            <super::Shown
                when=move || data.with(|d| d.as_ref().is_some_and(|d| !d.0.is_empty()))
                fallback=|| view! { <p class="empty">"No Received fields record a relay."</p> }
            >
                <HopTimeline />
                <h3 class="visually-hidden">"Hops in detail"</h3>
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
                                rows()
                                    .into_iter()
                                    .map(|row| match row {
                                        Row::Hop(hop, is_handoff, flags) => {
                                            view! { <HopRow hop=*hop is_handoff flags /> }.into_any()
                                        }
                                        Row::Gap(n) => {
                                            view! {
                                                <tr class="gap">
                                                    <td colspan="7">{format!("… {n} hops not shown …")}</td>
                                                </tr>
                                            }
                                                .into_any()
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </super::Shown>
            {move || {
                let notes = data.with(|d| d.as_ref().map(|d| d.2.clone()).unwrap_or_default());
                let more = notes.len().saturating_sub(MAX_LISTED);
                (!notes.is_empty())
                    .then(|| {
                        view! {
                            <h3>"Chain notes"</h3>
                            <ul class="chain-notes" id="chain-notes">
                                {notes
                                    .into_iter()
                                    .take(MAX_LISTED)
                                    .map(|n| {
                                        view! {
                                            <li class=format!("note-{}", n.kind)>
                                                {format::clip(&n.message, format::MAX_SHOWN_CHARS)}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                                {(more > 0).then(|| view! { <li class="more">{format!("… and {more} more")}</li> })}
                            </ul>
                        }
                    })
            }}
            {move || {
                let local = data.with(|d| d.as_ref().map(|d| d.3.clone()).unwrap_or_default());
                let more = local.len().saturating_sub(MAX_LISTED);
                (!local.is_empty())
                    .then(|| {
                        view! {
                            <details class="local-fields">
                                <summary>{format!("Received fields that are not relays ({})", local.len())}</summary>
                                <ul>
                                    {local
                                        .into_iter()
                                        .take(MAX_LISTED)
                                        .map(|l| {
                                            view! {
                                                <li>
                                                    <span>{l.reason}</span>
                                                    <code class="wrap">{format::clip(&l.raw, format::MAX_SHOWN_CHARS)}</code>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                    {(more > 0).then(|| view! { <li class="more">{format!("… and {more} more")}</li> })}
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
fn HopRow(hop: Hop, is_handoff: bool, flags: HopFlags) -> impl IntoView {
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
    let tls_version = format::clip(&tls_version, MAX_CELL_CHARS);
    // At a glance: TLS recorded, missing where the engine noted it (a public
    // hop), or just not recorded (internal hops often are not encrypted).
    let (tls_icon, tls_class) = match (&hop.tls, flags.no_tls) {
        (Some(_), _) => ("✓ ", "tls-badge tls-yes"),
        (None, true) => ("⚠ ", "tls-badge tls-missing"),
        (None, false) => ("", "tls-badge tls-none"),
    };
    let skew = flags.skew || hop.delay_seconds.is_some_and(|d| d < 0);
    let cipher = cipher.map(|c| format::clip(&c, MAX_CELL_CHARS));
    let (date, clock) = hop
        .time
        .as_deref()
        .map(|t| format::time_parts(&format::clip(t, MAX_CELL_CHARS)))
        .unwrap_or_else(|| ("—".to_string(), None));
    view! {
        <tr
            class:handoff=is_handoff
            class:private=hop.private
            id=format!("hop-{number}")
            title=format::clip(&hop.raw, format::MAX_SHOWN_CHARS)
        >
            <td data-label="#">
                {number}
                {is_handoff.then(|| view! { <span class="badge handoff-badge">"hand-off"</span> })}
            </td>
            <td data-label="From" class="from">
                <span class="mono helo">{cell(hop.from_helo)}</span>
                <span class="mono ip">
                    {ip.map(|ip| ip.to_string()).unwrap_or_else(|| "no IP".into())}
                    {hop.private.then_some(" (private)")}
                </span>
                <span class="rdns">{cell(Some(format::rdns(&hop.from_rdns)))}</span>
                {check_button}
            </td>
            <td data-label="By" class="mono wrap">{cell(hop.by)}</td>
            <td data-label="With">
                {cell(hop.with)}
                {hop
                    .authenticated
                    .map(|a| {
                        view! {
                            <span class="auth">{format!(" · authenticated ({})", format::clip(&a, MAX_CELL_CHARS))}</span>
                        }
                    })}
            </td>
            <td data-label="TLS" class="tls" class:no-tls=flags.no_tls>
                <span class=tls_class>
                    <span class="tls-icon" aria-hidden="true">{tls_icon}</span>
                    {tls_version}
                </span>
                {cipher.map(|c| view! { <span class="cipher mono">{c}</span> })}
            </td>
            <td data-label="Time" class="time">
                <span>{date}</span>
                {clock.map(|c| view! { <span>{c}</span> })}
            </td>
            <td
                data-label="Delay"
                class="num delay"
                class:skew=skew
                class:long-delay=flags.long_delay
            >
                {hop.delay_seconds.map(format::delay).unwrap_or_else(|| "—".into())}
                {skew.then(|| view! { <span class="delay-note">"clock skew"</span> })}
                {flags.long_delay.then(|| view! { <span class="delay-note">"long delay"</span> })}
                {flags.gap.then(|| view! { <span class="delay-note">"gap before"</span> })}
            </td>
        </tr>
    }
}
