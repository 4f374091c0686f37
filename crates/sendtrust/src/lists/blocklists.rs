//! The DNS blocklists Sendtrust knows: each list's zone, documented return
//! codes, removal page and why it is (or is not) queried by default. Reference
//! data only; `rules/dnsbl.rs` asks the lists and reads their answers.

pub use crate::report::Removal;
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

const SURBL_CODES: &[Code] = &[
    code(
        [127, 0, 0, 1],
        CodeClass::Refused,
        "query refused: SURBL blocks public resolvers and resolvers over its free-use limit",
    ),
    code(
        [127, 0, 0, 8],
        CodeClass::Listed,
        "SURBL PH (phishing): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 16],
        CodeClass::Listed,
        "SURBL MW (malware): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 24],
        CodeClass::Listed,
        "SURBL PH (phishing) + MW (malware): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 64],
        CodeClass::Listed,
        "SURBL ABUSE (spam): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 72],
        CodeClass::Listed,
        "SURBL PH (phishing) + ABUSE (spam): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 80],
        CodeClass::Listed,
        "SURBL MW (malware) + ABUSE (spam): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 88],
        CodeClass::Listed,
        "SURBL PH (phishing) + MW (malware) + ABUSE (spam): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 128],
        CodeClass::Listed,
        "SURBL CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 136],
        CodeClass::Listed,
        "SURBL PH (phishing) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 144],
        CodeClass::Listed,
        "SURBL MW (malware) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 152],
        CodeClass::Listed,
        "SURBL PH (phishing) + MW (malware) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 192],
        CodeClass::Listed,
        "SURBL ABUSE (spam) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 200],
        CodeClass::Listed,
        "SURBL PH (phishing) + ABUSE (spam) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 208],
        CodeClass::Listed,
        "SURBL MW (malware) + ABUSE (spam) + CR (cracked site): a web site seen in unsolicited mail",
    ),
    code(
        [127, 0, 0, 216],
        CodeClass::Listed,
        "SURBL PH (phishing) + MW (malware) + ABUSE (spam) + CR (cracked site): a web site seen in unsolicited mail",
    ),
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
    KnownList {
        zone: "multi.surbl.org",
        name: "SURBL",
        kind: ListKind::Domain,
        ipv6: false,
        codes: SURBL_CODES,
        removal: "https://www.surbl.org/surbl-analysis",
        default: false,
        dqs: None,
        note: "Not a default: it lists web sites (domains in links), blocks public resolvers \
               (answers 127.0.0.1), and asks heavy users for a data feed. Bits of the last \
               octet: 8 PH, 16 MW, 64 ABUSE, 128 CR (retired bits are invalid answers).",
    },
    KnownList {
        zone: "dnsbl-2.uceprotect.net",
        name: "UCEPROTECT level 2",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "level 2: the provider's address range around this address hit UCEPROTECT's traps (not necessarily this server)",
        )],
        removal: "https://www.uceprotect.net/en/rblcheck.php",
        default: false,
        dqs: None,
        note: "Not a default: it lists a provider's whole range for its other customers' \
               spam, which says nothing about this server.",
    },
    KnownList {
        zone: "dnsbl-3.uceprotect.net",
        name: "UCEPROTECT level 3",
        kind: ListKind::Ip,
        ipv6: false,
        codes: &[code(
            [127, 0, 0, 2],
            CodeClass::Listed,
            "level 3: the provider's whole network (autonomous system) hit UCEPROTECT's traps (not necessarily this server)",
        )],
        removal: "https://www.uceprotect.net/en/rblcheck.php",
        default: false,
        dqs: None,
        note: "Not a default: it lists a provider's whole network for its other customers' \
               spam, which says nothing about this server.",
    },
];

/// A list's delisting policy for some of its return codes: how an entry comes
/// off, what must be fixed first, where to go, and where the list says so.
/// From the lists' own pages (`source`), as stored when this table was
/// written; they were not re-checked online from the build machine.
#[derive(Debug, Clone, Copy)]
pub struct Delisting {
    /// The list's public zone (a [`KnownList::zone`]).
    pub zone: &'static str,
    /// The listing codes this policy covers; empty: every listing code.
    pub codes: &'static [[u8; 4]],
    /// The part of the list the codes stand for (`SBL`, `PBL`, …), when the
    /// zone combines several.
    pub part: Option<&'static str>,
    /// How an entry comes off.
    pub removal: Removal,
    /// The policy in one line: what must be fixed before delisting, and how.
    pub policy: &'static str,
    /// Where to look the entry up and ask for removal.
    pub page: &'static str,
    /// The list's own page that states the policy.
    pub source: &'static str,
}

const SPAMHAUS_SBL_CODES: &[[u8; 4]] = &[[127, 0, 0, 2]];
const SPAMHAUS_PBL_CODES: &[[u8; 4]] = &[[127, 0, 0, 10], [127, 0, 0, 11]];

