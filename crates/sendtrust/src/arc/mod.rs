//! ARC, exactly as RFC 8617 validates a chain: the result is `none`, `pass`
//! or `fail`, with the reason and the instance where the chain broke; a DNS
//! failure is no result ("could not check").
//!
//! * [`judge`]: pure. Reads the ARC fields strictly (RFC 6376 §3.2 tag lists,
//!   required tags, instances 1..=N with one AAR/AMS/AS each, `cv=`) and
//!   decides from that, the key sizes and the signatures' verification.
//! * [`lookup`]: mail-auth verifies the signatures over the resolver; the
//!   key records are read back for their sizes.
//! * [`verify`]: the signatures of a chain mail-auth refuses to read (an AMS
//!   with an empty `h=`), verified per RFC 6376/8617.
//! * [`explain`]: what broke, in words.
//!
//! Order (RFC 8617 §5.2): no ARC fields → none; a malformed field, a broken
//! structure or a contradicting `cv=` → fail without asking DNS; then the
//! keys and signatures.

pub mod explain;
pub mod judge;
pub mod lookup;
pub mod verify;

use crate::dns::Resolver;
use crate::message::ParsedMessage;
use crate::report::{ArcCv, ArcInstance, ArcReport, ArcResult};
use judge::{Field, Kind, Verdict};
use mail_auth::AuthenticatedMessage;

/// The ARC header fields of a message, in message order (values unfolded).
pub fn fields<'a>(parsed: &'a ParsedMessage<'_>) -> Vec<(Kind, &'a str)> {
    let mut found: Vec<(usize, Kind, &str)> =
        [Kind::AuthResults, Kind::MessageSignature, Kind::Seal]
            .into_iter()
            .flat_map(|kind| {
                parsed
                    .values(kind.name())
                    .map(move |(index, value)| (index, kind, value))
            })
            .collect();
    found.sort_by_key(|(index, _, _)| *index);
    found
        .into_iter()
        .map(|(_, kind, value)| (kind, value))
        .collect()
}

/// Validates the ARC chain of `parsed` (`message` is mail-auth's parse of the
/// same bytes, for the signatures). `None` when the message has no ARC
/// fields (the report's `arc` is then null; the result would be `none`).
pub async fn evaluate(
    parsed: &ParsedMessage<'_>,
    message: Option<&AuthenticatedMessage<'_>>,
    resolver: &Resolver,
) -> Option<ArcReport> {
    let found = fields(parsed);
    if found.is_empty() {
        return None;
    }
    let arc_fields: Vec<Field<'_>> = found
        .iter()
        .map(|(kind, value)| Field { kind: *kind, value })
        .collect();
    let instances = instances(&found);
    let read = judge::chain(&arc_fields);
    let verdict = match (judge::without_dns(&read), read) {
        (Some(verdict), _) => verdict,
        (None, Ok(Some(chain))) => {
            if resolver.is_offline() {
                Verdict::CouldNotCheck("offline: the sealers' keys are in DNS".into())
            } else if let Some(message) = message {
                let crypto = match lookup::verify(resolver, message, &chain).await {
                    lookup::MailAuth::Verified(crypto) => crypto,
                    // mail-auth could not read what the judge read as well
                    // formed: verify it ourselves (see verify.rs).
                    lookup::MailAuth::Unreadable(_) => {
                        verify::verify(resolver, parsed.raw, &chain).await
                    }
                };
                let keys = lookup::key_sizes(resolver, &chain);
                judge::judge(&chain, &keys, &crypto)
            } else {
                Verdict::Fail(judge::Failure {
                    instance: None,
                    broken: explain::Broken::Signature(
                        "the message could not be read for verification".into(),
                    ),
                })
            }
        }
        (None, _) => Verdict::None,
    };
    Some(report(verdict, instances))
}

