/**
 * The built pages (web/dist) on the same origin as the API. Only the pages' own paths are
 * answered here: `/` (to the portal), `/portal/…`, `/console/…`, `/board/…` (the single-page
 * app's index.html), `/assets/…` (hashed files, cached for a year) and `/web-config.json`
 * (where the console signs in). Every other path falls through to the route table, so no page
 * path can shadow an API path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const PAGES_DIR = resolve(__dirname, '..', '..', 'web', 'dist');
/** The first path segment of every page route (web/src/router.ts). */
export const PAGE_PREFIXES = ['portal', 'console', 'board'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** The same headers CloudFront adds in AWS (infra/aws/web-hosting.ts). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export interface PagesOptions {
  dir?: string;
  /** What the pages read at /web-config.json: the OpenID provider the console signs in with. */
  webConfig: () => unknown;
}

interface Cached {
  body: Buffer;
  gzip?: Buffer;
  mtimeMs: number;
}

/** Returns a request hook: true when it answered (a page path), false to let the API answer. */
export function pagesHandler(options: PagesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const dir = options.dir ?? PAGES_DIR;
  const cache = new Map<string, Cached>();

  const read = (file: string): Cached => {
    const { mtimeMs } = statSync(file);
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const body = readFileSync(file);
    const compressible = /\.(js|css|html|json|svg)$/.test(file) && body.length > 1024;
    const entry = { body, mtimeMs, ...(compressible ? { gzip: gzipSync(body) } : {}) };
    cache.set(file, entry);
    return entry;
  };

  const sendFile = (req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string) => {
    const entry = read(file);
    const accepts = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const gzip = accepts ? entry.gzip : undefined;
    const body = gzip ?? entry.body;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': cacheControl,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const notBuilt = (res: ServerResponse) => {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' });
    res.end('页面尚未构建 (the pages are not built): run `npm run build:web`, or `npm start`, which builds them.\n');
  };

  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return false;
    const { pathname } = new URL(req.url ?? '/', 'http://local');
    if (pathname === '/') {
      res.writeHead(302, { location: '/portal/' });
      res.end();
      return true;
    }
    if (pathname === '/web-config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-cache' });
      res.end(JSON.stringify(options.webConfig()));
      return true;
    }
    const first = pathname.split('/')[1] ?? '';
    if (first === 'assets' || pathname === '/favicon.svg') {
      const file = normalize(join(dir, decodeURIComponent(pathname)));
      if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found\n');
        return true;
      }
      sendFile(req, res, file, 'public, max-age=31536000, immutable');
      return true;
    }
    if ((PAGE_PREFIXES as readonly string[]).includes(first)) {
      const index = join(dir, 'index.html');
      if (!existsSync(index)) notBuilt(res);
      else sendFile(req, res, index, 'no-cache');
      return true;
    }
    return false;
  };
}
