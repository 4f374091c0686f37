//! Antispam headers decoded: Microsoft (X-Forefront-Antispam-Report,
//! X-Microsoft-Antispam), SpamAssassin (X-Spam-Status, X-Spam-Report) and
//! Rspamd (X-Spamd-Result, X-Rspamd-Score).
//!
//! Each vendor's headers become one [`AntispamReport`]: the verdict in words,
//! the score and threshold when the header gives them, and one item per field
//! or rule with what it means for the person running the mail server.
//!
//! The input is hostile: nothing here indexes or unwraps header data, each
//! field is decoded from its first [`MAX_VALUE`] bytes, at most [`MAX_FIELDS`]
//! fields of a name are read and a report holds at most [`MAX_ITEMS`] items,
//! so the work stays bounded however long the header is. Malformed headers are
//! decoded as far as they go.

mod microsoft;
mod rspamd;
mod rspamd_symbols;
mod sa_rules;
mod spamassassin;

use crate::message::ParsedMessage;
use crate::report::{AntispamItem, AntispamReport};

pub use rspamd_symbols::symbol_meaning as rspamd_symbol_meaning;
pub use sa_rules::rule_meaning as spamassassin_rule_meaning;

/// Longest part of one header field decoded, in bytes.
pub const MAX_VALUE: usize = 64 * 1024;
/// Most fields of one name read (a message relayed through several filters).
pub const MAX_FIELDS: usize = 8;
/// Most items in one report; the rest are counted in a closing note.
pub const MAX_ITEMS: usize = 300;
/// Longest key or value kept in an item, in bytes.
const MAX_TEXT: usize = 400;
/// Most folded lines read from one field.
const MAX_LINES: usize = 2_000;

/// Decodes every antispam header the message carries: Microsoft reports
/// first, then SpamAssassin, then Rspamd.
///
/// For Microsoft the score is the spam confidence level (SCL) and no
/// threshold is given (the action depends on the recipient's policy); for
/// SpamAssassin and Rspamd they are the numbers the filter wrote.
pub fn decode(parsed: &ParsedMessage<'_>) -> Vec<AntispamReport> {
    let mut out = microsoft::decode(parsed);
    out.extend(spamassassin::decode(parsed));
    out.extend(rspamd::decode(parsed));
    out
}

/// One header field, clipped to [`MAX_VALUE`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'p> {
    /// Position in the header block (for the folded form).
    pub index: usize,
    /// The name asked for.
    pub name: &'static str,
    /// The unfolded value, clipped.
    pub value: &'p str,
    /// The value was longer than [`MAX_VALUE`].
    pub cut: bool,
}

/// The first [`MAX_FIELDS`] fields named `name`, topmost first.
pub(crate) fn fields<'p>(parsed: &'p ParsedMessage<'_>, name: &'static str) -> Vec<Field<'p>> {
    parsed
        .values(name)
        .take(MAX_FIELDS)
        .map(|(index, value)| {
            let (value, cut) = clip(value, MAX_VALUE);
            Field {
                index,
                name,
                value,
                cut,
            }
        })
        .collect()
}

/// The topmost field named `name`.
pub(crate) fn first<'p>(parsed: &'p ParsedMessage<'_>, name: &'static str) -> Option<Field<'p>> {
    fields(parsed, name).into_iter().next()
}

/// The field's value as folded in the message, one entry per line (line
/// breaks removed), for formats whose lines mean something (X-Spam-Report).
/// `None` when the raw form is not available.
pub(crate) fn folded_lines(parsed: &ParsedMessage<'_>, field: &Field<'_>) -> Option<Vec<String>> {
    let message = parsed.message.as_ref()?;
    let header = message.headers().iter().nth(field.index)?;
    if !header.raw_name().eq_ignore_ascii_case(field.name) {
        return None;
    }
    let raw = header.raw_value();
    let raw = raw.get(..raw.len().min(MAX_VALUE)).unwrap_or_default();
    let text = String::from_utf8_lossy(raw);
    Some(
        text.split('\n')
            .take(MAX_LINES)
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect(),
    )
}

/// `s` cut to at most `max` bytes on a character boundary; true when cut.
pub(crate) fn clip(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    (s.get(..end).unwrap_or_default(), true)
}

/// A decimal number as filters write them (`-1.9`, `5`, `+0.5`), finite.
/// Anything else (`inf`, `1e9`, `NaN`, `1.2.3`) is not a number here.
pub(crate) fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 24 {
        return None;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let dots = body.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != body.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// What a total-score field means, or that it is not a number.
pub(crate) fn score_meaning(v: &str) -> &'static str {
    if number(v).is_some() {
        "The total score."
    } else {
        "The total score, but not a number as written: not used."
    }
}

/// An item with key and value clipped to a displayable length.
pub(crate) fn item(key: &str, value: &str, meaning: impl Into<String>) -> AntispamItem {
    AntispamItem {
        key: clipped(key),
        value: clipped(value),
        meaning: meaning.into(),
    }
}

fn clipped(s: &str) -> String {
    match clip(s.trim(), MAX_TEXT) {
        (s, false) => s.to_string(),
        (s, true) => format!("{s}…"),
    }
}

