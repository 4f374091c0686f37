//! Inbound filtering services: hosted spam/malware filters that receive a
//! company's mail (its MX points at them) and hand it on to the company's
//! mailbox system. The hand-off walk (`received/handoff.rs`) uses this table
//! to recognise the filter's relay as recipient infrastructure.
//!
//! Each entry lists what was checked against real messages and public
//! documentation (the `Source:` comment of each entry names where):
//! - `relay_domains`: the domains the service's relays are named under
//!   (matched as a suffix of the host name);
//! - `traces`: header fields the service writes on the mail it filters. Most
//!   services write them in both directions (a company's outbound mail
//!   through the same service carries them too), so a trace alone never says
//!   "inbound": see `handoff::filter_hop`;
//! - `outbound_markers`: a field whose value, containing every listed
//!   fragment, says the service handled the message as the *sender's*
//!   outbound relay.

use crate::report::FilterService;

/// One filtering service.
#[derive(Debug)]
pub(crate) struct FilterEntry {
    /// Which service.
    pub service: FilterService,
    /// Its name for people.
    pub name: &'static str,
    /// Domains its relay host names end with (lowercase, no leading dot).
    pub relay_domains: &'static [&'static str],
    /// Header field names it writes on filtered mail (matched case-insensitively).
    pub traces: &'static [&'static str],
    /// `(field name, fragments)`: the field's value containing every fragment
    /// (lowercase) marks the message as the service's outbound mail.
    pub outbound_markers: &'static [(&'static str, &'static [&'static str])],
}

/// The services, in the order they are tried.
pub(crate) const INBOUND_FILTERS: [FilterEntry; 7] = [
    FilterEntry {
        service: FilterService::Mimecast,
        name: "Mimecast",
        relay_domains: &["mimecast.com"],
        traces: &[
            "X-Mimecast-Spam-Score",
            "X-MC-Unique",
            "X-Mimecast-MFC-AGG-ID",
            "X-Mimecast-MFC-PROC-ID",
        ],
        // Outbound through Mimecast: the customer's server authenticates to
        // Mimecast, which records `auth=pass smtp.auth=<account>`.
        outbound_markers: &[("Authentication-Results", &["mimecast.com", "smtp.auth="])],
        // Source: mail through Mimecast in public list archives (Red Hat lists:
        // relay.mimecast.com, us-smtp-delivery-N.mimecast.com, X-MC-Unique,
        // X-Mimecast-Spam-Score, X-Mimecast-MFC-AGG-ID, ARC-Authentication-Results by
        // relay.mimecast.com inbound, `auth=pass smtp.auth=` outbound);
        // mgeeky/decode-spam-headers decodes X-Mimecast-Spam-Score
    },
    FilterEntry {
        service: FilterService::Proofpoint,
        name: "Proofpoint",
        relay_domains: &["pphosted.com", "ppe-hosted.com", "ppops.net"],
        traces: &[
            "X-Proofpoint-Spam-Details",
            "X-Proofpoint-Virus-Version",
            "X-Proofpoint-GUID",
            "X-Proofpoint-ORIG-GUID",
        ],
        // Proofpoint names the policy that scanned the message.
        outbound_markers: &[
            ("X-Proofpoint-Spam-Details", &["policy=outbound"]),
            ("X-Proofpoint-Spam-Details", &["rule=outbound"]),
        ],
        // Source: Proofpoint-filtered mail in public archives (mx0a-NNNNNNNN.pphosted.com,
        // pps.filterd on ppops.net; X-Proofpoint-Spam-Details `rule=notspam policy=default`
        // inbound, `rule=outbound_notspam policy=outbound` outbound); ppe-hosted.com is
        // Proofpoint Essentials (gateway lists in public MX tools)
    },
    FilterEntry {
        service: FilterService::Barracuda,
        name: "Barracuda Email Security",
        relay_domains: &["barracuda.com", "barracudanetworks.com", "cudaops.com"],
        traces: &[
            "X-Barracuda-Connect",
            "X-Barracuda-Spam-Score",
            "X-Barracuda-Spam-Status",
            "X-Barracuda-Start-Time",
            "X-Barracuda-URL",
            "X-Barracuda-BRTS-Status",
        ],
        outbound_markers: &[],
        // Source: Barracuda-filtered mail in public archives (outbound-ipNNN.ess.barracuda.com,
        // mxNN.ess.*.cudaops.com, X-Barracuda-Connect, X-Barracuda-Spam-Score/Status);
        // barracudanetworks.com MX names from public MX tools
    },
    FilterEntry {
        service: FilterService::CiscoSecureEmail,
        name: "Cisco Secure Email",
        relay_domains: &["iphmx.com"],
        traces: &[
            "X-IronPort-Anti-Spam-Filtered",
            "X-IronPort-Anti-Spam-Result",
            "X-IronPort-AV",
            "IronPort-SDR",
            "X-IPAS-Result",
        ],
        outbound_markers: &[],
        // Source: Cisco Secure Email (IronPort) cloud gateways esaN.<customer>.iphmx.com in
        // public archives, with X-IronPort-AV, X-IronPort-Anti-Spam-Filtered/-Result,
        // IronPort-SDR and their Received-SPF/Authentication-Results
    },
    FilterEntry {
        service: FilterService::TrendMicro,
        name: "Trend Micro Email Security",
        relay_domains: &[
            "tmes.trendmicro.com",
            "tmes.trendmicro.eu",
            "tmes-anz.trendmicro.com",
        ],
        traces: &[
            "X-TMASE-Version",
            "X-TMASE-Result",
            "X-TMASE-MatchedRID",
            "X-TM-AS-Result",
            "X-TM-AS-Product-Ver",
            "X-TM-AS-User-Approved-Sender",
            "X-TM-AS-ERS",
            "X-TM-MAIL-UUID",
            "X-TM-Deliver-Signature",
        ],
        outbound_markers: &[],
        // Source: Trend Vision One antispam engine scan details (X-TMASE-Version, X-TMASE-Result,
        // X-TMASE-MatchedRID); TMES relays repre0N/repost0N/refb0N.tmes.trendmicro.eu in public archives,
        // with X-TM-AS-ERS, X-TM-MAIL-UUID, X-TM-Deliver-Signature;
        // X-TM-AS-Result/-Product-Ver in Trend-scanned mail
    },
    FilterEntry {
        service: FilterService::Sophos,
        name: "Sophos Email",
        relay_domains: &["hydra.sophos.com"],
        traces: &[
            "X-Sophos-Email",
            "X-LASED-SpamProbability",
            "X-LASED-Hits",
            "X-LASED-Impersonation",
        ],
        // Sophos labels the direction among its hits.
        outbound_markers: &[("X-LASED-Hits", &["outbound_sophos"])],
        // Source: Sophos Email mail in public archives (X-Sophos-Email, X-LASED-SpamProbability,
        // X-LASED-Hits with INBOUND_SOPHOS / OUTBOUND_SOPHOS); MX
        // mx-0N-<region>.prod.hydra.sophos.com in public MX data
    },
    FilterEntry {
        service: FilterService::Hornetsecurity,
        name: "Hornetsecurity",
        relay_domains: &["antispameurope.com", "hornetsecurity.com"],
        traces: &[
            "X-cloud-security-sender",
            "X-cloud-security-recipient",
            "X-cloud-security-Virusscan",
            "X-cloud-security-disclaimer",
            "X-cloud-security-connect",
            "X-cloud-security",
        ],
        outbound_markers: &[("X-cloud-security-Mailarchivtype", &["outbound"])],
        // Source: Hornetsecurity-filtered mail in public archives
        // (mx-relayNN-hzN.antispameurope.com, X-cloud-security-* fields,
        // X-cloud-security-Mailarchivtype: outbound on outbound mail); hornetsecurity.com MX
        // names
    },
];

