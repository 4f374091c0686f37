//! Rule 2's details (`RuleDetails::ReverseDns`).

use super::names::NameKind;
use super::sender::CheckedSender;
use super::static_ip::PtrLookup;
use serde::{Deserialize, Serialize};

/// Rule 2's details in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ReverseDnsDetailsJson")]
pub struct ReverseDnsDetails {
    /// The sender checked.
    #[serde(flatten)]
    pub sender: CheckedSender,
    /// The reverse name lookup (`names` is `[]` when there are no records).
    pub ptr: PtrLookup<PtrHost>,
    /// Each PTR name's forward lookup.
    pub forward: Vec<ForwardLookup>,
    /// Forward-confirmed: `None` when a lookup failed and nothing confirmed.
    pub fcrdns: Option<bool>,
    /// The PTR names whose forward lookup includes the IP.
    pub confirmed_names: Vec<String>,
    /// What the first confirmed name is, when there is one.
    pub name_kind: Option<NameKind>,
    /// The HELO name's check.
    pub helo: HeloCheck,
    /// What the receiver recorded, next to today's PTR.
    pub recorded: RecordedCheck,
}

/// [`ReverseDnsDetails`] as read from JSON: the sender's fields listed, where
/// the report writes them flattened (a `#[serde(flatten)]` reader buffers the
/// whole object first; the JSON is the same).
#[derive(Deserialize)]
struct ReverseDnsDetailsJson {
    ip: std::net::IpAddr,
    hop_index: Option<usize>,
    chosen_by: crate::report::ChosenBy,
    reason: String,
    ptr: PtrLookup<PtrHost>,
    forward: Vec<ForwardLookup>,
    fcrdns: Option<bool>,
    confirmed_names: Vec<String>,
    name_kind: Option<NameKind>,
    helo: HeloCheck,
    recorded: RecordedCheck,
}

impl From<ReverseDnsDetailsJson> for ReverseDnsDetails {
    fn from(json: ReverseDnsDetailsJson) -> Self {
        ReverseDnsDetails {
            sender: CheckedSender {
                ip: json.ip,
                hop_index: json.hop_index,
                chosen_by: json.chosen_by,
                reason: json.reason,
            },
            ptr: json.ptr,
            forward: json.forward,
            fcrdns: json.fcrdns,
            confirmed_names: json.confirmed_names,
            name_kind: json.name_kind,
            helo: json.helo,
            recorded: json.recorded,
        }
    }
}

/// A PTR name (rule 2 gives the name alone; rule 1 also reads it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PtrHost {
    /// The name.
    pub name: String,
}

/// The forward lookup of one PTR name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForwardLookup {
    /// The PTR name.
    pub name: String,
    /// `A` or `AAAA`.
    pub qtype: String,
    /// What the lookup found.
    pub status: ForwardStatus,
    /// The addresses answered.
    pub addresses: Vec<String>,
    /// Why the lookup failed, when it did.
    pub error: Option<String>,
}

/// The outcome of a PTR name's forward lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardStatus {
    /// It includes the IP.
    Confirmed,
    /// It has other addresses only.
    Mismatch,
    /// The name does not exist.
    Nxdomain,
    /// No address record.
    Nodata,
    /// The lookup failed.
    Error,
    /// The name is not a valid host name (never asked).
    InvalidName,
}

