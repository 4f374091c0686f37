//! The five rule cards, in the report's order, filled in as rules arrive.

use crate::format;
use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use sendtrust::RuleId;
use sendtrust::report::{RecordFix, RuleResult, SettingFix};

/// Evidence items listed at most per rule.
const MAX_EVIDENCE: usize = 100;

/// The list of five cards.
#[component]
pub fn RuleCards() -> impl IntoView {
    view! {
        <section class="rules-section" aria-labelledby="rules-title">
            <h2 id="rules-title">"The five trust rules"</h2>
            <ol class="rules">
                {RuleId::ALL
                    .iter()
                    .enumerate()
                    .map(|(n, id)| view! { <RuleCard id=*id number=n + 1 /> })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// One rule: a spinner until its result arrives, then verdict, summary, details.
#[component]
fn RuleCard(id: RuleId, number: usize) -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let result = Memo::new(move |_| analysis.rule(id));
    let class = move || {
        let state = match result.get() {
            Some(r) => r.verdict.as_str(),
            None if analysis.phase.get() == Phase::Running => "pending",
            None => "none",
        };
        format!("rule-card verdict-{state}")
    };
    let title_id = format!("rule-{}-title", id.as_str());
    let labelled_by = title_id.clone();
    view! {
        <li class=class id=format!("rule-{}", id.as_str()) aria-labelledby=labelled_by>
            <div class="rule-head">
                <span class="rule-number" aria-hidden="true">{number}</span>
                <h3 id=title_id>{id.title()}</h3>
                {move || match result.get() {
                    Some(r) => {
                        let (icon, label) = format::verdict_label(r.verdict);
                        view! {
                            <span class="verdict">
                                <span class="verdict-icon" aria-hidden="true">{icon}</span>
                                <span class="verdict-text">{label}</span>
                            </span>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <span class="verdict checking">
                                <span class="spinner" aria-hidden="true"></span>
                                <span class="verdict-text">"checking…"</span>
                            </span>
                        }
                            .into_any()
                    }
                }}
            </div>
            {move || result.get().map(|r| view! { <RuleBody result=r /> })}
            <details class="why">
                <summary>"Why it matters"</summary>
                <p>
                    {move || result.with(|r| r.as_ref().map(|r| r.why.clone())).unwrap_or_else(|| id.why().to_string())}
                </p>
            </details>
        </li>
    }
}

/// Summary, evidence and fix of a finished rule.
#[component]
fn RuleBody(result: RuleResult) -> impl IntoView {
    let evidence_count = result.evidence.len();
    let evidence = result
        .evidence
        .into_iter()
        .take(MAX_EVIDENCE)
        .map(|e| {
            let tone = format!("evidence tone-{}", e.tone.as_str());
            view! {
                <div class=tone>
                    <dt>{format::clip(&e.label, format::MAX_SHOWN_CHARS)}</dt>
                    <dd class="mono wrap pre">{format::clip(&e.value, format::MAX_SHOWN_CHARS)}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="rule-summary">{format::clip(&result.summary, format::MAX_SHOWN_CHARS)}</p>
        {(evidence_count > 0)
            .then(|| {
                view! {
                    <details class="evidence-list">
                        <summary>{format!("Evidence ({evidence_count})")}</summary>
                        <dl>{evidence}</dl>
                        {(evidence_count > MAX_EVIDENCE)
                            .then(|| {
                                view! {
                                    <p class="hint">
                                        {format!("… and {} more", evidence_count - MAX_EVIDENCE)}
                                    </p>
                                }
                            })}
                    </details>
                }
            })}
        {result
            .fix
            .map(|fix| {
                view! {
                    <div class="fix">
                        <h4>"How to fix"</h4>
                        <p>{format::clip(&fix, format::MAX_SHOWN_CHARS)}</p>
                    </div>
                }
            })}
        {(!result.fix_records.is_empty() || !result.fix_settings.is_empty())
            .then(|| {
                view! { <FixRecords records=result.fix_records settings=result.fix_settings /> }
            })}
    }
}

/// A copy button for one value: the value goes to the clipboard as is.
#[component]
fn CopyButton(text: String, label: String) -> impl IntoView {
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

/// The exact records (and server settings) of a fix, each with a copy button.
#[component]
fn FixRecords(records: Vec<RecordFix>, settings: Vec<SettingFix>) -> impl IntoView {
    let records = records
        .into_iter()
        .map(|r| {
            let label = format!("Copy the {} record for {}", r.rtype, r.name);
            let value = match (&r.value, &r.needs) {
                (Some(v), _) => {
                    let shown = format::clip(v, format::MAX_SHOWN_CHARS);
                    view! {
                        <code class="mono wrap">{shown}</code>
                        <CopyButton text=v.clone() label=label />
                    }
                        .into_any()
                }
                (None, needs) => {
                    view! {
                        <span class="fix-needs">
                            {format!(
                                "Not computed: Sendtrust needs {}",
                                needs.as_deref().unwrap_or("more facts"),
                            )}
                        </span>
                    }
                        .into_any()
                }
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
            view! {
                <li class="fix-record">
                    <div class="fix-record-head">
                        <span class="fix-record-type">{r.rtype.clone()}</span>
                        " "
                        <code class="mono wrap">{format::clip(&r.name, format::MAX_SHOWN_CHARS)}</code>
                        <CopyButton text=r.name.clone() label=format!("Copy the name {}", r.name) />
                    </div>
                    <div class="fix-record-value">{value}</div>
                    <ul class="fix-record-facts">
                        {replaces}
                        {lookups}
                        <li>{format!("Changed by {}", r.controlled_by)}</li>
                        {r.note.map(|n| view! { <li>{format::clip(&n, format::MAX_SHOWN_CHARS)}</li> })}
                    </ul>
                </li>
            }
        })
        .collect_view();
    let settings = settings
        .into_iter()
        .map(|s| {
            let label = format!("Copy the {} setting", s.software);
            view! {
                <li class="fix-setting">
                    <span>{format!("{} ({}): ", s.software, s.location)}</span>
                    <code class="mono wrap">{s.setting.clone()}</code>
                    <CopyButton text=s.setting label=label />
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="fix-records">
            <h4>"Records to publish"</h4>
            <ul>{records}</ul>
            <ul class="fix-settings">{settings}</ul>
        </div>
    }
}
