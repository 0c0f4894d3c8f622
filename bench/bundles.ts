/**
 * The size of every function's deployment bundle, built with esbuild exactly as the CDK
 * NodejsFunction bundles it (infra/aws/onewindow-function.ts): bundle, minify, source map,
 * platform node, target node22, cjs, @aws-sdk/* external (the Lambda runtime provides it),
 * metafile. The aim is absolute (250 KB minified each): size does not depend on a noisy machine.
 */
import { build, type BuildResult, type Metafile } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FUNCTIONS } from '../infra/routes';
import { round, type Benchmark, type Row } from './lib';

const REPO_ROOT = join(__dirname, '..');
const AIM_KB = 250;
const TOP_INPUTS = 5;

/** Mirrors the `bundling` props of OneWindowFunction; the drift guard below warns when they change. */
export const BUNDLING = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['@aws-sdk/*'],
  charset: 'utf8',
  metafile: true,
} as const;

const CDK_MARKERS = [
  'minify: true',
  'sourceMap: true',
  "target: 'node22'",
  'format: OutputFormat.CJS',
  "externalModules: ['@aws-sdk/*']",
  'charset: Charset.UTF8',
];

export const bundles: Benchmark = {
  name: 'bundles',
  description: `minified size of every function's bundle (esbuild, the CDK options), aim ≤ ${AIM_KB} KB each`,
  async run(ctx) {
    const cdkSource = readFileSync(join(REPO_ROOT, 'infra/aws/onewindow-function.ts'), 'utf8');
    const drift = CDK_MARKERS.filter((m) => !cdkSource.includes(m));
    if (drift.length)
      ctx.log(
        `warning: infra/aws/onewindow-function.ts no longer says ${drift.join(', ')}; update BUNDLING in bench/bundles.ts`,
      );

    const outDir = mkdtempSync(join(tmpdir(), 'onewindow-bundles-'));
    ctx.onCleanup(() => {
      rmSync(outDir, { recursive: true, force: true });
    });

    const sizes: Row[] = [];
    const inputs: Row[] = [];
    for (const fn of FUNCTIONS) {
      const outfile = join(outDir, fn, 'index.js');
      let result: BuildResult<{ metafile: true }>;
      try {
        result = await build({
          ...BUNDLING,
          external: [...BUNDLING.external],
          entryPoints: [join(REPO_ROOT, 'functions', fn, 'lambda.ts')],
          outfile,
          absWorkingDir: REPO_ROOT,
          logLevel: 'silent',
        });
      } catch (error) {
        // One function that does not build must not hide the others' sizes; it still fails the run.
        const message = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
          .errors?.[0];
        const where = message?.location ? `${message.location.file}:${message.location.line}: ` : '';
        ctx.check(
          `${fn}: esbuild bundles functions/${fn}/lambda.ts`,
          false,
          message ? `${where}${message.text}` : String(error),
        );
        sizes.push({ function: fn, 'minified KB': null, met: 'BUILD FAILED' });
        continue;
      }
      const bytes = statSync(outfile).size;
      const kb = bytes / 1024;
      const gzipKb = gzipSync(readFileSync(outfile)).length / 1024;
      const mapKb = statSync(`${outfile}.map`).size / 1024;
      const figure = ctx.figure(`${fn}: minified bundle`, kb, { unit: 'KB', aim: { max: AIM_KB } });
      const byPackage = groupInputs(result.metafile, outfile);
      sizes.push({
        function: fn,
        'minified KB': round(kb, 1),
        'gzip KB': round(gzipKb, 1),
        'source map KB': round(mapKb, 0),
        'input files': Object.keys(result.metafile.inputs).length,
        aim: `≤ ${AIM_KB} KB`,
        met: figure.met ? 'yes' : 'MISSED',
      });
      inputs.push({
        function: fn,
        [`biggest inputs, KB (share of the bundle)`]: byPackage
          .slice(0, TOP_INPUTS)
          .map(([name, b]) => `${name} ${round(b / 1024, 1)} (${round((100 * b) / bytes, 0)}%)`)
          .join(', '),
      });
      ctx.record(fn, { bytes, gzipBytes: Math.round(gzipKb * 1024), inputs: Object.fromEntries(byPackage) });
    }
    ctx.table('Bundle size per function (esbuild, minified, @aws-sdk/* external)', sizes);
    ctx.table(
      `Biggest inputs per function, from the metafile (by npm package; the project's own code by folder)`,
      inputs,
    );
  },
};

/** Bytes in the output per package (node_modules/<pkg>) or, for the project's own code, per top folder. */
function groupInputs(metafile: Metafile, outfile: string): [string, number][] {
  const output =
    Object.entries(metafile.outputs).find(
      ([path]) => relative(REPO_ROOT, join(REPO_ROOT, path)) === relative(REPO_ROOT, outfile),
    )?.[1] ?? Object.values(metafile.outputs).find((o) => o.entryPoint);
  if (!output) return [];
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = packageOf(path);
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function packageOf(path: string): string {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const next = parts.at(at + 1);
    const name = next?.startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : next;
    return name ?? path;
  }
  return parts.length > 1 ? `${parts[0]}/${parts.length > 2 ? parts[1] + '/' : ''}` : path;
}