/// Validates the ARC chain of raw message bytes (CRLF line ends): the same
/// path as an analysis, for callers that hold only bytes.
pub async fn check(raw: &[u8], resolver: &Resolver) -> Option<ArcReport> {
    let parsed = ParsedMessage::parse(raw, false);
    let message = AuthenticatedMessage::parse_with_opts(raw, None, false);
    evaluate(&parsed, message.as_ref(), resolver).await
}

fn report(verdict: Verdict, instances: Vec<ArcInstance>) -> ArcReport {
    let mut report = ArcReport {
        instances,
        ..ArcReport::default()
    };
    match verdict {
        Verdict::None => report.result = Some(ArcResult::None),
        Verdict::Pass => report.result = Some(ArcResult::Pass),
        Verdict::Fail(failure) => {
            report.result = Some(ArcResult::Fail);
            report.reason = Some(explain::reason(failure.instance, &failure.broken));
            report.broken_instance = failure.instance;
        }
        Verdict::CouldNotCheck(why) => report.could_not_check = Some(why),
    }
    report
}

/// The sets as written, for display: one row per ARC-Seal (`i=`, `d=`,
/// `cv=`), with the ARC-Authentication-Results of the same instance.
fn instances(found: &[(Kind, &str)]) -> Vec<ArcInstance> {
    let loose_tag = |value: &str, name: &str| -> Option<String> {
        value
            .split(';')
            .filter_map(|t| t.split_once('='))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().chars().take(200).collect())
    };
    let mut rows: Vec<ArcInstance> = found
        .iter()
        .filter(|(kind, _)| *kind == Kind::Seal)
        .map(|(_, value)| ArcInstance {
            instance: loose_tag(value, "i")
                .and_then(|i| i.parse().ok())
                .unwrap_or(0),
            sealer: loose_tag(value, "d").unwrap_or_default(),
            cv: ArcCv::parse(&loose_tag(value, "cv").unwrap_or_default()),
            auth_results: String::new(),
        })
        .collect();
    for (_, value) in found.iter().filter(|(kind, _)| *kind == Kind::AuthResults) {
        let instance = value
            .trim()
            .strip_prefix("i=")
            .and_then(|v| v.split(';').next())
            .and_then(|v| v.trim().parse::<u32>().ok());
        if let Some(i) = instance
            && let Some(row) = rows.iter_mut().find(|r| r.instance == i)
        {
            row.auth_results = value.chars().take(2000).collect();
        }
    }
    rows.sort_by_key(|r| r.instance);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_cv_is_read_into_a_word_or_kept_as_written() {
        assert_eq!(ArcCv::parse("none"), ArcCv::None);
        assert_eq!(ArcCv::parse(" Pass "), ArcCv::Pass);
        assert_eq!(ArcCv::parse("FAIL"), ArcCv::Fail);
        assert_eq!(ArcCv::parse("passed"), ArcCv::Unreadable("passed".into()));
        assert_eq!(ArcCv::parse(""), ArcCv::Unreadable(String::new()));
        // The JSON keeps the words (and the text when it is no word).
        for text in ["none", "pass", "fail", "passed", ""] {
            let json = serde_json::to_string(&ArcCv::parse(text)).unwrap_or_default();
            assert_eq!(json, format!("\"{text}\""));
            let back: Result<ArcCv, _> = serde_json::from_str(&json);
            assert_eq!(back.ok(), Some(ArcCv::parse(text)));
        }
    }

    #[test]
    fn the_instances_carry_each_seal_cv() {
        let seal =
            |i: u32, cv: &str| format!("i={i}; a=rsa-sha256; cv={cv}; d=list{i}.test; s=s; b=x");
        let one = seal(1, "none");
        let two = seal(2, "Pass");
        let three = seal(3, "bogus");
        let found = [
            (Kind::Seal, one.as_str()),
            (Kind::Seal, two.as_str()),
            (Kind::Seal, three.as_str()),
        ];
        let cvs: Vec<ArcCv> = instances(&found).into_iter().map(|i| i.cv).collect();
        assert_eq!(
            cvs,
            [ArcCv::None, ArcCv::Pass, ArcCv::Unreadable("bogus".into())]
        );
    }
}
