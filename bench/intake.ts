/**
 * Online intake through the local HTTP server (POST /cases, complete materials of
 * ENV-EIA-FORM) against a bare PutItem of a comparable item on the same dynalite, at the
 * same concurrency, in interleaved rounds of the same run; and, to show where the time goes,
 * the bare data path (the sequence UpdateItem and the conditional PutItem that submitCase
 * does). Then 2,000 submissions at concurrency 64: every one a 201 with its own case
 * number, every case readable.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { keys } from '../shared/store/keys';
import { fullSubmission } from '../test/support/fixtures';
import { httpClient, mergeRuns, round, runConcurrent, runRow, type Benchmark, type ConcurrentResult } from './lib';

const ITEM = 'ENV-EIA-FORM';
const CONCURRENCY = 32;
const WARMUP = 300;
/** Short interleaved rounds: a noisy moment on a shared machine lands on both sides. */
const ROUNDS = 6;
const PER_ROUND = 350;
const LOAD_TOTAL = 2000;
const LOAD_CONCURRENCY = 64;
/** A Monday, a working day: case numbers read ENV-20260928-NNNN. */
const CLOCK = '2026-09-28T09:00:00+08:00';

export const intake: Benchmark = {
  name: 'intake',
  description: `POST /cases over HTTP vs a bare PutItem on the same dynalite (c=${CONCURRENCY}); ${LOAD_TOTAL.toLocaleString('en-US')} submissions at c=${LOAD_CONCURRENCY}`,
  async run(ctx) {
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const http = httpClient(runtime.url, LOAD_CONCURRENCY);
    ctx.onCleanup(() => {
      http.close();
    });
    const { db, tableName } = runtime.deps;

    const item = loadDefaultCatalog().item(ITEM);
    if (!item) throw new Error(`${ITEM} is not in the catalog`);
    const body = JSON.stringify(
      fullSubmission(
        ITEM,
        item.materials.map((m) => m.code),
      ),
    );

    const submit = async (): Promise<string> => {
      const res = await http.request('POST', '/cases', { body });
      if (res.status !== 201) throw new Error(`POST /cases answered ${res.status}: ${res.text.slice(0, 200)}`);
      return (res.json() as { caseNo: string }).caseNo;
    };

    // The bare write stores a copy of a real case item (same attributes, same index keys, so
    // the same index maintenance in dynalite) under a unique number: one PutItem, no logic.
    const sampleNo = await submit();
    const sample = (await db.send(new GetCommand({ TableName: tableName, Key: keys.case(sampleNo) }))).Item;
    if (!sample) throw new Error(`case ${sampleNo} was answered 201 but is not in the table`);
    const template = JSON.stringify(sample);
    const itemBytes = Buffer.byteLength(template);
    let bareSeq = 0;
    const bareItems = (n: number) =>
      Array.from({ length: n }, () =>
        JSON.parse(template.split(sampleNo).join(`BARE-20260928-${String(++bareSeq).padStart(6, '0')}`)),
      );
    const bare = (items: Record<string, unknown>[]) => (i: number) =>
      db.send(new PutCommand({ TableName: tableName, Item: items[i] }));
    // The service's data path without the service: the sequence counter, then the conditional
    // put of the case (what submitCase writes), no HTTP, no middleware, no validation.
    const dataPath = (items: Record<string, unknown>[]) => async (i: number) => {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.caseSequence('BARE', '2026-09-28'),
          UpdateExpression: 'ADD seq :one SET entity = :e',
          ExpressionAttributeValues: { ':one': 1, ':e': 'sequence' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      await db.send(
        new PutCommand({ TableName: tableName, Item: items[i], ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    };

    ctx.log(`warming up: ${WARMUP} of each`);
    await runConcurrent(CONCURRENCY, WARMUP, bare(bareItems(WARMUP)));
    await runConcurrent(CONCURRENCY, WARMUP, dataPath(bareItems(WARMUP)));
    await runConcurrent(CONCURRENCY, WARMUP, submit);

    // Interleaved rounds, so a noisy neighbour hurts both sides alike.
    const bareRuns: ConcurrentResult[] = [];
    const pathRuns: ConcurrentResult[] = [];
    const serviceRuns: ConcurrentResult[] = [];
    const progress = ctx.progress(
      `${ROUNDS} rounds of bare, data path, service (c=${CONCURRENCY})`,
      ROUNDS * 3 * PER_ROUND,
    );
    for (let r = 0; r < ROUNDS; r++) {
      bareRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, bare(bareItems(PER_ROUND)), { progress }));
      pathRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, dataPath(bareItems(PER_ROUND)), { progress }));
      serviceRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, submit, { progress }));
    }
    const bareAll = mergeRuns(bareRuns);
    const pathAll = mergeRuns(pathRuns);
    const serviceAll = mergeRuns(serviceRuns);

    ctx.table(
      `Submission vs bare write, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${PER_ROUND} (case item ${round(itemBytes / 1024, 2)} KB)`,
      [
        runRow('bare PutItem (baseline)', bareAll),
        runRow('bare data path: UpdateItem + PutItem', pathAll),
        runRow('POST /cases (HTTP, full stack)', serviceAll),
      ],
    );
    const perRound = serviceRuns.map((r, i) => r.stats.p50 / bareRuns[i].stats.p50);
    ctx.ratio('p50 latency: POST /cases / bare PutItem', serviceAll.stats.p50, bareAll.stats.p50, {
      aim: { max: 2 },
      detail: `rounds ${perRound.map((x) => round(x, 2)).join(', ')}`,
    });
    ctx.ratio('p99 latency: POST /cases / bare PutItem', serviceAll.stats.p99, bareAll.stats.p99);
    ctx.ratio('throughput: POST /cases / bare PutItem', serviceAll.throughput, bareAll.throughput);
    ctx.ratio('p50 latency: POST /cases / bare data path', serviceAll.stats.p50, pathAll.stats.p50, {
      detail: 'the cost of HTTP, middleware and rules alone',
    });
    ctx.ratio('p50 latency: bare data path / bare PutItem', pathAll.stats.p50, bareAll.stats.p50, {
      detail: 'the cost of two writes per case',
    });
    ctx.check(
      `no errors at concurrency ${CONCURRENCY}`,
      serviceAll.errors + pathAll.errors + bareAll.errors === 0,
      errorDetail(serviceAll, pathAll, bareAll),
    );
    ctx.record('concurrency', CONCURRENCY);
    ctx.record('caseItemBytes', itemBytes);
    ctx.record('bare', {
      ...bareAll,
      latencies: undefined,
      rounds: bareRuns.map((r) => ({ ...r.stats, throughput: r.throughput })),
    });
    ctx.record('dataPath', {
      ...pathAll,
      latencies: undefined,
      rounds: pathRuns.map((r) => ({ ...r.stats, throughput: r.throughput })),
    });
    ctx.record('service', {
      ...serviceAll,
      latencies: undefined,
      rounds: serviceRuns.map((r) => ({ ...r.stats, throughput: r.throughput })),
    });

    // The load: 2,000 submissions at concurrency 64.
    const caseNos: string[] = [];
    const load = await runConcurrent(
      LOAD_CONCURRENCY,
      LOAD_TOTAL,
      async () => {
        caseNos.push(await submit());
      },
      { progress: ctx.progress(`${LOAD_TOTAL} submissions, c=${LOAD_CONCURRENCY}`, LOAD_TOTAL) },
    );
    const distinct = new Set(caseNos).size;
    // Every case answered 201 must be in the table, as submitted (it counts as received).
    let unreadable = 0;
    await runConcurrent(LOAD_CONCURRENCY, caseNos.length, async (i) => {
      const found = await runtime.deps.cases.get(caseNos[i]);
      if (found?.status !== 'submitted') unreadable++;
    });
    ctx.table(`${LOAD_TOTAL.toLocaleString('en-US')} submissions at concurrency ${LOAD_CONCURRENCY}`, [
      runRow('POST /cases', load, { 'distinct case numbers': distinct, 'not in table': unreadable }),
    ]);
    ctx.check(
      `${LOAD_TOTAL.toLocaleString('en-US')} submissions answered 201`,
      load.errors === 0 && caseNos.length === LOAD_TOTAL,
      errorDetail(load),
    );
    ctx.check(
      `${LOAD_TOTAL.toLocaleString('en-US')} distinct case numbers`,
      distinct === LOAD_TOTAL,
      `${distinct} distinct of ${caseNos.length}`,
    );
    ctx.check('every case answered 201 is stored as submitted', unreadable === 0, `${unreadable} missing`);
    ctx.record('load', {
      ...load,
      latencies: undefined,
      distinct,
      unreadable,
      first: caseNos.slice().sort()[0],
      last: caseNos.slice().sort().at(-1),
    });
  },
};

function errorDetail(...runs: ConcurrentResult[]): string {
  const errors = runs.reduce((a, r) => a + r.errors, 0);
  const samples = runs.flatMap((r) => r.errorSamples);
  return errors === 0 ? '0 errors' : `${errors} errors, e.g. ${samples[0]}`;
}
