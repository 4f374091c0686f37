// Sendtrust's analysis worker: runs the engine off the page's main thread.
// See crates/sendtrust-web/src/worker.rs for the protocol.
//
// The first message carries the page's wasm-bindgen glue URL and its compiled
// WebAssembly.Module (no second download or compile); every later message is
// an analysis request, queued until the wasm runs and then handed to it.
let wasm; // undefined: not started; null: starting; the glue module once running
const queue = [];

self.onmessage = async ({ data }) => {
  if (wasm) return wasm.sendtrustWorkerMessage(data);
  if (wasm === null) return queue.push(data);
  wasm = null;
  try {
    const glue = await import(data.glue);
    await glue.default({ module_or_path: data.module });
    wasm = glue;
    self.postMessage({ ready: true });
    for (const request of queue.splice(0)) wasm.sendtrustWorkerMessage(request);
  } catch (e) {
    self.postMessage({ failed: String(e && e.message ? e.message : e) });
  }
};
