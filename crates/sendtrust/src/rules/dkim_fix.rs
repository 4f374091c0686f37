//! Rule 5's exact fix: for each DKIM problem the rule found, the next step
//! ([`FixStep`]); where a new or re-published key is needed, the selector
//! record (its shape, with the public key as the fact Sendtrust cannot have)
//! and the key-generation commands; and, only when the message shows which
//! software signs, that software's settings (OpenDKIM's KeyTable and
//! SigningTable, Microsoft 365's selector1/selector2 CNAMEs, the Google
//! Workspace admin path).
//!
//! Pure: [`dkim_fix`] reads the rule's [`SignatureCheck`]s and the
//! [`SignerEvidence`] (header fields and the Received chain, no DNS), so every
//! case is unit-tested without a resolver.

use super::dkim::{SignatureCheck, SignatureStatus};
use crate::message::ParsedMessage;
use crate::report::{FixStep, RecordFix, Report, RuleResult, SettingFix};

/// The fact a key record needs and Sendtrust cannot have.
pub const NEEDS_PUBLIC_KEY: &str = "the public key (base64, from the key-generation command)";

/// The placeholder for a selector the domain owner chooses.
pub const NEW_SELECTOR: &str = "<selector>";

/// The placeholder for the selector of an optional Ed25519 key.
pub const ED25519_SELECTOR: &str = "<ed25519 selector>";

/// What the message shows about the software that signs for the sender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignerEvidence {
    /// An OpenDKIM `DKIM-Filter` field written on the sender's side (its host
    /// is the sending server or a host before it in the Received chain).
    pub opendkim: Option<String>,
    /// The sending server is Microsoft 365's (Exchange Online), or a
    /// signature is by a `*.onmicrosoft.com` domain: what shows it.
    pub microsoft365: Option<String>,
    /// The sending server is Google's for a domain that is not Gmail's, or a
    /// signature is by a `*.gappssmtp.com` domain: what shows it.
    pub google_workspace: Option<String>,
}

impl SignerEvidence {
    /// Reads the evidence from the message and the report so far (the
    /// hand-off hop and the hops before it).
    pub fn read(parsed: &ParsedMessage<'_>, report: &Report, from_domain: &str) -> Self {
        let filters: Vec<&str> = parsed.values("DKIM-Filter").map(|(_, v)| v).collect();
        let signers: Vec<String> = parsed
            .values("DKIM-Signature")
            .take(super::dkim::MAX_SIGNATURES)
            .filter_map(|(_, v)| tag(v, "d"))
            .collect();
        let mut sender_hosts: Vec<String> = Vec::new();
        if let Some(sender) = &report.sender {
            sender_hosts.extend(sender.helo.clone());
            if let Some(crate::report::RecordedRdns::Name(name)) = &sender.rdns {
                sender_hosts.push(name.clone());
            }
            // Hosts on the sender's side of the hand-off: the hops before it.
            if let Some(handoff) = sender.hop_index {
                for hop in report.hops.iter().filter(|h| h.index < handoff) {
                    sender_hosts.extend(hop.by.clone());
                    sender_hosts.extend(hop.from_helo.clone());
                }
            }
        }
        evidence(&filters, &signers, &sender_hosts, from_domain)
    }
}

/// The value of tag `name` in a tag list (`d=` of a DKIM-Signature), white
/// space removed, lowercased.
fn tag(value: &str, name: &str) -> Option<String> {
    value.split(';').find_map(|t| {
        let (k, v) = t.split_once('=')?;
        (k.trim() == name).then(|| {
            v.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        })
    })
}

fn host_ends_with(host: &str, suffix: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host.ends_with(suffix)
}

