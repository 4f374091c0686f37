//! Rule 3's exact fix: for each listing, the list's own lookup and removal
//! page and its delisting policy in one line (what must be fixed first;
//! self-service, a request form, the network owner, or expiry), from the
//! table in `lists/blocklists.rs`. Pure: it reads the rule's list answers.
//!
//! Only answers with the status `listed` get a step. An answer outside the
//! list's documented codes (Spamhaus's `127.255.255.x`, an undocumented code,
//! a list that lists its own test entry) is never a listing, so it never gets
//! a delisting step either.

use super::dnsbl::{self, KnownList, ListResult, Status};
use crate::lists::blocklists::{self, Delisting};
use crate::report::FixStep;
use std::net::Ipv4Addr;

/// The delisting step for each listing among `results`, in their order:
/// one per list and policy (a ZEN answer with an XBL and a PBL code gets
/// two).
pub fn listing_steps(results: &[&ListResult]) -> Vec<FixStep> {
    let mut steps = Vec::new();
    for r in results.iter().filter(|r| r.status == Status::Listed) {
        let known = dnsbl::known(&r.zone);
        // Codes grouped by the policy that covers them, in answer order.
        let mut groups: Vec<(Option<&'static Delisting>, Vec<&str>)> = Vec::new();
        for code in &r.codes {
            let policy = known
                .zip(code.parse::<Ipv4Addr>().ok())
                .and_then(|(k, addr)| blocklists::delisting(k.zone, addr.octets()));
            match groups
                .iter_mut()
                .find(|(p, _)| p.map(std::ptr::from_ref) == policy.map(std::ptr::from_ref))
            {
                Some((_, codes)) => codes.push(code),
                None => groups.push((policy, vec![code])),
            }
        }
        for (policy, codes) in groups {
            let part = policy
                .and_then(|p| p.part)
                .map_or(String::new(), |p| format!(" — {p}"));
            let subject = format!("{} on {}{part} ({})", r.subject, r.list, codes.join(", "));
            let page = policy
                .map(|p| p.page.to_string())
                .or_else(|| known.map(|k| k.removal.to_string()))
                .or_else(|| r.removal.clone());
            let step = match (policy, &page) {
                (Some(p), _) => p.policy.to_string(),
                (None, Some(page)) => format!(
                    "Sendtrust has no record of {}'s delisting policy: look the entry up at \
                     {page}, fix what it names, then follow the list's own procedure.",
                    r.list
                ),
                (None, None) => format!(
                    "Sendtrust does not know {} ({}): find its website, look the entry up \
                     there, fix what it names, then follow the list's own procedure.",
                    r.list, r.zone
                ),
            };
            steps.push(FixStep {
                problem: "listed".into(),
                subject,
                step,
                removal: policy.map(|p| p.removal),
                page,
                source: policy.map(|p| p.source.to_string()),
            });
        }
    }
    steps
}

/// The delisting policies that cover `codes` on `list`, as one piece of
/// advice (each policy once, with its page); `None` when Sendtrust knows no
/// policy for any of them.
pub fn policy_advice(list: Option<&KnownList>, codes: &[Ipv4Addr]) -> Option<String> {
    let list = list?;
    let mut policies: Vec<&'static Delisting> = Vec::new();
    for code in codes {
        if let Some(p) = blocklists::delisting(list.zone, code.octets())
            && !policies.iter().any(|q| std::ptr::eq(*q, p))
        {
            policies.push(p);
        }
    }
    let text: Vec<String> = policies
        .iter()
        .map(|p| {
            let part = p.part.map_or(String::new(), |part| format!("{part}: "));
            format!("{part}{} ({})", p.policy, p.page)
        })
        .collect();
    (!text.is_empty()).then(|| text.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Removal;

    fn listed(zone: &str, list: &str, codes: &[&str]) -> ListResult {
        ListResult {
            subject: "192.0.2.99".into(),
            zone: zone.into(),
            list: list.into(),
            query: format!("99.2.0.192.{zone}"),
            status: Status::Listed,
            codes: codes.iter().map(|c| c.to_string()).collect(),
            meaning: None,
            txt: None,
            detail: None,
            what_to_do: None,
            removal: None,
            class: None,
        }
    }

    #[test]
    fn each_zen_part_gets_its_own_policy() {
        let zen = listed(
            "zen.spamhaus.org",
            "Spamhaus ZEN",
            &["127.0.0.4", "127.0.0.10", "127.0.0.5"],
        );
        let steps = listing_steps(&[&zen]);
        assert_eq!(steps.len(), 2, "{steps:#?}");
        assert_eq!(
            steps[0].subject,
            "192.0.2.99 on Spamhaus ZEN — XBL (CBL) (127.0.0.4, 127.0.0.5)"
        );
        assert_eq!(steps[0].removal, Some(Removal::SelfService));
        assert!(steps[0].step.contains("infected"), "{}", steps[0].step);
        assert_eq!(steps[1].removal, Some(Removal::OwnersPolicy));
        assert!(
            steps[1].step.contains("static address"),
            "{}",
            steps[1].step
        );
        assert_eq!(
            steps[1].source.as_deref(),
            Some("https://www.spamhaus.org/pbl/removal/")
        );
        assert_eq!(
            steps[1].page.as_deref(),
            Some("https://check.spamhaus.org/")
        );
        assert!(steps.iter().all(|s| s.problem == "listed"));
    }

    #[test]
    fn sbl_asks_the_provider_and_spamcop_expires() {
        let sbl = listed("zen.spamhaus.org", "Spamhaus ZEN", &["127.0.0.2"]);
        let spamcop = listed("bl.spamcop.net", "SpamCop", &["127.0.0.2"]);
        let steps = listing_steps(&[&sbl, &spamcop]);
        assert_eq!(steps[0].removal, Some(Removal::NetworkOwner));
        assert!(steps[0].step.contains("contact your provider"));
        assert_eq!(steps[1].removal, Some(Removal::Expires));
        assert!(steps[1].step.contains("24 hours"));
        assert_eq!(
            steps[1].page.as_deref(),
            Some("https://www.spamcop.net/bl.shtml")
        );
    }

    #[test]
    fn a_dqs_zone_reads_as_its_public_list() {
        let dbl = listed(
            "<DQS key>.dbl.dq.spamhaus.net",
            "Spamhaus DBL",
            &["127.0.1.102"],
        );
        let steps = listing_steps(&[&dbl]);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].removal, Some(Removal::SelfService));
        assert!(steps[0].subject.contains("— DBL"), "{}", steps[0].subject);
    }

    #[test]
    fn uceprotect_levels_and_domain_lists() {
        let l2 = listed(
            "dnsbl-2.uceprotect.net",
            "UCEPROTECT level 2",
            &["127.0.0.2"],
        );
        let surbl = listed("multi.surbl.org", "SURBL", &["127.0.0.80"]);
        let steps = listing_steps(&[&l2, &surbl]);
        assert_eq!(steps[0].removal, Some(Removal::Expires));
        assert!(steps[0].step.contains("nothing to fix here"));
        assert_eq!(steps[1].removal, Some(Removal::RequestForm));
    }

    #[test]
    fn an_unknown_list_gets_no_invented_policy() {
        let mut other = listed("bl.example", "bl.example", &["127.0.0.2"]);
        let steps = listing_steps(&[&other]);
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].removal, None);
        assert_eq!(steps[0].source, None);
        assert!(steps[0].step.contains("does not know"), "{}", steps[0].step);
        // A known list without a recorded policy: its page, no policy.
        other = listed("bl.mailspike.net", "Mailspike", &["127.0.0.2"]);
        let steps = listing_steps(&[&other]);
        assert_eq!(steps[0].removal, None);
        assert_eq!(steps[0].page.as_deref(), Some("https://mailspike.org/"));
        assert!(steps[0].step.contains("no record"), "{}", steps[0].step);
    }

    #[test]
    fn the_advice_follows_the_policy_of_each_code() {
        let zen = dnsbl::known("zen.spamhaus.org");
        let codes = [Ipv4Addr::new(127, 0, 0, 2), Ipv4Addr::new(127, 0, 0, 11)];
        let advice = policy_advice(zen, &codes).unwrap_or_default();
        assert!(
            advice.starts_with("SBL: The spam must have stopped"),
            "{advice}"
        );
        assert!(advice.contains(" PBL: A policy list"), "{advice}");
        // Two XBL codes: the XBL policy once.
        let xbl = [Ipv4Addr::new(127, 0, 0, 4), Ipv4Addr::new(127, 0, 0, 5)];
        let advice = policy_advice(zen, &xbl).unwrap_or_default();
        assert_eq!(advice.matches("XBL (CBL):").count(), 1, "{advice}");
        // No recorded policy (an unknown list, a known one without): none.
        assert_eq!(policy_advice(None, &codes), None);
        let mailspike = dnsbl::known("bl.mailspike.net");
        assert_eq!(
            policy_advice(mailspike, &[Ipv4Addr::new(127, 0, 0, 2)]),
            None
        );
    }

    #[test]
    fn an_error_code_is_never_a_listing() {
        let mut refused = listed("zen.spamhaus.org", "Spamhaus ZEN", &["127.255.255.254"]);
        refused.status = Status::InvalidAnswer;
        let mut failed = listed("bl.spamcop.net", "SpamCop", &[]);
        failed.status = Status::Error;
        assert!(listing_steps(&[&refused, &failed]).is_empty());
    }
}
