//! Microsoft 365 / Exchange Online Protection: X-Forefront-Antispam-Report,
//! X-Microsoft-Antispam, X-MS-Exchange-Organization-SCL,
//! X-Microsoft-Antispam-Mailbox-Delivery and X-CustomSpam, plus the
//! `-Untrusted` copies another organization stamped.
//!
//! Meanings follow Microsoft's "Anti-spam message headers", "Spam confidence
//! level" and "Bulk complaint level" articles; fields Microsoft documents as
//! internal diagnostics are labelled as such.

use super::{Field, Items, fields, first, header_list, item};
use crate::message::ParsedMessage;
use crate::report::AntispamReport;

const FOREFRONT: &str = "X-Forefront-Antispam-Report";
const ANTISPAM: &str = "X-Microsoft-Antispam";
const ORG_SCL: &str = "X-MS-Exchange-Organization-SCL";
const DELIVERY: &str = "X-Microsoft-Antispam-Mailbox-Delivery";
const CUSTOM_SPAM: &str = "X-CustomSpam";
const FOREFRONT_UNTRUSTED: &str = "X-Forefront-Antispam-Report-Untrusted";
const ANTISPAM_UNTRUSTED: &str = "X-Microsoft-Antispam-Untrusted";

/// Microsoft reports: this organization's (trusted) first, then the copies
/// stamped by another Microsoft 365 organization on the way (untrusted).
pub(super) fn decode(parsed: &ParsedMessage<'_>) -> Vec<AntispamReport> {
    let mut out = Vec::new();
    let extras: Vec<Field<'_>> = [ORG_SCL, DELIVERY, CUSTOM_SPAM]
        .into_iter()
        .filter_map(|n| first(parsed, n))
        .collect();
    group(parsed, FOREFRONT, ANTISPAM, &extras, false, &mut out);
    group(
        parsed,
        FOREFRONT_UNTRUSTED,
        ANTISPAM_UNTRUSTED,
        &[],
        true,
        &mut out,
    );
    out
}

/// Pairs the n-th X-Forefront-Antispam-Report with the n-th
/// X-Microsoft-Antispam (they are stamped together); the extra fields go with
/// the topmost pair.
fn group(
    parsed: &ParsedMessage<'_>,
    forefront: &'static str,
    antispam: &'static str,
    extras: &[Field<'_>],
    untrusted: bool,
    out: &mut Vec<AntispamReport>,
) {
    let ff = fields(parsed, forefront);
    let ms = fields(parsed, antispam);
    let n = ff.len().max(ms.len()).max(usize::from(!extras.is_empty()));
    for i in 0..n {
        let mut b = Builder::default();
        if let Some(f) = ff.get(i) {
            b.forefront(f);
        }
        if let Some(f) = ms.get(i) {
            b.antispam(f);
        }
        if i == 0 {
            for f in extras {
                b.extra(f);
            }
        }
        if let Some(r) = b.finish(untrusted) {
            out.push(r);
        }
    }
}

#[derive(Default)]
struct Builder {
    headers: Vec<&'static str>,
    items: Items,
    scl: Option<i64>,
    org_scl: Option<i64>,
    sfv: Option<String>,
    cat: Option<String>,
    bcl: Option<i64>,
    bulk: bool,
    dest: Option<String>,
}

/// `KEY:VALUE` pairs separated by semicolons; the value is everything after
/// the first colon (IPv6 addresses keep theirs).
fn pairs(value: &str) -> impl Iterator<Item = (&str, &str)> {
    value
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(':') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (p, ""),
        })
        // `:x` or `::` in a damaged field: no key, nothing to explain.
        .filter(|(k, _)| !k.is_empty())
}

fn level(v: &str) -> Option<i64> {
    let v = v.trim();
    (v.len() <= 4).then(|| v.parse::<i64>().ok()).flatten()
}