/// The evidence from the parts [`SignerEvidence::read`] collects.
fn evidence(
    dkim_filters: &[&str],
    signing_domains: &[String],
    sender_hosts: &[String],
    from_domain: &str,
) -> SignerEvidence {
    // "OpenDKIM Filter v2.11.0 <host> <job id>": OpenDKIM writes it when it
    // signs and when it verifies, so only a host on the sender's side counts.
    let opendkim = dkim_filters.iter().find_map(|f| {
        let rest = f.trim().strip_prefix("OpenDKIM Filter")?;
        let host = rest.split_whitespace().nth(1)?;
        sender_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host))
            .then(|| format!("DKIM-Filter: OpenDKIM on {host}, on the sender's side"))
    });
    let microsoft365 = sender_hosts
        .iter()
        .find(|h| host_ends_with(h, ".outbound.protection.outlook.com"))
        .map(|h| format!("the sending server {h} is Microsoft 365's"))
        .or_else(|| {
            signing_domains
                .iter()
                .find(|d| d.ends_with(".onmicrosoft.com"))
                .map(|d| format!("a signature by {d} (Microsoft 365's default signing domain)"))
        });
    // Gmail's own accounts (also one that sends as another address, which
    // Gmail signs as gmail.com) have no Admin console.
    let is_gmail = |d: &str| matches!(d, "gmail.com" | "googlemail.com");
    let gmail =
        is_gmail(&from_domain.to_ascii_lowercase()) || signing_domains.iter().any(|d| is_gmail(d));
    let google_workspace = if gmail {
        None
    } else {
        sender_hosts
            .iter()
            .find(|h| host_ends_with(h, ".google.com"))
            .map(|h| format!("the sending server {h} is Google's"))
            .or_else(|| {
                signing_domains
                    .iter()
                    .find(|d| d.ends_with(".gappssmtp.com"))
                    .map(|d| {
                        format!("a signature by {d} (Google Workspace's default signing domain)")
                    })
            })
    };
    SignerEvidence {
        opendkim,
        microsoft365,
        google_workspace,
    }
}

/// What rule 5 found, as the fix builder needs it.
#[derive(Debug, Clone)]
pub struct DkimFacts<'a> {
    /// The From domain (empty when there is none).
    pub from_domain: &'a str,
    /// Every signature the rule listed, in header order.
    pub signatures: &'a [SignatureCheck],
    /// The input had no body.
    pub headers_only: bool,
    /// Which software signs, as far as the message shows.
    pub signer: &'a SignerEvidence,
}

/// The DKIM fix: records, settings and next steps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DkimFix {
    /// Key records to publish or change.
    pub records: Vec<RecordFix>,
    /// Commands and software settings.
    pub settings: Vec<SettingFix>,
    /// One next step per problem.
    pub steps: Vec<FixStep>,
}

/// Puts rule 5's exact fix on `result` (the rule's one call).
pub fn apply(
    result: &mut RuleResult,
    parsed: &ParsedMessage<'_>,
    report: &Report,
    from_domain: &str,
    signatures: &[SignatureCheck],
) {
    let signer = SignerEvidence::read(parsed, report, from_domain);
    let fix = dkim_fix(&DkimFacts {
        from_domain,
        signatures,
        headers_only: parsed.headers_only,
        signer: &signer,
    });
    result.fix_records = fix.records;
    result.fix_settings = fix.settings;
    result.fix_steps = fix.steps;
}

fn is_pass(c: &SignatureCheck) -> bool {
    c.result.passes()
}

fn reason(c: &SignatureCheck) -> &str {
    c.reason.as_deref().unwrap_or("")
}

fn subject(c: &SignatureCheck) -> String {
    match (c.domain.is_empty(), c.selector.is_empty()) {
        (false, false) => format!("d={} s={}", c.domain, c.selector),
        (false, true) => format!("d={}", c.domain),
        (true, false) => format!("s={}", c.selector),
        (true, true) => "a DKIM-Signature without d= and s=".into(),
    }
}

fn step(problem: &str, subject: String, text: String) -> FixStep {
    FixStep {
        problem: problem.into(),
        subject,
        step: text,
        removal: None,
        page: None,
        source: None,
    }
}

/// Why a new key is needed, for which domain, and where the old one was.
#[derive(Debug, Clone, PartialEq)]
struct NewKey {
    domain: String,
    /// The selector whose record is to be published again (key missing);
    /// `None`: a new selector of the owner's choosing.
    selector: Option<String>,
    key_type: &'static str,
    /// The current record it replaces, when one is read.
    replaces: Option<String>,
    why: String,
}

