//! The analysis state of the page and the one place that calls the engine.
//!
//! [`Analysis::run`] hands the message to [`sendtrust::analyze_with`] with the
//! session's resolver for the chosen provider, and an observer that fills the
//! signals in as results arrive: the local report first (summary, hops,
//! sender), then each rule, and every DNS question as it is logged. A newer
//! run supersedes an older one (a generation counter drops late results).

use crate::settings::DnsSettings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sendtrust::report::{DnsLogEntry, Report, RuleResult};
use sendtrust::{Observer, Options, RuleId};
use std::net::IpAddr;

/// Where the page is in an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Nothing analysed yet.
    Idle,
    /// Rules are being checked.
    Running,
    /// The report is complete.
    Done,
    /// The input could not be analysed; `error` says why.
    Failed,
}

/// The page's analysis state. Cheap to copy (signals).
#[derive(Clone, Copy)]
pub struct Analysis {
    generation: RwSignal<u64>,
    /// The text in the paste area.
    pub text: RwSignal<String>,
    /// Where the current input came from ("file.eml, 12 KB"), when from a file.
    pub source: RwSignal<Option<String>>,
    /// Current phase.
    pub phase: RwSignal<Phase>,
    /// The report: local parts first, complete when `phase` is `Done`.
    pub report: RwSignal<Option<Report>>,
    /// Rule results as they arrive.
    pub rules: RwSignal<Vec<RuleResult>>,
    /// DNS questions as they are asked.
    pub dns_log: RwSignal<Vec<DnsLogEntry>>,
    /// Every name sent to a provider this session, as (endpoint URL, name), in order.
    pub sent: RwSignal<Vec<(String, String)>>,
    /// The message for the user when the input is not a message (or DNS settings are wrong).
    pub error: RwSignal<Option<String>>,
    /// The bytes last analysed, for re-runs ("check this hop instead").
    message: StoredValue<Option<Vec<u8>>>,
    /// A loaded file's bytes while the paste area shows it unedited (a big
    /// file's text area holds only its header block).
    file: StoredValue<Option<Vec<u8>>>,
    settings: DnsSettings,
}

struct PageObserver {
    analysis: Analysis,
    generation: u64,
}

impl Observer for PageObserver {
    fn local_report(&self, report: &Report) {
        if self.analysis.is_current(self.generation) {
            self.analysis.report.set(Some(report.clone()));
        }
    }

    fn rule(&self, rule: &RuleResult) {
        if self.analysis.is_current(self.generation) {
            self.analysis.rules.update(|rules| {
                rules.retain(|r| r.id != rule.id);
                rules.push(rule.clone());
            });
        }
    }
}

impl Analysis {
    /// Empty state bound to the session's DNS settings.
    pub fn new(settings: DnsSettings) -> Self {
        Analysis {
            generation: RwSignal::new(0),
            text: RwSignal::new(String::new()),
            source: RwSignal::new(None),
            phase: RwSignal::new(Phase::Idle),
            report: RwSignal::new(None),
            rules: RwSignal::new(Vec::new()),
            dns_log: RwSignal::new(Vec::new()),
            sent: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            message: StoredValue::new(None),
            file: StoredValue::new(None),
            settings,
        }
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.get_untracked() == generation
    }

    /// The result for one rule, once it has arrived (reactive).
    pub fn rule(&self, id: RuleId) -> Option<RuleResult> {
        self.rules
            .with(|rules| rules.iter().find(|r| r.id == id).cloned())
    }

    /// Replaces the paste area's text (typing, pasting, a sample).
    pub fn edit_text(&self, text: String) {
        self.file.set_value(None);
        self.source.set(None);
        self.text.set(text);
    }

    /// Shows a loaded file (as `show` renders it) and analyses its bytes.
    pub fn load_file(&self, raw: Vec<u8>, show: impl Fn(&[u8]) -> String, source: String) {
        self.text.set(show(&raw));
        self.source.set(Some(source));
        self.file.set_value(Some(raw.clone()));
        self.run(raw, None);
    }

    /// Analyses what the paste area holds (a loaded file's bytes while unedited).
    pub fn run_text(&self) {
        let raw = match self.file.get_value() {
            Some(raw) => raw,
            None => self.text.get_untracked().into_bytes(),
        };
        self.run(raw, None);
    }

    /// Re-analyses the last message with another sending IP (`None` = automatic).
    pub fn rerun_with_sender(&self, sender_ip: Option<IpAddr>) {
        if let Some(raw) = self.message.get_value() {
            self.run(raw, sender_ip);
        }
    }

    /// Shows an error instead of results.
    pub fn fail(&self, message: impl Into<String>) {
        self.generation.update(|g| *g += 1);
        self.report.set(None);
        self.rules.set(Vec::new());
        self.dns_log.set(Vec::new());
        self.error.set(Some(message.into()));
        self.phase.set(Phase::Failed);
    }

    /// Analyses `raw`, replacing whatever is shown.
    pub fn run(&self, raw: Vec<u8>, sender_ip: Option<IpAddr>) {
        let (resolver, dns) = match self.settings.resolver() {
            Ok(r) => r,
            Err(why) => {
                self.fail(format!("DNS settings: {why}"));
                return;
            }
        };
        self.generation.update(|g| *g += 1);
        let generation = self.generation.get_untracked();
        self.message.set_value(Some(raw.clone()));
        self.rules.set(Vec::new());
        self.dns_log.set(Vec::new());
        self.error.set(None);
        self.phase.set(Phase::Running);

        let this = *self;
        let endpoint = dns.endpoint.clone().unwrap_or_default();
        let resolver = resolver.with_observer(move |entry| {
            if crate::format::was_sent(entry) {
                let known = this.sent.with_untracked(|sent| {
                    sent.iter().any(|(e, n)| *e == endpoint && *n == entry.name)
                });
                if !known {
                    this.sent
                        .update(|sent| sent.push((endpoint.clone(), entry.name.clone())));
                }
            }
            if this.is_current(generation) {
                this.dns_log.update(|log| log.push(entry.clone()));
            }
        });
        spawn_local(async move {
            let options = Options {
                dns,
                sender_ip,
                ..this.settings.options()
            };
            let observer = PageObserver {
                analysis: this,
                generation,
            };
            let result = sendtrust::analyze_with(&raw, &options, &resolver, &observer).await;
            if !this.is_current(generation) {
                return;
            }
            match result {
                Ok(report) => {
                    this.rules.set(report.rules.clone());
                    this.dns_log.set(report.dns_log.clone());
                    this.report.set(Some(report));
                    this.phase.set(Phase::Done);
                }
                Err(error) => this.fail(error.to_string()),
            }
        });
    }

    /// The complete report as pretty JSON (the engine's contract), when done.
    pub fn report_json(&self) -> Option<String> {
        if self.phase.get_untracked() != Phase::Done {
            return None;
        }
        self.report.with_untracked(|r| {
            r.as_ref()
                .and_then(|r| serde_json::to_string_pretty(r).ok())
        })
    }
}
