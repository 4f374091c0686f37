//! SpamAssassin (and Amavis, which wraps it): X-Spam-Status, X-Spam-Flag,
//! X-Spam-Score, X-Spam-Level, X-Spam-Report (the " pts rule name
//! description" table, header or body style), X-Spam-Checker-Version, and the
//! `X-Spam_report: (-2.1 / 5.0 requ) RULE=pts, ...` form some Exim
//! installations write.

use super::sa_rules::rule_meaning;
use super::{Field, Items, fields, first, folded_lines, header_list, item, number, score_meaning};
use crate::message::ParsedMessage;
use crate::report::AntispamReport;

const STATUS: &str = "X-Spam-Status";
const FLAG: &str = "X-Spam-Flag";
const SCORE: &str = "X-Spam-Score";
const LEVEL: &str = "X-Spam-Level";
const REPORT: &str = "X-Spam-Report";
/// cPanel writes the report of a message it did not class as spam here.
const HAM_REPORT: &str = "X-Ham-Report";
/// cPanel / Exim: `+` per point, `/` for about zero.
const BAR: &str = "X-Spam-Bar";
const CHECKER: &str = "X-Spam-Checker-Version";
const EXIM_REPORT: &str = "X-Spam_report";
const EXIM_SCORE: &str = "X-Spam_score";

/// Fields only Rspamd writes; with them, a bare `X-Spam-Status: No,
/// score=1.20` is Rspamd's.
const RSPAMD_MARKERS: &[&str] = &[
    "X-Spamd-Result",
    "X-Rspamd-Score",
    "X-Rspamd-Action",
    "X-Rspamd-Server",
    "X-Rspamd-Queue-Id",
    "X-Spamd-Bar",
    "X-Rspamd-Pre-Result",
];

/// True when `value` looks like SpamAssassin's X-Spam-Status (it names the
/// required score or the tests), not Rspamd's `No, score=1.20`.
pub(super) fn status_is_spamassassin(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains("required=") || v.contains("tests=") || v.contains("hits=")
}

/// True when the message carries a field only Rspamd writes.
pub(super) fn has_rspamd(parsed: &ParsedMessage<'_>) -> bool {
    RSPAMD_MARKERS
        .iter()
        .any(|n| parsed.values(n).next().is_some())
}

/// True when a field only SpamAssassin writes is present (an X-Spam-Status
/// naming the required score or tests, a report, the checker version).
pub(super) fn has_spamassassin(parsed: &ParsedMessage<'_>) -> bool {
    fields(parsed, STATUS)
        .iter()
        .any(|f| status_is_spamassassin(f.value))
        || [REPORT, HAM_REPORT, CHECKER, EXIM_REPORT, EXIM_SCORE]
            .iter()
            .any(|n| parsed.values(n).next().is_some())
}

/// SpamAssassin reports: one per SpamAssassin X-Spam-Status (topmost first);
/// the other fields go with the topmost.
pub(super) fn decode(parsed: &ParsedMessage<'_>) -> Vec<AntispamReport> {
    let rspamd = has_rspamd(parsed);
    let statuses: Vec<Field<'_>> = fields(parsed, STATUS)
        .into_iter()
        .filter(|f| !rspamd || status_is_spamassassin(f.value))
        .collect();
    let report = first(parsed, REPORT).or_else(|| first(parsed, HAM_REPORT));
    let checker = first(parsed, CHECKER);
    let exim_report = first(parsed, EXIM_REPORT);
    let exim_score = first(parsed, EXIM_SCORE);
    let sa_evidence = !statuses.is_empty()
        || report.is_some()
        || checker.is_some()
        || exim_report.is_some()
        || exim_score.is_some();
    // Flag, score and level fields are written by both filters: they are
    // SpamAssassin's when nothing says Rspamd.
    let shared = |name: &'static str| {
        if sa_evidence || !rspamd {
            first(parsed, name)
        } else {
            None
        }
    };
    let flag = shared(FLAG);
    let score = shared(SCORE);
    let level = shared(LEVEL);
    let bar = shared(BAR);

    let mut out = Vec::new();
    let n = statuses.len().max(1);
    for i in 0..n {
        let mut b = Builder::default();
        if let Some(f) = statuses.get(i) {
            b.status(f);
        }
        if i == 0 {
            if let Some(f) = &exim_report {
                b.exim_report(f);
            }
            if let Some(f) = &report {
                b.report(parsed, f);
            }
            for f in [&flag, &score, &exim_score, &level, &bar, &checker]
                .into_iter()
                .flatten()
            {
                b.extra(f);
            }
        }
        if let Some(r) = b.finish() {
            out.push(r);
        }
    }
    out
}

