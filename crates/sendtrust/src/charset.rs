//! Header text in the charsets mail-parser decodes only with encoding_rs.
//!
//! mail-parser converts the multi-byte charsets (Shift_JIS, EUC-JP,
//! ISO-2022-JP, EUC-KR, Big5, GBK, GB18030) and a few legacy ones only with
//! its `full_encoding` feature, which links encoding_rs's tables (about
//! 100 KB brotli). The engine wasm leaves that feature off
//! (ARCHITECTURE.md, "The engine wasm's size", Charsets): there mail-parser would
//! read such text as UTF-8 and show it garbled. The browser already carries
//! these decoders (`TextDecoder`, the same WHATWG Encoding Standard that
//! encoding_rs implements), so for the header fields the report shows, the
//! encoded words in those charsets are decoded here and handed back to
//! mail-parser as UTF-8 encoded words: mail-parser still does all of RFC
//! 2047's and RFC 5322's structure (joining, phrases, comments, addresses).
//!
//! One function, two back ends: [`decode`] uses encoding_rs natively (the
//! CLI, the tests) and `TextDecoder` in the wasm; everything else here runs
//! the same on both, so the native tests cover it.

use base64::Engine as _;
use encodify::rfc2047::EncodedWord;
use mail_parser::Charset;

/// The WHATWG name of a charset mail-parser decodes only with encoding_rs,
/// as `TextDecoder` and encoding_rs both accept it; `None` for the charsets
/// mail-parser decodes itself in every build.
fn whatwg_name(charset: Charset) -> Option<&'static str> {
    Some(match charset {
        Charset::ShiftJis => "shift_jis",
        Charset::Big5 => "big5",
        Charset::EucJp => "euc-jp",
        Charset::EucKr => "euc-kr",
        Charset::Gb18030 => "gb18030",
        Charset::Gbk => "gbk",
        Charset::Iso2022Jp => "iso-2022-jp",
        Charset::Ibm866 => "ibm866",
        Charset::XMacCyrillic => "x-mac-cyrillic",
        Charset::XUserDefined => "x-user-defined",
        Charset::Replacement => "replacement",
        _ => return None,
    })
}

/// The charset of an encoded word's label, when it is one that needs
/// encoding_rs (or the browser) to decode.
fn needing_decoder(label: &[u8]) -> Option<Charset> {
    Charset::from_label(label).filter(|&charset| whatwg_name(charset).is_some())
}