/// The service whose relays are named under `host`'s domain.
pub(crate) fn service_of_host(host: &str) -> Option<&'static FilterEntry> {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    INBOUND_FILTERS.iter().find(|f| {
        f.relay_domains
            .iter()
            .any(|d| h == *d || h.strip_suffix(d).is_some_and(|rest| rest.ends_with('.')))
    })
}

/// Microsoft Exchange Online's own records that the message came in through
/// a gateway the tenant configured in front of it: Enhanced Filtering for
/// Connectors stamps the original sender's address ("stamped if skiplisting
/// was successful … contains information about the true source address",
/// Microsoft 365 docs), and an inbound partner connector sets `AuthAs:
/// Partner`. Exchange Online removes X-MS-Exchange-Organization-* fields that
/// arrive from outside, so these are the tenant's, not the sender's.
pub(crate) const MICROSOFT_SKIPLISTED: [&str; 2] = [
    "X-MS-Exchange-ExternalOriginalInternetSender",
    "X-MS-Exchange-SkipListedInternetSender",
];

/// The Exchange field that records how the message was authenticated
/// (`Partner` for an inbound partner connector).
pub(crate) const MICROSOFT_AUTH_AS: &str = "X-MS-Exchange-Organization-AuthAs";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_map_to_services() {
        let cases = [
            (
                "us-smtp-delivery-162.mimecast.com",
                Some(FilterService::Mimecast),
            ),
            (
                "mx0b-00069f02.pphosted.com.",
                Some(FilterService::Proofpoint),
            ),
            (
                "outbound-ip191a.ess.barracuda.com",
                Some(FilterService::Barracuda),
            ),
            (
                "esa5.hc3370-68.iphmx.com",
                Some(FilterService::CiscoSecureEmail),
            ),
            ("refb02.tmes.trendmicro.eu", Some(FilterService::TrendMicro)),
            (
                "mx-01-us-west-2.prod.hydra.sophos.com",
                Some(FilterService::Sophos),
            ),
            (
                "mx-relay49-hz3.antispameurope.com",
                Some(FilterService::Hornetsecurity),
            ),
            // Look-alikes are not the service.
            ("mimecast.com.example.net", None),
            ("notmimecast.com", None),
            ("www.trendmicro.com", None),
            ("sophos.com", None),
        ];
        for (host, want) in cases {
            assert_eq!(service_of_host(host).map(|f| f.service), want, "{host}");
        }
    }
}
