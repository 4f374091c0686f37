// Page-load benchmark, as a visitor meets the page (prints numbers; not a test).
//
//   trunk build --release && node web/bench/load.mjs [--runs 3] [--no-shell] [--profiles loopback,cable,slow4g] [--dist DIR]
//
// Serves a brotli-compressed copy of dist/ (`brotli -q 11`, `Content-Encoding:
// br`, hashed assets cacheable for a year and index.html revalidated by ETag,
// as a static host would) and loads the page in Chromium with the network
// emulated by the server (a round trip of latency per response, one shared
// download budget for all responses; see `send`), per profile, cold
// cache (a fresh browser profile per run) and warm (a second visit in the
// same profile), median of --runs:
//   first paint   first-contentful-paint (performance paint entries)
//   paste box     #message present, not disabled, and painted (the later of
//                 its insertion and first paint): a person can type into it
//   engine        the engine wasm runs (in the worker, or in the page):
//                 <html data-engine-wasm="ready"> (worker.rs)
//   app           the UI wasm took over: <html data-engine="ready"> (shell.rs)
//   report        the "good" sample clicked as soon as the engine is ready,
//                 its full report done (#status "Done…"; offline mode, so the
//                 network is only the page's own assets)
// --no-shell strips the static shell from the served index.html: the page as
// it was before it had one (an empty body until the wasm has run).

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(WEB, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
// --trace prints each visit's responses (see `send`).
// --dist DIR: measure another build (e.g. one of main, for a before/after).
const DIST = resolve(arg('--dist', join(ROOT, 'dist')));
const RUNS = Number(arg('--runs', '3'));
const NO_SHELL = process.argv.includes('--no-shell');
// Throughput in bytes/s; latency in ms (added to each request's round trip).
const PROFILES = {
  loopback: null,
  cable: { latency: 28, downloadThroughput: (5e6 / 8), uploadThroughput: (1e6 / 8) },
  slow4g: { latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (0.75e6 / 8) },
};
const chosen = arg('--profiles', Object.keys(PROFILES).join(',')).split(',');

// ------------------------------------------------------------ the served copy
const site = mkdtempSync(join(tmpdir(), 'sendtrust-load-'));
cpSync(DIST, site, { recursive: true });
if (NO_SHELL) {
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace(/<!-- shell -->[\s\S]*<!-- \/shell -->\n?/, ''));
}
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const COMPRESS = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.txt', '.eml']);
for (const f of walk(site)) if (COMPRESS.has(extname(f))) execFileSync('brotli', ['-q', '11', '-f', '-k', f]);
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
};
const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(site, path));
  if (!file.startsWith(site + sep) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404);
    return res.end();
  }
  const br = existsSync(file + '.br') && /\bbr\b/.test(req.headers['accept-encoding'] ?? '');
  const body = readFileSync(br ? file + '.br' : file);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  // Trunk's hashed names (name-<hex>.ext, up to 16 digits) never change: cache them for good.
  const hashed = /-[0-9a-f]{8,16}(_bg)?\.[a-z]+$/.test(path);
  const headers = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    vary: 'accept-encoding',
  };
  if (br) headers['content-encoding'] = 'br';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return res.end();
  }
  res.writeHead(200, { ...headers, 'content-length': body.length });
  send(res, body, path);
});

// The emulated link, in the server: one round trip of latency per response,
// then the body paced through one shared budget of bytes per second, so every
// response — the page's, the module worker's, a fetch started late — shares
// the same bandwidth, as on a real slow link. (CDP's emulation throttles the
// page's own requests only: a dedicated worker's requests ran at full speed
// under it, which flattered a split page.)
let link = null;
let linkFreeAt = 0;
let sent = 0; // bytes of response bodies, all clients (page and worker)
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
// --trace: each cold visit's responses in order, with when the request
// arrived and when its last byte went out (ms since the page's request).
const TRACE = process.argv.includes('--trace');
let trace = [];
let traceFrom = 0;
async function send(res, body, path) {
  sent += body.length;
  const entry = { path, bytes: body.length, asked: performance.now() - traceFrom };
  trace.push(entry);
  res.on('finish', () => (entry.done = performance.now() - traceFrom));
  if (!link) return res.end(body);
  await sleep(link.latency);
  const CHUNK = 8192;
  for (let at = 0; at < body.length; at += CHUNK) {
    const chunk = body.subarray(at, at + CHUNK);
    const now = performance.now();
    linkFreeAt = Math.max(now, linkFreeAt) + (chunk.length / link.downloadThroughput) * 1000;
    await sleep(linkFreeAt - now);
    res.write(chunk);
  }
  res.end();
}
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const BASE = `http://127.0.0.1:${server.address().port}/`;