impl Builder {
    fn forefront(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        for (key, value) in pairs(f.value) {
            let upper = key.to_ascii_uppercase();
            let v = value.to_ascii_uppercase();
            match upper.as_str() {
                "SCL" => self.scl = self.scl.or(level(value)),
                "SFV" if self.sfv.is_none() => self.sfv = Some(v.clone()),
                "CAT" if self.cat.is_none() => self.cat = Some(v.clone()),
                "SRV" if v == "BULK" => self.bulk = true,
                _ => {}
            }
            self.items
                .push(item(key, value, forefront_meaning(&upper, &v, value)));
        }
        self.items.note_cut(f);
    }

    fn antispam(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        for (key, value) in pairs(f.value) {
            let upper = key.to_ascii_uppercase();
            let meaning = match upper.as_str() {
                "BCL" => {
                    let bcl = level(value);
                    self.bcl = self.bcl.or(bcl);
                    bcl.map_or_else(
                        || "Bulk complaint level (unreadable value).".to_string(),
                        bcl_meaning,
                    )
                }
                "PCL" => pcl_meaning(value),
                "ARA" => "Anti-spam rule IDs that matched (Microsoft-internal diagnostics, not documented)."
                    .to_string(),
                _ => String::new(),
            };
            self.items.push(item(key, value, meaning));
        }
        self.items.note_cut(f);
    }

    fn extra(&mut self, f: &Field<'_>) {
        self.headers.push(f.name);
        match f.name {
            ORG_SCL => {
                let scl = level(f.value);
                self.org_scl = scl;
                let meaning = match scl {
                    Some(s) => format!(
                        "The SCL Exchange used inside the organization: {}",
                        scl_meaning(s)
                    ),
                    None => "The SCL Exchange used inside the organization (unreadable value).".into(),
                };
                self.items.push(item(f.name, f.value, meaning));
            }
            DELIVERY => {
                for (key, value) in pairs(f.value) {
                    let meaning = match key.to_ascii_lowercase().as_str() {
                        "dest" => {
                            let v = value.to_ascii_uppercase();
                            if self.dest.is_none() {
                                self.dest = Some(v.clone());
                            }
                            dest_meaning(&v).to_string()
                        }
                        "ofr" => ofr_meaning(value),
                        _ => String::new(),
                    };
                    self.items.push(item(key, value, meaning));
                }
            }
            CUSTOM_SPAM => self.items.push(item(
                f.name,
                f.value,
                "The message matched an Advanced Spam Filter (ASF) setting of the anti-spam policy (the value names the setting).",
            )),
            _ => {}
        }
        self.items.note_cut(f);
    }

    fn finish(self, untrusted: bool) -> Option<AntispamReport> {
        if self.headers.is_empty() || self.items.is_empty() {
            return None;
        }
        let scl = self.scl.or(self.org_scl);
        let verdict = verdict(
            scl,
            self.sfv.as_deref(),
            self.cat.as_deref(),
            self.bcl,
            self.bulk,
            self.dest.as_deref(),
        )
        .map(|v| {
            if untrusted {
                format!("Another Microsoft 365 organization's verdict (not the recipient's): {v}")
            } else {
                v
            }
        });
        Some(AntispamReport {
            vendor: "microsoft".into(),
            header: header_list(&self.headers),
            verdict,
            score: scl.map(|s| s as f64),
            threshold: None,
            items: self.items.finish(),
        })
    }
}

