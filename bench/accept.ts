/**
 * The window's acceptance (受理, issue 3): POST /cases/{caseNo}/accept through the local HTTP
 * server with a window token of ENV, on cases submitted beforehand with complete materials of
 * ENV-EIA-FORM (clock at 2026-09-28T09:00:00+08:00, a Monday), against the bare conditional
 * UpdateItem (a version-conditioned UpdateCommand making the same changes to a copy of a
 * submitted case item) on the same dynalite, at the same concurrency, in interleaved rounds.
 * To show where the time goes, also the bare data path of acceptance: GetItem (consistent)
 * and the conditional PutItem of the whole item, without the service.
 *
 * What the service does per accept (counted below): verify the ES256 token (locally; in AWS
 * the API Gateway authorizer does), GetItem of the case, the calendar (cached, no read in
 * the steady state), lifecycle.accept with computeDeadlines, the conditional PutItem of the
 * whole case (version = read version, history in the same write), then the receipt (a
 * second computeDeadlines). No month touch: received and accepted in the same month.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { keys } from '../shared/store/keys';
import { fullSubmission } from '../test/support/fixtures';
import {
  batchLoad,
  commandCounter,
  httpClient,
  mergeRuns,
  round,
  runConcurrent,
  runRow,
  type Benchmark,
  type ConcurrentResult,
} from './lib';

const ITEM = 'ENV-EIA-FORM';
const DEPT = 'ENV';
const CONCURRENCY = 32;
const WARMUP = 150;
const ROUNDS = 5;
const PER_ROUND = 200;
/** Cases accepted twice at once, by two window staff: exactly one must succeed. */
const RACES = 32;
/** A Monday, a working day: case numbers read ENV-20260928-NNNNN. */
const CLOCK = '2026-09-28T09:00:00+08:00';
const TODAY = '2026-09-28';