/// One rule hit: name, points as written, description from the report.
#[derive(Debug, Default, Clone, PartialEq)]
struct Rule {
    name: String,
    points: Option<String>,
    description: Option<String>,
}

/// What X-Spam-Status says.
#[derive(Debug, Default, PartialEq)]
struct Status {
    spam: Option<bool>,
    score: Option<String>,
    required: Option<String>,
    tests: Vec<Rule>,
    autolearn: Option<String>,
    version: Option<String>,
}

/// Parses `Yes, score=5.2 required=5.0 tests=A,B autolearn=no version=3.4.6`
/// (also `hits=`, Amavis' `tests=[A=1.0, B=-0.1]` and `tests=A=1.0,B=-0.1`).
fn parse_status(value: &str) -> Status {
    let mut st = Status::default();
    let value = value.trim();
    let (head, rest) = match value.split_once(',') {
        Some((h, r)) => (h.trim(), r),
        None => (value, ""),
    };
    let rest = if head.eq_ignore_ascii_case("yes") {
        st.spam = Some(true);
        rest
    } else if head.eq_ignore_ascii_case("no") {
        st.spam = Some(false);
        rest
    } else {
        value
    };
    for (key, val) in key_values(rest) {
        match key {
            "score" | "hits" => st.score = Some(val),
            "required" => st.required = Some(val),
            "tests" => st.tests = parse_tests(&val),
            "autolearn" => st.autolearn = Some(val),
            "version" => st.version = Some(val),
            _ => {}
        }
    }
    st
}

/// `key=value` words; a word that does not start a lowercase `key=` is
/// appended to the previous value (a folded `tests=` list).
fn key_values(s: &str) -> Vec<(&str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for word in s.split_whitespace() {
        let key = word.split_once('=').map(|(k, _)| k).filter(|k| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && k.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        });
        match (key, out.last_mut()) {
            (Some(k), _) => {
                let v = word.get(k.len() + 1..).unwrap_or_default();
                out.push((k, v.to_string()));
            }
            (None, Some((_, v))) => {
                if !v.ends_with(',') && !v.is_empty() && !word.starts_with(',') {
                    v.push(' ');
                }
                v.push_str(word);
            }
            (None, None) => {}
        }
    }
    out
}

/// A comma-separated test list: `A,B` or `A=1.0,B=-0.1` (brackets ignored).
fn parse_tests(list: &str) -> Vec<Rule> {
    list.split(',')
        .map(|t| t.trim().trim_matches(['[', ']']).trim())
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("none"))
        .take(super::MAX_ITEMS + 1)
        .map(|t| match t.split_once('=') {
            Some((name, pts)) => Rule {
                name: name.trim().to_string(),
                points: Some(pts.trim().to_string()).filter(|p| !p.is_empty()),
                description: None,
            },
            None => Rule {
                name: t.to_string(),
                ..Rule::default()
            },
        })
        .collect()
}

/// What X-Spam-Report says.
#[derive(Debug, Default, PartialEq)]
struct Report {
    spam: Option<bool>,
    score: Option<String>,
    required: Option<String>,
    rules: Vec<Rule>,
}

fn is_points(s: &str) -> bool {
    s.contains('.') && number(s).is_some()
}

fn is_rule_name(s: &str) -> bool {
    (2..=80).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
}

/// Parses the rule table of X-Spam-Report, from the folded lines (one rule
/// per line, continuation lines append to its description). Lines marked
/// with `*` (header style) may also sit on one unfolded line.
fn parse_report(lines: &[String]) -> Report {
    let mut rep = Report::default();
    for line in lines {
        for segment in star_segments(line) {
            report_segment(&mut rep, segment);
        }
    }
    rep
}

/// Splits at `*` markers standing alone between spaces (header style).
fn star_segments(line: &str) -> impl Iterator<Item = &str> {
    let t = line.trim();
    let t = t.strip_prefix('*').unwrap_or(t);
    t.split(" * ").flat_map(|s| s.split("\t* ")).map(str::trim)
}

