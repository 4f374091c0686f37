//! Rule 5 — DKIM: do the message's signatures verify against keys in DNS?
//!
//! mail-auth verifies every signature (keys come through the shared resolver).
//! Around it, Sendtrust reads the key records (type, size, flags), explains
//! each result precisely, checks alignment with the From domain, and — what
//! mail-auth has no API for — verifies the *header* signature on its own when
//! the body is missing (headers-only paste) or its hash does not match, which
//! tells "body not provided" and "body changed (paste damage?)" apart from a
//! forged or broken signature.

use super::Context;
use super::receiver::recorded_results;
use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata, Resolver};
use crate::message::domain_of;
use crate::report::{Evidence, RuleId, RuleResult, Verdict};
use base64::Engine;
use mail_auth::crypto::Algorithm;
use mail_auth::dkim::{Canonicalization, DkimError, Signature};
use mail_auth::{AuthenticatedMessage, DkimResult, Error, Parameters};
use serde::Serialize;

/// The key record published for one selector.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeyInfo {
    /// `rsa` or `ed25519` (or what `k=` says).
    pub key_type: String,
    /// Key size in bits (RSA modulus; 256 for Ed25519), when readable.
    pub bits: Option<usize>,
    /// `p=` is empty: the key was revoked.
    pub revoked: bool,
    /// `t=y`: the domain is testing DKIM.
    pub testing: bool,
    /// The record text.
    pub record: String,
}

/// The verdict on one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    /// Signing domain (`d=`).
    pub domain: String,
    /// Selector (`s=`).
    pub selector: String,
    /// Algorithm (`a=`).
    pub algorithm: String,
    /// Canonicalization `header/body`.
    pub canonicalization: String,
    /// Signed header fields (`h=`).
    pub signed_headers: Vec<String>,
    /// Signature time (`t=`), Unix seconds, 0 when absent.
    pub timestamp: u64,
    /// Expiry (`x=`), Unix seconds, 0 when absent.
    pub expires: u64,
    /// Body length limit (`l=`), when present.
    pub body_length: Option<u64>,
    /// `pass`, `fail`, `neutral`, `permerror`, `temperror`, or
    /// `header-only-pass` (header signature valid, body not checked).
    pub result: String,
    /// The precise reason, for anything but a pass.
    pub reason: Option<String>,
    /// The header signature was verified on its own (headers-only or body changed).
    pub header_signature_valid: Option<bool>,
    /// The key, when it was fetched.
    pub key: Option<KeyInfo>,
    /// `d=` equals the From domain.
    pub aligned_strict: bool,
    /// `d=` and the From domain share an organizational domain.
    pub aligned_relaxed: bool,
}

/// Signatures verified per message. Each needs a DNS query for its key: a
/// message with thousands of signatures must not make the reader send
/// thousands of queries (RFC 6376 6.1 lets verifiers limit the number).
/// Ordinary mail carries one to three.
pub(crate) const MAX_SIGNATURES: usize = 10;

/// mail-auth reports each signature set aside by [`limit_signatures`] as a
/// neutral output with this error and no signature. Non-strict parsing (ours)
/// never produces this error itself.
const SET_ASIDE: DkimError = DkimError::BodyLengthTag;

/// Keeps the first [`MAX_SIGNATURES`] signatures for verification; returns
/// how many were set aside.
pub(crate) fn limit_signatures(message: &mut AuthenticatedMessage<'_>) -> usize {
    let (mut kept, mut set_aside) = (0, 0);
    message.retain_dkim_signatures(|_| {
        if kept < MAX_SIGNATURES {
            kept += 1;
            Ok(())
        } else {
            set_aside += 1;
            Err(SET_ASIDE)
        }
    });
    set_aside
}

