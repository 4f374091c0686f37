//! The DNS blocklists Sendtrust knows: each list's zone, documented return
//! codes, removal page and why it is (or is not) queried by default. Reference
//! data only; `rules/dnsbl.rs` asks the lists and reads their answers.

use serde::Serialize;

/// What a list lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListKind {
    /// IP addresses (reversed octets or nibbles).
    Ip,
    /// Domain names.
    Domain,
}

/// What a return code means for the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// A listing.
    Listed,
    /// A listing of an end-user (dynamic, residential) range: a listing for
    /// rule 3 and the authoritative signal for rule 1.
    DynamicRange,
    /// A listing that hints at a dynamic address without proving it
    /// (SpamRATS Dyna / NoPtr): a weak signal for rule 1.
    DynamicHint,
    /// The list refused the query or flagged it as an error: not a listing.
    Refused,
}

/// One documented return code.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// The address answered.
    pub addr: [u8; 4],
    /// What it means, for people.
    pub meaning: &'static str,
    /// How the checks read it.
    pub class: CodeClass,
}

const fn code(addr: [u8; 4], class: CodeClass, meaning: &'static str) -> Code {
    Code {
        addr,
        meaning,
        class,
    }
}

/// A list Sendtrust knows: its codes, its removal page, and why it is (or is
/// not) queried by default.
#[derive(Debug, Clone, Copy)]
pub struct KnownList {
    /// The public zone.
    pub zone: &'static str,
    /// The list's name for people.
    pub name: &'static str,
    /// IP or domain list.
    pub kind: ListKind,
    /// True when the list answers for IPv6 addresses.
    pub ipv6: bool,
    /// Documented return codes; anything else is an invalid answer.
    pub codes: &'static [Code],
    /// Where to look an entry up and ask for removal.
    pub removal: &'static str,
    /// Queried when the user gives no list of their own.
    pub default: bool,
    /// The Spamhaus Data Query Service zone (queried as `<key>.<dqs>`) that
    /// replaces the public zone when the user has a DQS key.
    pub dqs: Option<&'static str>,
    /// Why it is (or is not) in the default set, and its caveats.
    pub note: &'static str,
}

/// Spamhaus's one lookup and removal page for all its lists.
pub const SPAMHAUS_REMOVAL: &str = "https://check.spamhaus.org/";

/// Spamhaus's error answers, common to all its zones.
const SPAMHAUS_ERRORS: [Code; 3] = [
    code(
        [127, 255, 255, 252],
        CodeClass::Refused,
        "query refused: typing error in the list name",
    ),
    code(
        [127, 255, 255, 254],
        CodeClass::Refused,
        "query refused: it came through a public or open DNS resolver, which Spamhaus does not answer",
    ),
    code(
        [127, 255, 255, 255],
        CodeClass::Refused,
        "query refused: the resolver sent Spamhaus too many queries",
    ),
];

const ZEN_CODES: &[Code] = &[
    code(
        [127, 0, 0, 2],
        CodeClass::Listed,
        "SBL: a known spam source or spam operation",
    ),
    code(
        [127, 0, 0, 3],
        CodeClass::Listed,
        "SBL CSS: a low-reputation address seen sending spam",
    ),
    code(
        [127, 0, 0, 4],
        CodeClass::Listed,
        "XBL: an exploited or infected machine (malware, proxy, bot)",
    ),
    code(
        [127, 0, 0, 5],
        CodeClass::Listed,
        "XBL: an exploited or infected machine",
    ),
    code(
        [127, 0, 0, 6],
        CodeClass::Listed,
        "XBL: an exploited or infected machine",
    ),
    code(
        [127, 0, 0, 7],
        CodeClass::Listed,
        "XBL: an exploited or infected machine",
    ),
    code(
        [127, 0, 0, 9],
        CodeClass::Listed,
        "DROP: a hijacked or criminal network",
    ),
    code(
        [127, 0, 0, 10],
        CodeClass::DynamicRange,
        "PBL (ISP-maintained): an end-user range whose ISP says it should not send mail directly",
    ),
    code(
        [127, 0, 0, 11],
        CodeClass::DynamicRange,
        "PBL (Spamhaus-maintained): an end-user range that should not send mail directly",
    ),
    SPAMHAUS_ERRORS[0],
    SPAMHAUS_ERRORS[1],
    SPAMHAUS_ERRORS[2],
];

const PBL_CODES: &[Code] = &[
    ZEN_CODES[7],
    ZEN_CODES[8],
    SPAMHAUS_ERRORS[0],
    SPAMHAUS_ERRORS[1],
    SPAMHAUS_ERRORS[2],
];

