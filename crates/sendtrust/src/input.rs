//! Input normalisation: turning what people paste into a message mail-parser and
//! mail-auth can read, and telling garbage apart from a message.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an input could not be analysed at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum InputError {
    /// Nothing (or only white space) was given.
    Empty,
    /// The input is not text: too many control or undecodable bytes.
    Binary {
        /// Share of suspicious bytes in the first kilobytes, in percent.
        percent: u32,
    },
    /// The text does not start with a header block (`Name: value` lines).
    NoHeaders {
        /// The first line, shortened, to show the user what was seen.
        first_line: String,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(
                f,
                "Nothing to analyse: paste a whole message, or at least its headers \
                 (in most mail clients: \"Show original\" or \"View source\")."
            ),
            InputError::Binary { percent } => write!(
                f,
                "This does not look like an email: {percent}% of the first bytes are binary. \
                 Save the message as .eml (raw source) and try again."
            ),
            InputError::NoHeaders { first_line } => write!(
                f,
                "This does not start with email headers (lines like \"Received: …\" or \
                 \"From: …\"); the first line is \"{first_line}\". Copy the message's full \
                 source including headers (\"Show original\" / \"View source\")."
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// A message ready for parsing.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The message with CRLF line ends.
    pub bytes: Vec<u8>,
    /// No body follows the header block.
    pub headers_only: bool,
    /// Repairs made, for the report.
    pub repairs: Vec<String>,
}

/// Cleans up pasted or uploaded input, or says why it is not a message.
pub fn normalize(raw: &[u8]) -> Result<Normalized, InputError> {
    let mut repairs = Vec::new();
    let mut data = raw;

    if let Some(rest) = data.strip_prefix(b"\xEF\xBB\xBF") {
        data = rest;
        repairs.push("removed a UTF-8 byte order mark".to_string());
    }
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    check_not_binary(data)?;

    // Leading blank lines (common when copying from a web view).
    let leading = data
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
        .count();
    if leading > 0 {
        // Only strip whole lines: keep a continuation-like indent out of the picture.
        let cut = data[..leading]
            .iter()
            .rposition(|b| *b == b'\n' || *b == b'\r')
            .map_or(0, |p| p + 1);
        if cut > 0 {
            data = &data[cut..];
            repairs.push("removed blank lines before the headers".to_string());
        }
    }

    // mbox "From " separator line.
    if data.starts_with(b"From ") {
        let end = data
            .iter()
            .position(|b| *b == b'\n' || *b == b'\r')
            .unwrap_or(data.len());
        let line = &data[..end];
        // "From " followed by no colon before a space: an mbox line, not a header.
        if !line.starts_with(b"From:") {
            data = &data[end..];
            while let Some(rest) = data
                .strip_prefix(b"\r")
                .or_else(|| data.strip_prefix(b"\n"))
            {
                data = rest;
                if data.first() != Some(&b'\n') {
                    break;
                }
            }
            repairs.push("removed the mbox \"From \" separator line".to_string());
        }
    }

    let (mut bytes, line_end_fix) = to_crlf(data);
    if let Some(fix) = line_end_fix {
        repairs.push(fix);
    }

    let first_line = bytes
        .split(|b| *b == b'\r')
        .next()
        .unwrap_or_default()
        .to_vec();
    if !is_header_line(&first_line) {
        let shown: String = String::from_utf8_lossy(&first_line)
            .chars()
            .take(60)
            .collect();
        return Err(InputError::NoHeaders { first_line: shown });
    }

    repair_lost_indentation(&mut bytes, &mut repairs);

    let headers_only = match find_header_end(&bytes) {
        Some(end) => bytes[end..].iter().all(u8::is_ascii_whitespace),
        None => true,
    };
    if headers_only && find_header_end(&bytes).is_none() {
        // Terminate the header block so parsers see a complete (empty-bodied) message.
        if !bytes.ends_with(b"\r\n") {
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b"\r\n");
    }
    if headers_only {
        repairs.push("headers only: no body was given (body checks are limited)".to_string());
    }

    Ok(Normalized {
        bytes,
        headers_only,
        repairs,
    })
}

fn check_not_binary(data: &[u8]) -> Result<(), InputError> {
    let sample = &data[..data.len().min(8192)];
    let suspicious = sample
        .iter()
        .filter(|b| matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    // Invalid UTF-8 sequences count as suspicious too: text in legacy charsets
    // is fine (8-bit bytes), but random binary is full of both.
    let invalid_utf8 = String::from_utf8_lossy(sample)
        .chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count();
    let score = suspicious + invalid_utf8 / 4;
    let percent = (score * 100 / sample.len().max(1)) as u32;
    if percent >= 10 {
        return Err(InputError::Binary { percent });
    }
    Ok(())
}

/// Converts LF-only or CR-only line ends (and mixtures) to CRLF.
fn to_crlf(data: &[u8]) -> (Vec<u8>, Option<String>) {
    let mut out = Vec::with_capacity(data.len() + data.len() / 40);
    let (mut lf, mut cr, mut crlf) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\r' if data.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                out.extend_from_slice(b"\r\n");
                i += 2;
            }
            b'\r' => {
                cr += 1;
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\n' => {
                lf += 1;
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    let note = match (lf, cr) {
        (0, 0) => None,
        (lf, 0) if crlf == 0 => Some(format!("converted {lf} LF line ends to CRLF")),
        (0, cr) if crlf == 0 => Some(format!("converted {cr} CR line ends to CRLF")),
        (lf, cr) => Some(format!(
            "repaired mixed line ends ({lf} LF, {cr} CR, {crlf} CRLF) to CRLF"
        )),
    };
    (out, note)
}

/// True for `Name: value` (RFC 5322 field name: printable ASCII except colon).
fn is_header_line(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|b| *b == b':') else {
        return false;
    };
    colon > 0
        && line[..colon]
            .iter()
            .all(|b| (33..=126).contains(b) && *b != b':')
}

/// Byte offset just past the blank line ending the header block.
pub(crate) fn find_header_end(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(b"\r\n") {
        return Some(2);
    }
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
}

/// Inside the header block, a line that is neither `Name: value` nor indented
/// is a continuation whose leading white space was lost (web forms and some
/// clients do this). Re-indent it so it stays part of its field.
fn repair_lost_indentation(bytes: &mut Vec<u8>, repairs: &mut Vec<String>) {
    let end = find_header_end(bytes).unwrap_or(bytes.len());
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut fixed = 0usize;
    let mut pos = 0;
    while pos < end {
        let line_end = bytes[pos..end]
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(end, |p| pos + p + 2);
        let line = &bytes[pos..line_end];
        let content = line.strip_suffix(b"\r\n").unwrap_or(line);
        let blank = content.is_empty();
        let indented = matches!(content.first(), Some(b' ' | b'\t'));
        if pos > 0 && !blank && !indented && !is_header_line(content) {
            out.push(b' ');
            fixed += 1;
        }
        out.extend_from_slice(line);
        pos = line_end;
    }
    if fixed > 0 {
        out.extend_from_slice(&bytes[end..]);
        *bytes = out;
        repairs.push(format!(
            "re-indented {fixed} continuation line(s) that had lost their leading space"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert_eq!(normalize(b"").unwrap_err(), InputError::Empty);
        assert_eq!(normalize(b" \n\r\n\t").unwrap_err(), InputError::Empty);
        assert_eq!(normalize(b"\xEF\xBB\xBF\n").unwrap_err(), InputError::Empty);
    }

    #[test]
    fn binary_junk_is_rejected() {
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
        assert!(matches!(normalize(&junk), Err(InputError::Binary { .. })));
    }

    #[test]
    fn prose_is_not_headers() {
        let err = normalize(b"Hello, this is just some text\nwith two lines").unwrap_err();
        match err {
            InputError::NoHeaders { first_line } => assert!(first_line.starts_with("Hello")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn lf_becomes_crlf_and_headers_only_is_flagged() {
        let n = normalize(b"From: a@example.com\nSubject: hi\n").unwrap();
        assert!(n.headers_only);
        assert!(
            n.bytes
                .starts_with(b"From: a@example.com\r\nSubject: hi\r\n\r\n")
        );
        assert!(n.repairs.iter().any(|r| r.contains("LF")));
    }

    #[test]
    fn cr_only_is_repaired() {
        let n = normalize(b"From: a@example.com\rSubject: hi\r\rbody\r").unwrap();
        assert!(!n.headers_only);
        assert_eq!(
            n.bytes,
            b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n"
        );
    }

    #[test]
    fn bom_blank_lines_and_mbox_line_are_removed() {
        let n = normalize(
            b"\xEF\xBB\xBF\n\nFrom MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@example.com\n\nhi\n",
        )
        .unwrap();
        assert!(n.bytes.starts_with(b"From: a@example.com\r\n"));
        assert_eq!(n.repairs.len(), 4, "{:?}", n.repairs);
        assert!(!n.headers_only);
    }

    #[test]
    fn from_header_is_not_an_mbox_line() {
        let n = normalize(b"From: a@example.com\r\n\r\nx").unwrap();
        assert!(n.bytes.starts_with(b"From: a@example.com"));
        assert!(n.repairs.is_empty());
    }

    #[test]
    fn lost_indentation_is_restored() {
        let n = normalize(
            b"Received: from a.example (a.example [192.0.2.1])\nby b.example with ESMTP;\nTue, 1 Jul 2025 10:00:00 +0000\nSubject: x\n\nbody\n",
        )
        .unwrap();
        let text = String::from_utf8(n.bytes).unwrap();
        assert!(text.starts_with(
            "Received: from a.example (a.example [192.0.2.1])\r\n by b.example with ESMTP;\r\n Tue, 1 Jul"
        ), "{text}");
        // The body is untouched.
        assert!(text.ends_with("\r\n\r\nbody\r\n"));
    }
}
