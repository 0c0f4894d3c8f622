/**
 * The fault-injection run (issue 11): submissions and decisions through the local runtime's HTTP
 * server while a share of the store, event, SMS and workflow calls fail (shared/adapters/faults.ts).
 * Every request is retried while it answers 503 (which must be problem+json with Retry-After),
 * as a client is asked to; anything else that is not a success is a failure of the run. Then the
 * faults stop, the outbox job runs, and the table is read whole (a Scan: fine for a check, never
 * in the product) for what must hold: no duplicate case, exactly one completion SMS per decided
 * case, a filing per denial, a default rating scheduled per decision, nothing left pending.
 *
 * Used by `npm run bench -- faults` (1,000 submissions and 1,000 decisions at 5%) and by
 * test/e2e/faults.test.ts (smaller numbers).
 */
import { Agent, request } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../infra/local/runtime';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { runOutbox } from '../shared/usecases/outbox';
import { fullSubmission } from '../test/support/fixtures';
import { runConcurrent, type Progress } from './lib';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A keep-alive client that also hands back the headers (Retry-After, Content-Type are checked). */
function client(baseUrl: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  return {
    request(method: string, path: string, body: string, headers: Record<string, string>): Promise<Reply> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: base.hostname,
            port: base.port,
            path,
            method,
            agent,
            headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                text: Buffer.concat(chunks).toString('utf8'),
              });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => {
      agent.destroy();
    },
  };
}

export interface FaultRunOptions {
  submissions: number;
  /** Cases accepted and decided, out of the submitted ones (every 4th denied). */
  decisions: number;
  concurrency: number;
  /** Wait before a retry (a client honouring Retry-After would wait that many seconds; scaled down here). */
  retryWaitMs?: number;
  progress?: (label: string, total: number) => Progress;
}

export interface FaultRunResult {
  requests: number;
  succeeded: number;
  unavailable: number;
  /** 503s without problem+json or without Retry-After. */
  badUnavailable: number;
  /** Answers that were neither a success nor a 503 (status and a short text). */
  otherFailures: { status: number; text: string }[];
  /** Requests that needed a retry, and the most tries one needed. */
  retried: number;
  maxTries: number;
  injected: number;
  injectedByKind: Record<string, number>;
  injectedByTarget: Record<string, number>;
  cases: number;
  duplicateCases: number;
  decided: number;
  lostSms: number;
  duplicateSms: number;
  missingFilings: number;
  missingRatingSchedules: number;
  pendingAfterJob: number;
  outboxJob: { items: number; done: number; failed: number };
}

const ITEM = 'ENV-EIA-FORM';
const materials = loadDefaultCatalog()
  .item(ITEM)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

