// Sendtrust's analysis worker: runs the engine wasm off the page's main thread.
// See crates/sendtrust-web/src/worker.rs for the protocol.
//
// The page posts `{ glue, module }` once: the engine's wasm-bindgen glue URL
// and its compiled WebAssembly.Module (the page compiled it while the UI
// loaded: no second download or compile). Every other message is an analysis
// request; requests that arrive before the engine runs wait in a queue.
let engine; // the glue module once the engine runs
const queue = [];
const post = (json) => self.postMessage(json);

self.onmessage = async ({ data }) => {
  if (!(data && data.glue)) {
    if (engine) engine.runAnalysis(data, post);
    else queue.push(data);
    return;
  }
  try {
    const glue = await import(data.glue);
    await glue.default({ module_or_path: data.module });
    engine = glue;
    self.postMessage({ ready: true });
    for (const request of queue.splice(0)) engine.runAnalysis(request, post);
  } catch (e) {
    self.postMessage({ failed: String(e && e.message ? e.message : e) });
  }
};
