//! The hop timeline: an SVG chart of the Received chain, oldest hop on the
//! left, one mark per hop, the delay between hops on the line, the hand-off
//! hop highlighted, and hops the engine's chain notes flag (clock skew, long
//! delay, gap, no TLS) marked.
//!
//! The SVG is built from Leptos `svg` elements; every text in it comes from
//! the report and is a text node. The layout is computed by pure functions
//! ([`layout`]) so it is unit-tested natively.

use crate::format::{self, num};
use crate::state::Analysis;
use leptos::prelude::*;
use sendtrust::report::{ChainNote, ChainNoteKind, Hop};

/// Oldest and newest hops drawn when a chain is long; the hand-off hop is
/// always drawn. Hidden hops become one dashed stretch.
const HEAD_MARKS: usize = 8;
const TAIL_MARKS: usize = 24;
/// Horizontal room per hop: the stretch before a hop grows with the delay
/// into it (log scale), between these bounds.
const STEP_MIN: f64 = 128.0;
const STEP_MAX: f64 = 236.0;
/// The stretch that stands for hops left out.
const STEP_HIDDEN: f64 = 96.0;
/// Left and right margin.
const PAD_X: f64 = 72.0;
/// Half the width of the hand-off highlight.
const BAND_HALF: f64 = 54.0;
/// Height of the chart.
const HEIGHT: f64 = 170.0;
/// The y of the line and the marks.
const LINE_Y: f64 = 76.0;
/// Characters of a host name shown under a mark.
const HOST_CHARS: usize = 17;
/// A day, the delay at which the stretch reaches its widest.
const DAY: f64 = 86_400.0;

/// What the engine noted about one hop (from `chain_notes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HopFlags {
    /// A `clock-skew` note: stamped before the previous hop.
    pub skew: bool,
    /// A `long-delay` note.
    pub long_delay: bool,
    /// A `gap` note: this hop's client is not the previous field's server.
    pub gap: bool,
    /// A `no-tls` note: a public hop without TLS.
    pub no_tls: bool,
}

impl HopFlags {
    /// The flags for hop `index` from the report's chain notes.
    pub fn for_hop(notes: &[ChainNote], index: usize) -> HopFlags {
        let mut flags = HopFlags::default();
        for n in notes.iter().filter(|n| n.hop_index == index) {
            match n.kind {
                ChainNoteKind::ClockSkew => flags.skew = true,
                ChainNoteKind::LongDelay => flags.long_delay = true,
                ChainNoteKind::Gap => flags.gap = true,
                ChainNoteKind::NoTls => flags.no_tls = true,
                ChainNoteKind::Omitted => {}
            }
        }
        flags
    }
}

/// One hop as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Index into `hops` (0 = oldest).
    pub index: usize,
    /// Horizontal position of the mark.
    pub x: f64,
    /// `hh:mm:ss` when the hop's time is known.
    pub clock: Option<String>,
    /// The date, shown on the first mark and whenever it changes.
    pub date: Option<String>,
    /// The receiving host, shortened for the chart.
    pub by: String,
    /// The receiving host for the text alternative.
    pub host: String,
    /// Date and time for the text alternative (`2025-11-18 09:14:07 UTC`).
    pub when: Option<String>,
    /// TLS as recorded: the version, `TLS` when only implied, `None` without.
    pub tls: Option<String>,
    /// The hand-off hop.
    pub handoff: bool,
    /// Inside the recipient's own system.
    pub inside: bool,
    /// The client address is private.
    pub private: bool,
    /// Delay into this hop, when both times are known.
    pub delay: Option<i64>,
    /// Chain notes about this hop.
    pub flags: HopFlags,
    /// Hops left out between the previous mark and this one.
    pub hidden_before: usize,
}

/// The chart: marks, width, and the total transit time.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The marks, oldest first.
    pub marks: Vec<Mark>,
    /// Width of the SVG.
    pub width: f64,
    /// Sum of the delays (newest stamped hop minus oldest stamped hop), when
    /// at least two hops carry a time.
    pub transit: Option<i64>,
    /// Hops that carry a time.
    pub timed: usize,
}

/// The width of the stretch before a hop with `delay` seconds.
pub fn step(delay: Option<i64>) -> f64 {
    match delay {
        None => STEP_MIN,
        Some(d) => {
            let d = d.unsigned_abs() as f64;
            let share = ((1.0 + d).ln() / (1.0 + DAY).ln()).min(1.0);
            STEP_MIN + (STEP_MAX - STEP_MIN) * share
        }
    }
}

