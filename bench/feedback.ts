/**
 * Inbound SMS replies ("1") through the feedback function's handler (the SNS event two-way SMS
 * delivers, the same handler as in AWS) against the bare lookup-and-write on the same dynalite:
 * a Query of the by-phone index and a conditional UpdateItem of the case. Each reply rates a
 * different decided case (a different fake number), in interleaved rounds at the same
 * concurrency. Then every reply delivered again: all duplicates, nothing changed.
 *
 * The handler does more than the bare path on purpose, and the ratio shows its price: the
 * claim of the message id (PutItem, conditional), the case read before the write (GetItem) so
 * the rule runs on the whole record, the write of the whole record with its history entry
 * (PutItem, conditional on the version), and the claim's outcome (UpdateItem).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { inboundSnsEvent } from '../shared/adapters/inbound-sms';
import type { CaseRecord } from '../shared/domain/case';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { toChinaIso } from '../shared/domain/china-time';
import { caseIndexAttributes, keys, listPartitions } from '../shared/store/keys';
import type { ReplyResult } from '../shared/usecases/ratings';
import * as feedbackFunction from '../functions/feedback/handler';
import { fullSubmission } from '../test/support/fixtures';
import { commandCounter } from './lib';
import { batchLoad, mergeRuns, round, runConcurrent, runRow, type Benchmark, type ConcurrentResult } from './lib';

/** The feedback function's SNS path reads nothing from the Lambda context. */
const SNS_CONTEXT = {} as Context;

const CLOCK = '2026-09-28T09:00:00+08:00';
const CONCURRENCY = 32;
const WARMUP = 200;
const ROUNDS = 3;
const PER_ROUND = 500;
const DUPLICATES = 500;

/** Fake mobile numbers 139 0000 0001…, one per case (no real person's). */
const phoneOf = (i: number) => `139${String(i + 1).padStart(8, '0')}`;

