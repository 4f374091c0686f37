// A tiny static file server for dist/ (Node standard library only).
//
//   node web/tests/static-server.mjs [--dir dist] [--port 8080] [--base /sendtrust/] [--host 127.0.0.1]
//
// Serves `dir` under `base` (a sub-path, to prove the build uses relative asset
// URLs). Used by the browser tests and by scripts/serve.sh.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.eml': 'message/rfc822',
};

/** Starts the server; resolves to { server, url } once listening. */
export async function serveStatic({ dir = 'dist', port = 0, base = '/', host = '127.0.0.1', log = false } = {}) {
  const root = resolve(dir);
  if (!base.startsWith('/')) base = '/' + base;
  if (!base.endsWith('/')) base += '/';
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (log) console.log(`${req.method} ${path}`);
    if (path + '/' === base) {
      res.writeHead(301, { location: base });
      return res.end();
    }
    if (!path.startsWith(base) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const { port: actual } = server.address();
  const shown = host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${shown}:${actual}${base}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await serveStatic({
    dir: arg('dir', 'dist'),
    port: Number(arg('port', '8080')),
    base: arg('base', '/'),
    host: arg('host', '127.0.0.1'),
    log: process.argv.includes('--log'),
  });
  console.log(`Sendtrust is served at ${url}  (Ctrl+C to stop)`);
}
