//! Dates in Received fields, read leniently.
//!
//! Accepted: RFC 5322 dates and their obsolete forms (no weekday, two- and
//! three-digit years, named and military zones, comments, missing seconds),
//! fractional seconds, `asctime` dates (`Sun Nov 13 15:38:52 2005`), ISO 8601 /
//! RFC 3339 (`2025-11-12T19:40:17Z`), and the Go `time.Time` string some ESPs
//! write (`2025-11-12 19:40:17.385712409 +0000 UTC m=+0.031`). A date without
//! a zone is read as UTC. Anything else gives `None`: the hop simply has no time.

/// Upper bound on the text looked at (a date is ~40 characters).
const MAX_DATE_TEXT: usize = 256;

/// Parses a date and returns Unix seconds (UTC), or `None` when it cannot be read.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = truncate(text, MAX_DATE_TEXT);
    let cleaned = strip_comments(text);
    parse_iso(&cleaned).or_else(|| parse_rfc(&cleaned))
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Removes parenthesised comments (nestable); an unclosed comment runs to the end.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                out.push(' ');
            }
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A calendar date and time with a zone offset in minutes east of UTC.
#[derive(Debug, Clone, Copy)]
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    offset_minutes: i64,
}

impl Parts {
    fn timestamp(self) -> Option<i64> {
        let Parts {
            year,
            month,
            day,
            hour,
            minute,
            mut second,
            offset_minutes,
        } = self;
        if !(1900..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || !(0..24).contains(&hour)
            || !(0..60).contains(&minute)
            || !(0..=60).contains(&second)
            || offset_minutes.abs() >= 24 * 60
        {
            return None;
        }
        if second == 60 {
            // A leap second: count it as the last second of the minute.
            second = 59;
        }
        let days = days_from_civil(year, month, day);
        Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ISO 8601 / RFC 3339 and the Go `time.Time` string:
/// `YYYY-MM-DD[T ]HH:MM[:SS[.frac]] [zone] [zone name] [m=+…]`.
fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    // Find "YYYY-MM-DD" at the start (after optional leading words such as a weekday).
    let start = (0..bytes.len()).find(|&i| {
        bytes.get(i..i + 10).is_some_and(|w| {
            w.iter().take(4).all(u8::is_ascii_digit)
                && w.get(4) == Some(&b'-')
                && w.get(5..7)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                && w.get(7) == Some(&b'-')
                && w.get(8..10)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        }) && (i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric))
    })?;
    let rest = text.get(start..)?;
    let year: i64 = rest.get(0..4)?.parse().ok()?;
    let month: i64 = rest.get(5..7)?.parse().ok()?;
    let day: i64 = rest.get(8..10)?.parse().ok()?;
    let rest = rest.get(10..)?;
    let rest = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))?
        .trim_start();
    let (hour, minute, second, rest) = parse_clock(rest)?;
    let rest = rest.trim_start();
    let offset = if rest.is_empty() {
        0
    } else {
        let token = rest
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default();
        match numeric_zone(token) {
            Some(z) => z,
            None if token.eq_ignore_ascii_case("Z") => 0,
            None => named_zone(token).unwrap_or(0),
        }
    };
    Parts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset_minutes: offset,
    }
    .timestamp()
}

