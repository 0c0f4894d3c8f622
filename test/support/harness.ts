/**
 * Test harness: the local runtime in this process (dynalite in memory, or the engine that
 * ONEWINDOW_DYNAMO_ENGINE names: ./engine.ts; the same handlers, a real HTTP server on
 * 127.0.0.1), plus helpers to call it and to look at the table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { memoryLogger } from '../../shared/adapters/logger';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../infra/local/runtime';
import { engineRuntimeOptions } from './engine';

export interface Harness extends Runtime {
  logs: string[];
  call(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string },
  ): Promise<HttpReply>;
  /** Runs a scheduled job of a function the way its schedule would. */
  runJob(fn: string, job: string): Promise<any>;
  /** The X-Query-Code header that opens a case submitted through this harness (its receipt's query code). */
  asApplicant(caseNo: string): Record<string, string>;
  /**
   * Asks for a one-time code for the case (POST /cases/{caseNo}/one-time-code), reads it from the
   * SMS outbox and returns the X-One-Time-Code header. The local clock moves on a minute first,
   * so that the per-phone limit (1 a minute) lets it through.
   */
  withOneTimeCode(caseNo: string): Promise<Record<string, string>>;
  /** Every item in the table: for asserting "nothing was written" (a Scan is fine in a test, never in the product). */
  allItems(): Promise<Record<string, unknown>[]>;
}

export interface HttpReply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function startHarness(options: Partial<RuntimeOptions> = {}): Promise<Harness> {
  const logger = memoryLogger();
  const runtime = await startRuntime({
    dataDir: null,
    logger,
    ...engineRuntimeOptions(options.dataDir ?? null),
    ...options,
    // Public writes are not counted per client unless a test asks (test/integration/one-time-codes.test.ts):
    // suites that assert "nothing was written" or submit many cases at once would see the counter.
    env: { CLIENT_WRITE_LIMIT: 'off', ...options.env },
  });
  const codes = new Map<string, string>();
  return {
    ...runtime,
    logs: logger.lines,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers,
        body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      if (body && typeof body.caseNo === 'string' && typeof body.queryCode === 'string')
        codes.set(body.caseNo, body.queryCode);
      return { status: res.status, headers: res.headers, body, text };
    },
    asApplicant(caseNo) {
      const code = codes.get(caseNo);
      if (!code) throw new Error(`no query code seen for case ${caseNo}`);
      return { 'x-query-code': code };
    },
    async withOneTimeCode(caseNo) {
      runtime.clock.advance(61_000);
      const asked = await fetch(`${runtime.url}/cases/${caseNo}/one-time-code`, { method: 'POST' });
      if (asked.status !== 202) throw new Error(`one-time code for ${caseNo}: ${asked.status} ${await asked.text()}`);
      const outbox = await runtime.deps.localSms!.outbox();
      const sms = outbox.filter((m) => m.kind === 'one-time-code' && m.text.includes(caseNo)).at(-1);
      const code = sms && /验证码(\d{6})/.exec(sms.text)?.[1];
      if (!code) throw new Error(`no one-time code for ${caseNo} in the outbox`);
      return { 'x-one-time-code': code };
    },
    async runJob(fn, job) {
      const { LOCAL_FUNCTIONS } = await import('../../infra/local/functions');
      const handler = (LOCAL_FUNCTIONS as Record<string, (d: unknown) => (e: unknown, c: unknown) => Promise<unknown>>)[
        fn
      ](runtime.deps);
      return handler({ job }, { functionName: fn, getRemainingTimeInMillis: () => 30_000 });
    },
    async allItems() {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await runtime.deps.db.send(
          new ScanCommand({ TableName: runtime.deps.tableName, ExclusiveStartKey: start }),
        );
        out.push(...((page.Items ?? []) as Record<string, unknown>[]));
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    },
  };
}
