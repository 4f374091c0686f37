//! The DNS questions as a waterfall (SVG): one bar per question from when it
//! was asked (`started_ms`) for as long as it took (`ms`), in time order;
//! answers from the cache as a tick, failures in the failure colour, and a
//! connector from an answer to each question that asked for a name found in
//! it (a PTR answer → the A question for that name; an SPF record → the
//! records it includes): which question waited for which.
//!
//! The layout is a pure function ([`waterfall`]) of the report's `dns_log`,
//! unit-tested natively; the view only draws it. Every text is a text node.
//! The text alternative is a table with the same rows.

use crate::format::{self, fixed, num};
use crate::state::Analysis;
use leptos::prelude::*;
use sendtrust::report::DnsLogEntry;

/// Height of one row.
const ROW_H: f64 = 22.0;
/// Room above the first row for the time axis.
const AXIS_H: f64 = 26.0;
/// Width of the name column (number, name, type).
const LABEL_W: f64 = 306.0;
/// Width of the time area.
const BARS_W: f64 = 500.0;
/// Room right of the time area for the last bar's label.
const TAIL_W: f64 = 120.0;
/// Characters of a name shown in the name column (the end is kept: it says
/// which domain a question is about).
const NAME_CHARS: usize = 34;
/// Bars drawn at most; the table lists every question.
const MAX_ROWS: usize = 200;
/// The narrowest bar, so a 0 ms answer is still seen.
const MIN_BAR: f64 = 3.0;

/// How a question ended, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered with records.
    Answered,
    /// NXDOMAIN or NODATA: an answer, "nothing there".
    Negative,
    /// An answer served from this analysis's cache (no request).
    Cached,
    /// Not answered (timeout, network, SERVFAIL, …): "could not check".
    Failed,
}

impl Outcome {
    fn of(entry: &DnsLogEntry) -> Outcome {
        // A failure is the fact to see, even when the cache repeated it.
        match entry.status.as_str() {
            "NOERROR" | "NXDOMAIN" | "NODATA" if entry.cached => Outcome::Cached,
            "NOERROR" => Outcome::Answered,
            "NXDOMAIN" | "NODATA" => Outcome::Negative,
            _ => Outcome::Failed,
        }
    }

    /// The CSS class of its bar.
    pub fn class(self) -> &'static str {
        match self {
            Outcome::Answered => "bar bar-answered",
            Outcome::Negative => "bar bar-negative",
            Outcome::Cached => "bar bar-cached",
            Outcome::Failed => "bar bar-failed",
        }
    }
}

/// One question as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based number in time order.
    pub number: usize,
    /// The name asked.
    pub name: String,
    /// The record type.
    pub qtype: String,
    /// The status as the log has it (`NOERROR`, `NXDOMAIN`, `timeout`, …).
    pub status: String,
    /// How it ended.
    pub outcome: Outcome,
    /// When it was asked, ms since the analysis started.
    pub start_ms: u64,
    /// How long it took.
    pub ms: u64,
    /// The number of the earlier question whose answer named this one's
    /// name, when there is one that had ended by the time this was asked.
    pub waited_for: Option<usize>,
    /// The bar's left edge and width, and the row's top.
    pub x: f64,
    /// Width of the bar.
    pub width: f64,
    /// Top of the row.
    pub y: f64,
}

/// A tick on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Horizontal position.
    pub x: f64,
    /// The time it marks.
    pub ms: u64,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    /// Every question, in time order.
    pub rows: Vec<Row>,
    /// From the first question to the last answer.
    pub total_ms: u64,
    /// Axis ticks.
    pub ticks: Vec<Tick>,
    /// SVG width and height (only the first [`MAX_ROWS`] rows are drawn).
    pub width: f64,
    /// SVG height.
    pub height: f64,
}

impl Waterfall {
    /// Rows that are drawn.
    pub fn drawn(&self) -> &[Row] {
        &self.rows[..self.rows.len().min(MAX_ROWS)]
    }

    /// Count of rows with this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }
}