/// Runs the check.
pub async fn check(ctx: &Context<'_>) -> RuleResult {
    let id = RuleId::Dkim;
    let mut result = RuleResult::new(id, Verdict::Unknown, "");
    // Not strict: strict parsing drops `l=` signatures as malformed; they are
    // verified and warned about instead.
    let Some(mut message) = AuthenticatedMessage::parse_with_opts(ctx.parsed.raw, None, false)
    else {
        result.summary = "Could not check DKIM: the message could not be parsed.".into();
        return result;
    };
    let from_domain = ctx
        .parsed
        .from_address()
        .and_then(|a| domain_of(&a))
        .unwrap_or_default();
    let has_malformed = message.has_dkim_errors();
    if message.dkim_signatures().is_empty() && !has_malformed {
        result.verdict = Verdict::Fail;
        result.summary = "No DKIM signature: the message is not signed.".into();
        result.fix = Some(format!(
            "Turn on DKIM signing for {} in your mail server or provider, and publish the \
             public key as a TXT record at <selector>._domainkey.{}.",
            if from_domain.is_empty() {
                "your domain"
            } else {
                &from_domain
            },
            if from_domain.is_empty() {
                "your-domain"
            } else {
                &from_domain
            },
        ));
        return result;
    }
    if ctx.resolver.is_offline() {
        let checks: Vec<SignatureCheck> = message
            .dkim_signatures()
            .iter()
            .map(|h| {
                describe(
                    &h.header,
                    "not-checked",
                    Some("offline".into()),
                    &from_domain,
                )
            })
            .collect();
        for c in &checks {
            result.evidence.push(Evidence::neutral(
                format!("Signature d={} s={}", c.domain, c.selector),
                signature_text(c),
            ));
        }
        result.summary = "Not checked (offline): the signing keys are in DNS.".into();
        result.details = serde_json::json!({ "signatures": checks });
        return result;
    }

    let set_aside = limit_signatures(&mut message);
    let cache = AuthCache::new(ctx.resolver);
    let caches = Caches::new(&cache, Vec::new());
    let authenticator = offline_authenticator();
    let outputs = converge(ctx.resolver, &cache, || {
        authenticator.verify_dkim(Parameters::new(&message).with_cache(&caches))
    })
    .await;

    let mut checks = Vec::new();
    for output in &outputs {
        let Some(signature) = output.signature() else {
            if matches!(output.result(), DkimResult::Neutral(Error::Dkim(SET_ASIDE))) {
                continue;
            }
            // A DKIM-Signature mail-auth could not parse.
            let reason = error_text(output_error(output.result()));
            checks.push(SignatureCheck {
                domain: String::new(),
                selector: String::new(),
                algorithm: String::new(),
                canonicalization: String::new(),
                signed_headers: Vec::new(),
                timestamp: 0,
                expires: 0,
                body_length: None,
                result: "permerror".into(),
                reason: Some(format!("malformed DKIM-Signature: {reason}")),
                header_signature_valid: None,
                key: None,
                aligned_strict: false,
                aligned_relaxed: false,
            });
            continue;
        };
        let (name, reason) = match output.result() {
            DkimResult::Pass => ("pass", None),
            DkimResult::Neutral(e) => ("neutral", Some(error_text(Some(e)))),
            DkimResult::Fail(e) => ("fail", Some(error_text(Some(e)))),
            DkimResult::PermError(e) => ("permerror", Some(error_text(Some(e)))),
            DkimResult::TempError(e) => {
                ("temperror", Some(temp_reason(ctx.resolver, signature, e)))
            }
            DkimResult::None => ("none", None),
        };
        let mut check = describe(signature, name, reason, &from_domain);
        let body_mismatch = matches!(
            output.result(),
            DkimResult::Neutral(Error::Dkim(DkimError::BodyHashMismatch))
        );
        if body_mismatch {
            // mail-auth stops at the body hash without fetching the key; the
            // header check below needs it.
            let _ = ctx.resolver.lookup(&key_name(signature), QType::Txt).await;
        }
        check.key = key_info(ctx.resolver, signature);
        // RFC 8301 3.2: signatures with RSA keys under 1024 bits are not valid.
        if check.result == "pass"
            && let Some(k) = &check.key
            && k.key_type == "rsa"
            && let Some(bits) = k.bits
            && bits < 1024
        {
            check.result = "fail".into();
            check.reason = Some(format!(
                "the RSA key is only {bits} bits: too weak (RFC 8301: keys under 1024 bits are never valid)"
            ));
        }
        if body_mismatch {
            let valid = header_signature_valid(ctx.parsed.raw, signature, ctx.resolver);
            check.header_signature_valid = valid;
            if ctx.parsed.headers_only && valid == Some(true) {
                check.result = "header-only-pass".into();
                check.reason = Some(
                    "header signature valid; body not provided, so the body hash was not checked"
                        .into(),
                );
            } else if valid == Some(true) {
                check.reason = Some(
                    "body hash mismatch: the header signature is valid, so the body changed after \
                     signing"
                        .into(),
                );
            }
        }
        checks.push(check);
    }

    explain(&mut result, &checks, ctx, &from_domain);
    if set_aside > 0 {
        result.evidence.push(Evidence::neutral(
            "Signatures not checked",
            format!(
                "{set_aside} more DKIM-Signature fields were not verified: Sendtrust checks the \
                 first {MAX_SIGNATURES} (each needs a DNS query; ordinary mail has one to three)."
            ),
        ));
    }
    let recorded = recorded_results(ctx.parsed);
    for r in &recorded.dkim {
        let d = r
            .properties
            .iter()
            .find(|(k, _)| k == "header.d" || k == "header.i")
            .map(|(_, v)| v.trim_start_matches('@').to_string())
            .unwrap_or_default();
        let ours = checks
            .iter()
            .find(|c| !d.is_empty() && d.ends_with(&c.domain))
            .map(|c| c.result.clone());
        let text = format!("dkim={} {d} (recorded by {})", r.result, r.authserv);
        match ours {
            Some(o) if o == r.result || (o == "header-only-pass" && r.result == "pass") => {
                result.evidence.push(Evidence::good("The receiver recorded", text))
            }
            Some(o) => result.evidence.push(Evidence::neutral(
                "The receiver recorded",
                format!(
                    "{text} — Sendtrust now finds {o}: {}",
                    if r.result == "pass" {
                        "the key may have been rotated or removed since, or the message was changed after delivery (or by pasting)"
                    } else {
                        "the receiver may have seen a different message or key"
                    }
                ),
            )),
            None => result.evidence.push(Evidence::neutral("The receiver recorded", text)),
        }
    }
    result.details = serde_json::json!({ "signatures": checks });
    result
}

