//! What common SpamAssassin rules mean, in plain words for the person running
//! the mail server. Rule names follow SpamAssassin's rule set (3.4 / 4.0);
//! families (`DATE_IN_PAST_*`, `*_BLOCKED`, `T_` test rules) are explained by
//! pattern when the exact name is not in the table.

/// Rule name → meaning.
pub(super) const RULES: &[(&str, &str)] = &[
    // Bayes: the statistical filter trained on this server's own mail.
    (
        "BAYES_00",
        "Bayes filter: 0–1% spam probability (looks like the mail this server knows as good).",
    ),
    ("BAYES_05", "Bayes filter: 1–5% spam probability."),
    ("BAYES_10", "Bayes filter: 5–10% spam probability."),
    ("BAYES_20", "Bayes filter: 10–20% spam probability."),
    ("BAYES_40", "Bayes filter: 20–40% spam probability."),
    (
        "BAYES_50",
        "Bayes filter: 40–60% spam probability (undecided).",
    ),
    ("BAYES_60", "Bayes filter: 60–80% spam probability."),
    ("BAYES_80", "Bayes filter: 80–95% spam probability."),
    ("BAYES_95", "Bayes filter: 95–99% spam probability."),
    (
        "BAYES_99",
        "Bayes filter: 99–100% spam probability (looks like known spam).",
    ),
    ("BAYES_999", "Bayes filter: 99.9–100% spam probability."),
    // DKIM
    (
        "DKIM_SIGNED",
        "The message has a DKIM signature (valid or not); a tiny score, cancelled by DKIM_VALID.",
    ),
    ("DKIM_VALID", "At least one DKIM signature verified."),
    (
        "DKIM_VALID_AU",
        "A DKIM signature from the author's (From) domain verified.",
    ),
    (
        "DKIM_VALID_EF",
        "A DKIM signature from the envelope sender's domain verified.",
    ),
    (
        "DKIM_INVALID",
        "A DKIM signature is present but did not verify (altered in transit, or a wrong key).",
    ),
    (
        "DKIM_ADSP_NXDOMAIN",
        "No valid author signature, and the From domain does not exist.",
    ),
    (
        "DKIMWL_WL_HIGH",
        "The DKIM signer is on the SpamAssassin project's allowlist of very reliable senders.",
    ),
    (
        "DKIMWL_WL_MED",
        "The DKIM signer is on the SpamAssassin project's allowlist of fairly reliable senders.",
    ),
    (
        "NML_ADSP_CUSTOM_MED",
        "No valid author signature for a domain that signs all its mail.",
    ),
    // SPF
    (
        "SPF_PASS",
        "SPF: the sending IP is authorised by the envelope sender's domain.",
    ),
    (
        "SPF_FAIL",
        "SPF fail: the envelope sender's domain says this IP must not send its mail (-all).",
    ),
    (
        "SPF_SOFTFAIL",
        "SPF softfail: the envelope sender's domain says this IP probably should not send its mail (~all).",
    ),
    (
        "SPF_NEUTRAL",
        "SPF neutral: the envelope sender's domain makes no claim about this IP (?all).",
    ),
    (
        "SPF_NONE",
        "The envelope sender's domain publishes no SPF record.",
    ),
    (
        "SPF_HELO_PASS",
        "SPF for the HELO name: the sending IP is authorised.",
    ),
    (
        "SPF_HELO_FAIL",
        "SPF for the HELO name: fail (the HELO domain says this IP must not use it).",
    ),
    ("SPF_HELO_SOFTFAIL", "SPF for the HELO name: softfail."),
    ("SPF_HELO_NEUTRAL", "SPF for the HELO name: neutral."),
    (
        "SPF_HELO_NONE",
        "The HELO name has no SPF record (common and harmless; tiny score).",
    ),
    (
        "T_SPF_PERMERROR",
        "SPF permanent error: the envelope sender's SPF record is broken (syntax, too many lookups).",
    ),
    (
        "T_SPF_TEMPERROR",
        "SPF temporary error: DNS failed while checking the envelope sender's SPF.",
    ),
    (
        "T_SPF_HELO_PERMERROR",
        "SPF permanent error for the HELO name: its SPF record is broken.",
    ),
    (
        "T_SPF_HELO_TEMPERROR",
        "SPF temporary error for the HELO name: DNS failed.",
    ),
    (
        "ENV_AND_HDR_SPF_MATCH",
        "Envelope sender and From address both pass SPF for the same domain.",
    ),
    // DMARC
    (
        "DMARC_PASS",
        "DMARC passed: SPF or DKIM passed for a domain aligned with From.",
    ),
    (
        "DMARC_NONE",
        "DMARC failed, and the From domain's policy is p=none (monitor only).",
    ),
    (
        "DMARC_QUAR",
        "DMARC failed, and the From domain's policy is p=quarantine.",
    ),
    (
        "DMARC_REJECT",
        "DMARC failed, and the From domain's policy is p=reject.",
    ),
    (
        "DMARC_MISSING",
        "The From domain publishes no DMARC record.",
    ),
    (
        "DMARC_PERMERROR",
        "The From domain's DMARC record is broken.",
    ),
    ("DMARC_TEMPERROR", "DNS failed while looking up DMARC."),
    (
        "KAM_DMARC_STATUS",
        "SPF or DKIM failed for a From domain that has a strict DMARC policy.",
    ),
    (
        "KAM_DMARC_REJECT",
        "DMARC failed for a From domain whose policy is p=reject.",
    ),
    (
        "KAM_DMARC_QUARANTINE",
        "DMARC failed for a From domain whose policy is p=quarantine.",
    ),
    // ARC
    (
        "ARC_SIGNED",
        "The message carries an ARC signature (a forwarder recorded its authentication results).",
    ),
    ("ARC_VALID", "The ARC chain verified."),
    (
        "ARC_INVALID",
        "The ARC chain is present but did not verify.",
    ),
    // Allowlists of IPs
    (
        "RCVD_IN_DNSWL_NONE",
        "Sending IP is on the DNSWL allowlist, with no trust level (information only).",
    ),
    (
        "RCVD_IN_DNSWL_LOW",
        "Sending IP is on the DNSWL allowlist with low trust.",
    ),
    (
        "RCVD_IN_DNSWL_MED",
        "Sending IP is on the DNSWL allowlist with medium trust.",
    ),
    (
        "RCVD_IN_DNSWL_HI",
        "Sending IP is on the DNSWL allowlist with high trust.",
    ),
    (
        "RCVD_IN_DNSWL_BLOCKED",
        "DNSWL refused the query (this server's DNS resolver is blocked or over quota); the allowlist check did not run.",
    ),
    (
        "RCVD_IN_MSPIKE_H2",
        "Mailspike reputation of the sending IP: average (+2).",
    ),
    (
        "RCVD_IN_MSPIKE_H3",
        "Mailspike reputation of the sending IP: good (+3).",
    ),
    (
        "RCVD_IN_MSPIKE_H4",
        "Mailspike reputation of the sending IP: very good (+4).",
    ),
    (
        "RCVD_IN_MSPIKE_H5",
        "Mailspike reputation of the sending IP: excellent (+5).",
    ),
    (
        "RCVD_IN_MSPIKE_WL",
        "The sending IP is one of Mailspike's good senders (H3 or better).",
    ),
    (
        "RCVD_IN_MSPIKE_L2",
        "Mailspike reputation of the sending IP: suspicious (-2).",
    ),
    (
        "RCVD_IN_MSPIKE_L3",
        "Mailspike reputation of the sending IP: low (-3).",
    ),
    (
        "RCVD_IN_MSPIKE_L4",
        "Mailspike reputation of the sending IP: bad (-4).",
    ),
    (
        "RCVD_IN_MSPIKE_L5",
        "Mailspike reputation of the sending IP: very bad (-5).",
    ),
    (
        "RCVD_IN_MSPIKE_BL",
        "The sending IP is on the Mailspike blocklist.",
    ),
    (
        "RCVD_IN_MSPIKE_ZBI",
        "The sending IP took part in a spam wave Mailspike saw, without an established bad reputation.",
    ),
    (
        "RCVD_IN_VALIDITY_RPBL",
        "The sending IP is on Validity's Return Path blocklist (poor sender reputation).",
    ),
    (
        "RCVD_IN_VALIDITY_SAFE",
        "The sending IP is on Validity's Safe list (a vetted sender).",
    ),
    (
        "RCVD_IN_VALIDITY_CERTIFIED",
        "The sending IP belongs to a Validity-certified sender.",
    ),
    (
        "RCVD_IN_VALIDITY_RPBL_BLOCKED",
        "Validity refused the RPBL query (public or unregistered DNS resolver); the check did not run. Harmless (tiny score).",
    ),
    (
        "RCVD_IN_VALIDITY_SAFE_BLOCKED",
        "Validity refused the Safe list query (public or unregistered DNS resolver); the check did not run. Harmless (tiny score).",
    ),
    (
        "RCVD_IN_VALIDITY_CERTIFIED_BLOCKED",
        "Validity refused the certification query (public or unregistered DNS resolver); the check did not run. Harmless (tiny score).",
    ),
    // Blocklists of IPs
    (
        "RCVD_IN_ZEN_BLOCKED",
        "Spamhaus refused the ZEN query (too many queries from this server's resolver); the blocklist check did not run.",
    ),
    (
        "RCVD_IN_ZEN_BLOCKED_OPENDNS",
        "Spamhaus refused the ZEN query because it came through a public DNS resolver; the blocklist check did not run. Use your own resolver.",
    ),
    (
        "RCVD_IN_SBL",
        "A relay IP is on the Spamhaus SBL (known spam sources or spam operations).",
    ),
    (
        "RCVD_IN_SBL_CSS",
        "A relay IP is on the Spamhaus CSS list (low-reputation IPs that sent spam recently).",
    ),
    (
        "RCVD_IN_XBL",
        "A relay IP is on the Spamhaus XBL (infected or exploited machines).",
    ),
    (
        "RCVD_IN_PBL",
        "The sending IP is on the Spamhaus PBL: an end-user address range that should not send mail directly.",
    ),
    (
        "RCVD_IN_BL_SPAMCOP_NET",
        "A relay IP is on the SpamCop blocklist (reported for spam recently).",
    ),
    (
        "RCVD_IN_PSBL",
        "A relay IP is on the Passive Spam Block List (it sent to spam traps).",
    ),
    (
        "RCVD_IN_SORBS_DUL",
        "The sending IP is in a dynamic (dial-up/home) range according to SORBS.",
    ),
    (
        "RCVD_IN_SORBS_SPAM",
        "A relay IP is on the SORBS spam list.",
    ),
    (
        "RCVD_IN_SORBS_WEB",
        "A relay IP is on the SORBS list of exploited web servers.",
    ),
    (
        "RCVD_IN_IADB_VOUCHED",
        "The sender is vouched for by ISIPP's accreditation database.",
    ),
    // Domain and URL blocklists
    (
        "URIBL_BLOCKED",
        "URIBL refused the query (this server's DNS resolver is blocked or over quota); the link check did not run.",
    ),
    (
        "URIBL_DBL_BLOCKED",
        "Spamhaus DBL refused the query; the link check did not run.",
    ),
    (
        "URIBL_DBL_BLOCKED_OPENDNS",
        "Spamhaus DBL refused the query because it came through a public DNS resolver; the link check did not run.",
    ),
    (
        "URIBL_BLACK",
        "A domain linked in the message is on the URIBL black list.",
    ),
    (
        "URIBL_GREY",
        "A domain linked in the message is on the URIBL grey list (bulk/grey senders).",
    ),
    (
        "URIBL_RED",
        "A domain linked in the message is on the URIBL red list (recently seen domains under watch).",
    ),
    (
        "URIBL_DBL_SPAM",
        "A domain linked in the message is on the Spamhaus DBL as a spam domain.",
    ),
    (
        "URIBL_DBL_PHISH",
        "A domain linked in the message is on the Spamhaus DBL as a phishing domain.",
    ),
    (
        "URIBL_DBL_MALWARE",
        "A domain linked in the message is on the Spamhaus DBL as a malware domain.",
    ),
    (
        "URIBL_DBL_ABUSED_REDIR",
        "A link in the message goes through an abused redirector listed by Spamhaus DBL.",
    ),
    (
        "URIBL_ABUSE_SURBL",
        "A domain linked in the message is on the SURBL abuse list.",
    ),
    (
        "URIBL_PH_SURBL",
        "A domain linked in the message is on the SURBL phishing list.",
    ),
    (
        "URIBL_MW_SURBL",
        "A domain linked in the message is on the SURBL malware list.",
    ),
    (
        "URIBL_CSS",
        "A linked domain's name server IP is on the Spamhaus CSS list.",
    ),
    (
        "URIBL_SBL",
        "A linked domain's name server IP is on the Spamhaus SBL.",
    ),
    // Reverse DNS and HELO
    (
        "RDNS_NONE",
        "The relay that handed the message to this server has no reverse DNS (PTR) name.",
    ),
    (
        "RDNS_DYNAMIC",
        "The relay's reverse DNS name looks like a dynamic/home connection (e.g. dsl-192-0-2-1.example.net).",
    ),
    (
        "HELO_DYNAMIC_IPADDR",
        "The HELO name looks like a dynamic/home address.",
    ),
    ("HELO_NO_DOMAIN", "The HELO name is not a domain name."),
    (
        "FSL_HELO_NON_FQDN_1",
        "The HELO name is not a fully qualified domain name.",
    ),
    ("FSL_HELO_BARE_IP_1", "The HELO name is a bare IP address."),
    (
        "NO_DNS_FOR_FROM",
        "The envelope sender's domain has no MX or A record in DNS.",
    ),
    // Content and format
    (
        "HTML_MESSAGE",
        "The message has an HTML part (information only: scored 0).",
    ),
    (
        "MIME_HTML_ONLY",
        "The message has only HTML, no plain-text alternative.",
    ),
    (
        "MIME_HTML_MOSTLY",
        "The message is mostly HTML with little plain text.",
    ),
    ("HTML_MIME_NO_HTML_TAG", "An HTML part has no <html> tag."),
    (
        "MPART_ALT_DIFF",
        "The HTML and plain-text alternatives differ a lot.",
    ),
    (
        "MIME_QP_LONG_LINE",
        "A quoted-printable line is longer than the standard allows (76 characters).",
    ),
    (
        "HTML_FONT_LOW_CONTRAST",
        "HTML text colour is close to the background colour (hidden text).",
    ),
    (
        "HTML_IMAGE_ONLY_04",
        "HTML with images and almost no text (0–400 bytes of words).",
    ),
    (
        "T_SCC_BODY_TEXT_LINE",
        "The body has a plain text line (test rule with a tiny score; information only).",
    ),
    ("EMPTY_MESSAGE", "The message has no text body."),
    ("BODY_URI_ONLY", "The body contains only a link."),
    (
        "TRACKER_ID",
        "The body contains an ID-like string typical of tracking in spam.",
    ),
    (
        "LOTS_OF_MONEY",
        "The text talks about huge amounts of money.",
    ),
    (
        "MONEY_FREEMAIL_REPTO",
        "Money talk with a Reply-To at a free mail provider (advance-fee fraud pattern).",
    ),
    (
        "SUBJ_ALL_CAPS",
        "The subject is written in capital letters.",
    ),
    // Headers
    ("MISSING_DATE", "The Date header is missing."),
    ("MISSING_MID", "The Message-ID header is missing."),
    ("MISSING_FROM", "The From header is missing."),
    ("MISSING_SUBJECT", "The Subject header is missing."),
    ("MISSING_HEADERS", "The To header is missing."),
    (
        "INVALID_DATE",
        "The Date header does not follow the standard format.",
    ),
    (
        "NO_RELAYS",
        "No relays were found: the message did not arrive over SMTP (information only).",
    ),
    ("NO_RECEIVED", "The message has no Received headers."),
    (
        "ALL_TRUSTED",
        "Every relay is trusted (the message never left trusted networks).",
    ),
    ("UNPARSEABLE_RELAY", "A Received header could not be read."),
    (
        "HEADER_FROM_DIFFERENT_DOMAINS",
        "The From domain differs from the envelope sender's domain (common with mailing lists and bulk services).",
    ),
    (
        "FROM_EXCESS_BASE64",
        "The From display name is base64-encoded without need.",
    ),
    (
        "FORGED_MUA_OUTLOOK",
        "Claims to come from Outlook, but the headers do not look like Outlook's.",
    ),
    (
        "MSGID_FROM_MTA_HEADER",
        "The Message-ID was added by a mail server, not the sending program.",
    ),
    (
        "MAILING_LIST_MULTI",
        "Several signs that the message came through a mailing list manager.",
    ),
    (
        "SUSPICIOUS_RECIPS",
        "The recipients look like a list of similar addresses.",
    ),
    // Freemail
    (
        "FREEMAIL_FROM",
        "The sender uses a free mail provider (Gmail, Outlook.com, ...).",
    ),
    (
        "FREEMAIL_ENVFROM_END_DIGIT",
        "The envelope sender is a free mail address ending in a digit.",
    ),
    (
        "FREEMAIL_REPLYTO",
        "The Reply-To is a free mail address that differs from From.",
    ),
    (
        "FREEMAIL_FORGED_REPLYTO",
        "The Reply-To is a different free mail address than From (a common fraud pattern).",
    ),
    (
        "FREEMAIL_REPLYTO_END_DIGIT",
        "The Reply-To is a free mail address ending in a digit.",
    ),
    (
        "FREEMAIL_FORGED_FROMDOMAIN",
        "From and envelope sender are at different free mail domains.",
    ),
    (
        "SPOOFED_FREEMAIL",
        "Claims to be from a free mail provider, but did not come through it.",
    ),
    (
        "FROM_FMBLA_NEWDOM",
        "The From domain was registered in the last 7 days.",
    ),
    (
        "FROM_FMBLA_NEWDOM14",
        "The From domain was registered in the last 14 days.",
    ),
    (
        "FROM_FMBLA_NEWDOM28",
        "The From domain was registered in the last 28 days.",
    ),
    (
        "FROM_SUSPICIOUS_NTLD",
        "The From domain uses a top-level domain with a lot of spam.",
    ),
    // Collaborative filters and lists
    (
        "TXREP",
        "Reputation score adjustment from this server's own history with the sender (TxRep).",
    ),
    (
        "AWL",
        "Auto-welcomelist: adjustment from this server's history with the sender.",
    ),
    (
        "PYZOR_CHECK",
        "The message matches Pyzor's database of reported spam.",
    ),
    (
        "RAZOR2_CHECK",
        "The message matches Vipul's Razor database of reported spam.",
    ),
    (
        "RAZOR2_CF_RANGE_51_100",
        "Razor confidence that this is spam: 51–100%.",
    ),
    (
        "RAZOR2_CF_RANGE_E8_51_100",
        "Razor (engine 8) confidence that this is spam: 51–100%.",
    ),
    (
        "DCC_CHECK",
        "DCC saw this message body in bulk (many identical copies).",
    ),
    (
        "DCC_REPUT_95_98",
        "DCC reputation of the sending IP: 95–98% bulk.",
    ),
    (
        "DCC_REPUT_99_100",
        "DCC reputation of the sending IP: 99–100% bulk.",
    ),
    (
        "USER_IN_WELCOMELIST",
        "The sender is on this server's welcomelist (allowlist): strong negative score.",
    ),
    (
        "USER_IN_WHITELIST",
        "The sender is on this server's whitelist (allowlist): strong negative score.",
    ),
    (
        "USER_IN_DEF_WELCOMELIST",
        "The sender is on SpamAssassin's default welcomelist of known good senders.",
    ),
    (
        "USER_IN_DEF_DKIM_WL",
        "The sender is on SpamAssassin's default list of known good DKIM signers.",
    ),
    (
        "USER_IN_BLOCKLIST",
        "The sender is on this server's blocklist: strong positive score.",
    ),
    (
        "USER_IN_BLACKLIST",
        "The sender is on this server's blacklist (blocklist): strong positive score.",
    ),
    (
        "SHORTCIRCUIT",
        "Rule checking stopped early on a decisive rule (e.g. an allowlist or blocklist hit).",
    ),
];

