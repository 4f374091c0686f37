//! Rspamd: X-Spamd-Result (`default: False [3.40 / 15.00]; SYMBOL(score)[options]; ...`,
//! with or without semicolons, folded or not), X-Rspamd-Score,
//! X-Rspamd-Action, X-Rspamd-Pre-Result, X-Spamd-Bar and the
//! `X-Spam-Status: No, score=3.40` Rspamd's milter_headers module writes.

use super::rspamd_symbols::symbol_meaning;
use super::spamassassin::{has_rspamd, has_spamassassin, status_is_spamassassin};
use super::{Field, Items, fields, first, header_list, item, number};
use crate::message::ParsedMessage;
use crate::report::AntispamReport;

const RESULT: &str = "X-Spamd-Result";
const SCORE: &str = "X-Rspamd-Score";
const ACTION: &str = "X-Rspamd-Action";
const PRE_RESULT: &str = "X-Rspamd-Pre-Result";
const BAR: &str = "X-Spamd-Bar";
const BAR2: &str = "X-Rspamd-Bar";
const STATUS: &str = "X-Spam-Status";
const SPAM: &str = "X-Spam";
const LEVEL: &str = "X-Spam-Level";
const FLAG: &str = "X-Spam-Flag";
const SPAM_SCORE: &str = "X-Spam-Score";

/// Rspamd reports: one per X-Spamd-Result (topmost first); the other
/// fields go with the topmost. Nothing when the message has no Rspamd field.
pub(super) fn decode(parsed: &ParsedMessage<'_>) -> Vec<AntispamReport> {
    if !has_rspamd(parsed) {
        return Vec::new();
    }
    let results = fields(parsed, RESULT);
    let status = fields(parsed, STATUS)
        .into_iter()
        .find(|f| !status_is_spamassassin(f.value));
    // Fields both filters write are Rspamd's only when SpamAssassin left no trace.
    let sa = has_spamassassin(parsed);
    let mut extras: Vec<Field<'_>> = [ACTION, SCORE, PRE_RESULT, BAR, BAR2, SPAM]
        .into_iter()
        .filter_map(|n| first(parsed, n))
        .collect();
    extras.extend(status);
    if !sa {
        extras.extend(
            [LEVEL, FLAG, SPAM_SCORE]
                .into_iter()
                .filter_map(|n| first(parsed, n)),
        );
    }

    let mut out = Vec::new();
    for i in 0..results.len().max(1) {
        let mut b = Builder::default();
        if let Some(f) = results.get(i) {
            b.result(f);
        }
        if i == 0 {
            for f in &extras {
                b.extra(f);
            }
        }
        if let Some(r) = b.finish() {
            out.push(r);
        }
    }
    out
}

/// One symbol as written.
#[derive(Debug, Clone, PartialEq)]
struct Symbol<'a> {
    name: &'a str,
    score: Option<&'a str>,
    options: Option<&'a str>,
}

/// What X-Spamd-Result says.
#[derive(Debug, Default, PartialEq)]
struct SpamdResult<'a> {
    /// `True` (the action is reject) or `False`.
    reject: Option<bool>,
    score: Option<&'a str>,
    threshold: Option<&'a str>,
    symbols: Vec<Symbol<'a>>,
}

