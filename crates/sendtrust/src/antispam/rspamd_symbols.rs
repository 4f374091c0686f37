//! What common Rspamd symbols mean, in plain words for the person running the
//! mail server. Families (`RBL_*`, `RCVD_COUNT_*`, `HFILTER_*`, ...) are
//! explained by pattern when the exact name is not in the table.

/// Symbol → meaning.
pub(super) const SYMBOLS: &[(&str, &str)] = &[
    // SPF
    (
        "R_SPF_ALLOW",
        "SPF pass: the sending IP is authorised by the envelope sender's domain.",
    ),
    (
        "R_SPF_FAIL",
        "SPF fail: the envelope sender's domain says this IP must not send its mail (-all).",
    ),
    (
        "R_SPF_SOFTFAIL",
        "SPF softfail: the envelope sender's domain says this IP probably should not send its mail (~all).",
    ),
    (
        "R_SPF_NEUTRAL",
        "SPF neutral: the domain makes no claim about this IP (?all).",
    ),
    (
        "R_SPF_NA",
        "No SPF record for the envelope sender's domain.",
    ),
    (
        "R_SPF_DNSFAIL",
        "SPF temporary error: DNS failed while checking.",
    ),
    (
        "R_SPF_PERMFAIL",
        "SPF permanent error: the SPF record is broken (syntax, too many lookups).",
    ),
    // DKIM
    ("R_DKIM_ALLOW", "A DKIM signature verified."),
    (
        "R_DKIM_REJECT",
        "A DKIM signature failed to verify (altered in transit, or a wrong key).",
    ),
    (
        "R_DKIM_TEMPFAIL",
        "DKIM could not be checked: DNS failed looking up the key.",
    ),
    (
        "R_DKIM_PERMFAIL",
        "DKIM permanent error: the key or signature is unusable.",
    ),
    ("R_DKIM_NA", "The message has no DKIM signature."),
    (
        "DKIM_TRACE",
        "DKIM results per signing domain (information only): + pass, - fail, ? temporary error, ~ permanent error.",
    ),
    (
        "DKIM_SIGNED",
        "This Rspamd signed the message with DKIM (outgoing mail).",
    ),
    ("DKIM_MIXED", "Some DKIM signatures passed, others failed."),
    // DMARC
    (
        "DMARC_POLICY_ALLOW",
        "DMARC pass: SPF or DKIM passed for a domain aligned with From.",
    ),
    (
        "DMARC_POLICY_ALLOW_WITH_FAILURES",
        "DMARC pass, although some of the checks behind it failed.",
    ),
    (
        "DMARC_POLICY_REJECT",
        "DMARC failed, and the From domain's policy is p=reject.",
    ),
    (
        "DMARC_POLICY_QUARANTINE",
        "DMARC failed, and the From domain's policy is p=quarantine.",
    ),
    (
        "DMARC_POLICY_SOFTFAIL",
        "DMARC failed, and the From domain's policy is p=none (or the failure fell outside pct).",
    ),
    ("DMARC_NA", "The From domain publishes no DMARC record."),
    (
        "DMARC_BAD_POLICY",
        "The From domain's DMARC record is broken.",
    ),
    ("DMARC_DNSFAIL", "DNS failed while looking up DMARC."),
    // ARC
    (
        "ARC_ALLOW",
        "The ARC chain verified (a forwarder's recorded authentication results can be trusted).",
    ),
    (
        "ARC_REJECT",
        "The ARC chain is broken: a seal or signature failed.",
    ),
    ("ARC_INVALID", "The ARC headers are malformed."),
    ("ARC_DNSFAIL", "ARC could not be checked: DNS failed."),
    (
        "ARC_NA",
        "The message has no ARC headers (normal for mail that was not forwarded).",
    ),
    (
        "ARC_SIGNED",
        "This Rspamd added an ARC seal to the message.",
    ),
    (
        "AUTH_NA",
        "No SPF, DKIM or DMARC result was available to authenticate the sender.",
    ),
    (
        "AUTH_NA_OR_FAIL",
        "No authentication result was available, or every one failed.",
    ),
    // MIME
    (
        "MIME_GOOD",
        "The MIME structure is well formed (multipart/alternative or text/plain).",
    ),
    ("MIME_BAD", "Bad MIME structure or content types."),
    ("MIME_UNKNOWN", "A MIME type Rspamd does not know."),
    (
        "MIME_TRACE",
        "MIME parts and their types (information only).",
    ),
    (
        "MIME_HTML_ONLY",
        "The message has only HTML, no plain-text alternative.",
    ),
    ("MIME_BASE64_TEXT", "A text part is base64-encoded."),
    (
        "MIME_BASE64_TEXT_BOGUS",
        "A text part is base64-encoded although it is plain 7-bit text.",
    ),
    (
        "R_MISSING_CHARSET",
        "A text part declares no character set.",
    ),
    (
        "R_BAD_CTE_7BIT",
        "A part declares 7bit encoding but contains 8-bit characters.",
    ),
    (
        "R_PARTS_DIFFER",
        "The HTML and plain-text alternatives differ a lot.",
    ),
    (
        "MANY_INVISIBLE_PARTS",
        "Several parts that a mail reader would not show.",
    ),
    // Received chain
    (
        "RCVD_TLS_ALL",
        "Every hop recorded in Received headers used TLS.",
    ),
    ("RCVD_TLS_LAST", "The last hop to this server used TLS."),
    (
        "RCVD_NO_TLS_LAST",
        "The last hop to this server did not use TLS.",
    ),
    (
        "RCVD_VIA_SMTP_AUTH",
        "The message was submitted with SMTP authentication (a logged-in user).",
    ),
    (
        "RCVD_HELO_USER",
        "The HELO name is 'user' (a spamware pattern).",
    ),
    (
        "ONCE_RECEIVED",
        "Only one Received header (sent straight from the origin).",
    ),
    (
        "RCVD_IN_DNSWL_NONE",
        "The sending IP is on the DNSWL allowlist, with no trust level (information only).",
    ),
    (
        "RCVD_IN_DNSWL_LOW",
        "The sending IP is on the DNSWL allowlist with low trust.",
    ),
    (
        "RCVD_IN_DNSWL_MED",
        "The sending IP is on the DNSWL allowlist with medium trust.",
    ),
    (
        "RCVD_IN_DNSWL_HI",
        "The sending IP is on the DNSWL allowlist with high trust.",
    ),
    (
        "RCVD_IN_DNSWL_FAIL",
        "The DNSWL query failed (DNS error or the resolver is refused).",
    ),
    (
        "DWL_DNSWL_NONE",
        "The sending domain is on the DNSWL domain allowlist, with no trust level.",
    ),
    // Sender and recipients
    ("FROM_HAS_DN", "The From header has a display name."),
    ("FROM_NO_DN", "The From header has no display name."),
    (
        "FROM_EQ_ENVFROM",
        "The From address equals the envelope sender.",
    ),
    (
        "FROM_NEQ_ENVFROM",
        "The From address differs from the envelope sender (normal for lists and bulk services).",
    ),
    ("TO_DN_NONE", "No To address has a display name."),
    ("TO_DN_SOME", "Some To addresses have a display name."),
    ("TO_DN_ALL", "Every To address has a display name."),
    (
        "TO_DN_RECIPIENTS",
        "The To display name is 'Recipients' (a bulk-mailer pattern).",
    ),
    (
        "TO_DN_EQ_ADDR_ALL",
        "Every To display name is just the address again.",
    ),
    (
        "TO_MATCH_ENVRCPT_ALL",
        "Every To address is also an envelope recipient.",
    ),
    (
        "TO_MATCH_ENVRCPT_SOME",
        "Some To addresses are also envelope recipients.",
    ),
    ("RCPT_COUNT_ONE", "One recipient."),
    (
        "FORGED_SENDER",
        "The envelope sender and the From address differ (forged sender check).",
    ),
    (
        "FORGED_RECIPIENTS",
        "The envelope recipients do not match the To/Cc headers.",
    ),
    (
        "FORGED_SENDER_VERP_SRS",
        "The envelope sender is rewritten (VERP or SRS), so it differs from From: usually forwarding or a list.",
    ),
    (
        "FORGED_SENDER_MAILLIST",
        "Sender differs from From because a mailing list resent the message (expected, not a forgery).",
    ),
    (
        "FORGED_RECIPIENTS_MAILLIST",
        "Recipients differ from To/Cc because a mailing list resent the message (expected).",
    ),
    (
        "FORGED_SENDER_FORWARDING",
        "Sender differs from From because the message was forwarded (expected).",
    ),
    (
        "FORGED_RECIPIENTS_FORWARDING",
        "Recipients differ from To/Cc because the message was forwarded (expected).",
    ),
    (
        "MAILLIST",
        "The message came through a mailing list manager (the option names it).",
    ),
    (
        "PRECEDENCE_BULK",
        "The message has a Precedence: bulk header (mailing list or bulk mail).",
    ),
    (
        "ALIAS_RESOLVED",
        "A recipient alias was expanded to the real mailbox.",
    ),
    (
        "DBL_BLOCKED_OPENRESOLVER",
        "Spamhaus DBL refused the query because it came through a public resolver; the domain check did not run.",
    ),
    (
        "RBL_SPAMHAUS_BLOCKED_OPENRESOLVER",
        "Spamhaus refused the query because it came through a public resolver; the IP check did not run.",
    ),
    (
        "FREEMAIL_FROM",
        "The From address is at a free mail provider.",
    ),
    (
        "FREEMAIL_ENVFROM",
        "The envelope sender is at a free mail provider.",
    ),
    ("FREEMAIL_TO", "A To address is at a free mail provider."),
    (
        "FREEMAIL_REPLYTO",
        "The Reply-To address is at a free mail provider.",
    ),
    ("HAS_REPLYTO", "The message has a Reply-To header."),
    ("REPLYTO_EQ_FROM", "Reply-To equals From."),
    (
        "REPLYTO_DOM_NEQ_FROM_DOM",
        "The Reply-To domain differs from the From domain.",
    ),
    (
        "HAS_LIST_UNSUB",
        "The message has a List-Unsubscribe header.",
    ),
    (
        "PREVIOUSLY_DELIVERED",
        "The message was already delivered to this recipient once (a Delivered-To header names them).",
    ),
    ("TAGGED_RCPT", "A recipient address has a +tag."),
    (
        "TAGGED_FROM",
        "The envelope sender has a +tag (common with bounce handling).",
    ),
    // Message-ID and headers
    (
        "MID_RHS_MATCH_FROM",
        "The Message-ID's domain matches the From domain (normal).",
    ),
    (
        "MID_RHS_MATCH_FROMTLD",
        "The Message-ID's domain matches the From domain's top-level domain.",
    ),
    (
        "MID_RHS_MATCH_TO",
        "The Message-ID's domain matches the To domain.",
    ),
    (
        "MID_CONTAINS_FROM",
        "The Message-ID contains the From address.",
    ),
    (
        "MID_RHS_NOT_FQDN",
        "The Message-ID's domain part is not a full domain name.",
    ),
    (
        "MID_RHS_WWW",
        "The Message-ID's domain part starts with www.",
    ),
    ("MISSING_MID", "The Message-ID header is missing."),
    ("MISSING_DATE", "The Date header is missing."),
    ("MISSING_TO", "The To header is missing."),
    ("MISSING_FROM", "The From header is missing."),
    ("MISSING_SUBJECT", "The Subject header is missing."),
    (
        "MISSING_MIMEOLE",
        "Claims to be from Outlook but lacks the header Outlook adds.",
    ),
    ("DATE_IN_PAST", "The Date header is well in the past."),
    ("DATE_IN_FUTURE", "The Date header is in the future."),
    (
        "SUBJECT_ENDS_QUESTION",
        "The subject ends with a question mark.",
    ),
    (
        "SUBJECT_HAS_QUESTION",
        "The subject contains a question mark.",
    ),
    (
        "SUBJECT_HAS_CURRENCY",
        "The subject contains a currency sign.",
    ),
    (
        "SUBJ_ALL_CAPS",
        "The subject is written in capital letters.",
    ),
    ("HAS_X_PRIO_THREE", "The message has X-Priority 3 (normal)."),
    // Statistics and reputation
    (
        "BAYES_SPAM",
        "The Bayes filter (trained on this server's mail) says spam; the option gives its confidence.",
    ),
    (
        "BAYES_HAM",
        "The Bayes filter (trained on this server's mail) says good mail; the option gives its confidence.",
    ),
    (
        "NEURAL_SPAM",
        "The neural network (trained on this server's results) says spam.",
    ),
    (
        "NEURAL_HAM",
        "The neural network (trained on this server's results) says good mail.",
    ),
    (
        "FUZZY_DENIED",
        "The message matches a fuzzy hash of known spam.",
    ),
    (
        "FUZZY_PROB",
        "The message probably matches a fuzzy hash of known spam.",
    ),
    (
        "FUZZY_WHITE",
        "The message matches a fuzzy hash of known good mail.",
    ),
    (
        "ASN",
        "The sending IP's network: autonomous system number, IP range and country (information only).",
    ),
    (
        "IP_REPUTATION_HAM",
        "This server's history with the sending IP is good.",
    ),
    (
        "IP_REPUTATION_SPAM",
        "This server's history with the sending IP is bad.",
    ),
    (
        "SENDER_REP_HAM",
        "This server's history with the sender is good.",
    ),
    (
        "SENDER_REP_SPAM",
        "This server's history with the sender is bad.",
    ),
    (
        "GREYLIST",
        "Greylisting: the first attempt was deferred; the option says whether it was greylisted or passed.",
    ),
    (
        "MX_GOOD",
        "The envelope sender's domain has working MX servers.",
    ),
    (
        "MX_INVALID",
        "The envelope sender's domain has no working MX server.",
    ),
    (
        "MX_MISSING",
        "The envelope sender's domain has no MX record.",
    ),
    // Blocklists and allowlists
    (
        "RBL_SPAMHAUS_SBL",
        "A relay IP is on the Spamhaus SBL (known spam sources).",
    ),
    (
        "RBL_SPAMHAUS_CSS",
        "A relay IP is on the Spamhaus CSS list (low-reputation IPs that sent spam recently).",
    ),
    (
        "RBL_SPAMHAUS_XBL",
        "A relay IP is on the Spamhaus XBL (infected or exploited machines).",
    ),
    (
        "RBL_SPAMHAUS_PBL",
        "The sending IP is on the Spamhaus PBL: an end-user range that should not send mail directly.",
    ),
    (
        "RBL_SPAMHAUS_BLOCKED",
        "Spamhaus refused the query (public or overloaded resolver); the blocklist check did not run.",
    ),
    (
        "RBL_MAILSPIKE_BAD",
        "The sending IP has a bad Mailspike reputation.",
    ),
    (
        "RBL_MAILSPIKE_VERYBAD",
        "The sending IP has a very bad Mailspike reputation.",
    ),
    (
        "RBL_MAILSPIKE_WORST",
        "The sending IP has the worst Mailspike reputation.",
    ),
    (
        "RWL_MAILSPIKE_POSSIBLE",
        "The sending IP has a neutral-to-good Mailspike reputation.",
    ),
    (
        "RWL_MAILSPIKE_GOOD",
        "The sending IP has a good Mailspike reputation.",
    ),
    (
        "RWL_MAILSPIKE_VERYGOOD",
        "The sending IP has a very good Mailspike reputation.",
    ),
    (
        "RWL_MAILSPIKE_EXCELLENT",
        "The sending IP has an excellent Mailspike reputation.",
    ),
    (
        "RBL_SENDERSCORE",
        "The sending IP has a poor Validity SenderScore.",
    ),
    (
        "RBL_SEM",
        "The sending IP is on the Spameatingmonkey blocklist.",
    ),
    (
        "RBL_VIRUSFREE_BOTNET",
        "The sending IP is on the VirusFree botnet list.",
    ),
    (
        "RBL_BLOCKLISTDE",
        "The sending IP is on blocklist.de (attacks on servers).",
    ),
    (
        "RECEIVED_SPAMHAUS_PBL",
        "A relay in the Received chain is on the Spamhaus PBL (end-user range).",
    ),
    (
        "RECEIVED_SPAMHAUS_XBL",
        "A relay in the Received chain is on the Spamhaus XBL.",
    ),
    (
        "DBL_SPAM",
        "A domain in the message is on the Spamhaus DBL as a spam domain.",
    ),
    (
        "DBL_PHISH",
        "A domain in the message is on the Spamhaus DBL as a phishing domain.",
    ),
    (
        "DBL_MALWARE",
        "A domain in the message is on the Spamhaus DBL as a malware domain.",
    ),
    (
        "DBL_ABUSE_REDIR",
        "A link goes through an abused redirector listed by Spamhaus DBL.",
    ),
    ("URIBL_BLACK", "A linked domain is on the URIBL black list."),
    ("URIBL_GREY", "A linked domain is on the URIBL grey list."),
    (
        "URIBL_BLOCKED",
        "URIBL refused the query (public or overloaded resolver); the link check did not run.",
    ),
    (
        "SEM_URIBL",
        "A linked domain is on the Spameatingmonkey URI blocklist.",
    ),
    (
        "SURBL_BLOCKED",
        "SURBL refused the query; the link check did not run.",
    ),
    (
        "PHISHING",
        "A link's text shows one domain but points to another (phishing pattern).",
    ),
    (
        "R_SUSPICIOUS_URL",
        "A link uses an obfuscated or numeric address.",
    ),
    (
        "WHITELIST_DMARC",
        "The From domain is on the DMARC-based allowlist and DMARC passed.",
    ),
    (
        "WHITELIST_SPF_DKIM",
        "The sender is on the allowlist and passed SPF and DKIM.",
    ),
];

