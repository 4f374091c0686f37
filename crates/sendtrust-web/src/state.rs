//! The analysis state of the page and the one place that starts the engine.
//!
//! [`Analysis::run`] sends the message to the analysis worker (`worker.rs`),
//! where the engine wasm runs `sendtrust::analyze_with` off the main thread
//! with the session's resolver for the chosen provider and reports as
//! results arrive:
//! the local report first (summary, hops, sender), then each rule, and every
//! DNS question as it is logged. The page only fills its signals in, so even
//! a 25 MB message never freezes it. Where no worker can be started, the page
//! loads the engine wasm itself and runs it with the same events. A newer run supersedes an
//! older one (a generation counter drops late results).

use crate::settings::DnsSettings;
use crate::worker::{AnalysisWorker, Event, Heard, Request};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sendtrust::dns::DnsConfig;
use sendtrust::report::{DnsLogEntry, Report, RuleResult};
use sendtrust::{Options, RuleId};
use std::net::IpAddr;
use std::rc::Rc;

/// The request a first visit makes (no saved settings, no page address):
/// what the static shell gives the head script (shell.rs), as JSON.
pub fn default_request(settings: &DnsSettings) -> Option<String> {
    let options = Options {
        dns: settings.config().ok()?,
        ..settings.options()
    };
    serde_json::to_string(&Request::new(0, &options)).ok()
}

