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