/// A name as compared: lower case, no trailing dot.
fn norm(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether an answer (presentation form) names `name`: as a whole token,
/// split at what cannot be part of a host name (spaces, quotes, `:`, `=`, `/`).
fn names(answer: &str, name: &str) -> bool {
    answer
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .any(|token| !token.is_empty() && norm(token) == name)
}

/// A round step for about six ticks over `total` ms.
fn tick_step(total: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if total / (step * m) <= 6 {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// The log's entries by start time, equal starts in the log's order.
///
/// Each entry goes in after those that started no later (binary search):
/// the same order as a stable sort, without linking the standard library's
/// sort (about 3 KB of the UI wasm) for this one list. The log is written as
/// answers arrive, so it is nearly in start order already, and the engine
/// bounds its length, so the moves an insertion makes stay few.
fn in_start_order(log: &[DnsLogEntry]) -> Vec<&DnsLogEntry> {
    let mut order: Vec<&DnsLogEntry> = Vec::with_capacity(log.len());
    for entry in log {
        let at = order.partition_point(|e| e.started_ms <= entry.started_ms);
        order.insert(at, entry);
    }
    order
}

/// Lays out the DNS log as a waterfall.
pub fn waterfall(log: &[DnsLogEntry]) -> Waterfall {
    let order = in_start_order(log);
    let first = order.first().map_or(0, |e| e.started_ms);
    let total_ms = order
        .iter()
        .map(|e| e.started_ms.saturating_add(e.ms) - first)
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = BARS_W / total_ms as f64;
    let mut rows: Vec<Row> = Vec::with_capacity(order.len());
    for (i, e) in order.iter().enumerate() {
        let start_ms = e.started_ms - first;
        let wanted = norm(&e.name);
        // The latest-ending earlier question that had answered when this one
        // was asked and whose answer holds this name.
        let waited_for = order[..i]
            .iter()
            .zip(&rows)
            .filter(|(p, row)| {
                row.start_ms + row.ms <= start_ms && p.answers.iter().any(|a| names(a, &wanted))
            })
            .max_by_key(|(_, row)| row.start_ms + row.ms)
            .map(|(_, row)| row.number);
        let outcome = Outcome::of(e);
        rows.push(Row {
            number: i + 1,
            name: e.name.clone(),
            qtype: e.qtype.clone(),
            status: e.status.clone(),
            outcome,
            start_ms,
            ms: e.ms,
            waited_for,
            x: LABEL_W + start_ms as f64 * scale,
            width: (e.ms as f64 * scale).max(MIN_BAR),
            y: AXIS_H + i as f64 * ROW_H,
        });
    }
    let step = tick_step(total_ms);
    let ticks = (0..=total_ms / step)
        .map(|k| Tick {
            x: LABEL_W + (k * step) as f64 * scale,
            ms: k * step,
        })
        .collect();
    let drawn = rows.len().min(MAX_ROWS);
    Waterfall {
        rows,
        total_ms,
        ticks,
        width: LABEL_W + BARS_W + TAIL_W,
        height: AXIS_H + drawn as f64 * ROW_H + 6.0,
    }
}

/// The end of a long name, so the domain stays readable.
fn short_name(name: &str) -> String {
    let count = name.chars().count();
    if count <= NAME_CHARS {
        return name.to_string();
    }
    let tail: String = name.chars().skip(count - (NAME_CHARS - 1)).collect();
    format!("…{tail}")
}

/// What a row's label right of its bar says.
fn bar_label(row: &Row) -> String {
    match row.outcome {
        Outcome::Cached => "cache".into(),
        Outcome::Answered => format!("{} ms", row.ms),
        Outcome::Negative | Outcome::Failed => format!("{} · {} ms", row.status, row.ms),
    }
}

/// The picture in one sentence (the SVG's label).
fn summary(w: &Waterfall) -> String {
    let asked = w.rows.len();
    format!(
        "{asked} DNS question{} over {} ms: {} answered, {} with no such name or data, {} from the cache, {} not answered.",
        if asked == 1 { "" } else { "s" },
        w.total_ms,
        w.count(Outcome::Answered),
        w.count(Outcome::Negative),
        w.count(Outcome::Cached),
        w.count(Outcome::Failed),
    )
}

/// The DNS waterfall card.
#[component]
pub fn DnsWaterfall() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let layout = Memo::new(move |_| analysis.dns_log.with(|log| waterfall(log)));
    move || {
        let w = layout.get();
        (!w.rows.is_empty()).then(|| {
            let label = summary(&w);
            let more = (w.rows.len() > MAX_ROWS).then(|| {
                view! {
                    <p class="hint">
                        {format!("The picture shows the first {MAX_ROWS}; the table lists all {}.", w.rows.len())}
                    </p>
                }
            });
            let table = w
                .rows
                .iter()
                .map(|r| {
                    view! {
                        <tr>
                            <td class="num">{r.number}</td>
                            <td class="mono wrap">{format::clip(&r.name, format::MAX_SHOWN_CHARS)}</td>
                            <td>{r.qtype.clone()}</td>
                            <td class="num">{r.start_ms}</td>
                            <td class="num">{r.ms}</td>
                            <td>
                                {match r.outcome {
                                    Outcome::Cached => format!("{} (cache)", r.status),
                                    _ => r.status.clone(),
                                }}
                            </td>
                            <td>{r.waited_for.map(|n| format!("#{n}")).unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="card waterfall" id="dns-waterfall" aria-labelledby="waterfall-title">
                    <h2 id="waterfall-title">"DNS questions over time"</h2>
                    <p class="hint" id="waterfall-summary">{label.clone()}</p>
                    <WaterfallLegend />
                    <div class="waterfall-scroll" tabindex="0" role="region" aria-label="DNS waterfall (scrolls sideways)">
                        <WaterfallSvg layout=w.clone() label />
                    </div>
                    {more}
                    <details class="waterfall-text">
                        <summary>"The waterfall as a table"</summary>
                        <div class="table-wrap">
                            <table class="data waterfall-table" id="waterfall-table">
                                <thead>
                                    <tr>
                                        <th scope="col" class="num">"#"</th>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Type"</th>
                                        <th scope="col" class="num">"Asked at (ms)"</th>
                                        <th scope="col" class="num">"Took (ms)"</th>
                                        <th scope="col">"Result"</th>
                                        <th scope="col">"Waited for"</th>
                                    </tr>
                                </thead>
                                <tbody>{table}</tbody>
                            </table>
                        </div>
                    </details>
                </section>
            }
        })
    }
}

/// What the bar colours mean.
#[component]
fn WaterfallLegend() -> impl IntoView {
    view! {
        <ul class="waterfall-legend" aria-label="Legend">
            <li><span class="swatch swatch-answered" aria-hidden="true"></span>"answered"</li>
            <li><span class="swatch swatch-negative" aria-hidden="true"></span>"no such name / no data"</li>
            <li><span class="swatch swatch-cached" aria-hidden="true"></span>"from the cache"</li>
            <li><span class="swatch swatch-failed" aria-hidden="true"></span>"not answered"</li>
            <li><span class="swatch swatch-link" aria-hidden="true"></span>"asked for a name in that answer"</li>
        </ul>
    }
}

/// The SVG.
#[component]
fn WaterfallSvg(layout: Waterfall, label: String) -> impl IntoView {
    let width = layout.width;
    let height = layout.height;
    let drawn = layout.drawn();
    let ticks = layout
        .ticks
        .iter()
        .map(|t| {
            view! {
                <g class="tick">
                    <line x1={num(t.x)} y1={num(AXIS_H - 6.0)} x2={num(t.x)} y2={num(height)}></line>
                    <text x={num(t.x)} y={num(AXIS_H - 10.0)}>{format!("{} ms", t.ms)}</text>
                </g>
            }
        })
        .collect_view();
    // Connectors under the bars: from the answer's end to the question it led to.
    let links = drawn
        .iter()
        .filter_map(|r| {
            let parent = drawn.iter().find(|p| Some(p.number) == r.waited_for)?;
            let from_x = parent.x + parent.width;
            let from_y = parent.y + ROW_H / 2.0;
            let to_y = r.y + ROW_H / 2.0;
            let d = format!(
                "M{} {} V{} H{}",
                fixed(from_x, 1),
                fixed(from_y, 1),
                fixed(to_y, 1),
                fixed(r.x, 1)
            );
            Some(view! { <path class="wait-link" d=d></path> })
        })
        .collect_view();
    let rows = drawn
        .iter()
        .map(|r| {
            let mid = r.y + ROW_H / 2.0;
            let stripe = (r.number % 2 == 0).then(|| {
                view! { <rect class="stripe" x="0" y={num(r.y)} width={num(width)} height={num(ROW_H)}></rect> }
            });
            view! {
                <g class="row" id=format!("waterfall-row-{}", r.number)>
                    {stripe}
                    <text class="number" x="28" y={num(mid + 4.0)}>{r.number}</text>
                    <text class="name" x="36" y={num(mid + 4.0)}>{short_name(&r.name)}</text>
                    <text class="qtype" x={num(LABEL_W - 8.0)} y={num(mid + 4.0)}>{r.qtype.clone()}</text>
                    <rect class=r.outcome.class() x={num(r.x)} y={num(r.y + 5.0)} width={num(r.width)} height={num(ROW_H - 10.0)} rx="2"></rect>
                    <text class="bar-label" x={num(r.x + r.width + 5.0)} y={num(mid + 4.0)}>{bar_label(r)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="waterfall-svg"
            id="waterfall-svg"
            role="img"
            aria-label=label
            width={num(width)}
            height={num(height)}
            viewBox=format!("0 0 {} {}", num(width), num(height))
            xmlns="http://www.w3.org/2000/svg"
        >
            {ticks}
            {links}
            {rows}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        name: &str,
        qtype: &str,
        status: &str,
        started_ms: u64,
        ms: u64,
        answers: &[&str],
    ) -> DnsLogEntry {
        DnsLogEntry {
            name: name.into(),
            qtype: qtype.into(),
            status: status.into(),
            answers: answers.iter().map(|a| a.to_string()).collect(),
            ms,
            started_ms,
            cached: false,
            attempts: 1,
            detail: None,
        }
    }

    #[test]
    fn rows_in_time_order_with_what_each_waited_for() {
        let mut cached = entry(
            "shop.example",
            "TXT",
            "NOERROR",
            70,
            0,
            &["\"v=spf1 include:_spf.mail.example -all\""],
        );
        cached.cached = true;
        let log = vec![
            entry(
                "_spf.mail.example",
                "TXT",
                "NOERROR",
                60,
                10,
                &["\"v=spf1 ip4:192.0.2.0/24 -all\""],
            ),
            entry(
                "25.2.0.192.in-addr.arpa",
                "PTR",
                "NOERROR",
                0,
                30,
                &["Mail.Shop.Example."],
            ),
            entry(
                "shop.example",
                "TXT",
                "NOERROR",
                0,
                50,
                &["\"v=spf1 include:_spf.mail.example -all\""],
            ),
            entry("mail.shop.example", "A", "NOERROR", 31, 9, &["192.0.2.25"]),
            entry("25.2.0.192.zen.test", "A", "timeout", 5, 5000, &[]),
            entry("nothing.example", "TXT", "NXDOMAIN", 40, 4, &[]),
            cached,
        ];
        let w = waterfall(&log);
        let order: Vec<(&str, u64)> = w
            .rows
            .iter()
            .map(|r| (r.qtype.as_str(), r.start_ms))
            .collect();
        assert_eq!(
            order,
            [
                ("PTR", 0),
                ("TXT", 0),
                ("A", 5),
                ("A", 31),
                ("TXT", 40),
                ("TXT", 60),
                ("TXT", 70)
            ]
        );
        // The A question for the PTR answer's name (case and dot aside) waited for the PTR.
        let a = &w.rows[3];
        assert_eq!(
            (a.name.as_str(), a.waited_for),
            ("mail.shop.example", Some(1))
        );
        // The included record waited for the record that includes it.
        assert_eq!(w.rows[5].waited_for, Some(2));
        // Nothing names the blocklist question; the TXT asked before the
        // PTR answered did not wait for it.
        assert_eq!(w.rows[2].waited_for, None);
        assert_eq!(w.rows[1].waited_for, None);
        let outcomes: Vec<Outcome> = w.rows.iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes,
            [
                Outcome::Answered,
                Outcome::Answered,
                Outcome::Failed,
                Outcome::Answered,
                Outcome::Negative,
                Outcome::Answered,
                Outcome::Cached
            ]
        );
        // The time axis spans the slowest answer; bars scale to it.
        assert_eq!(w.total_ms, 5005);
        let timeout = &w.rows[2];
        assert!((timeout.x + timeout.width - (LABEL_W + BARS_W)).abs() < 0.01);
        assert!(w.rows[0].x == LABEL_W && w.rows[6].width == MIN_BAR);
        assert!(w.rows.windows(2).all(|p| p[0].y < p[1].y));
        assert_eq!(w.ticks.first().map(|t| t.ms), Some(0));
        assert!(w.ticks.len() <= 7 && w.ticks.len() >= 3, "{:?}", w.ticks);
    }

    #[test]
    fn a_question_asked_before_the_answer_did_not_wait_for_it() {
        let log = vec![
            entry(
                "1.2.0.192.in-addr.arpa",
                "PTR",
                "NOERROR",
                0,
                30,
                &["mail.example."],
            ),
            entry("mail.example", "A", "NOERROR", 10, 3, &["192.0.2.1"]),
            entry("mail.example", "AAAA", "NODATA", 30, 3, &[]),
        ];
        let waited: Vec<Option<usize>> =
            waterfall(&log).rows.iter().map(|r| r.waited_for).collect();
        assert_eq!(waited, [None, None, Some(1)]);
    }

    #[test]
    fn a_failure_from_the_cache_is_still_a_failure() {
        let mut refused = entry("1.2.0.192.in-addr.arpa", "PTR", "REFUSED", 9, 0, &[]);
        refused.cached = true;
        let mut negative = entry("x.example", "A", "NXDOMAIN", 9, 0, &[]);
        negative.cached = true;
        let outcomes: Vec<Outcome> = waterfall(&[refused, negative])
            .rows
            .iter()
            .map(|r| r.outcome)
            .collect();
        assert_eq!(outcomes, [Outcome::Failed, Outcome::Cached]);
    }

    #[test]
    fn a_name_must_be_a_whole_token_of_the_answer() {
        assert!(names(
            "\"v=spf1 include:_spf.example -all\"",
            "_spf.example"
        ));
        assert!(names("mail.example.", "mail.example"));
        assert!(!names(
            "\"v=spf1 include:x_spf.example -all\"",
            "_spf.example"
        ));
        assert!(!names("mail.example.org.", "mail.example"));
    }

    #[test]
    fn entries_by_start_and_equal_starts_in_log_order() {
        let log = [
            entry("c", "A", "NOERROR", 30, 1, &[]),
            entry("a1", "A", "NOERROR", 10, 1, &[]),
            entry("d", "A", "NOERROR", 40, 1, &[]),
            entry("b", "A", "NOERROR", 20, 1, &[]),
            entry("a2", "A", "NOERROR", 10, 1, &[]),
            entry("z", "A", "NOERROR", 0, 1, &[]),
            entry("a3", "A", "NOERROR", 10, 1, &[]),
        ];
        let names: Vec<&str> = in_start_order(&log)
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["z", "a1", "a2", "a3", "b", "c", "d"]);
        assert!(in_start_order(&[]).is_empty());
    }

    #[test]
    fn empty_and_long_logs() {
        let w = waterfall(&[]);
        assert!(w.rows.is_empty() && w.total_ms == 1);
        let log: Vec<DnsLogEntry> = (0..250)
            .map(|i| entry(&format!("h{i}.example"), "A", "NOERROR", i, 1, &[]))
            .collect();
        let w = waterfall(&log);
        assert_eq!((w.rows.len(), w.drawn().len()), (250, MAX_ROWS));
        assert!((w.height - (AXIS_H + MAX_ROWS as f64 * ROW_H + 6.0)).abs() < 0.01);
        assert_eq!(short_name(&"a".repeat(50)).chars().count(), NAME_CHARS);
        assert!(short_name("x.example").eq("x.example"));
        for step in [
            tick_step(1),
            tick_step(7),
            tick_step(5005),
            tick_step(123_456),
        ] {
            assert!(step > 0);
        }
        assert_eq!(tick_step(5005), 1000);
    }
}
