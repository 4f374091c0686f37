//! Rule 3's details (`RuleDetails::Blocklists`).

use super::sender::CheckedSender;
use crate::rules::dnsbl::ListResult;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A domain to look up and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SenderDomain {
    /// The domain (A-labels).
    pub domain: String,
    /// Where it came from (`From`, `Return-Path`, `DKIM d=`, `registered domain of …`).
    pub sources: Vec<String>,
}

/// A sender domain that was not looked up, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedDomain {
    /// The domain as the message wrote it.
    pub value: String,
    /// Where it came from.
    pub source: String,
    /// Why it was not looked up.
    pub reason: String,
}

/// One domain list's answer about one sender domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainListResult {
    /// The list's answer.
    #[serde(flatten)]
    pub result: ListResult,
    /// The domain looked up.
    pub domain: String,
    /// Where the domain came from.
    pub sources: Vec<String>,
}

/// Rule 3's details in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlocklistsDetails {
    /// The IP looked up; `None` when there is no sending server.
    pub ip: Option<IpAddr>,
    /// The sender checked, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<CheckedSender>,
    /// Each IP list's answer.
    pub ip_lists: Vec<ListResult>,
    /// Each domain list's answer, per domain.
    pub domain_lists: Vec<DomainListResult>,
    /// The sender domains looked up.
    pub domains: Vec<SenderDomain>,
    /// Sender domains not looked up.
    pub skipped_domains: Vec<SkippedDomain>,
}
