//! The strict SPF record reader: RFC 7208 section 12's grammar, exactly.
//!
//! Pure (no DNS): record bytes in, a [`Record`] or the [`SyntaxError`] that
//! makes it a permerror out. RFC 7208 4.6: "If there are any syntax errors
//! anywhere in the record, check_host() returns immediately with the result
//! permerror" — so the whole record is read before any term is evaluated, and
//! the error names the term, its 1-based position and what is wrong with it.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What a matching mechanism says (RFC 7208 4.6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// `+` (the default).
    Pass,
    /// `-`.
    Fail,
    /// `~`.
    SoftFail,
    /// `?`.
    Neutral,
}

/// One part of a macro-string (RFC 7208 7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacroPart {
    /// Literal text; `%%`, `%_` and `%-` are already turned into `%`, ` ` and `%20`.
    Literal(String),
    /// `%{…}`.
    Expand {
        /// The macro letter, lower case.
        letter: char,
        /// Written in upper case: URL-escape the value.
        escape: bool,
        /// Keep this many right-hand parts (at least 1).
        keep: Option<usize>,
        /// `r`: reverse the parts.
        reverse: bool,
        /// Delimiters to split on (`.` when none are given).
        delimiters: String,
    },
}

/// A macro-string: a domain-spec, an unknown modifier's value or (with
/// spaces) an explanation text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MacroString(pub Vec<MacroPart>);

impl MacroString {
    /// True when the string uses the macro letter `letter` (lower case).
    pub fn uses(&self, letter: char) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, MacroPart::Expand { letter: l, .. } if *l == letter))
    }

    /// The text when the string has no macros.
    pub fn literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.0 {
            match part {
                MacroPart::Literal(t) => text.push_str(t),
                MacroPart::Expand { .. } => return None,
            }
        }
        Some(text)
    }
}

/// A mechanism (RFC 7208 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`.
    All,
    /// `include:<domain-spec>`.
    Include(MacroString),
    /// `a[:<domain-spec>][/<ip4-len>][//<ip6-len>]`.
    A {
        /// The target; the current domain when absent.
        domain: Option<MacroString>,
        /// IPv4 prefix length (32 when absent).
        v4: u8,
        /// IPv6 prefix length (128 when absent).
        v6: u8,
    },
    /// `mx[:<domain-spec>][/<ip4-len>][//<ip6-len>]`.
    Mx {
        /// The target; the current domain when absent.
        domain: Option<MacroString>,
        /// IPv4 prefix length.
        v4: u8,
        /// IPv6 prefix length.
        v6: u8,
    },
    /// `ptr[:<domain-spec>]`.
    Ptr(Option<MacroString>),
    /// `ip4:<network>[/<len>]`.
    Ip4(Ipv4Addr, u8),
    /// `ip6:<network>[/<len>]`.
    Ip6(Ipv6Addr, u8),
    /// `exists:<domain-spec>`.
    Exists(MacroString),
}

impl Mechanism {
    /// True for the terms RFC 7208 4.6.4 counts against the limit of 10.
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }
}

/// A directive: qualifier and mechanism, with the term as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The qualifier (`+` when none was written).
    pub qualifier: Qualifier,
    /// The mechanism.
    pub mechanism: Mechanism,
    /// The term as written in the record.
    pub text: String,
    /// 1-based position of the term (`v=spf1` is not counted).
    pub position: usize,
}

/// A `redirect=` or `exp=` modifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modifier {
    /// The domain-spec.
    pub domain: MacroString,
    /// The term as written.
    pub text: String,
    /// 1-based position of the term.
    pub position: usize,
}

/// A syntactically valid SPF record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// The directives, in order.
    pub directives: Vec<Directive>,
    /// `redirect=`, when present.
    pub redirect: Option<Modifier>,
    /// `exp=`, when present.
    pub exp: Option<Modifier>,
    /// Terms that are neither (unknown modifiers, ignored by RFC 7208 6).
    pub unknown_modifiers: Vec<String>,
}

/// Why a record is a permerror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The offending term as written (lossy UTF-8), or the whole record.
    pub term: String,
    /// Its 1-based position among the terms after `v=spf1`; 0 for the version.
    pub position: usize,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "term {} `{}`: {}",
            self.position,
            printable(&self.term),
            self.problem
        )
    }
}