const DBL_CODES: &[Code] = &[
    code([127, 0, 1, 2], CodeClass::Listed, "spam domain"),
    code([127, 0, 1, 4], CodeClass::Listed, "phishing domain"),
    code([127, 0, 1, 5], CodeClass::Listed, "malware domain"),
    code(
        [127, 0, 1, 6],
        CodeClass::Listed,
        "botnet command-and-control domain",
    ),
    code(
        [127, 0, 1, 102],
        CodeClass::Listed,
        "abused legitimate domain, used for spam",
    ),
    code(
        [127, 0, 1, 103],
        CodeClass::Listed,
        "abused legitimate domain: a spammed redirector or URL shortener",
    ),
    code(
        [127, 0, 1, 104],
        CodeClass::Listed,
        "abused legitimate domain, used for phishing",
    ),
    code(
        [127, 0, 1, 105],
        CodeClass::Listed,
        "abused legitimate domain, used for malware",
    ),
    code(
        [127, 0, 1, 106],
        CodeClass::Listed,
        "abused legitimate domain, used for botnet command and control",
    ),
    code(
        [127, 0, 1, 255],
        CodeClass::Refused,
        "query refused: the DBL answers domains only, and was asked an IP address",
    ),
    SPAMHAUS_ERRORS[0],
    SPAMHAUS_ERRORS[1],
    SPAMHAUS_ERRORS[2],
];

