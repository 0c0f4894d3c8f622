/**
 * The benchmark toolkit: what a benchmark is (`Benchmark`), what it gets to work with
 * (`BenchContext`), and the small helpers every benchmark needs: latency statistics, a
 * concurrency pool, a progress bar on stderr, a keep-alive HTTP client and the local
 * runtime started in memory with a quiet logger.
 *
 * Figures are ratios against a bare baseline measured in the same run (the machines are
 * shared and noisy), never absolute timing thresholds. A missed aim is reported, never an
 * error; a failed correctness check (`ctx.check`) or a thrown error fails the run.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../shared/adapters/logger';
import type { Runtime, RuntimeOptions } from '../infra/local/runtime';

// ---------------------------------------------------------------------------------------
// What a benchmark is

export interface Benchmark {
  /** Lower-case name, used on the command line: `npm run bench -- <name>`. */
  name: string;
  /** One line: what is measured against what. */
  description: string;
  run(ctx: BenchContext): Promise<void>;
}

/** An aim is met when the value is at most `max` and at least `min` (whichever are given). */
export interface Aim {
  max?: number;
  min?: number;
}

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface Figure {
  name: string;
  value: number;
  unit: string;
  aim?: Aim;
  /** undefined when there is no aim */
  met?: boolean;
  detail?: string;
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface BenchContext {
  /** The benchmark's name. */
  readonly name: string;
  /**
   * The local runtime (dynalite, tables, the same handlers behind a local HTTP server), in
   * memory with a quiet logger; stopped automatically when the benchmark ends. For bare
   * baselines use `runtime.deps.db` (the DocumentClient) and `runtime.deps.tableName`.
   */
  startRuntime(options?: Partial<RuntimeOptions>): Promise<Runtime>;
  /** Prints a table now (stdout) and keeps it for results.json. */
  table(title: string, rows: Row[]): void;
  /** A figure, with an optional aim: printed in the benchmark's summary; a missed aim never fails the run. */
  figure(name: string, value: number, options?: { unit?: string; aim?: Aim; detail?: string }): Figure;
  /** `measured / baseline` as a figure (unit ×), with an optional aim. Returns the ratio. */
  ratio(name: string, measured: number, baseline: number, options?: { aim?: Aim; detail?: string }): number;
  /** A correctness check (no duplicates, no errors...): a failed check fails the run (exit 1). */
  check(name: string, ok: boolean, detail?: string): boolean;
  /** Anything else worth keeping in results.json under this benchmark's `data`. */
  record(key: string, value: unknown): void;
  /** A line on stderr (does not mix with the tables on stdout). */
  log(message: string): void;
  /** A progress bar on stderr for long loads. */
  progress(label: string, total: number): Progress;
  /** Runs when the benchmark ends (after success or failure), in reverse order of registration. */
  onCleanup(fn: () => unknown): void;
}

// ---------------------------------------------------------------------------------------
// Latency statistics

export interface LatencyStats {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : NaN,
    min: sorted.length ? sorted[0] : NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

// ---------------------------------------------------------------------------------------
// Concurrency pool

export interface ConcurrentResult {
  /** Milliseconds per successful operation, in completion order. */
  latencies: number[];
  stats: LatencyStats;
  /** Wall time of the whole run, ms. */
  durationMs: number;
  /** Successful operations per second of wall time. */
  throughput: number;
  /** Operations that threw. */
  errors: number;
  /** The first few error messages. */
  errorSamples: string[];
}

/**
 * Runs `fn(0)`..`fn(total - 1)` with at most `concurrency` in flight and times each one.
 * An operation that throws counts as an error (its latency is not counted) and the run goes on.
 * `progress` is ticked once per operation (one bar may span several runs).
 */
export async function runConcurrent(
  concurrency: number,
  total: number,
  fn: (i: number) => Promise<unknown>,
  options: { progress?: Progress } = {},
): Promise<ConcurrentResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      try {
        await fn(i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error));
      }
      options.progress?.tick();
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, worker));
  const durationMs = performance.now() - started;
  return {
    latencies,
    stats: latencyStats(latencies),
    durationMs,
    throughput: latencies.length / (durationMs / 1000),
    errors,
    errorSamples,
  };
}

