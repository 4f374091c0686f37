//! DNS settings: which DoH provider to ask, or none (offline).
//!
//! Precedence: the page address (`?doh=<url or preset id>`, `?offline`) over
//! the user's saved choice (localStorage) over the default provider. A choice
//! made in the picker is saved; an address override is not, so opening a
//! shared link does not change the user's setting.
//!
//! The session keeps one [`Resolver`] per provider so every analysis shares
//! its cache.

use crate::format::{ProviderChoice, validate_doh_url};
use leptos::prelude::*;
use sendtrust::dns::{DEFAULT_PROVIDER, DnsConfig, DohFormat, Resolver};
use std::collections::HashMap;

const KEY_PROVIDER: &str = "sendtrust.doh";
const KEY_OFFLINE: &str = "sendtrust.offline";

/// The DNS settings of the session (reactive).
#[derive(Clone, Copy)]
pub struct DnsSettings {
    /// The chosen provider.
    pub choice: RwSignal<ProviderChoice>,
    /// Offline mode: send nothing.
    pub offline: RwSignal<bool>,
    /// A note on where the setting came from when the page address set it.
    pub from_address: RwSignal<Option<String>>,
    resolvers: StoredValue<HashMap<String, Resolver>, LocalStorage>,
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

fn address_params() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

impl DnsSettings {
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

        DnsSettings {
            choice: RwSignal::new(choice),
            offline: RwSignal::new(offline),
            from_address: RwSignal::new(from_address),
            resolvers: StoredValue::new_local(HashMap::new()),
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

    /// The session's resolver for the current settings (created on first use).
    pub fn resolver(&self) -> Result<(Resolver, DnsConfig), String> {
        let config = self.config()?;
        let key = match &config.endpoint {
            None => "offline".to_string(),
            Some(url) => format!(
                "{}|{url}",
                match config.format {
                    DohFormat::Wire => "wire",
                    DohFormat::Json => "json",
                }
            ),
        };
        let resolver = self.resolvers.try_update_value(|map| {
            map.entry(key)
                .or_insert_with(|| Resolver::new(config.clone()))
                .clone()
        });
        resolver
            .map(|r| (r, config))
            .ok_or_else(|| "The page is shutting down.".to_string())
    }
}
