//! "At a glance": the top of the results. The engine's tally line
//! ("3 of 5 rules pass · 1 warning · 1 failure"), an overall progress bar
//! while DNS runs, the hand-off server (IP, name, hosting provider when the
//! engine knows it), one chip per rule linking to its card, and the
//! re-run / export toolbar.
//!
//! Also the live status line for screen readers.

use super::export::ExportButtons;
use crate::format;
use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use sendtrust::RuleId;
use sendtrust::details::static_ip::PtrStatus;
use sendtrust::report::{RecordedRdns, Report, RuleResult};
use std::net::IpAddr;

/// The status line read out to screen readers as results arrive: each rule's
/// verdict as it comes in, then the engine's tally.
pub fn status(analysis: &Analysis) -> String {
    match analysis.phase.get() {
        Phase::Idle => String::new(),
        Phase::Failed => "The message could not be analysed.".into(),
        Phase::Running => analysis.rules.with(|rules| {
            let progress = format!("{} of 5 rules checked.", rules.len());
            match rules.last() {
                Some(last) => format!(
                    "{}: {}. {progress}",
                    last.title,
                    format::verdict_label(last.verdict).1
                ),
                None => analysis.progress(),
            }
        }),
        Phase::Done => analysis.report.with(|r| match r {
            Some(report) => format!("Done: {}.", sendtrust::markdown::tally(report)),
            None => "Done.".into(),
        }),
    }
}

/// The user's own choice of sending IP, if they made one ("check this hop
/// instead"); re-runs keep it.
fn chosen_ip(analysis: &Analysis) -> Option<IpAddr> {
    analysis.report.with_untracked(|r| {
        r.as_ref()
            .and_then(|r| r.sender.as_ref())
            .filter(|s| s.chosen_by == sendtrust::report::ChosenBy::User)
            .map(|s| s.ip)
    })
}

/// Re-analyses the shown message with the same sending IP.
pub fn rerun(analysis: &Analysis) {
    analysis.rerun_with_sender(chosen_ip(analysis));
}

/// What the glance card says about the hand-off server.
#[derive(Debug, Clone, PartialEq)]
struct Server {
    ip: IpAddr,
    /// Its reverse name: the one rule 1 looked up once it has arrived, else
    /// the one the receiver recorded.
    name: String,
    /// The HELO name, when recorded and not the same as `name`.
    helo: Option<String>,
    /// The hosting provider rule 1 recognised in the reverse name, if any.
    provider: Option<String>,
}

fn handoff(report: &Report, static_ip: Option<&RuleResult>) -> Option<Server> {
    let sender = report.sender.as_ref()?;
    let ptr = static_ip
        .and_then(|r| r.static_ip_details())
        .map(|d| &d.ptr);
    let names = ptr.and_then(|p| p.names.as_deref()).unwrap_or_default();
    let first = names.first().map(|n| n.name.as_str());
    let provider = names.iter().find_map(|n| n.provider.clone());
    let status = ptr.map(|p| p.status);
    let recorded = match &sender.rdns {
        Some(RecordedRdns::Name(n)) => Some(n.as_str()),
        _ => None,
    };
    let no_ptr = matches!(status, Some(PtrStatus::Nxdomain | PtrStatus::Nodata));
    let name = match (first, status, recorded) {
        (Some(n), _, _) => n.to_string(),
        (None, Some(_), _) if no_ptr => "none (no PTR record)".to_string(),
        (None, _, Some(n)) => format!("{n} (as recorded by the receiver)"),
        (None, Some(_), None) => "could not be looked up".to_string(),
        (None, None, None) => "not recorded; looking it up…".to_string(),
    };
    // The HELO name only when it says something the shown name does not.
    let shown = first.or(recorded.filter(|_| !no_ptr));
    let helo = sender.helo.clone().filter(|h| Some(h.as_str()) != shown);
    Some(Server {
        ip: sender.ip,
        name,
        helo,
        provider,
    })
}

