//! The report: Sendtrust's public contract.
//!
//! Everything the page and the CLI show comes from a [`Report`]. Its JSON form is
//! documented field by field in `docs/report-schema.md`; any change to the shape
//! bumps [`SCHEMA_VERSION`].

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

pub mod json;

/// Version of the JSON report shape. Bumped on every incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

/// The outcome of analysing one message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// Version of this shape ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Name and version of the engine that wrote the report.
    pub generator: String,
    /// What was done to the input before parsing, and what it turned out to be.
    pub input: InputInfo,
    /// The headers a person looks at first.
    pub summary: Summary,
    /// Every header field of the message, in order, unfolded.
    pub headers: Vec<HeaderField>,
    /// Relay hops read from the Received fields, oldest first.
    pub hops: Vec<Hop>,
    /// Received fields that record no relay (local delivery, pickup, scanners).
    pub local_fields: Vec<LocalField>,
    /// Observations about the Received chain as a whole (clock skew, gaps, …).
    pub chain_notes: Vec<ChainNote>,
    /// The server that handed the message to the recipient's infrastructure.
    pub sender: Option<Sender>,
    /// Why `sender` is what it is (or why there is none).
    pub sender_reason: String,
    /// The five rules, always in the order `static-ip`, `reverse-dns`,
    /// `blocklists`, `spf`, `dkim`.
    pub rules: Vec<RuleResult>,
    /// How DNS was asked.
    pub dns: DnsSettings,
    /// Every DNS question asked during the analysis, in the order asked.
    pub dns_log: Vec<DnsLogEntry>,
    /// Beyond the five rules: DMARC, ARC, the receiver's verdicts, the
    /// bulk-sender checklist and decoded antispam headers.
    #[serde(default)]
    pub beyond: Beyond,
}

/// Checks beyond the five rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Beyond {
    /// DMARC for the From domain, when it could be evaluated.
    pub dmarc: Option<DmarcReport>,
    /// The ARC chain, when the message carries ARC sets.
    pub arc: Option<ArcReport>,
    /// What the receivers recorded next to what Sendtrust re-checked now.
    pub receiver: Vec<ReceiverComparison>,
    /// The Gmail/Yahoo bulk-sender requirements, item by item.
    pub bulk_sender: Vec<ChecklistItem>,
    /// Antispam headers decoded (Microsoft, SpamAssassin, Rspamd).
    pub antispam: Vec<AntispamReport>,
}

/// DMARC evaluation (RFC 7489 / DMARCbis) for the From domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DmarcReport {
    /// The From domain.
    pub from_domain: String,
    /// The name whose `_dmarc` record applied: the From domain, or the
    /// organisational domain the DMARC tree walk found (in U-labels when the
    /// From address used them; DNS is asked the A-label).
    pub policy_domain: Option<String>,
    /// The record text.
    pub record: Option<String>,
    /// The DMARC result.
    pub result: DmarcStatus,
    /// Requested policy `p` (and `sp` for subdomains): `none`, `quarantine`, `reject`.
    pub policy: Option<String>,
    /// Subdomain policy.
    pub subdomain_policy: Option<String>,
    /// Percentage (`pct`, RFC 7489), when the record gives one from 0 to 100.
    pub pct: Option<u8>,
    /// DKIM alignment mode: `relaxed` or `strict`.
    pub adkim: Option<String>,
    /// SPF alignment mode: `relaxed` or `strict`.
    pub aspf: Option<String>,
    /// Aggregate report addresses.
    pub rua: Vec<String>,
    /// DKIM-aligned pass?
    pub dkim_aligned: bool,
    /// SPF-aligned pass?
    pub spf_aligned: bool,
    /// What a receiver would do with this message.
    pub disposition: String,
    /// Problems and advice, one sentence each.
    pub warnings: Vec<String>,
    /// The DMARC records to publish: a first record when there is none, or
    /// the steps to enforcement when alignment passes under `p=none`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_records: Vec<RecordFix>,
}

/// A DMARC result (JSON: `pass`, `fail`, `none`, `temperror`, `permerror`,
/// `not-checked`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum DmarcStatus {
    /// Aligned SPF or DKIM passes.
    Pass,
    /// Neither aligned SPF nor aligned DKIM passes.
    Fail,
    /// No DMARC record applies.
    #[default]
    None,
    /// A DNS lookup failed.
    Temperror,
    /// The record is broken.
    Permerror,
    /// Not evaluated (offline).
    NotChecked,
}

impl DmarcStatus {
    /// The status as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcStatus::Pass => "pass",
            DmarcStatus::Fail => "fail",
            DmarcStatus::None => "none",
            DmarcStatus::Temperror => "temperror",
            DmarcStatus::Permerror => "permerror",
            DmarcStatus::NotChecked => "not-checked",
        }
    }
}

impl std::fmt::Display for DmarcStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One ARC set (instance).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ArcInstance {
    /// `i=`.
    pub instance: u32,
    /// Who sealed (ARC-Seal `d=`).
    pub sealer: String,
    /// `cv=` as written (`none`, `pass`, `fail`, or the unreadable text).
    pub cv: ArcCv,
    /// The ARC-Authentication-Results this sealer recorded.
    pub auth_results: String,
}

/// A seal's `cv=` as the sealer wrote it (JSON: the word, or the text as
/// written when it is not one of RFC 8617's three; `""` when the tag is
/// missing). Header text, so it keeps a variant for what cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ArcCv {
    /// `cv=none`: the first set (nothing to validate before it).
    None,
    /// `cv=pass`: the sealer found the chain before it valid.
    Pass,
    /// `cv=fail`: the sealer found the chain before it broken.
    Fail,
    /// Anything else (missing, empty, misspelt), lowercased, as written.
    Unreadable(String),
}

impl ArcCv {
    /// Reads a `cv=` value (case-insensitive; whitespace around it ignored).
    pub fn parse(text: &str) -> ArcCv {
        let word = text.trim().to_ascii_lowercase();
        match word.as_str() {
            "none" => ArcCv::None,
            "pass" => ArcCv::Pass,
            "fail" => ArcCv::Fail,
            _ => ArcCv::Unreadable(word),
        }
    }

    /// The value as written in the JSON.
    pub fn as_str(&self) -> &str {
        match self {
            ArcCv::None => "none",
            ArcCv::Pass => "pass",
            ArcCv::Fail => "fail",
            ArcCv::Unreadable(text) => text,
        }
    }
}