/// Decodes `bytes` written in `charset` as mail-parser with encoding_rs does
/// (`Encoding::decode`): a UTF-8 or UTF-16 byte order mark overrides the
/// charset, and sequences that are not valid become U+FFFD. Charsets that
/// mail-parser decodes itself are decoded by mail-parser.
pub fn decode(charset: Charset, bytes: &[u8]) -> String {
    let Some(name) = whatwg_name(charset) else {
        return charset.decode(bytes).into_owned();
    };
    // encoding_rs's BOM sniffing, done here so that both back ends see it.
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Charset::Utf16Le.decode(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Charset::Utf16Be.decode(rest).into_owned();
    }
    match name {
        // The WHATWG "replacement" decoder: one U+FFFD for any input
        // (TextDecoder refuses the label, so neither back end is asked).
        "replacement" if bytes.is_empty() => String::new(),
        "replacement" => char::REPLACEMENT_CHARACTER.to_string(),
        name => backend::decode_without_bom(name, bytes),
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    /// encoding_rs, as mail-parser's `full_encoding` uses it, without its BOM
    /// sniffing (done by the caller).
    pub(super) fn decode_without_bom(name: &str, bytes: &[u8]) -> String {
        match encoding_rs::Encoding::for_label(name.as_bytes()) {
            Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
            // Every name `whatwg_name` gives is a WHATWG label.
            None => String::from_utf8_lossy(bytes).into_owned(),
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod backend {
    /// The browser's `TextDecoder` (non-fatal: invalid sequences become
    /// U+FFFD, as in encoding_rs). For these charsets it does no BOM handling.
    /// A browser without the decoder (none current) gets the text read as
    /// UTF-8, which is what mail-parser itself would show.
    pub(super) fn decode_without_bom(name: &str, bytes: &[u8]) -> String {
        web_sys::TextDecoder::new_with_label(name)
            .and_then(|decoder| decoder.decode_with_u8_array(bytes))
            .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
    }
}

/// Longest UTF-8 text put in one rewritten encoded word: its base64 stays
/// well under the 998 bytes an encoded word may span for mail-parser.
const WORD_TEXT_MAX: usize = 600;

/// A header field body with every run of encoded words in a charset that
/// needs encoding_rs decoded by [`decode`] and written back as UTF-8
/// encoded words holding the same text; `None` when there is no such word.
///
/// A run is what mail-parser joins before converting: encoded words in the
/// same charset separated by folding white space only (a character split
/// across two words by a sloppy encoder still decodes). The white space
/// between them is dropped, as RFC 2047 §6.2 drops it anyway. Everything
/// else — plain text, other encoded words, comments, quotes — is kept byte
/// for byte, so mail-parser reads the result as it read the original.
pub fn with_utf8_words(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = find_word_start(body, at) {
        let Some((word, len)) = body.get(found..).and_then(EncodedWord::parse) else {
            at = found + 2;
            continue;
        };
        let mut bytes = Vec::new();
        let charset = needing_decoder(word.charset);
        let (Some(charset), Ok(_)) = (charset, word.decode_append(&mut bytes)) else {
            at = found + len;
            continue;
        };
        let mut end = found + len;
        loop {
            let next = end + fws_len(body.get(end..).unwrap_or_default());
            match body.get(next..).and_then(EncodedWord::parse) {
                Some((more, more_len))
                    if more.charset.eq_ignore_ascii_case(word.charset)
                        && more.decode_append(&mut bytes).is_ok() =>
                {
                    end = next + more_len;
                }
                _ => break,
            }
        }
        out.extend_from_slice(body.get(copied..found).unwrap_or_default());
        push_utf8_words(&decode(charset, &bytes), &mut out);
        copied = end;
        at = end;
    }
    if copied == 0 {
        return None;
    }
    out.extend_from_slice(body.get(copied..).unwrap_or_default());
    Some(out)
}

fn find_word_start(body: &[u8], from: usize) -> Option<usize> {
    body.get(from..)?
        .windows(2)
        .position(|pair| pair == b"=?")
        .map(|offset| from + offset)
}

fn fws_len(rest: &[u8]) -> usize {
    rest.iter()
        .take_while(|&&byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'))
        .count()
}

/// Writes `text` as base64 UTF-8 encoded words, split at character
/// boundaries and separated by one space (dropped again when decoded).
fn push_utf8_words(text: &str, out: &mut Vec<u8>) {
    let mut rest = text;
    let mut first = true;
    loop {
        let mut cut = rest.len().min(WORD_TEXT_MAX);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        if !first {
            out.push(b' ');
        }
        first = false;
        out.extend_from_slice(b"=?utf-8?b?");
        out.extend_from_slice(
            base64::engine::general_purpose::STANDARD
                .encode(chunk)
                .as_bytes(),
        );
        out.extend_from_slice(b"?=");
        if tail.is_empty() {
            return;
        }
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_matches_mail_parsers_own_decoding_natively() {
        // Natively mail-parser has `full_encoding`: our function must give
        // exactly its text, byte order marks and invalid bytes included.
        let samples: &[&[u8]] = &[
            b"",
            b"plain",
            b"\x83n\x83\x8D\x81[",
            b"\x83",
            b"\xa7A\xa6n\xa1A\xa5@\xac\xc9",
            b"\x1b$B%O%m!<\x1b(B",
            b"\x1b$B%O",
            b"\xbe\xc8\xb3\xe7 \xff\xfe",
            b"\xef\xbb\xbfcaf\xc3\xa9",
            b"\xff\xfe\xe1\x00\xe9",
            b"\xfe\xff\x00\xe1\x00",
            b"\x80\x81\xfe\xff",
            b"\x8f\xf0\xe8",
        ];
        let labels = [
            "shift_jis",
            "big5",
            "euc-jp",
            "euc-kr",
            "gb18030",
            "gbk",
            "iso-2022-jp",
            "ibm866",
            "x-mac-cyrillic",
            "x-user-defined",
            "iso-2022-kr",
            "iso-8859-2",
            "utf-8",
        ];
        for label in labels {
            let charset = Charset::from_label(label.as_bytes()).unwrap_or_default();
            for bytes in samples {
                assert_eq!(
                    decode(charset, bytes),
                    charset.decode(bytes),
                    "{label} {bytes:?}"
                );
            }
        }
    }

    fn rewritten(body: &str) -> Option<String> {
        with_utf8_words(body.as_bytes()).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    #[test]
    fn only_words_in_charsets_needing_a_decoder_are_rewritten() {
        assert_eq!(
            rewritten(" =?utf-8?q?caf=C3=A9?= and =?iso-8859-1?q?caf=E9?="),
            None
        );
        assert_eq!(rewritten(" plain =?broken"), None);
        // ISO-2022-JP "ハロー" in a word; text around it is kept byte for byte.
        assert_eq!(
            rewritten(" Re: =?iso-2022-jp?b?GyRCJU8lbSE8GyhC?= (x)\r\n"),
            Some(" Re: =?utf-8?b?44OP44Ot44O8?= (x)\r\n".to_string())
        );
    }

    #[test]
    fn a_run_of_same_charset_words_is_joined_before_decoding() {
        // Shift_JIS "ハロ" split inside its second character over two words,
        // folded: decoded alone, each half would be invalid.
        let body = " =?shift_jis?q?=83n=83?=\r\n =?SHIFT_JIS?q?=8D?= =?euc-kr?q?=BE=C8?=";
        assert_eq!(
            rewritten(body),
            Some(" =?utf-8?b?44OP44Ot?= =?utf-8?b?7JWI?=".to_string())
        );
    }

    #[test]
    fn long_text_is_split_into_words_mail_parser_accepts() {
        let mut body = String::from(" ");
        for _ in 0..400 {
            body.push_str("=?euc-kr?q?=BE=C8?= ");
        }
        let out = rewritten(&body).unwrap_or_default();
        let words: Vec<&str> = out.split_whitespace().collect();
        assert!(words.len() > 1, "{out}");
        assert!(words.iter().all(|w| w.len() < 998), "{out}");
        let raw = format!("Subject:{out}\r\n\r\n");
        let parsed = mail_parser::MessageParser::default().parse_headers(raw.as_bytes());
        let subject = parsed
            .as_ref()
            .and_then(|m| m.subject())
            .unwrap_or_default();
        assert_eq!(subject, "안".repeat(400));
    }
}