// ------------------------------------------------------------ measuring
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Records, in the page's own clock, when the paste box takes input and when the engine is ready.
const MARKS = () => {
  window.__marks = {};
  const check = () => {
    const m = document.querySelector('#message');
    if (m && !m.disabled && !window.__marks.paste) window.__marks.paste = performance.now();
    const root = document.documentElement.dataset;
    if (root.engine === 'ready' && !window.__marks.app) window.__marks.app = performance.now();
    if (root.engineWasm === 'ready' && !window.__marks.engine) window.__marks.engine = performance.now();
    return window.__marks.paste && window.__marks.app && window.__marks.engine;
  };
  new MutationObserver((_, obs) => check() && obs.disconnect())
    .observe(document, { subtree: true, childList: true, attributes: true });
};

async function visit(ctx, profile) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  link = profile;
  linkFreeAt = 0;
  sent = 0;
  await page.addInitScript(MARKS);
  trace = [];
  traceFrom = performance.now();
  await page.goto(`${BASE}?offline`);
  await page.waitForFunction(() => window.__marks?.app, null, { timeout: 120_000 });
  await page.click('#sample-good');
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('Done'), null, { timeout: 120_000 });
  const t = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    paste: Math.max(window.__marks.paste, performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN),
    app: window.__marks.app,
    report: performance.now(),
    // Set by now: a report needs the engine. A build with one wasm (before
    // the split) has no separate mark: its engine is ready with the app.
    engine: window.__marks.engine ?? window.__marks.app,
  }));
  // Not timed: let the service worker finish installing (it caches the
  // build once the page has what it needs), as it would before a visitor's
  // next visit — otherwise "warm" would measure a half-installed worker.
  await page.evaluate(() =>
    Promise.race([navigator.serviceWorker?.ready, new Promise((r) => setTimeout(r, 30_000))]),
  );
  await page.close();
  if (TRACE) {
    console.log(`  ${profile ? '' : 'loopback '}engine ${t.engine.toFixed(0)} ms, app ${t.app.toFixed(0)} ms; responses (asked → last byte, ms):`);
    for (const e of trace) console.log(`    ${e.path.padEnd(48)} ${(e.bytes / 1024).toFixed(1).padStart(7)} KB  ${e.asked.toFixed(0).padStart(5)} → ${(e.done ?? NaN).toFixed(0).padStart(5)}`);
  }
  return { ...t, bytes: sent };
}

const profiles = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sendtrust-load-profile-'));
  profiles.push(dir);
  return chromium.launchPersistentContext(dir, { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args });
};

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
console.log(`page load${NO_SHELL ? ' WITHOUT the static shell' : ''}, brotli, median of ${RUNS}; ${uptime()}`);
console.log('profile   cache  transferred  first paint  paste box  engine ready  app ready  sample report');
for (const name of chosen) {
  const profile = PROFILES[name];
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await fresh();
    cold.push(await visit(ctx, profile));
    warm.push(await visit(ctx, profile));
    await ctx.close();
  }
  for (const [cache, runs] of [['cold', cold], ['warm', warm]]) {
    const ms = (k) => `${median(runs.map((r) => r[k])).toFixed(0)} ms`;
    console.log(`${name.padEnd(9)} ${cache.padEnd(5)} ${`${(median(runs.map((r) => r.bytes)) / 1024).toFixed(1)} KB`.padStart(11)}` +
      `  ${ms('fcp').padStart(11)}  ${ms('paste').padStart(9)}  ${ms('engine').padStart(12)}  ${ms('app').padStart(9)}  ${ms('report').padStart(13)}`);
  }
}
console.log(`after: ${uptime()}`);
server.close();
for (const dir of [site, ...profiles]) rmSync(dir, { recursive: true, force: true });