impl Default for ArcCv {
    fn default() -> Self {
        ArcCv::Unreadable(String::new())
    }
}

impl From<String> for ArcCv {
    fn from(text: String) -> Self {
        ArcCv::parse(&text)
    }
}

impl From<ArcCv> for String {
    fn from(cv: ArcCv) -> Self {
        match cv {
            ArcCv::Unreadable(text) => text,
            known => known.as_str().to_string(),
        }
    }
}

impl std::fmt::Display for ArcCv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ARC chain validation status of RFC 8617 (section 4.4): exactly the
/// three values a sealer may record in `cv=`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ArcResult {
    /// The message carries no ARC sets.
    None,
    /// Every set is present and well formed, the newest AMS and every seal
    /// verify, and no sealer recorded a failure.
    Pass,
    /// Anything else: structure, syntax, key, signature or a recorded `cv=fail`.
    Fail,
}

impl ArcResult {
    /// `none`, `pass` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            ArcResult::None => "none",
            ArcResult::Pass => "pass",
            ArcResult::Fail => "fail",
        }
    }
}

/// The ARC chain and its validation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ArcReport {
    /// The chain validation status, or `None` (JSON null) when it could not be
    /// checked: a DNS failure or offline mode is never pass or fail
    /// ([`ArcReport::could_not_check`] says why).
    pub result: Option<ArcResult>,
    /// Why the chain fails (one sentence), when it does.
    pub reason: Option<String>,
    /// The instance (`i=`) where the chain broke, when the failure belongs to
    /// one set (a crypto failure found by mail-auth may not say which).
    pub broken_instance: Option<u32>,
    /// Why the chain could not be checked (offline; a key lookup failed).
    pub could_not_check: Option<String>,
    /// The sets, oldest (i=1) first.
    pub instances: Vec<ArcInstance>,
}

impl ArcReport {
    /// The status word shown next to the ARC heading: `pass`, `fail`, `none`
    /// or `unknown` (could not check).
    pub fn status(&self) -> &'static str {
        self.result.map_or("unknown", ArcResult::as_str)
    }
}

/// "The receiver recorded" vs "Sendtrust re-checked now" for one method.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReceiverComparison {
    /// The method: `spf`, `dkim`, `dmarc`, `iprev`, `arc`.
    pub method: AuthMethod,
    /// The authserv-id (or Received-SPF receiver) that recorded it.
    pub authserv: String,
    /// Where it came from: `Authentication-Results`, `ARC-Authentication-Results i=N`, `Received-SPF`.
    pub source: String,
    /// The recorded result (header text, read into a word when it is one).
    pub recorded: RecordedResult,
    /// Properties recorded with it (`smtp.mailfrom=…`, `header.d=…`).
    pub properties: Vec<String>,
    /// Sendtrust's result now, when it re-checked this method.
    pub now: Option<AuthResult>,
    /// Whether they agree (`None` when there is nothing to compare).
    pub agrees: Option<bool>,
    /// The likely reason when they differ.
    pub note: Option<String>,
}

/// An authentication method compared in [`ReceiverComparison`] (JSON:
/// `spf`, `dkim`, `dmarc`, `iprev`, `arc`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// SPF (RFC 7208).
    Spf,
    /// DKIM (RFC 6376).
    Dkim,
    /// DMARC (RFC 7489).
    Dmarc,
    /// The reverse-DNS check of RFC 8601 section 2.7.3.
    Iprev,
    /// ARC (RFC 8617).
    Arc,
}

impl AuthMethod {
    /// The method as written in the JSON (and in Authentication-Results).
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Spf => "spf",
            AuthMethod::Dkim => "dkim",
            AuthMethod::Dmarc => "dmarc",
            AuthMethod::Iprev => "iprev",
            AuthMethod::Arc => "arc",
        }
    }
}

impl std::fmt::Display for AuthMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A method result in the words of RFC 8601 (section 2.7) and RFC 7208,
/// plus Sendtrust's `not-checked` and `header-only-pass` for DKIM (JSON:
/// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`,
/// `policy`, `not-checked`, `header-only-pass`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum AuthResult {
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// SPF's weak fail.
    Softfail,
    /// No assertion either way.
    Neutral,
    /// Nothing to check (no record, no signature).
    None,
    /// A transient (DNS) error.
    Temperror,
    /// A permanent error (a broken record or signature).
    Permerror,
    /// Passed, but a local policy rejected it (RFC 8601 section 2.7).
    Policy,
    /// Sendtrust did not verify it (offline, or beyond the cap).
    NotChecked,
    /// Sendtrust's DKIM result for a valid header signature without the
    /// body: agrees with a receiver's `pass`.
    HeaderOnlyPass,
}

impl AuthResult {
    /// The result as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthResult::Pass => "pass",
            AuthResult::Fail => "fail",
            AuthResult::Softfail => "softfail",
            AuthResult::Neutral => "neutral",
            AuthResult::None => "none",
            AuthResult::Temperror => "temperror",
            AuthResult::Permerror => "permerror",
            AuthResult::Policy => "policy",
            AuthResult::NotChecked => "not-checked",
            AuthResult::HeaderOnlyPass => "header-only-pass",
        }
    }

    /// Whether a receiver that recorded `recorded` says the same: the same
    /// word, or Sendtrust's header-only pass against a recorded pass (the
    /// receiver had the body).
    pub fn agrees_with(self, recorded: &RecordedResult) -> bool {
        match recorded {
            RecordedResult::Word(word) => {
                self == *word || (self == AuthResult::HeaderOnlyPass && *word == AuthResult::Pass)
            }
            RecordedResult::Nothing | RecordedResult::Unreadable(_) => false,
        }
    }
}

impl std::fmt::Display for AuthResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<crate::details::dkim::SignatureStatus> for AuthResult {
    fn from(status: crate::details::dkim::SignatureStatus) -> Self {
        use crate::details::dkim::SignatureStatus;
        match status {
            SignatureStatus::Pass => AuthResult::Pass,
            SignatureStatus::Fail => AuthResult::Fail,
            SignatureStatus::Neutral => AuthResult::Neutral,
            SignatureStatus::Permerror => AuthResult::Permerror,
            SignatureStatus::Temperror => AuthResult::Temperror,
            SignatureStatus::None => AuthResult::None,
            SignatureStatus::NotChecked => AuthResult::NotChecked,
            SignatureStatus::HeaderOnlyPass => AuthResult::HeaderOnlyPass,
        }
    }
}

