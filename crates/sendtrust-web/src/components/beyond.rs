//! Beyond the five rules (`report.beyond`): DMARC, ARC, what the receivers
//! recorded next to Sendtrust's re-check, the bulk-sender checklist, and the
//! antispam headers decoded. Collapsible sections, each with a one-line
//! summary; every value is the engine's, shown as text.

use crate::format::{self, num};
use crate::state::{Analysis, Phase};
use leptos::prelude::*;
use sendtrust::report::{
    AntispamReport, ArcCv, ArcReport, ArcResult, AuthResult, Beyond, ChecklistItem,
    ChecklistStatus, DmarcReport, DmarcStatus, ReceiverComparison, RecordedResult,
};

/// Rows listed at most per table (hostile messages repeat headers).
const MAX_ROWS: usize = 100;
/// Longest text in one cell.
const MAX_CELL_CHARS: usize = 400;

fn clip(text: &str) -> String {
    format::clip(text, MAX_CELL_CHARS)
}

/// The tone classes of a status pill.
const PASS: &str = "tone-pass";
const FAIL: &str = "tone-fail";
/// Nothing to judge (none, neutral, not applicable, nothing recorded).
const NOT_APPLICABLE: &str = "tone-na";
/// Could not be decided, or a word that is no verdict.
const UNKNOWN: &str = "tone-unknown";

/// A status the engine wrote, shown as a pill: its word and its tone class.
trait Status {
    /// The word as the report writes it (`""` for nothing recorded).
    fn word(&self) -> &str;
    /// The CSS tone class.
    fn tone(&self) -> &'static str;
}

impl Status for AuthResult {
    fn word(&self) -> &str {
        self.as_str()
    }
    fn tone(&self) -> &'static str {
        match self {
            AuthResult::Pass => PASS,
            AuthResult::Fail | AuthResult::Permerror | AuthResult::Softfail => FAIL,
            AuthResult::None | AuthResult::Neutral => NOT_APPLICABLE,
            AuthResult::Temperror
            | AuthResult::Policy
            | AuthResult::NotChecked
            | AuthResult::HeaderOnlyPass => UNKNOWN,
        }
    }
}

impl Status for RecordedResult {
    fn word(&self) -> &str {
        self.as_str()
    }
    fn tone(&self) -> &'static str {
        match self {
            RecordedResult::Word(word) => word.tone(),
            RecordedResult::Unreadable(_) => UNKNOWN,
            RecordedResult::Nothing => NOT_APPLICABLE,
        }
    }
}

impl Status for ArcCv {
    fn word(&self) -> &str {
        self.as_str()
    }
    fn tone(&self) -> &'static str {
        match self {
            ArcCv::Pass => PASS,
            ArcCv::Fail => FAIL,
            ArcCv::None => NOT_APPLICABLE,
            // A missing or misspelt cv= breaks the chain: not "nothing to judge".
            ArcCv::Unreadable(_) => UNKNOWN,
        }
    }
}

/// The ARC chain status; `None` is "could not check".
impl Status for Option<ArcResult> {
    fn word(&self) -> &str {
        self.map_or("unknown", ArcResult::as_str)
    }
    fn tone(&self) -> &'static str {
        match self {
            Some(ArcResult::Pass) => PASS,
            Some(ArcResult::Fail) => FAIL,
            Some(ArcResult::None) => NOT_APPLICABLE,
            None => UNKNOWN,
        }
    }
}

impl Status for DmarcStatus {
    fn word(&self) -> &str {
        self.as_str()
    }
    fn tone(&self) -> &'static str {
        match self {
            DmarcStatus::Pass => PASS,
            DmarcStatus::Fail | DmarcStatus::Permerror => FAIL,
            DmarcStatus::None => NOT_APPLICABLE,
            DmarcStatus::Temperror | DmarcStatus::NotChecked => UNKNOWN,
        }
    }
}

impl Status for ChecklistStatus {
    fn word(&self) -> &str {
        self.as_str()
    }
    fn tone(&self) -> &'static str {
        match self {
            ChecklistStatus::Pass => PASS,
            ChecklistStatus::Fail => FAIL,
            ChecklistStatus::NotApplicable => NOT_APPLICABLE,
            ChecklistStatus::Unknown => UNKNOWN,
        }
    }
}