/// What a SpamAssassin rule means, from the table or by its family;
/// `None` when unknown.
pub fn rule_meaning(rule: &str) -> Option<String> {
    let upper = rule.trim().to_ascii_uppercase();
    if let Some(m) = exact(&upper) {
        return Some(m.to_string());
    }
    if let Some(base) = upper.strip_prefix("T_")
        && let Some(m) = exact(base).map(str::to_string).or_else(|| family(base))
    {
        return Some(format!("{m} (test version of the rule, tiny score)"));
    }
    family(&upper)
}

fn exact(rule: &str) -> Option<&'static str> {
    RULES.iter().find(|(k, _)| *k == rule).map(|(_, m)| *m)
}

/// Meanings by name pattern.
fn family(rule: &str) -> Option<String> {
    let s = |m: &str| Some(m.to_string());
    if rule.ends_with("_BLOCKED") || rule.ends_with("_BLOCKED_OPENDNS") {
        return s(
            "The list refused the DNS query (public or overloaded resolver); this check did not run.",
        );
    }
    if let Some(n) = rule.strip_prefix("DATE_IN_PAST_") {
        return Some(format!(
            "The Date header is {} hours or more before the message was received.",
            n.replace('_', "–")
        ));
    }
    if let Some(n) = rule.strip_prefix("DATE_IN_FUTURE_") {
        return Some(format!(
            "The Date header is {} hours or more after the message was received.",
            n.replace('_', "–")
        ));
    }
    if rule.starts_with("HTML_IMAGE_RATIO_") {
        return s("HTML with a low text to image area ratio (mostly pictures).");
    }
    if rule.starts_with("HTML_IMAGE_ONLY_") {
        return s("HTML with images and almost no text.");
    }
    if rule.starts_with("RCVD_IN_DNSWL_") {
        return s("The sending IP is on the DNSWL allowlist.");
    }
    if rule.starts_with("RCVD_IN_MSPIKE_") {
        return s("Mailspike reputation of the sending IP.");
    }
    if rule.starts_with("URIBL_") || rule.starts_with("URI_") {
        return s("A check on the links in the message.");
    }
    if rule.starts_with("RCVD_IN_") {
        return s("A DNS list lookup of a relay IP (blocklist or allowlist).");
    }
    if rule.starts_with("SPF_") {
        return s("SPF check of the envelope sender or HELO name.");
    }
    if rule.starts_with("DKIM_") {
        return s("DKIM signature check.");
    }
    if rule.starts_with("DMARC_") {
        return s("DMARC check of the From domain.");
    }
    if rule.starts_with("FREEMAIL_") {
        return s("Free mail provider address in the sender headers.");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_large_and_unique() {
        assert!(RULES.len() >= 60, "{}", RULES.len());
        for (i, (k, m)) in RULES.iter().enumerate() {
            assert!(!m.is_empty(), "{k}");
            assert!(
                k.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "{k}"
            );
            assert!(
                RULES.iter().skip(i + 1).all(|(o, _)| o != k),
                "duplicate {k}"
            );
        }
    }

    #[test]
    fn families_and_test_rules() {
        assert!(rule_meaning("BAYES_50").unwrap().contains("40–60%"));
        assert!(rule_meaning("dkim_valid").unwrap().contains("verified"));
        assert!(
            rule_meaning("DATE_IN_PAST_06_12")
                .unwrap()
                .contains("06–12 hours")
        );
        assert!(
            rule_meaning("RCVD_IN_FOO_BLOCKED")
                .unwrap()
                .contains("refused")
        );
        assert!(
            rule_meaning("T_DMARC_PASS")
                .unwrap()
                .contains("test version")
        );
        assert!(rule_meaning("T_SPF_PERMERROR").unwrap().contains("broken"));
        assert_eq!(rule_meaning("LOCAL_CUSTOM_RULE"), None);
    }
}