/// The text with control and non-ASCII characters written as `\u{…}` so a
/// message never carries invisible characters.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c.to_string()
            } else {
                format!("\\u{{{:X}}}", u32::from(c))
            }
        })
        .collect()
}

/// True for the TXT text of an SPF record (RFC 7208 4.5: `v=spf1` alone or
/// followed by a space, case-insensitive).
pub fn is_spf_record(text: &[u8]) -> bool {
    text.len() >= 6
        && text[..6].eq_ignore_ascii_case(b"v=spf1")
        && (text.len() == 6 || text[6] == b' ')
}

/// A TXT text that is meant as SPF but that receivers do not select (RFC 7208
/// 4.5): a byte-order mark, spaces or quotes pasted before `v=spf1`, or no
/// space after it. Returns what is wrong.
pub fn near_miss(text: &[u8]) -> Option<String> {
    if is_spf_record(text) {
        return None;
    }
    let as_text = String::from_utf8_lossy(text);
    let trimmed = as_text.trim_start_matches(['\u{FEFF}', ' ', '\t', '"', '\'', '\u{A0}']);
    let lower = trimmed.to_ascii_lowercase();
    if trimmed.len() != as_text.len() && is_spf_record(trimmed.as_bytes()) {
        let what = if as_text.starts_with('\u{FEFF}') {
            "an invisible byte-order mark (U+FEFF)".to_string()
        } else {
            format!("`{}`", printable(&as_text[..as_text.len() - trimmed.len()]))
        };
        return Some(format!(
            "starts with {what} before `v=spf1`, so receivers do not read it as SPF"
        ));
    }
    if lower.starts_with("v=spf1") && trimmed.len() == as_text.len() {
        return Some(
            "`v=spf1` is not followed by a space, so receivers do not read it as SPF".into(),
        );
    }
    None
}

/// Reads an SPF record (the TXT text, character-strings joined).
pub fn parse(text: &[u8]) -> Result<Record, SyntaxError> {
    let whole = String::from_utf8_lossy(text).into_owned();
    if !is_spf_record(text) {
        return Err(SyntaxError {
            term: whole,
            position: 0,
            problem: "does not start with `v=spf1` followed by a space".into(),
        });
    }
    let mut record = Record::default();
    // RFC 7208 4.6.1: terms are separated by spaces (SP) only; a tab, CR or
    // LF is part of the term it touches, and an invalid character there.
    let terms = text[6..].split(|&b| b == b' ').filter(|t| !t.is_empty());
    for (index, raw) in terms.enumerate() {
        let position = index + 1;
        let term = String::from_utf8_lossy(raw).into_owned();
        let err = |problem: String| SyntaxError {
            term: term.clone(),
            position,
            problem,
        };
        if let Some(&bad) = raw.iter().find(|&&b| !(0x21..0x7f).contains(&b)) {
            return Err(err(if bad >= 0x80 {
                "contains a non-ASCII character (SPF records are 7-bit ASCII, RFC 7208 3.1)".into()
            } else {
                format!(
                    "contains the control character 0x{bad:02X} (terms are separated by spaces only)"
                )
            }));
        }
        match parse_term(&term, position).map_err(err)? {
            Term::Directive(d) => record.directives.push(d),
            Term::Redirect(m) => {
                if record.redirect.is_some() {
                    return Err(err(
                        "a second `redirect=` (at most one is allowed, RFC 7208 6)".into(),
                    ));
                }
                record.redirect = Some(m);
            }
            Term::Exp(m) => {
                if record.exp.is_some() {
                    return Err(err(
                        "a second `exp=` (at most one is allowed, RFC 7208 6)".into()
                    ));
                }
                record.exp = Some(m);
            }
            Term::Unknown => record.unknown_modifiers.push(term.clone()),
        }
    }
    Ok(record)
}

enum Term {
    Directive(Directive),
    Redirect(Modifier),
    Exp(Modifier),
    Unknown,
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')
}