/// Every list Sendtrust knows, defaults first.
///
/// Default IP lists: lists that answer queries arriving through public DoH
/// resolvers (the only DNS a browser has), are widely used by receivers, and
/// list individual addresses for their own behaviour. Spamhaus ZEN is in the
/// set although it refuses public resolvers: it is the list receivers use
/// most, its refusal is reported as "query refused" with the way out (a DQS
/// key), and with a key it is queried through DQS instead.
pub const KNOWN_LISTS: &[KnownList] = &[
    KnownList {
        zone: "zen.spamhaus.org",
        name: "Spamhaus ZEN",
        kind: ListKind::Ip,
        ipv6: true,
        codes: ZEN_CODES,
        removal: SPAMHAUS_REMOVAL,
        default: true,
        dqs: Some("zen.dq.spamhaus.net"),
        note: "The most used list (SBL, CSS, XBL, DROP and PBL in one zone). Through public \
               resolvers it answers 127.255.255.254 (refused), shown as such; with a DQS key it \
               is asked through the Data Query Service, which works from anywhere.",
    },
    KnownList {
        zone: "bl.spamcop.net",
        name: "SpamCop",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "reported as a spam source by SpamCop users or traps in the last days",
        )],
        removal: "https://www.spamcop.net/bl.shtml",
        default: true,
        dqs: None,
        note: "Widely used, free, answers public resolvers; entries expire on their own about \
               a day after the reports stop.",
    },
    KnownList {
        zone: "psbl.surriel.com",
        name: "PSBL (Passive Spam Block List)",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "sent mail to PSBL's spam traps",
        )],
        removal: "https://psbl.org/",
        default: true,
        dqs: None,
        note: "Free, no query registration, answers public resolvers; self-service removal.",
    },
    KnownList {
        zone: "bl.mailspike.net",
        name: "Mailspike",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[
            code(
                [127, 0, 0, 2],
                CodeClass::Listed,
                "Mailspike blocklist: a spam source or zombie",
            ),
            code(
                [127, 0, 0, 10],
                CodeClass::Listed,
                "worst possible reputation",
            ),
            code([127, 0, 0, 11], CodeClass::Listed, "very bad reputation"),
            code([127, 0, 0, 12], CodeClass::Listed, "bad reputation"),
        ],
        removal: "https://mailspike.org/",
        default: true,
        dqs: None,
        note: "Free for low volumes, answers public resolvers; combines its blocklist with \
               its worst reputation levels.",
    },
    KnownList {
        zone: "dnsbl-1.uceprotect.net",
        name: "UCEPROTECT level 1",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "hit UCEPROTECT's spam traps (level 1 lists single addresses and expires 7 days after the last hit)",
        )],
        removal: "https://www.uceprotect.net/en/rblcheck.php",
        default: true,
        dqs: None,
        note: "Answers public resolvers; only level 1 (single addresses) is used: levels 2 \
               and 3 list whole provider ranges and say nothing about this server.",
    },
    KnownList {
        zone: "spam.spamrats.com",
        name: "SpamRATS Spam",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 38],
            CodeClass::Listed,
            "RATS-Spam: seen sending spam or abusive mail",
        )],
        removal: "https://www.spamrats.com/lookup.php",
        default: true,
        dqs: None,
        note: "Free, answers public resolvers. Its Dyna and NoPtr lists feed rule 1 instead.",
    },
    KnownList {
        zone: "dbl.spamhaus.org",
        name: "Spamhaus DBL",
        kind: ListKind::Domain,
        ipv6: false,
        codes: DBL_CODES,
        removal: SPAMHAUS_REMOVAL,
        default: true,
        dqs: Some("dbl.dq.spamhaus.net"),
        note: "The most used domain list. Refuses public resolvers like ZEN (shown as \
               refused); asked through DQS when a key is set.",
    },
    KnownList {
        zone: "dbl.nordspam.com",
        name: "NordSpam DBL",
        kind: ListKind::Domain,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "domain seen in spam",
        )],
        removal: "https://www.nordspam.com/",
        default: true,
        dqs: None,
        note: "A free domain list that answers public resolvers (so some domain check works \
               without a Spamhaus key).",
    },
    // --- known, not queried by default --------------------------------------
    KnownList {
        zone: "dyna.spamrats.com",
        name: "SpamRATS Dyna",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 36],
            CodeClass::DynamicHint,
            "RATS-Dyna: a dynamic or residential-looking address that sent mail",
        )],
        removal: "https://www.spamrats.com/lookup.php",
        default: false,
        dqs: None,
        note: "Used by rule 1 (static IP), not counted as a blocklist listing.",
    },
    KnownList {
        zone: "noptr.spamrats.com",
        name: "SpamRATS NoPtr",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 37],
            CodeClass::DynamicHint,
            "RATS-NoPtr: an address without reverse DNS that sent mail",
        )],
        removal: "https://www.spamrats.com/lookup.php",
        default: false,
        dqs: None,
        note: "Used by rule 1 (static IP), not counted as a blocklist listing.",
    },
    KnownList {
        zone: "pbl.spamhaus.org",
        name: "Spamhaus PBL",
        kind: ListKind::Ip,
        ipv6: true,
        codes: PBL_CODES,
        removal: SPAMHAUS_REMOVAL,
        default: false,
        dqs: Some("pbl.dq.spamhaus.net"),
        note: "Part of ZEN; rule 1 reads it from the ZEN answer.",
    },
    KnownList {
        zone: "b.barracudacentral.org",
        name: "Barracuda Reputation Block List",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "poor sending reputation (Barracuda BRBL)",
        )],
        removal: "https://www.barracudacentral.org/rbl/removal-request",
        default: false,
        dqs: None,
        note: "Not a default: Barracuda asks the operator of the querying DNS server to \
               register it. Public DoH resolvers are not registered by us, so an empty answer \
               could be a refusal read as \"not listed\". Add it if your provider answers it.",
    },
    KnownList {
        zone: "ix.dnsbl.manitu.net",
        name: "NiX Spam",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "sent spam to NiX Spam's traps",
        )],
        removal: "https://www.nixspam.net/",
        default: false,
        dqs: None,
        note: "Known, not a default (regional reach).",
    },
    KnownList {
        zone: "multi.uribl.com",
        name: "URIBL",
        kind: ListKind::Domain,
        ipv6: false,
        codes: &[
            code(
                [127, 0, 0, 1],
                CodeClass::Refused,
                "query refused: URIBL blocks public resolvers and resolvers over their quota",
            ),
            code(
                [127, 0, 0, 2],
                CodeClass::Listed,
                "URIBL black: domain seen in spam",
            ),
            code(
                [127, 0, 0, 4],
                CodeClass::Listed,
                "URIBL grey: domain of a bulk sender",
            ),
            code([127, 0, 0, 6], CodeClass::Listed, "URIBL black and grey"),
            code(
                [127, 0, 0, 8],
                CodeClass::Listed,
                "URIBL red: domain in spam, not yet confirmed",
            ),
            code([127, 0, 0, 10], CodeClass::Listed, "URIBL black and red"),
            code([127, 0, 0, 12], CodeClass::Listed, "URIBL grey and red"),
            code(
                [127, 0, 0, 14],
                CodeClass::Listed,
                "URIBL black, grey and red",
            ),
        ],
        removal: "https://admin.uribl.com/",
        default: false,
        dqs: None,
        note: "Not a default: it refuses public resolvers (answers 127.0.0.1).",
    },
];
