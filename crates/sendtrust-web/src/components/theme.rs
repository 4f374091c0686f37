//! Light and dark: the page follows `prefers-color-scheme` until the person
//! picks a scheme (saved in localStorage); `?theme=light|dark` in the address
//! sets it for one visit (embedding pages use this). The colours themselves
//! are CSS custom properties (web/style.css), so a host can restyle the page.

use leptos::prelude::*;

const KEY_THEME: &str = "sendtrust.theme";

/// The colour scheme in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Follow the system (`prefers-color-scheme`).
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Scheme {
    /// Reads `auto`, `light`, `dark` (also `system`).
    pub fn parse(value: &str) -> Option<Scheme> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" | "system" => Some(Scheme::Auto),
            "light" => Some(Scheme::Light),
            "dark" => Some(Scheme::Dark),
            _ => None,
        }
    }

    /// The value stored and shown in the picker.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Auto => "auto",
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Sets `data-theme` on the root element (none for [`Scheme::Auto`]).
pub fn apply(scheme: Scheme) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = match scheme {
        Scheme::Auto => root.remove_attribute("data-theme"),
        Scheme::Light | Scheme::Dark => root.set_attribute("data-theme", scheme.as_str()),
    };
}

/// The scheme to start with: the address's `?theme=`, else the saved choice,
/// else the system's. Applied at once.
pub fn init() -> Scheme {
    let from_address = window()
        .location()
        .search()
        .ok()
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("theme"))
        .and_then(|t| Scheme::parse(&t));
    let saved = || {
        storage()
            .and_then(|s| s.get_item(KEY_THEME).ok().flatten())
            .and_then(|t| Scheme::parse(&t))
    };
    let scheme = from_address.or_else(saved).unwrap_or(Scheme::Auto);
    apply(scheme);
    scheme
}

/// The theme picker in the page header.
#[component]
pub fn ThemePicker(scheme: Scheme) -> impl IntoView {
    let current = RwSignal::new(scheme);
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(scheme) = Scheme::parse(&event_target_value(&ev)) {
            if let Some(s) = storage() {
                // Private browsing may refuse storage: the choice then lasts for the page.
                let _ = s.set_item(KEY_THEME, scheme.as_str());
            }
            apply(scheme);
            current.set(scheme);
        }
    };
    view! {
        <div class="theme-picker">
            <label for="theme">"Theme"</label>
            <select id="theme" on:change=on_change>
                {[(Scheme::Auto, "System"), (Scheme::Light, "Light"), (Scheme::Dark, "Dark")]
                    .into_iter()
                    .map(|(s, label)| {
                        view! {
                            <option value=s.as_str() selected=move || current.get() == s>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_round_trip() {
        for s in [Scheme::Auto, Scheme::Light, Scheme::Dark] {
            assert_eq!(Scheme::parse(s.as_str()), Some(s));
        }
        assert_eq!(Scheme::parse(" Dark "), Some(Scheme::Dark));
        assert_eq!(Scheme::parse("system"), Some(Scheme::Auto));
        assert_eq!(Scheme::parse("blue"), None);
    }
}
