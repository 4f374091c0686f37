// Inlined into index.html's <head> by scripts/shell.py (ENGINE_GLUE and
// ENGINE_WASM replaced by the engine's hashed file names; csp.py allows it
// by hash; comment lines are dropped). It makes the engine ready without
// waiting for the page's UI wasm:
//   - it starts downloading and compiling the engine wasm the moment the
//     page is parsed, at high priority;
//   - it starts the analysis worker (web/sendtrust-worker.js) at once, so
//     the worker's script and the engine's glue load while the wasm does,
//     and hands it the compiled module as soon as it is there: the engine
//     runs in the worker before the UI has arrived, and
//     <html data-engine-wasm="ready"> says so;
//   - `received` resolves once the engine's bytes have all arrived (or the
//     download failed): the UI wasm's loader (written by shell.py over
//     Trunk's) waits for it, so on a slow link the engine's bytes go first
//     on every host, without relying on HTTP/2 priorities. From a cache
//     there is nothing to wait for.
// It leaves the UI (crates/sendtrust-web/src/worker.rs)
// `globalThis.sendtrustEngine`:
//   glue      the engine's wasm-bindgen glue (absolute URL)
//   worker    the analysis worker script (absolute URL), for a new worker
//   module    a promise of the compiled WebAssembly.Module
//   received  a promise: the engine's response has been fully received
//   adopt(onmessage, onerror)  the worker started here, once: sets the UI's
//             handlers and replays to them what the worker said before
//             (null when none was started or it was adopted already)
//   early     the analysis started here of a text pasted or typed into the
//             static shell ({ id, text, request }), or null: it starts when
//             the engine runs (or at a paste after that) if the page has a
//             request to send (see `request`), until the UI adopts the worker
//   load()    the engine instantiated in the page (the no-worker fallback)
// and, once the UI has started, registers the service worker (web/sw.js):
// the page works offline after one visit.
(() => {
  const url = (name) => new URL(name, document.baseURI).href;
  const glue = url("./ENGINE_GLUE");
  const script = url("./sendtrust-worker.js");
  const wasm = url("./ENGINE_WASM");
  const response = fetch(wasm, { priority: "high" }).then((r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r;
  });
  // One copy of the body goes to the compiler, the other is read to its end:
  // that is when the link is free for the UI, and it is the bytes to compile
  // where streaming compilation refuses the host's content type.
  const copy = response.then((r) => r.clone());
  const bytes = response.then((r) => r.arrayBuffer());
  // A visit served from the service worker's cache has nothing to wait for.
  const never = new Promise(() => {});
  const cached = self.caches
    ? caches.match(wasm, { ignoreVary: true }).then((hit) => (hit ? undefined : never), () => never)
    : never;
  const received = Promise.race([bytes.then(() => {}, () => {}), cached]);
  const module = copy.then((r) =>
    WebAssembly.compileStreaming(r).catch(() => bytes.then((b) => WebAssembly.compile(b))),
  );
  module.then(() => performance.mark("sendtrust-engine-compiled"), () => {});
  const root = document.documentElement;
  let started = null;
  let ready = false;
  let early = null;
  const heard = [];
  // The request the page would send for a text in the shell: the one it last
  // ran at this address (saved by the UI; changing a setting forgets it), or
  // on a first visit without a query the shell's default (shell.rs). None
  // otherwise: the UI then analyses the text when it takes over, as before.
  const request = () => {
    try {
      const saved = JSON.parse(localStorage.getItem("sendtrust.last-request") || "null");
      if (saved && saved.search === location.search) return saved.request;
      const shell = JSON.parse(document.getElementById("shell-request").textContent);
      return location.search || shell.keys.some((k) => localStorage.getItem(k) !== null) ? null : shell.request;
    } catch {
      return null;
    }
  };
  // The shell's text is analysed as soon as the engine runs, once: the UI
  // takes that run over (state.rs, adopt_early_run) when text and request
  // are still the same, else it analyses again.
  const analyseShellText = () => {
    const box = document.getElementById("message");
    const base = ready && started && !early && box && box.value.trim() && navigator.onLine && request();
    if (!base) return;
    early = { id: 1, text: box.value, request: JSON.stringify({ ...base, id: 1 }) };
    started.postMessage({ request: early.request, raw: new TextEncoder().encode(early.text) });
  };
  addEventListener("input", (e) => /^insertFrom(Paste|Drop)/.test(e.inputType) && analyseShellText(), true);
  try {
    const w = new Worker(script, { type: "module" });
    w.onmessage = (e) => heard.push([0, e]);
    w.onerror = (e) => (e.preventDefault(), heard.push([1, e]));
    w.addEventListener("message", (e) => {
      if (!(e.data && e.data.ready)) return;
      root.setAttribute("data-engine-wasm", "ready");
      ready = true;
      analyseShellText();
    });
    w.postMessage({ preload: glue });
    module.then((m) => w.postMessage({ glue, module: m }), () => {});
    started = w;
  } catch {
    // No module workers here (or a policy against them): the UI runs the engine in the page.
  }
  let inPage;
  globalThis.sendtrustEngine = {
    glue,
    worker: script,
    module,
    received,
    get early() {
      return early;
    },
    adopt(onmessage, onerror) {
      const w = started;
      started = null;
      if (w) {
        w.onmessage = onmessage;
        w.onerror = onerror;
        for (const [kind, e] of heard.splice(0)) (kind ? onerror : onmessage)(e);
      }
      return w;
    },
    load: () =>
      (inPage ??= import(glue).then(async (engine) => {
        await engine.default({ module_or_path: await module });
        return engine;
      })),
  };
  // Once the UI has started: the service worker's install fetches every
  // file of the build, which earlier would download the UI's wasm alongside
  // the engine's; now they all come from the HTTP cache.
  if ("serviceWorker" in navigator) {
    const register = () => navigator.serviceWorker.register("./sw.js").catch(() => {});
    addEventListener("TrunkApplicationStarted", register, { once: true });
  }
})();
