//! Sending services' bounce (envelope) domains: when the envelope sender's
//! domain is one of these (or under one), the SPF record rule 4 checks is the
//! service's, not the sender's, and only the service can change it. Data
//! only; rule 4's fix reads it (`rules/spf/fix.rs`).
//!
//! Sources: each service's documentation of its default Return-Path (the
//! bounce address it uses until a custom return-path / MAIL FROM domain is
//! set up): SendGrid (`bounces+…@sendgrid.net`), Amazon SES (`…@amazonses.com`,
//! "custom MAIL FROM domain"), Mailgun (`mailgun.org`), Mailchimp
//! (`mcsv.net`, `rsgsv.net`), Mailchimp Transactional (`mandrillapp.com`),
//! SparkPost (`sparkpostmail.com`), Postmark (`mtasv.net`).

/// `(bounce domain, service name)`; a domain matches itself and its subdomains.
pub(crate) const BOUNCE_DOMAINS: &[(&str, &str)] = &[
    ("sendgrid.net", "SendGrid"),
    ("amazonses.com", "Amazon SES"),
    ("mailgun.org", "Mailgun"),
    ("mailgun.net", "Mailgun"),
    ("mcsv.net", "Mailchimp"),
    ("rsgsv.net", "Mailchimp"),
    ("mandrillapp.com", "Mailchimp Transactional (Mandrill)"),
    ("sparkpostmail.com", "SparkPost"),
    ("mtasv.net", "Postmark"),
];

/// The sending service whose bounce domain `domain` is (or is under), if any.
pub(crate) fn bounce_service(domain: &str) -> Option<&'static str> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    BOUNCE_DOMAINS.iter().find_map(|(suffix, name)| {
        let under = domain
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
        under.then_some(*name)
    })
}

#[cfg(test)]
mod tests {
    use super::bounce_service;

    #[test]
    fn matches_the_domain_and_its_subdomains_only() {
        assert_eq!(bounce_service("sendgrid.net"), Some("SendGrid"));
        assert_eq!(bounce_service("EM123.SendGrid.net."), Some("SendGrid"));
        assert_eq!(
            bounce_service("us-east-1.amazonses.com"),
            Some("Amazon SES")
        );
        assert_eq!(bounce_service("notsendgrid.net"), None);
        assert_eq!(bounce_service("example.com"), None);
    }
}