impl From<crate::details::spf::Outcome> for AuthResult {
    fn from(outcome: crate::details::spf::Outcome) -> Self {
        use crate::details::spf::Outcome;
        match outcome {
            Outcome::Pass => AuthResult::Pass,
            Outcome::Fail => AuthResult::Fail,
            Outcome::SoftFail => AuthResult::Softfail,
            Outcome::Neutral => AuthResult::Neutral,
            Outcome::None => AuthResult::None,
            Outcome::PermError => AuthResult::Permerror,
            Outcome::TempError => AuthResult::Temperror,
        }
    }
}

/// The result a receiver recorded, read from header text (JSON: the word,
/// lowercased; the text as written when it is no RFC 8601 result word;
/// `""` when nothing was recorded — the ARC chain row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RecordedResult {
    /// A result word a receiver may write (never Sendtrust's own
    /// `not-checked` or `header-only-pass`).
    Word(AuthResult),
    /// Not a result word (`hardfail`, `bestguesspass`, garbage), lowercased.
    Unreadable(String),
    /// Nothing was recorded: the row is Sendtrust's own check.
    #[default]
    Nothing,
}

impl RecordedResult {
    /// Reads a recorded result word (case-insensitive; whitespace around it
    /// ignored).
    pub fn parse(text: &str) -> RecordedResult {
        let word = text.trim().to_ascii_lowercase();
        let known = match word.as_str() {
            "" => return RecordedResult::Nothing,
            "pass" => AuthResult::Pass,
            "fail" => AuthResult::Fail,
            "softfail" => AuthResult::Softfail,
            "neutral" => AuthResult::Neutral,
            "none" => AuthResult::None,
            "temperror" => AuthResult::Temperror,
            "permerror" => AuthResult::Permerror,
            "policy" => AuthResult::Policy,
            _ => return RecordedResult::Unreadable(word),
        };
        RecordedResult::Word(known)
    }

    /// The recorded word, when it is one.
    pub fn word(&self) -> Option<AuthResult> {
        match self {
            RecordedResult::Word(word) => Some(*word),
            _ => None,
        }
    }

    /// The value as written in the JSON.
    pub fn as_str(&self) -> &str {
        match self {
            RecordedResult::Word(word) => word.as_str(),
            RecordedResult::Unreadable(text) => text,
            RecordedResult::Nothing => "",
        }
    }
}

impl From<String> for RecordedResult {
    fn from(text: String) -> Self {
        RecordedResult::parse(&text)
    }
}

impl From<RecordedResult> for String {
    fn from(recorded: RecordedResult) -> Self {
        match recorded {
            RecordedResult::Unreadable(text) => text,
            other => other.as_str().to_string(),
        }
    }
}

impl std::fmt::Display for RecordedResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One bulk-sender requirement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChecklistItem {
    /// Stable id (`spf-pass`, `dkim-pass`, `dmarc-record`, `from-aligned`, `fcrdns`,
    /// `tls`, `one-click-unsubscribe`, `rfc5322`).
    pub id: String,
    /// The requirement in words.
    pub title: String,
    /// Whether the message meets it.
    pub status: ChecklistStatus,
    /// What the status rests on.
    pub evidence: String,
}

/// Whether a message meets a bulk-sender requirement (JSON: `pass`,
/// `fail`, `unknown`, `not-applicable`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistStatus {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Could not be decided (offline, a DNS failure).
    Unknown,
    /// Does not apply to this message.
    NotApplicable,
}

impl ChecklistStatus {
    /// The status as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChecklistStatus::Pass => "pass",
            ChecklistStatus::Fail => "fail",
            ChecklistStatus::Unknown => "unknown",
            ChecklistStatus::NotApplicable => "not-applicable",
        }
    }
}

impl std::fmt::Display for ChecklistStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decoded antispam header set from one vendor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AntispamReport {
    /// `microsoft`, `spamassassin` or `rspamd`.
    pub vendor: String,
    /// The header field(s) read.
    pub header: String,
    /// The overall verdict in words (e.g. "SCL 5: spam (junk folder)").
    pub verdict: Option<String>,
    /// Score, when given.
    pub score: Option<f64>,
    /// Threshold (required score), when given.
    pub threshold: Option<f64>,
    /// The decoded fields / rules.
    pub items: Vec<AntispamItem>,
}

/// One decoded antispam field or rule.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AntispamItem {
    /// The key as written (`SCL`, `SFV`, `BAYES_00`, `DKIM_SIGNED`).
    pub key: String,
    /// The value as written (`5`, `SPM`, `-1.9`).
    pub value: String,
    /// What it means, for people (empty when unknown).
    pub meaning: String,
}

/// What the input was and what normalisation did to it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct InputInfo {
    /// Size of the input as received, in bytes.
    pub bytes: usize,
    /// True when the input holds a header block and no body.
    pub headers_only: bool,
    /// Human-readable notes on each repair (line ends, BOM, mbox line, …).
    pub repairs: Vec<String>,
}

/// The summary fields, decoded for display. Absent headers are `None`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// `From` as written (display name and address).
    pub from: Option<String>,
    /// `To` as written.
    pub to: Option<String>,
    /// Decoded `Subject`.
    pub subject: Option<String>,
    /// `Date`, as RFC 3339 in UTC when it parses, else the raw text.
    pub date: Option<String>,
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// The envelope sender from `Return-Path`, without angle brackets
    /// (empty string for the null sender `<>`).
    pub return_path: Option<String>,
}

/// One header field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HeaderField {
    /// Field name as written.
    pub name: String,
    /// Raw value, unfolded (CRLF + WSP replaced by the WSP), not decoded.
    pub value: String,
}

/// TLS recorded by a receiving server for one hop.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TlsInfo {
    /// Protocol version as recorded, normalised (`TLSv1.3`, `TLSv1.2`, …), when known.
    pub version: Option<String>,
    /// Cipher suite as recorded, when known.
    pub cipher: Option<String>,
}