/// A host name cut to `max` characters with an ellipsis.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Lays the chain out: which hops are drawn, where, with what labels.
pub fn layout(hops: &[Hop], notes: &[ChainNote], handoff: Option<usize>) -> Layout {
    // `handoff` and the notes name hops by their index in the whole chain; a
    // long chain's report omits middle hops, so list positions differ.
    let handoff_pos = handoff.and_then(|h| hops.iter().position(|x| x.index == h));
    let shown = format::shown_indices(hops.len(), HEAD_MARKS, TAIL_MARKS, handoff_pos);
    let mut marks: Vec<Mark> = Vec::with_capacity(shown.len());
    let mut x = PAD_X;
    let mut previous: Option<usize> = None;
    let mut last_date: Option<String> = None;
    for i in shown {
        let Some(hop) = hops.get(i) else { continue };
        let hidden_before = previous.map_or(0, |p: usize| hop.index.saturating_sub(p + 1));
        if previous.is_some() {
            x += if hidden_before > 0 {
                STEP_HIDDEN
            } else {
                step(hop.delay_seconds)
            };
        }
        let (date, clock) = match hop.time.as_deref().map(format::time_parts) {
            Some((date, Some(clock))) => (Some(date), Some(clock.trim_end_matches(" UTC").into())),
            _ => (None, None),
        };
        let show_date = date.is_some() && date != last_date;
        if date.is_some() {
            last_date.clone_from(&date);
        }
        marks.push(Mark {
            index: hop.index,
            x: x.round(),
            clock,
            date: date.filter(|_| show_date),
            by: short(hop.by.as_deref().unwrap_or("?"), HOST_CHARS),
            host: format::clip(hop.by.as_deref().unwrap_or("an unnamed host"), 200),
            when: hop
                .time
                .as_deref()
                .map(|t| format::time(&format::clip(t, 100))),
            tls: hop
                .tls
                .as_ref()
                .map(|t| t.version.clone().unwrap_or_else(|| "TLS".into())),
            handoff: handoff == Some(hop.index),
            inside: hop.inside_recipient,
            private: hop.private,
            delay: hop.delay_seconds,
            flags: HopFlags::for_hop(notes, hop.index),
            hidden_before,
        });
        previous = Some(hop.index);
    }
    let timed = hops.iter().filter(|h| h.time.is_some()).count();
    let transit = (timed >= 2).then(|| {
        hops.iter()
            .filter_map(|h| h.delay_seconds)
            .fold(0i64, i64::saturating_add)
    });
    Layout {
        width: (x + PAD_X).round(),
        marks,
        transit,
        timed,
    }
}

/// The delay label on the stretch before a mark.
fn delay_label(m: &Mark) -> String {
    if m.hidden_before > 0 {
        return format!("… {} hops …", m.hidden_before);
    }
    match m.delay {
        Some(d) if d < 0 => format!("{} skew", format::delay(d)),
        Some(d) => format!("+{}", format::delay(d)),
        None => "?".into(),
    }
}

/// One sentence per hop, for the text alternative.
fn describe(m: &Mark) -> String {
    let mut parts = vec![format!("Hop {}", m.index + 1)];
    parts.push(match &m.when {
        Some(w) => format!("at {w}"),
        None => "time not readable".into(),
    });
    parts.push(format!("received by {}", m.host));
    parts.push(match &m.tls {
        Some(t) => format!("over {t}"),
        None => "no TLS recorded".into(),
    });
    if let Some(d) = m.delay.filter(|_| m.hidden_before == 0) {
        parts.push(if d < 0 {
            format!(
                "stamped {} before the previous hop (clock skew)",
                format::delay(-d)
            )
        } else {
            format!("{} after the previous hop", format::delay(d))
        });
    }
    if m.hidden_before > 0 {
        parts.push(format!("{} hops before it are not drawn", m.hidden_before));
    }
    if m.flags.long_delay {
        parts.push("a long delay".into());
    }
    if m.flags.gap {
        parts.push("a gap before it".into());
    }
    if m.handoff {
        parts.push("the hand-off hop".into());
    }
    if m.inside {
        parts.push("inside the recipient's system".into());
    }
    parts.join(", ")
}

/// The chart's one-line summary (aria-label and caption).
fn summary(l: &Layout, hop_count: usize, handoff: Option<usize>) -> String {
    let transit = match l.transit {
        Some(t) if t < 0 => format!(
            "total transit {} (negative: the servers' clocks disagree)",
            format::delay(t)
        ),
        Some(t) => format!("total transit {}", format::delay(t)),
        None => "total transit unknown (fewer than two hops carry a readable time)".into(),
    };
    let handoff = handoff
        .map(|h| format!("; the hand-off hop is hop {}", h + 1))
        .unwrap_or_default();
    format!(
        "Timeline of {hop_count} relay hop{}, oldest first: {transit}{handoff}.",
        if hop_count == 1 { "" } else { "s" }
    )
}