/// The fix for the problems in `f`.
pub fn dkim_fix(f: &DkimFacts<'_>) -> DkimFix {
    let mut fix = DkimFix::default();
    let mut new_key: Option<NewKey> = None;
    let from = f.from_domain;
    // d= equal to the From domain aligns under strict and relaxed DMARC.
    let own_domain = if from.is_empty() {
        "<your domain>".to_string()
    } else {
        from.to_ascii_lowercase()
    };
    let passing: Vec<&SignatureCheck> = f.signatures.iter().filter(|c| is_pass(c)).collect();
    let aligned = passing.iter().find(|c| c.aligned_relaxed).copied();

    if f.signatures.is_empty() {
        fix.steps.push(step(
            "no-signature",
            format!("mail from {own_domain}"),
            format!(
                "Turn on DKIM signing for {own_domain} in the server or service that sends its \
                 mail: generate a key, publish its public half under a selector, and sign with \
                 the private half."
            ),
        ));
        new_key = Some(NewKey {
            domain: own_domain.clone(),
            selector: None,
            key_type: "rsa",
            replaces: None,
            why: "The message is not signed.".into(),
        });
    } else if let Some(best) = aligned.or_else(|| passing.first().copied()) {
        // A signature verifies: only its weaknesses, and alignment, are left.
        let s = subject(best);
        let key = best.key.as_ref();
        if let Some(bits) = key.filter(|k| k.key_type == "rsa").and_then(|k| k.bits)
            && bits < 2048
        {
            fix.steps.push(step(
                "weak-key",
                s.clone(),
                format!(
                    "The RSA key is {bits} bits: still accepted, but weak (2048 is the \
                         current recommendation). Generate a 2048-bit key under a new selector, \
                         publish it, switch signing to it, and remove the old record a few days \
                         later."
                ),
            ));
            new_key = Some(NewKey {
                domain: best.domain.clone(),
                selector: None,
                key_type: "rsa",
                replaces: None,
                why: format!("The new key replaces the {bits}-bit key of {s}."),
            });
        }
        if best.algorithm == "rsa-sha1" {
            fix.steps.push(step(
                "rsa-sha1",
                s.clone(),
                "The signature uses rsa-sha1, which RFC 8301 forbids signers to use: set the \
                 signer's algorithm to rsa-sha256 (the same key works)."
                    .into(),
            ));
            if f.signer.opendkim.is_some() {
                fix.settings
                    .push(opendkim_conf("SignatureAlgorithm rsa-sha256"));
            }
        }
        if best.body_length.is_some() {
            fix.steps.push(step(
                "body-length",
                s.clone(),
                "The signature has l= (it covers only part of the body), so anyone can append \
                 content without breaking it: turn body-length signing off in the signer."
                    .into(),
            ));
            if f.signer.opendkim.is_some() {
                fix.settings.push(SettingFix {
                    software: "OpenDKIM".into(),
                    location: "/etc/opendkim.conf: delete this line (OpenDKIM adds l= only for \
                               the recipients it lists), then restart OpenDKIM"
                        .into(),
                    setting: "BodyLengthDB".into(),
                });
            }
        }
        if let Some(k) = key.filter(|k| k.testing) {
            let without = without_testing_flag(&k.record);
            fix.steps.push(step(
                "testing",
                s.clone(),
                "The key is published in testing mode (t=y), which asks receivers to treat \
                 failures as unsigned: once signatures verify, remove the y flag."
                    .into(),
            ));
            fix.records.push(RecordFix {
                name: format!("{}._domainkey.{}", best.selector, best.domain),
                rtype: "TXT".into(),
                value: Some(without),
                replaces: Some(k.record.clone()),
                controlled_by: format!("the DNS of {}", best.domain),
                needs: None,
                lookups: None,
                template: None,
                note: Some("The same key without the testing flag.".into()),
            });
        }
        if best.result == SignatureStatus::HeaderOnlyPass || f.headers_only {
            fix.steps.push(step(
                "header-only",
                s.clone(),
                "Only the header signature could be checked: the input has no body. Check the \
                 whole message (the original .eml) to verify the body hash too."
                    .into(),
            ));
        }
        if aligned.is_none() && !from.is_empty() {
            fix.steps.push(step(
                "not-aligned",
                s,
                format!(
                    "The signature is by {}, not by {own_domain}, so DMARC cannot use it: set \
                     up signing with your own domain (d={own_domain}) in the service that sends \
                     the mail.",
                    best.domain
                ),
            ));
            new_key = Some(NewKey {
                domain: own_domain.clone(),
                selector: None,
                key_type: "rsa",
                replaces: None,
                why: format!("A key for signing as {own_domain}."),
            });
        }
    } else {
        // Nothing verifies: one step per signature with a definite problem.
        for c in f.signatures {
            let s = subject(c);
            let r = reason(c);
            let (problem, text) = if matches!(
                c.result,
                SignatureStatus::Temperror | SignatureStatus::NotChecked
            ) {
                // Could not check: not a problem Sendtrust can name.
                continue;
            } else if r.starts_with("malformed DKIM-Signature") {
                (
                    "malformed",
                    format!(
                        "The field is not a valid DKIM-Signature ({}): fix the signer's \
                         configuration, or remove whatever adds this field.",
                        r.trim_start_matches("malformed DKIM-Signature: ")
                    ),
                )
            } else if r.contains("too weak") {
                new_key = Some(NewKey {
                    domain: c.domain.clone(),
                    selector: None,
                    key_type: "rsa",
                    replaces: None,
                    why: format!("The new key replaces the too-small key of {s}."),
                });
                (
                    "key-too-small",
                    "The RSA key is under 1024 bits, which receivers never accept (RFC 8301): \
                     generate a 2048-bit key under a new selector and sign with it."
                        .to_string(),
                )
            } else if r.contains("key not found") {
                new_key = Some(NewKey {
                    domain: c.domain.clone(),
                    selector: Some(c.selector.clone()),
                    key_type: key_type_of(&c.algorithm),
                    replaces: None,
                    why: format!(
                        "The signer uses selector {}, which has no record.",
                        c.selector
                    ),
                });
                (
                    "key-missing",
                    format!(
                        "There is no key record at {}._domainkey.{}: publish the public key \
                         that belongs to the private key the server signs with (or make the \
                         server sign with a selector that is published).",
                        c.selector, c.domain
                    ),
                )
            } else if r.contains("revoked") {
                new_key = Some(NewKey {
                    domain: c.domain.clone(),
                    selector: None,
                    key_type: key_type_of(&c.algorithm),
                    replaces: None,
                    why: format!("The new key replaces the revoked key of {s}."),
                });
                (
                    "revoked",
                    format!(
                        "The key at {}._domainkey.{} is revoked (empty p=) while the server \
                         still signs with it: switch signing to a current key under another \
                         selector.",
                        c.selector, c.domain
                    ),
                )
            } else if r.contains("expired") {
                if f.signer.opendkim.is_some() {
                    fix.settings.push(opendkim_conf("SignatureTTL 604800"));
                }
                (
                    "expired",
                    "The signature had expired (x=) when it was checked: make sure the signer's \
                     clock is right and that x= leaves days, not minutes, for delivery (or \
                     leave x= out)."
                        .to_string(),
                )
            } else if r.starts_with("body hash mismatch") {
                let simple = c.canonicalization.ends_with("/simple");
                (
                    "body-changed",
                    format!(
                        "The body was changed after signing{}: find what rewrites it on the \
                         way (a footer or disclaimer added by a gateway or mailing list, \
                         content rewriting) and sign after it, or stop it.{}",
                        if c.header_signature_valid == Some(true) {
                            " (the signed headers are intact)"
                        } else {
                            ""
                        },
                        if simple {
                            " The signature uses simple body canonicalization, which also \
                             breaks on changed white space: relaxed is more robust."
                        } else {
                            ""
                        }
                    ),
                )
            } else {
                (
                    "signature-mismatch",
                    "The signature does not verify with the published key: check that the \
                     private key the server signs with belongs to the record published for \
                     this selector, and that nothing rewrites signed header fields after \
                     signing."
                        .to_string(),
                )
            };
            fix.steps.push(step(problem, s, text));
        }
    }
    if let Some(key) = new_key {
        add_new_key(&mut fix, &key, f.signer);
    }
    fix
}

