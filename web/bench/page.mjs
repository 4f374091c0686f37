// Browser benchmark of the built page (prints numbers; not a test).
//
//   trunk build --release && node web/bench/page.mjs
//
// 1. Load: wasm download size, time to first contentful paint, and time until
//    the app is mounted (wasm fetched + instantiated + first render; the page
//    first paints its static shell — web/bench/load.mjs measures that), on
//    loopback, cold cache (a fresh browser context per run), median of 5.
// 2. Analysis in Chromium through the JS API (dist/sendtrust.js, the same
//    engine as the page), against the DNS bench: the dkimpy-signed corpus
//    messages (RSA-2048 and Ed25519 signatures verified with keys from the
//    bench) and large unsigned messages of 1 MB and 25 MB (parse + hops +
//    rules; generated here). Median of 5 after one warm-up.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../tests/static-server.mjs';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(WEB, '..');
const DIST = join(ROOT, 'dist');
const benchFile = join(ROOT, 'tests/bench/run/bench.json');
if (!existsSync(benchFile)) execFileSync('python3', [join(ROOT, 'tests/bench/bench.py'), 'start'], { stdio: 'inherit' });
const DOH = JSON.parse(readFileSync(benchFile, 'utf8')).doh;
const { server, url: BASE } = await serveStatic({ dir: DIST, base: '/sendtrust/' });
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const profiles = [];
async function browser() {
  const dir = mkdtempSync(join(tmpdir(), 'sendtrust-bench-'));
  profiles.push(dir);
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args,
  });
}

// 1. Load
const loads = [];
let wasmBytes = 0;
for (let i = 0; i < 5; i++) {
  const ctx = await browser();
  const page = await ctx.newPage();
  // Both wasm modules (the UI and the engine), each counted once per visit.
  const seen = new Map();
  page.on('response', async (r) => {
    if (r.url().endsWith('.wasm')) seen.set(r.url(), (await r.body()).length);
  });
  await page.goto(`${BASE}?offline`);
  // Not the textarea: the static shell has it before the app takes over.
  await page.waitForSelector('html[data-engine="ready"]');
  const t = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const wasm = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm'));
    return { fcp, mounted: performance.now(), wasmDone: wasm.length ? Math.max(...wasm.map((e) => e.responseEnd)) : NaN };
  });
  wasmBytes = [...seen.values()].reduce((a, b) => a + b, 0);
  loads.push(t);
  await ctx.close();
}
console.log(`load (median of 5, loopback, cold context): wasm ${(wasmBytes / 1024).toFixed(1)} KB transferred (uncompressed server), ` +
  `first contentful paint ${median(loads.map((l) => l.fcp)).toFixed(0)} ms, ` +
  `all wasm downloaded ${median(loads.map((l) => l.wasmDone)).toFixed(0)} ms, ` +
  `app mounted (instantiated + rendered) ≤ ${median(loads.map((l) => l.mounted)).toFixed(0)} ms`);

// 2. Analysis through the JS API
const ctx = await browser();
const page = await ctx.newPage();
await page.goto(`${BASE}embed/api-example.html`);
const read = (p) => readFileSync(join(ROOT, p), 'latin1');
const big = (mb) => {
  const head = read('web/samples/good-newsletter.eml');
  const line = 'x'.repeat(76) + '\r\n';
  return head + '\r\n' + line.repeat(Math.ceil((mb * 1024 * 1024) / 78));
};
const cases = [
  ['DKIM RSA-2048 (dkimpy corpus)', read('tests/fixtures/dkim/rsa2048-relaxed.eml')],
  ['DKIM Ed25519 (dkimpy corpus)', read('tests/fixtures/dkim/ed25519.eml')],
  ['1 MB message', big(1)],
  ['25 MB message', big(25)],
];
console.log('analysis in Chromium (JS API, bench DoH, median of 5 after a warm-up; DNS answers cached after the warm-up):');
for (const [name, raw] of cases) {
  const ms = await page.evaluate(async ({ raw, doh, base }) => {
    const api = await import(`${base}sendtrust.js`);
    const runs = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const report = await api.analyze(raw, { doh });
      if (report.schema_version !== 2) throw new Error('no report');
      runs.push(performance.now() - t0);
    }
    const rest = runs.slice(1).sort((a, b) => a - b);
    return rest[Math.floor(rest.length / 2)];
  }, { raw, doh: DOH, base: BASE });
  console.log(`  ${name.padEnd(32)} ${(raw.length / 1024).toFixed(0).padStart(7)} KB  ${ms.toFixed(1).padStart(8)} ms`);
}
await ctx.close();
server.close();
for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