/// The reverse name a receiving server recorded for its client.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
#[serde(try_from = "RecordedRdnsJson")]
pub enum RecordedRdns {
    /// The field records a name.
    Name(String),
    /// The field says the lookup gave nothing (`unknown`).
    Unknown,
    /// The field writes the client's address where the name goes (Yahoo,
    /// Zoho, Exchange 5.5 and Apache James do when they have no name for
    /// it): no name was recorded. SpamAssassin's parser reports the address
    /// as the reverse name; keeping it apart keeps rule 2 from reading it as
    /// a name that has since been lost.
    Address(String),
}

/// [`RecordedRdns`] as read from JSON: `kind` and `name` as plain fields.
/// An adjacently tagged reader buffers `name` when it comes before `kind`, a
/// large reader in the page's UI wasm; the JSON is the same.
#[derive(Deserialize)]
struct RecordedRdnsJson {
    kind: RecordedRdnsKind,
    name: Option<String>,
}

/// The `kind` of a [`RecordedRdns`].
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RecordedRdnsKind {
    Name,
    Unknown,
    Address,
}

impl TryFrom<RecordedRdnsJson> for RecordedRdns {
    type Error = crate::details::MissingField;

    fn try_from(json: RecordedRdnsJson) -> Result<Self, crate::details::MissingField> {
        use crate::details::required;
        Ok(match json.kind {
            RecordedRdnsKind::Name => RecordedRdns::Name(required(json.name, "name")?),
            RecordedRdnsKind::Unknown => RecordedRdns::Unknown,
            RecordedRdnsKind::Address => RecordedRdns::Address(required(json.name, "name")?),
        })
    }
}

/// What a Received field that records no relay is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalFieldKind {
    /// Mail handed in on the host itself (`from userid`, qmail's `invoked by
    /// uid`, Exim's `with local`, pickup services).
    LocalSubmission,
    /// A hand-over between two queues of one host (qmail `invoked from network`).
    QueueHandover,
    /// Only a comment.
    CommentOnly,
    /// Fetched from a mailbox (fetchmail, getmail).
    Retrieval,
    /// A content scanner on the receiving host (amavis, SpamAssassin, qmail-scanner).
    ContentScanner,
    /// Delivery to the mailbox (LMTP).
    LocalDelivery,
    /// Only a `by` part.
    NoClient,
    /// A client without an address.
    NoClientAddress,
    /// No relay, for a reason the reader does not name.
    #[default]
    Unrecognised,
}

impl LocalFieldKind {
    /// The kind as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LocalFieldKind::LocalSubmission => "local-submission",
            LocalFieldKind::QueueHandover => "queue-handover",
            LocalFieldKind::CommentOnly => "comment-only",
            LocalFieldKind::Retrieval => "retrieval",
            LocalFieldKind::ContentScanner => "content-scanner",
            LocalFieldKind::LocalDelivery => "local-delivery",
            LocalFieldKind::NoClient => "no-client",
            LocalFieldKind::NoClientAddress => "no-client-address",
            LocalFieldKind::Unrecognised => "unrecognised",
        }
    }
}

/// One relay hop, from one Received field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Hop {
    /// Position in `hops`, 0 = oldest.
    pub index: usize,
    /// Position of the Received field among all header fields (0 = first in the message).
    pub header_index: usize,
    /// The Received field, unfolded.
    pub raw: String,
    /// Name the client gave in HELO/EHLO.
    pub from_helo: Option<String>,
    /// Client IP address as recorded.
    pub from_ip: Option<IpAddr>,
    /// Reverse name recorded by the receiving server; `None` when the field records none.
    pub from_rdns: Option<RecordedRdns>,
    /// The receiving host (`by`).
    pub by: Option<String>,
    /// Protocol (`with`), e.g. `ESMTPS`.
    pub with: Option<String>,
    /// TLS, when recorded or implied by the protocol.
    pub tls: Option<TlsInfo>,
    /// Queue id (`id`).
    pub id: Option<String>,
    /// Recipient (`for`).
    pub for_addr: Option<String>,
    /// Envelope sender, when recorded.
    pub envelope_from: Option<String>,
    /// How the client authenticated (e.g. `ESMTPSA`, `Authenticated sender: …`), when it did.
    pub authenticated: Option<String>,
    /// Time stamp in UTC (RFC 3339), when readable.
    pub time: Option<String>,
    /// Seconds since the previous hop (negative = clock skew), when both times are known.
    pub delay_seconds: Option<i64>,
    /// True when the client IP is private, loopback or otherwise not routable.
    pub private: bool,
    /// The date as written after the `;` (shown when it could not be read,
    /// in which case `time` is `None`).
    #[serde(default)]
    pub date_text: Option<String>,
    /// True when the hand-off walk counted this hop as part of the recipient's
    /// own mail system (a hop above the hand-off hop). See `docs/handoff.md`.
    #[serde(default)]
    pub inside_recipient: bool,
}

/// A Received field that records no relay.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocalField {
    /// Position of the field among all header fields.
    pub header_index: usize,
    /// The field, unfolded.
    pub raw: String,
    /// Why it is not a relay (e.g. "qmail local injection (invoked by uid)").
    pub reason: String,
    /// What kind of field it is.
    #[serde(default)]
    pub kind: LocalFieldKind,
    /// The word after `from`, as written, when there is one.
    #[serde(default)]
    pub from: Option<String>,
    /// The host that wrote the field (`by`), when recorded.
    #[serde(default)]
    pub by: Option<String>,
    /// Time stamp in UTC (RFC 3339), when readable.
    #[serde(default)]
    pub time: Option<String>,
}

/// An observation about the Received chain.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChainNote {
    /// What kind of observation (JSON: `clock-skew`, `long-delay`, `gap`,
    /// `no-tls`, `omitted`).
    pub kind: ChainNoteKind,
    /// Hop the note is about.
    pub hop_index: usize,
    /// One sentence for a person.
    pub message: String,
    /// The time difference behind a `clock-skew` (negative) or `long-delay`
    /// note, in seconds.
    #[serde(default)]
    pub seconds: Option<i64>,
}

/// The kinds of [`ChainNote`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ChainNoteKind {
    /// A hop is dated before the one below it.
    ClockSkew,
    /// A hop took unusually long.
    LongDelay,
    /// A hop's client is not the previous hop's receiver.
    Gap,
    /// A hop without TLS.
    NoTls,
    /// Hops or local fields left out of a very long chain.
    Omitted,
}

