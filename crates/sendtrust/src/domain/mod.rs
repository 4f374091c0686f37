//! The organisational domain of a name — one reading for the whole engine.
//!
//! A domain's organisational domain is its public suffix plus one label
//! (RFC 7489 §3.2): `mail.example.co.uk` → `example.co.uk`,
//! `x.evil.com.pl` → `evil.com.pl`. The public suffixes come from the Public
//! Suffix List, embedded in a compact form (`public_suffixes.txt`, written by
//! `make_suffixes.py`; ARCHITECTURE.md says what it costs the page). A
//! heuristic "last two labels, or three under a known second level" cannot
//! be right: it either misses suffixes (`com.pl`, `gov.pl`, the Japanese
//! city suffixes) or takes registered domains for suffixes (it once read
//! `x.evil.com.pl` and `example.com.pl` as one organisation).
//!
//! Two readings of the same list:
//! - [`org_domain`], for mail identities (From, Return-Path, DKIM `d=`): the
//!   ICANN and the private sections, as receivers' PSL-based DMARC
//!   implementations read it, so `alice.github.io` and `bob.github.io` are
//!   two organisations.
//! - [`operator_domain`], for host names (who operates a relay, which part
//!   of a PTR name is the host): the ICANN section only, because private
//!   entries such as `*.compute-1.amazonaws.com` would make a whole EC2 host
//!   name a "registered domain" and hide its host part.
//!
//! DMARC's own evaluation is mail-auth's, which finds the organisational
//! domain by the DMARCbis DNS tree walk (RFC 9989) instead; see `beyond`.

use std::sync::OnceLock;

/// The compact list: a comment line, then `[icann]` and `[private]`
/// sections of rules with their labels reversed, each sorted bytewise.
const PUBLIC_SUFFIXES: &str = include_str!("public_suffixes.txt");

/// The rules of one section, sorted (for binary search).
struct Rules {
    icann: Vec<&'static str>,
    private: Vec<&'static str>,
    /// The most labels any rule has: longer suffixes need not be looked up,
    /// which keeps a hostile name of thousands of labels linear.
    max_labels: usize,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = Rules {
            icann: Vec::new(),
            private: Vec::new(),
            max_labels: 1,
        };
        let mut section: Option<&mut Vec<&'static str>> = None;
        for line in PUBLIC_SUFFIXES.lines() {
            match line {
                "[icann]" => section = Some(&mut rules.icann),
                "[private]" => section = Some(&mut rules.private),
                _ if line.starts_with('#') || line.is_empty() => {}
                _ => {
                    if let Some(section) = section.as_mut() {
                        section.push(line);
                        let labels = line.split('.').count();
                        rules.max_labels = rules.max_labels.max(labels);
                    }
                }
            }
        }
        // The generator sorts; sorting again costs little and keeps binary
        // search right if the file is ever edited by hand.
        rules.icann.sort_unstable();
        rules.private.sort_unstable();
        rules
    })
}

/// Which sections of the list count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sections {
    IcannOnly,
    All,
}

impl Rules {
    fn contains(&self, rule: &str, sections: Sections) -> bool {
        self.icann.binary_search(&rule).is_ok()
            || (sections == Sections::All && self.private.binary_search(&rule).is_ok())
    }
}

/// A name in the form the list is matched against: A-labels, lowercase,
/// without a trailing dot, every label non-empty. `None` for what is not a
/// domain name (an address literal, empty labels, a failed IDNA conversion).
pub fn normalize(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.');
    if name.is_empty() || name.starts_with('[') || name.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let ascii = crate::dns::to_ascii_name(name)?.to_ascii_lowercase();
    if ascii.split('.').any(str::is_empty) {
        return None;
    }
    Some(ascii)
}

/// The number of labels of the public suffix of `labels` (the name's labels
/// reversed: top-level first), by the PSL algorithm: an exception rule wins,
/// else the longest matching rule, else the default rule `*` (one label).
fn public_suffix_len(reversed: &[&str], sections: Sections) -> usize {
    let rules = rules();
    let mut key = String::new();
    for len in (2..=reversed.len().min(rules.max_labels)).rev() {
        key.clear();
        key.push('!');
        key.push_str(&reversed[..len].join("."));
        if rules.contains(&key, sections) {
            return len - 1;
        }
        if rules.contains(&key[1..], sections) {
            return len;
        }
        let wildcard = format!("{}.*", reversed[..len - 1].join("."));
        if rules.contains(&wildcard, sections) {
            return len;
        }
    }
    1
}

