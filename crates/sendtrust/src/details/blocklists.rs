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
#[serde(from = "DomainListResultJson")]
pub struct DomainListResult {
    /// The list's answer.
    #[serde(flatten)]
    pub result: ListResult,
    /// The domain looked up.
    pub domain: String,
    /// Where the domain came from.
    pub sources: Vec<String>,
}

/// [`DomainListResult`] as read from JSON: the list answer's fields listed,
/// where the report writes them flattened (a `#[serde(flatten)]` reader
/// buffers the whole object first; the JSON is the same).
#[derive(Deserialize)]
struct DomainListResultJson {
    subject: String,
    zone: String,
    list: String,
    query: String,
    status: crate::rules::dnsbl::Status,
    codes: Vec<String>,
    meaning: Option<String>,
    txt: Option<String>,
    detail: Option<String>,
    what_to_do: Option<String>,
    removal: Option<String>,
    domain: String,
    sources: Vec<String>,
}

impl From<DomainListResultJson> for DomainListResult {
    fn from(json: DomainListResultJson) -> Self {
        DomainListResult {
            result: ListResult {
                subject: json.subject,
                zone: json.zone,
                list: json.list,
                query: json.query,
                status: json.status,
                codes: json.codes,
                meaning: json.meaning,
                txt: json.txt,
                detail: json.detail,
                what_to_do: json.what_to_do,
                removal: json.removal,
                // Not in the JSON (the engine's own reading of the codes).
                class: None,
            },
            domain: json.domain,
            sources: json.sources,
        }
    }
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
