//! Reference tables: names and traces of outside services, kept apart from
//! the logic that reads them.

pub(crate) mod blocklists;
pub(crate) mod host_names;
pub(crate) mod inbound_filters;
pub(crate) mod sending_services;