/** Merges runs of the same operation (e.g. interleaved rounds): latencies pooled, throughput over total time. */
export function mergeRuns(runs: readonly ConcurrentResult[]): ConcurrentResult {
  const latencies = runs.flatMap((r) => r.latencies);
  const durationMs = runs.reduce((a, r) => a + r.durationMs, 0);
  return {
    latencies,
    stats: latencyStats(latencies),
    durationMs,
    throughput: latencies.length / (durationMs / 1000),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 5),
  };
}

/** A table row for a run: ops, throughput and latency percentiles. */
export function runRow(label: string, r: ConcurrentResult, extra: Row = {}): Row {
  return {
    run: label,
    ops: r.stats.count,
    'ops/s': round(r.throughput, 0),
    'p50 ms': round(r.stats.p50, 2),
    'p90 ms': round(r.stats.p90, 2),
    'p99 ms': round(r.stats.p99, 2),
    'max ms': round(r.stats.max, 1),
    errors: r.errors,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------
// Progress bar (stderr)

/** Ticks up to `total`; the bar finishes itself on reaching it (or on `done()`, e.g. after errors or an early stop). */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const width = 30;
  const started = performance.now();
  let count = 0;
  let lastDraw = 0;
  let lastQuarter = 0;
  let finished = false;
  const tty = (stream.isTTY as boolean | undefined) ?? false; // undefined when not a terminal
  const line = () => {
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const filled = Math.round(frac * width);
    const secs = (performance.now() - started) / 1000;
    const rate = secs > 0 ? count / secs : 0;
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${(frac * 100).toFixed(0)}% ${rate.toFixed(0)}/s ${secs.toFixed(1)}s`;
  };
  return {
    tick(n = 1) {
      if (finished) return;
      count += n;
      if (count >= total) {
        this.done();
        return;
      }
      if (tty) {
        const now = performance.now();
        if (now - lastDraw > 100) {
          lastDraw = now;
          stream.write(`\r${line()}\x1b[K`);
        }
      } else {
        // Not a terminal (CI, a log file): a line at each quarter, no carriage returns.
        const quarter = total > 0 ? Math.floor((count / total) * 4) : 4;
        if (quarter > lastQuarter && quarter < 4) {
          lastQuarter = quarter;
          stream.write(`${line()}\n`);
        }
      }
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write(tty ? `\r${line()}\x1b[K\n` : `${line()}\n`);
    },
  };
}

// ---------------------------------------------------------------------------------------
// HTTP with keep-alive

export interface HttpReply {
  status: number;
  text: string;
  /** The body parsed as JSON; the caller says what it expects (`res.json() as { caseNo: string }`). */
  json(): unknown;
}

export interface HttpClient {
  request(
    method: string,
    path: string,
    options?: { body?: string; headers?: Record<string, string> },
  ): Promise<HttpReply>;
  close(): void;
}

/** A node:http client that keeps up to `maxSockets` connections alive to one origin (lighter than fetch). */
export function httpClient(baseUrl: string, maxSockets = 64): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  return {
    request(method, path, options = {}) {
      return new Promise<HttpReply>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...options.headers };
        if (options.body !== undefined) {
          headers['content-type'] ??= 'application/json';
          headers['content-length'] = Buffer.byteLength(options.body);
        }
        const req = request({ host: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
          });
        });
        req.on('error', reject);
        req.end(options.body);
      });
    },
    close: () => {
      agent.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------
// The local runtime, quiet

/** Drops info lines; keeps a count of warnings and errors and the last few, to surface in results. */
export function quietLogger(): Logger & { warnings: number; errors: number; last: string[] } {
  const keep = (level: string, message: string, attributes?: Record<string, unknown>) => {
    logger.last.push(`${level} ${message} ${attributes ? JSON.stringify(attributes) : ''}`.trim());
    if (logger.last.length > 5) logger.last.shift();
  };
  const logger = {
    warnings: 0,
    errors: 0,
    last: [] as string[],
    info: () => undefined,
    warn: (m: string, a?: Record<string, unknown>) => {
      logger.warnings++;
      keep('WARN', m, a);
    },
    error: (m: string, a?: Record<string, unknown>) => {
      logger.errors++;
      keep('ERROR', m, a);
    },
  };
  return logger;
}

/** startRuntime({ dataDir: null, logger: quiet }) with any other option passed through. */
export async function startQuietRuntime(
  options: Partial<RuntimeOptions> = {},
): Promise<Runtime & { logger: ReturnType<typeof quietLogger> }> {
  const logger = quietLogger();
  // Loaded on first use: a benchmark that needs no runtime (bundles, --list) runs even while the tree is mid-edit.
  const { startRuntime } = await import('../infra/local/runtime');
  // Public writes are still counted per client (so their cost is in the figures), but never refused:
  // every benchmark's load comes from one address.
  const runtime = await startRuntime({
    dataDir: null,
    logger,
    ...options,
    env: { CLIENT_WRITE_LIMIT: '1000000000/1m', ...options.env },
  });
  return { ...runtime, logger };
}

// ---------------------------------------------------------------------------------------
// Formatting

export function round(n: number, digits = 2): number {
  if (!Number.isFinite(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function describeAim(aim: Aim | undefined, unit: string): string {
  if (!aim) return '-';
  const u = unit === '×' ? '×' : unit ? ` ${unit}` : '';
  const parts: string[] = [];
  if (aim.max !== undefined) parts.push(`≤ ${aim.max}${u}`);
  if (aim.min !== undefined) parts.push(`≥ ${aim.min}${u}`);
  return parts.join(' and ');
}

export function aimMet(value: number, aim: Aim | undefined): boolean | undefined {
  if (!aim) return undefined;
  if (!Number.isFinite(value)) return false;
  return (aim.max === undefined || value <= aim.max) && (aim.min === undefined || value >= aim.min);
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number')
    return Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString('en-US') : String(v);
  return v;
}

/** Display width: CJK and full-width characters take two columns. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return w;
}

/** A plain-text table: columns are the union of the rows' keys, numbers right-aligned. */
export function renderTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '  (no rows)';
  const empty = (v: Cell) => v === undefined || v === null || v === '';
  // Columns: the union of the rows' keys, minus those empty in every row.
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => !empty(r[c])));
  const texts = rows.map((r) => columns.map((c) => cellText(r[c])));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...texts.map((t) => displayWidth(t[i]))));
  const numeric = columns.map((c) => rows.every((r) => empty(r[c]) || typeof r[c] === 'number'));
  const pad = (s: string, i: number) => {
    const gap = ' '.repeat(widths[i] - displayWidth(s));
    return numeric[i] ? gap + s : s + gap;
  };
  const line = (cells: string[]) => `  ${cells.map(pad).join('  ')}`.trimEnd();
  return [line(columns), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...texts.map(line)].join('\n');
}

const counters = new WeakMap<DynamoDBDocumentClient, ReturnType<typeof makeCounter>>();

/** Counts the commands a DocumentClient sends, by name, between start() and stop() (one middleware per client). */
export function commandCounter(db: DynamoDBDocumentClient) {
  let c = counters.get(db);
  if (!c) counters.set(db, (c = makeCounter(db)));
  return c;
}

function makeCounter(db: DynamoDBDocumentClient) {
  const counts = new Map<string, number>();
  const state = { on: false };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (state.on) {
        const name = (context as { commandName?: string }).commandName ?? 'unknown';
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandCounter' },
  );
  return {
    start: () => {
      counts.clear();
      state.on = true;
    },
    stop: () => {
      state.on = false;
      return Object.fromEntries(counts);
    },
  };
}

/** BatchWriteItem in 25s, `concurrency` batches in flight, unprocessed items retried; ticks `onItems`. */
export async function batchLoad(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: (i: number) => Record<string, unknown>,
  total: number,
  onItems: (n: number) => void,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const start = next;
      next = Math.min(total, next + 25);
      let requests = Array.from({ length: next - start }, (_, k) => ({ PutRequest: { Item: items(start + k) } }));
      while (requests.length) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        const left = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        onItems(requests.length - left.length);
        requests = left;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