fn registered(name: &str, sections: Sections) -> Option<String> {
    let name = normalize(name)?;
    let mut reversed: Vec<&str> = name.split('.').collect();
    reversed.reverse();
    let suffix = public_suffix_len(&reversed, sections);
    if reversed.len() <= suffix {
        return None;
    }
    let mut org: Vec<&str> = reversed[..=suffix].to_vec();
    org.reverse();
    Some(org.join("."))
}

/// The organisational domain of a mail identity (From, Return-Path, DKIM
/// `d=`), in A-labels: the public suffix (ICANN and private sections) plus
/// one label. `None` when the name is itself a public suffix (`co.uk`,
/// `github.io`) or not a domain name.
pub fn org_domain(name: &str) -> Option<String> {
    registered(name, Sections::All)
}

/// The domain an operator registered for a host name (a PTR name, a relay's
/// name), in A-labels: the ICANN public suffix plus one label. `None` when
/// the name is a public suffix or not a domain name.
pub fn operator_domain(name: &str) -> Option<String> {
    registered(name, Sections::IcannOnly)
}

/// Strict alignment (RFC 7489 §3.1): the same domain, compared as
/// [`normalize`]d names. Two names that are not domain names (a failed IDNA
/// conversion, empty labels) never align, not even with each other.
pub fn strict_aligned(a: &str, b: &str) -> bool {
    matches!((normalize(a), normalize(b)), (Some(a), Some(b)) if a == b)
}

/// True when two mail identities share an organisational domain (DMARC's
/// relaxed alignment, RFC 7489 §3.1). Identical names are aligned even when
/// they are public suffixes themselves.
pub fn relaxed_aligned(a: &str, b: &str) -> bool {
    match (normalize(a), normalize(b)) {
        (Some(a), Some(b)) if a == b => true,
        (Some(a), Some(b)) => {
            matches!((org_domain(&a), org_domain(&b)), (Some(x), Some(y)) if x == y)
        }
        _ => false,
    }
}

/// True when `name` is `parent` or a subdomain of it, on a label boundary
/// (`mail.example.com` is within `example.com`; `evil-example.com` is not),
/// ignoring ASCII case and a trailing dot.
pub fn within(name: &str, parent: &str) -> bool {
    let name = name.trim_end_matches('.');
    let parent = parent.trim_end_matches('.');
    let Some(cut) = name.len().checked_sub(parent.len()) else {
        return false;
    };
    // Pasted names may hold any UTF-8: never cut inside a character.
    let Some((head, tail)) = name.is_char_boundary(cut).then(|| name.split_at(cut)) else {
        return false;
    };
    !parent.is_empty()
        && tail.eq_ignore_ascii_case(parent)
        && (head.is_empty() || head.ends_with('.'))
}

