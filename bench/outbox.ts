/**
 * The outbox and faults (issue 11), four measures:
 *
 * 1. The decision path with the outbox vs without, p50 ratio in the same run: decideCase as it
 *    is (the decision's effects recorded in its conditional PutItem, carried out, then taken off
 *    the item with one UpdateItem) against the old path (the PutItem, then the filing, the rating
 *    schedule and the publish as separate calls), both on the same dynalite with the same
 *    stand-in for PutEvents (accepted at once), on accepted ENV-EIA-FORM cases, interleaved
 *    rounds at c=8. Aim ≤ 1.2×.
 * 2. The fault-injection run (bench/fault-run.ts): 1,000 submissions and 1,000 decisions over
 *    HTTP with 5% of the store, event, SMS and workflow calls failing; its counts.
 * 3. The outbox job over 1,000 pending effects (decided cases whose case.decided was never
 *    published): time, and requests per effect (store requests and publishes).
 * 4. Decisions on 5-department joint cases (MKT-ENTERPRISE-JOINT) at c=32: conditional writes
 *    refused per decision. Aim ≤ 0.5.
 */
import { performance } from 'node:perf_hooks';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent, Events } from '../shared/adapters/events';
import { FaultInjector, countConditionalRefusals } from '../shared/adapters/faults';
import type { Actor } from '../shared/domain/case';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { decide } from '../shared/domain/lifecycle';
import { taskIdOf } from '../shared/domain/review';
import { keys } from '../shared/store/keys';
import { outboxAttributes, PENDING_SHARDS } from '../shared/store/outbox-repository';
import { actOnCase } from '../shared/usecases/case-actions';
import { fileDenialIfDenied } from '../shared/usecases/decisions';
import { runOutbox } from '../shared/usecases/outbox';
import { scheduleDefaultRating } from '../shared/usecases/ratings';
import { decideCase } from '../shared/usecases/window';
import { fullSubmission } from '../test/support/fixtures';
import { runFaultScenario } from './fault-run';
import { commandCounter, httpClient, latencyStats, round, runConcurrent, type Benchmark, type HttpClient } from './lib';

const CLOCK = '2026-09-28T09:00:00+08:00';
const ITEM = 'ENV-EIA-FORM';
const JOINT = 'MKT-ENTERPRISE-JOINT';
const ROUNDS = 4;
const PER_ROUND = 100;
const FAULT_SUBMISSIONS = 1000;
const FAULT_DECISIONS = 1000;
const PENDING = 1000;
const JOINT_CASES = 100;

const catalog = loadDefaultCatalog();
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);

/** PutEvents as AWS answers it (accepted, nothing handled in this process): the same for both paths. */
const acceptedEvents = (): Events & { count: number } => {
  const e = {
    count: 0,
    publish(_event: DomainEvent) {
      e.count++;
      return Promise.resolve();
    },
  };
  return e;
};

async function acceptedCases(http: HttpClient, token: string, n: number, item = ITEM, c = 16): Promise<string[]> {
  const out: string[] = new Array(n);
  const auth = { authorization: `Bearer ${token}` };
  const r = await runConcurrent(c, n, async (i) => {
    const s = await http.request('POST', '/cases', { body: JSON.stringify(fullSubmission(item, materialsOf(item))) });
    if (s.status !== 201) throw new Error(`submit answered ${s.status}: ${s.text.slice(0, 200)}`);
    const caseNo = (s.json() as { caseNo: string }).caseNo;
    const a = await http.request('POST', `/cases/${caseNo}/accept`, { body: '{}', headers: auth });
    if (a.status !== 200) throw new Error(`accept answered ${a.status}: ${a.text.slice(0, 200)}`);
    out[i] = caseNo;
  });
  if (r.errors) throw new Error(`preparing cases: ${r.errorSamples.join('; ')}`);
  return out;
}