/// The verdict in words from SCL, SFV, CAT, bulk and the delivery folder.
fn verdict(
    scl: Option<i64>,
    sfv: Option<&str>,
    cat: Option<&str>,
    bcl: Option<i64>,
    bulk: bool,
    dest: Option<&str>,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(s) = scl {
        parts.push(format!("SCL {s}: {}", scl_short(s)));
    }
    if let Some(short) = sfv.and_then(sfv_short) {
        parts.push(format!("SFV:{} ({short})", sfv.unwrap_or_default()));
    }
    if let Some(c) = cat.filter(|c| !c.is_empty() && *c != "NONE") {
        let name = cat_name(c).unwrap_or("unlisted category");
        parts.push(format!("CAT:{c} ({name})"));
    }
    if bulk || bcl.is_some_and(|b| b > 0) {
        match bcl {
            Some(b) => parts.push(format!("bulk mail (BCL {b})")),
            None => parts.push("bulk mail".into()),
        }
    }
    match dest {
        Some("J") => parts.push("delivered to the Junk Email folder".into()),
        Some("I") => parts.push("delivered to the Inbox".into()),
        Some("C") => parts.push("delivered to a custom folder".into()),
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn scl_short(scl: i64) -> &'static str {
    match scl {
        -1 => "spam filtering skipped (Inbox)",
        0 | 1 => "not spam (Inbox)",
        2..=4 => "low spam likelihood (Inbox)",
        5 | 6 => "spam (Junk Email folder by default)",
        7..=9 => "high confidence spam (Junk Email or quarantine)",
        _ => "value out of range",
    }
}

/// What an SCL value means, with the default action.
pub(crate) fn scl_meaning(scl: i64) -> String {
    let text = match scl {
        -1 => {
            "skipped spam filtering (safe sender, allow list, IP Allow List or a mail flow rule); delivered to the Inbox."
        }
        0 | 1 => "spam filtering found the message is not spam; delivered to the Inbox.",
        2..=4 => {
            "low spam likelihood; Exchange Online never sets 2–4 (on-premises Exchange may); delivered to the Inbox."
        }
        5 | 6 => {
            "spam; delivered to the Junk Email folder by default (quarantined under the Strict preset policy)."
        }
        7..=9 => {
            "high confidence spam; Junk Email folder or quarantine, depending on the anti-spam policy."
        }
        _ => "out of range (SCL runs from -1 to 9).",
    };
    format!("Spam confidence level {scl}: {text}")
}

fn sfv_short(sfv: &str) -> Option<&'static str> {
    Some(match sfv {
        "SPM" => "the spam filter marked it spam",
        "NSPM" => "the spam filter found it is not spam",
        "SKS" => "a mail flow rule marked it spam before filtering",
        "SKN" => "a mail flow rule marked it not spam before filtering",
        "SKA" => "sender on the anti-spam policy's allowed list",
        "SKB" => "sender on the anti-spam policy's blocked list",
        "SKI" => "filtering skipped (intra-organization mail)",
        "SKQ" => "released from quarantine",
        "SFE" => "sender in the recipient's Safe Senders list",
        "BLK" => "sender in the recipient's Blocked Senders list",
        _ => return None,
    })
}

fn sfv_meaning(sfv: &str) -> &'static str {
    match sfv {
        "SPM" => "Spam filter verdict: spam.",
        "NSPM" => "Spam filter verdict: not spam; delivered to the recipients.",
        "SKS" => "Marked as spam before spam filtering ran, e.g. a mail flow rule set SCL 5–9.",
        "SKN" => {
            "Marked as not spam before spam filtering ran, e.g. a mail flow rule set SCL -1 (bypass spam filtering)."
        }
        "SKA" => {
            "Spam filtering skipped: the sender or domain is on the allowed senders/domains list of an anti-spam policy."
        }
        "SKB" => {
            "Marked as spam: the sender or domain is on the blocked senders/domains list of an anti-spam policy."
        }
        "SKI" => {
            "Spam filtering skipped for another reason, e.g. mail inside the same organization."
        }
        "SKQ" => "The message was released from quarantine to the recipients.",
        "SFE" => "Filtering skipped: the sender is in the recipient's Outlook Safe Senders list.",
        "BLK" => "Blocked: the sender is in the recipient's Outlook Blocked Senders list.",
        "" => "Spam filter verdict (empty).",
        _ => "Spam filter verdict (value not documented by Microsoft).",
    }
}

fn cat_name(cat: &str) -> Option<&'static str> {
    Some(match cat {
        "AMP" => "anti-malware",
        "BIMP" => "brand impersonation",
        "BULK" => "bulk",
        "DIMP" => "domain impersonation",
        "FTBP" => "anti-malware common attachments filter (blocked file type)",
        "GIMP" => "mailbox intelligence impersonation",
        "HPHSH" | "HPHISH" => "high confidence phishing",
        "HSPM" => "high confidence spam",
        "INTOS" => "intra-organization phishing",
        "MALW" => "malware",
        "OSPM" => "outbound spam",
        "PHSH" => "phishing",
        "SAP" => "Safe Attachments",
        "SPM" => "spam",
        "SPOOF" => "spoofing",
        "UIMP" => "user impersonation",
        "NONE" => "none",
        _ => return None,
    })
}

