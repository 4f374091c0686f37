//! The sender rules 1–3 checked (their details start with it).

use crate::report::ChosenBy;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The sender rules 1–3 checked, as data (their details start with it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckedSender {
    /// The IP checked (an IPv4-mapped IPv6 address as IPv4).
    pub ip: IpAddr,
    /// Index into the report's `hops`, `None` for a user-given IP with no hop.
    pub hop_index: Option<usize>,
    /// Who chose it.
    pub chosen_by: ChosenBy,
    /// Why that hop.
    pub reason: String,
}