/// The timeline card section (inside the hops panel).
#[component]
pub fn HopTimeline() -> impl IntoView {
    let analysis = expect_context::<Analysis>();
    let data = Memo::new(move |_| {
        analysis.report.with(|r| {
            r.as_ref().map(|r| {
                let handoff = r.sender.as_ref().and_then(|s| s.hop_index);
                (
                    layout(&r.hops, &r.chain_notes, handoff),
                    // The whole chain: a long chain's report omits middle hops.
                    r.hops.last().map_or(0, |h| h.index + 1),
                    handoff,
                    r.sender_reason.clone(),
                )
            })
        })
    });
    // On a narrow screen the chart scrolls: bring the hand-off hop into view.
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let target = data.with(|d| {
            d.as_ref()
                .and_then(|(l, _, _, _)| l.marks.iter().find(|m| m.handoff).map(|m| m.x))
        });
        if let (Some(el), Some(x)) = (scroller.get(), target) {
            let visible = f64::from(el.client_width());
            if x > visible - PAD_X {
                el.set_scroll_left((x - visible / 2.0).max(0.0) as i32);
            }
        }
    });
    move || {
        data.get()
            .filter(|(_, count, _, _)| *count > 0)
            .map(|(layout, count, handoff, reason)| {
                let label = summary(&layout, count, handoff);
                let transit = match layout.transit {
                    Some(t) => format::delay(t),
                    None => "unknown".into(),
                };
                let reason = handoff.map(|h| {
                    view! {
                        <p class="timeline-handoff" id="timeline-handoff">
                            <span class="badge handoff-badge">{format!("hop {}", h + 1)}</span>
                            " is the hand-off hop: "
                            {format::clip(&reason, format::MAX_SHOWN_CHARS)}
                        </p>
                    }
                });
                let items = layout
                    .marks
                    .iter()
                    .map(|m| view! { <li>{describe(m)}</li> })
                    .collect_view();
                view! {
                    <figure class="timeline" id="timeline">
                        <figcaption>
                            <span class="timeline-total">
                                "Total transit time: "
                                <strong id="transit-total">{transit}</strong>
                            </span>
                            <span class="hint">
                                {format!(
                                    " · {} hop{}, oldest on the left; spacing grows with the delay",
                                    count,
                                    if count == 1 { "" } else { "s" },
                                )}
                            </span>
                        </figcaption>
                        <div
                            node_ref=scroller
                            class="timeline-scroll"
                            tabindex="0"
                            role="region"
                            aria-label="Hop timeline (scrolls sideways)"
                        >
                            <TimelineSvg layout=layout.clone() label />
                        </div>
                        {reason}
                        <Legend />
                        <details class="timeline-text">
                            <summary>"The timeline as text"</summary>
                            <ol>{items}</ol>
                        </details>
                    </figure>
                }
            })
    }
}

/// What the marks mean.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="timeline-legend" aria-label="Legend">
            <li>
                <span class="swatch swatch-handoff" aria-hidden="true"></span>
                "hand-off hop"
            </li>
            <li>
                <span class="swatch swatch-inside" aria-hidden="true"></span>
                "recipient's own servers"
            </li>
            <li>
                <span class="swatch swatch-warn" aria-hidden="true"></span>
                "long delay / no TLS"
            </li>
            <li>
                <span class="swatch swatch-fail" aria-hidden="true"></span>
                "clock skew"
            </li>
        </ul>
    }
}

/// The SVG itself.
#[component]
fn TimelineSvg(layout: Layout, label: String) -> impl IntoView {
    let width = layout.width.ceil();
    let view_box = format!("0 0 {} {}", num(width), num(HEIGHT));
    // Three layers: the hand-off band below everything, then the stretches
    // with their labels, then the marks.
    let mut previous_x: Option<f64> = None;
    let mut bands = Vec::new();
    let mut segments = Vec::new();
    let mut marks = Vec::new();
    for m in &layout.marks {
        if let Some(px) = previous_x {
            segments.push(segment(px, m));
        }
        if m.handoff {
            bands.push(handoff_band(m.x));
        }
        marks.push(mark(m));
        previous_x = Some(m.x);
    }
    view! {
        <svg
            class="timeline-svg"
            id="timeline-svg"
            role="img"
            aria-label=label
            width={num(width)}
            height={num(HEIGHT)}
            viewBox=view_box
            xmlns="http://www.w3.org/2000/svg"
        >
            <line class="axis" x1="8" y1={num(LINE_Y)} x2={num(width - 8.0)} y2={num(LINE_Y)}></line>
            <text class="axis-label" x="8" y={num(LINE_Y + 88.0)}>
                "← older"
            </text>
            <text class="axis-label end" x={num(width - 8.0)} y={num(LINE_Y + 88.0)}>
                "newer →"
            </text>
            {bands}
            {segments}
            {marks}
        </svg>
    }
}

