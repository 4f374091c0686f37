//! The Sendtrust engine as its own wasm module, apart from the page's UI wasm.
//!
//! The page (crates/sendtrust-web) is Leptos views and state only; it never
//! links the analysis. This crate is the engine wasm (`sendtrust-engine`,
//! built by Trunk next to the page) that runs it, in three places:
//!
//! - the page's analysis worker (web/sendtrust-worker.js), through
//!   [`run_analysis`](crate::run_analysis) (`runAnalysis` in JavaScript);
//! - the page's main thread where no worker can start (the same export,
//!   called by the page with a callback instead of `postMessage`);
//! - the JS API module `dist/sendtrust.js` (`analyze`, `schemaVersion`).
//!
//! [`protocol`] (what the page sends and what it hears back) is always
//! compiled: the UI wasm links it without the `engine` feature, so both
//! sides share one definition of the messages.

#![warn(missing_docs)]

pub mod protocol;

#[cfg(feature = "engine")]
mod api;
#[cfg(feature = "engine")]
mod run;

#[cfg(feature = "engine")]
pub use api::{analyze, schema_version};
#[cfg(feature = "engine")]
pub use run::run_analysis;