impl ChainNoteKind {
    /// The kind as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ChainNoteKind::ClockSkew => "clock-skew",
            ChainNoteKind::LongDelay => "long-delay",
            ChainNoteKind::Gap => "gap",
            ChainNoteKind::NoTls => "no-tls",
            ChainNoteKind::Omitted => "omitted",
        }
    }
}

impl std::fmt::Display for ChainNoteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sending server: the hop whose client handed the message to the
/// recipient's infrastructure.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sender {
    /// Its IP address.
    pub ip: IpAddr,
    /// The HELO name it gave, when recorded.
    pub helo: Option<String>,
    /// The reverse name recorded by the receiver at the time, when recorded.
    pub rdns: Option<RecordedRdns>,
    /// Index into `hops`, or `None` when the IP was given by the user with no matching hop.
    pub hop_index: Option<usize>,
    /// Who chose it (JSON: `auto` or `user`).
    pub chosen_by: ChosenBy,
    /// The inbound filtering service recognised in front of the recipient's
    /// mailbox, when the walk went past one to find this server (`None` when
    /// no filter was recognised or the user chose the hop).
    #[serde(default)]
    pub filter: Option<InboundFilter>,
}

/// Who chose the sending server.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ChosenBy {
    /// Sendtrust's hand-off walk (`docs/handoff.md`).
    Auto,
    /// The user named the IP.
    User,
}

/// An inbound filtering service (a hosted spam/malware filter) that received
/// the message for the recipient and handed it on to the recipient's mailbox
/// system: recipient infrastructure, not the sender.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InboundFilter {
    /// Which service.
    pub service: FilterService,
    /// The service's name for people (`Mimecast`, `Proofpoint`, …).
    pub name: String,
    /// Index into `hops` of the hop where the filter's relay handed the
    /// message to the recipient's mailbox system.
    pub hop_index: usize,
    /// The filter relay's address (the client of that hop).
    pub ip: IpAddr,
    /// The relay's host name it was recognised by (recorded reverse name, or
    /// HELO name when the recipient's inbound connector vouches for it).
    pub host: String,
    /// Why the filter counts as the recipient's (each item names a header
    /// field or a record), in the order found.
    pub evidence: Vec<String>,
}

/// The inbound filtering services Sendtrust recognises
/// (crates/sendtrust/src/lists/inbound_filters.rs).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum FilterService {
    /// Mimecast.
    Mimecast,
    /// Proofpoint (Protection Server / on Demand, pphosted.com; Essentials).
    Proofpoint,
    /// Barracuda Email Security Service / Gateway.
    Barracuda,
    /// Cisco Secure Email (IronPort; cloud gateways under iphmx.com).
    CiscoSecureEmail,
    /// Trend Micro Email Security.
    TrendMicro,
    /// Sophos Email.
    Sophos,
    /// Hornetsecurity (antispameurope.com relays).
    Hornetsecurity,
}

/// The ids of the five rules.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    /// Rule 1: the sending server is not on a dynamic address.
    StaticIp,
    /// Rule 2: forward-confirmed reverse DNS.
    ReverseDns,
    /// Rule 3: not on DNS blocklists.
    Blocklists,
    /// Rule 4: SPF authorises the IP.
    Spf,
    /// Rule 5: DKIM signatures verify.
    Dkim,
}

impl RuleId {
    /// All rules in the order they are shown.
    pub const ALL: [RuleId; 5] = [
        RuleId::StaticIp,
        RuleId::ReverseDns,
        RuleId::Blocklists,
        RuleId::Spf,
        RuleId::Dkim,
    ];

    /// The id as written in the JSON (`static-ip`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::StaticIp => "static-ip",
            RuleId::ReverseDns => "reverse-dns",
            RuleId::Blocklists => "blocklists",
            RuleId::Spf => "spf",
            RuleId::Dkim => "dkim",
        }
    }

    /// The rule's title for people.
    pub fn title(self) -> &'static str {
        match self {
            RuleId::StaticIp => "Static IP",
            RuleId::ReverseDns => "Forward and reverse DNS",
            RuleId::Blocklists => "Blocklists",
            RuleId::Spf => "SPF",
            RuleId::Dkim => "DomainKeys (DKIM)",
        }
    }

    /// Why the rule matters, in a sentence or two.
    pub fn why(self) -> &'static str {
        match self {
            RuleId::StaticIp => {
                "Receivers distrust mail sent straight from home and mobile connections: \
                 most spam from infected machines comes from dynamic addresses, so many \
                 filters reject or penalise them outright."
            }
            RuleId::ReverseDns => {
                "A PTR name that points back to the same IP shows that whoever runs the \
                 address also controls the name. Gmail, Outlook and most filters expect it \
                 and reject or junk mail from IPs without it."
            }
            RuleId::Blocklists => {
                "Receivers look the sending IP and domains up on DNS blocklists before \
                 accepting mail; a listing usually means rejection at the door."
            }
            RuleId::Spf => {
                "SPF lets the envelope sender's domain say which servers may send its mail. \
                 Without a pass, forgery cannot be told from the real thing and DMARC can \
                 only rely on DKIM."
            }
            RuleId::Dkim => {
                "A DKIM signature proves the message was approved by the signing domain and \
                 not changed on the way. Gmail and Yahoo require it from bulk senders, and \
                 DMARC needs it to survive forwarding."
            }
        }
    }
}

/// A rule's verdict.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The rule is met.
    Pass,
    /// Met, with something worth fixing.
    Warn,
    /// Not met.
    Fail,
    /// Could not be checked (DNS failure, offline, missing data); `summary` says why.
    Unknown,
    /// Does not apply to this message (e.g. no public sending IP).
    NotApplicable,
}

impl Verdict {
    /// The verdict as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
            Verdict::NotApplicable => "not-applicable",
        }
    }
}

/// One piece of evidence behind a verdict.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    /// What this is (e.g. "PTR of 198.51.100.25").
    pub label: String,
    /// What was found (records, answers, header text).
    pub value: String,
    /// How this piece leans.
    pub tone: Tone,
}

/// How a piece of evidence leans (JSON: `good`, `bad`, `neutral`, `error`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Tone {
    /// Supports a pass.
    Good,
    /// Supports a warn or fail.
    Bad,
    /// Context.
    Neutral,
    /// A lookup that could not be made.
    Error,
}

