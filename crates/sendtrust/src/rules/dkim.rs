//! Rule 5 — DKIM: do the message's signatures verify against keys in DNS?
//!
//! mail-auth verifies every signature (keys come through the shared resolver).
//! Around it, Sendtrust reads the key records (type, size, flags), explains
//! each result precisely, checks alignment with the From domain, and — what
//! mail-auth has no API for — verifies the *header* signature on its own when
//! the body is missing (headers-only paste) or its hash does not match, which
//! tells "body not provided" and "body changed (paste damage?)" apart from a
//! forged or broken signature.
//!
//! Every `DKIM-Signature` field is listed in header order. Each is first read
//! strictly (`TagReading`, RFC 6376 3.2/3.5): one that is not a valid
//! signature is a `permerror` with what is wrong and is never verified (see
//! ARCHITECTURE.md, "DKIM signatures"). Legacy `DomainKey-Signature` fields
//! (RFC 4870) are listed apart and explained as obsolete.

use super::Context;
use super::receiver::{ReceiverVerdict, recorded_results};
use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata, Resolver};
use crate::message::domain_of;
use crate::report::{
    AuthResult, Evidence, RecordedResult, RuleDetails, RuleId, RuleResult, Verdict,
};
use base64::Engine;
use mail_auth::crypto::{Algorithm, CryptoError};
use mail_auth::dkim::{Canonicalization, DkimError, Signature};
use mail_auth::{AuthenticatedMessage, DkimOutput, DkimResult, Error, Parameters};

pub use crate::details::dkim::{
    DkimDetails, DomainKeySignature, KeyInfo, SignatureCheck, SignatureStatus,
};

/// Signatures verified per message. Each needs a DNS query for its key: a
/// message with thousands of signatures must not make the reader send
/// thousands of queries (RFC 6376 6.1 lets verifiers limit the number).
/// Ordinary mail carries one to three.
pub(crate) const MAX_SIGNATURES: usize = 10;

/// mail-auth reports each signature set aside by [`limit_signatures`] as a
/// neutral output with this error and no signature. Non-strict parsing (ours)
/// never produces this error itself.
const SET_ASIDE: DkimError = DkimError::BodyLengthTag;

/// Keeps for verification the first [`MAX_SIGNATURES`] signatures that read
/// as valid ([`TagReading`]); returns how many valid ones were set aside by
/// the cap. Rule 5 verifies these signatures and DMARC reads its results: a
/// signature RFC 6376 calls invalid (duplicate tags, `h=` without From, …)
/// must not pass DMARC through mail-auth's lenient parser either.
pub(crate) fn limit_signatures(message: &mut AuthenticatedMessage<'_>) -> usize {
    let valid: Vec<bool> = message
        .dkim_signatures()
        .iter()
        .map(|h| reads_as_valid(h.value))
        .collect();
    let (mut index, mut kept, mut set_aside) = (0, 0, 0);
    message.retain_dkim_signatures(|_| {
        let is_valid = valid.get(index).copied().unwrap_or(false);
        index += 1;
        if !is_valid {
            Err(SET_ASIDE)
        } else if kept < MAX_SIGNATURES {
            kept += 1;
            Ok(())
        } else {
            set_aside += 1;
            Err(SET_ASIDE)
        }
    });
    set_aside
}

fn reads_as_valid(value: &[u8]) -> bool {
    TagReading::read(&String::from_utf8_lossy(value))
        .problems
        .is_empty()
}

#[cfg(test)]
thread_local! {
    /// Signature verifications on this thread (see [`count_verification`]).
    static VERIFICATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one signature verification, in tests (a no-op otherwise). Called
/// where a verifier reaches the cryptography: `dns::bridge` when it hands
/// mail-auth a usable key (mail-auth verifies the signature right after it
/// reads the key; DKIM and ARC alike) and [`header_signature_valid`].
#[inline]
pub(crate) fn count_verification() {
    #[cfg(test)]
    VERIFICATIONS.with(|count| count.set(count.get() + 1));
}

/// The signature verifications counted on this thread so far (tests only).
#[cfg(test)]
pub(crate) fn verifications() -> usize {
    VERIFICATIONS.with(std::cell::Cell::get)
}

/// Most `DKIM-Signature` fields listed in the report. Listing costs no DNS,
/// but a hostile message can carry thousands; beyond this many they are only
/// counted.
const MAX_LISTED: usize = 50;

/// What happens to one `DKIM-Signature` field.
#[derive(Debug, Clone, PartialEq)]
enum Disposition {
    /// Handed to mail-auth for verification.
    Verify,
    /// Not a valid signature: listed as `permerror` with these reasons.
    Broken(String),
    /// Beyond [`MAX_SIGNATURES`]: listed as `not-checked`.
    SetAside,
}

/// One `DKIM-Signature` field as it stands in the header, before verification.
struct SignatureField {
    /// Byte offset of the field's value in the message (orders the fields).
    offset: usize,
    /// The tags as written, read strictly.
    reading: TagReading,
    /// mail-auth's parse of the field; `None` when it could not parse it.
    parsed: Option<Signature>,
    /// For a field handed to the verifier: its index among the signatures
    /// [`DkimSignatures::message`] keeps.
    verified: Option<usize>,
    disposition: Disposition,
}

/// Every `DKIM-Signature` field of a message, read strictly, and mail-auth's
/// parse of the message keeping only the signatures to verify (the first
/// [`MAX_SIGNATURES`] that read as valid; [`limit_signatures`]). Read once per
/// analysis: rule 5 verifies these signatures, and DMARC and ARC read the
/// same parse (DMARC through rule 5's [`DkimFinding`], never verifying again).
pub struct DkimSignatures<'raw> {
    /// mail-auth's parse, `None` when the message could not be parsed.
    message: Option<AuthenticatedMessage<'raw>>,
    /// Every field in header order, with what happens to it.
    fields: Vec<SignatureField>,
}