/// The top summary of the results.
#[component]
pub fn AtAGlance() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let running = move || analysis.phase.get() == Phase::Running;
    let done_count = move || analysis.rules.with(Vec::len);
    let headline = move || match analysis.phase.get() {
        Phase::Done => analysis
            .report
            .with(|r| r.as_ref().map(sendtrust::markdown::tally))
            .unwrap_or_default(),
        _ => format!("Checking… {} of 5 rules done", done_count()),
    };
    let server = Memo::new(move |_| {
        let static_ip = analysis.rule(RuleId::StaticIp);
        analysis.report.with(|r| {
            r.as_ref()
                .map(|r| (handoff(r, static_ip.as_ref()), r.sender_reason.clone()))
        })
    });
    let questions = move || analysis.dns_log.with(Vec::len);

    view! {
        <section class="card glance" id="glance" aria-labelledby="glance-title">
            <div class="glance-head">
                <h2 id="glance-title" class="visually-hidden">
                    "At a glance"
                </h2>
                <p class="tally" id="tally" class:running=running>
                    {headline}
                </p>
                <button
                    type="button"
                    class="button small"
                    id="rerun"
                    on:click=move |_| rerun(&analysis)
                    title="Analyse the same message again"
                >
                    <span aria-hidden="true">"↻ "</span>
                    "Re-run"
                </button>
            </div>
            <super::Shown when=running>
                <div class="progress-row">
                    <progress
                        id="progress"
                        max="5"
                        prop:value=move || done_count() as f64
                        aria-label="Rules checked"
                    ></progress>
                    <span class="hint">
                        {move || {
                            match questions() {
                                0 => "Asking DNS…".to_string(),
                                1 => "1 DNS question answered".to_string(),
                                n => format!("{n} DNS questions answered"),
                            }
                        }}
                    </span>
                </div>
            </super::Shown>
            <ol class="chips" aria-label="Rules">
                {RuleId::ALL
                    .iter()
                    .map(|id| {
                        let id = *id;
                        let result = Memo::new(move |_| analysis.rule(id).map(|r| r.verdict));
                        let class = move || {
                            let state = match result.get() {
                                Some(v) => v.as_str(),
                                None if running() => "pending",
                                None => "none",
                            };
                            format!("chip verdict-{state}")
                        };
                        let label = move || match result.get() {
                            Some(v) => format::verdict_label(v),
                            None => ("…", "checking"),
                        };
                        view! {
                            <li class=class>
                                <a href=format!("#rule-{}", id.as_str())>
                                    <span class="chip-icon" aria-hidden="true">
                                        {move || label().0}
                                    </span>
                                    <span class="chip-title">{id.title()}</span>
                                    <span class="visually-hidden">{move || format!(": {}", label().1)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {move || {
                server
                    .get()
                    .map(|(server, reason)| match server {
                        Some(Server { ip, name, helo, provider }) => {
                            view! {
                                <dl class="handoff-server" id="handoff-server">
                                    <div>
                                        <dt>"Hand-off server"</dt>
                                        <dd class="mono" id="glance-ip">{ip.to_string()}</dd>
                                    </div>
                                    <div>
                                        <dt>"Reverse name"</dt>
                                        <dd class="mono wrap" id="glance-name">
                                            {format::clip(&name, 200)}
                                        </dd>
                                    </div>
                                    {helo
                                        .map(|h| {
                                            view! {
                                                <div>
                                                    <dt>"HELO"</dt>
                                                    <dd class="mono wrap" id="glance-helo">
                                                        {format::clip(&h, 200)}
                                                    </dd>
                                                </div>
                                            }
                                        })}
                                    {provider
                                        .map(|p| {
                                            view! {
                                                <div>
                                                    <dt>"Provider"</dt>
                                                    <dd id="glance-provider">{p}</dd>
                                                </div>
                                            }
                                        })}
                                </dl>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <p class="handoff-server empty" id="handoff-server">
                                    {format!(
                                        "No sending server: {}",
                                        format::clip(&reason, format::MAX_SHOWN_CHARS),
                                    )}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
            <ExportButtons />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendtrust::details::names::NameKind;
    use sendtrust::details::sender::CheckedSender;
    use sendtrust::details::static_ip::{
        HeloReading, PtrLookup, PtrName, Signals, StaticIpDetails,
    };
    use sendtrust::report::{ChosenBy, RuleDetails};

    fn report() -> Report {
        let raw = b"Received: from mail.example.org (mail.example.org [192.0.2.25]) by mx.example.net; Tue, 18 Nov 2025 09:14:07 +0000\r\nFrom: a@example.org\r\nTo: b@example.net\r\n\r\n";
        let options = sendtrust::Options {
            dns: sendtrust::dns::DnsConfig::offline(),
            ..Default::default()
        };
        futures_lite_block_on(sendtrust::analyze(raw, &options)).expect("a report")
    }

    fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn handoff_falls_back_to_the_recorded_name() {
        let report = report();
        let server = handoff(&report, None).expect("a sender");
        assert_eq!(server.ip.to_string(), "192.0.2.25");
        assert_eq!(
            server.name,
            "mail.example.org (as recorded by the receiver)"
        );
        assert_eq!(server.helo, None, "the HELO is the recorded name");
        assert_eq!(server.provider, None);
        let offline = with_ptr(&report.rules[0], PtrStatus::Error, None);
        let server = handoff(&report, Some(&offline)).expect("a sender");
        assert_eq!(
            server.name,
            "mail.example.org (as recorded by the receiver)"
        );
        let none = with_ptr(&report.rules[0], PtrStatus::Nxdomain, None);
        assert_eq!(
            handoff(&report, Some(&none)).expect("a sender").name,
            "none (no PTR record)"
        );
    }

    /// Rule 1's result with these PTR lookup details.
    fn with_ptr(rule: &RuleResult, status: PtrStatus, names: Option<Vec<PtrName>>) -> RuleResult {
        let mut rule = rule.clone();
        let details = StaticIpDetails {
            sender: CheckedSender {
                ip: "192.0.2.25".parse().expect("an address"),
                hop_index: Some(0),
                chosen_by: ChosenBy::Auto,
                reason: String::new(),
            },
            ptr: PtrLookup {
                query: "25.2.0.192.in-addr.arpa".into(),
                status,
                names,
                error: None,
            },
            helo: HeloReading::Missing,
            lists: Vec::new(),
            signals: Signals::default(),
        };
        rule.details = Some(RuleDetails::StaticIp(Box::new(details)));
        rule
    }

    #[test]
    fn handoff_prefers_the_looked_up_name_and_its_provider() {
        let report = report();
        let name = PtrName {
            name: "ec2-192-0-2-25.compute-1.amazonaws.com".into(),
            kind: NameKind::Provider,
            reasons: Vec::new(),
            provider: Some("Amazon EC2".into()),
        };
        let rule = with_ptr(&report.rules[0], PtrStatus::Records, Some(vec![name]));
        let server = handoff(&report, Some(&rule)).expect("a sender");
        assert_eq!(server.name, "ec2-192-0-2-25.compute-1.amazonaws.com");
        assert_eq!(server.helo.as_deref(), Some("mail.example.org"));
        assert_eq!(server.provider.as_deref(), Some("Amazon EC2"));
    }
}
