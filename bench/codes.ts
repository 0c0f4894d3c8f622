/**
 * The query code and the lock on guessing (issue 10), through the local HTTP server.
 *
 *  1. Progress lookup: GET /cases/{caseNo} with the case's X-Query-Code, against a bare
 *     GetItem of the same case items on the same dynalite (the baseline the other benchmarks
 *     use), in interleaved rounds at concurrency 32. For the record, the same GET with a staff
 *     token (no query code: no place taken in the case's window), to show what the lock costs:
 *     the conditional ADD that takes a place and the one that gives it back.
 *  2. Brute force: 10,000 wrong codes at concurrency 32 against one case (half as X-Query-Code,
 *     half as X-One-Time-Code: both count toward the same lock). How many were answered (404,
 *     not 429) before the lock; then the right code, which must be refused (429) while the
 *     window lasts, and open the case (200) once the clock has passed it.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { QUERY_CODE_ALPHABET } from '../shared/domain/query-code';
import { keys } from '../shared/store/keys';
import { fullSubmission } from '../test/support/fixtures';
import { httpClient, mergeRuns, round, runConcurrent, runRow, type Benchmark, type ConcurrentResult } from './lib';

/** A Monday 09:00 China time: the 15-minute window of the lock starts there. */
const CLOCK = '2026-09-28T09:00:00+08:00';
const CONCURRENCY = 32;
const CASES = 300;
const WARMUP = 100;
const ROUNDS = 3;
const PER_ROUND = 500;
const BRUTE_FORCE = 10_000;
const LOCK_MAX = 5;