fn output_error(result: &DkimResult) -> Option<&Error> {
    match result {
        DkimResult::Neutral(e)
        | DkimResult::Fail(e)
        | DkimResult::PermError(e)
        | DkimResult::TempError(e) => Some(e),
        _ => None,
    }
}

fn describe(
    s: &Signature,
    result: &str,
    reason: Option<String>,
    from_domain: &str,
) -> SignatureCheck {
    let d = s.d.to_ascii_lowercase();
    SignatureCheck {
        aligned_strict: !from_domain.is_empty()
            && crate::domain::normalize(&d) == crate::domain::normalize(from_domain),
        aligned_relaxed: crate::domain::relaxed_aligned(&d, from_domain),
        domain: d,
        selector: s.s.clone(),
        algorithm: s.a.name().to_string(),
        canonicalization: format!("{}/{}", canon(s.ch), canon(s.cb)),
        signed_headers: s.h.clone(),
        timestamp: s.t,
        expires: s.x,
        body_length: (s.l > 0).then_some(s.l),
        result: result.to_string(),
        reason,
        header_signature_valid: None,
        key: None,
    }
}

fn canon(c: Canonicalization) -> &'static str {
    match c {
        Canonicalization::Relaxed => "relaxed",
        Canonicalization::Simple => "simple",
    }
}