export const feedback: Benchmark = {
  name: 'feedback',
  description: `SMS replies through the feedback handler vs a bare Query by-phone + conditional UpdateItem (c=${CONCURRENCY}); every reply delivered again counts once`,
  async run(ctx) {
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const { db, tableName, hasher } = runtime.deps;
    const handler = feedbackFunction.makeHandler(runtime.deps);

    // One real decided case through HTTP; the rest are copies of its item under new numbers and phones.
    const window = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    const item = loadDefaultCatalog().item('ENV-EIA-FORM')!;
    const call = async (method: string, path: string, body: unknown, token?: string) => {
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const { caseNo: sampleNo } = (await call(
      'POST',
      '/cases',
      fullSubmission(
        item.code,
        item.materials.filter((m) => !m.condition).map((m) => m.code),
      ),
    )) as { caseNo: string };
    await call('POST', `/cases/${sampleNo}/accept`, {}, window);
    await call('POST', `/cases/${sampleNo}/decide`, { decision: 'approve' }, window);
    const sample = (await runtime.deps.cases.get(sampleNo))!;

    const total = 2 * (WARMUP + ROUNDS * PER_ROUND);
    const load = ctx.progress(`loading ${total.toLocaleString('en-US')} decided, unrated cases`, total);
    const caseNoOf = (i: number) => `ENV-20260928-${String(10_000 + i)}`;
    const caseOf = (i: number): CaseRecord => ({
      ...sample,
      caseNo: caseNoOf(i),
      applicant: { ...sample.applicant, phone: phoneOf(i) },
      phoneHash: hasher.hash(phoneOf(i)),
    });
    await batchLoad(
      db,
      tableName,
      (i) => {
        const c = caseOf(i);
        return { ...keys.case(c.caseNo), entity: 'case', ...caseIndexAttributes(c), ...c };
      },
      total,
      (n) => {
        load.tick(n);
      },
    );

    // Case i in [0, total): even ones for the service, odd ones for the bare path.
    let nextService = 0;
    let nextBare = 1;
    const take = (which: 'service' | 'bare') => {
      const i = which === 'service' ? nextService : nextBare;
      if (which === 'service') nextService += 2;
      else nextBare += 2;
      return i;
    };

    const results: ReplyResult[] = [];
    const delivered: ReturnType<typeof inboundSnsEvent>[] = [];
    const service = async () => {
      const i = take('service');
      const event = inboundSnsEvent(
        { from: `+86${phoneOf(i)}`, text: '1', messageId: `bench-${i}` },
        runtime.clock.now(),
      );
      const result = ((await handler(event, SNS_CONTEXT)) as ReplyResult[]).at(0);
      if (result?.outcome !== 'rated' || result.caseNo !== caseNoOf(i))
        throw new Error(`reply ${i}: ${JSON.stringify(result)}`);
      results.push(result);
      delivered.push(event);
    };
    const bare = async () => {
      const i = take('bare');
      const found = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'by-phone',
          KeyConditionExpression: 'phpk = :p',
          ExpressionAttributeValues: { ':p': listPartitions.phone(hasher.hash(phoneOf(i))) },
          ProjectionExpression: 'caseNo, #s, decidedAt, rating',
          ExpressionAttributeNames: { '#s': 'status' },
          ScanIndexForward: false,
        }),
      );
      const target = (found.Items ?? []).find((c) => (c.status === 'approved' || c.status === 'denied') && !c.rating);
      if (!target) throw new Error(`bare ${i}: no unrated case`);
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.case(target.caseNo as string),
          UpdateExpression: 'SET rating = :r, version = version + :one',
          ConditionExpression: 'attribute_not_exists(rating)',
          ExpressionAttributeValues: {
            ':r': { level: 'very-satisfied', source: 'sms', at: toChinaIso(runtime.clock.now()) },
            ':one': 1,
          },
        }),
      );
    };

    ctx.log(`warming up: ${WARMUP} replies each way`);
    await runConcurrent(CONCURRENCY, WARMUP, bare);
    await runConcurrent(CONCURRENCY, WARMUP, service);

    const counter = commandCounter(db);
    const bareRuns: ConcurrentResult[] = [];
    const serviceRuns: ConcurrentResult[] = [];
    let serviceCommands: Record<string, number> = {};
    const progress = ctx.progress(`rounds (bare + service, c=${CONCURRENCY})`, ROUNDS * 2 * PER_ROUND);
    for (let r = 0; r < ROUNDS; r++) {
      bareRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, bare, { progress }));
      counter.start();
      serviceRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, service, { progress }));
      serviceCommands = counter.stop();
    }
    const bareAll = mergeRuns(bareRuns);
    const serviceAll = mergeRuns(serviceRuns);
    ctx.table(`SMS replies, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${PER_ROUND}`, [
      runRow('bare: Query by-phone + conditional UpdateItem', bareAll, { 'requests/reply': 2 }),
      runRow('feedback handler (SNS event, full rules)', serviceAll, {
        'requests/reply': round(Object.values(serviceCommands).reduce((a, b) => a + b, 0) / PER_ROUND, 2),
      }),
    ]);
    ctx.ratio('throughput: feedback handler / bare (replies per second)', serviceAll.throughput, bareAll.throughput, {
      detail: `${round(serviceAll.throughput, 0)} vs ${round(bareAll.throughput, 0)} replies/s; per round ${serviceRuns.map((s, k) => round(s.throughput / bareRuns[k].throughput, 2)).join(', ')}`,
    });
    ctx.ratio('p50 latency: feedback handler / bare', serviceAll.stats.p50, bareAll.stats.p50);
    ctx.ratio('p99 latency: feedback handler / bare', serviceAll.stats.p99, bareAll.stats.p99);
    ctx.check(
      'no errors',
      serviceAll.errors + bareAll.errors === 0,
      `${serviceAll.errors + bareAll.errors} errors ${serviceAll.errorSamples.at(0) ?? bareAll.errorSamples.at(0) ?? ''}`,
    );
    const scans = Object.entries(serviceCommands)
      .filter(([k]) => /Scan/.test(k))
      .reduce((n, [, v]) => n + v, 0);
    ctx.check('no Scan in the reply path', scans === 0, JSON.stringify(serviceCommands));

    // Every reply delivered again (SNS redelivery): all duplicates, no case written again.
    const replays = delivered.slice(0, DUPLICATES);
    const versions = await Promise.all(replays.map((_, k) => versionOf(results[k].caseNo!)));
    let duplicates = 0;
    const replay = await runConcurrent(CONCURRENCY, replays.length, async (k) => {
      const [result] = (await handler(replays[k], SNS_CONTEXT)) as ReplyResult[];
      if (result.outcome === 'duplicate') duplicates++;
    });
    const after = await Promise.all(replays.map((_, k) => versionOf(results[k].caseNo!)));
    ctx.table(`The same ${replays.length} replies delivered again`, [
      runRow('feedback handler, redelivered', replay, { duplicates }),
    ]);
    ctx.check(
      'every redelivered reply counted once (a duplicate)',
      duplicates === replays.length && replay.errors === 0,
      `${duplicates} of ${replays.length}`,
    );
    ctx.check(
      'no case written again by a redelivery',
      after.every((v, k) => v === versions[k]),
      'versions before and after',
    );
    ctx.record('bare', { ...bareAll, latencies: undefined });
    ctx.record('service', { ...serviceAll, latencies: undefined, commandsPerRound: serviceCommands });

    async function versionOf(caseNo: string): Promise<number> {
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: keys.case(caseNo), ProjectionExpression: 'version' }),
      );
      return out.Item?.version as number;
    }
  },
};
