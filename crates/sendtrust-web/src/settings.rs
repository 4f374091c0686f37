//! DNS settings: which DoH provider to ask, or none (offline), and which
//! blocklists rule 3 asks (with an optional Spamhaus DQS key).
//!
//! Precedence: the page address (`?doh=<url or preset id>`, `?offline`) over
//! the user's saved choice (localStorage) over the default provider. A choice
//! made in the picker is saved; an address override is not, so opening a
//! shared link does not change the user's setting.
//!
//! The blocklist choice and the DQS key live in localStorage only: the page
//! address never sets or carries them (a key in a link would leak it).
//!
//! The engine (in its worker, or in the page where no worker runs) keeps one
//! resolver per provider, so every analysis shares its cache.

use crate::format::{ProviderChoice, validate_doh_url};
use leptos::prelude::*;
use sendtrust::Options;
use sendtrust::dns::{DEFAULT_PROVIDER, DnsConfig};
use sendtrust::rules::dnsbl::{self, CodeClass, KNOWN_LISTS, KnownList, ListKind};
use serde::{Deserialize, Serialize};

const KEY_PROVIDER: &str = "sendtrust.doh";
const KEY_OFFLINE: &str = "sendtrust.offline";
const KEY_BLOCKLISTS: &str = "sendtrust.blocklists";
const KEY_DQS: &str = "sendtrust.dqs-key";
/// Zones a user can add per kind.
const MAX_ADDED_ZONES: usize = 20;

/// The user's choice of blocklists of one kind (IP or domain).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListChoice {
    /// Zones the user added, in the order added.
    #[serde(default)]
    pub added: Vec<String>,
    /// The ticked zones once the user changed anything; `None` = the
    /// engine's defaults ([`dnsbl::default_zones`]).
    #[serde(default)]
    pub ticked: Option<Vec<String>>,
}

impl ListChoice {
    /// Whether `zone` is asked.
    pub fn is_ticked(&self, kind: ListKind, zone: &str) -> bool {
        match &self.ticked {
            Some(t) => t.iter().any(|z| z == zone),
            None => dnsbl::default_zones(kind).iter().any(|z| z == zone),
        }
    }

    /// True when nothing differs from the defaults.
    pub fn is_default(&self) -> bool {
        self.added.is_empty() && self.ticked.is_none()
    }

    /// The zones for [`Options`]: `None` for the defaults, else the ticked
    /// zones in the order they are offered.
    pub fn zones(&self, kind: ListKind) -> Option<Vec<String>> {
        self.ticked.as_ref()?;
        Some(
            offered_zones(kind, self)
                .into_iter()
                .filter(|z| self.is_ticked(kind, z))
                .collect(),
        )
    }

    fn set_ticked(&mut self, kind: ListKind, zone: &str, on: bool) {
        let mut ticked = self
            .ticked
            .take()
            .unwrap_or_else(|| dnsbl::default_zones(kind));
        ticked.retain(|z| z != zone);
        if on {
            ticked.push(zone.to_string());
        }
        self.ticked = Some(ticked);
    }

    /// Drops anything that is not a valid zone name (hand-edited storage).
    fn sanitized(mut self) -> Self {
        let mut seen: Vec<String> = Vec::new();
        self.added.retain(|z| {
            let keep = zone_name(z).is_ok_and(|n| n == *z) && !seen.contains(z);
            seen.push(z.clone());
            keep
        });
        self.added.truncate(MAX_ADDED_ZONES);
        if let Some(t) = &mut self.ticked {
            t.retain(|z| zone_name(z).is_ok_and(|n| n == *z));
        }
        self
    }
}

/// The blocklists the page offers for `kind`: every known list that lists
/// addresses or domains (the defaults first, as the engine orders them); the
/// lists rule 1 reads for dynamic ranges only are left out.
pub fn known_lists(kind: ListKind) -> Vec<&'static KnownList> {
    KNOWN_LISTS
        .iter()
        .filter(|l| l.kind == kind)
        .filter(|l| l.default || l.codes.iter().any(|c| c.class == CodeClass::Listed))
        .collect()
}

/// Zones offered for `kind`: the known lists, then the user's own.
fn offered_zones(kind: ListKind, choice: &ListChoice) -> Vec<String> {
    let mut zones: Vec<String> = known_lists(kind)
        .iter()
        .map(|l| l.zone.to_string())
        .collect();
    for z in &choice.added {
        if !zones.contains(z) {
            zones.push(z.clone());
        }
    }
    zones
}