fn error_text(e: Option<&Error>) -> String {
    match e {
        Some(Error::Dkim(DkimError::BodyHashMismatch)) => {
            "body hash mismatch: the body is not the one that was signed".into()
        }
        Some(Error::Dkim(DkimError::SignatureExpired)) => {
            "signature expired (x= is in the past)".into()
        }
        Some(Error::Dkim(DkimError::PublicKeyRevoked)) => {
            "key revoked (the DNS record has an empty p=)".into()
        }
        Some(Error::Dkim(DkimError::UnsupportedAlgorithm)) => "unsupported algorithm".into(),
        Some(Error::Dkim(DkimError::UnsupportedKeyType)) => "unsupported key type".into(),
        Some(Error::Dkim(DkimError::UnsupportedCanonicalization)) => {
            "unsupported canonicalization".into()
        }
        Some(Error::Dkim(DkimError::UnsupportedVersion)) => "unsupported DKIM version".into(),
        Some(Error::Dkim(DkimError::AuidMismatch)) => "the i= identity is not within d=".into(),
        Some(Error::Dkim(DkimError::BodyLengthTag)) => "l= tag not accepted".into(),
        Some(Error::Crypto(_)) => {
            "signature mismatch: the signed headers were changed, or the key does not match".into()
        }
        Some(Error::Dns(mail_auth::DnsError::RecordNotFound(_))) => "key not found in DNS".into(),
        Some(Error::Dns(mail_auth::DnsError::InvalidRecordType)) | Some(Error::Parse) => {
            "the key record is not a valid DKIM key".into()
        }
        Some(Error::Dns(mail_auth::DnsError::Resolver(r))) => format!("DNS lookup failed ({r})"),
        Some(Error::Base64) => "invalid base64 in the signature or key".into(),
        Some(Error::MissingParameters) => "a required tag is missing".into(),
        Some(other) => other.to_string(),
        None => "unknown".into(),
    }
}

fn key_name(s: &Signature) -> String {
    format!("{}._domainkey.{}", s.s, s.d).to_ascii_lowercase()
}

fn temp_reason(resolver: &Resolver, s: &Signature, e: &Error) -> String {
    match resolver.cached(&key_name(s), QType::Txt) {
        Some(Err(f)) => format!("could not fetch the key: {f}"),
        _ => error_text(Some(e)),
    }
}

fn key_record(resolver: &Resolver, s: &Signature) -> Option<String> {
    match resolver.cached(&key_name(s), QType::Txt)? {
        Ok(Answer::Records(records)) => records.iter().find_map(|r| match r {
            Rdata::Txt(t) => Some(String::from_utf8_lossy(t).into_owned()),
            _ => None,
        }),
        _ => None,
    }
}

fn tags(record: &str) -> Vec<(String, String)> {
    record
        .split(';')
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect()
}

fn key_info(resolver: &Resolver, s: &Signature) -> Option<KeyInfo> {
    let record = key_record(resolver, s)?;
    let tags = tags(&record);
    let get = |name: &str| tags.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let key_type = get("k")
        .unwrap_or_else(|| "rsa".into())
        .to_ascii_lowercase();
    let p: String = get("p")
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let testing = get("t").is_some_and(|t| t.split(':').any(|f| f.trim() == "y"));
    let bits = public_key(&key_type, &p).map(|k| k.bits());
    Some(KeyInfo {
        key_type,
        bits,
        revoked: p.is_empty(),
        testing,
        record,
    })
}

enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    fn bits(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        match self {
            PublicKey::Rsa(k) => k.size() * 8,
            PublicKey::Ed25519(_) => 256,
        }
    }
}

fn public_key(key_type: &str, p: &str) -> Option<PublicKey> {
    let der = base64::engine::general_purpose::STANDARD.decode(p).ok()?;
    match key_type {
        "rsa" => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::pkcs8::DecodePublicKey;
            rsa::RsaPublicKey::from_public_key_der(&der)
                .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
                .ok()
                .map(PublicKey::Rsa)
        }
        "ed25519" => {
            let bytes: [u8; 32] = der.as_slice().try_into().ok()?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .ok()
                .map(PublicKey::Ed25519)
        }
        _ => None,
    }
}

const SHA256_PREFIX: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA1_PREFIX: &[u8] = &[
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];

