//! Rule 2's exact fix: the PTR and A/AAAA records to publish and the HELO
//! setting for the common MTAs, computed from what the rule found
//! ([`ReverseFacts`]) without DNS, so every case is unit-tested.
//!
//! Which name the server should have: the existing PTR name when it only
//! lacks its address record (then only the A/AAAA is missing); otherwise the
//! HELO name when it is a full domain name; otherwise Sendtrust does not know,
//! and the PTR fix names the fact it needs.

use crate::dns::Resolver;
use crate::domain;
use crate::report::{RecordFix, SettingFix};
use std::net::IpAddr;

/// The fact the fix needs when no name can be taken from the evidence.
pub const NEEDS_HOST_NAME: &str = "the host name you want this server to have (a name in your own \
     domain, e.g. mail.<your domain>)";

/// What rule 2 found, as the fix builder needs it.
#[derive(Debug, Clone, Default)]
pub struct ReverseFacts<'a> {
    /// The PTR names of the address (today), valid host names only.
    pub ptr_names: &'a [String],
    /// The PTR names that resolve back to the address.
    pub confirmed: &'a [&'a str],
    /// The confirmed name is a generic provider/ISP or residential name.
    pub confirmed_is_generic: bool,
    /// The HELO name, when it is a full domain name (not an address literal,
    /// not a generic or invalid name).
    pub helo_name: Option<&'a str>,
    /// The HELO name's A/AAAA includes the address.
    pub helo_resolves_here: bool,
    /// The reverse zone that holds the PTR and the servers it is delegated
    /// to, when it was found over DNS.
    pub reverse_zone: Option<(&'a str, &'a [String])>,
}

/// Who changes the PTR: whoever the reverse zone is delegated to.
fn ptr_controller(ip: IpAddr, zone: Option<(&str, &[String])>) -> String {
    match zone {
        Some((zone, servers)) if !servers.is_empty() => format!(
            "the owner of the reverse zone {zone} (delegated to {}): usually your ISP or hosting \
             provider, not your domain's DNS host",
            servers.join(", ")
        ),
        Some((zone, _)) => format!(
            "the owner of the reverse zone {zone}: usually your ISP or hosting provider, not \
             your domain's DNS host"
        ),
        None => format!(
            "whoever holds the address block of {ip} (its reverse zone): usually your ISP or \
             hosting provider, not your domain's DNS host"
        ),
    }
}

fn name_controller(name: &str) -> String {
    let zone = domain::org_domain(name).unwrap_or_else(|| name.to_string());
    format!("the DNS of {zone}")
}

fn address_record(ip: IpAddr, name: &str, note: String) -> RecordFix {
    RecordFix {
        name: name.to_string(),
        rtype: if ip.is_ipv4() { "A" } else { "AAAA" }.into(),
        value: Some(ip.to_string()),
        replaces: None,
        controlled_by: name_controller(name),
        needs: None,
        lookups: None,
        template: None,
        note: Some(note),
    }
}

/// The records to publish for forward-confirmed reverse DNS of `ip`; empty
/// when the address already has a confirmed name of its own.
pub fn reverse_dns_records(ip: IpAddr, f: &ReverseFacts<'_>) -> Vec<RecordFix> {
    let rr = if ip.is_ipv4() { "A" } else { "AAAA" };
    if !f.confirmed.is_empty() && !f.confirmed_is_generic {
        return Vec::new();
    }
    // A PTR name that only lacks its address record: publish that record.
    if f.confirmed.is_empty()
        && let Some(name) = f.ptr_names.first()
    {
        return vec![address_record(
            ip,
            name,
            format!(
                "The PTR of {ip} already names {name}; only its {rr} record is missing. Add it \
                 (keep the name's other addresses if they are in use)."
            ),
        )];
    }
    let reverse = Resolver::reverse_name(ip);
    let replaces = (!f.ptr_names.is_empty()).then(|| f.ptr_names.join(", "));
    let Some(name) = f.helo_name else {
        return vec![RecordFix {
            name: reverse,
            rtype: "PTR".into(),
            value: None,
            replaces,
            controlled_by: ptr_controller(ip, f.reverse_zone),
            needs: Some(NEEDS_HOST_NAME.into()),
            lookups: None,
            template: None,
            note: Some(format!(
                "The server's HELO name is not a usable name, so Sendtrust cannot tell which name \
                 {ip} should have. Pick one, point the PTR of {ip} to it, and give it an {rr} \
                 record for {ip}."
            )),
        }];
    };
    let mut records = vec![RecordFix {
        name: reverse,
        rtype: "PTR".into(),
        value: Some(name.to_string()),
        replaces,
        controlled_by: ptr_controller(ip, f.reverse_zone),
        needs: None,
        lookups: None,
        template: None,
        note: Some(format!(
            "{name} is the name the server gives in HELO; the PTR must name it so the two agree."
        )),
    }];
    if !f.helo_resolves_here {
        records.push(address_record(
            ip,
            name,
            format!("{name} must resolve back to {ip} for the PTR to be forward-confirmed."),
        ));
    }
    records
}

