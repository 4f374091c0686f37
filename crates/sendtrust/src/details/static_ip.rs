//! Rule 1's details (`RuleDetails::StaticIp`).

use super::names::NameKind;
use super::sender::CheckedSender;
use crate::rules::dnsbl::ListResult;
use serde::{Deserialize, Serialize};

/// Runs the check.
/// Rule 1's details in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// What points to a dynamic address, strong and weak.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// Signs that decide (a residential name, the PBL).
    pub strong: Vec<String>,
    /// Signs that only suggest.
    pub weak: Vec<String>,
}
