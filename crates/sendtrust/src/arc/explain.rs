//! What broke an ARC chain, and the sentence the report gives for it.

use super::judge::Kind;
use crate::report::ArcCv;
use std::fmt;

/// Why an ARC chain fails.
#[derive(Debug, Clone, PartialEq)]
pub enum Broken {
    /// A field of one kind is missing for an instance.
    Missing(Kind),
    /// Two fields of one kind for an instance.
    Duplicate(Kind),
    /// Inside one field: what is wrong with it.
    InField(Kind, Box<Broken>),
    /// The tag list breaks RFC 6376 section 3.2.
    Syntax(String),
    /// No `i=` (for an AAR: not as its first tag).
    NoInstance,
    /// `i=` is not a number from 1 to 50.
    BadInstance(String),
    /// A required tag is missing.
    MissingTag(&'static str),
    /// A tag that must have a value is empty.
    EmptyTag(&'static str),
    /// A tag's value is not one the specification allows.
    BadValue(&'static str, String),
    /// An AAR with an instance but no results.
    EmptyResults,
    /// An AMS whose `h=` lists ARC-Seal (RFC 8617 section 4.1.2).
    SignsSeal,
    /// An ARC-Seal with an `h=` tag (RFC 8617 section 4.1.3).
    SealWithH,
    /// The newest seal says `cv=fail`: a sealer already found the chain broken.
    RecordedFail,
    /// A seal's `cv=` contradicts the chain (i=1 must say none, later ones pass).
    WrongCv {
        /// What the seal says.
        found: ArcCv,
        /// What the chain requires.
        expected: ArcCv,
    },
    /// A key under 1024 bits.
    WeakKey {
        /// The seal's key or the AMS's.
        kind: Kind,
        /// Its size.
        bits: usize,
    },
    /// A signature does not verify, or its key is missing or invalid (mail-auth's words).
    Signature(String),
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Broken::Missing(kind) => write!(f, "the {} is missing", kind.name()),
            Broken::Duplicate(kind) => write!(f, "there are two {} fields", kind.name()),
            Broken::InField(kind, inner) => write!(f, "{}: {inner}", kind.name()),
            Broken::Syntax(what) => write!(f, "invalid tag list (RFC 6376 §3.2): {what}"),
            Broken::NoInstance => write!(f, "no i= instance tag first"),
            Broken::BadInstance(v) => write!(f, "i={v} is not an instance from 1 to 50"),
            Broken::MissingTag(name) => write!(f, "the required tag {name}= is missing"),
            Broken::EmptyTag(name) => write!(f, "{name}= is empty"),
            Broken::BadValue(name, v) => write!(f, "{name}={v} is not a valid value"),
            Broken::EmptyResults => write!(f, "it records no results"),
            Broken::SignsSeal => write!(
                f,
                "h= lists ARC-Seal, which an AMS must not sign (RFC 8617 §4.1.2)"
            ),
            Broken::SealWithH => write!(f, "it has an h= tag, which a seal must not have"),
            Broken::RecordedFail => write!(
                f,
                "the newest sealer recorded cv=fail: the chain was already broken when it arrived there"
            ),
            Broken::WrongCv { found, expected } => {
                write!(
                    f,
                    "the seal says cv={found} where the chain requires cv={expected}"
                )
            }
            Broken::WeakKey { kind, bits } => write!(
                f,
                "the {} key is {bits}-bit RSA; keys under 1024 bits are never valid (RFC 8301)",
                kind.name()
            ),
            Broken::Signature(why) => write!(f, "a signature does not verify: {why}"),
        }
    }
}

/// The one-sentence reason of a failure at `instance`.
pub fn reason(instance: Option<u32>, broken: &Broken) -> String {
    match instance {
        Some(i) => format!("Set i={i}: {broken}."),
        None => format!("{}.", first_upper(&broken.to_string())),
    }
}

fn first_upper(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_set_and_the_field() {
        assert_eq!(
            reason(Some(2), &Broken::Missing(Kind::MessageSignature)),
            "Set i=2: the ARC-Message-Signature is missing."
        );
        assert_eq!(
            reason(
                None,
                &Broken::InField(Kind::Seal, Box::new(Broken::Syntax("an empty tag".into())))
            ),
            "ARC-Seal: invalid tag list (RFC 6376 §3.2): an empty tag."
        );
        let weak = Broken::WeakKey {
            kind: Kind::Seal,
            bits: 512,
        };
        assert!(reason(Some(1), &weak).contains("512-bit"));
    }
}