/// Verifies only the header signature of `signature` (RFC 6376 3.7 header
/// hash, which covers `bh=` but not the body). `None` when it cannot be
/// decided (no key, unreadable key, expired).
pub fn header_signature_valid(
    raw: &[u8],
    signature: &Signature,
    resolver: &Resolver,
) -> Option<bool> {
    let record = key_record(resolver, signature)?;
    let tags = tags(&record);
    let key_type = tags
        .iter()
        .find(|(k, _)| k == "k")
        .map_or("rsa".to_string(), |(_, v)| v.to_ascii_lowercase());
    let p: String = tags
        .iter()
        .find(|(k, _)| k == "p")
        .map(|(_, v)| v.chars().filter(|c| !c.is_whitespace()).collect())
        .unwrap_or_default();
    let key = public_key(&key_type, &p)?;
    // mail-auth canonicalises the header hash input of the first signature;
    // keep only this one so it is the first.
    let mut message = AuthenticatedMessage::parse_with_opts(raw, None, false)?;
    message.retain_dkim_signatures(|s| {
        if s.b == signature.b {
            Ok(())
        } else {
            Err(DkimError::UnsupportedVersion)
        }
    });
    let data = message.canonicalized_dkim_headers()?;
    Some(match (key, signature.a) {
        (PublicKey::Rsa(k), Algorithm::RsaSha256) => {
            use sha2::Digest;
            let hash = sha2::Sha256::digest(&data);
            let scheme = rsa::Pkcs1v15Sign {
                hash_len: Some(32),
                prefix: SHA256_PREFIX.into(),
            };
            k.verify(scheme, hash.as_slice(), &signature.b).is_ok()
        }
        (PublicKey::Rsa(k), Algorithm::RsaSha1) => {
            use sha1::Digest;
            let hash = sha1::Sha1::digest(&data);
            let scheme = rsa::Pkcs1v15Sign {
                hash_len: Some(20),
                prefix: SHA1_PREFIX.into(),
            };
            k.verify(scheme, hash.as_slice(), &signature.b).is_ok()
        }
        (PublicKey::Ed25519(k), Algorithm::Ed25519Sha256) => {
            use sha2::Digest;
            let hash = sha2::Sha256::digest(&data);
            let Ok(sig) = ed25519_dalek::Signature::from_slice(&signature.b) else {
                return Some(false);
            };
            k.verify_strict(hash.as_slice(), &sig).is_ok()
        }
        _ => return None,
    })
}

fn signature_text(c: &SignatureCheck) -> String {
    let mut parts = vec![
        format!("a={}", c.algorithm),
        format!("c={}", c.canonicalization),
        format!("h={}", c.signed_headers.join(":")),
    ];
    if c.timestamp > 0 {
        parts.push(format!(
            "t={}",
            crate::message::utc_rfc3339(c.timestamp as i64)
        ));
    }
    if c.expires > 0 {
        parts.push(format!(
            "x={}",
            crate::message::utc_rfc3339(c.expires as i64)
        ));
    }
    if let Some(l) = c.body_length {
        parts.push(format!("l={l}"));
    }
    if let Some(k) = &c.key {
        parts.push(format!(
            "key {} {}{}{}",
            k.key_type,
            k.bits.map_or("?".into(), |b| format!("{b}-bit")),
            if k.revoked { " (revoked)" } else { "" },
            if k.testing { " (testing t=y)" } else { "" }
        ));
    }
    let outcome = match (&c.result[..], &c.reason) {
        (r, Some(reason)) => format!("{r}: {reason}"),
        (r, None) => r.to_string(),
    };
    format!("{outcome} — {}", parts.join("; "))
}

/// Weaknesses of a passing signature: (fails?, text).
fn weaknesses(c: &SignatureCheck) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    if let Some(k) = &c.key
        && k.key_type == "rsa"
        && let Some(bits) = k.bits
    {
        if bits < 1024 {
            out.push((
                true,
                format!(
                    "the RSA key of {}/{} is only {bits} bits (receivers reject keys under 1024)",
                    c.domain, c.selector
                ),
            ));
        } else if bits < 2048 {
            out.push((
                false,
                format!(
                    "the RSA key of {}/{} is {bits} bits; 2048 is the current recommendation",
                    c.domain, c.selector
                ),
            ));
        }
    }
    if c.algorithm == "rsa-sha1" {
        out.push((
            false,
            format!(
                "{} signs with rsa-sha1, which RFC 8301 deprecates",
                c.domain
            ),
        ));
    }
    if c.body_length.is_some() {
        out.push((
            false,
            format!(
                "{} uses l= (body length): content can be appended without breaking the signature",
                c.domain
            ),
        ));
    }
    if c.key.as_ref().is_some_and(|k| k.testing) {
        out.push((
            false,
            format!(
                "the key of {}/{} is in testing mode (t=y)",
                c.domain, c.selector
            ),
        ));
    }
    out
}