const PBL_POLICY: Delisting = Delisting {
    zone: "zen.spamhaus.org",
    codes: SPAMHAUS_PBL_CODES,
    part: Some("PBL"),
    removal: Removal::OwnersPolicy,
    policy: "A policy list, not a spam listing: the owner of the address range (the ISP, \
             code 10; or Spamhaus for it, code 11) says end-user addresses here should not \
             send mail straight to other servers. Send through your provider's relay \
             (smarthost) with SMTP authentication; self-service removal is only for a static \
             address with proper reverse DNS that runs a mail server, and only where the \
             range owner's policy allows it.",
    page: SPAMHAUS_REMOVAL,
    source: "https://www.spamhaus.org/pbl/removal/",
};

/// The delisting policies Sendtrust knows. A listing on a list or code not
/// here gets the list's removal page and no policy.
pub const DELISTINGS: &[Delisting] = &[
    Delisting {
        zone: "zen.spamhaus.org",
        codes: SPAMHAUS_SBL_CODES,
        part: Some("SBL"),
        removal: Removal::NetworkOwner,
        policy: "The spam must have stopped (the spamming customer, account or script removed) \
                 before anything else; then the ISP or hosting provider that owns the address \
                 asks Spamhaus's SBL team, following the Removal Procedure on the SBL record. \
                 The sender cannot remove an SBL listing: contact your provider.",
        page: SPAMHAUS_REMOVAL,
        source: "https://www.spamhaus.org/sbl/delistingprocedure/",
    },
    Delisting {
        zone: "zen.spamhaus.org",
        codes: &[[127, 0, 0, 3]],
        part: Some("CSS"),
        removal: Removal::SelfService,
        policy: "Low-reputation mail was seen from this address (snowshoe patterns, unwanted \
                 bulk mail, a compromised account): fix the sending first, then request \
                 removal yourself at the Spamhaus lookup; a listing comes back if the mail does.",
        page: SPAMHAUS_REMOVAL,
        source: "https://www.spamhaus.org/blocklists/spamhaus-blocklist/",
    },
    Delisting {
        zone: "zen.spamhaus.org",
        codes: &[
            [127, 0, 0, 4],
            [127, 0, 0, 5],
            [127, 0, 0, 6],
            [127, 0, 0, 7],
        ],
        part: Some("XBL (CBL)"),
        removal: Removal::SelfService,
        policy: "The address sent mail as an infected machine, a bot or an open proxy: find and \
                 clean the infected host behind it (or close the proxy, or the NAT that lets \
                 it out) first, then remove the address yourself at the Spamhaus lookup; it is \
                 listed again if the infection is still there.",
        page: SPAMHAUS_REMOVAL,
        source: "https://www.spamhaus.org/blocklists/exploits-blocklist/",
    },
    Delisting {
        zone: "zen.spamhaus.org",
        codes: &[[127, 0, 0, 9]],
        part: Some("DROP"),
        removal: Removal::NetworkOwner,
        policy: "The whole network is listed as hijacked or run by criminals: only its \
                 registered owner can have the listing reviewed. As a sender, move to another \
                 provider.",
        page: SPAMHAUS_REMOVAL,
        source: "https://www.spamhaus.org/blocklists/do-not-route-or-peer/",
    },
    PBL_POLICY,
    Delisting {
        zone: "pbl.spamhaus.org",
        ..PBL_POLICY
    },
    Delisting {
        zone: "dbl.spamhaus.org",
        codes: &[],
        part: Some("DBL"),
        removal: Removal::SelfService,
        policy: "The domain was seen in spam, phishing or malware, or (codes 102–106) as a \
                 legitimate domain that was abused: secure what was abused (a hacked site, an \
                 open redirector, a compromised account) and stop the mail that names it, then \
                 request removal at the Spamhaus lookup.",
        page: SPAMHAUS_REMOVAL,
        source: "https://www.spamhaus.org/blocklists/domain-blocklist/",
    },
    Delisting {
        zone: "bl.spamcop.net",
        codes: &[],
        part: None,
        removal: Removal::Expires,
        policy: "Listed from user reports and spam traps; there is nothing to request: the \
                 entry expires on its own about 24 hours after the last report. Stop what is \
                 being reported (a compromised account, bounces or auto-replies to forged \
                 senders, mail to bought lists).",
        page: "https://www.spamcop.net/bl.shtml",
        source: "https://www.spamcop.net/bl.shtml",
    },
    Delisting {
        zone: "b.barracudacentral.org",
        codes: &[],
        part: None,
        removal: Removal::RequestForm,
        policy: "Fix the cause first (spam, an infected machine, an open relay), then submit \
                 Barracuda's removal request form once, with the address and what was fixed; \
                 Barracuda's staff review it.",
        page: "https://www.barracudacentral.org/rbl/removal-request",
        source: "https://www.barracudacentral.org/rbl/removal-request",
    },
    Delisting {
        zone: "dnsbl-1.uceprotect.net",
        codes: &[],
        part: None,
        removal: Removal::Expires,
        policy: "This address hit UCEPROTECT's spam traps: stop the spam, and the entry expires \
                 on its own 7 days after the last hit (UCEPROTECT also sells early removal, \
                 which changes nothing about the cause).",
        page: "https://www.uceprotect.net/en/rblcheck.php",
        source: "https://www.uceprotect.net/en/rblcheck.php",
    },
    Delisting {
        zone: "dnsbl-2.uceprotect.net",
        codes: &[],
        part: None,
        removal: Removal::Expires,
        policy: "Level 2 lists the provider's address range for its other customers' spam, not \
                 this server: there is nothing to fix here, and the listing ends when the \
                 provider's range stops. Wait, ask the provider to deal with its abusers, or \
                 move to a provider with a clean range.",
        page: "https://www.uceprotect.net/en/rblcheck.php",
        source: "https://www.uceprotect.net/en/rblcheck.php",
    },
    Delisting {
        zone: "dnsbl-3.uceprotect.net",
        codes: &[],
        part: None,
        removal: Removal::Expires,
        policy: "Level 3 lists the provider's whole network for its other customers' spam, not \
                 this server: there is nothing to fix here, and the listing ends when the \
                 provider's network stops. Wait, or move to another provider.",
        page: "https://www.uceprotect.net/en/rblcheck.php",
        source: "https://www.uceprotect.net/en/rblcheck.php",
    },
    Delisting {
        zone: "psbl.surriel.com",
        codes: &[],
        part: None,
        removal: Removal::SelfService,
        policy: "This address sent mail to PSBL's spam traps: stop the spam, then remove the \
                 address yourself on psbl.org; without new trap hits the entry also expires.",
        page: "https://psbl.org/",
        source: "https://psbl.org/",
    },
    Delisting {
        zone: "multi.surbl.org",
        codes: &[],
        part: None,
        removal: Removal::RequestForm,
        policy: "The domain's web site was seen in spam, phishing or malware links: clean the \
                 site (or stop the mail that advertises it) first, then file a delisting \
                 request from SURBL's lookup; the site is checked again before removal.",
        page: "https://www.surbl.org/surbl-analysis",
        source: "https://www.surbl.org/surbl-analysis",
    },
    Delisting {
        zone: "multi.uribl.com",
        codes: &[],
        part: None,
        removal: Removal::RequestForm,
        policy: "The domain was found in spam: stop the mail that names it (or the abuse of \
                 it), then ask for removal at URIBL's lookup and removal site, which URIBL's \
                 staff review.",
        page: "https://admin.uribl.com/",
        source: "https://admin.uribl.com/",
    },
];