/// A zone name as typed, normalised (lowercase, no trailing dot) and checked.
pub fn zone_name(typed: &str) -> Result<String, String> {
    let name = crate::format::normalize_name(typed);
    sendtrust::dns::validate_name(&name)
        .map(|()| name)
        .map_err(|why| format!("Not a zone name: {why}."))
}

/// The blocklist part of [`Options`], as plain data (what an analysis run
/// needs from the blocklist settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlocklistOptions {
    /// IP blocklist zones, `None` = the engine's defaults.
    pub dnsbl_zones: Option<Vec<String>>,
    /// Domain blocklist zones, `None` = the engine's defaults.
    pub dbl_zones: Option<Vec<String>>,
    /// The Spamhaus DQS key, when one is set.
    pub spamhaus_dqs_key: Option<String>,
}

impl BlocklistOptions {
    /// Copies these choices into `options`.
    pub fn apply(self, options: &mut Options) {
        options.dnsbl_zones = self.dnsbl_zones;
        options.dbl_zones = self.dbl_zones;
        options.spamhaus_dqs_key = self.spamhaus_dqs_key;
    }
}

/// Checks a Spamhaus DQS key as the engine will (`Ok(None)` when empty).
pub fn check_dqs_key(key: &str) -> Result<Option<String>, String> {
    let options = Options {
        spamhaus_dqs_key: Some(key.to_string()),
        ..Options::default()
    };
    dnsbl::dqs_key(&options)
}

/// The DNS settings of the session (reactive).
#[derive(Clone, Copy)]
pub struct DnsSettings {
    /// The chosen provider.
    pub choice: RwSignal<ProviderChoice>,
    /// Offline mode: send nothing.
    pub offline: RwSignal<bool>,
    /// A note on where the setting came from when the page address set it.
    pub from_address: RwSignal<Option<String>>,
    /// IP blocklists chosen for rule 3.
    pub ip_lists: RwSignal<ListChoice>,
    /// Domain blocklists chosen for rule 3.
    pub domain_lists: RwSignal<ListChoice>,
    /// The Spamhaus DQS key (validated; empty when none).
    pub dqs_key: RwSignal<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        // Private browsing may refuse storage; the setting then lasts for the page only.
        let _ = s.set_item(key, value);
    }
}

fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

#[derive(Default, Serialize, Deserialize)]
struct StoredLists {
    #[serde(default)]
    ip: ListChoice,
    #[serde(default)]
    domain: ListChoice,
}

fn address_params() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

impl DnsSettings {
    /// The defaults, reading nothing (no page address, no storage): what the
    /// static shell (shell.rs) is rendered with at build time.
    pub fn defaults() -> Self {
        DnsSettings {
            choice: RwSignal::new(ProviderChoice::Preset(DEFAULT_PROVIDER)),
            offline: RwSignal::new(false),
            from_address: RwSignal::new(None),
            ip_lists: RwSignal::new(ListChoice::default()),
            domain_lists: RwSignal::new(ListChoice::default()),
            dqs_key: RwSignal::new(String::new()),
        }
    }

    /// Reads the page address and the saved settings.
    pub fn load() -> Self {
        let params = address_params();
        let mut from_address = None;

        let saved = stored(KEY_PROVIDER).and_then(|v| ProviderChoice::parse(&v).ok());
        let mut choice = saved.unwrap_or(ProviderChoice::Preset(DEFAULT_PROVIDER));
        if let Some(doh) = params.as_ref().and_then(|p| p.get("doh")) {
            match ProviderChoice::parse(&doh) {
                Ok(c) => {
                    from_address = Some(format!(
                        "The page address chose {} (?doh=).",
                        c.display_name()
                    ));
                    choice = c;
                }
                Err(why) => {
                    from_address = Some(format!("The page address's ?doh= was ignored: {why}"));
                }
            }
        }

        let mut offline = stored(KEY_OFFLINE).as_deref() == Some("1");
        if let Some(p) = params.as_ref().filter(|p| p.has("offline")) {
            let v = p.get("offline").unwrap_or_default();
            offline = !matches!(v.as_str(), "0" | "false" | "no");
            if offline {
                from_address = Some("The page address turned offline mode on (?offline).".into());
            }
        }

        let lists: StoredLists = stored(KEY_BLOCKLISTS)
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        let dqs_key = stored(KEY_DQS)
            .and_then(|k| check_dqs_key(&k).ok().flatten())
            .unwrap_or_default();

        DnsSettings {
            choice: RwSignal::new(choice),
            offline: RwSignal::new(offline),
            from_address: RwSignal::new(from_address),
            ip_lists: RwSignal::new(lists.ip.sanitized()),
            domain_lists: RwSignal::new(lists.domain.sanitized()),
            dqs_key: RwSignal::new(dqs_key),
        }
    }

