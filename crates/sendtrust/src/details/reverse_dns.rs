//! Rule 2's details (`RuleDetails::ReverseDns`).

use super::names::NameKind;
use super::sender::CheckedSender;
use super::static_ip::PtrLookup;
use serde::{Deserialize, Serialize};

/// Rule 2's details in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