/// What a Rspamd symbol means, from the table or by its family; `None`
/// when unknown.
pub fn symbol_meaning(symbol: &str) -> Option<String> {
    let upper = symbol.trim().to_ascii_uppercase();
    if let Some((_, m)) = SYMBOLS.iter().find(|(k, _)| *k == upper) {
        return Some((*m).to_string());
    }
    family(&upper)
}

fn family(symbol: &str) -> Option<String> {
    let s = |m: &str| Some(m.to_string());
    if let Some(n) = symbol.strip_prefix("RCVD_COUNT_") {
        return Some(format!(
            "Number of Received headers (hops): {}.",
            count_word(n)
        ));
    }
    if let Some(n) = symbol.strip_prefix("RCPT_COUNT_") {
        return Some(format!("Number of recipients: {}.", count_word(n)));
    }
    if symbol.ends_with("_BLOCKED") || symbol.ends_with("_BLOCKED_OPENRESOLVER") {
        return s(
            "The list refused the DNS query (public or overloaded resolver); this check did not run.",
        );
    }
    if symbol.starts_with("RBL_") || symbol.starts_with("RECEIVED_") {
        return s("A relay IP is on a DNS blocklist.");
    }
    if symbol.starts_with("RWL_") {
        return s("The sending IP is on a DNS allowlist.");
    }
    if symbol.starts_with("DWL_") {
        return s("The sending domain is on a DNS allowlist.");
    }
    if symbol.starts_with("DBL_") {
        return s("A domain in the message is on the Spamhaus DBL.");
    }
    if symbol.starts_with("URIBL_") || symbol.starts_with("SURBL_") {
        return s("A linked domain is on a URI blocklist.");
    }
    if symbol.starts_with("HFILTER_") {
        return s("Hostname filter: a problem with the HELO name, reverse DNS or sender domain.");
    }
    if symbol.starts_with("FUZZY_") {
        return s("Fuzzy hash match against reported messages.");
    }
    if symbol.starts_with("RCVD_IN_DNSWL_") {
        return s("The sending IP is on the DNSWL allowlist.");
    }
    None
}