impl std::fmt::Display for Tone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Tone {
    /// The tone as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Neutral => "neutral",
            Tone::Error => "error",
        }
    }
}

impl Evidence {
    /// Evidence that supports a pass.
    pub fn good(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with_tone(label, value, Tone::Good)
    }
    /// Evidence that supports a warn or fail.
    pub fn bad(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with_tone(label, value, Tone::Bad)
    }
    /// Context.
    pub fn neutral(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with_tone(label, value, Tone::Neutral)
    }
    /// A lookup that could not be made.
    pub fn error(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with_tone(label, value, Tone::Error)
    }
    fn with_tone(label: impl Into<String>, value: impl Into<String>, tone: Tone) -> Self {
        Evidence {
            label: label.into(),
            value: value.into(),
            tone,
        }
    }
}

/// A rule's structured detail, one variant per rule (documented per rule in
/// docs/report-schema.md). The rule's `id` is the tag: the JSON of `details`
/// holds the variant's fields alone, and [`RuleResult`]'s deserialisation
/// reads them by its `id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RuleDetails {
    /// Rule 1: the reverse name, HELO name and dynamic-range lists.
    StaticIp(Box<crate::details::static_ip::StaticIpDetails>),
    /// Rule 2: the PTR names, their forward lookups, HELO and the recorded name.
    ReverseDns(Box<crate::details::reverse_dns::ReverseDnsDetails>),
    /// Rule 3: every list's answer about the IP and the sender domains.
    Blocklists(Box<crate::details::blocklists::BlocklistsDetails>),
    /// Rule 4: the SPF evaluation.
    Spf(Box<crate::details::spf::SpfEvaluation>),
    /// Rule 5: every signature.
    Dkim(crate::details::dkim::DkimDetails),
}

impl RuleDetails {
    /// `details` of the rule `id` read from its JSON text (`null`: none).
    pub fn from_json(id: RuleId, json: &str) -> serde_json::Result<Option<Self>> {
        if json.trim() == "null" {
            return Ok(None);
        }
        Ok(Some(match id {
            RuleId::StaticIp => RuleDetails::StaticIp(Box::new(self::json::from_str(json)?)),
            RuleId::ReverseDns => RuleDetails::ReverseDns(Box::new(self::json::from_str(json)?)),
            RuleId::Blocklists => RuleDetails::Blocklists(Box::new(self::json::from_str(json)?)),
            RuleId::Spf => RuleDetails::Spf(Box::new(self::json::from_str(json)?)),
            RuleId::Dkim => RuleDetails::Dkim(self::json::from_str(json)?),
        }))
    }
}

/// A rule's result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleResult {
    /// Which rule.
    pub id: RuleId,
    /// Its title for people.
    pub title: String,
    /// The verdict.
    pub verdict: Verdict,
    /// One sentence: the verdict and its main reason.
    pub summary: String,
    /// What the verdict rests on.
    pub evidence: Vec<Evidence>,
    /// Why the rule matters.
    pub why: String,
    /// How to fix it, in plain words; `None` when there is nothing to fix.
    pub fix: Option<String>,
    /// The exact DNS records to publish for the fix, computed from the
    /// evidence (rule 4: the corrected SPF record; rule 2: the PTR and the
    /// A/AAAA record; rule 5: the key record). Empty when the rule has nothing
    /// to publish.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_records: Vec<RecordFix>,
    /// Server settings and commands that go with the fix (rule 2: the HELO
    /// name for the common MTAs; rule 5: key generation and the signer's
    /// settings). Empty when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_settings: Vec<SettingFix>,
    /// The next step for each problem the rule found that is not a record to
    /// publish (rule 3: each listing's delisting policy and page; rule 5: each
    /// signature problem). Empty when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fix_steps: Vec<FixStep>,
    /// Rule-specific structured detail (documented per rule in the schema doc).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<RuleDetails>,
}

impl<'de> Deserialize<'de> for RuleResult {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RuleResult", RULE_RESULT_FIELDS, RuleResultVisitor)
    }
}

/// The JSON fields of a [`RuleResult`], in the order they are written.
const RULE_RESULT_FIELDS: &[&str] = &[
    "id",
    "title",
    "verdict",
    "summary",
    "evidence",
    "why",
    "fix",
    "fix_records",
    "fix_settings",
    "fix_steps",
    "details",
];

/// A field name of a [`RuleResult`]; unknown fields are skipped, as derived
/// readers do.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum RuleResultField {
    Id,
    Title,
    Verdict,
    Summary,
    Evidence,
    Why,
    Fix,
    FixRecords,
    FixSettings,
    FixSteps,
    Details,
    #[serde(other)]
    Unknown,
}

/// Reads a [`RuleResult`] field by field, its `details` straight into the
/// type its `id` names.
///
/// Hand-written because `details` carries no tag of its own. A derived
/// reader would hold it in a `serde_json::Value` and read the type from that,
/// which links a second reader for every detail type (4 KB brotli of the
/// page's UI wasm). The report writes `id` first, so `details` is read once,
/// by the reader the report comes through. Only when `details` comes first
/// (a `serde_json::Value` sorts its keys) is it held ([`HeldDetails`]) and
/// read from its JSON text once `id` is known.
struct RuleResultVisitor;

