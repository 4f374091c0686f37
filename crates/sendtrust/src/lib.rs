//! # Sendtrust engine
//!
//! Raw message bytes in, a serde [`Report`] out. The engine checks the server
//! that sent a message against the five rules spam filters use to trust a
//! sender: static IP, forward and reverse DNS, blocklists, SPF and DKIM.
//!
//! It does no I/O except through its DNS [`Resolver`](dns::Resolver), so the same
//! code runs natively (the `sendtrust` CLI), in the browser (wasm32) and in
//! tests. See `ARCHITECTURE.md` for the map and `docs/report-schema.md` for the
//! report contract.

#![warn(missing_docs)]

// Without the `engine` feature (the page's UI wasm) the crate keeps what the
// page shows and checks: the report types, the Markdown view, DNS settings
// (providers, name checks), options and the blocklist table. Everything that
// analyses a message is behind the feature.
#[cfg(feature = "engine")]
pub mod antispam;
#[cfg(feature = "engine")]
pub mod arc;
#[cfg(feature = "engine")]
mod charset;
#[cfg(feature = "engine")]
mod checklist;
#[cfg(feature = "engine")]
mod comparison;
pub mod details;
#[cfg(feature = "engine")]
mod dmarc;
#[cfg(feature = "engine")]
mod dmarc_fix;
pub mod dns;
#[cfg(feature = "engine")]
pub mod domain;
#[cfg(feature = "engine")]
pub mod input;
#[cfg(feature = "engine")]
mod lists;
pub mod markdown;
#[cfg(feature = "engine")]
pub mod message;
pub mod options;
#[cfg(feature = "engine")]
pub mod received;
pub mod report;
#[cfg(feature = "engine")]
pub mod rules;
/// The rules; without the `engine` feature only the blocklist table
/// (`dnsbl`: known lists, their codes, the default zones) the page's
/// settings offer.
#[cfg(not(feature = "engine"))]
pub mod rules {
    #[path = "dnsbl.rs"]
    pub mod dnsbl;
    #[path = "dnsbl_fix.rs"]
    pub mod dnsbl_fix;
}
/// The blocklist table without the `engine` feature (the rest of `lists` is
/// the engine's).
#[cfg(not(feature = "engine"))]
mod lists {
    #[path = "blocklists.rs"]
    pub(crate) mod blocklists;
}

#[cfg(feature = "engine")]
pub use input::InputError;
pub use options::OptionsInput;
pub use report::{Report, RuleId, RuleResult, SCHEMA_VERSION, Verdict};

use dns::DnsConfig;
#[cfg(feature = "engine")]
use dns::Resolver;
#[cfg(feature = "engine")]
use report::{DnsSettings, InputInfo};
use std::net::IpAddr;

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// DNS settings (provider, offline, timeouts).
    pub dns: DnsConfig,
    /// Check this IP instead of the automatically chosen hand-off hop.
    pub sender_ip: Option<IpAddr>,
    /// IP blocklist zones to query instead of the defaults.
    pub dnsbl_zones: Option<Vec<String>>,
    /// Domain blocklist zones to query instead of the defaults.
    pub dbl_zones: Option<Vec<String>>,
    /// A Spamhaus Data Query Service key, to query Spamhaus through public resolvers.
    pub spamhaus_dqs_key: Option<String>,
    /// "Now" as Unix seconds, for DKIM expiry checks; `None` = the current time.
    pub now: Option<u64>,
}

/// Receives results as they become available, for progressive display.
pub trait Observer {
    /// The report with everything that needs no DNS; rules still pending are absent.
    fn local_report(&self, _report: &Report) {}
    /// One rule's final result.
    fn rule(&self, _rule: &RuleResult) {}
}

/// An observer that ignores everything.
pub struct NoObserver;
impl Observer for NoObserver {}

/// Analyses one message with a fresh resolver built from `options.dns`.
#[cfg(feature = "engine")]
pub async fn analyze(raw: &[u8], options: &Options) -> Result<Report, InputError> {
    let resolver = Resolver::new(options.dns.clone());
    analyze_with(raw, options, &resolver, &NoObserver).await
}