fn cat_meaning(cat: &str) -> String {
    match cat {
        "NONE" => "Threat category: none (no protection policy flagged the message).".into(),
        "" => "Threat category (empty).".into(),
        c => match cat_name(c) {
            Some(name) => {
                let mdo = matches!(c, "BIMP" | "DIMP" | "GIMP" | "SAP" | "UIMP");
                format!(
                    "Threat category: {name}{}.",
                    if mdo {
                        " (a Defender for Office 365 policy)"
                    } else {
                        ""
                    }
                )
            }
            None => "Threat category (value not documented by Microsoft).".into(),
        },
    }
}

fn forefront_meaning(key: &str, v: &str, raw: &str) -> String {
    let s: &str = match key {
        "ARC" => "ARC (Authenticated Received Chain) details Microsoft recorded.",
        "CAT" => return cat_meaning(v),
        "CIP" => {
            "Connecting IP: the server that handed the message to Microsoft (the one to put on an IP Allow or Block List)."
        }
        "CTRY" if raw.is_empty() => "Country/region of the connecting IP (not determined).",
        "CTRY" => {
            "Country/region of the connecting IP (may differ from where the message started)."
        }
        "DIR" => match v {
            "INB" => "Direction: inbound (from outside the organization).",
            "OUT" => "Direction: outbound (sent by the organization to the outside).",
            "INT" => "Direction: internal (between mailboxes of the same organization).",
            _ => "Direction of the message (INB inbound, OUT outbound, INT internal).",
        },
        "H" => "HELO/EHLO name the connecting server gave.",
        "IPV" => match v {
            "CAL" => {
                "The connecting IP is on the IP Allow List of the connection filter: spam filtering was skipped."
            }
            "NLI" => "The connecting IP is not on any IP reputation list.",
            "" => "IP verdict (empty: no connection filter decision).",
            _ => "IP verdict of the connection filter (value not documented by Microsoft).",
        },
        "LANG" => "Language the message is written in.",
        "PTR" if raw.is_empty() => "Reverse DNS (PTR) name of the connecting IP: none recorded.",
        "PTR" => "Reverse DNS (PTR) name of the connecting IP.",
        "SCL" => {
            return match level(raw) {
                Some(s) => scl_meaning(s),
                None => "Spam confidence level (unreadable value).".into(),
            };
        }
        "SFTY" => match raw {
            "9.19" => {
                "Safety tip: domain impersonation (the sending domain imitates a protected domain)."
            }
            "9.20" => {
                "Safety tip: user impersonation (the sender imitates a user of the organization or a protected user)."
            }
            "9.25" => {
                "Safety tip: first contact (the recipient rarely or never got mail from this sender); may indicate phishing."
            }
            "" => "Safety tip (empty: none).",
            _ => {
                "Safety tip shown for a message flagged as phishing (code not documented by Microsoft)."
            }
        },
        "SFV" => sfv_meaning(v),
        "SRV" => match v {
            "BULK" => {
                "Identified as bulk mail by the bulk complaint level (BCL) threshold; bulk is marked as spam by default."
            }
            "" => "Service verdict (empty: not bulk).",
            _ => "Service verdict (value not documented by Microsoft).",
        },
        "PCL" => return pcl_meaning(raw),
        "SFP" => "Spam filter policy code (Microsoft-internal diagnostics, not documented).",
        "SFS" => {
            "IDs of the spam filter rules that matched (Microsoft-internal diagnostics, not documented)."
        }
        "ARA" => {
            "Anti-spam rule IDs that matched (Microsoft-internal diagnostics, not documented)."
        }
        _ => "",
    };
    s.to_string()
}

/// What a bulk complaint level means.
pub(crate) fn bcl_meaning(bcl: i64) -> String {
    let text = match bcl {
        0 => "not from a bulk sender.",
        1..=3 => "bulk sender that draws few complaints.",
        4..=6 => {
            "bulk sender that draws a mixed number of complaints (below the default threshold 7)."
        }
        7 => {
            "bulk sender that draws a mixed number of complaints; meets the default threshold 7, so Junk Email by default."
        }
        8 | 9 => "bulk sender that draws many complaints; Junk Email by default.",
        _ => "out of range (BCL runs from 0 to 9).",
    };
    format!("Bulk complaint level {bcl}: {text}")
}

