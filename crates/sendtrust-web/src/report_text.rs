//! The report's JSON text for "Export JSON", as the engine wrote it.
//!
//! The engine already sends the finished report as JSON (the `done` event);
//! the page keeps that text instead of serialising its copy of the report
//! again, which would link a `Serialize` for every report type into the UI
//! wasm. [`pretty`] lays the compact text out exactly as
//! `serde_json::to_string_pretty` writes the report (the engine's contract:
//! two-space indent, `": "` between key and value, `[]`/`{}` when empty).

use serde::Deserialize;
use serde_json::value::RawValue;

/// The report's JSON text in a `done` event (`[id, {"done": {"report": …}}]`);
/// `None` for any other event.
pub fn done_report(event_json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Done<'a> {
        #[serde(borrow)]
        done: Report<'a>,
    }
    #[derive(Deserialize)]
    struct Report<'a> {
        #[serde(borrow)]
        report: &'a RawValue,
    }
    serde_json::from_str::<(serde::de::IgnoredAny, Done)>(event_json)
        .ok()
        .map(|(_, done)| done.done.report.get().to_string())
}

/// `json` laid out as `serde_json`'s pretty printer writes it. Whitespace
/// between tokens is dropped first, so compact and pretty input give the
/// same text; what is inside strings is copied unchanged.
pub fn pretty(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.next_if(|c| c.is_ascii_whitespace()).is_some() {}
                let close = if c == '{' { '}' } else { ']' };
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::Event;
    use sendtrust::Options;
    use sendtrust::dns::DnsConfig;

    /// A report whose strings hold JSON's own punctuation, escapes and
    /// non-ASCII text.
    fn report() -> sendtrust::Report {
        let raw = "Received: from mx.example.test (mx.example.test [192.0.2.7])\r\n \
                   by in.example.test; Tue, 1 Apr 2025 10:00:00 +0000\r\n\
                   From: \"Ann {x}: [1, 2]\" <ann@example.test>\r\n\
                   Subject: {\"a\": [1, 2], \"b\": {}} \\ \" , : [] =?UTF-8?B?w6lsw6h2ZQ==?=\r\n\
                   Message-ID: <1@example.test>\r\n\r\nbody\r\n";
        futures::executor::block_on(sendtrust::analyze(
            raw.as_bytes(),
            &Options {
                dns: DnsConfig::offline(),
                ..Options::default()
            },
        ))
        .expect("a message")
    }

    #[test]
    fn the_exported_text_is_what_serde_json_pretty_prints() {
        let report = report();
        let want = serde_json::to_string_pretty(&report).expect("serialises");
        assert!(want.contains("[]") && want.contains("\\\""), "{want}");
        let compact = serde_json::to_string(&report).expect("serialises");
        assert_eq!(pretty(&compact), want);
        // Already pretty text comes out the same.
        assert_eq!(pretty(&want), want);
    }

    #[test]
    fn the_report_text_is_taken_from_the_done_event_only() {
        let report = report();
        let done = serde_json::to_string(&(
            9u64,
            Event::Done {
                report: report.clone(),
            },
        ))
        .expect("serialises");
        let text = done_report(&done).expect("a done event");
        assert_eq!(text, serde_json::to_string(&report).expect("serialises"));
        let local = serde_json::to_string(&(9u64, Event::Local { report })).expect("serialises");
        assert_eq!(done_report(&local), None);
        let failed = serde_json::to_string(&(
            9u64,
            Event::Failed {
                message: "no".into(),
            },
        ))
        .expect("serialises");
        assert_eq!(done_report(&failed), None);
    }

    #[test]
    fn the_page_keeps_the_text_of_the_done_event() {
        use crate::worker::{Heard, heard_json};
        let report = report();
        let done = serde_json::to_string(&(
            4u64,
            Event::Done {
                report: report.clone(),
            },
        ))
        .expect("serialises");
        match heard_json(&done) {
            Heard::Event(4, event, Some(text)) => {
                assert!(matches!(&*event, Event::Done { report: read } if *read == report));
                assert_eq!(
                    pretty(&text),
                    serde_json::to_string_pretty(&report).expect("serialises")
                );
            }
            _ => panic!("the done event without its text"),
        }
        let local = serde_json::to_string(&(4u64, Event::Local { report })).expect("serialises");
        assert!(matches!(heard_json(&local), Heard::Event(4, _, None)));
    }
}