/// The name in readable form: Unicode labels where an `xn--` label decodes
/// cleanly, the input otherwise (for display only; DNS is always asked the
/// A-label form).
pub fn to_unicode(name: &str) -> String {
    crate::dns::idn::to_unicode(name).unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_do_not_convert_never_align() {
        // Both refused by UTS 46 (a ZWJ outside its context): two different
        // names, not one "no name" that matches itself.
        assert!(!strict_aligned("a\u{200d}b.example", "c\u{200d}d.example"));
        assert!(!strict_aligned("a\u{200d}b.example", "a\u{200d}b.example"));
        assert!(!relaxed_aligned("a\u{200d}b.example", "c\u{200d}d.example"));
        assert!(strict_aligned("Bücher.example.", "xn--bcher-kva.example"));
        assert!(!strict_aligned("mail.example.com", "example.com"));
    }

    #[test]
    fn within_is_the_name_or_a_subdomain_on_a_label_boundary() {
        assert!(within("example.com", "example.com"));
        assert!(within("mail.example.com", "example.com"));
        assert!(within("EXAMPLE.com.", "example.com"));
        assert!(!within("evil-example.com", "example.com"));
        assert!(!within("example.com", "mail.example.com"));
        assert!(!within("", "example.com"));
        assert!(!within("é.example.com", "xample.com"));
        // A cut inside a character is no match, and no panic.
        assert!(!within("aé", "x"));
    }

    fn org(name: &str) -> Option<&'static str> {
        org_domain(name).map(|s| &*Box::leak(s.into_boxed_str()))
    }

    #[test]
    fn two_label_public_suffixes() {
        assert_eq!(org("mail.example.com"), Some("example.com"));
        assert_eq!(org("example.com"), Some("example.com"));
        assert_eq!(org("a.b.example.co.uk"), Some("example.co.uk"));
        assert_eq!(org("x.evil.com.pl"), Some("evil.com.pl"));
        assert_eq!(org("example.com.pl"), Some("example.com.pl"));
        assert_eq!(org("mx.shop.com.au"), Some("shop.com.au"));
        // gov.pl is a suffix the old heuristics did not know.
        assert_eq!(org("a.urzad.gov.pl"), Some("urzad.gov.pl"));
        assert_eq!(org("x.163data.com.cn"), Some("163data.com.cn"));
    }

    #[test]
    fn suffixes_themselves_have_no_org_domain() {
        assert_eq!(org("com"), None);
        assert_eq!(org("co.uk"), None);
        assert_eq!(org("com.pl"), None);
        assert_eq!(org(""), None);
        assert_eq!(org("."), None);
        assert_eq!(org("a..example.com"), None);
        assert_eq!(org("192.0.2.1"), None);
        assert_eq!(org("[192.0.2.1]"), None);
    }

    #[test]
    fn wildcard_and_exception_rules() {
        // *.ck with !www.ck; *.kawasaki.jp with !city.kawasaki.jp.
        assert_eq!(org("a.b.ck"), Some("a.b.ck"));
        assert_eq!(org("b.ck"), None);
        assert_eq!(org("mail.www.ck"), Some("www.ck"));
        assert_eq!(org("x.shop.foo.kawasaki.jp"), Some("shop.foo.kawasaki.jp"));
        assert_eq!(org("a.city.kawasaki.jp"), Some("city.kawasaki.jp"));
    }

    #[test]
    fn private_suffixes_count_for_mail_identities_only() {
        assert_eq!(org("alice.github.io"), Some("alice.github.io"));
        assert_eq!(org("github.io"), None);
        assert_eq!(
            operator_domain("alice.github.io").as_deref(),
            Some("github.io")
        );
        assert_eq!(
            operator_domain("ec2-192-0-2-1.compute-1.amazonaws.com").as_deref(),
            Some("amazonaws.com")
        );
        assert_eq!(
            operator_domain("mx1.mail.example.co.uk").as_deref(),
            Some("example.co.uk")
        );
        assert!(!relaxed_aligned("alice.github.io", "bob.github.io"));
        // co.com is a private (CentralNic) suffix, not an ICANN one.
        assert_eq!(org("mail.co.com"), Some("mail.co.com"));
        assert_eq!(operator_domain("mail.co.com").as_deref(), Some("co.com"));
    }

    #[test]
    fn long_names_cost_only_the_longest_rule() {
        assert!(rules().max_labels >= 4 && rules().max_labels < 10);
        let name = format!("{}example.co.uk", "a.".repeat(50_000));
        let started = std::time::Instant::now();
        assert_eq!(org(&name), Some("example.co.uk"));
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn case_trailing_dot_and_idn() {
        assert_eq!(org("Mail.EXAMPLE.Co.UK."), Some("example.co.uk"));
        // Unicode and A-label forms give the same (A-label) answer.
        assert_eq!(org("post.bücher.example"), Some("xn--bcher-kva.example"));
        assert_eq!(
            org("POST.xn--bcher-kva.example"),
            Some("xn--bcher-kva.example")
        );
        // An IDN public suffix: 公司.cn (xn--55qx5d.cn).
        assert_eq!(org("shop.公司.cn"), Some("shop.xn--55qx5d.cn"));
        assert_eq!(org("xn--55qx5d.cn"), None);
        assert_eq!(to_unicode("xn--bcher-kva.example"), "bücher.example");
        assert_eq!(to_unicode("xn--zz-.example"), "xn--zz-.example");
    }

    #[test]
    fn relaxed_alignment() {
        // The bug this module fixed: com.pl is a suffix, not an organisation.
        assert!(!relaxed_aligned("x.evil.com.pl", "example.com.pl"));
        assert!(relaxed_aligned("mail.example.com.pl", "example.com.pl"));
        assert!(!relaxed_aligned("evil.co.uk", "example.co.uk"));
        assert!(relaxed_aligned("news.example.co.uk", "example.co.uk"));
        assert!(relaxed_aligned(
            "bücher.example",
            "mail.xn--bcher-kva.example"
        ));
        assert!(relaxed_aligned("com.pl", "COM.PL."));
        assert!(!relaxed_aligned("", ""));
    }
}