/// `H[H]:MM[:SS[.frac]]`, returning the rest of the text (a zone may follow directly).
fn parse_clock(text: &str) -> Option<(i64, i64, i64, &str)> {
    let (hour, rest) = take_digits(text, 1, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (minute, rest) = take_digits(rest, 2, 2)?;
    let (second, rest) = match rest.strip_prefix(':') {
        Some(r) => take_digits(r, 2, 2)?,
        None => (0, rest),
    };
    // Fractional seconds: ignored.
    let rest = match rest.strip_prefix(['.', ',']) {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    Some((hour, minute, second, rest))
}

fn take_digits(text: &str, min: usize, max: usize) -> Option<(i64, &str)> {
    let n = text
        .bytes()
        .take(max + 1)
        .take_while(u8::is_ascii_digit)
        .count();
    if n < min || n > max {
        return None;
    }
    let value = text.get(..n)?.parse().ok()?;
    Some((value, text.get(n..)?))
}

/// `+HHMM`, `-HHMM`, `+HH:MM`, `+HH`.
fn numeric_zone(token: &str) -> Option<i64> {
    let (sign, digits) = match token.as_bytes().first()? {
        b'+' => (1, token.get(1..)?),
        b'-' => (-1, token.get(1..)?),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        4 => (digits.get(0..2)?, digits.get(2..4)?),
        2 => (digits.as_str(), "00"),
        _ => return None,
    };
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// Named zones: those of RFC 5322 plus common abbreviations, in minutes east
/// of UTC. Military single letters are read as UTC, as RFC 5322 4.3 advises
/// (they were often written with the wrong sign).
fn named_zone(token: &str) -> Option<i64> {
    let name = token
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_uppercase();
    let minutes = match name.as_str() {
        "UT" | "UTC" | "GMT" | "Z" | "WET" => 0,
        "EST" => -5 * 60,
        "EDT" => -4 * 60,
        "CST" => -6 * 60,
        "CDT" => -5 * 60,
        "MST" => -7 * 60,
        "MDT" => -6 * 60,
        "PST" => -8 * 60,
        "PDT" => -7 * 60,
        "AKST" => -9 * 60,
        "AKDT" => -8 * 60,
        "HST" => -10 * 60,
        "AST" => -4 * 60,
        "ADT" => -3 * 60,
        "NST" => -(3 * 60 + 30),
        "NDT" => -(2 * 60 + 30),
        "BST" | "WEST" | "CET" | "MET" => 60,
        "CEST" | "MEST" | "MESZ" | "EET" | "SAST" => 2 * 60,
        "EEST" | "MSK" => 3 * 60,
        "IST" => 5 * 60 + 30,
        "HKT" | "SGT" | "AWST" | "PHT" => 8 * 60,
        "JST" | "KST" => 9 * 60,
        "ACST" => 9 * 60 + 30,
        "AEST" => 10 * 60,
        "AEDT" => 11 * 60,
        "NZST" => 12 * 60,
        "NZDT" => 13 * 60,
        s if s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic()) => 0,
        _ => return None,
    };
    Some(minutes)
}

fn month_number(word: &str) -> Option<i64> {
    let lower = word.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    let n = match prefix {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    // "Mar", "March", "Sept" — but not arbitrary words that start like a month.
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let full = FULL.get(usize::try_from(n - 1).ok()?)?;
    (lower.len() == 3 || full.starts_with(lower.as_str()) && lower.len() <= full.len()).then_some(n)
}

fn expand_year(year: i64, digits: usize) -> i64 {
    match digits {
        // RFC 5322 4.3: 00–49 → 20xx, 50–99 → 19xx, three digits → +1900.
        2 if year < 50 => year + 2000,
        2 => year + 1900,
        3 => year + 1900,
        _ => year,
    }
}

/// A run of 1–4 ASCII digits, with its length.
fn number(token: &str) -> Option<(i64, usize)> {
    if token.is_empty() || token.len() > 4 || !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok().map(|v| (v, token.len()))
}

/// RFC 5322 (and obsolete forms) and asctime.
fn parse_rfc(text: &str) -> Option<i64> {
    // Tokens: split on white space and commas; "12-Sep-2006" splits on dashes
    // when it holds a month name.
    let mut tokens: Vec<&str> = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || c == ',') {
        if raw.is_empty() {
            continue;
        }
        let dashed: Vec<&str> = raw.split('-').collect();
        if dashed.len() == 3 && dashed.iter().any(|p| month_number(p).is_some()) {
            tokens.extend(dashed);
        } else {
            tokens.push(raw);
        }
        if tokens.len() > 32 {
            break;
        }
    }
    let m = tokens.iter().position(|t| month_number(t).is_some())?;
    let month = month_number(tokens.get(m)?)?;
    let before = m.checked_sub(1).and_then(|i| tokens.get(i)).copied();
    let after = tokens.get(m + 1..).unwrap_or_default();
    let year_of = |t: Option<&&str>| t.and_then(|t| number(t)).filter(|(_, l)| *l >= 2);

    let (day, (year, year_digits), clock, rest) = match before.and_then(number) {
        // RFC 5322: [weekday,] day month year time [zone]
        Some((d, dl)) if dl <= 2 => (
            d,
            year_of(after.first())?,
            *after.get(1)?,
            after.get(2..).unwrap_or_default(),
        ),
        _ => {
            let (d, dl) = number(after.first()?)?;
            if dl > 2 {
                return None;
            }
            match after.get(1) {
                // asctime: weekday month day time year [zone]
                Some(t) if t.contains(':') => (
                    d,
                    year_of(after.get(2))?,
                    *t,
                    after.get(3..).unwrap_or_default(),
                ),
                // month day year time [zone]
                _ => (
                    d,
                    year_of(after.get(1))?,
                    *after.get(2)?,
                    after.get(3..).unwrap_or_default(),
                ),
            }
        }
    };
    let (hour, minute, second, glued) = parse_clock(clock)?;
    // The zone: glued to the clock ("10:00:00+0000") or the next token. No
    // zone, or an unknown word there, reads as UTC.
    let zone = if glued.is_empty() {
        rest.first().copied()
    } else {
        Some(glued)
    };
    let offset = match zone {
        Some(z) => match numeric_zone(z) {
            Some(o) => o,
            None if z.starts_with(['+', '-']) => return None,
            None => named_zone(z).unwrap_or(0),
        },
        None => 0,
    };
    Parts {
        year: expand_year(year, year_digits),
        month,
        day,
        hour,
        minute,
        second,
        offset_minutes: offset,
    }
    .timestamp()
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    fn ts(text: &str) -> Option<String> {
        parse_date(text).map(crate::message::utc_rfc3339)
    }

    #[test]
    fn rfc5322() {
        assert_eq!(
            ts("Tue, 1 Jul 2025 12:00:00 +0200").as_deref(),
            Some("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            ts("Mon,  8 Mar 2004 23:59:19 +0000 (GMT)").as_deref(),
            Some("2004-03-08T23:59:19Z")
        );
        assert_eq!(
            ts("Thu, 12 Sep 2024 03:15:21 -0700 (PDT)").as_deref(),
            Some("2024-09-12T10:15:21Z")
        );
        // Half-hour zones.
        assert_eq!(
            ts("Thu, 12 Sep 2024 15:45:21 +0530").as_deref(),
            Some("2024-09-12T10:15:21Z")
        );
    }

    #[test]
    fn missing_weekday_and_seconds() {
        assert_eq!(
            ts("14 Nov 2003 08:05:52 -0000").as_deref(),
            Some("2003-11-14T08:05:52Z")
        );
        assert_eq!(
            ts("Tue, 1 Jul 2025 10:00 +0000").as_deref(),
            Some("2025-07-01T10:00:00Z")
        );
    }

    #[test]
    fn two_and_three_digit_years() {
        assert_eq!(
            ts("Wed, 26 Mar 03 20:43:24 -0600").as_deref(),
            Some("2003-03-27T02:43:24Z")
        );
        assert_eq!(
            ts("Thu, 20 Mar 99 10:06:43 +0100").as_deref(),
            Some("1999-03-20T09:06:43Z")
        );
        assert_eq!(
            ts("1 Jan 103 00:00:00 +0000").as_deref(),
            Some("2003-01-01T00:00:00Z")
        );
    }

    #[test]
    fn named_zones() {
        assert_eq!(
            ts("Wed, 12 Feb 2003 14:22:21 PST").as_deref(),
            Some("2003-02-12T22:22:21Z")
        );
        assert_eq!(
            ts("Wed, 17 Mar 2004 02:12:31 GMT").as_deref(),
            Some("2004-03-17T02:12:31Z")
        );
        assert_eq!(
            ts("3 Jul 2002 15:43:50 UT").as_deref(),
            Some("2002-07-03T15:43:50Z")
        );
        assert_eq!(
            ts("Fri, 1 Aug 2003 10:00:00 EDT").as_deref(),
            Some("2003-08-01T14:00:00Z")
        );
        assert_eq!(
            ts("Fri, 1 Aug 2003 10:00:00 CEST").as_deref(),
            Some("2003-08-01T08:00:00Z")
        );
        // Military zones and unknown names are read as UTC (RFC 5322 4.3).
        assert_eq!(
            ts("Fri, 1 Aug 2003 10:00:00 Q").as_deref(),
            Some("2003-08-01T10:00:00Z")
        );
    }

    #[test]
    fn fractional_seconds() {
        assert_eq!(
            ts("Tue, 1 Jul 2025 10:00:00.123456 +0000").as_deref(),
            Some("2025-07-01T10:00:00Z")
        );
        assert_eq!(
            ts("2025-07-01T12:00:00.5+02:00").as_deref(),
            Some("2025-07-01T10:00:00Z")
        );
    }

    #[test]
    fn go_time_string() {
        assert_eq!(
            ts("2025-11-12 19:40:17.385712409 +0000 UTC m=+0.031231481").as_deref(),
            Some("2025-11-12T19:40:17Z")
        );
        assert_eq!(
            ts("2025-11-12 20:40:17.385712409 +0100 CET m=+12345.000000001").as_deref(),
            Some("2025-11-12T19:40:17Z")
        );
        assert_eq!(
            ts("2025-11-12T19:40:17Z").as_deref(),
            Some("2025-11-12T19:40:17Z")
        );
    }

    #[test]
    fn asctime() {
        assert_eq!(
            ts("Sun Nov 13 15:38:52 2005").as_deref(),
            Some("2005-11-13T15:38:52Z")
        );
        assert_eq!(
            ts("Fri Feb 07 10:18:12 2003 -0800").as_deref(),
            Some("2003-02-07T18:18:12Z")
        );
    }

    #[test]
    fn trailing_words_and_comments() {
        assert_eq!(
            ts("Thu, 10 Nov 2005 08:24:21 -0600 id 000000DB.43735815.00001E11").as_deref(),
            Some("2005-11-10T14:24:21Z")
        );
        assert_eq!(
            ts("Sat, 16 Oct 2004 21:30:02 +0000 (UTC) (envelope-from a@b.example)").as_deref(),
            Some("2004-10-16T21:30:02Z")
        );
        assert_eq!(
            ts("  Mon, 22 Mar 2004 12:54:13 -0600 (CST)  ").as_deref(),
            Some("2004-03-22T18:54:13Z")
        );
        assert_eq!(
            ts("12-Sep-2006 21:06:43 -0500").as_deref(),
            Some("2006-09-13T02:06:43Z")
        );
    }

    #[test]
    fn unreadable_dates_give_none() {
        for bad in [
            "",
            "yesterday",
            "Tue, 32 Jul 2025 10:00:00 +0000",
            "Tue, 29 Feb 2025 10:00:00 +0000",
            "Tue, 1 Jul 2025 25:00:00 +0000",
            "Tue, 1 Jul 2025 10:61:00 +0000",
            "Tue, 1 Jul 2025 10:00:00 +9999",
            "Tue, 1 Foo 2025 10:00:00 +0000",
            "Tue, 1 Jul 10:00:00",
            "2025-13-01 10:00:00",
            "(((((",
            "Jul",
            "1 Jul 2025",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        // Leap years.
        assert!(parse_date("Thu, 29 Feb 2024 10:00:00 +0000").is_some());
        // Huge input is bounded and does not panic.
        let long = "9".repeat(100_000);
        assert_eq!(parse_date(&long), None);
        let weird = "é, 1 Jül 2025 10:00:00 +0000 ünïcode".repeat(50);
        let _ = parse_date(&weird);
    }
}