/// The HELO setting for the common MTAs, when the server should greet with
/// `name` and does not.
pub fn helo_settings(name: &str) -> Vec<SettingFix> {
    vec![
        SettingFix {
            software: "Postfix".into(),
            location: "/etc/postfix/main.cf, then `postfix reload`".into(),
            setting: format!("smtp_helo_name = {name}"),
        },
        SettingFix {
            software: "Exim".into(),
            location: "the smtp transport (remote_smtp) in the Exim configuration".into(),
            setting: format!("helo_data = {name}"),
        },
        SettingFix {
            software: "Sendmail".into(),
            location: "sendmail.mc, then rebuild sendmail.cf and restart".into(),
            setting: format!("define(`confDOMAIN_NAME', `{name}')dnl"),
        },
        SettingFix {
            software: "Microsoft Exchange Server".into(),
            location: "Exchange Management Shell, on the Send connector that sends to the \
                       Internet (Exchange Online / Microsoft 365 sends from Microsoft's own \
                       servers and names; nothing to set there)"
                .into(),
            setting: format!("Set-SendConnector -Identity \"<connector name>\" -Fqdn {name}"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn confirmed_own_name_needs_nothing() {
        let names = vec!["mail.example.org".to_string()];
        let f = ReverseFacts {
            ptr_names: &names,
            confirmed: &["mail.example.org"],
            ..Default::default()
        };
        assert!(reverse_dns_records(ip("192.0.2.10"), &f).is_empty());
    }

    #[test]
    fn ptr_without_address_record_gets_only_the_address_record() {
        let names = vec!["mail.example.org".to_string()];
        let f = ReverseFacts {
            ptr_names: &names,
            helo_name: Some("other.example.net"),
            ..Default::default()
        };
        let r = reverse_dns_records(ip("192.0.2.10"), &f);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].name, "mail.example.org");
        assert_eq!(r[0].rtype, "A");
        assert_eq!(r[0].value.as_deref(), Some("192.0.2.10"));
        assert_eq!(r[0].controlled_by, "the DNS of example.org");
        let r = reverse_dns_records(ip("2001:db8::25"), &f);
        assert_eq!(r[0].rtype, "AAAA");
        assert_eq!(r[0].value.as_deref(), Some("2001:db8::25"));
    }

    #[test]
    fn no_ptr_uses_the_helo_name_and_the_reverse_zone_owner() {
        let ns = vec!["ns1.isp.example".to_string()];
        let f = ReverseFacts {
            helo_name: Some("mail.example.org"),
            reverse_zone: Some(("113.0.203.in-addr.arpa", &ns)),
            ..Default::default()
        };
        let r = reverse_dns_records(ip("203.0.113.7"), &f);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].name, "7.113.0.203.in-addr.arpa");
        assert_eq!(r[0].rtype, "PTR");
        assert_eq!(r[0].value.as_deref(), Some("mail.example.org"));
        assert!(
            r[0].controlled_by
                .contains("113.0.203.in-addr.arpa (delegated to ns1.isp.example)"),
            "{}",
            r[0].controlled_by
        );
        assert_eq!(r[1].name, "mail.example.org");
        assert_eq!(r[1].value.as_deref(), Some("203.0.113.7"));
        // The HELO name already resolves here: only the PTR is missing.
        let f = ReverseFacts {
            helo_name: Some("mail.example.org"),
            helo_resolves_here: true,
            ..Default::default()
        };
        let r = reverse_dns_records(ip("203.0.113.7"), &f);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].rtype, "PTR");
    }

    #[test]
    fn generic_confirmed_name_is_replaced() {
        let names = vec!["ec2-54-210-12-34.compute-1.amazonaws.com".to_string()];
        let f = ReverseFacts {
            ptr_names: &names,
            confirmed: &["ec2-54-210-12-34.compute-1.amazonaws.com"],
            confirmed_is_generic: true,
            helo_name: Some("mail.example.org"),
            ..Default::default()
        };
        let r = reverse_dns_records(ip("54.210.12.34"), &f);
        assert_eq!(r[0].rtype, "PTR");
        assert_eq!(r[0].value.as_deref(), Some("mail.example.org"));
        assert_eq!(r[0].replaces.as_deref(), Some(names[0].as_str()));
    }

    #[test]
    fn no_usable_name_says_which_fact_is_needed() {
        let f = ReverseFacts::default();
        let r = reverse_dns_records(ip("203.0.113.7"), &f);
        assert_eq!(r.len(), 1);
        assert!(r[0].value.is_none());
        assert_eq!(r[0].needs.as_deref(), Some(NEEDS_HOST_NAME));
        assert!(r[0].controlled_by.contains("203.0.113.7"));
    }

    #[test]
    fn helo_settings_cover_the_common_mtas() {
        let s = helo_settings("mail.example.org");
        let lines: Vec<&str> = s.iter().map(|s| s.setting.as_str()).collect();
        assert_eq!(
            lines,
            [
                "smtp_helo_name = mail.example.org",
                "helo_data = mail.example.org",
                "define(`confDOMAIN_NAME', `mail.example.org')dnl",
                "Set-SendConnector -Identity \"<connector name>\" -Fqdn mail.example.org",
            ]
        );
    }
}
