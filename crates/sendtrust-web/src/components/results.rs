//! The results area: live status, input errors, and the report sections.

use super::beyond::BeyondPanel;
use super::dns::DnsLogPanel;
use super::glance::{AtAGlance, status};
use super::hops::{HopsPanel, SenderPanel};
use super::rules::RuleCards;
use super::waterfall::DnsWaterfall;
use crate::state::Analysis;
use leptos::prelude::*;

/// Everything below the input.
#[component]
pub fn Results() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let has_report = move || analysis.report.with(Option::is_some);
    view! {
        <section id="results" class="results" aria-labelledby="results-title" tabindex="-1">
            <h2 id="results-title" class="visually-hidden">
                "Results"
            </h2>
            // Read out as results arrive; the same facts are shown in the glance card.
            <p id="status" class="status visually-hidden" role="status" aria-live="polite">
                {move || status(&analysis)}
            </p>
            // While a message is being read (seconds for a big one), before the
            // glance card has anything to show.
            <super::Shown when=move || analysis.is_reading()>
                <div class="progress-row" id="reading">
                    <progress aria-label="Reading the message"></progress>
                    <span class="hint" id="reading-text">
                        {move || analysis.progress()}
                    </span>
                </div>
            </super::Shown>
            <super::Shown when=move || analysis.error.with(Option::is_some)>
                <div id="input-error" class="error-box" role="alert">
                    <strong>"Can’t analyse this. "</strong>
                    {move || {
                        analysis
                            .error
                            .get()
                            .map(|e| crate::format::clip(&e, crate::format::MAX_SHOWN_CHARS))
                    }}
                </div>
            </super::Shown>
            <super::Shown when=has_report>
                <AtAGlance />
                <RuleCards />
                <BeyondPanel />
                <SummaryPanel />
                <SenderPanel />
                <HopsPanel />
                <DnsWaterfall />
                <DnsLogPanel />
            </super::Shown>
        </section>
    }
}

/// From, To, Subject, … plus input notes.
#[component]
fn SummaryPanel() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let summary = Memo::new(move |_| {
        analysis
            .report
            .with(|r| r.as_ref().map(|r| r.summary.clone()))
            .unwrap_or_default()
    });
    let input = Memo::new(move |_| {
        analysis
            .report
            .with(|r| r.as_ref().map(|r| r.input.clone()))
            .unwrap_or_default()
    });
    let row = move |label: &'static str,
                    id: &'static str,
                    get: fn(&sendtrust::report::Summary) -> Option<String>| {
        let value = move || {
            summary
                .with(get)
                .map(|v| crate::format::clip(&v, crate::format::MAX_SHOWN_CHARS))
        };
        view! {
            <div class="field-row" id=format!("summary-{id}")>
                <dt>{label}</dt>
                <dd class:missing=move || value().is_none()>
                    {move || value().unwrap_or_else(|| "(none)".into())}
                </dd>
            </div>
        }
    };
    view! {
        <section class="card summary" id="summary" aria-labelledby="summary-title">
            <div class="card-head">
                <h2 id="summary-title">"Message"</h2>
                <super::Shown when=move || input.with(|i| i.headers_only)>
                    <span class="badge" id="headers-only" title="No body was given: DKIM body hashes cannot be checked">
                        "Headers only"
                    </span>
                </super::Shown>
            </div>
            <dl class="fields">
                {row("From", "from", |s| s.from.clone())}
                {row("To", "to", |s| s.to.clone())}
                {row("Subject", "subject", |s| s.subject.clone())}
                {row("Date", "date", |s| s.date.as_deref().map(crate::format::time))}
                {row("Message-ID", "message-id", |s| s.message_id.clone())}
                {row("Return-Path", "return-path", |s| {
                    s.return_path.clone().map(|r| if r.is_empty() { "<> (null sender)".into() } else { r })
                })}
            </dl>
            <super::Shown when=move || input.with(|i| !i.repairs.is_empty())>
                <div class="note" id="repairs">
                    <strong>"The input was repaired before reading: "</strong>
                    <ul>
                        {move || {
                            input
                                .get()
                                .repairs
                                .into_iter()
                                .map(|r| {
                                    view! { <li>{crate::format::clip(&r, crate::format::MAX_SHOWN_CHARS)}</li> }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </super::Shown>
        </section>
    }
}
