//! The five rule cards, in the report's order, filled in as rules arrive.

use crate::format;
use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use sendtrust::RuleId;
use sendtrust::report::RuleResult;

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
    let is_spf = result.id == RuleId::Spf;
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
        {is_spf.then(|| view! { <super::spf_tree::SpfTree /> })}
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
        <super::fixes::ExactFix
            steps=result.fix_steps
            records=result.fix_records
            settings=result.fix_settings
        />
    }
}
