/**
 * Cold start (issue 16): the time for a whole Node process to load each function's bundle (built
 * as the CDK builds it, bench/bundles.ts BUNDLING) and finish its wiring (awsDeps with the
 * environment the stack gives, no network at init), against a process that loads only the AWS
 * SDK clients that bundle requires (the Lambda runtime provides @aws-sdk/*; the bundle
 * `require`s them). Both include Node's own start, as a Lambda cold start does. Interleaved
 * rounds, p50 ratio per function; aim ≤ 1.3×.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { FUNCTIONS } from '../infra/routes';
import { BUNDLING } from './bundles';
import { latencyStats, round, type Benchmark, type Row } from './lib';

const REPO_ROOT = join(__dirname, '..');
const ROUNDS = 11;
const AIM = 1.3;

/** What the stack puts in every function's environment, with values that need no network at init. */
const ENVIRONMENT: Record<string, string> = {
  TABLE_NAME: 'OneWindowMain',
  JWT_ISSUER: 'https://idp.example.invalid',
  JWT_AUDIENCE: 'onewindow',
  JWT_JWKS_URL: 'https://idp.example.invalid/jwks',
  PII_HASH_KEY: 'bench-only-key-of-32-characters!',
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:review',
  EVENT_BUS_NAME: 'default',
};

function timeProcess(script: string): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...ENVIRONMENT },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`${script} exited ${out.status}: ${out.stderr.slice(0, 400)}`);
  return ms;
}

export const coldstart: Benchmark = {
  name: 'coldstart',
  description: `a whole process loading each function's bundle and its wiring vs one loading only its AWS SDK clients, aim ≤ ${AIM}×`,
  async run(ctx) {
    const dir = mkdtempSync(join(tmpdir(), 'onewindow-coldstart-'));
    ctx.onCleanup(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const rows: Row[] = [];
    const progress = ctx.progress('cold starts', FUNCTIONS.length * ROUNDS);
    for (const fn of FUNCTIONS) {
      const bundle = join(dir, fn, 'index.js');
      mkdirSync(join(dir, fn), { recursive: true });
      await build({
        ...BUNDLING,
        external: [...BUNDLING.external],
        entryPoints: [join(REPO_ROOT, 'functions', fn, 'lambda.ts')],
        outfile: bundle,
        absWorkingDir: REPO_ROOT,
        logLevel: 'silent',
      });
      const sdk = [
        ...new Set([...readFileSync(bundle, 'utf8').matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1])),
      ].sort();
      const loadBundle = join(dir, fn, 'load-bundle.js');
      const loadSdk = join(dir, fn, 'load-sdk.js');
      // The bundle's wiring starts as it loads; the process ends once it has settled.
      writeFileSync(
        loadBundle,
        `const m = require(${JSON.stringify(bundle)}); if (typeof m.handler !== 'function') process.exit(3);\n`,
      );
      writeFileSync(loadSdk, sdk.map((s) => `require(${JSON.stringify(s)});`).join('\n') + '\n');
      timeProcess(loadBundle); // warm the file cache
      timeProcess(loadSdk);
      const bundleMs: number[] = [];
      const sdkMs: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        sdkMs.push(timeProcess(loadSdk));
        bundleMs.push(timeProcess(loadBundle));
        progress.tick();
      }
      const b = latencyStats(bundleMs);
      const s = latencyStats(sdkMs);
      const ratio = ctx.ratio(`${fn}: cold start vs its SDK clients alone`, b.p50, s.p50, { aim: { max: AIM } });
      rows.push({
        function: fn,
        'SDK clients': sdk.map((x) => x.replace('@aws-sdk/', '')).join(', '),
        'bundle p50 ms': round(b.p50, 0),
        'SDK alone p50 ms': round(s.p50, 0),
        ratio: round(ratio, 2),
        met: ratio <= AIM ? 'yes' : 'MISSED',
      });
    }
    progress.done();
    ctx.table(`Cold start, a whole process, p50 of ${ROUNDS} interleaved rounds`, rows);
  },
};