fn pcl_meaning(raw: &str) -> String {
    match level(raw) {
        Some(p @ 0..=3) => {
            format!("Phishing confidence level {p}: not likely phishing (older field).")
        }
        Some(p @ 4..=8) => format!("Phishing confidence level {p}: likely phishing (older field)."),
        _ => "Phishing confidence level (older field Microsoft no longer documents).".into(),
    }
}

fn dest_meaning(dest: &str) -> &'static str {
    match dest {
        "I" => "Delivered to the Inbox.",
        "J" => "Delivered to the Junk Email folder.",
        "C" => "Delivered to a custom folder (e.g. by the user's own rule).",
        _ => "Destination folder (value not documented by Microsoft).",
    }
}

fn ofr_meaning(raw: &str) -> String {
    match raw {
        "CustomRules" => "Folder chosen by the recipient's own Outlook rule.".into(),
        "SpamFilterAuthJ" => {
            "Folder chosen by Exchange's junk filtering (the spam verdict, possibly with the mailbox's junk settings).".into()
        }
        _ => "Which filter chose the folder (Microsoft-internal, not documented).".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::antispam::test_util::get;

    fn decode_raw(raw: &[u8]) -> Vec<AntispamReport> {
        crate::antispam::test_util::decode_vendor(raw, decode)
    }

    #[test]
    fn forefront_spam_with_bcl() {
        let raw = b"X-Forefront-Antispam-Report: CIP:192.0.2.25;CTRY:NL;LANG:en;SCL:5;SRV:BULK;IPV:NLI;SFV:SPM;H:mail.example.com;PTR:mail.example.com;CAT:SPM;SFS:(13230040)(4636009);DIR:INB;\r\nX-Microsoft-Antispam: BCL:7;ARA:13230040|4636009;\r\n\r\n";
        let r = decode_raw(raw);
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(r.vendor, "microsoft");
        assert_eq!(
            r.header,
            "X-Forefront-Antispam-Report, X-Microsoft-Antispam"
        );
        assert_eq!(r.score, Some(5.0));
        assert_eq!(r.threshold, None);
        let v = r.verdict.as_deref().unwrap();
        assert!(v.starts_with("SCL 5: spam"), "{v}");
        assert!(v.contains("SFV:SPM"), "{v}");
        assert!(v.contains("CAT:SPM (spam)"), "{v}");
        assert!(v.contains("bulk mail (BCL 7)"), "{v}");
        assert_eq!(get(r, "CIP").value, "192.0.2.25");
        assert!(get(r, "CIP").meaning.starts_with("Connecting IP"));
        assert!(get(r, "SCL").meaning.contains("Junk Email"));
        assert!(get(r, "SRV").meaning.contains("bulk"));
        assert!(
            get(r, "IPV")
                .meaning
                .contains("not on any IP reputation list")
        );
        assert!(get(r, "DIR").meaning.contains("inbound"));
        assert!(
            get(r, "BCL")
                .meaning
                .contains("meets the default threshold")
        );
        assert!(get(r, "SFS").meaning.contains("internal"));
    }

    #[test]
    fn every_sfv_and_cat_value_is_explained() {
        for sfv in [
            "SPM", "NSPM", "SKS", "SKA", "SKB", "SKI", "SKQ", "SKN", "BLK", "SFE",
        ] {
            assert!(sfv_short(sfv).is_some(), "{sfv}");
            assert!(!sfv_meaning(sfv).contains("not documented"), "{sfv}");
        }
        for cat in [
            "BULK", "DIMP", "GIMP", "HPHSH", "HPHISH", "HSPM", "MALW", "PHSH", "SPM", "SPOOF",
            "UIMP", "AMP", "SAP", "OSPM", "NONE", "BIMP", "FTBP", "INTOS",
        ] {
            assert!(cat_name(cat).is_some(), "{cat}");
        }
        assert!(cat_meaning("ZZZ").contains("not documented"));
    }

    #[test]
    fn scl_and_bcl_ranges() {
        assert!(scl_meaning(-1).contains("skipped"));
        assert!(scl_meaning(1).contains("not spam"));
        assert!(scl_meaning(6).contains("spam; delivered to the Junk"));
        assert!(scl_meaning(7).contains("high confidence"));
        assert!(scl_meaning(9).contains("high confidence"));
        assert!(scl_meaning(12).contains("out of range"));
        assert!(bcl_meaning(0).contains("not from a bulk sender"));
        assert!(bcl_meaning(2).contains("few complaints"));
        assert!(bcl_meaning(5).contains("mixed"));
        assert!(bcl_meaning(9).contains("many complaints"));
    }

    #[test]
    fn skipped_by_allow_list() {
        let raw = b"X-Forefront-Antispam-Report: CIP:2001:db8::25;CTRY:;LANG:de;SCL:-1;SRV:;IPV:CAL;SFV:SKA;H:mx.example.net;PTR:;CAT:NONE;DIR:INB;\r\n\r\n";
        let r = &decode_raw(raw)[0];
        assert_eq!(get(r, "CIP").value, "2001:db8::25");
        assert!(get(r, "IPV").meaning.contains("IP Allow List"));
        assert!(get(r, "SFV").meaning.contains("allowed senders"));
        assert!(get(r, "PTR").meaning.contains("none recorded"));
        let v = r.verdict.as_deref().unwrap();
        assert!(v.starts_with("SCL -1: spam filtering skipped"), "{v}");
        assert!(v.contains("allowed list"), "{v}");
        assert!(!v.contains("CAT:"), "{v}");
    }

    #[test]
    fn unknown_keys_kept_with_empty_meaning() {
        let raw = b"X-Forefront-Antispam-Report: SCL:1;ZZQ:abc;SFV:NSPM\r\n\r\n";
        let r = &decode_raw(raw)[0];
        assert_eq!(get(r, "ZZQ").value, "abc");
        assert_eq!(get(r, "ZZQ").meaning, "");
    }

    #[test]
    fn untrusted_is_a_separate_report() {
        let raw = b"X-Forefront-Antispam-Report-Untrusted: CIP:198.51.100.7;SCL:1;SFV:NSPM;DIR:OUT;\r\nX-Microsoft-Antispam-Untrusted: BCL:0;\r\nX-Forefront-Antispam-Report: CIP:198.51.100.8;SCL:6;SFV:SPM;CAT:PHSH;DIR:INB;\r\nX-MS-Exchange-Organization-SCL: 6\r\nX-Microsoft-Antispam-Mailbox-Delivery: ucf:0;jmr:0;auth:0;dest:J;OFR:SpamFilterAuthJ;\r\n\r\n";
        let r = decode_raw(raw);
        assert_eq!(r.len(), 2);
        assert!(r[0].header.contains("X-MS-Exchange-Organization-SCL"));
        assert!(r[0].header.contains("Mailbox-Delivery"));
        let v = r[0].verdict.as_deref().unwrap();
        assert!(v.contains("CAT:PHSH (phishing)"), "{v}");
        assert!(v.contains("Junk Email folder"), "{v}");
        assert!(get(&r[0], "dest").meaning.contains("Junk"));
        assert_eq!(
            r[1].header,
            "X-Forefront-Antispam-Report-Untrusted, X-Microsoft-Antispam-Untrusted"
        );
        assert!(
            r[1].verdict
                .as_deref()
                .unwrap()
                .starts_with("Another Microsoft 365")
        );
        assert_eq!(r[1].score, Some(1.0));
        assert!(get(&r[1], "DIR").meaning.contains("outbound"));
    }

    #[test]
    fn org_scl_alone_gives_the_verdict() {
        let raw = b"X-MS-Exchange-Organization-SCL: -1\r\n\r\n";
        let r = &decode_raw(raw)[0];
        assert_eq!(r.score, Some(-1.0));
        assert!(r.verdict.as_deref().unwrap().starts_with("SCL -1"));
    }
}