export async function runFaultScenario(
  runtime: Runtime,
  window: string,
  options: FaultRunOptions,
): Promise<FaultRunResult> {
  const http = client(runtime.url, options.concurrency * 2);
  const result: FaultRunResult = {
    requests: 0,
    succeeded: 0,
    unavailable: 0,
    badUnavailable: 0,
    otherFailures: [],
    retried: 0,
    maxTries: 0,
    injected: 0,
    injectedByKind: {},
    injectedByTarget: {},
    cases: 0,
    duplicateCases: 0,
    decided: 0,
    lostSms: 0,
    duplicateSms: 0,
    missingFilings: 0,
    missingRatingSchedules: 0,
    pendingAfterJob: 0,
    outboxJob: { items: 0, done: 0, failed: 0 },
  };
  const auth = { authorization: `Bearer ${window}` };

  /** Sends until the answer is not a 503; undefined when it is something else that is not a success. */
  async function untilDone(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
    for (let tries = 1; ; tries++) {
      result.requests++;
      let res: Reply;
      try {
        res = await http.request(method, path, JSON.stringify(body), headers);
      } catch (error) {
        result.otherFailures.push({ status: 0, text: (error as Error).message });
        return undefined;
      }
      if (res.status < 300) {
        result.succeeded++;
        if (tries > 1) result.retried++;
        result.maxTries = Math.max(result.maxTries, tries);
        return res;
      }
      if (res.status !== 503) {
        result.otherFailures.push({ status: res.status, text: res.text.slice(0, 200) });
        return undefined;
      }
      result.unavailable++;
      if (
        res.headers['content-type'] !== 'application/problem+json' ||
        !res.headers['retry-after'] ||
        !res.text.includes('"status":503')
      )
        result.badUnavailable++;
      await new Promise((r) => setTimeout(r, options.retryWaitMs ?? 20));
    }
  }

  const caseNos: (string | undefined)[] = new Array(options.submissions);
  const submitBar = options.progress?.('submissions', options.submissions);
  await runConcurrent(
    options.concurrency,
    options.submissions,
    async (i) => {
      const res = await untilDone('POST', '/cases', fullSubmission(ITEM, materials), {
        'idempotency-key': `fault-run-${i}`,
      });
      caseNos[i] = res ? (JSON.parse(res.text) as { caseNo: string }).caseNo : undefined;
    },
    { progress: submitBar },
  );
  submitBar?.done();

  const toDecide = caseNos.slice(0, options.decisions).filter((c): c is string => !!c);
  const decisionOf = (i: number) =>
    i % 4 === 3 ? { decision: 'deny', reason: '材料不符合法定形式' } : { decision: 'approve' };
  const decided = new Map<string, 'approved' | 'denied'>();
  const decideBar = options.progress?.('decisions', toDecide.length);
  await runConcurrent(
    options.concurrency,
    toDecide.length,
    async (i) => {
      const caseNo = toDecide[i];
      if (!(await untilDone('POST', `/cases/${caseNo}/accept`, {}, auth))) return;
      const res = await untilDone('POST', `/cases/${caseNo}/decide`, decisionOf(i), auth);
      if (res) decided.set(caseNo, (JSON.parse(res.text) as { status: 'approved' | 'denied' }).status);
    },
    { progress: decideBar },
  );
  decideBar?.done();
  http.close();

  // The faults stop; what they left pending is carried out by the outbox job.
  const faults = runtime.faults;
  if (faults) {
    result.injected = faults.stats.injected;
    result.injectedByKind = { ...faults.stats.byKind };
    result.injectedByTarget = { ...faults.stats.byTarget };
    faults.rate = 0;
  }
  await runtime.events.settled();
  for (let round = 0; round < 5; round++) {
    const run = await runOutbox(runtime.deps, { all: true });
    result.outboxJob.items += run.items;
    result.outboxJob.done += run.done;
    result.outboxJob.failed += run.failed;
    await runtime.events.settled();
    if (run.items === 0) break;
  }

  await runtime.deps.outbox.idle();
  // What the table holds.
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await runtime.deps.db.send(
      new ScanCommand({ TableName: runtime.deps.tableName, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  const cases = items.filter((i) => i.entity === 'case');
  result.cases = cases.length;
  result.duplicateCases = cases.length - caseNos.filter(Boolean).length;
  result.pendingAfterJob = items.filter((i) => i.pepk !== undefined).length;
  const statusOf = new Map(cases.map((c) => [c.caseNo as string, c.status as string]));
  const decidedNow = [...statusOf].filter(([, s]) => s === 'approved' || s === 'denied').map(([c]) => c);
  result.decided = decidedNow.length;

  const sms = new Map<string, number>();
  for (const m of await runtime.deps.localSms!.outbox())
    if (m.kind === 'completion') sms.set(m.key, (sms.get(m.key) ?? 0) + 1);
  const filed = new Set(items.filter((i) => i.entity === 'denial').map((i) => i.caseNo as string));
  const rated = new Set(
    items.filter((i) => typeof i.pk === 'string' && i.pk.startsWith('RATEDUE#2')).map((i) => i.sk as string),
  );
  for (const caseNo of decidedNow) {
    const n = sms.get(`completion#${caseNo}`) ?? 0;
    if (n === 0) result.lostSms++;
    if (n > 1) result.duplicateSms += n - 1;
    if (statusOf.get(caseNo) === 'denied' && !filed.has(caseNo)) result.missingFilings++;
    if (!rated.has(caseNo)) result.missingRatingSchedules++;
  }
  return result;
}
