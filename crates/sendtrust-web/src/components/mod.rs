//! The page's components. Each reads the [`Analysis`](crate::state::Analysis)
//! and [`DnsSettings`](crate::settings::DnsSettings) from context and renders
//! report values as text; none decides anything about the message.

pub mod beyond;
pub mod blocklists;
pub mod dns;
pub mod embed;
pub mod export;
pub mod fixes;
pub mod glance;
pub mod hops;
pub mod input;
pub mod results;
pub mod rules;
pub mod share;
pub mod spf_tree;
pub mod theme;
pub mod timeline;
pub mod waterfall;