/// The stretch from the previous mark to `m`, with its delay label.
fn segment(from_x: f64, m: &Mark) -> impl IntoView + use<> {
    let class = if m.hidden_before > 0 {
        "seg seg-hidden"
    } else if m.flags.skew || m.delay.is_some_and(|d| d < 0) {
        "seg seg-skew"
    } else if m.flags.long_delay {
        "seg seg-long"
    } else if m.delay.is_none() {
        "seg seg-unknown"
    } else {
        "seg"
    };
    let mid = (from_x + m.x) / 2.0;
    let label_class = format!("delay {class}");
    let gap = m.flags.gap.then(|| {
        view! {
            <text class="gap-label" x={num(mid)} y={num(LINE_Y + 18.0)}>
                "gap?"
            </text>
        }
    });
    view! {
        <g class="segment">
            <line class=class x1={num(from_x + 12.0)} y1={num(LINE_Y)} x2={num(m.x - 12.0)} y2={num(LINE_Y)}></line>
            <text class=label_class x={num(mid)} y={num(LINE_Y - 10.0)}>
                {delay_label(m)}
            </text>
            {gap}
        </g>
    }
}

/// The highlight behind the hand-off hop.
fn handoff_band(x: f64) -> impl IntoView + use<> {
    view! {
        <g class="handoff-marker">
            <rect
                class="handoff-band"
                x={num(x - BAND_HALF)}
                y="4"
                width={num(2.0 * BAND_HALF)}
                height={num(HEIGHT - 26.0)}
                rx="10"
            ></rect>
            <text class="handoff-label" x={num(x)} y="18">
                "hand-off"
            </text>
        </g>
    }
}

