// Sendtrust's service worker: the page works offline after one visit.
//
// scripts/shell.py writes the build's file list into ASSETS and a digest of
// it into VERSION when it copies this file into dist/ (so every build is a
// new service worker, and the browser installs it over the old one). Scope:
// the page's directory (registered as ./sw.js by the page's head script).
//
//   - install: every file of the build goes into a cache named after the
//     build; activate deletes this scope's caches of older builds.
//   - hashed files (name-<16 hex>[_bg].ext) never change: cache first.
//   - the page (index.html, any query) and the unhashed files: network
//     first, the cached copy when the network fails; a fresh copy updates
//     the cache.
//   - anything else — DoH questions above all, which may share the origin —
//     is not touched: never answered from, nor put into, the cache.
const VERSION = "BUILD_VERSION";
const ASSETS = ["BUILD_ASSETS"];
const SCOPE = self.registration.scope;
const CACHE = `sendtrust ${SCOPE} ${VERSION}`;
// Trunk writes its hash in hex without leading zeros: 8 to 16 digits (fewer is 1 in 16^8).
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.[a-z0-9]+$/;
const urls = new Set(ASSETS.map((a) => new URL(a, SCOPE).href));
const page = new URL("./index.html", SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...urls]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith(`sendtrust ${SCOPE} `) && k !== CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match(key, { ignoreVary: true });
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreVary: true });
  return cached ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  url.hash = "";
  const bare = url.origin + url.pathname;
  if (request.mode === "navigate" && (bare === SCOPE || bare === page)) {
    // The page, whatever its query (?embed=1, ?doh=…): one cached copy.
    event.respondWith(networkFirst(request, page));
  } else if (urls.has(url.href)) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request, url.href));
  }
});