/// The delisting policy of `zone` (a known list's public zone) for one of its
/// listing codes, when Sendtrust knows it.
pub fn delisting(zone: &str, code: [u8; 4]) -> Option<&'static Delisting> {
    DELISTINGS
        .iter()
        .find(|d| d.zone == zone && (d.codes.is_empty() || d.codes.contains(&code)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every policy names a known list and only listing codes of it, and the
    /// Spamhaus error codes never get a policy.
    #[test]
    fn policies_cover_only_listing_codes_of_known_lists() {
        for d in DELISTINGS {
            let list = KNOWN_LISTS.iter().find(|l| l.zone == d.zone);
            let Some(list) = list else {
                panic!("{} is not a known list", d.zone);
            };
            for c in d.codes {
                let class = list.codes.iter().find(|k| k.addr == *c).map(|k| k.class);
                assert!(
                    matches!(
                        class,
                        Some(CodeClass::Listed | CodeClass::DynamicRange | CodeClass::DynamicHint)
                    ),
                    "{} {c:?} is not a listing code",
                    d.zone
                );
            }
            assert!(d.source.starts_with("https://"), "{}", d.source);
        }
        for error in SPAMHAUS_ERRORS {
            assert!(delisting("zen.spamhaus.org", error.addr).is_none());
        }
    }

    #[test]
    fn zen_codes_find_their_part() {
        let part = |c| delisting("zen.spamhaus.org", c).and_then(|d| d.part);
        assert_eq!(part([127, 0, 0, 2]), Some("SBL"));
        assert_eq!(part([127, 0, 0, 3]), Some("CSS"));
        assert_eq!(part([127, 0, 0, 6]), Some("XBL (CBL)"));
        assert_eq!(part([127, 0, 0, 9]), Some("DROP"));
        assert_eq!(part([127, 0, 0, 11]), Some("PBL"));
        assert_eq!(part([127, 0, 0, 8]), None);
        assert_eq!(
            delisting("pbl.spamhaus.org", [127, 0, 0, 10]).map(|d| d.removal),
            Some(Removal::OwnersPolicy)
        );
    }
}
