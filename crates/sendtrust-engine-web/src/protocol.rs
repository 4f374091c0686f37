//! The messages between the page's UI wasm and the engine wasm.
//!
//! The page posts `{ request, raw }`: the [`Request`] as JSON and the message
//! bytes as a `Uint8Array` (transferred to a worker, not copied). The engine
//! answers with JSON strings `[id, event]`, one per [`Event`], as it produces
//! them: the local report, each rule, each DNS question, then the whole
//! report or the input error. The same strings go to a worker's
//! `postMessage` or to the page's callback when the engine runs in the page.

use sendtrust::Options;
use sendtrust::dns::{DnsConfig, DohFormat};
use sendtrust::report::{DnsLogEntry, Report, RuleResult};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

/// One analysis request, as the page sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// The page's run number; every event for this run carries it.
    pub id: u64,
    /// DoH endpoint, `None` offline.
    pub endpoint: Option<String>,
    /// `wire` or `json`.
    pub format: String,
    /// Deadline for one question, in milliseconds.
    pub timeout_ms: u64,
    /// Extra attempts after a retryable failure.
    pub retries: u32,
    /// Maximum number of DoH requests in flight.
    pub max_in_flight: usize,
    /// Check this IP instead of the detected hand-off hop.
    pub sender_ip: Option<IpAddr>,
    /// IP blocklist zones, `None` = the engine's defaults.
    pub dnsbl_zones: Option<Vec<String>>,
    /// Domain blocklist zones, `None` = the engine's defaults.
    pub dbl_zones: Option<Vec<String>>,
    /// A Spamhaus Data Query Service key.
    pub spamhaus_dqs_key: Option<String>,
}

impl Request {
    /// A request for run `id` with the page's options.
    pub fn new(id: u64, options: &Options) -> Self {
        let dns = &options.dns;
        Request {
            id,
            endpoint: dns.endpoint.clone(),
            format: dns.format.as_str().to_string(),
            timeout_ms: u64::try_from(dns.timeout.as_millis()).unwrap_or(u64::MAX),
            retries: dns.retries,
            max_in_flight: dns.max_in_flight,
            sender_ip: options.sender_ip,
            dnsbl_zones: options.dnsbl_zones.clone(),
            dbl_zones: options.dbl_zones.clone(),
            spamhaus_dqs_key: options.spamhaus_dqs_key.clone(),
        }
    }

    /// The engine's options for this request.
    pub fn options(&self) -> Options {
        Options {
            dns: self.dns(),
            sender_ip: self.sender_ip,
            dnsbl_zones: self.dnsbl_zones.clone(),
            dbl_zones: self.dbl_zones.clone(),
            spamhaus_dqs_key: self.spamhaus_dqs_key.clone(),
            ..Options::default()
        }
    }

    /// The DNS configuration for this request.
    pub fn dns(&self) -> DnsConfig {
        DnsConfig {
            endpoint: self.endpoint.clone(),
            format: if self.format == "json" {
                DohFormat::Json
            } else {
                DohFormat::Wire
            },
            timeout: Duration::from_millis(self.timeout_ms),
            retries: self.retries,
            max_in_flight: self.max_in_flight.max(1),
        }
    }
}

/// What the worker reports about one run, in order of arrival.
#[derive(Debug, Clone, Serialize, Deserialize)]
// Externally tagged (`{"rule": {…}}`): serde_json reads it straight into the
// types, where an internally tagged enum would buffer the whole report first.
#[serde(rename_all = "kebab-case")]
pub enum Event {
    /// Everything that needs no DNS (summary, hops, sender); rules pending.
    Local {
        /// The local report.
        report: Report,
    },
    /// One rule's final result.
    Rule {
        /// The result.
        rule: RuleResult,
    },
    /// One DNS question, as logged by the resolver.
    Dns {
        /// The endpoint the run's questions go to (empty offline).
        endpoint: String,
        /// The log entry.
        entry: DnsLogEntry,
    },
    /// The complete report; the run is over.
    Done {
        /// The report.
        report: Report,
    },
    /// The input is not a message (or the request was unreadable); the run is over.
    Failed {
        /// Why, in words for the user.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_carries_every_option_the_page_sets() {
        let options = Options {
            dns: DnsConfig {
                endpoint: Some("http://127.0.0.1:8053/resolve".into()),
                format: DohFormat::Json,
                timeout: Duration::from_millis(2500),
                retries: 2,
                max_in_flight: 4,
            },
            sender_ip: Some("192.0.2.7".parse().expect("an IP")),
            dnsbl_zones: Some(vec!["bl.test".into()]),
            dbl_zones: Some(vec![]),
            spamhaus_dqs_key: Some("key".into()),
            now: None,
        };
        let json = serde_json::to_string(&Request::new(7, &options)).expect("serialises");
        let back: Request = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.id, 7);
        let again = back.options();
        assert_eq!(again.dns, options.dns);
        assert_eq!(again.sender_ip, options.sender_ip);
        assert_eq!(again.dnsbl_zones, options.dnsbl_zones);
        assert_eq!(again.dbl_zones, options.dbl_zones);
        assert_eq!(again.spamhaus_dqs_key, options.spamhaus_dqs_key);
        // Offline stays offline, with a resolver of its own in the session.
        let offline = Request::new(
            1,
            &Options {
                dns: DnsConfig::offline(),
                ..Options::default()
            },
        );
        assert_eq!(offline.options().dns.endpoint, None);
        assert_ne!(offline.options().dns, back.options().dns);
    }

    // Needs a real report, so the engine.
    #[cfg(feature = "engine")]
    #[test]
    fn events_round_trip_as_json() {
        let report = futures::executor::block_on(sendtrust::analyze(
            b"From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n",
            &Options {
                dns: DnsConfig::offline(),
                ..Options::default()
            },
        ))
        .expect("a message");
        let entry = report.dns_log.first().cloned();
        let mut events = vec![
            Event::Local {
                report: report.clone(),
            },
            Event::Rule {
                rule: report.rules[0].clone(),
            },
            Event::Done {
                report: report.clone(),
            },
            Event::Failed {
                message: "no".into(),
            },
        ];
        if let Some(entry) = entry {
            events.push(Event::Dns {
                endpoint: String::new(),
                entry,
            });
        }
        for event in events {
            let json = serde_json::to_string(&(3u64, &event)).expect("serialises");
            let (id, back): (u64, Event) = serde_json::from_str(&json).expect("parses");
            assert_eq!(id, 3);
            match (&event, &back) {
                (Event::Local { report: a }, Event::Local { report: b })
                | (Event::Done { report: a }, Event::Done { report: b }) => assert_eq!(a, b),
                (Event::Rule { rule: a }, Event::Rule { rule: b }) => assert_eq!(a, b),
                (Event::Dns { entry: a, .. }, Event::Dns { entry: b, .. }) => assert_eq!(a, b),
                (Event::Failed { message: a }, Event::Failed { message: b }) => assert_eq!(a, b),
                _ => panic!("event kind changed: {json}"),
            }
        }
    }
}