fn explain(
    result: &mut RuleResult,
    checks: &[SignatureCheck],
    ctx: &Context<'_>,
    from_domain: &str,
) {
    for c in checks {
        let tone_good = c.result == "pass" || c.result == "header-only-pass";
        let label = format!("Signature d={} s={}", c.domain, c.selector);
        let text = signature_text(c);
        result.evidence.push(if tone_good {
            Evidence::good(label, text)
        } else if c.result == "temperror" {
            Evidence::error(label, text)
        } else {
            Evidence::bad(label, text)
        });
        if let Some(k) = &c.key {
            result.evidence.push(Evidence::neutral(
                format!("Key {}._domainkey.{}", c.selector, c.domain),
                k.record.chars().take(200).collect::<String>(),
            ));
        }
    }
    let passing: Vec<&SignatureCheck> = checks
        .iter()
        .filter(|c| c.result == "pass" || c.result == "header-only-pass")
        .collect();
    let aligned: Vec<&&SignatureCheck> = passing.iter().filter(|c| c.aligned_relaxed).collect();
    if !passing.is_empty() {
        result.evidence.push(Evidence::neutral(
            "Alignment with From",
            passing
                .iter()
                .map(|c| {
                    format!(
                        "d={} vs From {}: {}",
                        c.domain,
                        if from_domain.is_empty() {
                            "(none)"
                        } else {
                            from_domain
                        },
                        if c.aligned_strict {
                            "aligned (strict and relaxed)"
                        } else if c.aligned_relaxed {
                            "aligned (relaxed only)"
                        } else {
                            "not aligned"
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ));
        let best = aligned.first().map(|c| **c).unwrap_or(passing[0]);
        let weak = weaknesses(best);
        let header_only = best.result == "header-only-pass";
        let what = if header_only {
            format!(
                "DKIM header signature by {} is valid (the body was not provided, so its hash was not checked).",
                best.domain
            )
        } else {
            format!("DKIM signature by {} verifies.", best.domain)
        };
        if let Some((_, text)) = weak.iter().find(|(fails, _)| *fails) {
            result.verdict = Verdict::Fail;
            result.summary = format!("{what} But {text}.");
            result.fix = Some(format!(
                "Generate a 2048-bit RSA (or ed25519) key, publish it under a new selector for {}, and switch signing to it.",
                best.domain
            ));
        } else if aligned.is_empty() {
            result.verdict = Verdict::Warn;
            result.summary = format!(
                "{what} But d={} is not aligned with the From domain {}, so it does not help DMARC.",
                best.domain,
                if from_domain.is_empty() {
                    "(none)"
                } else {
                    from_domain
                }
            );
            result.fix = Some(format!(
                "Sign with your own domain (d={}) — most providers let you set up a custom DKIM domain with a CNAME or TXT record.",
                if from_domain.is_empty() {
                    "your From domain"
                } else {
                    from_domain
                }
            ));
        } else if !weak.is_empty() {
            result.verdict = Verdict::Warn;
            result.summary = format!(
                "{what} Worth improving: {}.",
                weak.iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            result.fix = Some(
                "Use rsa-sha256 with a 2048-bit key (or ed25519), drop l=, and leave testing mode when ready."
                    .into(),
            );
        } else {
            result.verdict = Verdict::Pass;
            result.summary = what;
        }
        return;
    }
    // Nothing passed.
    if checks.iter().all(|c| c.result == "temperror") {
        result.verdict = Verdict::Unknown;
        result.summary = format!(
            "Could not check DKIM: {}.",
            checks
                .first()
                .and_then(|c| c.reason.clone())
                .unwrap_or_else(|| "the key lookup failed".into())
        );
        return;
    }
    let first = checks
        .iter()
        .find(|c| c.result != "temperror")
        .or(checks.first());
    let Some(first) = first else {
        result.verdict = Verdict::Fail;
        result.summary = "No usable DKIM signature.".into();
        return;
    };
    let reason = first.reason.clone().unwrap_or_else(|| first.result.clone());
    let repaired = ctx
        .report
        .input
        .repairs
        .iter()
        .any(|r| r.contains("line end") || r.contains("re-indented"));
    // Simple body canonicalization hashes white space and line ends as they
    // are, so repairs a paste needed are a likely cause; relaxed ignores
    // those, so a mismatch there means real change (or re-wrapped lines).
    let simple_body = first.canonicalization.ends_with("/simple");
    let headers_verify = first.header_signature_valid == Some(true);
    result.verdict = Verdict::Fail;
    result.summary = if headers_verify && repaired && simple_body {
        format!(
            "DKIM signature by {} does not verify: {reason}. The headers verify and the signature uses simple body canonicalization, which breaks on the line-end and white-space changes pasting causes: this is likely paste damage — try the original .eml file.",
            first.domain
        )
    } else if headers_verify && repaired {
        format!(
            "DKIM signature by {} does not verify: {reason}. If you pasted the message, make sure it is the raw source (re-wrapped lines change the body); otherwise something modified the body in transit.",
            first.domain
        )
    } else {
        format!(
            "DKIM signature by {} does not verify: {reason}.",
            first.domain
        )
    };
    result.fix = Some(if reason.contains("too weak") {
        format!(
            "Generate a 2048-bit RSA (or ed25519) key, publish it under a new selector for {}, and switch signing to it.",
            first.domain
        )
    } else if reason.contains("key not found") {
        format!(
            "Publish the public key at {}._domainkey.{} (TXT \"v=DKIM1; k=rsa; p=…\"), or fix the selector your server signs with.",
            first.selector, first.domain
        )
    } else if reason.contains("revoked") {
        format!(
            "The key {} was revoked: sign with a current selector and key.",
            first.selector
        )
    } else if reason.contains("expired") {
        "Signatures expire (x=): make sure the signer's clock is right and x= leaves time for delivery (days, not minutes).".into()
    } else if reason.contains("body hash") {
        "Something changed the body after signing: a footer or disclaimer added by a gateway or list, or content rewriting. Sign after such changes, or stop them.".into()
    } else {
        "Check that the signing key matches the published key and that nothing rewrites signed headers after signing.".into()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_and_rsa_keys_parse() {
        // RFC 8463 example key.
        let k = public_key("ed25519", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=").unwrap();
        assert_eq!(k.bits(), 256);
        assert!(public_key("rsa", "not base64!").is_none());
        assert!(public_key("ed25519", "AAAA").is_none());
    }

    #[test]
    fn at_most_max_signatures_are_verified() {
        // A hostile message with many signatures must not cost a DNS query each
        // (web/hostile: dkim-signature-2000 sent 2000 key queries).
        let mut raw = String::new();
        for i in 0..MAX_SIGNATURES + 2 {
            raw.push_str(&format!(
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s{i};\r\n\
                 \th=from; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n"
            ));
        }
        raw.push_str("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n");
        let resolver = crate::dns::Resolver::with_fixtures_as_dns([]);
        let report = futures::executor::block_on(crate::analyze_with(
            raw.as_bytes(),
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let key_queries: std::collections::BTreeSet<&str> = report
            .dns_log
            .iter()
            .filter(|e| e.name.contains("._domainkey."))
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(key_queries.len(), MAX_SIGNATURES, "{key_queries:?}");
        let rule = report
            .rules
            .iter()
            .find(|r| r.id == RuleId::Dkim)
            .unwrap_or_else(|| panic!("no DKIM rule"));
        assert_eq!(
            rule.details["signatures"].as_array().map(Vec::len),
            Some(MAX_SIGNATURES)
        );
        assert!(
            rule.evidence
                .iter()
                .any(|e| e.label == "Signatures not checked" && e.value.starts_with("2 more")),
            "{:?}",
            rule.evidence
        );
    }
}