/// A status as a pill.
fn pill(status: &dyn Status) -> impl IntoView + use<> {
    let class = format!("pill {}", status.tone());
    let word = status.word();
    let text = if word.is_empty() {
        "—".to_string()
    } else {
        clip(word)
    };
    view! { <span class=class>{text}</span> }
}

/// "2 pass, 1 fail" over the checklist statuses, in a fixed order.
fn counts(statuses: impl Iterator<Item = ChecklistStatus>) -> String {
    let all: Vec<ChecklistStatus> = statuses.collect();
    [
        (ChecklistStatus::Pass, "pass"),
        (ChecklistStatus::Fail, "fail"),
        (ChecklistStatus::Unknown, "unknown"),
        (ChecklistStatus::NotApplicable, "n/a"),
    ]
    .iter()
    .filter_map(|(status, word)| {
        let n = all.iter().filter(|s| *s == status).count();
        (n > 0).then(|| format!("{n} {word}"))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// One `<details>` section with a title, a status and a one-line summary.
#[component]
fn Section(
    id: &'static str,
    title: &'static str,
    /// The pill next to the title.
    status: Option<AnyView>,
    line: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="beyond-section" id=id>
            <summary>
                <span class="beyond-title">{title}</span>
                {status}
                <span class="beyond-line">{clip(&line)}</span>
            </summary>
            <div class="beyond-body">{children()}</div>
        </details>
    }
}

/// The five sections below the rule cards, once the report is complete.
#[component]
pub fn BeyondPanel() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    // No memo: the sections are shown only while the run is done, and the
    // report does not change then (a new run hides them first).
    let beyond = move || {
        analysis
            .report
            .with(|r| r.as_ref().map(|r| r.beyond.clone()))
    };
    let done = move || analysis.phase.get() == Phase::Done;
    view! {
        <section class="beyond" id="beyond" aria-labelledby="beyond-title">
            <h2 id="beyond-title">"Beyond the five rules"</h2>
            <super::Shown
                when=done
                fallback=|| {
                    view! {
                        <p class="empty">
                            "DMARC, ARC, the receivers’ own verdicts, the bulk-sender checklist and antispam headers follow once the five rules are done."
                        </p>
                    }
                }
            >
                {move || beyond().map(|b| view! { <BeyondSections beyond=b /> })}
            </super::Shown>
        </section>
    }
}

#[component]
fn BeyondSections(beyond: Beyond) -> impl IntoView {
    let Beyond {
        dmarc,
        arc,
        receiver,
        bulk_sender,
        antispam,
    } = beyond;
    view! {
        <DmarcSection dmarc />
        <ArcSection arc />
        <ReceiverSection rows=receiver />
        <ChecklistSection items=bulk_sender />
        <AntispamSection reports=antispam />
    }
}

#[component]
fn DmarcSection(dmarc: Option<DmarcReport>) -> impl IntoView {
    let Some(d) = dmarc else {
        return view! {
            <Section
                id="beyond-dmarc"
                title="DMARC"
                status=None
                line="not evaluated: the message has no From domain".into()
            >
                <p class="empty">"DMARC is checked for the From address’s domain; this message has none."</p>
            </Section>
        }
            .into_any();
    };
    let aligned = match (d.dkim_aligned, d.spf_aligned) {
        (true, true) => "aligned via DKIM and SPF",
        (true, false) => "aligned via DKIM",
        (false, true) => "aligned via SPF",
        (false, false) => "no aligned pass",
    };
    let mut line = match &d.policy {
        Some(p) => format!("policy {p}, {aligned}"),
        None => aligned.to_string(),
    };
    if !d.warnings.is_empty() {
        line.push_str(&format!(
            ", {} warning{}",
            d.warnings.len(),
            if d.warnings.len() == 1 { "" } else { "s" }
        ));
    }
    let row = |label: &'static str, value: String, mono: bool| {
        view! {
            <div class="field-row">
                <dt>{label}</dt>
                <dd class:mono=mono class="wrap">{clip(&value)}</dd>
            </div>
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let warnings = (!d.warnings.is_empty()).then(|| {
        view! {
            <div class="beyond-warnings">
                <h4>"Warnings"</h4>
                <ul>
                    {d
                        .warnings
                        .iter()
                        .take(MAX_ROWS)
                        .map(|w| view! { <li>{clip(w)}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <Section id="beyond-dmarc" title="DMARC" status=Some(pill(&d.result).into_any()) line>
            <p class="beyond-disposition" id="dmarc-disposition">
                <strong>"What a receiver would do: "</strong>
                {clip(&d.disposition)}
            </p>
            <dl class="fields">
                {row("From domain", d.from_domain.clone(), true)}
                {row("Record found at", opt(&d.policy_domain), true)}
                {row("Record", opt(&d.record), true)}
                {row("Result", d.result.to_string(), false)}
                {row("Policy (p)", opt(&d.policy), false)}
                {row("Subdomain policy (sp)", opt(&d.subdomain_policy), false)}
                {row("Percentage (pct)", d.pct.map(|p| format!("{p} %")).unwrap_or_else(|| "— (100 %)".into()), false)}
                {row("DKIM alignment (adkim)", opt(&d.adkim), false)}
                {row("SPF alignment (aspf)", opt(&d.aspf), false)}
                {row("DKIM aligned pass", yes_no(d.dkim_aligned).into(), false)}
                {row("SPF aligned pass", yes_no(d.spf_aligned).into(), false)}
                {row(
                    "Aggregate reports (rua)",
                    if d.rua.is_empty() { "—".into() } else { d.rua.join(", ") },
                    true,
                )}
            </dl>
            {warnings}
            {(!d.fix_records.is_empty())
                .then(|| view! { <super::fixes::FixRecords records=d.fix_records.clone() /> })}
        </Section>
    }
        .into_any()
}

#[component]
fn ArcSection(arc: Option<ArcReport>) -> impl IntoView {
    let Some(a) = arc else {
        return view! {
            <Section
                id="beyond-arc"
                title="ARC"
                status=None
                line="none: the message carries no ARC sets".into()
            >
                <p class="empty">
                    "No ARC headers. Forwarders and mailing lists add ARC sets to vouch for the checks they made before changing a message."
                </p>
            </Section>
        }
            .into_any();
    };
    let sealers: Vec<String> = a.instances.iter().map(|i| i.sealer.clone()).collect();
    let line = format!(
        "{} set{}{}",
        a.instances.len(),
        if a.instances.len() == 1 { "" } else { "s" },
        if sealers.is_empty() {
            String::new()
        } else {
            format!(", sealed by {}", sealers.join(", "))
        }
    );
    let count = a.instances.len();
    view! {
        <Section id="beyond-arc" title="ARC" status=Some(pill(&a.result).into_any()) line>
            {a
                .reason
                .clone()
                .or_else(|| a.could_not_check.as_ref().map(|w| format!("Could not check: {w}")))
                .map(|r| view! { <p class="beyond-reason">{clip(&r)}</p> })}
            <div class="table-wrap" tabindex="0" role="region" aria-label="ARC sets">
                <table class="data beyond-table arc-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"i="</th>
                            <th scope="col">"Sealer"</th>
                            <th scope="col">"cv="</th>
                            <th scope="col">"What it recorded"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {a
                            .instances
                            .into_iter()
                            .take(MAX_ROWS)
                            .map(|i| {
                                view! {
                                    <tr>
                                        <td data-label="i=" class="num">{i.instance}</td>
                                        <td data-label="Sealer" class="mono wrap">{clip(&i.sealer)}</td>
                                        <td data-label="cv=">{pill(&i.cv)}</td>
                                        <td data-label="Recorded" class="mono wrap small">{clip(&i.auth_results)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(count > MAX_ROWS).then(|| view! { <p class="hint">{format!("… and {} more", count - MAX_ROWS)}</p> })}
        </Section>
    }
        .into_any()
}

#[component]
fn ReceiverSection(rows: Vec<ReceiverComparison>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <Section
                id="beyond-receiver"
                title="Recorded vs now"
                status=None
                line="nothing recorded: no Authentication-Results or Received-SPF fields".into()
            >
                <p class="empty">
                    "The receiving servers left no Authentication-Results, ARC-Authentication-Results or Received-SPF fields to compare with."
                </p>
            </Section>
        }
            .into_any();
    }
    let agree = rows.iter().filter(|r| r.agrees == Some(true)).count();
    let differ = rows.iter().filter(|r| r.agrees == Some(false)).count();
    let line = format!(
        "{} recorded result{}: {agree} agree now, {differ} differ",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
    );
    let count = rows.len();
    view! {
        <Section id="beyond-receiver" title="Recorded vs now" status=None line>
            <p class="hint">
                "What each receiving server recorded when the message arrived, next to what Sendtrust finds now. Differences are normal for forwarded mail and for keys rotated since."
            </p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Recorded results and re-checks">
                <table class="data beyond-table receiver-table">
                    <thead>
                        <tr>
                            <th scope="col">"Method"</th>
                            <th scope="col">"Recorded by"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col">"Recorded"</th>
                            <th scope="col">"Now"</th>
                            <th scope="col">"Agree?"</th>
                            <th scope="col">"Note"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .take(MAX_ROWS)
                            .map(|r| {
                                let (agree_text, agree_class) = match r.agrees {
                                    Some(true) => ("yes", "agree agree-yes"),
                                    Some(false) => ("no", "agree agree-no"),
                                    None => ("—", "agree"),
                                };
                                let props = (!r.properties.is_empty())
                                    .then(|| {
                                        view! {
                                            <span class="props mono">{clip(&r.properties.join(" "))}</span>
                                        }
                                    });
                                view! {
                                    <tr class:differs=r.agrees == Some(false)>
                                        <td data-label="Method" class="method">{r.method.as_str()}</td>
                                        <td data-label="Recorded by" class="mono wrap">{clip(&r.authserv)}</td>
                                        <td data-label="Source" class="wrap">{clip(&r.source)}</td>
                                        <td data-label="Recorded">{pill(&r.recorded)} {props}</td>
                                        <td data-label="Now">
                                            {match r.now {
                                                Some(n) => pill(&n).into_any(),
                                                None => view! { <span class="hint">"not re-checked"</span> }.into_any(),
                                            }}
                                        </td>
                                        <td data-label="Agree?" class=agree_class>{agree_text}</td>
                                        <td data-label="Note" class="wrap note-cell">
                                            {r.note.map(|n| clip(&n)).unwrap_or_else(|| "—".into())}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(count > MAX_ROWS).then(|| view! { <p class="hint">{format!("… and {} more", count - MAX_ROWS)}</p> })}
        </Section>
    }
        .into_any()
}

#[component]
fn ChecklistSection(items: Vec<ChecklistItem>) -> impl IntoView {
    let line = if items.is_empty() {
        "not evaluated".to_string()
    } else {
        counts(items.iter().map(|i| i.status))
    };
    view! {
        <Section id="beyond-bulk" title="Bulk-sender checklist" status=None line>
            <p class="hint">
                "What Gmail and Yahoo require of senders of bulk mail, item by item."
            </p>
            <ul class="checklist">
                {items
                    .into_iter()
                    .take(MAX_ROWS)
                    .map(|i| {
                        let class = format!("check-item {}", i.status.tone());
                        let status = match i.status {
                            ChecklistStatus::NotApplicable => "n/a".to_string(),
                            s => s.to_string(),
                        };
                        view! {
                            <li class=class id=format!("check-{}", i.id)>
                                <span class="pill">{status}</span>
                                <span class="check-title">{clip(&i.title)}</span>
                                <span class="check-evidence">{clip(&i.evidence)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Section>
    }
}

fn vendor_name(vendor: &str) -> String {
    match vendor {
        "microsoft" => "Microsoft 365 / Exchange".into(),
        "spamassassin" => "SpamAssassin".into(),
        "rspamd" => "Rspamd".into(),
        other => clip(other),
    }
}

fn score_text(report: &AntispamReport) -> Option<String> {
    match (report.score, report.threshold) {
        (Some(s), Some(t)) => Some(format!("score {} of {} required", num(s), num(t))),
        (Some(s), None) => Some(format!("score {}", num(s))),
        (None, Some(t)) => Some(format!("threshold {}", num(t))),
        (None, None) => None,
    }
}

#[component]
fn AntispamSection(reports: Vec<AntispamReport>) -> impl IntoView {
    let line = if reports.is_empty() {
        "none: no antispam headers Sendtrust can read".to_string()
    } else {
        reports
            .iter()
            .take(5)
            .map(|r| {
                let mut s = vendor_name(&r.vendor);
                if let Some(v) = r.verdict.as_ref().or(score_text(r).as_ref()) {
                    s.push_str(": ");
                    s.push_str(v);
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let empty = reports.is_empty();
    view! {
        <Section id="beyond-antispam" title="Antispam headers" status=None line>
            {empty
                .then(|| {
                    view! {
                        <p class="empty">
                            "No Microsoft, SpamAssassin or Rspamd headers found. Receivers add them on arrival; save the message from the recipient’s mailbox to see them."
                        </p>
                    }
                })}
            {reports
                .into_iter()
                .take(MAX_ROWS)
                .enumerate()
                .map(|(n, r)| view! { <AntispamBlock report=r n /> })
                .collect_view()}
        </Section>
    }
}

#[component]
fn AntispamBlock(report: AntispamReport, n: usize) -> impl IntoView {
    let count = report.items.len();
    let score = score_text(&report);
    let label = format!("{} items", vendor_name(&report.vendor));
    view! {
        <div class="antispam" id=format!("antispam-{n}")>
            <h4>
                {vendor_name(&report.vendor)}
                <span class="hint mono">{format!(" {}", clip(&report.header))}</span>
            </h4>
            <p class="antispam-verdict">
                {report.verdict.map(|v| view! { <strong>{clip(&v)}</strong> })}
                {score.map(|s| view! { <span class="antispam-score">{format!(" ({s})")}</span> })}
            </p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                <table class="data beyond-table antispam-table">
                    <thead>
                        <tr>
                            <th scope="col">"Key"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Meaning"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report
                            .items
                            .into_iter()
                            .take(MAX_ROWS)
                            .map(|i| {
                                view! {
                                    <tr>
                                        <td data-label="Key" class="mono wrap">{clip(&i.key)}</td>
                                        <td data-label="Value" class="mono wrap">{clip(&i.value)}</td>
                                        <td data-label="Meaning" class="wrap" class:unknown-meaning=i.meaning.is_empty()>
                                            {if i.meaning.is_empty() { "(not documented)".to_string() } else { clip(&i.meaning) }}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            {(count > MAX_ROWS).then(|| view! { <p class="hint">{format!("… and {} more", count - MAX_ROWS)}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_counts_and_tones() {
        use ChecklistStatus::*;
        assert_eq!(
            counts([Pass, Fail, Pass, NotApplicable].into_iter()),
            "2 pass, 1 fail, 1 n/a"
        );
        assert_eq!(counts([Unknown].into_iter()), "1 unknown");
        assert_eq!(AuthResult::Pass.tone(), PASS);
        assert_eq!(AuthResult::Permerror.tone(), FAIL);
        assert_eq!(AuthResult::Temperror.tone(), UNKNOWN);
        assert_eq!(AuthResult::None.tone(), NOT_APPLICABLE);
        assert_eq!(AuthResult::HeaderOnlyPass.tone(), UNKNOWN);
        assert_eq!(RecordedResult::parse("softfail").tone(), FAIL);
        assert_eq!(RecordedResult::parse("bestguesspass").tone(), UNKNOWN);
        assert_eq!(RecordedResult::Nothing.tone(), NOT_APPLICABLE);
        assert_eq!(ArcCv::parse("pass").tone(), PASS);
        assert_eq!(ArcCv::parse("").tone(), UNKNOWN);
        assert_eq!(None::<ArcResult>.word(), "unknown");
        assert_eq!(None::<ArcResult>.tone(), UNKNOWN);
        assert_eq!(DmarcStatus::NotChecked.tone(), UNKNOWN);
        assert_eq!(DmarcStatus::Fail.tone(), FAIL);
        assert_eq!(ChecklistStatus::NotApplicable.tone(), NOT_APPLICABLE);
    }

    #[test]
    fn scores_read_naturally() {
        let mut r = AntispamReport {
            score: Some(3.5),
            threshold: Some(5.0),
            ..AntispamReport::default()
        };
        assert_eq!(score_text(&r).as_deref(), Some("score 3.5 of 5 required"));
        r.threshold = None;
        assert_eq!(score_text(&r).as_deref(), Some("score 3.5"));
        r.score = None;
        assert_eq!(score_text(&r), None);
    }
}