export const codes: Benchmark = {
  name: 'codes',
  description: `GET /cases/{caseNo} with X-Query-Code vs a bare GetItem (c=${CONCURRENCY}); ${BRUTE_FORCE.toLocaleString('en-US')} wrong codes at c=${CONCURRENCY} against one case: answered before the lock`,
  async run(ctx) {
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const http = httpClient(runtime.url, 64);
    ctx.onCleanup(() => {
      http.close();
    });
    const { db, tableName } = runtime.deps;
    const item = loadDefaultCatalog().item('ENV-EIA-FORM')!;
    const body = JSON.stringify(
      fullSubmission(
        item.code,
        item.materials.filter((m) => !m.condition).map((m) => m.code),
      ),
    );

    // The cases, submitted over HTTP: each with its receipt's query code.
    const cases: { caseNo: string; queryCode: string }[] = [];
    const load = await runConcurrent(
      CONCURRENCY,
      CASES + 1,
      async () => {
        const res = await http.request('POST', '/cases', { body });
        if (res.status !== 201) throw new Error(`POST /cases answered ${res.status}: ${res.text.slice(0, 200)}`);
        cases.push(res.json() as { caseNo: string; queryCode: string });
      },
      { progress: ctx.progress(`submitting ${CASES + 1} cases`, CASES + 1) },
    );
    if (load.errors > 0) throw new Error(`submitting the cases failed: ${load.errorSamples[0]}`);
    const target = cases.pop()!;
    const staff = await runtime.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });

    // A kept-alive connection the server closes just as a request goes out (its keep-alive timeout
    // on a loaded machine) is a transport artefact, not an answer: a GET is sent again, and counted.
    let resent = 0;
    const get = async (path: string, headers: Record<string, string>) => {
      try {
        return await http.request('GET', path, { headers });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
        resent++;
        return http.request('GET', path, { headers });
      }
    };

    // Operation i reads case i mod CASES: the 32 in flight are always 32 different cases.
    const caseOf = (i: number) => cases[i % CASES];
    let wrongAnswers = 0;
    const withCode = async (i: number) => {
      const c = caseOf(i);
      const res = await get(`/cases/${c.caseNo}`, { 'x-query-code': c.queryCode });
      if (res.status !== 200)
        throw new Error(`GET with the query code answered ${res.status}: ${res.text.slice(0, 200)}`);
      if ((res.json() as { caseNo?: string }).caseNo !== c.caseNo) wrongAnswers++;
    };
    const asStaff = async (i: number) => {
      const c = caseOf(i);
      const res = await get(`/cases/${c.caseNo}`, { authorization: `Bearer ${staff}` });
      if (res.status !== 200) throw new Error(`GET as staff answered ${res.status}: ${res.text.slice(0, 200)}`);
    };
    const bare = async (i: number) => {
      const got = await db.send(new GetCommand({ TableName: tableName, Key: keys.case(caseOf(i).caseNo) }));
      if (!got.Item) throw new Error(`case ${caseOf(i).caseNo} is not in the table`);
    };

    ctx.log(`warming up: ${WARMUP} of each`);
    await runConcurrent(CONCURRENCY, WARMUP, bare);
    await runConcurrent(CONCURRENCY, WARMUP, asStaff);
    await runConcurrent(CONCURRENCY, WARMUP, withCode);
    const bareRuns: ConcurrentResult[] = [];
    const staffRuns: ConcurrentResult[] = [];
    const codeRuns: ConcurrentResult[] = [];
    const progress = ctx.progress(
      `${ROUNDS} rounds of bare GetItem, GET as staff, GET with the query code (c=${CONCURRENCY})`,
      ROUNDS * 3 * PER_ROUND,
    );
    for (let r = 0; r < ROUNDS; r++) {
      bareRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, bare, { progress }));
      staffRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, asStaff, { progress }));
      codeRuns.push(await runConcurrent(CONCURRENCY, PER_ROUND, withCode, { progress }));
    }
    const bareAll = mergeRuns(bareRuns);
    const staffAll = mergeRuns(staffRuns);
    const codeAll = mergeRuns(codeRuns);
    ctx.table(
      `Progress lookup vs bare GetItem, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${PER_ROUND} over ${CASES} cases`,
      [
        runRow('bare GetItem (baseline)', bareAll),
        runRow('GET /cases/{caseNo} as staff (no code, no lock)', staffAll),
        runRow('GET /cases/{caseNo} with X-Query-Code', codeAll),
      ],
    );
    const perRound = codeRuns.map((r, i) => r.stats.p50 / bareRuns[i].stats.p50);
    ctx.ratio('p50 latency: lookup with query code / bare GetItem', codeAll.stats.p50, bareAll.stats.p50, {
      detail: `rounds ${perRound.map((x) => round(x, 2)).join(', ')}`,
    });
    ctx.ratio('p99 latency: lookup with query code / bare GetItem', codeAll.stats.p99, bareAll.stats.p99);
    ctx.ratio('p50 latency: lookup with query code / as staff', codeAll.stats.p50, staffAll.stats.p50, {
      detail: "the lock's two conditional ADDs (take a place, give it back) and the code's keyed hash",
    });
    ctx.record('resentAfterConnectionReset', resent);
    ctx.check(
      `lookups: no errors at concurrency ${CONCURRENCY}, every answer the case asked for`,
      codeAll.errors + staffAll.errors + bareAll.errors === 0 && wrongAnswers === 0,
      [...codeAll.errorSamples, ...staffAll.errorSamples, ...bareAll.errorSamples].slice(0, 2).join('; ') ||
        `${codeAll.stats.count} lookups`,
    );

    // The brute force: wrong codes for one case, as fast as 32 clients can send them.
    const windowOf = () => Math.floor(runtime.clock.now().getTime() / (15 * 60_000));
    const firstWindow = windowOf();
    const statuses = new Map<number, number>();
    // Well-formed guesses: 10 characters of the query code's alphabet (i in base 32), or 6 digits.
    const guess = (i: number) => {
      let code = '';
      for (let n = i + 1, k = 0; k < 10; k++, n = Math.floor(n / 32)) code = QUERY_CODE_ALPHABET[n % 32] + code;
      return code === target.queryCode ? 'ZZZZZZZZZZ' : code;
    };
    const wrong = (i: number): Record<string, string> =>
      i % 2 === 0 ? { 'x-query-code': guess(i) } : { 'x-one-time-code': String(i % 1_000_000).padStart(6, '0') };
    const brute = await runConcurrent(
      CONCURRENCY,
      BRUTE_FORCE,
      async (i) => {
        const res = await get(`/cases/${target.caseNo}`, wrong(i));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      },
      {
        progress: ctx.progress(
          `${BRUTE_FORCE.toLocaleString('en-US')} wrong codes against ${target.caseNo}`,
          BRUTE_FORCE,
        ),
      },
    );
    const windows = windowOf() - firstWindow + 1;
    const right = await http.request('GET', `/cases/${target.caseNo}`, {
      headers: { 'x-query-code': target.queryCode },
    });
    const retryAfter = Number(/"retryAfter":(\d+)/.exec(right.text)?.[1]);
    runtime.clock.advance(15 * 60_000);
    const after = await http.request('GET', `/cases/${target.caseNo}`, {
      headers: { 'x-query-code': target.queryCode },
    });
    const answered = statuses.get(404) ?? 0;
    const refused = statuses.get(429) ?? 0;
    ctx.table(`${BRUTE_FORCE.toLocaleString('en-US')} wrong codes at concurrency ${CONCURRENCY} against one case`, [
      ...[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => ({ answer: String(status), count: n })),
      { answer: `wall time (${round(brute.durationMs / 1000, 1)} s), 15-minute windows spanned`, count: windows },
      { answer: `the right code then (Retry-After ${retryAfter} s)`, count: right.status },
      { answer: 'the right code once the window has passed', count: after.status },
      { answer: 'GETs resent after a connection reset (whole benchmark)', count: resent },
    ]);
    ctx.figure('wrong codes answered (not 429) before the lock, per window', answered / windows, {
      unit: 'codes',
      aim: { max: LOCK_MAX },
      detail: `${answered} answered 404, ${refused} refused 429, over ${windows} window(s)`,
    });
    ctx.check(
      'every wrong code answered 404 or 429, never anything else',
      answered + refused === BRUTE_FORCE && brute.errors === 0,
      JSON.stringify(Object.fromEntries(statuses)),
    );
    ctx.check(
      `no more than ${LOCK_MAX} wrong codes answered per window`,
      answered <= LOCK_MAX * windows,
      `${answered} over ${windows} window(s)`,
    );
    ctx.check('the right code is refused (429) while the case is locked', right.status === 429, `got ${right.status}`);
    ctx.check('the right code opens the case once the window has passed', after.status === 200, `got ${after.status}`);

    ctx.record('concurrency', CONCURRENCY);
    ctx.record('lookup', {
      bare: { ...bareAll, latencies: undefined },
      staff: { ...staffAll, latencies: undefined },
      withCode: { ...codeAll, latencies: undefined },
    });
    ctx.record('bruteForce', {
      statuses: Object.fromEntries(statuses),
      windows,
      durationMs: brute.durationMs,
      rightWhileLocked: right.status,
      retryAfter,
      rightAfterWindow: after.status,
    });
  },
};