export const accept: Benchmark = {
  name: 'accept',
  description: `POST /cases/{caseNo}/accept over HTTP vs a bare version-conditioned UpdateItem on the same dynalite (c=${CONCURRENCY})`,
  async run(ctx) {
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const http = httpClient(runtime.url, 64);
    ctx.onCleanup(() => {
      http.close();
    });
    const { db, tableName } = runtime.deps;
    const catalog = loadDefaultCatalog();
    const item = catalog.item(ITEM);
    if (!item) throw new Error(`${ITEM} is not in the catalog`);
    const post = catalog.department(DEPT)?.posts[0];
    const windowToken = await runtime.token({ sub: post?.a ?? 'env-a1', role: 'window', dept: DEPT });
    const otherToken = await runtime.token({ sub: post?.b ?? 'env-b1', role: 'window', dept: DEPT });
    const calendar = await runtime.deps.calendar.current();
    const expected = {
      committed: calendar.addWorkingDays(TODAY, item.committedLimit.value),
      statutory:
        item.statutoryLimit.unit === 'working-days'
          ? calendar.addWorkingDays(TODAY, item.statutoryLimit.value)
          : calendar.addCalendarDays(TODAY, item.statutoryLimit.value),
    };

    // The cases to accept: submitted online over HTTP with complete materials.
    const body = JSON.stringify(
      fullSubmission(
        ITEM,
        item.materials.filter((m) => !m.condition).map((m) => m.code),
      ),
    );
    const needed = WARMUP + ROUNDS * PER_ROUND + RACES + 1;
    const caseNos: string[] = [];
    const load = await runConcurrent(
      64,
      needed,
      async () => {
        const res = await http.request('POST', '/cases', { body });
        if (res.status !== 201) throw new Error(`POST /cases answered ${res.status}: ${res.text.slice(0, 200)}`);
        caseNos.push((res.json() as { caseNo: string }).caseNo);
      },
      { progress: ctx.progress(`submitting ${needed.toLocaleString('en-US')} ${ITEM} cases`, needed) },
    );
    if (load.errors > 0) throw new Error(`submitting the cases failed: ${load.errorSamples[0]}`);
    caseNos.sort();
    const sampleNo = caseNos.pop()!;
    const sample = (
      await db.send(new GetCommand({ TableName: tableName, Key: keys.case(sampleNo), ConsistentRead: true }))
    ).Item;
    if (!sample) throw new Error(`case ${sampleNo} was answered 201 but is not in the table`);
    if (sample.status !== 'submitted' || typeof sample.version !== 'number')
      throw new Error(`case ${sampleNo} is ${sample.status}, version ${sample.version}`);
    const template = JSON.stringify(sample);
    const itemBytes = Buffer.byteLength(template);
    const version0 = sample.version;

    // Copies of the submitted case under their own numbers, for the two bare baselines.
    let bareSeq = 0;
    const bareItems = (n: number) =>
      Array.from(
        { length: n },
        () =>
          JSON.parse(template.split(sampleNo).join(`BARE-20260928-${String(++bareSeq).padStart(6, '0')}`)) as Record<
            string,
            unknown
          >,
      );
    const updItems = { warm: bareItems(WARMUP), rounds: Array.from({ length: ROUNDS }, () => bareItems(PER_ROUND)) };
    const pathItems = { warm: bareItems(WARMUP), rounds: Array.from({ length: ROUNDS }, () => bareItems(PER_ROUND)) };
    const all = [updItems.warm, ...updItems.rounds, pathItems.warm, ...pathItems.rounds].flat();
    const loadBar = ctx.progress(`loading ${all.length.toLocaleString('en-US')} copies for the baselines`, 1);
    await batchLoad(
      db,
      tableName,
      (i) => all[i],
      all.length,
      () => {},
    );
    loadBar.done();

    const acceptedAt = '2026-09-28T09:00:00.000+08:00';
    const historyEntry = {
      at: acceptedAt,
      actor: 'bare',
      role: 'window',
      action: 'accept',
      from: 'submitted',
      to: 'accepted',
    };
    const due = `${expected.committed}#`;
    // The bare conditional UpdateItem: the same changes acceptance makes, in one version-conditioned write.
    const bareUpdate = (items: Record<string, unknown>[]) => (i: number) => {
      const it = items[i];
      return db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: it.pk, sk: it.sk },
          UpdateExpression:
            'SET #s = :s, acceptedAt = :at, deadlines = :d, version = :next, history = list_append(history, :h), obdsk = :due, wlsk = :due',
          ConditionExpression: 'version = :v',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':s': 'accepted',
            ':at': acceptedAt,
            ':d': expected,
            ':next': version0 + 1,
            ':h': [historyEntry],
            ':due': `${due}${it.caseNo as string}`,
            ':v': version0,
          },
        }),
      );
    };
    // The bare data path: what actOnCase does to the table, without the service.
    const barePath = (items: Record<string, unknown>[]) => async (i: number) => {
      const key = { pk: items[i].pk, sk: items[i].sk };
      const got = (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item!;
      const after = {
        ...got,
        status: 'accepted',
        acceptedAt,
        deadlines: expected,
        version: (got.version as number) + 1,
        history: [...(got.history as unknown[]), historyEntry],
        obdsk: `${due}${got.caseNo as string}`,
        wlsk: `${due}${got.caseNo as string}`,
      };
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: after,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': got.version },
        }),
      );
    };
    interface Receipt {
      status: string;
      acceptedAt?: string;
      deadlines?: { committed: string; statutory: string };
      workingDaysLeft?: number;
    }
    const receipts = new Map<string, Receipt>();
    const service = (nos: string[]) => async (i: number) => {
      const res = await http.request('POST', `/cases/${nos[i]}/accept`, {
        body: '{}',
        headers: { authorization: `Bearer ${windowToken}` },
      });
      if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${res.text.slice(0, 200)}`);
      receipts.set(nos[i], res.json() as Receipt);
    };
    let taken = 0;
    const take = (n: number) => caseNos.slice(taken, (taken += n));

    // What one accept sends to DynamoDB, counted on a few cases one at a time (after the calendar is cached).
    const counter = commandCounter(db);
    const counted = take(4);
    await service(counted)(0);
    counter.start();
    for (let i = 1; i < counted.length; i++) await service(counted)(i);
    const commands = counter.stop();
    const perAccept = Object.entries(commands)
      .map(([command, n]) => `${command} ${round(n / (counted.length - 1), 2)}`)
      .join(', ');

    ctx.log(`warming up: ${WARMUP} of each`);
    await runConcurrent(CONCURRENCY, WARMUP, bareUpdate(updItems.warm));
    await runConcurrent(CONCURRENCY, WARMUP, barePath(pathItems.warm));
    await runConcurrent(CONCURRENCY, WARMUP - counted.length, service(take(WARMUP - counted.length)));

    const bareRuns: ConcurrentResult[] = [];
    const pathRuns: ConcurrentResult[] = [];
    const serviceRuns: ConcurrentResult[] = [];
    const timedCases: string[] = [];
    const progress = ctx.progress(
      `${ROUNDS} rounds of bare UpdateItem, bare data path, accept (c=${CONCURRENCY})`,
      ROUNDS * 3 * PER_ROUND,
    );
    for (let r = 0; r < ROUNDS; r++) {
      bareRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, bareUpdate(updItems.rounds[r]), { progress }));
      pathRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, barePath(pathItems.rounds[r]), { progress }));
      const nos = take(PER_ROUND);
      timedCases.push(...nos);
      serviceRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, service(nos), { progress }));
    }
    const bareAll = mergeRuns(bareRuns);
    const pathAll = mergeRuns(pathRuns);
    const serviceAll = mergeRuns(serviceRuns);

    ctx.table(
      `Acceptance vs bare conditional write, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${PER_ROUND} (case item ${round(itemBytes / 1024, 2)} KB)`,
      [
        runRow('bare UpdateItem, version-conditioned (baseline)', bareAll),
        runRow('bare data path: GetItem + conditional PutItem', pathAll),
        runRow('POST /cases/{caseNo}/accept (HTTP, full stack)', serviceAll),
      ],
    );
    const perRound = serviceRuns.map((r, i) => r.stats.p50 / bareRuns[i].stats.p50);
    ctx.ratio('p50 latency: accept / bare UpdateItem', serviceAll.stats.p50, bareAll.stats.p50, {
      detail: `rounds ${perRound.map((x) => round(x, 2)).join(', ')}`,
    });
    ctx.ratio('p99 latency: accept / bare UpdateItem', serviceAll.stats.p99, bareAll.stats.p99);
    ctx.ratio('throughput: accept / bare UpdateItem', serviceAll.throughput, bareAll.throughput);
    ctx.ratio('p50 latency: accept / bare data path', serviceAll.stats.p50, pathAll.stats.p50, {
      detail: 'the cost of HTTP, token, middleware, calendar and rules alone',
    });
    ctx.ratio('p50 latency: bare data path / bare UpdateItem', pathAll.stats.p50, bareAll.stats.p50, {
      detail: 'a read and a whole-item put instead of one update',
    });
    ctx.table(
      'DynamoDB commands per accept (counted one at a time, calendar cached)',
      Object.entries(commands).map(([command, n]) => ({ command, 'per accept': round(n / (counted.length - 1), 2) })),
    );

    // Correctness: every answer a 200 receipt with the right deadlines, every case stored as accepted.
    ctx.check(
      `no errors at concurrency ${CONCURRENCY}`,
      serviceAll.errors + pathAll.errors + bareAll.errors === 0,
      errorDetail(serviceAll, pathAll, bareAll),
    );
    const wrongReceipts = timedCases.filter((no) => {
      const r = receipts.get(no);
      return (
        !r ||
        r.status !== 'accepted' ||
        !r.acceptedAt ||
        r.deadlines?.committed !== expected.committed ||
        r.deadlines.statutory !== expected.statutory
      );
    });
    ctx.check(
      `every receipt: accepted, committed ${expected.committed}, statutory ${expected.statutory}`,
      wrongReceipts.length === 0,
      wrongReceipts.length
        ? `${wrongReceipts.length} wrong, e.g. ${JSON.stringify(receipts.get(wrongReceipts[0]))}`
        : `${timedCases.length} receipts`,
    );
    let notStored = 0;
    await runConcurrent(CONCURRENCY, timedCases.length, async (i) => {
      const c = await runtime.deps.cases.get(timedCases[i]);
      const last = c?.history.at(-1);
      if (
        c?.status !== 'accepted' ||
        c.version !== version0 + 1 ||
        last?.action !== 'accept' ||
        c.deadlines?.committed !== expected.committed
      )
        notStored++;
    });
    ctx.check(
      'every accepted case stored as accepted, one version later, with its history line',
      notStored === 0,
      `${notStored} not`,
    );

    // Two window staff accept the same case at once: exactly one succeeds, the other gets 409.
    const raced = take(RACES);
    const outcomes = await Promise.all(
      raced.map(async (no) => {
        const [a, b] = await Promise.all(
          [windowToken, otherToken].map((t) =>
            http.request('POST', `/cases/${no}/accept`, { body: '{}', headers: { authorization: `Bearer ${t}` } }),
          ),
        );
        return [a.status, b.status].sort().join('/');
      }),
    );
    const exactlyOne = outcomes.filter((o) => o === '200/409').length;
    ctx.table(`${RACES} cases accepted by two window staff at once`, [
      { outcome: '200 and 409', cases: exactlyOne },
      { outcome: 'anything else', cases: RACES - exactlyOne, e: outcomes.find((o) => o !== '200/409') },
    ]);
    ctx.check(
      'accepting the same case twice at once: exactly one 200, the other 409',
      exactlyOne === RACES,
      `${exactlyOne} of ${RACES}`,
    );

    ctx.record('concurrency', CONCURRENCY);
    ctx.record('caseItemBytes', itemBytes);
    ctx.record('commandsPerAccept', perAccept);
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
  },
};

function errorDetail(...runs: ConcurrentResult[]): string {
  const errors = runs.reduce((a, r) => a + r.errors, 0);
  const samples = runs.flatMap((r) => r.errorSamples);
  return errors === 0 ? '0 errors' : `${errors} errors, e.g. ${samples[0]}`;
}