impl<'raw> DkimSignatures<'raw> {
    /// Reads the signatures of `raw` (the normalised message).
    pub fn read(raw: &'raw [u8]) -> Self {
        // Not strict: strict parsing drops `l=` signatures as malformed; they
        // are verified and warned about instead.
        let Some(mut message) = AuthenticatedMessage::parse_with_opts(raw, None, false) else {
            return DkimSignatures {
                message: None,
                fields: Vec::new(),
            };
        };
        let mut fields = signature_fields(raw, &message);
        // Only signatures that read as valid are verified, at most
        // MAX_SIGNATURES of them; mail-auth keeps its parsed signatures in
        // header order, so the k-th one kept is the k-th field to verify.
        let mut kept = 0;
        for f in fields.iter_mut() {
            if f.disposition == Disposition::Verify {
                if kept < MAX_SIGNATURES {
                    if f.parsed.is_some() {
                        f.verified = Some(kept);
                        kept += 1;
                    }
                } else {
                    f.disposition = Disposition::SetAside;
                }
            }
        }
        // The same selection as the loop above (first MAX_SIGNATURES valid ones).
        limit_signatures(&mut message);
        DkimSignatures {
            message: Some(message),
            fields,
        }
    }

    /// mail-auth's parse of the message with only the signatures to verify.
    pub fn message(&self) -> Option<&AuthenticatedMessage<'raw>> {
        self.message.as_ref()
    }
}

/// Rule 5's typed finding: its judgement of each listed signature (what the
/// receiver comparison reads) and mail-auth's result for each signature it
/// verified, indexed as in [`DkimSignatures::message`] (what DMARC reads),
/// turned into a fail where the strict reading fails what mail-auth passes.
#[derive(Debug, Clone, Default)]
pub struct DkimFinding {
    /// `(index among the kept signatures, result)`, one per verified signature.
    results: Vec<(usize, DkimResult)>,
    /// Every listed signature as rule 5 judged it, in header order.
    checks: Vec<SignatureCheck>,
}

/// The signature a receiver's recorded DKIM result is about: of those whose
/// domain is the recorded one's or under it, the one whose result agrees
/// with the recorded result, else the first. Several signatures may share the
/// domain (a broken one listed beside a good one). Rule 5's evidence and the
/// receiver comparison both ask this, so both compare with the same signature.
pub(crate) fn signature_for_recorded<'a>(
    checks: &'a [SignatureCheck],
    recorded: &ReceiverVerdict,
) -> Option<&'a SignatureCheck> {
    let domain = recorded.dkim_domain();
    let result = RecordedResult::parse(&recorded.result);
    let same_domain = |c: &&SignatureCheck| crate::domain::within(&domain, &c.domain);
    checks
        .iter()
        .filter(same_domain)
        .find(|c| c.result.agrees_with_recorded(&result))
        .or_else(|| checks.iter().find(same_domain))
}

impl DkimFinding {
    /// Every listed signature as rule 5 judged it, in header order.
    pub fn checks(&self) -> &[SignatureCheck] {
        &self.checks
    }

    /// The results as mail-auth's outputs over `message` (the one
    /// [`DkimSignatures::message`] gives), for its DMARC evaluation.
    pub fn outputs<'m>(&self, message: &'m AuthenticatedMessage<'_>) -> Vec<DkimOutput<'m>> {
        let signatures = message.dkim_signatures();
        self.results
            .iter()
            .filter_map(|(index, result)| {
                let header = &signatures.get(*index)?.header;
                Some(DkimOutput::from(result.clone()).with_signature(header))
            })
            .collect()
    }