impl<'de> serde::de::Visitor<'de> for RuleResultVisitor {
    type Value = RuleResult;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a rule result")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RuleResult, A::Error> {
        use serde::de::Error as _;
        let mut id = None;
        let mut title = None;
        let mut verdict = None;
        let mut summary = None;
        let mut evidence = None;
        let mut why = None;
        let mut fix = None;
        let mut fix_records = None;
        let mut fix_settings = None;
        let mut fix_steps = None;
        let mut details = None;
        let mut details_first = None;
        while let Some(field) = map.next_key::<RuleResultField>()? {
            match field {
                RuleResultField::Id => id = Some(map.next_value()?),
                RuleResultField::Title => title = Some(map.next_value()?),
                RuleResultField::Verdict => verdict = Some(map.next_value()?),
                RuleResultField::Summary => summary = Some(map.next_value()?),
                RuleResultField::Evidence => evidence = Some(map.next_value()?),
                RuleResultField::Why => why = Some(map.next_value()?),
                RuleResultField::Fix => fix = Some(map.next_value()?),
                RuleResultField::FixRecords => fix_records = Some(map.next_value()?),
                RuleResultField::FixSettings => fix_settings = Some(map.next_value()?),
                RuleResultField::FixSteps => fix_steps = Some(map.next_value()?),
                RuleResultField::Details => match id {
                    Some(id) => details = map.next_value_seed(DetailsSeed(id))?,
                    None => details_first = Some(map.next_value::<HeldDetails>()?),
                },
                RuleResultField::Unknown => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let id: RuleId = id.ok_or_else(|| A::Error::missing_field("id"))?;
        if let Some(held) = details_first {
            details = RuleDetails::from_json(id, &held_text(&held)).map_err(A::Error::custom)?;
        }
        Ok(RuleResult {
            id,
            title: title.ok_or_else(|| A::Error::missing_field("title"))?,
            verdict: verdict.ok_or_else(|| A::Error::missing_field("verdict"))?,
            summary: summary.ok_or_else(|| A::Error::missing_field("summary"))?,
            evidence: evidence.ok_or_else(|| A::Error::missing_field("evidence"))?,
            why: why.ok_or_else(|| A::Error::missing_field("why"))?,
            fix: fix.flatten(),
            fix_records: fix_records.unwrap_or_default(),
            fix_settings: fix_settings.unwrap_or_default(),
            fix_steps: fix_steps.unwrap_or_default(),
            details,
        })
    }
}

/// `details` held until `id` is known (when it comes first): its JSON text
/// where `serde_json`'s `raw_value` is on (the `raw-details` feature, which
/// the page's UI wasm turns on: it reads no `Value` then), a `Value` elsewhere
/// (`raw_value` would cost the engine wasm ~1.5 KB in every `Value` it reads).
#[cfg(feature = "raw-details")]
type HeldDetails = Box<serde_json::value::RawValue>;
/// See above.
#[cfg(not(feature = "raw-details"))]
type HeldDetails = serde_json::Value;

#[cfg(feature = "raw-details")]
fn held_text(held: &HeldDetails) -> String {
    held.get().to_string()
}

#[cfg(not(feature = "raw-details"))]
fn held_text(held: &HeldDetails) -> String {
    held.to_string()
}

/// Reads `details` (or `null`) as the variant of the rule it belongs to.
struct DetailsSeed(RuleId);

impl<'de> serde::de::DeserializeSeed<'de> for DetailsSeed {
    type Value = Option<RuleDetails>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DetailsSeed {
    type Value = Option<RuleDetails>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "the details of rule {}", self.0.as_str())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(Some(match self.0 {
            RuleId::StaticIp => RuleDetails::StaticIp(Box::new(Deserialize::deserialize(d)?)),
            RuleId::ReverseDns => RuleDetails::ReverseDns(Box::new(Deserialize::deserialize(d)?)),
            RuleId::Blocklists => RuleDetails::Blocklists(Box::new(Deserialize::deserialize(d)?)),
            RuleId::Spf => RuleDetails::Spf(Box::new(Deserialize::deserialize(d)?)),
            RuleId::Dkim => RuleDetails::Dkim(Deserialize::deserialize(d)?),
        }))
    }
}

impl RuleResult {
    /// A result with the rule's title and `why` filled in.
    pub fn new(id: RuleId, verdict: Verdict, summary: impl Into<String>) -> Self {
        RuleResult {
            id,
            title: id.title().to_string(),
            verdict,
            summary: summary.into(),
            evidence: Vec::new(),
            why: id.why().to_string(),
            fix: None,
            fix_records: Vec::new(),
            fix_settings: Vec::new(),
            fix_steps: Vec::new(),
            details: None,
        }
    }

    /// Rule 1's details, when it checked an IP.
    pub fn static_ip_details(&self) -> Option<&crate::details::static_ip::StaticIpDetails> {
        match &self.details {
            Some(RuleDetails::StaticIp(d)) => Some(d),
            _ => None,
        }
    }

    /// Rule 2's details, when it checked an IP.
    pub fn reverse_dns_details(&self) -> Option<&crate::details::reverse_dns::ReverseDnsDetails> {
        match &self.details {
            Some(RuleDetails::ReverseDns(d)) => Some(d),
            _ => None,
        }
    }

    /// Rule 3's details, when it looked anything up.
    pub fn blocklists_details(&self) -> Option<&crate::details::blocklists::BlocklistsDetails> {
        match &self.details {
            Some(RuleDetails::Blocklists(d)) => Some(d),
            _ => None,
        }
    }

    /// Rule 4's SPF evaluation, when SPF was evaluated.
    pub fn spf_details(&self) -> Option<&crate::details::spf::SpfEvaluation> {
        match &self.details {
            Some(RuleDetails::Spf(e)) => Some(e),
            _ => None,
        }
    }

    /// Rule 5's signatures, when it listed any.
    pub fn dkim_details(&self) -> Option<&crate::details::dkim::DkimDetails> {
        match &self.details {
            Some(RuleDetails::Dkim(d)) => Some(d),
            _ => None,
        }
    }

    /// Adds a fix.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Adds a piece of evidence.
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence.push(evidence);
        self
    }
}

/// One DNS record to publish (or change) to fix a rule. Built by pure
/// functions from the rule's evaluation; nothing in it is guessed: when the
/// record needs a fact Sendtrust does not have, `value` is `None` and
/// `needs` names the fact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RecordFix {
    /// The owner name of the record (`example.com`, `7.113.0.203.in-addr.arpa`).
    pub name: String,
    /// The record type: `TXT`, `PTR`, `A`, `AAAA` or `CNAME`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The full record text to publish (for TXT, the text without quotes);
    /// `None` when it depends on a fact named in `needs`.
    pub value: Option<String>,
    /// The current value this record replaces, when there is one.
    pub replaces: Option<String>,
    /// Who has to make the change (whose DNS holds the record).
    pub controlled_by: String,
    /// The fact Sendtrust does not have and the fix needs, when there is one.
    pub needs: Option<String>,
    /// When `value` is `None`: the record's text with a `<…>` placeholder
    /// where the fact named in `needs` goes (e.g. `v=DKIM1; k=rsa; p=<public
    /// key>`), when its shape is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The record's DNS lookup count under RFC 7208 4.6.4 (SPF only).
    pub lookups: Option<usize>,
    /// Why the record looks as it does, and what else to know.
    pub note: Option<String>,
}