    /// Sets and saves the provider.
    pub fn choose(&self, choice: ProviderChoice) {
        store(KEY_PROVIDER, &choice.storage_value());
        self.choice.set(choice);
        self.from_address.set(None);
    }

    /// Sets and saves offline mode.
    pub fn set_offline(&self, offline: bool) {
        store(KEY_OFFLINE, if offline { "1" } else { "0" });
        self.offline.set(offline);
        self.from_address.set(None);
    }

    fn lists_signal(&self, kind: ListKind) -> RwSignal<ListChoice> {
        match kind {
            ListKind::Ip => self.ip_lists,
            ListKind::Domain => self.domain_lists,
        }
    }

    fn save_lists(&self) {
        let lists = StoredLists {
            ip: self.ip_lists.get_untracked(),
            domain: self.domain_lists.get_untracked(),
        };
        if lists.ip.is_default() && lists.domain.is_default() {
            forget(KEY_BLOCKLISTS);
        } else if let Ok(json) = serde_json::to_string(&lists) {
            store(KEY_BLOCKLISTS, &json);
        }
    }

    /// The blocklist choice of one kind (reactive).
    pub fn lists(&self, kind: ListKind) -> ListChoice {
        self.lists_signal(kind).get()
    }

    /// The zones offered for `kind`: known lists, then the user's (reactive).
    pub fn offered(&self, kind: ListKind) -> Vec<String> {
        self.lists_signal(kind)
            .with(|choice| offered_zones(kind, choice))
    }

    /// Ticks or unticks one zone, and saves.
    pub fn set_list(&self, kind: ListKind, zone: &str, on: bool) {
        self.lists_signal(kind)
            .update(|c| c.set_ticked(kind, zone, on));
        self.save_lists();
    }

    /// Adds a zone (ticked) and saves; `Err` says why it cannot be added.
    pub fn add_list(&self, kind: ListKind, typed: &str) -> Result<String, String> {
        let zone = zone_name(typed)?;
        let offered = self.offered(kind);
        let signal = self.lists_signal(kind);
        if offered.contains(&zone) {
            if signal.with_untracked(|c| c.is_ticked(kind, &zone)) {
                return Err(format!("{zone} is already in the list."));
            }
        } else if signal.with_untracked(|c| c.added.len()) >= MAX_ADDED_ZONES {
            return Err(format!("At most {MAX_ADDED_ZONES} lists of your own."));
        }
        signal.update(|c| {
            if !offered.contains(&zone) {
                c.added.push(zone.clone());
            }
            c.set_ticked(kind, &zone, true);
        });
        self.save_lists();
        Ok(zone)
    }

    /// Removes a zone the user added, and saves.
    pub fn remove_list(&self, kind: ListKind, zone: &str) {
        self.lists_signal(kind).update(|c| {
            c.added.retain(|z| z != zone);
            if let Some(t) = &mut c.ticked {
                t.retain(|z| z != zone);
            }
        });
        self.save_lists();
    }

    /// Back to the default lists (both kinds; the DQS key is kept).
    pub fn reset_lists(&self) {
        self.ip_lists.set(ListChoice::default());
        self.domain_lists.set(ListChoice::default());
        forget(KEY_BLOCKLISTS);
    }

    /// Sets (or with an empty string forgets) the DQS key; `Err` keeps the
    /// old key and says what is wrong with the new one.
    pub fn set_dqs_key(&self, key: &str) -> Result<(), String> {
        let key = check_dqs_key(key)?.unwrap_or_default();
        if key.is_empty() {
            forget(KEY_DQS);
        } else {
            store(KEY_DQS, &key);
        }
        self.dqs_key.set(key);
        Ok(())
    }

    /// What the blocklist settings contribute to an analysis (not reactive).
    pub fn blocklist_options(&self) -> BlocklistOptions {
        let key = self.dqs_key.get_untracked();
        BlocklistOptions {
            dnsbl_zones: self.ip_lists.with_untracked(|c| c.zones(ListKind::Ip)),
            dbl_zones: self
                .domain_lists
                .with_untracked(|c| c.zones(ListKind::Domain)),
            spamhaus_dqs_key: (!key.is_empty()).then_some(key),
        }
    }

    /// [`Options`] with the blocklist settings applied and everything else at
    /// its default (the run path sets `dns` and `sender_ip`).
    pub fn options(&self) -> Options {
        let mut options = Options::default();
        self.blocklist_options().apply(&mut options);
        options
    }