/// The HELO name's check (rule 2), by `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
#[serde(try_from = "HeloCheckJson")]
pub enum HeloCheck {
    /// The receiver recorded no HELO name.
    Missing,
    /// An address literal.
    AddressLiteral {
        /// The HELO as recorded.
        value: String,
    },
    /// A generic greeting.
    Generic {
        /// The HELO as recorded.
        value: String,
        /// Why it is generic.
        reason: String,
    },
    /// Its address records include the IP.
    Agrees(HeloLookup),
    /// Its address records are other addresses.
    ResolvesElsewhere(HeloLookup),
    /// It has no address record, or does not exist.
    DoesNotResolve(HeloLookup),
    /// Its lookup failed.
    Error(HeloLookup),
    /// Not a valid host name (`name` and the lookup fields are present when
    /// it was converted to A-labels first).
    InvalidName {
        /// The HELO as recorded.
        value: String,
        /// The name in A-labels, when it converts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The addresses answered (none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        addresses: Option<Vec<String>>,
        /// Why it is invalid.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// [`HeloCheck`] as read from JSON: `status` and every variant's fields in
/// one flat object (an internally tagged reader buffers the object first;
/// the JSON is the same).
#[derive(Deserialize)]
struct HeloCheckJson {
    status: HeloCheckStatus,
    value: Option<String>,
    reason: Option<String>,
    name: Option<String>,
    addresses: Option<Vec<String>>,
    error: Option<String>,
}

/// The `status` of a [`HeloCheck`].
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum HeloCheckStatus {
    Missing,
    AddressLiteral,
    Generic,
    Agrees,
    ResolvesElsewhere,
    DoesNotResolve,
    Error,
    InvalidName,
}

impl TryFrom<HeloCheckJson> for HeloCheck {
    type Error = super::MissingField;

    fn try_from(json: HeloCheckJson) -> Result<Self, super::MissingField> {
        use super::required;
        let HeloCheckJson {
            status,
            value,
            reason,
            name,
            addresses,
            error,
        } = json;
        let lookup = |value, name, addresses, error| {
            Ok::<_, super::MissingField>(HeloLookup {
                value: required(value, "value")?,
                name: required(name, "name")?,
                addresses: required(addresses, "addresses")?,
                error,
            })
        };
        Ok(match status {
            HeloCheckStatus::Missing => HeloCheck::Missing,
            HeloCheckStatus::AddressLiteral => HeloCheck::AddressLiteral {
                value: required(value, "value")?,
            },
            HeloCheckStatus::Generic => HeloCheck::Generic {
                value: required(value, "value")?,
                reason: required(reason, "reason")?,
            },
            HeloCheckStatus::Agrees => HeloCheck::Agrees(lookup(value, name, addresses, error)?),
            HeloCheckStatus::ResolvesElsewhere => {
                HeloCheck::ResolvesElsewhere(lookup(value, name, addresses, error)?)
            }
            HeloCheckStatus::DoesNotResolve => {
                HeloCheck::DoesNotResolve(lookup(value, name, addresses, error)?)
            }
            HeloCheckStatus::Error => HeloCheck::Error(lookup(value, name, addresses, error)?),
            HeloCheckStatus::InvalidName => HeloCheck::InvalidName {
                value: required(value, "value")?,
                name,
                addresses,
                error,
            },
        })
    }
}

/// The HELO name's address lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeloLookup {
    /// The HELO as recorded.
    pub value: String,
    /// The name asked (A-labels).
    pub name: String,
    /// The addresses answered.
    pub addresses: Vec<String>,
    /// Why the lookup failed, when it did.
    pub error: Option<String>,
}

/// What the receiver recorded as the client's reverse name, by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[serde(try_from = "RecordedCheckJson")]
pub enum RecordedCheck {
    /// A name: is it among today's PTR names?
    Name {
        /// The recorded name.
        name: String,
        /// Whether today's PTR has it.
        matches: bool,
    },
    /// `unknown`: matches when no name is confirmed today either.
    Unknown {
        /// Whether today agrees.
        matches: bool,
    },
    /// Nothing recorded.
    None {
        /// Always `null`.
        matches: Option<bool>,
    },
}

/// [`RecordedCheck`] as read from JSON: `kind` and every variant's fields in
/// one flat object (an internally tagged reader buffers the object first;
/// the JSON is the same).
#[derive(Deserialize)]
struct RecordedCheckJson {
    kind: RecordedCheckKind,
    name: Option<String>,
    matches: Option<bool>,
}

/// The `kind` of a [`RecordedCheck`].
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RecordedCheckKind {
    Name,
    Unknown,
    None,
}

impl TryFrom<RecordedCheckJson> for RecordedCheck {
    type Error = super::MissingField;

    fn try_from(json: RecordedCheckJson) -> Result<Self, super::MissingField> {
        use super::required;
        Ok(match json.kind {
            RecordedCheckKind::Name => RecordedCheck::Name {
                name: required(json.name, "name")?,
                matches: required(json.matches, "matches")?,
            },
            RecordedCheckKind::Unknown => RecordedCheck::Unknown {
                matches: required(json.matches, "matches")?,
            },
            RecordedCheckKind::None => RecordedCheck::None {
                matches: json.matches,
            },
        })
    }
}