/// One term (all bytes already checked to be visible ASCII).
fn parse_term(term: &str, position: usize) -> Result<Term, String> {
    let bytes = term.as_bytes();
    // modifier = name "=" macro-string, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
    let name_end = bytes
        .iter()
        .position(|&c| !is_name_char(c))
        .unwrap_or(bytes.len());
    if bytes.get(name_end) == Some(&b'=') {
        let name = &term[..name_end];
        let value = &term[name_end + 1..];
        if name.is_empty() {
            return Err("a modifier needs a name before `=`".into());
        }
        if !bytes[0].is_ascii_alphabetic() {
            return Err(format!(
                "modifier name `{name}` must start with a letter (RFC 7208 12)"
            ));
        }
        let modifier = |kind: &str| -> Result<Modifier, String> {
            Ok(Modifier {
                domain: domain_spec(value).map_err(|e| format!("`{kind}=` {e}"))?,
                text: term.to_string(),
                position,
            })
        };
        return match name.to_ascii_lowercase().as_str() {
            "redirect" => modifier("redirect").map(Term::Redirect),
            "exp" => modifier("exp").map(Term::Exp),
            _ => {
                // RFC 7208 6: unknown modifiers are ignored, but their value
                // is still a macro-string.
                macro_string(value, false)
                    .map_err(|e| format!("the value of modifier `{name}` {e}"))?;
                Ok(Term::Unknown)
            }
        };
    }

    let (qualifier, rest) = match bytes.first() {
        Some(b'+') => (Qualifier::Pass, &term[1..]),
        Some(b'-') => (Qualifier::Fail, &term[1..]),
        Some(b'~') => (Qualifier::SoftFail, &term[1..]),
        Some(b'?') => (Qualifier::Neutral, &term[1..]),
        _ => (Qualifier::Pass, term),
    };
    let name_len = rest
        .bytes()
        .position(|c| c == b':' || c == b'/')
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let args = &rest[name_len..];
    let target = |required: bool| -> Result<Option<MacroString>, String> {
        match args.strip_prefix(':') {
            Some(spec) => domain_spec(spec).map(Some),
            None if args.is_empty() && !required => Ok(None),
            None if args.is_empty() => Err(format!("`{name}` needs `:` and a domain")),
            None => Err(format!("unexpected `{args}` after `{name}`")),
        }
    };
    let mechanism = match name.as_str() {
        "all" if args.is_empty() => Mechanism::All,
        "all" => return Err(format!("`all` takes no argument (found `{args}`)")),
        "include" => Mechanism::Include(target(true)?.unwrap_or_default()),
        "exists" => Mechanism::Exists(target(true)?.unwrap_or_default()),
        "ptr" => Mechanism::Ptr(target(false)?),
        "a" | "mx" => {
            let (spec, v4, v6) = split_dual_cidr(args)?;
            let domain = match spec.strip_prefix(':') {
                Some(s) => Some(domain_spec(s)?),
                None if spec.is_empty() => None,
                None => {
                    return Err(format!(
                        "unexpected `{spec}` after `{name}` (prefix lengths are `/24`, `//64` or `/24//64`)"
                    ));
                }
            };
            if name == "a" {
                Mechanism::A { domain, v4, v6 }
            } else {
                Mechanism::Mx { domain, v4, v6 }
            }
        }
        "ip4" => {
            let spec = args
                .strip_prefix(':')
                .ok_or("`ip4` needs `:` and an IPv4 address")?;
            let (addr, len) = match spec.split_once('/') {
                Some((a, l)) => (a, cidr_length(l, 32)?),
                None => (spec, 32),
            };
            let addr = addr
                .parse::<Ipv4Addr>()
                .map_err(|_| format!("`{addr}` is not an IPv4 address"))?;
            Mechanism::Ip4(addr, len)
        }
        "ip6" => {
            let spec = args
                .strip_prefix(':')
                .ok_or("`ip6` needs `:` and an IPv6 address")?;
            let (addr, len) = match spec.split_once('/') {
                Some((a, l)) => (a, cidr_length(l, 128)?),
                None => (spec, 128),
            };
            let addr = addr
                .parse::<Ipv6Addr>()
                .map_err(|_| format!("`{addr}` is not an IPv6 address"))?;
            Mechanism::Ip6(addr, len)
        }
        "" => return Err("no mechanism after the qualifier".into()),
        other => {
            return Err(format!(
                "`{other}` is not a mechanism (all, include, a, mx, ptr, ip4, ip6, exists) nor a `name=value` modifier"
            ));
        }
    };
    Ok(Term::Directive(Directive {
        qualifier,
        mechanism,
        text: term.to_string(),
        position,
    }))
}

