//! Rule 5's details (`RuleDetails::Dkim`): every signature, in header order.

use serde::{Deserialize, Serialize};

/// The key record published for one selector.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    /// The result (JSON: `pass`, `fail`, `neutral`, `permerror`,
    /// `temperror`, `none`, `not-checked`, `header-only-pass`).
    pub result: SignatureStatus,
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

/// The result of one signature: mail-auth's (RFC 6376 / RFC 8601 words)
/// after Sendtrust's strict reading, and two of Sendtrust's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// The signature verifies.
    Pass,
    /// It does not verify (signature mismatch, revoked key, weak key, …).
    Fail,
    /// mail-auth's neutral (body hash mismatch, expired).
    Neutral,
    /// Not a valid signature, or a key record that is not one
    /// (reason `malformed DKIM-Signature: …` for the former).
    Permerror,
    /// The key could not be fetched.
    Temperror,
    /// mail-auth gave no result.
    None,
    /// Not verified: offline, or beyond the verification cap.
    NotChecked,
    /// The header signature is valid and the body was not provided (a
    /// headers-only paste): Sendtrust's extension.
    HeaderOnlyPass,
}

impl SignatureStatus {
    /// The status as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Pass => "pass",
            SignatureStatus::Fail => "fail",
            SignatureStatus::Neutral => "neutral",
            SignatureStatus::Permerror => "permerror",
            SignatureStatus::Temperror => "temperror",
            SignatureStatus::None => "none",
            SignatureStatus::NotChecked => "not-checked",
            SignatureStatus::HeaderOnlyPass => "header-only-pass",
        }
    }

    /// A pass, or a header-only pass.
    pub fn passes(self) -> bool {
        matches!(
            self,
            SignatureStatus::Pass | SignatureStatus::HeaderOnlyPass
        )
    }

    /// Whether this status agrees with the word a receiver recorded in
    /// Authentication-Results (`dkim=pass`, …): a header-only pass agrees
    /// with the receiver's pass, which saw the body.
    pub fn agrees_with_recorded(self, recorded: &crate::report::RecordedResult) -> bool {
        crate::report::AuthResult::from(self).agrees_with(recorded)
    }
}

impl std::fmt::Display for SignatureStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rule 5's details in the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DkimDetails {
    /// Every `DKIM-Signature` field (at most 50), in header order.
    pub signatures: Vec<SignatureCheck>,
    /// Legacy `DomainKey-Signature` fields (absent from the JSON when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domainkeys: Vec<DomainKeySignature>,
}

/// A legacy DomainKeys signature (RFC 4870).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DomainKeySignature {
    /// Signing domain (`d=`), empty when absent.
    pub domain: String,
    /// Selector (`s=`), empty when absent.
    pub selector: String,
}