fn is_symbol_name(s: &str) -> bool {
    (1..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Parses `default: False [3.40 / 15.00]; SYM(0.00)[opt]; ...`. Symbols may
/// be separated by `;`, white space or both; options may hold brackets.
fn parse_result(value: &str) -> SpamdResult<'_> {
    let mut res = SpamdResult::default();
    let mut rest = value.trim_start();

    // The metric: "default: False [3.40 / 15.00]".
    if let Some((metric, after)) = rest.split_once(':')
        && is_symbol_name(metric.trim())
        && !metric.contains('(')
    {
        let after = after.trim_start();
        let word_end = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let word = after.get(..word_end).unwrap_or_default();
        if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
            res.reject = Some(word.eq_ignore_ascii_case("true"));
            rest = after.get(word_end..).unwrap_or_default().trim_start();
            if let Some(inner) = rest.strip_prefix('[') {
                let (nums, tail) = inner.split_once(']').unwrap_or((inner, ""));
                let mut parts = nums.split('/').map(str::trim);
                res.score = parts.next().filter(|s| number(s).is_some());
                res.threshold = parts.next().filter(|s| number(s).is_some());
                rest = tail;
            }
        }
    }

    // The symbols. Each round consumes at least one byte.
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';' || c == ',');
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c == '(' || c == '[' || c == ';' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest.get(..name_end).unwrap_or_default();
        let mut tail = rest.get(name_end..).unwrap_or_default();
        let mut score = None;
        if let Some(inner) = tail.strip_prefix('(') {
            // Up to ')' — or to ';' when the parenthesis is never closed.
            let end = inner.find([')', ';']).unwrap_or(inner.len());
            score = inner.get(..end).map(str::trim);
            tail = match inner.get(end..) {
                Some(t) if t.starts_with(')') => t.get(1..).unwrap_or_default(),
                Some(t) => t,
                None => "",
            };
        }
        let mut options = None;
        if let Some(inner) = tail.strip_prefix('[') {
            let (o, t) = bracketed(inner);
            options = Some(o.trim());
            tail = t;
        }
        if name_end == 0 && score.is_none() && options.is_none() {
            // A stray character: skip it.
            let skip = rest.chars().next().map_or(1, char::len_utf8);
            tail = rest.get(skip..).unwrap_or_default();
        } else if is_symbol_name(name)
            && score.is_some_and(|s| number(s).is_some())
            && res.symbols.len() <= super::MAX_ITEMS
        {
            res.symbols.push(Symbol {
                name,
                score,
                options,
            });
        }
        rest = tail;
    }
    res
}

/// The text up to the `]` closing an already opened `[`, and what follows.
/// Unclosed: up to the next `;`.
fn bracketed(s: &str) -> (&str, &str) {
    let mut depth = 1usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return (
                        s.get(..i).unwrap_or_default(),
                        s.get(i + 1..).unwrap_or_default(),
                    );
                }
            }
            _ => {}
        }
    }
    match s.split_once(';') {
        Some((o, t)) => (o, t),
        None => (s, ""),
    }
}

/// What an action means.
fn action_meaning(action: &str) -> String {
    match action.trim().to_ascii_lowercase().as_str() {
        "no action" => "no action: delivered normally".into(),
        "greylist" => "greylist: deferred once, accepted when the sender retries".into(),
        "add header" => "add header: delivered marked as spam (usually filed as junk)".into(),
        "rewrite subject" => "rewrite subject: delivered with a spam tag in the subject".into(),
        "soft reject" => "soft reject: refused for now (the sender should retry later)".into(),
        "reject" => "reject: refused as spam".into(),
        "" => "no action given".into(),
        other => format!("{other}: an action set by this server's configuration"),
    }
}

#[derive(Default)]
struct Builder<'a> {
    headers: Vec<&'static str>,
    result: SpamdResult<'a>,
    action: Option<String>,
    header_score: Option<String>,
    status_spam: Option<bool>,
    status_score: Option<String>,
    items: Items,
    extras: Items,
}

impl<'a> Builder<'a> {
    fn result(&mut self, f: &Field<'a>) {
        self.headers.push(f.name);
        self.result = parse_result(f.value);
        for s in &self.result.symbols {
            let score = s.score.unwrap_or_default();
            let value = match s.options.filter(|o| !o.is_empty()) {
                Some(o) => format!("{score} [{o}]"),
                None => score.to_string(),
            };
            self.items.push(item(
                s.name,
                &value,
                symbol_meaning(s.name).unwrap_or_default(),
            ));
        }
        self.items.note_cut(f);
    }