/// How an entry comes off a blocklist (the list's own policy).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Removal {
    /// The sender asks on the list's page, once the cause is fixed.
    SelfService,
    /// A request form the list's staff review.
    RequestForm,
    /// Only the owner of the address block (the ISP or hosting provider) can
    /// ask.
    NetworkOwner,
    /// The entry expires on its own once the cause stops; there is nothing
    /// to ask.
    Expires,
    /// Not about behaviour: the address block owner's policy; removal is the
    /// owner's choice (and, for a static server, sometimes self-service).
    OwnersPolicy,
}

impl Removal {
    /// The value as written in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Removal::SelfService => "self-service",
            Removal::RequestForm => "request-form",
            Removal::NetworkOwner => "network-owner",
            Removal::Expires => "expires",
            Removal::OwnersPolicy => "owners-policy",
        }
    }
}

/// The next step for one problem a rule found that is not a record to
/// publish: a blocklist listing (rule 3) or a DKIM signature problem (rule 5).
/// Built by pure functions from the rule's evidence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FixStep {
    /// What kind of problem: `listed` (rule 3); rule 5: `no-signature`,
    /// `key-too-small`, `weak-key`, `rsa-sha1`, `body-length`, `expired`,
    /// `revoked`, `key-missing`, `body-changed`, `header-only`, `malformed`,
    /// `signature-mismatch`, `testing`, `not-aligned`. An open set: new values
    /// may appear without a schema bump.
    pub problem: String,
    /// What it is about (`198.51.100.7 on Spamhaus ZEN (127.0.0.2)`,
    /// `d=example.com s=sel1`).
    pub subject: String,
    /// The next step, one sentence or two (for a listing: the list's policy,
    /// what must be fixed before delisting).
    pub step: String,
    /// How a listing comes off the list, when Sendtrust knows the list's policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal: Option<Removal>,
    /// The page to go to (a list's lookup and removal page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Where the policy is stated (the list's own page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One server setting that goes with a fix (e.g. the HELO name in Postfix).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SettingFix {
    /// The software (`Postfix`, `Exim`, `Sendmail`, `Microsoft Exchange / Exchange Online`).
    pub software: String,
    /// Where the setting goes (`/etc/postfix/main.cf`, …).
    pub location: String,
    /// The line or command to use, complete.
    pub setting: String,
}

/// How DNS was asked for this report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DnsSettings {
    /// True when nothing was sent (offline mode).
    pub offline: bool,
    /// The DoH endpoint URL, when online.
    pub provider: Option<String>,
    /// `wire` (RFC 8484) or `json`.
    pub format: Option<String>,
}

/// One DNS question and what came of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DnsLogEntry {
    /// Query name, fully qualified without the trailing dot.
    pub name: String,
    /// Record type (`A`, `AAAA`, `TXT`, `PTR`, `MX`).
    pub qtype: String,
    /// `NOERROR`, `NXDOMAIN`, `NODATA`, or the failure kind
    /// (`timeout`, `network`, `http-status`, `SERVFAIL`, `REFUSED`, `malformed`, …).
    pub status: String,
    /// Answers in presentation form.
    pub answers: Vec<String>,
    /// Milliseconds from the request to the answer (0 when served from the cache).
    pub ms: u64,
    /// When the question was asked, in milliseconds since the analysis started.
    #[serde(default)]
    pub started_ms: u64,
    /// True when the answer came from this analysis's cache.
    pub cached: bool,
    /// Number of HTTP attempts (retries included).
    pub attempts: u32,
    /// A detail for failures (HTTP status text, error message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::details::dkim::{DkimDetails, DomainKeySignature};

    /// A failed rule 5 with details (also `report::json`'s test subject).
    pub(crate) fn dkim_result() -> RuleResult {
        RuleResult {
            details: Some(RuleDetails::Dkim(DkimDetails {
                signatures: Vec::new(),
                domainkeys: vec![DomainKeySignature {
                    domain: "example.test".into(),
                    selector: "s1".into(),
                }],
            })),
            ..RuleResult::new(RuleId::Dkim, Verdict::Fail, "no signature verifies")
        }
    }

    #[test]
    fn details_are_read_back_as_the_rules_type_in_any_field_order() {
        let result = dkim_result();
        let json = serde_json::to_string(&result).expect("serialises");
        let back: RuleResult = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, result);
        // Through a `serde_json::Value` (keys sorted: `details` before `id`).
        let value = serde_json::to_value(&result).expect("serialises");
        let back: RuleResult = serde_json::from_value(value).expect("reads back from a Value");
        assert_eq!(back, result);
        // Written by hand with `details` first.
        let reordered = format!(
            r#"{{"details":{{"signatures":[],"domainkeys":[{{"domain":"example.test","selector":"s1"}}]}},{}"#,
            json.trim_start_matches('{')
                .split(",\"details\":")
                .next()
                .expect("a details field")
        ) + "}";
        let back: RuleResult = serde_json::from_str(&reordered).expect("reads details first");
        assert_eq!(back, result);
    }

    #[test]
    fn null_or_missing_details_are_none_and_a_wrong_shape_is_an_error() {
        let mut result = dkim_result();
        result.details = None;
        let json = serde_json::to_string(&result).expect("serialises");
        assert!(!json.contains("details"), "{json}");
        let missing: RuleResult = serde_json::from_str(&json).expect("reads without details");
        assert_eq!(missing.details, None);
        let null = json.replacen('{', r#"{"details":null,"#, 1);
        let null: RuleResult = serde_json::from_str(&null).expect("reads null details");
        assert_eq!(null.details, None);
        // Fields this version does not know are skipped, wherever they are.
        let json = serde_json::to_string(&dkim_result()).expect("serialises");
        let extra = json.replacen('{', r#"{"later":{"a":[1,{"b":null}]},"#, 1);
        let extra = extra.replacen(r#","details""#, r#","more":[2],"details""#, 1);
        let back: RuleResult = serde_json::from_str(&extra).expect("reads unknown fields");
        assert_eq!(back, dkim_result());
        // Rule 5's details under rule 1's id are not rule 1's details.
        let json = serde_json::to_string(&dkim_result())
            .expect("serialises")
            .replace(r#""id":"dkim""#, r#""id":"static-ip""#);
        assert!(serde_json::from_str::<RuleResult>(&json).is_err(), "{json}");
    }
}