export const outbox: Benchmark = {
  name: 'outbox',
  description:
    'decision path with the outbox vs without (p50); 1,000 submissions + 1,000 decisions at 5% faults; the job over 1,000 pending effects; 5-department joint decisions at c=32 (refused writes)',
  async run(ctx) {
    // -- 1. The decision path, with and without the outbox.
    {
      const runtime = await ctx.startRuntime({ clockStart: CLOCK });
      const http = httpClient(runtime.url, 32);
      ctx.onCleanup(() => {
        http.close();
      });
      const staffToken = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
      const staff: Actor = { id: 'env-a1', role: 'window', department: 'ENV' };
      const bar = ctx.progress('accepted cases for the decision path', ROUNDS * PER_ROUND * 2);
      const cases = await acceptedCases(http, staffToken, ROUNDS * PER_ROUND * 2);
      bar.done();
      const events = acceptedEvents();
      const deps = { ...runtime.deps, events };
      const input = (i: number) =>
        i % 4 === 3 ? { decision: 'deny' as const, reason: '材料不符合法定形式' } : { decision: 'approve' as const };
      const withOutbox: number[] = [];
      const without: number[] = [];
      const counter = commandCounter(runtime.deps.db);
      const requests = { with: 0, without: 0 };
      let next = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const path of round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
          const batch = cases.slice(next, next + PER_ROUND);
          next += PER_ROUND;
          counter.start();
          const r = await runConcurrent(8, batch.length, async (i) => {
            if (path === 'with') await decideCase(batch[i], input(i), staff, deps);
            else {
              const { after } = await actOnCase(batch[i], { staff }, (c, cx) => decide(c, input(i), cx), deps);
              await fileDenialIfDenied(after, deps);
              await scheduleDefaultRating(after, deps);
              await events.publish({ type: 'case.decided', caseNo: after.caseNo });
            }
          });
          const counts = counter.stop();
          if (r.errors) throw new Error(`decisions (${path}): ${r.errorSamples.join('; ')}`);
          (path === 'with' ? withOutbox : without).push(...r.latencies);
          requests[path] += sum(counts);
        }
      }
      const w = latencyStats(withOutbox);
      const wo = latencyStats(without);
      ctx.table('the decision path (decideCase, c=8, same stand-in PutEvents)', [
        {
          path: 'with the outbox',
          n: w.count,
          p50: round(w.p50),
          p90: round(w.p90),
          'store requests/decision': round(requests.with / w.count),
        },
        {
          path: 'without (old)',
          n: wo.count,
          p50: round(wo.p50),
          p90: round(wo.p90),
          'store requests/decision': round(requests.without / wo.count),
        },
      ]);
      ctx.ratio('decision p50, with the outbox / without', w.p50, wo.p50, {
        aim: { max: 1.2 },
        detail: `${round(w.p50)} ms vs ${round(wo.p50)} ms`,
      });
      ctx.record('decisionPath', { with: w, without: wo, requests });
    }

    // -- 2. The fault-injection run.
    {
      const faults = new FaultInjector({ rate: 0.05, seed: 20261204 });
      const runtime = await ctx.startRuntime({ clockStart: CLOCK, faults });
      const window = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
      const t0 = performance.now();
      const r = await runFaultScenario(runtime, window, {
        submissions: FAULT_SUBMISSIONS,
        decisions: FAULT_DECISIONS,
        concurrency: 16,
        progress: (label, total) => ctx.progress(`5% faults: ${label}`, total),
      });
      const seconds = (performance.now() - t0) / 1000;
      ctx.table(
        `fault injection, 5% of calls failing (${FAULT_SUBMISSIONS} submissions, ${FAULT_DECISIONS} decisions)`,
        [
          {
            requests: r.requests,
            injected: r.injected,
            '503s': r.unavailable,
            'retried requests': r.retried,
            'most tries': r.maxTries,
            'other failures': r.otherFailures.length,
            cases: r.cases,
            'duplicate cases': r.duplicateCases,
            decided: r.decided,
            'lost SMS': r.lostSms,
            'duplicate SMS': r.duplicateSms,
            'missing filings': r.missingFilings,
            'missing rating schedules': r.missingRatingSchedules,
            'pending after the job': r.pendingAfterJob,
            seconds: round(seconds, 1),
          },
        ],
      );
      ctx.table('injected by kind and target', [{ ...r.injectedByKind, ...r.injectedByTarget }]);
      ctx.check(
        'every failed request answered 503 problem+json with Retry-After',
        r.badUnavailable === 0 && r.otherFailures.length === 0,
        JSON.stringify(r.otherFailures.slice(0, 3)),
      );
      ctx.check('no duplicate case', r.duplicateCases === 0 && r.cases === FAULT_SUBMISSIONS);
      ctx.check('every decision made', r.decided === FAULT_DECISIONS);
      ctx.check('no lost and no duplicate completion SMS', r.lostSms === 0 && r.duplicateSms === 0);
      ctx.check(
        'every decision filed and scheduled; nothing pending',
        r.missingFilings === 0 && r.missingRatingSchedules === 0 && r.pendingAfterJob === 0,
      );
      ctx.record('faultRun', r);
    }

    // -- 3. The job over 1,000 pending effects.
    {
      const runtime = await ctx.startRuntime({ clockStart: CLOCK });
      const http = httpClient(runtime.url, 32);
      ctx.onCleanup(() => {
        http.close();
      });
      const token = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
      const [template] = await acceptedCases(http, token, 1);
      const d = await http.request('POST', `/cases/${template}/decide`, {
        body: JSON.stringify({ decision: 'approve' }),
        headers: { authorization: `Bearer ${token}` },
      });
      if (d.status !== 200) throw new Error(`decide answered ${d.status}`);
      const base = await runtime.deps.cases.get(template);
      if (!base) throw new Error('the template case is gone');
      // 1,000 decided cases whose case.decided was never published (as after a crash).
      const nos = Array.from({ length: PENDING }, (_, i) => `${template.slice(0, -4)}${String(5000 + i)}`);
      for (let i = 0; i < nos.length; i += 25) {
        await runtime.deps.db.send(
          new BatchWriteCommand({
            RequestItems: {
              [runtime.deps.tableName]: nos.slice(i, i + 25).map((caseNo) => {
                const key = keys.case(caseNo);
                const effects = [
                  {
                    id: `${base.version}:publish:case.decided`,
                    kind: 'publish',
                    event: { type: 'case.decided', caseNo },
                  },
                ];
                return {
                  PutRequest: {
                    Item: {
                      ...base,
                      caseNo,
                      ...key,
                      entity: 'case',
                      bmpk: `ENV#2026-09`,
                      bmsk: caseNo,
                      ...outboxAttributes(`${key.pk}|${key.sk}`, effects, new Date(Date.now() - 60_000)),
                    },
                  },
                };
              }),
            },
          }),
        );
      }
      // The job alone: the scheduler's own outbox run (every minute) would race this one for the same items.
      await runtime.scheduler.stop();
      await runtime.events.settled();
      const counter = commandCounter(runtime.deps.db);
      counter.start();
      const t0 = performance.now();
      const run = await runOutbox(runtime.deps);
      await runtime.events.settled();
      const ms = performance.now() - t0;
      const counts = counter.stop();
      const sms = (await runtime.deps.localSms!.outbox()).filter((m) => m.kind === 'completion').length;
      const storeRequests = sum(counts);
      ctx.record('outboxJobRequests', counts);
      ctx.table(`the outbox job over ${PENDING} pending effects`, [
        {
          items: run.items,
          done: run.done,
          failed: run.failed,
          ms: round(ms),
          'ms/effect': round(ms / PENDING, 2),
          'store requests': storeRequests,
          'requests/effect (all, SMS sending included)': round(storeRequests / PENDING, 2),
          'outbox requests/effect (query pages + settle)': round((PENDING_SHARDS + run.done) / PENDING, 2),
          'completion SMS': sms,
        },
      ]);
      ctx.figure('outbox job: ms per pending effect', ms / PENDING, { unit: 'ms' });
      ctx.figure('outbox job: store requests per effect', storeRequests / PENDING, {
        detail:
          'a Query page per shard, the notify handler (case read, SMS claim, outbox write, mark sent), the settle',
      });
      ctx.check('the job carried out every pending effect once', run.done === PENDING && sms === PENDING + 1);
    }

    // -- 4. 5-department joint cases at c=32: conditional writes refused per decision.
    {
      const runtime = await ctx.startRuntime({ clockStart: '2026-11-02T09:00:00+08:00' });
      const http = httpClient(runtime.url, 64);
      ctx.onCleanup(() => {
        http.close();
      });
      const joint = catalog.item(JOINT)!;
      const depts = [joint.departments.lead, ...joint.departments.co];
      const window = await runtime.token({ sub: 'mkt-a1', role: 'window', dept: joint.department });
      const bar = ctx.progress('joint cases accepted', JOINT_CASES);
      const cases = await acceptedCases(http, window, JOINT_CASES, JOINT);
      bar.done();
      const tokens = Object.fromEntries(
        await Promise.all(
          depts.map(async (d) => [d, await runtime.token({ sub: `${d.toLowerCase()}-r1`, role: 'reviewer', dept: d })]),
        ),
      ) as Record<string, string>;
      // Every task open (the executions open them) before the decisions start.
      const deadline = performance.now() + 120_000;
      for (;;) {
        const tasks = await Promise.all(cases.map((c) => runtime.deps.tasks.ofCase(c)));
        if (tasks.every((t) => t.filter((x) => x.status === 'open' && x.token).length === depts.length)) break;
        if (performance.now() > deadline) throw new Error('the joint cases did not open their tasks in 120 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const decisions = cases.flatMap((caseNo) => depts.map((dept) => ({ caseNo, dept })));
      const refusals = countConditionalRefusals(runtime.deps.db);
      refusals.refused = 0;
      const r = await runConcurrent(32, decisions.length, async (i) => {
        const { caseNo, dept } = decisions[i];
        const res = await http.request('POST', `/tasks/${taskIdOf(caseNo, 0, dept)}/decision`, {
          body: JSON.stringify({ decision: 'approve', opinion: `${dept} 同意` }),
          headers: { authorization: `Bearer ${tokens[dept]}` },
        });
        if (res.status !== 200) throw new Error(`decision answered ${res.status}: ${res.text.slice(0, 200)}`);
      });
      const refused = refusals.refused;
      await Promise.allSettled(cases.map((c) => runtime.workflow.whenDone(c)));
      const decided = (await Promise.all(cases.map((c) => runtime.deps.cases.get(c)))).filter(
        (c) => c?.status === 'approved',
      ).length;
      ctx.table(`${JOINT_CASES} joint cases, ${decisions.length} department decisions at c=32`, [
        {
          decisions: decisions.length,
          errors: r.errors,
          'refused conditional writes': refused,
          'refused per decision': round(refused / decisions.length, 2),
          p50: round(r.stats.p50),
          'cases approved': decided,
        },
      ]);
      ctx.figure('joint decisions: conditional writes refused per decision', refused / decisions.length, {
        aim: { max: 0.5 },
        detail: `${refused} refused for ${decisions.length} decisions`,
      });
      ctx.check(
        'every joint decision answered 200 and every case approved',
        r.errors === 0 && decided === JOINT_CASES,
        r.errorSamples.join('; '),
      );
    }
  },
};