/// True when the browser says it has no network (`navigator.onLine`).
fn network_is_off() -> bool {
    cfg!(target_arch = "wasm32") && web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

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

/// The analysis worker, as far as the page knows.
#[derive(Clone, Default)]
enum WorkerState {
    /// Not started yet (or stopped after a crash: the next run starts a new one).
    #[default]
    NotYet,
    /// Started.
    Up(Rc<AnalysisWorker>),
    /// This browser cannot run it: the page analyses by itself.
    Unavailable,
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
    /// Size in bytes of the message being analysed.
    bytes: RwSignal<usize>,
    /// True once the current run's local report (parse, hops, sender) has arrived.
    local_done: RwSignal<bool>,
    /// The complete report's JSON text as the engine sent it (compact).
    report_text: StoredValue<Option<String>>,
    /// The bytes last analysed, for re-runs ("check this hop instead").
    message: StoredValue<Option<Vec<u8>>>,
    /// The current run's options, to redo it in the page when the worker
    /// cannot start.
    current: StoredValue<Option<Options>>,
    /// A loaded file's bytes while the paste area shows it unedited (a big
    /// file's text area holds only its header block).
    file: StoredValue<Option<Vec<u8>>>,
    worker: StoredValue<WorkerState, LocalStorage>,
    settings: DnsSettings,
}

impl Analysis {
    /// Empty state bound to the session's DNS settings.
    pub fn new(settings: DnsSettings) -> Self {
        let analysis = Analysis {
            generation: RwSignal::new(0),
            text: RwSignal::new(String::new()),
            source: RwSignal::new(None),
            phase: RwSignal::new(Phase::Idle),
            report: RwSignal::new(None),
            rules: RwSignal::new(Vec::new()),
            dns_log: RwSignal::new(Vec::new()),
            sent: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            bytes: RwSignal::new(0),
            local_done: RwSignal::new(false),
            report_text: StoredValue::new(None),
            message: StoredValue::new(None),
            current: StoredValue::new(None),
            file: StoredValue::new(None),
            worker: StoredValue::new_local(WorkerState::NotYet),
            settings,
        };
        // The head script may have started a run from the shell's text
        // (`adopt_early_run`): this page's own runs are numbered after it.
        if cfg!(target_arch = "wasm32")
            && let Some(early) = crate::worker::early_run()
        {
            analysis.generation.set(early.id);
        }
        analysis
    }

    /// Takes over the analysis worker (the one the head script started, with
    /// what it said so far): called once the page has decided whether a run
    /// the head script started from the shell is its own.
    pub fn start_engine(&self) {
        if cfg!(target_arch = "wasm32") {
            self.worker();
        }
    }

    /// When the head script already started an analysis of `text` (pasted
    /// into the static shell) with exactly the request this page would send
    /// now, makes that run the current one, so its events (replayed when the
    /// worker is adopted) fill the report: no second analysis. False when
    /// there is none, or it was of another text or with other settings.
    pub fn adopt_early_run(&self, text: &str) -> bool {
        let Some(early) = crate::worker::early_run() else {
            return false;
        };
        let Ok(options) = self.options_for(None) else {
            return false;
        };
        // The same JSON text: the head script sent the text the page saved
        // (field order and number forms kept), with its own run number.
        let mine = serde_json::to_string(&Request::new(early.id, &options)).ok();
        if early.text != text || mine.as_ref() != Some(&early.request) {
            return false;
        }
        self.generation.set(early.id);
        self.bytes.set(text.len());
        self.local_done.set(false);
        self.rules.set(Vec::new());
        self.dns_log.set(Vec::new());
        self.error.set(None);
        self.phase.set(Phase::Running);
        self.current.set_value(Some(options));
        self.message.set_value(Some(text.as_bytes().to_vec()));
        true
    }

    /// The engine's options for a run now: the settings, offline when the
    /// browser has no network.
    fn options_for(&self, sender_ip: Option<IpAddr>) -> Result<Options, String> {
        let dns = self.settings.config()?;
        // The network is off (the page came from the service worker's cache):
        // no question can be asked, so run offline — the rules say "could not
        // check (offline)" instead of one network error per question.
        let dns = if network_is_off() {
            DnsConfig::offline()
        } else {
            dns
        };
        Ok(Options {
            dns,
            sender_ip,
            ..self.settings.options()
        })
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
        self.report_text.set_value(None);
        self.report.set(None);
        self.rules.set(Vec::new());
        self.dns_log.set(Vec::new());
        self.error.set(Some(message.into()));
        self.phase.set(Phase::Failed);
    }

    /// Analyses `raw`, replacing whatever is shown.
    pub fn run(&self, raw: Vec<u8>, sender_ip: Option<IpAddr>) {
        let options = match self.options_for(sender_ip) {
            Ok(options) => options,
            Err(why) => {
                self.fail(format!("DNS settings: {why}"));
                return;
            }
        };
        self.generation.update(|g| *g += 1);
        let generation = self.generation.get_untracked();
        self.bytes.set(raw.len());
        self.report_text.set_value(None);
        self.local_done.set(false);
        self.rules.set(Vec::new());
        self.dns_log.set(Vec::new());
        self.error.set(None);
        self.phase.set(Phase::Running);
        self.current.set_value(Some(options.clone()));
        let request = Request::new(generation, &options);
        if cfg!(target_arch = "wasm32")
            && sender_ip.is_none()
            && let Ok(json) = serde_json::to_string(&request)
        {
            crate::settings::remember_request(&json);
        }
        let sent = self.worker().is_some_and(|w| w.analyze(&request, &raw));
        if sent {
            self.message.set_value(Some(raw));
        } else {
            self.message.set_value(Some(raw.clone()));
            self.run_here(&raw, &options, generation);
        }
    }

    /// The analysis worker, started on first use; `None` where it cannot run.
    fn worker(&self) -> Option<Rc<AnalysisWorker>> {
        match self.worker.get_value() {
            WorkerState::Up(worker) => Some(worker),
            WorkerState::Unavailable => None,
            WorkerState::NotYet => {
                let this = *self;
                match AnalysisWorker::start(move |heard| this.heard(heard)) {
                    Some(worker) => {
                        let worker = Rc::new(worker);
                        self.worker.set_value(WorkerState::Up(worker.clone()));
                        Some(worker)
                    }
                    None => {
                        self.worker.set_value(WorkerState::Unavailable);
                        None
                    }
                }
            }
        }
    }

    /// What the worker said.
    fn heard(&self, heard: Heard) {
        let (next, why) = match heard {
            Heard::Event(id, event, text) => return self.on_event(id, *event, text),
            Heard::NotStarted(why) => (WorkerState::Unavailable, why),
            Heard::Crashed(why) => (WorkerState::NotYet, why),
        };
        let started = matches!(next, WorkerState::NotYet);
        web_sys::console::warn_1(&format!("Sendtrust analysis worker: {why}").into());
        let this = *self;
        // Not from inside the worker's own event handler: drop it (and act) a turn later.
        spawn_local(async move {
            this.worker.set_value(next);
            if this.phase.get_untracked() != Phase::Running {
                return;
            }
            let generation = this.generation.get_untracked();
            match (started, this.message.get_value(), this.current.get_value()) {
                // It never ran: analyse the same message here instead.
                (false, Some(raw), Some(options)) => this.run_here(&raw, &options, generation),
                _ => this.fail(format!("The analysis stopped unexpectedly ({why}).")),
            }
        });
    }

    /// One event of run `generation`, from the worker or from the engine in
    /// the page; `text` is the finished report's JSON text.
    fn on_event(&self, generation: u64, event: Event, text: Option<String>) {
        if let Event::Dns { endpoint, entry } = &event
            && crate::format::was_sent(entry)
        {
            let known = self
                .sent
                .with_untracked(|sent| sent.iter().any(|(e, n)| e == endpoint && *n == entry.name));
            if !known {
                self.sent
                    .update(|sent| sent.push((endpoint.clone(), entry.name.clone())));
            }
        }
        if !self.is_current(generation) || self.phase.get_untracked() != Phase::Running {
            return;
        }
        match event {
            Event::Local { report } => {
                self.report.set(Some(report));
                self.local_done.set(true);
            }
            Event::Rule { rule } => self.rules.update(|rules| {
                rules.retain(|r| r.id != rule.id);
                rules.push(rule);
            }),
            Event::Dns { entry, .. } => self.dns_log.update(|log| log.push(entry)),
            Event::Done { report } => {
                self.report_text.set_value(text);
                self.rules.set(report.rules.clone());
                self.dns_log.set(report.dns_log.clone());
                self.report.set(Some(report));
                self.local_done.set(true);
                self.phase.set(Phase::Done);
            }
            Event::Failed { message } => self.fail(message),
        }
    }

    /// Runs the engine in the page (where no worker can run).
    fn run_here(&self, raw: &[u8], options: &Options, generation: u64) {
        let this = *self;
        let request = Request::new(generation, options);
        crate::worker::run_in_page(&request, raw, move |heard| match heard {
            Heard::Event(id, event, text) => this.on_event(id, *event, text),
            Heard::NotStarted(why) | Heard::Crashed(why) => {
                if this.is_current(generation) && this.phase.get_untracked() == Phase::Running {
                    this.fail(format!("The checker could not run here ({why})."));
                }
            }
        });
    }

    /// The status line while a run is in progress (reactive).
    pub fn progress(&self) -> String {
        if !self.local_done.get() {
            return format!(
                "Reading the message ({})…",
                crate::format::size(self.bytes.get() as f64)
            );
        }
        let done = self.rules.with(Vec::len);
        let asked = self.dns_log.with(Vec::len);
        let questions = if asked == 1 { "question" } else { "questions" };
        format!("Checking… {done} of 5 rules done, {asked} DNS {questions} asked.")
    }

    /// True while a run is reading the message (parse, Received chain,
    /// sender), before its local report arrives (reactive).
    pub fn is_reading(&self) -> bool {
        self.phase.get() == Phase::Running && !self.local_done.get()
    }

    /// The bytes last analysed (what "Copy link" takes its header block from).
    pub fn message_bytes(&self) -> Option<Vec<u8>> {
        self.message.get_value()
    }

    /// The complete report as pretty JSON (the engine's contract), when
    /// done: the engine's own text, laid out (`report_text::pretty`).
    pub fn report_json(&self) -> Option<String> {
        if self.phase.get_untracked() != Phase::Done {
            return None;
        }
        self.report_text
            .with_value(|text| text.as_deref().map(crate::report_text::pretty))
    }
}
