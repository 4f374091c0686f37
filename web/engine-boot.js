// Inlined into index.html's <head> by scripts/shell.py (ENGINE_GLUE and
// ENGINE_WASM replaced by the engine's hashed file names; csp.py allows it
// by hash). It starts downloading and compiling the engine wasm the moment
// the page is parsed, in parallel with the UI wasm, and leaves the page's
// UI (crates/sendtrust-web/src/worker.rs) what it needs to run it:
//   glue    the engine's wasm-bindgen glue (absolute URL)
//   worker  the analysis worker script (absolute URL)
//   module  a promise of the compiled WebAssembly.Module
//   load()  the engine instantiated in the page (the no-worker fallback)
// and, once the page has loaded, registers the service worker (web/sw.js):
// the page works offline after one visit.
(() => {
  const url = (name) => new URL(name, document.baseURI).href;
  const glue = url("./ENGINE_GLUE");
  const module = fetch(url("./ENGINE_WASM")).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // Streaming compile needs application/wasm; a host that serves another
    // type still gets the engine, compiled after the download.
    return WebAssembly.compileStreaming(response.clone()).catch(() =>
      response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes)),
    );
  });
  module.then(() => performance.mark("sendtrust-engine-compiled"), () => {});
  let inPage;
  globalThis.sendtrustEngine = {
    glue,
    worker: url("./sendtrust-worker.js"),
    module,
    load: () =>
      (inPage ??= import(glue).then(async (engine) => {
        await engine.default({ module_or_path: await module });
        return engine;
      })),
  };
  if ("serviceWorker" in navigator) {
    addEventListener("load", () => navigator.serviceWorker.register("./sw.js").catch(() => {}));
  }
})();