    /// How many signatures were verified.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// True when no signature was verified.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

/// Runs the check over the message's signatures (read once per analysis,
/// [`DkimSignatures::read`]). Every signature is verified here and only here;
/// the [`DkimFinding`] carries mail-auth's results to DMARC.
pub async fn check(
    ctx: &Context<'_>,
    signatures: &DkimSignatures<'_>,
) -> (RuleResult, DkimFinding) {
    let id = RuleId::Dkim;
    let mut result = RuleResult::new(id, Verdict::Unknown, "");
    let mut finding = DkimFinding::default();
    let Some(message) = &signatures.message else {
        result.summary = "Could not check DKIM: the message could not be parsed.".into();
        return (result, finding);
    };
    let from_domain = ctx
        .parsed
        .from_address()
        .and_then(|a| domain_of(&a))
        .unwrap_or_default();
    let domainkeys = domainkey_signatures(ctx);
    for dk in &domainkeys {
        result.evidence.push(Evidence::neutral(
            format!("DomainKey-Signature d={} s={}", dk.domain, dk.selector),
            DOMAINKEYS_TEXT,
        ));
    }
    let fields = &signatures.fields;
    if fields.is_empty() {
        result.verdict = Verdict::Fail;
        result.summary = if domainkeys.is_empty() {
            "No DKIM signature: the message is not signed.".into()
        } else {
            "No DKIM signature: the message carries only a legacy DomainKey-Signature \
             (RFC 4870), which receivers ignore."
                .into()
        };
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
        if !domainkeys.is_empty() {
            result.details = details(&[], &domainkeys);
        }
        super::dkim_fix::apply(&mut result, ctx.parsed, ctx.report, &from_domain, &[]);
        return (result, finding);
    }
    let listed = fields.len().min(MAX_LISTED);
    let not_listed = fields.len() - listed;

    if ctx.resolver.is_offline() {
        let checks: Vec<SignatureCheck> = fields
            .iter()
            .take(listed)
            .map(|f| match &f.disposition {
                Disposition::Broken(why) => f
                    .reading
                    .describe(SignatureStatus::Permerror, Some(malformed(why))),
                _ => parsed_check(
                    f,
                    SignatureStatus::NotChecked,
                    "offline".into(),
                    &from_domain,
                ),
            })
            .collect();
        for c in &checks {
            result
                .evidence
                .push(Evidence::neutral(signature_label(c), signature_text(c)));
        }
        result.summary = "Not checked (offline): the signing keys are in DNS.".into();
        result.details = details(&checks, &domainkeys);
        finding.checks = checks;
        return (result, finding);
    }

    let cache = AuthCache::new(ctx.resolver);
    let caches = Caches::new(&cache, Vec::new());
    let authenticator = offline_authenticator();
    let outputs = converge(ctx.resolver, &cache, || {
        authenticator.verify_dkim(Parameters::new(message).with_cache(&caches))
    })
    .await;
    // The output of the k-th signature kept in `message`, if mail-auth gave one.
    let output_of = |k: usize| {
        let header = &message.dkim_signatures().get(k)?.header;
        outputs
            .iter()
            .find(|o| o.signature().is_some_and(|s| std::ptr::eq(s, header)))
    };
    finding.results = (0..message.dkim_signatures().len())
        .filter_map(|k| output_of(k).map(|o| (k, o.result().clone())))
        .collect();

    let mut checks = Vec::new();
    let mut set_aside = 0;
    for (n, f) in fields.iter().enumerate() {
        let listed_here = n < listed;
        let check = match &f.disposition {
            Disposition::Broken(why) => f
                .reading
                .describe(SignatureStatus::Permerror, Some(malformed(why))),
            Disposition::SetAside => {
                set_aside += 1;
                if !listed_here {
                    continue;
                }
                parsed_check(
                    f,
                    SignatureStatus::NotChecked,
                    format!(
                        "not verified: Sendtrust verifies the first {MAX_SIGNATURES} valid signatures"
                    ),
                    &from_domain,
                )
            }
            Disposition::Verify => {
                let found = f.verified.and_then(output_of);
                match found.and_then(|o| o.signature().map(|s| (o, s))) {
                    Some((output, signature)) => {
                        let check = verified_check(ctx, output, signature, &from_domain).await;
                        // DMARC counts what rule 5 counts: a signature mail-auth
                        // passes and the strict reading fails (an RSA key under
                        // 1024 bits, RFC 8301) fails for DMARC too.
                        if check.result == SignatureStatus::Fail
                            && *output.result() == DkimResult::Pass
                            && let Some(k) = f.verified
                            && let Some((_, result)) =
                                finding.results.iter_mut().find(|(i, _)| *i == k)
                        {
                            *result = DkimResult::Fail(Error::Crypto(CryptoError::Library(
                                check.reason.clone().unwrap_or_default(),
                            )));
                        }
                        check
                    }
                    None => f.reading.describe(
                        SignatureStatus::Temperror,
                        Some("the verifier returned no result for this signature".into()),
                    ),
                }
            }
        };
        if listed_here {
            checks.push(check);
        }
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
    if not_listed > 0 {
        result.evidence.push(Evidence::neutral(
            "Signatures not listed",
            format!(
                "{not_listed} more DKIM-Signature fields are not listed: the report lists the \
                 first {MAX_LISTED}."
            ),
        ));
    }
    let recorded = recorded_results(ctx.parsed);
    for r in &recorded.dkim {
        let d = r.dkim_domain();
        let recorded_result = RecordedResult::parse(&r.result);
        let ours = signature_for_recorded(&checks, r).map(|c| c.result);
        let text = format!("dkim={} {d} (recorded by {})", r.result, r.authserv);
        match ours {
            Some(o) if o.agrees_with_recorded(&recorded_result) => {
                result.evidence.push(Evidence::good("The receiver recorded", text))
            }
            Some(o) => result.evidence.push(Evidence::neutral(
                "The receiver recorded",
                format!(
                    "{text} — Sendtrust now finds {o}: {}",
                    if recorded_result.word() == Some(AuthResult::Pass) {
                        "the key may have been rotated or removed since, or the message was changed after delivery (or by pasting)"
                    } else {
                        "the receiver may have seen a different message or key"
                    }
                ),
            )),
            None => result.evidence.push(Evidence::neutral("The receiver recorded", text)),
        }
    }
    result.details = details(&checks, &domainkeys);
    super::dkim_fix::apply(&mut result, ctx.parsed, ctx.report, &from_domain, &checks);
    finding.checks = checks;
    (result, finding)
}

/// A valid field that is not verified (offline, or beyond the cap), described
/// from mail-auth's parse of it.
fn parsed_check(
    field: &SignatureField,
    result: SignatureStatus,
    reason: String,
    from_domain: &str,
) -> SignatureCheck {
    match &field.parsed {
        Some(signature) => describe(signature, result, Some(reason), from_domain),
        None => field.reading.describe(result, Some(reason)),
    }
}

fn details(checks: &[SignatureCheck], domainkeys: &[DomainKeySignature]) -> Option<RuleDetails> {
    Some(RuleDetails::Dkim(DkimDetails {
        signatures: checks.to_vec(),
        domainkeys: domainkeys.to_vec(),
    }))
}

fn malformed(why: &str) -> String {
    format!("malformed DKIM-Signature: {why}")
}

/// Every `DKIM-Signature` field mail-auth saw — parsed or not — in header
/// order, each read strictly. mail-auth keeps the fields it cannot parse in
/// `errors()` and reports only some of them (those with a DKIM-specific
/// error), and accepts fields RFC 6376 calls invalid (duplicate tags, no
/// `v=`, `h=` without From); the strict reading decides which are verified.
fn signature_fields(raw: &[u8], message: &AuthenticatedMessage<'_>) -> Vec<SignatureField> {
    // The values are slices of `raw`: their position gives the header order.
    let offset = |v: &[u8]| (v.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize);
    let mut fields: Vec<SignatureField> = message
        .dkim_signatures()
        .iter()
        .map(|h| {
            let reading = TagReading::read(&String::from_utf8_lossy(h.value));
            let disposition = if reading.problems.is_empty() {
                Disposition::Verify
            } else {
                Disposition::Broken(reading.problems.join("; "))
            };
            SignatureField {
                offset: offset(h.value),
                reading,
                parsed: Some(h.header.clone()),
                verified: None,
                disposition,
            }
        })
        .collect();
    for h in message.errors() {
        if !h.name.eq_ignore_ascii_case(b"DKIM-Signature") {
            continue;
        }
        let reading = TagReading::read(&String::from_utf8_lossy(h.value));
        // Our reading names the problem in most cases; where it finds none,
        // mail-auth's parser found one it did not (bad quoted-printable i=…).
        let why = if reading.problems.is_empty() {
            error_text(Some(&h.header))
        } else {
            reading.problems.join("; ")
        };
        fields.push(SignatureField {
            offset: offset(h.value),
            reading,
            parsed: None,
            verified: None,
            disposition: Disposition::Broken(why),
        });
    }
    fields.sort_by_key(|f| f.offset);
    fields
}

const DOMAINKEYS_TEXT: &str = "a legacy DomainKeys signature (RFC 4870, made historic by DKIM in \
     2007): receivers ignore it and Sendtrust does not verify it. Sign with DKIM (a \
     DKIM-Signature field); the DomainKey-Signature can then be dropped.";

fn domainkey_signatures(ctx: &Context<'_>) -> Vec<DomainKeySignature> {
    ctx.parsed
        .values("DomainKey-Signature")
        .map(|(_, v)| {
            let reading = TagReading::read(v);
            DomainKeySignature {
                domain: reading.get("d").unwrap_or_default().to_ascii_lowercase(),
                selector: reading.get("s").unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// The tags of a `DKIM-Signature` value as written (RFC 6376 3.2), with what
/// makes it invalid under RFC 6376 3.5 and 6.1.1. mail-auth's parser is
/// lenient (it ignores duplicate tags, a missing `v=`, an `h=` without From,
/// an `i=` outside `d=` until after the key lookup), and a diagnostic tool
/// must not pass what a strict receiver rejects.
#[derive(Debug, Clone, Default)]
struct TagReading {
    /// `(name, value)` in order of appearance, first occurrence only; values
    /// with folding white space removed.
    tags: Vec<(String, String)>,
    /// Why the signature is invalid; empty when it reads as valid.
    problems: Vec<String>,
}

impl TagReading {
    fn read(value: &str) -> Self {
        let mut reading = TagReading::default();
        let mut duplicates: Vec<String> = Vec::new();
        for spec in value.split(';') {
            if spec.trim().is_empty() {
                continue;
            }
            let Some((name, val)) = spec.split_once('=') else {
                reading.problems.push(format!(
                    "\"{}\" is not a tag=value pair",
                    shorten(spec.trim())
                ));
                continue;
            };
            let name = name.trim();
            let valid_name = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid_name {
                reading
                    .problems
                    .push(format!("\"{}\" is not a valid tag name", shorten(name)));
                continue;
            }
            let val: String = val.split_whitespace().collect::<Vec<_>>().join(" ");
            if reading.tags.iter().any(|(n, _)| n == name) {
                if !duplicates.iter().any(|d| d == name) {
                    duplicates.push(name.to_string());
                }
                continue;
            }
            reading.tags.push((name.to_string(), val));
        }
        for d in &duplicates {
            reading.problems.push(format!(
                "the tag {d}= appears more than once (RFC 6376 3.2: the whole signature is invalid)"
            ));
        }
        let missing: Vec<String> = ["v", "a", "b", "bh", "d", "h", "s"]
            .iter()
            .filter(|t| reading.get(t).is_none_or(str::is_empty))
            .map(|t| format!("{t}="))
            .collect();
        if !missing.is_empty() {
            reading.problems.push(format!(
                "required tag{} {} {} missing or empty (RFC 6376 3.5)",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", "),
                if missing.len() > 1 { "are" } else { "is" },
            ));
        }
        reading.check_values();
        reading
    }

    fn check_values(&mut self) {
        let mut problems = Vec::new();
        if let Some(v) = self.get("v").filter(|v| !v.is_empty() && *v != "1") {
            problems.push(format!(
                "v={} is not a DKIM version (must be 1)",
                shorten(v)
            ));
        }
        if let Some(a) = self.get("a").filter(|a| !a.is_empty())
            && !matches!(
                a.to_ascii_lowercase().as_str(),
                "rsa-sha256" | "rsa-sha1" | "ed25519-sha256"
            )
        {
            problems.push(format!(
                "a={} is not a DKIM algorithm (rsa-sha256, ed25519-sha256; rsa-sha1 is deprecated)",
                shorten(a)
            ));
        }
        if let Some(c) = self.get("c") {
            let ok = c.split('/').count() <= 2
                && c.split('/').all(|p| {
                    matches!(p.trim().to_ascii_lowercase().as_str(), "simple" | "relaxed")
                });
            if !ok {
                problems.push(format!(
                    "c={} is not a canonicalization (simple or relaxed, header/body)",
                    shorten(c)
                ));
            }
        }
        for tag in ["b", "bh"] {
            if let Some(v) = self.get(tag).filter(|v| !v.is_empty())
                && base64_decode(v).is_none()
            {
                problems.push(format!("{tag}= is not valid base64"));
            }
        }
        for tag in ["t", "x", "l"] {
            if let Some(v) = self.get(tag)
                && (v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 76)
            {
                problems.push(format!("{tag}={} is not a number", shorten(v)));
            }
        }
        if let (Some(Ok(t)), Some(Ok(x))) = (
            self.get("t").map(str::parse::<u64>),
            self.get("x").map(str::parse::<u64>),
        ) && x <= t
        {
            problems.push(format!(
                "x={x} is not later than t={t} (RFC 6376 3.5: the expiry must follow the signing time)"
            ));
        }
        if let Some(h) = self.get("h").filter(|h| !h.is_empty())
            && !h.split(':').any(|f| f.trim().eq_ignore_ascii_case("from"))
        {
            problems.push(
                "h= does not include From (RFC 6376 5.4: the From field must be signed)".into(),
            );
        }
        if let (Some(i), Some(d)) = (self.get("i"), self.get("d").filter(|d| !d.is_empty())) {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            match i.rsplit_once('@') {
                Some((_, domain)) => {
                    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
                    if !crate::domain::within(&domain, &d) {
                        problems.push(format!(
                            "i={} is not within d={d} (RFC 6376 3.5: the identity must be d= or a subdomain of it)",
                            shorten(i)
                        ));
                    }
                }
                None => problems.push(format!("i={} has no @domain", shorten(i))),
            }
        }
        if let Some(q) = self.get("q")
            && !q
                .split(':')
                .any(|m| m.trim().eq_ignore_ascii_case("dns/txt"))
        {
            problems.push(format!(
                "q={} is not a key query method (dns/txt)",
                shorten(q)
            ));
        }
        self.problems.extend(problems);
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A malformed signature as far as its tags can be read.
    fn describe(&self, result: SignatureStatus, reason: Option<String>) -> SignatureCheck {
        let d = self.get("d").unwrap_or_default().to_ascii_lowercase();
        let number = |t: &str| self.get(t).and_then(|v| v.parse::<u64>().ok());
        let c = self.get("c").unwrap_or("simple").to_ascii_lowercase();
        let canonicalization = match c.split_once('/') {
            Some((h, b)) => format!("{}/{}", h.trim(), b.trim()),
            None => format!("{}/simple", c.trim()),
        };
        SignatureCheck {
            // A malformed signature counts for nothing, aligned or not.
            aligned_strict: false,
            aligned_relaxed: false,
            selector: self.get("s").unwrap_or_default().to_string(),
            algorithm: self.get("a").unwrap_or_default().to_ascii_lowercase(),
            canonicalization,
            signed_headers: self
                .get("h")
                .map(|h| {
                    h.split(':')
                        .map(|f| f.trim().to_ascii_lowercase())
                        .filter(|f| !f.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            timestamp: number("t").unwrap_or(0),
            expires: number("x").unwrap_or(0),
            body_length: number("l"),
            result,
            reason,
            header_signature_valid: None,
            key: None,
            domain: d,
        }
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

fn base64_decode(value: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    LENIENT.decode(compact).ok()
}

/// The check of one signature mail-auth verified.
async fn verified_check(
    ctx: &Context<'_>,
    output: &mail_auth::DkimOutput<'_>,
    signature: &Signature,
    from_domain: &str,
) -> SignatureCheck {
    let (name, reason) = match output.result() {
        DkimResult::Pass => (SignatureStatus::Pass, None),
        DkimResult::Neutral(e) => (SignatureStatus::Neutral, Some(error_text(Some(e)))),
        DkimResult::Fail(e) => (SignatureStatus::Fail, Some(error_text(Some(e)))),
        DkimResult::PermError(e) => (SignatureStatus::Permerror, Some(error_text(Some(e)))),
        DkimResult::TempError(e) => (
            SignatureStatus::Temperror,
            Some(temp_reason(ctx.resolver, signature, e)),
        ),
        DkimResult::None => (SignatureStatus::None, None),
    };
    let mut check = describe(signature, name, reason, from_domain);
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
    if check.result == SignatureStatus::Pass
        && let Some(k) = &check.key
        && k.key_type == "rsa"
        && let Some(bits) = k.bits
        && bits < 1024
    {
        check.result = SignatureStatus::Fail;
        check.reason = Some(format!(
            "the RSA key is only {bits} bits: too weak (RFC 8301: keys under 1024 bits are never valid)"
        ));
    }
    if body_mismatch {
        let valid = header_signature_valid(ctx.parsed.raw, signature, ctx.resolver);
        check.header_signature_valid = valid;
        if ctx.parsed.headers_only && valid == Some(true) {
            check.result = SignatureStatus::HeaderOnlyPass;
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
    check
}

fn describe(
    s: &Signature,
    result: SignatureStatus,
    reason: Option<String>,
    from_domain: &str,
) -> SignatureCheck {
    let d = s.d.to_ascii_lowercase();
    SignatureCheck {
        aligned_strict: crate::domain::strict_aligned(&d, from_domain),
        aligned_relaxed: crate::domain::relaxed_aligned(&d, from_domain),
        domain: d,
        selector: s.s.clone(),
        algorithm: s.a.name().to_string(),
        canonicalization: format!("{}/{}", canon(s.ch), canon(s.cb)),
        signed_headers: s.h.clone(),
        timestamp: s.t,
        expires: s.x,
        body_length: (s.l > 0).then_some(s.l),
        result,
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
    count_verification();
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
    let outcome = match (c.result.as_str(), &c.reason) {
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
        let tone_good = c.result.passes();
        let label = signature_label(c);
        let text = signature_text(c);
        result.evidence.push(if tone_good {
            Evidence::good(label, text)
        } else if c.result == SignatureStatus::Temperror {
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
    let passing: Vec<&SignatureCheck> = checks.iter().filter(|c| c.result.passes()).collect();
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
        let header_only = best.result == SignatureStatus::HeaderOnlyPass;
        let what = if header_only {
            format!(
                "DKIM header signature by {} is valid (the body was not provided, so its hash was not checked).",
                best.domain
            )
        } else {
            format!("DKIM signature by {} verifies.", best.domain)
        };
        // Another signature broken by a changed body (a list footer, a
        // gateway's disclaimer) is worth saying even when one passes.
        let changed: Vec<&str> = checks
            .iter()
            .filter(|c| body_changed(c))
            .map(|c| c.domain.as_str())
            .collect();
        let what = if changed.is_empty() {
            what
        } else {
            format!(
                "{what} The signature by {} no longer verifies: the body was changed after it was signed.",
                changed.join(", ")
            )
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
    // Nothing passed. Signatures that could still pass are the verified
    // ones: a malformed signature never can, and one set aside was not tried.
    let verified: Vec<&SignatureCheck> = checks
        .iter()
        .filter(|c| !is_malformed(c) && c.result != SignatureStatus::NotChecked)
        .collect();
    if !verified.is_empty()
        && verified
            .iter()
            .all(|c| c.result == SignatureStatus::Temperror)
    {
        result.verdict = Verdict::Unknown;
        result.summary = format!(
            "Could not check DKIM: {}.",
            verified
                .first()
                .and_then(|c| c.reason.clone())
                .unwrap_or_else(|| "the key lookup failed".into())
        );
        return;
    }
    // The summary speaks of the first signature with a definite result, or
    // else the first malformed one.
    let first = verified
        .iter()
        .copied()
        .find(|c| c.result != SignatureStatus::Temperror)
        .or_else(|| checks.iter().find(|c| is_malformed(c)))
        .or(checks.first());
    let Some(first) = first else {
        result.verdict = Verdict::Fail;
        result.summary = "No usable DKIM signature.".into();
        return;
    };
    let reason = first
        .reason
        .clone()
        .unwrap_or_else(|| first.result.to_string());
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
    } else if body_changed(first) {
        format!(
            "DKIM signature by {} does not verify: the message body was changed after it was signed (its hash no longer matches the one in the signature){}.",
            first.domain,
            if headers_verify {
                "; the signed headers are intact"
            } else {
                ""
            }
        )
    } else if is_malformed(first) {
        format!(
            "DKIM signature{} is not valid: {reason}.",
            if first.domain.is_empty() {
                String::new()
            } else {
                format!(" by {}", first.domain)
            }
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
    } else if is_malformed(first) {
        "Fix the signer's configuration so it writes a valid DKIM-Signature (RFC 6376 3.5: v=1, a=, b=, bh=, d=, h= including From, s=, each tag once), or remove the broken field.".into()
    } else if reason.contains("body hash") {
        "Something changed the body after signing: a footer or disclaimer added by a gateway or list, or content rewriting. Sign after such changes, or stop them.".into()
    } else {
        "Check that the signing key matches the published key and that nothing rewrites signed headers after signing.".into()
    });
}

/// The evidence label of a signature; a broken one may lack `d=` or `s=`.
fn signature_label(c: &SignatureCheck) -> String {
    match (c.domain.is_empty(), c.selector.is_empty()) {
        (false, false) => format!("Signature d={} s={}", c.domain, c.selector),
        (false, true) => format!("Signature d={} (no s=)", c.domain),
        (true, false) => format!("Signature s={} (no d=)", c.selector),
        (true, true) => "Signature (no d=, no s=)".to_string(),
    }
}

/// A field that is not a valid DKIM-Signature (listed, never verified).
fn is_malformed(c: &SignatureCheck) -> bool {
    c.result == SignatureStatus::Permerror
        && c.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("malformed DKIM-Signature"))
}

/// The signature failed on its body hash: the body is not the one signed.
fn body_changed(c: &SignatureCheck) -> bool {
    c.result == SignatureStatus::Neutral
        && c.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("body hash mismatch"))
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The DKIM keys of the bench zone `auth.test` (tests/bench/zones), as
    /// fixtures: `(selector._domainkey.auth.test, TXT)` → the record text.
    fn auth_test_keys() -> Vec<((String, QType), crate::dns::Lookup)> {
        let zone = include_str!("../../../../tests/bench/zones/auth.test.zone");
        let mut keys = Vec::new();
        let mut lines = zone.lines();
        while let Some(line) = lines.next() {
            let Some((selector, rest)) = line.split_once("._domainkey") else {
                continue;
            };
            if selector.starts_with(';') || !rest.contains("TXT") {
                continue;
            }
            // A record is one quoted string, or several in ( … ) over lines.
            let mut text = rest.to_string();
            if text.contains('(') {
                while !text.contains(')') {
                    match lines.next() {
                        Some(more) => text.push_str(more),
                        None => break,
                    }
                }
            }
            let record: String = text.split('"').skip(1).step_by(2).collect();
            keys.push((
                (format!("{selector}._domainkey.auth.test"), QType::Txt),
                Ok(Answer::Records(vec![Rdata::Txt(record.into_bytes())])),
            ));
        }
        keys
    }

    /// The signature verifications (RSA or Ed25519) one analysis of a corpus
    /// message makes, with its keys served as DNS.
    fn verifications_of(file: &str) -> (usize, RuleResult) {
        let path = format!(
            "{}/../../tests/fixtures/dkim/{file}",
            env!("CARGO_MANIFEST_DIR")
        );
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let resolver = crate::dns::Resolver::with_fixtures_as_dns(auth_test_keys());
        let before = verifications();
        let report = futures::executor::block_on(crate::analyze_with(
            &raw,
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let rule = report.rules[4].clone();
        // DMARC ran over the same signatures (it reads rule 5's results).
        assert!(report.beyond.dmarc.is_some(), "{file}: no DMARC evaluation");
        (verifications() - before, rule)
    }

    #[test]
    fn dmarc_does_not_count_a_signature_rule_5_rejects() {
        // rsa512.eml: d=auth.test, From alice@auth.test, signed with a 512-bit
        // key. mail-auth verifies it; RFC 8301 receivers do not, so neither
        // rule 5 nor DMARC may count it as an aligned pass.
        let path = format!(
            "{}/../../tests/fixtures/dkim/rsa512.eml",
            env!("CARGO_MANIFEST_DIR")
        );
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut fixtures = auth_test_keys();
        fixtures.push((
            ("_dmarc.auth.test".into(), QType::Txt),
            Ok(Answer::Records(vec![Rdata::Txt(
                b"v=DMARC1; p=reject".to_vec(),
            )])),
        ));
        // SPF fails, so only DKIM could make DMARC pass.
        fixtures.push((
            ("auth.test".into(), QType::Txt),
            Ok(Answer::Records(vec![Rdata::Txt(b"v=spf1 -all".to_vec())])),
        ));
        fixtures.push((("_dmarc.test".into(), QType::Txt), Ok(Answer::NxDomain)));
        let resolver = crate::dns::Resolver::with_fixtures_as_dns(fixtures);
        let report = futures::executor::block_on(crate::analyze_with(
            &raw,
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .expect("a report");
        let rule = report.rules[4].dkim_details().expect("signatures");
        assert_eq!(rule.signatures[0].result, SignatureStatus::Fail);
        let dmarc = report.beyond.dmarc.expect("DMARC evaluated");
        assert!(!dmarc.dkim_aligned, "{dmarc:#?}");
        assert_ne!(dmarc.result, crate::report::DmarcStatus::Pass, "{dmarc:#?}");
    }

    #[test]
    fn every_signature_is_verified_exactly_once_per_analysis() {
        assert!(auth_test_keys().len() >= 5, "{:?}", auth_test_keys());
        // (message, signatures, rule 5's per-signature results)
        let cases: [(&str, usize, &[&str]); 5] = [
            ("rsa2048-relaxed.eml", 1, &["pass"]),
            ("ed25519.eml", 1, &["pass"]),
            ("two-signatures.eml", 2, &["fail", "pass"]),
            // Body hash mismatch: mail-auth stops before the key; our header
            // check verifies the signature once.
            ("tampered-body.eml", 1, &["neutral"]),
            ("headers-only.eml", 1, &["header-only-pass"]),
        ];
        for (file, signatures, results) in cases {
            let (count, rule) = verifications_of(file);
            let found: Vec<&str> = rule
                .dkim_details()
                .map(|d| d.signatures.iter().map(|s| s.result.as_str()).collect())
                .unwrap_or_default();
            assert_eq!(found, results, "{file}: {rule:#?}");
            assert_eq!(
                count, signatures,
                "{file}: signature verifications per analysis"
            );
        }
    }

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
        // Every field is listed; the two beyond the cap as not checked.
        let sigs = serde_json::to_value(&rule.details).unwrap_or_default()["signatures"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(sigs.len(), MAX_SIGNATURES + 2);
        assert!(
            sigs[MAX_SIGNATURES..]
                .iter()
                .all(|s| s["result"] == "not-checked"),
            "{sigs:#?}"
        );
        assert!(
            sigs[..MAX_SIGNATURES]
                .iter()
                .all(|s| s["result"] != "not-checked"),
            "{sigs:#?}"
        );
        // Described from mail-auth's parse, alignment included.
        assert_eq!(
            sigs[MAX_SIGNATURES]["selector"],
            format!("s{MAX_SIGNATURES}")
        );
        assert_eq!(sigs[MAX_SIGNATURES]["aligned_strict"], true, "{sigs:#?}");
        assert!(
            rule.evidence
                .iter()
                .any(|e| e.label == "Signatures not checked" && e.value.starts_with("2 more")),
            "{:?}",
            rule.evidence
        );
    }

    const VALID: &str = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA";

    fn problems(value: &str) -> String {
        TagReading::read(value).problems.join(" | ")
    }

    #[test]
    fn a_valid_signature_reads_clean() {
        assert_eq!(problems(VALID), "");
        // Folding, a trailing semicolon, i= under a subdomain, q=dns/txt.
        assert_eq!(
            problems(&format!(
                "{VALID}; i=news@mail.example.com; q=dns/txt; t=1; x=2; l=10;"
            )),
            ""
        );
        let r = TagReading::read(VALID);
        assert_eq!(
            r.get("bh"),
            Some("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        );
        assert_eq!(r.get("h"), Some("from:to:subject"));
    }

    #[test]
    fn invalid_signatures_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            (
                "a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA",
                "required tag v= is missing",
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; h=from; b=AAAA",
                "required tags bh=, s= are missing",
            ),
            (
                "v=1; a=rsa-sha256; d=example.com; s=; h=from; bh=AAAA; b=AAAA",
                "s= is missing or empty",
            ),
            (
                &format!("{VALID}; d=evil.example"),
                "d= appears more than once",
            ),
            (&format!("{VALID}; s=other"), "s= appears more than once"),
            (
                &VALID.replace("rsa-sha256", "rsa-sha512"),
                "a=rsa-sha512 is not a DKIM algorithm",
            ),
            (&VALID.replace("v=1", "v=2"), "v=2 is not a DKIM version"),
            (
                &VALID.replace("relaxed/relaxed", "relaxed/loose"),
                "c=relaxed/loose is not a canonicalization",
            ),
            (&VALID.replace("b=AAAA", "b=AA!A"), "b= is not valid base64"),
            (
                &VALID.replace("bh=47DEQ", "bh=47D*Q"),
                "bh= is not valid base64",
            ),
            (
                &VALID.replace("from:to", "sender:to"),
                "h= does not include From",
            ),
            (
                &format!("{VALID}; i=@example.com.evil.test"),
                "i=@example.com.evil.test is not within d=example.com",
            ),
            (
                &format!("{VALID}; i=@notexample.com"),
                "is not within d=example.com",
            ),
            (&format!("{VALID}; i=nobody"), "i=nobody has no @domain"),
            (
                &format!("{VALID}; t=yesterday"),
                "t=yesterday is not a number",
            ),
            (&format!("{VALID}; l=-5"), "l=-5 is not a number"),
            (
                &format!("{VALID}; t=1700000000; x=1700000000"),
                "x=1700000000 is not later than t=1700000000",
            ),
            (
                &format!("{VALID}; q=http"),
                "q=http is not a key query method",
            ),
            (
                &format!("{VALID}; garbage"),
                "\"garbage\" is not a tag=value pair",
            ),
            (&format!("{VALID}; 9x=1"), "\"9x\" is not a valid tag name"),
        ];
        for (value, want) in cases {
            let got = problems(value);
            assert!(got.contains(want), "{value}\n  want: {want}\n  got:  {got}");
        }
    }

    fn dkim_rule(raw: &str) -> RuleResult {
        let resolver = crate::dns::Resolver::with_fixtures_as_dns([]);
        let report = futures::executor::block_on(crate::analyze_with(
            raw.as_bytes(),
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        report
            .rules
            .into_iter()
            .find(|r| r.id == RuleId::Dkim)
            .unwrap_or_else(|| panic!("no DKIM rule"))
    }

    #[test]
    fn every_signature_field_is_listed_in_header_order() {
        // Broken (mail-auth cannot parse: no bh=), valid syntax, broken (mail-auth
        // parses it: duplicate d=), broken (mail-auth: bad base64).
        let raw = format!(
            "DKIM-Signature: v=1; a=rsa-sha256; d=first.example; s=s1; h=from; b=AAAA\r\n\
             DKIM-Signature: {VALID}\r\n\
             DKIM-Signature: {}\r\n\
             DKIM-Signature: {}\r\n\
             From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n",
            VALID.replace("d=example.com", "d=third.example; d=example.com"),
            VALID
                .replace("d=example.com", "d=fourth.example")
                .replace("b=AAAA", "b=A*A"),
        );
        let rule = dkim_rule(&raw);
        let sigs = serde_json::to_value(&rule.details).unwrap_or_default()["signatures"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let row = |s: &serde_json::Value| {
            format!(
                "{} {} {}",
                s["domain"].as_str().unwrap_or_default(),
                s["result"].as_str().unwrap_or_default(),
                s["reason"].as_str().unwrap_or_default()
            )
        };
        let rows: Vec<String> = sigs.iter().map(row).collect();
        assert_eq!(rows.len(), 4, "{rows:#?}");
        assert!(
            rows[0]
                .starts_with("first.example permerror malformed DKIM-Signature: required tag bh="),
            "{rows:#?}"
        );
        assert!(
            rows[1].starts_with("example.com neutral body hash mismatch"),
            "{rows:#?}"
        );
        assert!(rows[2].starts_with("third.example permerror malformed DKIM-Signature: the tag d= appears more than once"), "{rows:#?}");
        assert!(
            rows[3].starts_with(
                "fourth.example permerror malformed DKIM-Signature: b= is not valid base64"
            ),
            "{rows:#?}"
        );
        // Each broken signature has its own evidence line, in the same order.
        let labels: Vec<&str> = rule
            .evidence
            .iter()
            .filter(|e| e.label.starts_with("Signature "))
            .map(|e| e.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "Signature d=first.example s=s1",
                "Signature d=example.com s=sel",
                "Signature d=third.example s=sel",
                "Signature d=fourth.example s=sel"
            ]
        );
    }

    #[test]
    fn offline_lists_broken_signatures_as_permerror_and_valid_ones_as_not_checked() {
        let raw = format!(
            "DKIM-Signature: {}\r\nDKIM-Signature: {VALID}\r\n\
             From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n",
            VALID.replace("from:to", "to")
        );
        let resolver = crate::dns::Resolver::with_fixtures([]);
        assert!(resolver.is_offline());
        let report = futures::executor::block_on(crate::analyze_with(
            raw.as_bytes(),
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let rule = report
            .rules
            .iter()
            .find(|r| r.id == RuleId::Dkim)
            .unwrap_or_else(|| panic!("no DKIM rule"));
        let sigs = serde_json::to_value(&rule.details).unwrap_or_default()["signatures"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(sigs.len(), 2, "{sigs:#?}");
        assert_eq!(sigs[0]["result"], "permerror");
        assert!(
            sigs[0]["reason"]
                .as_str()
                .is_some_and(|r| r.contains("h= does not include From")),
            "{sigs:#?}"
        );
        assert_eq!(sigs[0]["aligned_relaxed"], false);
        assert_eq!(sigs[1]["result"], "not-checked");
        assert_eq!(sigs[1]["aligned_strict"], true);
    }

    #[test]
    fn a_signature_without_d_is_labelled_and_summarised_plainly() {
        let raw = "DKIM-Signature: v=1; a=rsa-sha256; s=sel; h=from; bh=AAAA; b=AAAA\r\n\
                   From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
        let rule = dkim_rule(raw);
        assert!(
            rule.evidence
                .iter()
                .any(|e| e.label == "Signature s=sel (no d=)" && e.tone == crate::report::Tone::Bad),
            "{:?}",
            rule.evidence
        );
        assert_eq!(rule.verdict, Verdict::Fail);
        assert!(
            rule.summary.starts_with(
                "DKIM signature is not valid: malformed DKIM-Signature: required tag d= is missing"
            ),
            "{}",
            rule.summary
        );
    }

    #[test]
    fn a_broken_signature_is_never_verified_and_fails_the_rule() {
        // Duplicate tags: mail-auth would verify the last d=; RFC 6376 3.2
        // makes the whole signature invalid, so no key is asked for.
        let raw = format!(
            "DKIM-Signature: {}\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody\r\n",
            VALID.replace("s=sel", "s=sel; s=other")
        );
        let resolver = crate::dns::Resolver::with_fixtures_as_dns([]);
        let report = futures::executor::block_on(crate::analyze_with(
            raw.as_bytes(),
            &crate::Options::default(),
            &resolver,
            &crate::NoObserver,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !report
                .dns_log
                .iter()
                .any(|e| e.name.contains("._domainkey.")),
            "{:?}",
            report.dns_log
        );
        let rule = dkim_rule(&raw);
        assert_eq!(rule.verdict, Verdict::Fail, "{}", rule.summary);
        assert!(
            rule.summary.contains(
                "is not valid: malformed DKIM-Signature: the tag s= appears more than once"
            ),
            "{}",
            rule.summary
        );
    }

    #[test]
    fn domainkey_signature_is_explained_as_obsolete() {
        let raw = "DomainKey-Signature: a=rsa-sha1; q=dns; c=nofws; s=old; d=example.com;\r\n\
                   \tb=AAAA\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
        let rule = dkim_rule(raw);
        assert_eq!(rule.verdict, Verdict::Fail);
        assert!(
            rule.summary.contains("only a legacy DomainKey-Signature"),
            "{}",
            rule.summary
        );
        assert_eq!(
            serde_json::to_value(&rule.details).unwrap_or_default()["domainkeys"][0]["domain"],
            "example.com"
        );
        assert_eq!(
            serde_json::to_value(&rule.details).unwrap_or_default()["domainkeys"][0]["selector"],
            "old"
        );
        let line = rule
            .evidence
            .iter()
            .find(|e| e.label == "DomainKey-Signature d=example.com s=old")
            .unwrap_or_else(|| panic!("{:?}", rule.evidence));
        assert!(line.value.contains("RFC 4870") && line.value.contains("receivers ignore it"));
        // Beside a DKIM signature it is still explained, and DKIM is checked.
        let raw = format!("DKIM-Signature: {VALID}\r\n{raw}");
        let rule = dkim_rule(&raw);
        assert_eq!(
            serde_json::to_value(&rule.details).unwrap_or_default()["signatures"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert!(
            rule.evidence
                .iter()
                .any(|e| e.label.starts_with("DomainKey-Signature"))
        );
    }
}