/// Items of one report, capped at [`MAX_ITEMS`].
#[derive(Debug, Default)]
pub(crate) struct Items {
    items: Vec<AntispamItem>,
    dropped: usize,
}

impl Items {
    /// Adds an item, or counts it when the report is full.
    pub fn push(&mut self, item: AntispamItem) {
        if self.items.len() < MAX_ITEMS {
            self.items.push(item);
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Notes that `field` was longer than [`MAX_VALUE`] and only its start was read.
    pub fn note_cut(&mut self, field: &Field<'_>) {
        if field.cut {
            self.push(item(
                field.name,
                "(cut)",
                format!(
                    "This field is longer than {} KiB; only its start was decoded.",
                    MAX_VALUE / 1024
                ),
            ));
        }
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items, with a closing note when some were left out.
    pub fn finish(mut self) -> Vec<AntispamItem> {
        if self.dropped > 0 {
            self.items.push(item(
                "…",
                &format!("{} more", self.dropped),
                format!(
                    "{} more entries were not listed (a report shows at most {MAX_ITEMS}).",
                    self.dropped
                ),
            ));
        }
        self.items
    }
}

/// Header names joined for [`AntispamReport::header`], each once, in order.
pub(crate) fn header_list(names: &[&str]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for n in names {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(n)) {
            seen.push(n);
        }
    }
    seen.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number("-1.9"), Some(-1.9));
        assert_eq!(number(" 5 "), Some(5.0));
        assert_eq!(number("+0.5"), Some(0.5));
        assert_eq!(number("15.00"), Some(15.0));
        for bad in [
            "", "-", ".", "inf", "NaN", "1e9", "1.2.3", "5,0", "0x10", "--1",
        ] {
            assert_eq!(number(bad), None, "{bad}");
        }
        assert_eq!(number(&"9".repeat(400)), None);
    }

    #[test]
    fn clip_respects_char_boundaries() {
        let s = "ééé";
        assert_eq!(clip(s, 3), ("é", true));
        assert_eq!(clip(s, 1), ("", true));
        assert_eq!(clip(s, 6), ("ééé", false));
        let long = "x".repeat(1000);
        assert!(item(&long, "v", "").key.ends_with('…'));
    }

    #[test]
    fn items_are_capped_with_a_note() {
        let mut items = Items::default();
        for i in 0..MAX_ITEMS + 5 {
            items.push(item(&i.to_string(), "", ""));
        }
        let v = items.finish();
        assert_eq!(v.len(), MAX_ITEMS + 1);
        assert_eq!(v.last().map(|i| i.value.as_str()), Some("5 more"));
    }

    #[test]
    fn nothing_to_decode() {
        let p = ParsedMessage::parse(b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n", false);
        assert!(decode(&p).is_empty());
    }

    #[test]
    fn megabyte_header_values_do_not_panic_and_stay_bounded() {
        let names = [
            "X-Forefront-Antispam-Report",
            "X-Microsoft-Antispam",
            "X-Spam-Status",
            "X-Spam-Report",
            "X-Spamd-Result",
            "X-Rspamd-Score",
        ];
        let bodies: [&dyn Fn(usize) -> String; 5] = [
            &|n| "SCL:5;".repeat(n / 6),
            &|n| "A(".repeat(n / 2),
            &|n| "[".repeat(n),
            &|n| format!("Yes, score=1 tests={}", "RULE_X,".repeat(n / 7)),
            &|n| format!("default: True [1 / 2]; {}", "S(1)[a];".repeat(n / 8)),
        ];
        for name in names {
            for body in &bodies {
                let mut raw = format!("{name}: ").into_bytes();
                raw.extend_from_slice(body(1 << 20).as_bytes());
                raw.extend_from_slice(b"\r\n\r\n");
                let p = ParsedMessage::parse(&raw, true);
                for r in decode(&p) {
                    assert!(r.items.len() <= MAX_ITEMS + 2, "{name}: {}", r.items.len());
                }
            }
        }
    }

    // Garbage (NaN, 1e400, `;;:`, `=, ==`, unbalanced brackets) is decoded
    // end to end in tests/antispam.rs, which asserts exactly what is shown.
}

/// Helpers shared by the vendor modules' unit tests.
#[cfg(test)]
pub(crate) mod test_util {
    use crate::message::ParsedMessage;
    use crate::report::{AntispamItem, AntispamReport};

    /// Runs one vendor's decoder on a raw header block.
    pub fn decode_vendor(
        raw: &[u8],
        decode: impl Fn(&ParsedMessage<'_>) -> Vec<AntispamReport>,
    ) -> Vec<AntispamReport> {
        decode(&ParsedMessage::parse(raw, true))
    }

    /// The item with `key`, or a panic that lists the items.
    pub fn get<'r>(r: &'r AntispamReport, key: &str) -> &'r AntispamItem {
        r.items
            .iter()
            .find(|i| i.key == key)
            .unwrap_or_else(|| panic!("no {key}: {:#?}", r.items))
    }
}