/// Analyses one message with a caller-owned resolver (so a session shares one
/// DNS cache) and an observer for progressive results.
#[cfg(feature = "engine")]
pub async fn analyze_with(
    raw: &[u8],
    options: &Options,
    resolver: &Resolver,
    observer: &dyn Observer,
) -> Result<Report, InputError> {
    let normalized = input::normalize(raw)?;
    let parsed = message::ParsedMessage::parse(&normalized.bytes, normalized.headers_only);

    let chain = received::analyze_chain(&parsed);
    let (sender, sender_reason) = match options.sender_ip {
        Some(ip) => received::user_sender(&chain, ip),
        None => (chain.sender.clone(), chain.sender_reason.clone()),
    };

    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        generator: format!("sendtrust {}", env!("CARGO_PKG_VERSION")),
        input: InputInfo {
            bytes: raw.len(),
            headers_only: normalized.headers_only,
            repairs: normalized.repairs,
        },
        summary: parsed.summary(),
        headers: parsed.header_fields(),
        hops: chain.hops,
        local_fields: chain.local_fields,
        chain_notes: chain.notes,
        sender,
        sender_reason,
        rules: Vec::new(),
        dns: DnsSettings {
            offline: resolver.is_offline(),
            provider: resolver.config().endpoint.clone(),
            format: resolver
                .config()
                .endpoint
                .as_ref()
                .map(|_| resolver.config().format.as_str().to_string()),
        },
        dns_log: Vec::new(),
        beyond: report::Beyond::default(),
    };
    observer.local_report(&report);

    let resolver = resolver.new_log();
    // Read once: rule 5 verifies these signatures, DMARC and ARC read them.
    let signatures = rules::dkim::DkimSignatures::read(parsed.raw);
    let context = rules::Context {
        parsed: &parsed,
        report: &report,
        resolver: &resolver,
        options,
    };
    // DMARC runs after the rules (it needs their SPF and DKIM), but its
    // record lookups do not: ask them now, alongside the rules, so the
    // beyond phase finds them in the cache instead of adding a round trip.
    let ((rules, findings), ()) = futures::join!(
        rules::run_all(&context, &signatures, observer),
        dmarc::prefetch(&context)
    );
    let beyond = beyond_the_rules(&context, &rules, &findings, &signatures).await;
    report.rules = rules;
    report.beyond = beyond;
    report.dns_log = resolver.log();
    // The Spamhaus DQS key is a secret of the user's: keep it out of the
    // report, which people paste into tickets.
    if let Some(key) = options
        .spamhaus_dqs_key
        .as_deref()
        .filter(|k| !k.is_empty())
    {
        for entry in &mut report.dns_log {
            entry.name = entry.name.replace(&key.to_ascii_lowercase(), "<DQS key>");
        }
    }
    Ok(report)
}

/// The report's "beyond the five rules" section, after the rules (it reads
/// their typed findings, the message's signatures as rule 5 read them, and
/// the DNS cache they filled): DMARC, ARC, the receiver comparison, the
/// bulk-sender checklist and antispam headers.
#[cfg(feature = "engine")]
async fn beyond_the_rules(
    ctx: &rules::Context<'_>,
    rules: &[RuleResult],
    findings: &rules::Findings,
    signatures: &rules::dkim::DkimSignatures<'_>,
) -> report::Beyond {
    // One parse serves rule 5, DMARC and ARC: only the DKIM signatures rule 5
    // verifies are kept; ARC reads its own headers.
    let message = signatures.message();
    let dmarc = match message {
        Some(message) => dmarc::evaluate_dmarc(ctx, message, findings).await,
        None => None,
    };
    let arc = arc::evaluate(ctx.parsed, message, ctx.resolver).await;
    let receiver = comparison::compare(ctx, rules, findings, dmarc.as_ref(), arc.as_ref());
    let bulk_sender = checklist::items(ctx, rules, findings, dmarc.as_ref());
    report::Beyond {
        dmarc,
        arc,
        receiver,
        bulk_sender,
        antispam: antispam::decode(ctx.parsed),
    }
}
