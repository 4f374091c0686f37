//! Rule 1's details (`RuleDetails::StaticIp`).

use super::names::NameKind;
use super::sender::CheckedSender;
use crate::rules::dnsbl::ListResult;
use serde::{Deserialize, Serialize};

/// Runs the check.
/// Rule 1's details in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StaticIpDetailsJson")]
pub struct StaticIpDetails {
    /// The sender checked.
    #[serde(flatten)]
    pub sender: CheckedSender,
    /// The reverse name lookup and what each name says.
    pub ptr: PtrLookup<PtrName>,
    /// The HELO name and what it says.
    pub helo: HeloReading,
    /// The dynamic-range lists asked.
    pub lists: Vec<ListResult>,
    /// What points to a dynamic address.
    pub signals: Signals,
}

/// [`StaticIpDetails`] as read from JSON: the sender's fields listed, where
/// the report writes them flattened. A `#[serde(flatten)]` reader buffers the
/// whole object first, a large reader per type in the page's UI wasm; the
/// JSON is the same.
#[derive(Deserialize)]
struct StaticIpDetailsJson {
    ip: std::net::IpAddr,
    hop_index: Option<usize>,
    chosen_by: crate::report::ChosenBy,
    reason: String,
    ptr: PtrLookup<PtrName>,
    helo: HeloReading,
    lists: Vec<ListResult>,
    signals: Signals,
}

impl From<StaticIpDetailsJson> for StaticIpDetails {
    fn from(json: StaticIpDetailsJson) -> Self {
        StaticIpDetails {
            sender: CheckedSender {
                ip: json.ip,
                hop_index: json.hop_index,
                chosen_by: json.chosen_by,
                reason: json.reason,
            },
            ptr: json.ptr,
            helo: json.helo,
            lists: json.lists,
            signals: json.signals,
        }
    }
}

/// The PTR lookup of the checked IP, as rules 1 and 2 report it; `N` is
/// what each name is given as (rule 1: with its reading, rule 2: the name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "N: Deserialize<'de>"))]
pub struct PtrLookup<N> {
    /// The name asked (`….in-addr.arpa` / `….ip6.arpa`).
    pub query: String,
    /// What came back.
    pub status: PtrStatus,
    /// The names, when there are records (at most five).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Vec<N>>,
    /// Why the lookup failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of a PTR lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PtrStatus {
    /// PTR records (possibly none of them a name).
    Records,
    /// The name does not exist.
    Nxdomain,
    /// The name exists with no PTR record.
    Nodata,
    /// The lookup failed (`error` says why).
    Error,
}

/// One reverse name and what it says about the address (rule 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PtrName {
    /// The name.
    pub name: String,
    /// What kind of name it is.
    pub kind: NameKind,
    /// Why it reads so.
    pub reasons: Vec<String>,
    /// The hosting provider it belongs to, when recognised.
    pub provider: Option<String>,
}

/// What the HELO name says (rule 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[serde(try_from = "HeloReadingJson")]
pub enum HeloReading {
    /// The receiver recorded no HELO name.
    Missing,
    /// An address literal (`[192.0.2.1]`).
    AddressLiteral {
        /// The HELO as recorded.
        value: String,
    },
    /// A generic greeting (`localhost`, a bare word, …).
    Generic {
        /// The HELO as recorded.
        value: String,
        /// Why it is generic.
        reason: String,
    },
    /// A name, read like a reverse name.
    Name {
        /// The HELO as recorded.
        value: String,
        /// What kind of name it is.
        name_kind: NameKind,
        /// Why it reads so.
        reasons: Vec<String>,
    },
}

/// [`HeloReading`] as read from JSON: `kind` and every variant's fields in
/// one flat object. An internally tagged reader buffers the object first (a
/// large reader per type in the page's UI wasm); the JSON is the same.
#[derive(Deserialize)]
struct HeloReadingJson {
    kind: HeloReadingKind,
    value: Option<String>,
    reason: Option<String>,
    name_kind: Option<NameKind>,
    reasons: Option<Vec<String>>,
}

/// The `kind` of a [`HeloReading`].
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum HeloReadingKind {
    Missing,
    AddressLiteral,
    Generic,
    Name,
}

impl TryFrom<HeloReadingJson> for HeloReading {
    type Error = super::MissingField;

    fn try_from(json: HeloReadingJson) -> Result<Self, Self::Error> {
        use super::required;
        Ok(match json.kind {
            HeloReadingKind::Missing => HeloReading::Missing,
            HeloReadingKind::AddressLiteral => HeloReading::AddressLiteral {
                value: required(json.value, "value")?,
            },
            HeloReadingKind::Generic => HeloReading::Generic {
                value: required(json.value, "value")?,
                reason: required(json.reason, "reason")?,
            },
            HeloReadingKind::Name => HeloReading::Name {
                value: required(json.value, "value")?,
                name_kind: required(json.name_kind, "name_kind")?,
                reasons: required(json.reasons, "reasons")?,
            },
        })
    }
}

/// What points to a dynamic address, strong and weak.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Signs that decide (a residential name, the PBL).
    pub strong: Vec<String>,
    /// Signs that only suggest.
    pub weak: Vec<String>,
}