    fn extra(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        let v = f.value.trim();
        let meaning: String = match f.name {
            ACTION => {
                if !v.is_empty() {
                    self.action = Some(v.to_ascii_lowercase());
                }
                format!("Action Rspamd chose: {}.", action_meaning(v))
            }
            SCORE | SPAM_SCORE => {
                if number(v).is_some() && self.header_score.is_none() {
                    self.header_score = Some(v.to_string());
                }
                super::score_meaning(v).into()
            }
            PRE_RESULT => {
                let mut action = None;
                let mut module = None;
                for part in v.split(';') {
                    match part.trim().split_once('=') {
                        Some((k, val)) if k.trim().eq_ignore_ascii_case("action") => {
                            action = Some(val.trim().to_string());
                        }
                        Some((k, val)) if k.trim().eq_ignore_ascii_case("module") => {
                            module = Some(val.trim().to_string());
                        }
                        _ => {}
                    }
                }
                if let (Some(a), None) = (&action, &self.action) {
                    self.action = Some(a.to_ascii_lowercase());
                }
                format!(
                    "A pre-filter{} decided the action{} before the full scan.",
                    module.map(|m| format!(" ({m})")).unwrap_or_default(),
                    action.map(|a| format!(" ({a})")).unwrap_or_default()
                )
            }
            BAR | BAR2 => {
                "Score as a bar: one + per point above zero, one - per point below, / for about zero."
                    .into()
            }
            STATUS => {
                let (head, rest) = v.split_once(',').unwrap_or((v, ""));
                if head.trim().eq_ignore_ascii_case("yes") {
                    self.status_spam = Some(true);
                } else if head.trim().eq_ignore_ascii_case("no") {
                    self.status_spam = Some(false);
                }
                if let Some(s) = rest.trim().strip_prefix("score=")
                    && number(s).is_some()
                {
                    self.status_score = Some(s.trim().to_string());
                }
                "Yes when the action is stronger than greylist (add header, rewrite subject, soft reject, reject).".into()
            }
            SPAM => "Marks the message as spam for mail filters (set when the action is stronger than greylist).".into(),
            LEVEL => {
                let stars = v.chars().filter(|c| *c == '*').count();
                format!("{stars} star{}: one per whole point of score.", if stars == 1 { "" } else { "s" })
            }
            FLAG => "YES when the message was classed as spam.".into(),
            _ => String::new(),
        };
        self.extras.push(item(f.name, v, meaning));
        self.extras.note_cut(f);
    }

