/**
 * `npm run bench [-- <name>...]`: runs the registered benchmarks (all, or those named),
 * prints a table per benchmark and writes bench/out/results.json.
 *
 * Exit code: 0 when every benchmark ran and its correctness checks held, whatever the aims
 * (a missed aim is reported, never fatal: machines are shared and noisy); 1 when a benchmark
 * threw or a check failed; 2 on a bad command line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  aimMet,
  describeAim,
  progressBar,
  renderTable,
  round,
  startQuietRuntime,
  type BenchContext,
  type Benchmark,
  type Check,
  type Figure,
  type Progress,
  type Row,
} from './lib';
import { BENCHMARKS } from './registry';

interface BenchOutcome {
  name: string;
  description: string;
  status: 'ok' | 'check-failed' | 'error';
  error?: string;
  durationMs: number;
  tables: { title: string; rows: Row[] }[];
  figures: Figure[];
  checks: Check[];
  data: Record<string, unknown>;
}

const out = (s = '') => process.stdout.write(`${s}\n`);
// The SDK's notice that Node 20 support ends (Lambda runs Node 22) is noise between the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function usage(): string {
  return [
    'usage: npm run bench [-- <name>...]     run every benchmark, or only those named',
    '       npm run bench -- --list           list the benchmarks',
    '',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(12)} ${b.description}`),
  ].join('\n');
}

function select(args: string[]): Benchmark[] | undefined {
  if (args.includes('--help') || args.includes('-h') || args.includes('--list')) {
    out(usage());
    return undefined;
  }
  const unknownFlags = args.filter((a) => a.startsWith('-'));
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknownFlags.length || unknown.length) {
    process.stderr.write(`unknown ${[...unknownFlags, ...unknown].join(', ')}\n\n${usage()}\n`);
    process.exit(2);
  }
  return names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : [...BENCHMARKS];
}

async function runOne(bench: Benchmark): Promise<BenchOutcome> {
  const outcome: BenchOutcome = {
    name: bench.name,
    description: bench.description,
    status: 'ok',
    durationMs: 0,
    tables: [],
    figures: [],
    checks: [],
    data: {},
  };
  const cleanups: (() => unknown)[] = [];
  const bars: Progress[] = [];
  const ctx: BenchContext = {
    name: bench.name,
    async startRuntime(options) {
      const runtime = await startQuietRuntime(options);
      cleanups.push(async () => {
        await runtime.stop();
        // Errors the handlers logged (a 5xx, say) are kept in results.json, not lost to the quiet logger.
        if (runtime.logger.errors)
          outcome.data.runtimeLogErrors = { count: runtime.logger.errors, last: runtime.logger.last };
      });
      return runtime;
    },
    table(title, rows) {
      outcome.tables.push({ title, rows });
      out(`\n  ${title}`);
      out(renderTable(rows));
    },
    figure(name, value, options = {}) {
      const unit = options.unit ?? '';
      const figure: Figure = {
        name,
        value,
        unit,
        aim: options.aim,
        met: aimMet(value, options.aim),
        detail: options.detail,
      };
      outcome.figures.push(figure);
      return figure;
    },
    ratio(name, measured, baseline, options = {}) {
      const value = measured / baseline;
      ctx.figure(name, value, { unit: '×', aim: options.aim, detail: options.detail });
      return value;
    },
    check(name, ok, detail) {
      outcome.checks.push({ name, ok, detail });
      return ok;
    },
    record(key, value) {
      outcome.data[key] = value;
    },
    log(message) {
      process.stderr.write(`  [${bench.name}] ${message}\n`);
    },
    progress(label, total) {
      const bar = progressBar(`  [${bench.name}] ${label}`, total);
      bars.push(bar);
      return bar;
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
  };

  out(`\n== ${bench.name}: ${bench.description}`);
  const started = performance.now();
  try {
    await bench.run(ctx);
  } catch (error) {
    for (const bar of bars) bar.done();
    outcome.status = 'error';
    outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    out(`\n  ERROR: ${outcome.error.split('\n').join('\n  ')}`);
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        process.stderr.write(
          `  [${bench.name}] cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
  }
  outcome.durationMs = performance.now() - started;
  if (outcome.status === 'ok' && outcome.checks.some((c) => !c.ok)) outcome.status = 'check-failed';

  if (outcome.figures.length) {
    out(`\n  ${bench.name}: figures and aims`);
    out(
      renderTable(
        outcome.figures.map((f) => ({
          figure: f.name,
          value: `${round(f.value, f.unit === '×' ? 2 : 1)}${f.unit === '×' ? '×' : f.unit ? ` ${f.unit}` : ''}`,
          aim: describeAim(f.aim, f.unit),
          met: f.met === undefined ? '-' : f.met ? 'yes' : 'MISSED',
          detail: f.detail,
        })),
      ),
    );
  }
  if (outcome.checks.length) {
    out(`\n  ${bench.name}: checks`);
    out(renderTable(outcome.checks.map((c) => ({ check: c.name, result: c.ok ? 'ok' : 'FAILED', detail: c.detail }))));
  }
  out(`\n  ${bench.name}: ${outcome.status} in ${(outcome.durationMs / 1000).toFixed(1)} s`);
  return outcome;
}

async function main(): Promise<void> {
  const selected = select(process.argv.slice(2));
  if (!selected) return;
  const startedAt = new Date();
  const host = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavg: loadavg().map((l) => round(l, 2)),
  };
  out(
    `OneWindow benchmarks: ${selected.map((b) => b.name).join(', ')} (node ${host.node}, ${host.cpus} CPUs, load ${host.loadavg.join(' ')})`,
  );
  out('Timing figures are ratios against a bare baseline measured in the same run; aims are reported, never fatal.');

  const outcomes: BenchOutcome[] = [];
  for (const bench of selected) outcomes.push(await runOne(bench));

  out('\n== summary');
  out(
    renderTable(
      outcomes.map((o) => ({
        benchmark: o.name,
        status: o.status,
        'aims met': o.figures.some((f) => f.aim)
          ? `${o.figures.filter((f) => f.met).length}/${o.figures.filter((f) => f.aim).length}`
          : '-',
        checks: o.checks.length ? `${o.checks.filter((c) => c.ok).length}/${o.checks.length}` : '-',
        seconds: round(o.durationMs / 1000, 1),
      })),
    ),
  );

  const dir = join(__dirname, 'out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), host, selected: selected.map((b) => b.name), benchmarks: outcomes }, null, 2)}\n`,
  );
  out(`\nwrote ${file}`);
  process.exitCode = outcomes.some((o) => o.status !== 'ok') ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  // Sockets kept alive by SDK clients or stray timers must not keep the process up.
  .finally(() => process.exit(process.exitCode ?? 0));