fn report_segment(rep: &mut Report, seg: &str) {
    if seg.is_empty() {
        return;
    }
    let lower = seg.to_ascii_lowercase();
    if lower.contains("has not identified") {
        rep.spam = Some(false);
    } else if lower.contains("has identified this incoming email as") {
        rep.spam = Some(true);
    }
    if let Some(pos) = lower.find("content analysis details:") {
        // "Content analysis details:   (5.2 points, 5.0 required)"
        let after = seg
            .get(pos + "content analysis details:".len()..)
            .unwrap_or_default();
        let inner = after.trim().trim_start_matches('(');
        let inner = inner.split(')').next().unwrap_or_default();
        let mut parts = inner.split(',');
        if let Some(p) = parts.next().and_then(|p| p.split_whitespace().next()) {
            rep.score = number(p).map(|_| p.to_string());
        }
        if let Some(r) = parts.next().and_then(|p| p.split_whitespace().next()) {
            rep.required = number(r).map(|_| r.to_string());
        }
        return;
    }
    let mut words = seg.split_whitespace();
    let (first, second) = (words.next(), words.next());
    if let (Some(pts), Some(name)) = (first, second)
        && is_points(pts)
        && is_rule_name(name)
    {
        // The description starts after the rule name.
        let start = seg.find(name).map(|p| p + name.len()).unwrap_or(seg.len());
        let description = seg.get(start..).unwrap_or_default().trim();
        if rep.rules.len() <= super::MAX_ITEMS {
            rep.rules.push(Rule {
                name: name.to_string(),
                points: Some(pts.to_string()),
                description: Some(description.to_string()).filter(|d| !d.is_empty()),
            });
        }
        return;
    }
    if lower.starts_with("pts rule") || seg.starts_with("----") {
        return;
    }
    // A continuation of the last rule's description.
    if let Some(last) = rep.rules.last_mut() {
        let d = last.description.get_or_insert_with(String::new);
        if d.len() < 1000 {
            if !d.is_empty() {
                d.push(' ');
            }
            d.push_str(seg);
        }
    }
}

/// The Exim form `(-2.1 / 5.0 requ) BAYES_00=-1.9, DKIM_SIGNED=0.1 autolearn=ham`.
fn parse_exim(value: &str) -> (Report, Option<String>) {
    let mut rep = Report::default();
    let v = value.trim();
    let rest = match v.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((inner, rest)) => {
            let mut nums = inner.split('/').map(|p| {
                p.split_whitespace()
                    .next()
                    .filter(|n| number(n).is_some())
                    .map(str::to_string)
            });
            rep.score = nums.next().flatten();
            rep.required = nums.next().flatten();
            rest
        }
        None => v,
    };
    let st = parse_status(&format!("tests={rest}"));
    rep.rules = st.tests;
    (rep, st.autolearn)
}

#[derive(Default)]
struct Builder {
    headers: Vec<&'static str>,
    status: Status,
    report: Report,
    flag: Option<bool>,
    header_score: Option<String>,
    extras: Items,
}

impl Builder {
    fn status(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        self.status = parse_status(f.value);
        self.extras.note_cut(f);
    }

    fn report(&mut self, parsed: &ParsedMessage<'_>, f: &Field<'_>) {
        self.headers.push(f.name);
        let lines = folded_lines(parsed, f).unwrap_or_else(|| vec![f.value.to_string()]);
        let rep = parse_report(&lines);
        self.merge_report(rep);
        self.extras.note_cut(f);
    }

    fn exim_report(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        let (rep, autolearn) = parse_exim(f.value);
        if self.status.autolearn.is_none() {
            self.status.autolearn = autolearn;
        }
        self.merge_report(rep);
        self.extras.note_cut(f);
    }

    fn merge_report(&mut self, rep: Report) {
        let old = std::mem::take(&mut self.report);
        self.report = Report {
            spam: old.spam.or(rep.spam),
            score: old.score.or(rep.score),
            required: old.required.or(rep.required),
            rules: if old.rules.is_empty() {
                rep.rules
            } else {
                old.rules
            },
        };
    }