    fn finish(self) -> Option<AntispamReport> {
        if self.headers.is_empty() {
            return None;
        }
        let score_text = self
            .result
            .score
            .map(str::to_string)
            .or(self.header_score)
            .or(self.status_score);
        let score = score_text.as_deref().and_then(number);
        let threshold = self.result.threshold.and_then(number);
        let verdict = match (&self.action, self.result.reject, self.status_spam) {
            (Some(a), _, _) => Some(action_meaning(a)),
            (None, Some(true), _) => Some(action_meaning("reject")),
            (None, _, Some(true)) => {
                Some("spam: the action was stronger than greylist (add header, rewrite subject or reject)".into())
            }
            (None, Some(false), _) => Some("not rejected (the action was below reject)".into()),
            (None, None, Some(false)) => Some("not spam (no action or greylist)".into()),
            (None, None, None) => None,
        };
        let mut items = self.items;
        for x in self.extras.finish() {
            items.push(x);
        }
        Some(AntispamReport {
            vendor: "rspamd".into(),
            header: header_list(&self.headers),
            verdict,
            score,
            threshold,
            items: items.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::antispam::test_util::get;

    fn decode_raw(raw: &[u8]) -> Vec<AntispamReport> {
        crate::antispam::test_util::decode_vendor(raw, decode)
    }

    #[test]
    fn semicolon_form() {
        let r = parse_result(
            "default: False [3.40 / 15.00]; ARC_NA(0.00)[]; R_SPF_ALLOW(-0.20)[+ip4:192.0.2.0/24]; ASN(0.00)[asn:64496, ipnet:192.0.2.0/24, country:ZZ]; BAYES_SPAM(3.60)[92.31%]",
        );
        assert_eq!(r.reject, Some(false));
        assert_eq!(r.score, Some("3.40"));
        assert_eq!(r.threshold, Some("15.00"));
        assert_eq!(r.symbols.len(), 4);
        assert_eq!(
            r.symbols[1],
            Symbol {
                name: "R_SPF_ALLOW",
                score: Some("-0.20"),
                options: Some("+ip4:192.0.2.0/24")
            }
        );
        assert_eq!(r.symbols[0].options, Some(""));
        assert_eq!(
            r.symbols[2].options,
            Some("asn:64496, ipnet:192.0.2.0/24, country:ZZ")
        );
    }

    #[test]
    fn old_form_without_semicolons() {
        let r = parse_result(
            "default: True [16.10 / 15.00] R_SPF_FAIL(1.00)[-all] BAYES_SPAM(5.10)[99.99%] RBL_SPAMHAUS_XBL(4.00)[192.0.2.66:from]",
        );
        assert_eq!(r.reject, Some(true));
        let names: Vec<_> = r.symbols.iter().map(|s| s.name).collect();
        assert_eq!(names, ["R_SPF_FAIL", "BAYES_SPAM", "RBL_SPAMHAUS_XBL"]);
    }

    #[test]
    fn brackets_inside_options_and_damage() {
        let r = parse_result(
            "default: False [1.00 / 15.00]; X(1.00)[a[b]c]; Y(2.00)[unclosed; Z(0.50)[]; garbage words; W(; V(0.1)",
        );
        assert_eq!(r.symbols[0].options, Some("a[b]c"));
        assert_eq!(r.symbols[1].name, "Y");
        assert_eq!(r.symbols[1].options, Some("unclosed"));
        assert_eq!(r.symbols[2].name, "Z");
        let names: Vec<_> = r.symbols.iter().map(|s| s.name).collect();
        assert!(names.contains(&"V"), "{names:?}");
        assert!(!names.contains(&"garbage"), "{names:?}");
        assert!(!names.contains(&"W"), "{names:?}");
    }

    #[test]
    fn full_decode() {
        let raw = b"X-Rspamd-Queue-Id: 4Fq1x2y3z\r\nX-Spamd-Result: default: False [6.80 / 15.00];\r\n\tR_SPF_SOFTFAIL(0.60)[~all:c];\r\n\tDMARC_POLICY_QUARANTINE(1.50)[example.com : No valid SPF, No valid DKIM,quarantine];\r\n\tRCVD_COUNT_THREE(0.00)[3]\r\nX-Rspamd-Score: 6.80\r\nX-Rspamd-Action: add header\r\nX-Spam-Status: Yes, score=6.80\r\nX-Spamd-Bar: ++++++\r\n\r\n";
        let r = decode_raw(raw);
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(r.vendor, "rspamd");
        assert_eq!(r.score, Some(6.8));
        assert_eq!(r.threshold, Some(15.0));
        assert!(
            r.verdict
                .as_deref()
                .unwrap()
                .starts_with("add header: delivered marked as spam")
        );
        assert_eq!(get(r, "R_SPF_SOFTFAIL").value, "0.60 [~all:c]");
        assert!(
            get(r, "DMARC_POLICY_QUARANTINE")
                .meaning
                .contains("p=quarantine")
        );
        assert!(get(r, "RCVD_COUNT_THREE").meaning.contains("three or four"));
        assert!(
            get(r, "X-Spam-Status")
                .meaning
                .contains("stronger than greylist")
        );
        assert!(
            r.header
                .starts_with("X-Spamd-Result, X-Rspamd-Action, X-Rspamd-Score")
        );
    }

    #[test]
    fn default_true_means_reject() {
        let r =
            &decode_raw(b"X-Spamd-Result: default: True [21.00 / 15.00]; GTUBE(0.00)[]\r\n\r\n")[0];
        assert_eq!(r.verdict.as_deref(), Some("reject: refused as spam"));
        assert_eq!(get(r, "GTUBE").meaning, "");
    }

    #[test]
    fn pre_result_sets_the_action() {
        let r = &decode_raw(
            b"X-Rspamd-Pre-Result: action=soft reject; module=greylist; Greylisted\r\nX-Rspamd-Server: mx\r\n\r\n",
        )[0];
        assert!(r.verdict.as_deref().unwrap().starts_with("soft reject"));
        assert!(get(r, "X-Rspamd-Pre-Result").meaning.contains("(greylist)"));
    }

    #[test]
    fn no_rspamd_fields_no_report() {
        assert!(
            decode_raw(b"X-Spam-Status: No, score=1.0 required=5.0 tests=NONE\r\n\r\n").is_empty()
        );
    }
}
