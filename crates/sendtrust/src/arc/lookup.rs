//! The DNS-backed half of ARC validation: mail-auth verifies the newest AMS
//! and every seal (its cryptography and canonicalization are right) over
//! Sendtrust's resolver, and the sealers' key records are read back from the
//! resolver's cache for their sizes.

use super::judge::{Chain, Crypto, KeySize, Kind};
use crate::dns::bridge::{AuthCache, Caches, converge, offline_authenticator};
use crate::dns::{Answer, QType, Rdata, Resolver};
use base64::Engine;
use mail_auth::arc::ArcError;
use mail_auth::{ArcResult, AuthenticatedMessage, Error, Parameters};

/// `s._domainkey.d`, lowercase.
fn key_name(domain: &str, selector: &str) -> String {
    format!("{selector}._domainkey.{domain}").to_ascii_lowercase()
}

/// mail-auth's verdict on the signatures, or that it could not read the chain.
#[derive(Debug, Clone, PartialEq)]
pub enum MailAuth {
    /// It verified (or failed to verify) the signatures.
    Verified(Crypto),
    /// It refused to parse a field the strict judge read as well formed
    /// (an AMS with an empty `h=`): no verdict on the signatures.
    Unreadable(String),
}

/// Runs mail-auth's ARC verification to convergence over `resolver` and
/// reads its outcome: pass, a failure (with the newest instance when the
/// newest AMS's body hash or expiry failed), a DNS failure, or "could not
/// read the chain".
pub async fn verify(
    resolver: &Resolver,
    message: &AuthenticatedMessage<'_>,
    chain: &Chain,
) -> MailAuth {
    let cache = AuthCache::new(resolver);
    let caches = Caches::new(&cache, Vec::new());
    let authenticator = offline_authenticator();
    let output = converge(resolver, &cache, || {
        authenticator.verify_arc(Parameters::new(message).with_cache(&caches))
    })
    .await;
    let newest = chain.sets.last().map(|s| s.instance);
    MailAuth::Verified(match output.result() {
        ArcResult::Pass => Crypto::Pass,
        ArcResult::TempError(e) => Crypto::CouldNotCheck(dns_reason(resolver, chain, e)),
        ArcResult::Neutral(e @ Error::Arc(ArcError::BodyHashMismatch))
        | ArcResult::Neutral(e @ Error::Arc(ArcError::SignatureExpired)) => {
            Crypto::Fail(newest, format!("the newest ARC-Message-Signature: {e}"))
        }
        // Neutral is mail-auth's "an ARC header could not be parsed".
        ArcResult::Neutral(e) => return MailAuth::Unreadable(e.to_string()),
        ArcResult::Fail(e) | ArcResult::PermError(e) => Crypto::Fail(None, e.to_string()),
        ArcResult::None => {
            return MailAuth::Unreadable("mail-auth found no ARC-Message-Signature".into());
        }
    })
}

/// Which key could not be fetched, from the resolver's cache; mail-auth's
/// words otherwise.
fn dns_reason(resolver: &Resolver, chain: &Chain, error: &Error) -> String {
    let names = chain
        .sets
        .iter()
        .rev()
        .flat_map(|s| [&s.signature_key, &s.seal_key])
        .map(|(d, s)| key_name(d, s));
    for name in names {
        if let Some(Err(failure)) = resolver.cached(&name, QType::Txt) {
            return format!("the key {name} could not be fetched: {failure}");
        }
    }
    format!("a key could not be fetched: {error}")
}

/// RSA sizes of the keys behind every seal and the newest AMS, for the keys
/// in the resolver's cache (mail-auth fetched them; a key it never reached
/// is left out: the chain failed before it).
pub fn key_sizes(resolver: &Resolver, chain: &Chain) -> Vec<KeySize> {
    let mut keys = Vec::new();
    let newest = chain.sets.last().map(|s| s.instance);
    for set in &chain.sets {
        let mut wanted = vec![(Kind::Seal, &set.seal_key)];
        if Some(set.instance) == newest {
            wanted.push((Kind::MessageSignature, &set.signature_key));
        }
        for (kind, (domain, selector)) in wanted {
            if let Some(bits) = cached_rsa_bits(resolver, &key_name(domain, selector)) {
                keys.push(KeySize {
                    instance: set.instance,
                    kind,
                    rsa_bits: bits,
                });
            }
        }
    }
    keys
}

fn cached_rsa_bits(resolver: &Resolver, name: &str) -> Option<usize> {
    let Some(Ok(Answer::Records(records))) = resolver.cached(name, QType::Txt) else {
        return None;
    };
    records.iter().find_map(|r| match r {
        Rdata::Txt(text) => rsa_bits(&String::from_utf8_lossy(text)),
        _ => None,
    })
}

/// The modulus size of the RSA key in a DKIM key record (`k=rsa`, the
/// default; `p=` as SubjectPublicKeyInfo or PKCS#1 DER). `None` for other
/// key types and keys that do not decode (mail-auth reports those).
pub fn rsa_bits(record: &str) -> Option<usize> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;
    let tags: Vec<(String, String)> = record
        .split(';')
        .filter_map(|t| t.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.to_string()))
        .collect();
    let get = |name: &str| {
        tags.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if !get("k").unwrap_or("rsa").trim().eq_ignore_ascii_case("rsa") {
        return None;
    }
    let p: String = get("p")?.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(p).ok()?;
    let key = rsa::RsaPublicKey::from_public_key_der(&der)
        .or_else(|_| rsa::RsaPublicKey::from_pkcs1_der(&der))
        .ok()?;
    Some(key.size() * 8)
}

#[cfg(test)]
mod tests {
    use super::rsa_bits;

    // Keys of the ARC validation suite (tests/conformance/arc), with the
    // white space inside p= that the suite's records carry.
    const KEY_512: &str = "v=DKIM1; k=rsa; p= MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAIWmlgix/84GJ+dfgjm7LTc9EPdfk ftlgiPpCq4/kbDAZmU0VvYKDljjleJ1dfvS+CGy9U/kk1tG3EeEvb82xAcCAwEAAQ==";
    const KEY_1024: &str = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCyBwu6PiaDN87t3DVZ84zIrE hCoxtFuv7g52oCwAUXTDnXZ+0XHM/rhkm8XSGr1yLsDc1zLGX8IfITY1dL2CzptdgyiX7vgYjzZqG368 C8BtGB5m6nj26NyhSKEdlV7MS9KbASd359ggCeGTT5QjRKEMSauVyVSeapq6ZcpZ9JwQIDAQAB";

    #[test]
    fn rsa_key_sizes_are_read_from_key_records() {
        assert_eq!(rsa_bits(KEY_512), Some(512));
        assert_eq!(rsa_bits(KEY_1024), Some(1024));
        assert_eq!(rsa_bits(&KEY_1024.replace("k=rsa", "k=ed25519")), None);
        assert_eq!(rsa_bits("v=DKIM1; k=rsa; p="), None, "revoked");
        assert_eq!(rsa_bits("v=DKIM1; p=!!!"), None);
    }
}
