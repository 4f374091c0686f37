//! The typed details of each rule, as the report carries them
//! (`report::RuleDetails`). Data only: the rules that fill them live in
//! `rules/` (behind the `engine` feature); these types are compiled without
//! it too, so the page's UI wasm reads the same types the engine writes.

pub mod blocklists;
pub mod dkim;
pub mod names;
pub mod reverse_dns;
pub mod sender;
pub mod spf;
pub mod static_ip;

/// A field a variant needs was absent from its JSON: the error of the flat
/// readers that stand in for serde's tagged-enum and `flatten` readers (those
/// buffer the whole object first, which costs a large reader per type in the
/// page's UI wasm; the flat readers read the same JSON straight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingField(pub &'static str);

impl std::fmt::Display for MissingField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

/// `value`, or the error naming the absent field `name`.
pub(crate) fn required<T>(value: Option<T>, name: &'static str) -> Result<T, MissingField> {
    value.ok_or(MissingField(name))
}

#[cfg(test)]
mod tests {
    use super::blocklists::DomainListResult;
    use super::names::NameKind;
    use super::reverse_dns::{HeloCheck, HeloLookup, RecordedCheck, ReverseDnsDetails};
    use super::sender::CheckedSender;
    use super::static_ip::{HeloReading, PtrLookup, PtrStatus, Signals, StaticIpDetails};
    use crate::report::{ChosenBy, RecordedRdns};
    use crate::rules::dnsbl::{ListResult, Status};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    /// `value` survives JSON both ways, read straight and through a
    /// `serde_json::Value` (keys sorted, so the tag comes wherever it falls).
    fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
        let json = serde_json::to_string(value).expect("serialises");
        let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&back, value, "{json}");
        let tree = serde_json::to_value(value).expect("serialises");
        let back: T = serde_json::from_value(tree).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(&back, value, "{json}");
    }

    fn lookup() -> HeloLookup {
        HeloLookup {
            value: "Mx.Example.test".into(),
            name: "mx.example.test".into(),
            addresses: vec!["192.0.2.7".into()],
            error: None,
        }
    }

    fn sender() -> CheckedSender {
        CheckedSender {
            ip: "192.0.2.7".parse().expect("an IP"),
            hop_index: Some(1),
            chosen_by: ChosenBy::Auto,
            reason: "the first hop into the recipient's servers".into(),
        }
    }

    fn list_result() -> ListResult {
        ListResult {
            subject: "example.test".into(),
            zone: "dbl.example.test".into(),
            list: "Example DBL".into(),
            query: "example.test.dbl.example.test".into(),
            status: Status::Listed,
            codes: vec!["127.0.1.2".into()],
            meaning: Some("spam domain".into()),
            txt: None,
            detail: None,
            what_to_do: Some("ask for removal".into()),
            removal: None,
            class: None,
        }
    }

    #[test]
    fn every_tagged_variant_reads_back_as_written() {
        for helo in [
            HeloReading::Missing,
            HeloReading::AddressLiteral {
                value: "[192.0.2.7]".into(),
            },
            HeloReading::Generic {
                value: "localhost".into(),
                reason: "a bare word".into(),
            },
            HeloReading::Name {
                value: "mx.example.test".into(),
                name_kind: NameKind::Specific,
                reasons: vec!["names a mail server".into()],
            },
        ] {
            round_trips(&helo);
        }
        let failed = HeloLookup {
            error: Some("timeout".into()),
            addresses: Vec::new(),
            ..lookup()
        };
        for helo in [
            HeloCheck::Missing,
            HeloCheck::AddressLiteral {
                value: "[192.0.2.7]".into(),
            },
            HeloCheck::Generic {
                value: "localhost".into(),
                reason: "a bare word".into(),
            },
            HeloCheck::Agrees(lookup()),
            HeloCheck::ResolvesElsewhere(lookup()),
            HeloCheck::DoesNotResolve(lookup()),
            HeloCheck::Error(failed),
            HeloCheck::InvalidName {
                value: "bad_name".into(),
                name: None,
                addresses: None,
                error: None,
            },
            HeloCheck::InvalidName {
                value: "bücher".into(),
                name: Some("xn--bcher-kva".into()),
                addresses: Some(Vec::new()),
                error: Some("a single label".into()),
            },
        ] {
            round_trips(&helo);
        }
        for recorded in [
            RecordedCheck::Name {
                name: "mx.example.test".into(),
                matches: true,
            },
            RecordedCheck::Unknown { matches: false },
            RecordedCheck::None { matches: None },
        ] {
            round_trips(&recorded);
        }
        for rdns in [
            RecordedRdns::Name("mx.example.test".into()),
            RecordedRdns::Unknown,
            RecordedRdns::Address("192.0.2.7".into()),
        ] {
            round_trips(&rdns);
        }
    }

    #[test]
    fn flattened_fields_read_back_as_written() {
        round_trips(&StaticIpDetails {
            sender: sender(),
            ptr: PtrLookup {
                query: "7.2.0.192.in-addr.arpa".into(),
                status: PtrStatus::Nxdomain,
                names: None,
                error: None,
            },
            helo: HeloReading::Missing,
            lists: vec![list_result()],
            signals: Signals::default(),
        });
        round_trips(&ReverseDnsDetails {
            sender: CheckedSender {
                hop_index: None,
                chosen_by: ChosenBy::User,
                ..sender()
            },
            ptr: PtrLookup {
                query: "7.2.0.192.in-addr.arpa".into(),
                status: PtrStatus::Error,
                names: None,
                error: Some("timeout".into()),
            },
            forward: Vec::new(),
            fcrdns: None,
            confirmed_names: Vec::new(),
            name_kind: Some(NameKind::Generic),
            helo: HeloCheck::Agrees(lookup()),
            recorded: RecordedCheck::None { matches: None },
        });
        round_trips(&DomainListResult {
            result: list_result(),
            domain: "example.test".into(),
            sources: vec!["From".into()],
        });
    }

    #[test]
    fn a_variant_without_its_fields_is_refused_by_name() {
        let refused = |json: &str| match serde_json::from_str::<HeloCheck>(json) {
            Ok(read) => panic!("{json} read as {read:?}"),
            Err(e) => e.to_string(),
        };
        assert!(refused(r#"{"status":"agrees","value":"a.test"}"#).contains("`name`"));
        assert!(refused(r#"{"status":"generic","value":"x"}"#).contains("`reason`"));
        assert!(refused(r#"{"status":"sideways","value":"x"}"#).contains("sideways"));
        assert!(
            serde_json::from_str::<HeloReading>(r#"{"kind":"name","value":"a.test"}"#).is_err()
        );
        assert!(serde_json::from_str::<RecordedCheck>(r#"{"kind":"unknown"}"#).is_err());
        assert!(serde_json::from_str::<RecordedRdns>(r#"{"kind":"address"}"#).is_err());
    }
}
