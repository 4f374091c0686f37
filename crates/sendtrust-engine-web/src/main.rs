//! The engine wasm (`sendtrust-engine`): the library's exports
//! (`runAnalysis`, `analyze`, `schemaVersion`) and nothing else. It mounts
//! nothing and starts nothing: the worker, the page's fallback and the JS
//! API module call it.

// Links the library, whose `#[wasm_bindgen]` exports are this wasm's API.
use sendtrust_engine_web as _;

fn main() {}