fn key_type_of(algorithm: &str) -> &'static str {
    if algorithm.starts_with("ed25519") {
        "ed25519"
    } else {
        "rsa"
    }
}

fn opendkim_conf(line: &str) -> SettingFix {
    SettingFix {
        software: "OpenDKIM".into(),
        location: "/etc/opendkim.conf, then restart OpenDKIM".into(),
        setting: line.into(),
    }
}

/// The key record's text without the `y` flag in `t=` (and without `t=`
/// when nothing else is left in it).
fn without_testing_flag(record: &str) -> String {
    record
        .split(';')
        .filter_map(|tag| {
            let (k, v) = match tag.split_once('=') {
                Some(kv) => kv,
                None => return Some(tag.trim().to_string()),
            };
            if k.trim().eq_ignore_ascii_case("t") {
                let flags: Vec<&str> = v
                    .split(':')
                    .map(str::trim)
                    .filter(|f| !f.eq_ignore_ascii_case("y"))
                    .collect();
                return (!flags.is_empty()).then(|| format!("t={}", flags.join(":")));
            }
            Some(format!("{}={}", k.trim(), v.trim()))
        })
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The records and settings for a new (or re-published) key.
fn add_new_key(fix: &mut DkimFix, key: &NewKey, signer: &SignerEvidence) {
    let d = &key.domain;
    let controlled_by = format!("the DNS of {d}");
    if let Some(why) = &signer.microsoft365 {
        for n in ["1", "2"] {
            fix.records.push(RecordFix {
                name: format!("selector{n}._domainkey.{d}"),
                rtype: "CNAME".into(),
                value: None,
                replaces: None,
                controlled_by: controlled_by.clone(),
                needs: Some(format!(
                    "the Selector{n}CNAME target Microsoft 365 gives for {d} (Defender portal, \
                     or Get-DkimSigningConfig)"
                )),
                lookups: None,
                template: None,
                note: Some(format!(
                    "Microsoft 365 signs with selector1 and selector2 in turn (it rotates the \
                     keys behind these CNAMEs); {why}."
                )),
            });
        }
        fix.settings.extend([
            SettingFix {
                software: "Microsoft 365 (Exchange Online PowerShell)".into(),
                location: "Connect-ExchangeOnline, then read the two CNAME targets (when the \
                           domain has no DKIM configuration yet, first New-DkimSigningConfig \
                           -DomainName <domain> -Enabled $false)"
                    .into(),
                setting: format!(
                    "Get-DkimSigningConfig -Identity {d} | Format-List Selector1CNAME, Selector2CNAME"
                ),
            },
            SettingFix {
                software: "Microsoft 365 (Exchange Online PowerShell)".into(),
                location: "once both CNAMEs resolve".into(),
                setting: format!("Set-DkimSigningConfig -Identity {d} -Enabled $true"),
            },
            SettingFix {
                software: "Microsoft 365 (Defender portal)".into(),
                location: "Email & collaboration > Policies & rules > Threat policies > Email \
                           authentication settings > DKIM"
                    .into(),
                setting: format!(
                    "select {d}, publish the two CNAMEs shown, then turn on \"Sign messages for \
                     this domain with DKIM signatures\""
                ),
            },
        ]);
        return;
    }
    if let Some(why) = &signer.google_workspace {
        fix.records.push(RecordFix {
            name: format!("google._domainkey.{d}"),
            rtype: "TXT".into(),
            value: None,
            replaces: None,
            controlled_by,
            needs: Some(format!(
                "the public key the Google Admin console generates for {d}"
            )),
            lookups: None,
            template: Some("v=DKIM1; k=rsa; p=<public key>".into()),
            note: Some(format!(
                "google is the Admin console's default selector (prefix); {why}."
            )),
        });
        fix.settings.push(SettingFix {
            software: "Google Workspace".into(),
            location: "Admin console > Apps > Google Workspace > Gmail > Authenticate email".into(),
            setting: format!(
                "select {d}, Generate new record (2048-bit key), publish the TXT record shown, \
                 then Start authentication"
            ),
        });
        return;
    }
    let selector = key.selector.as_deref().unwrap_or(NEW_SELECTOR);
    let name = format!("{selector}._domainkey.{d}");
    let new_selector_note = if key.selector.is_none() {
        format!(
            " Put a selector of your choosing in place of {NEW_SELECTOR} (a new one, so mail \
             signed with the old key still verifies while it is delivered)."
        )
    } else {
        String::new()
    };
    fix.records.push(RecordFix {
        name: name.clone(),
        rtype: "TXT".into(),
        value: None,
        replaces: key.replaces.clone(),
        controlled_by: controlled_by.clone(),
        needs: Some(NEEDS_PUBLIC_KEY.into()),
        lookups: None,
        template: Some(format!("v=DKIM1; k={}; p=<public key>", key.key_type)),
        note: Some(format!(
            "{}{new_selector_note} A 2048-bit RSA key is longer than 255 characters: \
             publish it as several strings in one TXT record.",
            key.why
        )),
    });
    if key.key_type == "rsa" && key.selector.is_none() {
        fix.records.push(RecordFix {
            name: format!("{ED25519_SELECTOR}._domainkey.{d}"),
            rtype: "TXT".into(),
            value: None,
            replaces: None,
            controlled_by,
            needs: Some(NEEDS_PUBLIC_KEY.into()),
            lookups: None,
            template: Some("v=DKIM1; k=ed25519; p=<public key>".into()),
            note: Some(
                "Optional, under a second selector of your choosing: an Ed25519 key (RFC 8463) \
                 signs alongside the RSA one; receivers that do not know Ed25519 ignore that \
                 signature."
                    .into(),
            ),
        });
    }
    if key.selector.is_none() {
        fix.settings.extend(key_commands(selector, d));
    }
    if signer.opendkim.is_some() {
        fix.settings.extend([
            SettingFix {
                software: "OpenDKIM".into(),
                location: "/etc/opendkim/KeyTable (opendkim.conf: KeyTable \
                           file:/etc/opendkim/KeyTable); the private key file readable by \
                           OpenDKIM only"
                    .into(),
                setting: format!("{name} {d}:{selector}:/etc/opendkim/keys/{d}/{selector}.private"),
            },
            SettingFix {
                software: "OpenDKIM".into(),
                location: "/etc/opendkim/SigningTable (opendkim.conf: SigningTable \
                           refile:/etc/opendkim/SigningTable), then restart OpenDKIM"
                    .into(),
                setting: format!("*@{d} {name}"),
            },
        ]);
    }
}

/// The commands that make a key pair and print the public key for `p=`.
fn key_commands(selector: &str, domain: &str) -> [SettingFix; 3] {
    [
        SettingFix {
            software: "OpenSSL (RSA 2048)".into(),
            location: "on the signing server; the last command prints the p= value; keep \
                       dkim.private secret"
                .into(),
            setting: "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out \
                      dkim.private && openssl pkey -in dkim.private -pubout -outform DER | \
                      openssl base64 -A"
                .into(),
        },
        SettingFix {
            software: "OpenDKIM (opendkim-genkey)".into(),
            location: format!(
                "writes {selector}.private (the private key) and {selector}.txt (the TXT \
                 record to publish) in the current directory"
            ),
            setting: format!("opendkim-genkey -b 2048 -s {selector} -d {domain}"),
        },
        SettingFix {
            software: "OpenSSL (Ed25519)".into(),
            location: "on the signing server; the last command prints the p= value (the raw \
                       32-byte key) for k=ed25519"
                .into(),
            setting: "openssl genpkey -algorithm ED25519 -out dkim-ed25519.private && openssl \
                      pkey -in dkim-ed25519.private -pubout -outform DER | tail -c 32 | openssl \
                      base64 -A"
                .into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::dkim::KeyInfo;

    fn sig(result: &str, reason: Option<&str>) -> SignatureCheck {
        SignatureCheck {
            domain: "example.org".into(),
            selector: "s1".into(),
            algorithm: "rsa-sha256".into(),
            canonicalization: "relaxed/relaxed".into(),
            signed_headers: vec!["from".into()],
            timestamp: 0,
            expires: 0,
            body_length: None,
            result: serde_json::from_value(serde_json::Value::String(result.into()))
                .expect("a status name"),
            reason: reason.map(Into::into),
            header_signature_valid: None,
            key: None,
            aligned_strict: true,
            aligned_relaxed: true,
        }
    }

    fn key(bits: usize, record: &str) -> KeyInfo {
        KeyInfo {
            key_type: "rsa".into(),
            bits: Some(bits),
            revoked: false,
            testing: record.contains("t=y"),
            record: record.into(),
        }
    }

    fn fix_for(signatures: &[SignatureCheck], signer: &SignerEvidence) -> DkimFix {
        dkim_fix(&DkimFacts {
            from_domain: "example.org",
            signatures,
            headers_only: false,
            signer,
        })
    }

    fn problems(fix: &DkimFix) -> Vec<&str> {
        fix.steps.iter().map(|s| s.problem.as_str()).collect()
    }

    fn settings(fix: &DkimFix) -> Vec<&str> {
        fix.settings.iter().map(|s| s.setting.as_str()).collect()
    }

    #[test]
    fn a_clean_aligned_pass_needs_nothing() {
        let mut good = sig("pass", None);
        good.key = Some(key(2048, "v=DKIM1; k=rsa; p=AAAA"));
        assert_eq!(
            fix_for(&[good], &SignerEvidence::default()),
            DkimFix::default()
        );
    }

    #[test]
    fn no_signature_gets_the_skeleton_and_the_key_commands() {
        let fix = fix_for(&[], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["no-signature"]);
        let rsa = &fix.records[0];
        assert_eq!(rsa.name, "<selector>._domainkey.example.org");
        assert_eq!(rsa.rtype, "TXT");
        assert_eq!(rsa.value, None);
        assert_eq!(rsa.needs.as_deref(), Some(NEEDS_PUBLIC_KEY));
        assert_eq!(
            rsa.template.as_deref(),
            Some("v=DKIM1; k=rsa; p=<public key>")
        );
        assert_eq!(
            fix.records[1].template.as_deref(),
            Some("v=DKIM1; k=ed25519; p=<public key>")
        );
        assert_eq!(
            fix.records[1].name,
            "<ed25519 selector>._domainkey.example.org"
        );
        let lines = settings(&fix);
        assert!(lines[0].starts_with(
            "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.private"
        ));
        assert_eq!(
            lines[1],
            "opendkim-genkey -b 2048 -s <selector> -d example.org"
        );
        assert!(lines[2].contains("-algorithm ED25519"), "{}", lines[2]);
        // No OpenDKIM evidence: no OpenDKIM tables.
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("SigningTable") || l.starts_with("*@"))
        );
    }

    #[test]
    fn a_weak_key_warns_and_a_tiny_one_fails() {
        let mut weak = sig("pass", None);
        weak.key = Some(key(1024, "v=DKIM1; k=rsa; p=AAAA"));
        let fix = fix_for(&[weak], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["weak-key"]);
        assert!(fix.steps[0].step.contains("1024 bits: still accepted"));
        assert_eq!(fix.records[0].name, "<selector>._domainkey.example.org");

        let tiny = sig(
            "fail",
            Some("the RSA key is only 512 bits: too weak (RFC 8301: …)"),
        );
        let fix = fix_for(&[tiny], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["key-too-small"]);
        assert_eq!(fix.records[0].needs.as_deref(), Some(NEEDS_PUBLIC_KEY));
    }

    #[test]
    fn rsa_sha1_and_l_get_steps_and_opendkim_settings_only_with_evidence() {
        let mut s = sig("pass", None);
        s.algorithm = "rsa-sha1".into();
        s.body_length = Some(100);
        s.key = Some(key(2048, "v=DKIM1; p=AAAA"));
        let fix = fix_for(std::slice::from_ref(&s), &SignerEvidence::default());
        assert_eq!(problems(&fix), ["rsa-sha1", "body-length"]);
        assert!(fix.settings.is_empty(), "{:?}", fix.settings);
        assert!(fix.records.is_empty());
        let opendkim = SignerEvidence {
            opendkim: Some("DKIM-Filter".into()),
            ..Default::default()
        };
        let fix = fix_for(&[s], &opendkim);
        assert_eq!(
            settings(&fix),
            ["SignatureAlgorithm rsa-sha256", "BodyLengthDB"]
        );
    }

    #[test]
    fn expired_revoked_and_missing_keys() {
        let expired = sig("fail", Some("signature expired (x= is in the past)"));
        let fix = fix_for(&[expired], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["expired"]);
        assert!(fix.records.is_empty());

        let revoked = sig("fail", Some("key revoked (the DNS record has an empty p=)"));
        let fix = fix_for(&[revoked], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["revoked"]);
        assert_eq!(fix.records[0].name, "<selector>._domainkey.example.org");

        // The selector is known: the record goes back where the signer looks.
        let mut missing = sig("permerror", Some("key not found in DNS"));
        missing.algorithm = "ed25519-sha256".into();
        let fix = fix_for(&[missing], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["key-missing"]);
        assert_eq!(fix.records.len(), 1);
        assert_eq!(fix.records[0].name, "s1._domainkey.example.org");
        assert_eq!(
            fix.records[0].template.as_deref(),
            Some("v=DKIM1; k=ed25519; p=<public key>")
        );
        // The key exists on the server: no command makes a new one.
        assert!(fix.settings.is_empty(), "{:?}", fix.settings);
    }

    #[test]
    fn body_changed_header_only_malformed_and_could_not_check() {
        let mut changed = sig(
            "neutral",
            Some(
                "body hash mismatch: the header signature is valid, so the body changed after signing",
            ),
        );
        changed.canonicalization = "relaxed/simple".into();
        changed.header_signature_valid = Some(true);
        let broken = sig(
            "permerror",
            Some("malformed DKIM-Signature: the tag d= appears twice"),
        );
        let unknown = sig("temperror", Some("could not fetch the key: timeout"));
        let fix = fix_for(&[changed, broken, unknown], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["body-changed", "malformed"]);
        assert!(fix.steps[0].step.contains("signed headers are intact"));
        assert!(fix.steps[0].step.contains("simple body canonicalization"));
        assert!(fix.steps[1].step.contains("the tag d= appears twice"));
        assert!(fix.records.is_empty());

        let only = sig(
            "header-only-pass",
            Some("header signature valid; body not provided"),
        );
        let fix = dkim_fix(&DkimFacts {
            from_domain: "example.org",
            signatures: &[only],
            headers_only: true,
            signer: &SignerEvidence::default(),
        });
        assert_eq!(problems(&fix), ["header-only"]);
    }

    #[test]
    fn testing_mode_gets_the_record_without_the_flag() {
        let mut s = sig("pass", None);
        s.key = Some(key(2048, "v=DKIM1; k=rsa; t=y:s; p=AAAA"));
        let fix = fix_for(&[s], &SignerEvidence::default());
        assert_eq!(problems(&fix), ["testing"]);
        assert_eq!(fix.records[0].name, "s1._domainkey.example.org");
        assert_eq!(
            fix.records[0].value.as_deref(),
            Some("v=DKIM1; k=rsa; t=s; p=AAAA")
        );
        assert_eq!(without_testing_flag("v=DKIM1; t=y; p=AB"), "v=DKIM1; p=AB");
    }

    #[test]
    fn not_aligned_asks_for_the_from_domain_and_the_provider_settings() {
        let mut s = sig("pass", None);
        s.domain = "tenant.onmicrosoft.com".into();
        s.selector = "selector1-example-org".into();
        s.aligned_relaxed = false;
        s.aligned_strict = false;
        s.key = Some(key(2048, "v=DKIM1; p=AAAA"));
        let m365 = evidence(&[], &["tenant.onmicrosoft.com".into()], &[], "example.org");
        assert!(m365.microsoft365.is_some());
        let fix = fix_for(&[s], &m365);
        assert_eq!(problems(&fix), ["not-aligned"]);
        let names: Vec<(&str, &str)> = fix
            .records
            .iter()
            .map(|r| (r.rtype.as_str(), r.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("CNAME", "selector1._domainkey.example.org"),
                ("CNAME", "selector2._domainkey.example.org")
            ]
        );
        assert!(
            fix.records
                .iter()
                .all(|r| r.value.is_none() && r.needs.is_some())
        );
        assert!(
            settings(&fix).contains(&"Set-DkimSigningConfig -Identity example.org -Enabled $true")
        );

        let google = evidence(&[], &[], &["mail-sor-f41.google.com".into()], "example.org");
        let fix = fix_for(&[], &google);
        assert_eq!(fix.records.len(), 1);
        assert_eq!(fix.records[0].name, "google._domainkey.example.org");
        assert_eq!(fix.settings[0].software, "Google Workspace");
        // Gmail's own addresses are not Google Workspace.
        let gmail = evidence(&[], &[], &["mail-sor-f41.google.com".into()], "gmail.com");
        assert_eq!(gmail.google_workspace, None);
        let send_as = evidence(
            &[],
            &["gmail.com".into()],
            &["mail-sor-f41.google.com".into()],
            "example.org",
        );
        assert_eq!(send_as.google_workspace, None);
    }

    #[test]
    fn opendkim_counts_only_on_the_senders_side() {
        let filter = "OpenDKIM Filter v2.11.0 mail.example.org 4XfixA1";
        let sender = vec!["mail.example.org".to_string()];
        let e = evidence(&[filter], &[], &sender, "example.org");
        assert!(e.opendkim.is_some());
        // The receiver's OpenDKIM (verifying) writes the same field.
        let e = evidence(
            &["OpenDKIM Filter v2.11.0 mx.receiver.example 4XfixA1"],
            &[],
            &sender,
            "example.org",
        );
        assert_eq!(e.opendkim, None);
        let fix = fix_for(
            &[],
            &SignerEvidence {
                opendkim: Some("x".into()),
                ..Default::default()
            },
        );
        let lines = settings(&fix);
        assert!(lines.contains(
            &"<selector>._domainkey.example.org example.org:<selector>:/etc/opendkim/keys/example.org/<selector>.private"
        ));
        assert!(lines.contains(&"*@example.org <selector>._domainkey.example.org"));
    }
}