/// Splits `[:domain-spec][/<v4>][//<v6>]` into the domain part and the two
/// lengths. The lengths are taken from the end, so a domain-spec may itself
/// hold `/` (`a:foo:bar/baz.example.com`).
fn split_dual_cidr(args: &str) -> Result<(&str, u8, u8), String> {
    let digits_suffix =
        |s: &str| -> usize { s.bytes().rev().take_while(u8::is_ascii_digit).count() };
    let mut rest = args;
    let mut v6 = 128;
    let mut v4 = 32;
    let n = digits_suffix(rest);
    if n > 0 && rest[..rest.len() - n].ends_with("//") {
        v6 = cidr_length(&rest[rest.len() - n..], 128)?;
        rest = &rest[..rest.len() - n - 2];
    }
    let n = digits_suffix(rest);
    if n > 0 && rest[..rest.len() - n].ends_with('/') && !rest[..rest.len() - n].ends_with("//") {
        v4 = cidr_length(&rest[rest.len() - n..], 32)?;
        rest = &rest[..rest.len() - n - 1];
    }
    Ok((rest, v4, v6))
}

/// A prefix length: `0` or digits without a leading zero, at most `max`.
fn cidr_length(text: &str, max: u8) -> Result<u8, String> {
    let ok_form = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !ok_form {
        return Err(format!(
            "`/{text}` is not a prefix length (digits, no leading zero)"
        ));
    }
    match text.parse::<u16>() {
        Ok(n) if n <= u16::from(max) => Ok(n as u8),
        _ => Err(format!("prefix length /{text} is out of range (0-{max})")),
    }
}

/// A domain-spec (RFC 7208 7.1): a macro-string whose end is a macro or
/// `.` toplabel with an optional trailing dot. Macro letters `c`, `r`, `t`
/// are for explanations only (RFC 7208 7.2).
pub fn domain_spec(text: &str) -> Result<MacroString, String> {
    if text.is_empty() {
        return Err("has no domain".into());
    }
    let spec = macro_string(text, false)?;
    if let Some(letter) = ['c', 'r', 't'].into_iter().find(|&l| spec.uses(l)) {
        return Err(format!(
            "`{text}` uses the macro %{{{letter}}}, which is allowed only in explanations"
        ));
    }
    match spec.0.last() {
        Some(MacroPart::Expand { .. }) => Ok(spec),
        Some(MacroPart::Literal(tail)) => {
            let tail = tail.strip_suffix('.').unwrap_or(tail);
            match tail.rsplit_once('.') {
                Some((_, top)) if is_toplabel(top) => Ok(spec),
                Some((_, top)) => Err(format!(
                    "`{text}` does not end in a valid top-level label (`{top}`: letters, digits and inner hyphens, not all digits)"
                )),
                None => Err(format!(
                    "`{text}` is not a domain name (no dot before the last label)"
                )),
            }
        }
        None => Err("has no domain".into()),
    }
}

/// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
fn is_toplabel(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
        && b.iter().any(|c| c.is_ascii_alphabetic() || *c == b'-')
}

/// A macro-string (RFC 7208 7.1); `spaces`: an explain-string, where SP is
/// allowed too.
pub fn macro_string(text: &str, spaces: bool) -> Result<MacroString, String> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '%' => match chars.next().map(|(_, c)| c) {
                Some('%') => literal.push('%'),
                Some('_') => literal.push(' '),
                Some('-') => literal.push_str("%20"),
                Some('{') => {
                    let close = text[at..]
                        .find('}')
                        .ok_or_else(|| format!("has `%{{` without a closing `}}` in `{text}`"))?;
                    let body = &text[at + 2..at + close];
                    let part = macro_expand(body)
                        .map_err(|e| format!("has an invalid macro `%{{{body}}}`: {e}"))?;
                    // Skip the body and the closing brace.
                    for _ in 0..body.chars().count() + 1 {
                        chars.next();
                    }
                    if !literal.is_empty() {
                        parts.push(MacroPart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(part);
                }
                Some(other) => {
                    return Err(format!(
                        "has `%{other}`: a `%` starts `%{{…}}`, `%%`, `%_` or `%-` (write `%%` for a percent sign)"
                    ));
                }
                None => return Err("ends with a lone `%`".into()),
            },
            ' ' if spaces => literal.push(' '),
            '!'..='~' => literal.push(c),
            other => {
                return Err(format!(
                    "contains the character {} (visible ASCII only)",
                    printable(&other.to_string())
                ));
            }
        }
    }
    if !literal.is_empty() {
        parts.push(MacroPart::Literal(literal));
    }
    Ok(MacroString(parts))
}

