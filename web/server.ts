// npm run web: serves the static site (dist/site, npm run build:web) on
// 127.0.0.1, with the headers that make the page cross-origin isolated, so
// that guest memory is a growable shared WebAssembly memory:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// --no-isolation leaves them out (the page then runs on its fixed 256 MiB
// memory, as on a static host that cannot send headers).

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SITE_DIR } from './build.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `dir` on 127.0.0.1:port (0: any free port); isolation: the COOP/COEP headers. */
export function serveSite(opts: { port?: number; isolation?: boolean; dir?: string } = {}): Promise<WebServer> {
  const dir = path.resolve(opts.dir ?? SITE_DIR);
  const isolation = opts.isolation ?? true;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      const headers: Record<string, string | number> = {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
      };
      if (isolation) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${addr.port}/`,
        close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, 'no-isolation': { type: 'boolean' } } });
  if (!fs.existsSync(path.join(SITE_DIR, 'index.html'))) {
    console.error(`embox web: ${SITE_DIR} is not built (npm run build:web)`);
    process.exit(1);
  }
  const s = await serveSite({ port: Number(values.port), isolation: !values['no-isolation'] });
  console.log(`embox web: ${s.url}${values['no-isolation'] ? ' (without cross-origin isolation: fixed memory)' : ''}`);
}
