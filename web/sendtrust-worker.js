// Sendtrust's analysis worker: runs the engine wasm off the page's main thread.
// See crates/sendtrust-web/src/worker.rs for the protocol.
//
// Started by the page's head script (web/engine-boot.js) as the page loads,
// or by the UI when it needs a new one. It is posted:
//   { preload: glue }   optional, first: the engine's wasm-bindgen glue URL,
//                       imported at once so it loads while the wasm does;
//   { glue, module }    once: the glue URL and the compiled WebAssembly.Module
//                       (the page compiled it: no second download or compile).
// Every other message is an analysis request; requests that arrive before
// the engine runs wait in a queue.
let engine; // the glue module once the engine runs
const queue = [];
const post = (json) => self.postMessage(json);

self.onmessage = async ({ data }) => {
  if (data && data.preload) {
    // The same URL imported again below is the same module: fetched once.
    import(data.preload).catch(() => {});
    return;
  }
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