    fn extra(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        let v = f.value.trim();
        match f.name {
            FLAG => {
                self.flag = if v.eq_ignore_ascii_case("yes") {
                    Some(true)
                } else if v.eq_ignore_ascii_case("no") {
                    Some(false)
                } else {
                    None
                };
                self.extras.push(item(
                    f.name,
                    v,
                    "YES when SpamAssassin classed the message as spam.",
                ));
            }
            SCORE | EXIM_SCORE => {
                if number(v).is_some() && self.header_score.is_none() {
                    self.header_score = Some(v.to_string());
                }
                self.extras.push(item(f.name, v, score_meaning(v)));
            }
            LEVEL => {
                let stars = v.chars().filter(|c| *c == '*').count();
                self.extras.push(item(
                    f.name,
                    v,
                    format!(
                        "{stars} star{}: one per whole point of score (for simple filtering rules).",
                        if stars == 1 { "" } else { "s" }
                    ),
                ));
            }
            BAR => self.extras.push(item(
                f.name,
                v,
                "Score as a bar: one + per point above zero, / for about zero.",
            )),
            CHECKER => self.extras.push(item(
                f.name,
                v,
                "The SpamAssassin version and the host that ran it.",
            )),
            _ => {}
        }
        self.extras.note_cut(f);
    }

    fn finish(self) -> Option<AntispamReport> {
        if self.headers.is_empty() {
            return None;
        }
        let st = self.status;
        let rep = self.report;
        let score_text = st.score.or(self.header_score).or(rep.score);
        let required_text = st.required.or(rep.required);
        let score = score_text.as_deref().and_then(number);
        let threshold = required_text.as_deref().and_then(number);

        // Rules: the X-Spam-Status order, points and descriptions from the
        // report, then report rules the status did not list.
        let mut rules = st.tests;
        for r in &mut rules {
            if let Some(from_report) = rep.rules.iter().find(|x| x.name == r.name) {
                r.points = r.points.take().or_else(|| from_report.points.clone());
                r.description = from_report.description.clone();
            }
        }
        for r in rep.rules {
            if !rules.iter().any(|x| x.name == r.name) {
                rules.push(r);
            }
        }
        let mut items = Items::default();
        // A rule without a name (`=, ==` in a damaged report) says nothing.
        for r in rules.into_iter().filter(|r| !r.name.trim().is_empty()) {
            let meaning = rule_meaning(&r.name).or(r.description).unwrap_or_default();
            items.push(item(
                &r.name,
                r.points.as_deref().unwrap_or_default(),
                meaning,
            ));
        }
        if let Some(a) = &st.autolearn {
            items.push(item("autolearn", a, autolearn_meaning(a)));
        }
        for x in self.extras.finish() {
            items.push(x);
        }

        let spam = st.spam.or(self.flag).or(rep.spam);
        let verdict = verdict(
            spam,
            score_text.as_deref(),
            required_text.as_deref(),
            score,
            threshold,
        );
        Some(AntispamReport {
            vendor: "spamassassin".into(),
            header: header_list(&self.headers),
            verdict,
            score,
            threshold,
            items: items.finish(),
        })
    }
}

fn verdict(
    spam: Option<bool>,
    score_text: Option<&str>,
    required_text: Option<&str>,
    score: Option<f64>,
    threshold: Option<f64>,
) -> Option<String> {
    // Numbers are quoted as written, and compared, only when they are
    // numbers: "score NaN, at or above the required inf" would be a claim
    // the header does not support.
    let numbers = match (score, threshold, score_text, required_text) {
        (Some(s), Some(t), Some(st), Some(rt)) if s >= t => {
            format!(" (score {st}, at or above the required {rt})")
        }
        (Some(_), Some(_), Some(st), Some(rt)) => format!(" (score {st}, below the required {rt})"),
        (Some(_), _, Some(st), _) => format!(" (score {st})"),
        (None, _, Some(st), _) => format!(" (the score {st:?} is not a number)"),
        _ => String::new(),
    };
    match spam {
        Some(true) => Some(format!("spam{numbers}")),
        Some(false) => Some(format!("not spam{numbers}")),
        None => match (score, threshold) {
            (Some(s), Some(t)) if s >= t => Some(format!("spam{numbers}")),
            (Some(_), Some(_)) => Some(format!("not spam{numbers}")),
            _ => None,
        },
    }
}