/// `ONE`, `TWO`, `THREE`, `FIVE`, `SEVEN`, `TWELVE`, `GT_50` in words.
fn count_word(n: &str) -> String {
    match n {
        "ZERO" => "none".into(),
        "ONE" => "one".into(),
        "TWO" => "two".into(),
        "THREE" => "three or four".into(),
        "FIVE" => "five or six".into(),
        "SEVEN" => "seven to eleven".into(),
        "TWELVE" => "twelve or more".into(),
        other => other.to_ascii_lowercase().replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_large_and_unique() {
        assert!(SYMBOLS.len() >= 40, "{}", SYMBOLS.len());
        for (i, (k, m)) in SYMBOLS.iter().enumerate() {
            assert!(!m.is_empty(), "{k}");
            assert!(
                SYMBOLS.iter().skip(i + 1).all(|(o, _)| o != k),
                "duplicate {k}"
            );
        }
    }

    #[test]
    fn families() {
        assert!(
            symbol_meaning("RCVD_COUNT_THREE")
                .unwrap()
                .contains("three or four")
        );
        assert!(
            symbol_meaning("RCPT_COUNT_ONE")
                .unwrap()
                .contains("One recipient")
        );
        assert!(symbol_meaning("RCPT_COUNT_TWO").unwrap().contains("two"));
        assert!(symbol_meaning("RBL_NIXSPAM").unwrap().contains("blocklist"));
        assert!(
            symbol_meaning("HFILTER_HELO_NOT_FQDN")
                .unwrap()
                .contains("HELO")
        );
        assert!(symbol_meaning("r_spf_allow").unwrap().contains("SPF pass"));
        assert_eq!(symbol_meaning("LOCAL_THING"), None);
    }
}