/// One hop's mark and its labels.
fn mark(m: &Mark) -> impl IntoView + use<> {
    let mut class = String::from("mark");
    if m.handoff {
        class.push_str(" handoff");
    }
    if m.inside {
        class.push_str(" inside");
    }
    if m.flags.no_tls {
        class.push_str(" no-tls");
    }
    if m.flags.skew {
        class.push_str(" skew");
    }
    let x = m.x;
    let (tls_icon, tls_text, tls_class) = match (&m.tls, m.flags.no_tls) {
        (Some(t), _) => ("✓ ", short(t, 12), "tls tls-yes"),
        (None, true) => ("⚠ ", "no TLS".to_string(), "tls tls-missing"),
        (None, false) => ("", "no TLS".to_string(), "tls tls-none"),
    };
    let clock = m.clock.clone().unwrap_or_else(|| "time ?".into());
    let date = m.date.clone().map(|d| {
        view! {
            <text class="date" x={num(x)} y={num(LINE_Y - 42.0)}>
                {d}
            </text>
        }
    });
    let radius = if m.handoff { 11 } else { 8 };
    view! {
        <g class=class id=format!("timeline-hop-{}", m.index + 1)>
            {date}
            <text class="clock" x={num(x)} y={num(LINE_Y - 28.0)}>
                {clock}
            </text>
            <circle class="dot" cx={num(x)} cy={num(LINE_Y)} r=radius></circle>
            <text class="hop-number" x={num(x)} y={num(LINE_Y + 28.0)}>
                {format!("#{}", m.index + 1)}
            </text>
            <text class="host" x={num(x)} y={num(LINE_Y + 45.0)}>
                {m.by.clone()}
            </text>
            <text class=tls_class x={num(x)} y={num(LINE_Y + 62.0)}>
                <tspan class="tls-icon">{tls_icon}</tspan>
                {tls_text}
            </text>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sendtrust::report::TlsInfo;

    fn hop(index: usize, time: Option<&str>, delay: Option<i64>) -> Hop {
        Hop {
            index,
            header_index: index,
            raw: String::new(),
            from_helo: None,
            from_ip: None,
            from_rdns: None,
            by: Some(format!("mx{index}.very-long-host-name.samples.test")),
            with: None,
            tls: index.is_multiple_of(2).then(TlsInfo::default),
            id: None,
            for_addr: None,
            envelope_from: None,
            authenticated: None,
            time: time.map(str::to_string),
            delay_seconds: delay,
            private: false,
            date_text: None,
            inside_recipient: index > 1,
        }
    }

    fn note(kind: ChainNoteKind, hop_index: usize) -> ChainNote {
        ChainNote {
            kind,
            hop_index,
            message: String::new(),
            seconds: None,
        }
    }

    #[test]
    fn marks_follow_the_chain_with_delays_and_flags() {
        let hops = vec![
            hop(0, Some("2025-11-18T23:59:50Z"), None),
            hop(1, Some("2025-11-19T00:00:05Z"), Some(15)),
            hop(2, None, None),
            hop(3, Some("2025-11-19T00:00:01Z"), Some(-4)),
            hop(4, Some("2025-11-19T02:00:01Z"), Some(7200)),
        ];
        let notes = vec![
            note(ChainNoteKind::ClockSkew, 3),
            note(ChainNoteKind::LongDelay, 4),
            note(ChainNoteKind::NoTls, 1),
        ];
        let l = layout(&hops, &notes, Some(1));
        assert_eq!(l.marks.len(), 5);
        assert_eq!(l.transit, Some(15 - 4 + 7200));
        assert_eq!(l.timed, 4);
        // Oldest on the left, spacing grows with the delay.
        assert!(l.marks.windows(2).all(|w| w[0].x < w[1].x));
        let gap = |i: usize| l.marks[i].x - l.marks[i - 1].x;
        assert!(gap(4) > gap(1));
        assert_eq!(gap(2), STEP_MIN);
        // Labels and flags.
        assert!(l.marks[1].handoff && !l.marks[0].handoff);
        assert!(l.marks[1].flags.no_tls);
        assert!(l.marks[3].flags.skew && l.marks[4].flags.long_delay);
        assert_eq!(l.marks[0].date.as_deref(), Some("2025-11-18"));
        assert_eq!(l.marks[1].date.as_deref(), Some("2025-11-19"));
        assert_eq!(l.marks[3].date, None, "same date is not repeated");
        assert_eq!(l.marks[0].clock.as_deref(), Some("23:59:50"));
        assert_eq!(l.marks[2].clock, None);
        assert_eq!(l.marks[0].by.chars().count(), HOST_CHARS);
        assert!(l.marks[0].by.ends_with('…'));
        assert_eq!(l.marks[0].tls.as_deref(), Some("TLS"));
        assert_eq!(delay_label(&l.marks[3]), "−4 s skew");
        assert_eq!(delay_label(&l.marks[4]), "+2 h");
        assert_eq!(delay_label(&l.marks[2]), "?");
        assert!(describe(&l.marks[1]).contains("the hand-off hop"));
        assert!(summary(&l, 5, Some(1)).contains("total transit 2 h"));
    }

    #[test]
    fn long_chains_are_cut_but_keep_the_handoff_hop() {
        let hops: Vec<Hop> = (0..5_000).map(|i| hop(i, None, None)).collect();
        let l = layout(&hops, &[], Some(2_500));
        assert_eq!(l.marks.len(), HEAD_MARKS + TAIL_MARKS + 1);
        assert!(l.marks.iter().any(|m| m.handoff && m.index == 2_500));
        let hidden: usize = l.marks.iter().map(|m| m.hidden_before).sum();
        assert_eq!(hidden + l.marks.len(), 5_000);
        assert!(l.width < 8_000.0);
        assert_eq!(l.transit, None);
        assert!(summary(&l, 5_000, None).contains("unknown"));
    }

    #[test]
    fn omitted_hops_count_by_chain_index() {
        // What the engine reports for a 200,000-hop chain: the oldest 50, the
        // newest 450 and the hand-off hop; the rest are omitted.
        let hops: Vec<Hop> = (0..50)
            .chain(std::iter::once(100_000))
            .chain(199_550..200_000)
            .map(|i| hop(i, None, None))
            .collect();
        let l = layout(&hops, &[], Some(100_000));
        assert!(l.marks.iter().any(|m| m.handoff && m.index == 100_000));
        let hidden: usize = l.marks.iter().map(|m| m.hidden_before).sum();
        assert_eq!(hidden + l.marks.len(), 200_000);
    }

    #[test]
    fn steps_are_bounded() {
        assert_eq!(step(None), STEP_MIN);
        assert_eq!(step(Some(0)), STEP_MIN);
        assert!(step(Some(60)) > STEP_MIN);
        assert_eq!(step(Some(10 * 86_400)), STEP_MAX);
        assert_eq!(step(Some(-10 * 86_400)), STEP_MAX);
        assert_eq!(step(Some(i64::MIN)), STEP_MAX);
    }
}
