/**
 * `npm run build:web` (and `npm start`, `npm test`, `npm run bench` before they need the pages):
 * builds web/dist with Vite unless it is already built from the same sources. The sources'
 * hash is kept in web/dist/.source-hash; a lock directory keeps two callers (parallel test
 * workers) from building at once. Offline: Vite and every library come from node_modules.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DIST = join(ROOT, 'web', 'dist');
const LOCK = join(ROOT, 'web', '.build-lock');
/** What the pages are built from: their own sources, and the API code and data they import. */
const INPUTS = [
  'web/src',
  'web/index.html',
  'web/public',
  'web/vite.config.mts',
  'package-lock.json',
  'shared/domain',
  'shared/http',
  'functions',
  'catalog/departments.json',
];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash.update(relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

function isFresh(hash: string): boolean {
  const file = join(DIST, '.source-hash');
  return existsSync(join(DIST, 'index.html')) && existsSync(file) && readFileSync(file, 'utf8') === hash;
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than 5 minutes was left by a build that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true });
      if (Date.now() - started > 600_000) throw new Error('waited 10 minutes for another build of the pages');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function buildPages(options: { force?: boolean } = {}): Promise<{ built: boolean; ms: number }> {
  const started = Date.now();
  return withLock(async () => {
    const hash = sourceHash();
    if (!options.force && isFresh(hash)) return { built: false, ms: Date.now() - started };
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web', 'vite.config.mts'), logLevel: 'warn' });
    writeFileSync(join(DIST, '.source-hash'), hash);
    return { built: true, ms: Date.now() - started };
  });
}

if (require.main === module) {
  buildPages({ force: process.argv.includes('--force') })
    .then(({ built, ms }) => {
      console.error(built ? `pages built in web/dist (${(ms / 1000).toFixed(1)} s)` : 'pages up to date in web/dist');
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}