/// macro-letter transformers *delimiter
fn macro_expand(body: &str) -> Result<MacroPart, String> {
    let mut chars = body.chars();
    let letter = chars.next().ok_or("no macro letter")?;
    if !"slodiphcrtv".contains(letter.to_ascii_lowercase()) {
        return Err(format!(
            "`{letter}` is not a macro letter (s l o d i p h c r t v)"
        ));
    }
    let rest = chars.as_str();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let rest = &rest[digits.len()..];
    let keep = if digits.is_empty() {
        None
    } else {
        match digits.parse::<usize>() {
            Ok(0) => return Err("the number of parts must be at least 1".into()),
            Ok(n) => Some(n),
            Err(_) => return Err(format!("`{digits}` is not a number of parts")),
        }
    };
    let (reverse, delimiters) = match rest.strip_prefix(['r', 'R']) {
        Some(d) => (true, d),
        None => (false, rest),
    };
    if let Some(bad) = delimiters
        .chars()
        .find(|c| !matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '='))
    {
        return Err(format!("`{bad}` is not a delimiter (. - + , / _ =)"));
    }
    Ok(MacroPart::Expand {
        letter: letter.to_ascii_lowercase(),
        escape: letter.is_ascii_uppercase(),
        keep,
        reverse,
        delimiters: delimiters.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(record: &str) -> SyntaxError {
        match parse(record.as_bytes()) {
            Ok(r) => panic!("{record:?} parsed: {r:?}"),
            Err(e) => e,
        }
    }

    fn ok(record: &str) -> Record {
        parse(record.as_bytes()).unwrap_or_else(|e| panic!("{record:?}: {e}"))
    }

    /// The error's term and position, and a word its problem must contain.
    fn assert_error(record: &str, term: &str, position: usize, says: &str) {
        let e = error(record);
        assert_eq!(
            (e.term.as_str(), e.position),
            (term, position),
            "{record:?}: {e}"
        );
        assert!(e.problem.contains(says), "{record:?}: {e} (want {says:?})");
    }

    #[test]
    fn domain_spec_errors() {
        assert_error("v=spf1 a:foo-bar -all", "a:foo-bar", 1, "not a domain name");
        assert_error(
            "v=spf1 a:example.com:8080",
            "a:example.com:8080",
            1,
            "top-level",
        );
        assert_error("v=spf1 a:abc.123", "a:abc.123", 1, "top-level");
        assert_error("v=spf1 a:111.222.33.44", "a:111.222.33.44", 1, "top-level");
        assert_error("v=spf1 a:example.-com", "a:example.-com", 1, "top-level");
        assert_error("v=spf1 a:museum", "a:museum", 1, "not a domain name");
        assert_error("v=spf1 a:museum.", "a:museum.", 1, "not a domain name");
        assert_error(
            "v=spf1 ?all redirect=-all",
            "redirect=-all",
            2,
            "not a domain name",
        );
        assert_error("v=spf1 exp=-all ?all", "exp=-all", 1, "`exp=`");
        assert_error("v=spf1 include: -all", "include:", 1, "no domain");
        assert_error("v=spf1 exists -all", "exists", 1, "needs `:`");
        assert_error("v=spf1 a:%{d}. -all", "a:%{d}.", 1, "not a domain name");
        assert_error(
            "v=spf1 exists:%{t}.example.com",
            "exists:%{t}.example.com",
            1,
            "explanations",
        );
    }

    #[test]
    fn cidr_errors() {
        assert_error(
            "v=spf1 ip4:1.2.3.4/33",
            "ip4:1.2.3.4/33",
            1,
            "out of range (0-32)",
        );
        assert_error(
            "v=spf1 ip4:1.2.3.4/032",
            "ip4:1.2.3.4/032",
            1,
            "leading zero",
        );
        assert_error(
            "v=spf1 ip6:::1/129",
            "ip6:::1/129",
            1,
            "out of range (0-128)",
        );
        assert_error("v=spf1 a/33 -all", "a/33", 1, "0-32");
        assert_error("v=spf1 -all a//129", "a//129", 2, "0-128");
        assert_error("v=spf1 a/24/64", "a/24/64", 1, "out of range (0-32)");
        assert_error("v=spf1 mx/033", "mx/033", 1, "leading zero");
        assert_error("v=spf1 ip4:1.2.3.04", "ip4:1.2.3.04", 1, "not an IPv4");
        assert_error("v=spf1 ip4:1.2.3.4/", "ip4:1.2.3.4/", 1, "not a prefix");
        assert_error("v=spf1 ip6:1.2.3.4", "ip6:1.2.3.4", 1, "not an IPv6");
    }

    #[test]
    fn character_errors() {
        assert_error(
            "v=spf1 a:\u{FEFF}x.example.net -all",
            "a:\u{FEFF}x.example.net",
            1,
            "non-ASCII",
        );
        assert_error("v=spf1 ip4:192.0.2.5\n", "ip4:192.0.2.5\n", 1, "0x0A");
        assert_error("v=spf1 -all\r ptr", "-all\r", 1, "0x0D");
        assert_error("v=spf1 -all\tptr", "-all\tptr", 1, "0x09");
        assert_error(
            "v=spf1 a:foo\0.example.com",
            "a:foo\0.example.com",
            1,
            "0x00",
        );
        let e = error("v=spf1 \u{80}a -all");
        assert!(e.to_string().contains("\\u{80}"), "{e}");
    }

    #[test]
    fn modifier_and_mechanism_errors() {
        assert_error("v=spf1 1up=foo ?all", "1up=foo", 1, "start with a letter");
        assert_error("v=spf1 =all", "=all", 1, "needs a name");
        assert_error(
            "v=spf1 -all redirect=a.example redirect=b.example",
            "redirect=b.example",
            3,
            "second",
        );
        assert_error(
            "v=spf1 exp=a.example exp=b.example",
            "exp=b.example",
            2,
            "second",
        );
        assert_error("v=spf1 foo", "foo", 1, "not a mechanism");
        assert_error("v=spf1 -", "-", 1, "no mechanism");
        assert_error("v=spf1 all:x", "all:x", 1, "no argument");
        assert_error("v=spf1 moo=%x", "moo=%x", 1, "`%x`");
        assert_error(
            "v=spf1 exists:%{q}.example.com",
            "exists:%{q}.example.com",
            1,
            "macro letter",
        );
        assert_error(
            "v=spf1 exists:%{d0}.example.com",
            "exists:%{d0}.example.com",
            1,
            "at least 1",
        );
        assert_error(
            "v=spf1 exists:%{d2!}.example.com",
            "exists:%{d2!}.example.com",
            1,
            "delimiter",
        );
        assert_error("v=spf1 exists:%{d", "exists:%{d", 1, "closing");
    }

    #[test]
    fn unusual_but_valid_records() {
        // Modifier names with dots, hyphens and underscores; unknown modifiers
        // are ignored (RFC 7208 6).
        let r = ok("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all");
        assert_eq!(r.unknown_modifiers, ["moo.cow-far_out=man:dog/cat"]);
        assert_eq!(r.directives.len(), 2);
        ok("v=spf1 -all foo=%{l}bar");
        ok("v=spf1 -all x-y.z=");
        // exp= with macros, a colon and slash in a domain-spec, spaces around.
        let r = ok("V=SPF1  a:foo:bar/baz.example.com  exp=%{ir}.%{v}._spf.%{d2}  ");
        assert_eq!(r.directives[0].position, 1);
        assert_eq!(r.exp.as_ref().map(|e| e.position), Some(2));
        assert!(matches!(
            &r.directives[0].mechanism,
            Mechanism::A { domain: Some(d), v4: 32, v6: 128 }
                if d.literal().as_deref() == Some("foo:bar/baz.example.com")
        ));
        ok("v=spf1 redirect=%{d}.d.spf.example.com.");
        ok("v=spf1 include:o.spf.example.com. ~all");
        ok("v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all");
        ok("v=spf1 exists:%{i}.%{l2r-}.user.%{d2} exists:%{L}.x.%{D}");
        ok("v=spf1 ip6:::1.1.1.1/0 ip4:0.0.0.0/0 a//0 a/0//0 mx:example.com/24//64");
        ok("v=spf1 a:example.123-4");
        ok("v=spf1");
        ok("v=spf1 ");
    }

    #[test]
    fn dual_cidr_lengths() {
        let r = ok("v=spf1 a/24//64 mx:example.com//48 a:x.example/0");
        let lengths: Vec<(u8, u8)> = r
            .directives
            .iter()
            .map(|d| match d.mechanism {
                Mechanism::A { v4, v6, .. } | Mechanism::Mx { v4, v6, .. } => (v4, v6),
                _ => (0, 0),
            })
            .collect();
        assert_eq!(lengths, [(24, 64), (32, 48), (0, 128)]);
    }

    #[test]
    fn macros_are_read() {
        let s = macro_string("%{L2r-+}x%%%_%-", false).expect("valid");
        assert_eq!(
            s.0,
            [
                MacroPart::Expand {
                    letter: 'l',
                    escape: true,
                    keep: Some(2),
                    reverse: true,
                    delimiters: "-+".into(),
                },
                MacroPart::Literal("x% %20".into()),
            ]
        );
        assert!(macro_string("a b", false).is_err());
        assert!(macro_string("a b", true).is_ok());
    }

    /// Hostile records (DNS data): the reader answers, never panics, for
    /// any bytes, including cut-off macros and multi-byte characters. Terms
    /// are a mechanism or modifier name followed by random pieces.
    #[test]
    fn any_bytes_give_an_answer() {
        let heads: &[&[u8]] = &[
            b"a",
            b"mx",
            b"ptr",
            b"ip4:",
            b"ip6:",
            b"exists:",
            b"include:",
            b"redirect=",
            b"exp=",
            b"-all",
            b"x.y=",
            b"",
        ];
        let pieces: &[&[u8]] = &[
            b"%",
            b"{",
            b"}",
            b"/",
            b"//",
            b":",
            b"=",
            b".",
            b"-",
            b"+",
            b"1",
            b"0",
            b"33",
            b"129",
            b"r",
            b"d",
            b"L",
            b"%{",
            b"%{d",
            b"%{i2r-}",
            b"x.example",
            b"::1",
            b"1.2.3.4",
            b"\xEF\xBB\xBF",
            b"\xC3",
            b"\0",
            b"\r",
            b"\t",
        ];
        let mut state: u64 = 0x5eed;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for _ in 0..20_000 {
            let mut text = b"v=spf1".to_vec();
            for _ in 0..=next(5) {
                text.push(b' ');
                text.extend_from_slice(heads[next(heads.len())]);
                for _ in 0..next(5) {
                    text.extend_from_slice(pieces[next(pieces.len())]);
                }
            }
            if let Err(e) = parse(&text) {
                assert!(e.position >= 1, "{:?}: {e}", String::from_utf8_lossy(&text));
            }
            let _ = near_miss(&text);
            let _ = macro_string(&String::from_utf8_lossy(&text), true);
        }
    }

    #[test]
    fn record_selection() {
        assert!(is_spf_record(b"v=spf1"));
        assert!(is_spf_record(b"V=Spf1 -all"));
        assert!(!is_spf_record(b"v=spf1-all"));
        assert!(!is_spf_record(b"v=spf10 -all"));
        assert!(!is_spf_record(b"\xEF\xBB\xBFv=spf1 -all"));
        let bom = near_miss("\u{FEFF}v=spf1 -all".as_bytes()).expect("flagged");
        assert!(bom.contains("byte-order mark"), "{bom}");
        let quoted = near_miss(b"\"v=spf1 -all").expect("flagged");
        assert!(quoted.contains("`\"`"), "{quoted}");
        assert!(near_miss(b"v=spf1-all").is_some());
        assert_eq!(near_miss(b"v=spf1 -all"), None);
        assert_eq!(near_miss(b"google-site-verification=x"), None);
    }
}