fn autolearn_meaning(v: &str) -> &'static str {
    match v.to_ascii_lowercase().as_str() {
        "ham" => "The Bayes filter learned this message as good mail (ham).",
        "spam" => "The Bayes filter learned this message as spam.",
        "no" => "Not learned: the score was not clear enough either way.",
        "disabled" => "Bayes auto-learning is turned off on this server.",
        "unavailable" => "Not learned: the Bayes database was busy or unavailable.",
        "failed" => "Learning from this message failed.",
        _ => "Bayes auto-learning result.",
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
    fn status_fields() {
        let st = parse_status(
            "Yes, score=5.2 required=5.0 tests=BAYES_50,DKIM_SIGNED,\tDKIM_VALID,\n URIBL_BLOCKED autolearn=no autolearn_force=no version=3.4.6",
        );
        assert_eq!(st.spam, Some(true));
        assert_eq!(st.score.as_deref(), Some("5.2"));
        assert_eq!(st.required.as_deref(), Some("5.0"));
        let names: Vec<_> = st.tests.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["BAYES_50", "DKIM_SIGNED", "DKIM_VALID", "URIBL_BLOCKED"]
        );
        assert_eq!(st.autolearn.as_deref(), Some("no"));
        assert_eq!(st.version.as_deref(), Some("3.4.6"));
    }

    #[test]
    fn old_hits_and_amavis_forms() {
        let st = parse_status("No, hits=-2.6 required=5.0 tests=BAYES_00 version=2.64");
        assert_eq!(st.spam, Some(false));
        assert_eq!(st.score.as_deref(), Some("-2.6"));
        let st = parse_status(
            "No, score=-1.9 tagged_above=-999 required=6.2 tests=[BAYES_00=-1.9, DKIM_SIGNED=0.1, SPF_PASS=-0.001] autolearn=ham autolearn_force=no",
        );
        assert_eq!(st.required.as_deref(), Some("6.2"));
        assert_eq!(
            st.tests,
            vec![
                Rule {
                    name: "BAYES_00".into(),
                    points: Some("-1.9".into()),
                    description: None
                },
                Rule {
                    name: "DKIM_SIGNED".into(),
                    points: Some("0.1".into()),
                    description: None
                },
                Rule {
                    name: "SPF_PASS".into(),
                    points: Some("-0.001".into()),
                    description: None
                },
            ]
        );
        assert_eq!(st.autolearn.as_deref(), Some("ham"));
        assert!(
            parse_status("No, score=0.0 required=5.0 tests=none")
                .tests
                .is_empty()
        );
    }

    #[test]
    fn header_style_report() {
        let lines: Vec<String> = [
            "",
            "\t*  0.0 URIBL_BLOCKED ADMINISTRATOR NOTICE: The query to URIBL was",
            "\t*      blocked.  See",
            "\t*      http://wiki.apache.org/spamassassin/DnsBlocklists#dnsbl-block",
            "\t*      for more information.",
            "\t*      [URIs: example.com]",
            "\t*  0.8 BAYES_50 BODY: Bayes spam probability is 40 to 60%",
            "\t*      [score: 0.5000]",
            "\t* -0.0 SPF_PASS SPF: sender matches SPF record",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rep = parse_report(&lines);
        assert_eq!(rep.rules.len(), 3);
        assert_eq!(rep.rules[0].name, "URIBL_BLOCKED");
        assert_eq!(rep.rules[0].points.as_deref(), Some("0.0"));
        assert!(
            rep.rules[0]
                .description
                .as_deref()
                .unwrap()
                .ends_with("[URIs: example.com]")
        );
        assert_eq!(
            rep.rules[1].description.as_deref(),
            Some("BODY: Bayes spam probability is 40 to 60% [score: 0.5000]")
        );
        assert_eq!(rep.rules[2].points.as_deref(), Some("-0.0"));
        // The same report unfolded onto one line.
        let one = vec![lines.join("")];
        let rep1 = parse_report(&one);
        let names: Vec<_> = rep1.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["URIBL_BLOCKED", "BAYES_50", "SPF_PASS"]);
    }

    #[test]
    fn body_style_report() {
        let lines: Vec<String> = [
            "Spam detection software, running on the system \"mx.example.com\",",
            " has NOT identified this incoming email as spam.",
            " Content analysis details:   (-0.2 points, 5.0 required)",
            "",
            "  pts rule name              description",
            " ---- ---------------------- --------------------------------------------------",
            " -0.0 NO_RELAYS              Informational: message was not relayed via SMTP",
            "  0.0 HTML_MESSAGE           BODY: HTML included in message",
            " -0.2 LOCAL_TEST             A local rule with a long description that",
            "                             wraps onto a second line",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rep = parse_report(&lines);
        assert_eq!(rep.spam, Some(false));
        assert_eq!(rep.score.as_deref(), Some("-0.2"));
        assert_eq!(rep.required.as_deref(), Some("5.0"));
        assert_eq!(rep.rules.len(), 3);
        assert_eq!(
            rep.rules[2].description.as_deref(),
            Some("A local rule with a long description that wraps onto a second line")
        );
    }

    #[test]
    fn decode_merges_status_and_report() {
        let raw = b"X-Spam-Flag: YES\r\nX-Spam-Level: *******\r\nX-Spam-Status: Yes, score=7.1 required=5.0 tests=BAYES_99,\r\n\tLOCAL_RULE,RDNS_NONE autolearn=spam version=3.4.6\r\nX-Spam-Report: \r\n\t*  3.5 BAYES_99 BODY: Bayes spam probability is 99 to 100%\r\n\t*      [score: 1.0000]\r\n\t*  2.3 LOCAL_RULE Something this site wrote\r\n\t*  1.3 RDNS_NONE Delivered to internal network by a host with no rDNS\r\n\r\n";
        let r = decode_raw(raw);
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(r.vendor, "spamassassin");
        assert_eq!(r.score, Some(7.1));
        assert_eq!(r.threshold, Some(5.0));
        assert_eq!(
            r.verdict.as_deref(),
            Some("spam (score 7.1, at or above the required 5.0)")
        );
        assert_eq!(r.items[0].key, "BAYES_99");
        assert_eq!(r.items[0].value, "3.5");
        assert!(r.items[0].meaning.contains("99–100%"));
        // Unknown rule: the report's description is its meaning.
        assert_eq!(get(r, "LOCAL_RULE").value, "2.3");
        assert_eq!(get(r, "LOCAL_RULE").meaning, "Something this site wrote");
        assert!(get(r, "RDNS_NONE").meaning.contains("no reverse DNS"));
        assert!(get(r, "autolearn").meaning.contains("as spam"));
        assert!(get(r, "X-Spam-Level").meaning.starts_with("7 stars"));
        assert!(r.header.contains("X-Spam-Report"));
    }

    #[test]
    fn exim_report_form() {
        let raw = b"X-Spam_score: -2.1\r\nX-Spam_report: (-2.1 / 5.0 requ) BAYES_00=-1.9, DKIM_SIGNED=0.1,\r\n DKIM_VALID=-0.1, RCVD_IN_VALIDITY_RPBL_BLOCKED=0.001,\r\n SPF_PASS=-0.001 autolearn=ham autolearn_force=no\r\n\r\n";
        let r = &decode_raw(raw)[0];
        assert_eq!(r.score, Some(-2.1));
        assert_eq!(r.threshold, Some(5.0));
        assert_eq!(
            r.verdict.as_deref(),
            Some("not spam (score -2.1, below the required 5.0)")
        );
        assert_eq!(get(r, "BAYES_00").value, "-1.9");
        assert!(
            get(r, "RCVD_IN_VALIDITY_RPBL_BLOCKED")
                .meaning
                .contains("did not run")
        );
        assert_eq!(get(r, "autolearn").value, "ham");
    }

    #[test]
    fn rspamd_status_is_left_to_rspamd() {
        let raw = b"X-Spam-Status: No, score=1.20\r\nX-Rspamd-Score: 1.20\r\n\r\n";
        assert!(decode_raw(raw).is_empty());
        // Without any Rspamd field it is read as SpamAssassin's.
        let r = &decode_raw(b"X-Spam-Status: No, score=1.20\r\n\r\n")[0];
        assert_eq!(r.score, Some(1.2));
        assert_eq!(r.verdict.as_deref(), Some("not spam (score 1.20)"));
    }

    #[test]
    fn flag_alone() {
        let r = &decode_raw(b"X-Spam-Flag: YES\r\n\r\n")[0];
        assert_eq!(r.verdict.as_deref(), Some("spam"));
        assert!(r.score.is_none());
    }
}
