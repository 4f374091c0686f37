//! The resolvers of one session — a page, its analysis worker, the JS API
//! module, a CLI run: one [`Resolver`] per DNS configuration, so analyses that
//! ask the same provider share its DNS cache, and a change of provider gets a
//! cache of its own (answers from one provider are never shown as another's).

use super::{DnsConfig, Resolver};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

/// Everything in a [`DnsConfig`] that makes resolvers differ.
type Key = (Option<String>, &'static str, Duration, u32, usize);

fn key(config: &DnsConfig) -> Key {
    (
        config.endpoint.clone(),
        config.format.as_str(),
        config.timeout,
        config.retries,
        config.max_in_flight,
    )
}

/// One resolver per DNS configuration for the session's lifetime. Cloning is
/// cheap; clones share the resolvers.
#[derive(Clone, Default)]
pub struct Session {
    resolvers: Rc<RefCell<HashMap<Key, Resolver>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("resolvers", &self.resolvers.borrow().len())
            .finish()
    }
}

impl Session {
    /// An empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// The session's resolver for `config`, created on first use. Equal
    /// configurations get the same resolver (and cache).
    pub fn resolver(&self, config: &DnsConfig) -> Resolver {
        self.resolvers
            .borrow_mut()
            .entry(key(config))
            .or_insert_with(|| Resolver::new(config.clone()))
            .clone()
    }

    /// How many resolvers the session holds.
    pub fn len(&self) -> usize {
        self.resolvers.borrow().len()
    }

    /// True before the first resolver is made.
    pub fn is_empty(&self) -> bool {
        self.resolvers.borrow().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::DohFormat;

    #[test]
    fn one_resolver_per_configuration() {
        let session = Session::new();
        assert!(session.is_empty());
        let bench = DnsConfig::doh("http://127.0.0.1:9/dns-query");
        let first = session.resolver(&bench);
        let again = session.clone().resolver(&bench.clone());
        assert!(first.shares_cache_with(&again), "same provider, same cache");
        assert_eq!(session.len(), 1);

        let json = DnsConfig {
            format: DohFormat::Json,
            ..bench.clone()
        };
        let slower = DnsConfig {
            timeout: Duration::from_secs(30),
            ..bench.clone()
        };
        let other = DnsConfig::doh("https://dns.example/dns-query");
        let offline = DnsConfig::offline();
        for config in [&json, &slower, &other, &offline] {
            let resolver = session.resolver(config);
            assert!(!resolver.shares_cache_with(&first), "{config:?}");
            assert_eq!(resolver.config(), config);
        }
        assert_eq!(session.len(), 5);
        assert!(session.resolver(&offline).is_offline());
    }
}