    /// The provider's name for people, or "nobody" offline (reactive).
    pub fn provider_name(&self) -> String {
        self.choice.with(ProviderChoice::display_name)
    }

    /// The endpoint URL questions go to, `None` offline (reactive).
    pub fn endpoint(&self) -> Option<String> {
        if self.offline.get() {
            return None;
        }
        Some(self.choice.with(|c| match c {
            ProviderChoice::Preset(p) => p.url.to_string(),
            ProviderChoice::Custom(url) => url.clone(),
        }))
    }

    /// The configuration for the current settings (not reactive).
    pub fn config(&self) -> Result<DnsConfig, String> {
        if self.offline.get_untracked() {
            return Ok(DnsConfig::offline());
        }
        Ok(match self.choice.get_untracked() {
            ProviderChoice::Preset(p) => DnsConfig {
                endpoint: Some(p.url.to_string()),
                format: p.format,
                ..DnsConfig::default()
            },
            ProviderChoice::Custom(url) => {
                validate_doh_url(&url)?;
                DnsConfig::doh(url)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_until_the_user_changes_something() {
        let mut c = ListChoice::default();
        assert!(c.is_default());
        assert_eq!(c.zones(ListKind::Ip), None);
        assert!(c.is_ticked(ListKind::Ip, "bl.spamcop.net"));
        assert!(!c.is_ticked(ListKind::Ip, "b.barracudacentral.org"));

        c.set_ticked(ListKind::Ip, "bl.spamcop.net", false);
        let zones = c.zones(ListKind::Ip).unwrap();
        assert!(!zones.contains(&"bl.spamcop.net".to_string()));
        assert!(zones.contains(&"zen.spamhaus.org".to_string()));
        assert_eq!(zones.len(), dnsbl::default_zones(ListKind::Ip).len() - 1);

        // An added zone comes after the known lists, in the order offered.
        c.added.push("bl.test".into());
        c.set_ticked(ListKind::Ip, "bl.test", true);
        c.set_ticked(ListKind::Ip, "b.barracudacentral.org", true);
        let zones = c.zones(ListKind::Ip).unwrap();
        assert_eq!(zones.last().map(String::as_str), Some("bl.test"));
        let barracuda = zones.iter().position(|z| z == "b.barracudacentral.org");
        assert_eq!(barracuda, Some(zones.len() - 2));
    }

    #[test]
    fn offered_lists_leave_out_rule_one_helpers() {
        let ip: Vec<&str> = known_lists(ListKind::Ip).iter().map(|l| l.zone).collect();
        assert!(ip.contains(&"zen.spamhaus.org") && ip.contains(&"ix.dnsbl.manitu.net"));
        assert!(!ip.contains(&"dyna.spamrats.com") && !ip.contains(&"pbl.spamhaus.org"));
        let domain: Vec<&str> = known_lists(ListKind::Domain)
            .iter()
            .map(|l| l.zone)
            .collect();
        assert_eq!(
            domain,
            [
                "dbl.spamhaus.org",
                "dbl.nordspam.com",
                "multi.uribl.com",
                "multi.surbl.org"
            ]
        );
    }

    #[test]
    fn zone_names_and_keys_are_checked() {
        assert_eq!(zone_name(" BL.Test. "), Ok("bl.test".into()));
        assert!(zone_name("bl test").is_err());
        assert!(zone_name("single").is_err());
        assert!(zone_name("<b>.example").is_err());
        assert_eq!(check_dqs_key(""), Ok(None));
        assert_eq!(check_dqs_key(" AbC123 "), Ok(Some("abc123".into())));
        assert!(check_dqs_key("not a key!").is_err());
        let stored = ListChoice {
            added: vec![
                "ok.test".into(),
                "Bad Zone".into(),
                "two.test".into(),
                "ok.test".into(),
            ],
            ticked: Some(vec!["ok.test".into(), "x y".into()]),
        }
        .sanitized();
        assert_eq!(stored.added, ["ok.test", "two.test"]);
        assert_eq!(stored.ticked, Some(vec!["ok.test".to_string()]));
    }

    #[test]
    fn blocklist_options_fill_the_engine_options() {
        let mut options = Options::default();
        BlocklistOptions {
            dnsbl_zones: Some(vec!["bl.test".into()]),
            dbl_zones: None,
            spamhaus_dqs_key: Some("abc".into()),
        }
        .apply(&mut options);
        assert_eq!(options.dnsbl_zones, Some(vec!["bl.test".to_string()]));
        assert_eq!(options.dbl_zones, None);
        assert_eq!(options.spamhaus_dqs_key.as_deref(), Some("abc"));
    }
}
