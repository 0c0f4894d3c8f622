/**
 * The supervision sweep (the `supervision-sweep` job, run as the scheduler runs it) over 1,000
 * open cases with 100,000 closed ones in the table (bench/month-data.ts), against the same
 * 1,000 open cases alone in a second runtime. The sweep queries sparse indexes up to its
 * look-ahead bound, so its cost must not grow with the closed cases: aim ≤ 1.2×.
 *
 * The first sweep of each records the warnings and sends the cards (writes); the timed rounds
 * are the steady state every 15 minutes (the same Queries, nothing new to record), interleaved.
 */
import { latencyStats, round, type Benchmark } from './lib';
import { CLOCK, OPEN_CASES, SEPTEMBER_CLOSED, MONTH_CASES, caseItem, makeCase, monthData } from './month-data';
import { batchLoad, commandCounter } from './lib';
import type { SweepResult } from '../shared/usecases/supervision';

const ROUNDS = 15;

export const sweep: Benchmark = {
  name: 'sweep',
  description: `supervision sweep over ${OPEN_CASES.toLocaleString('en-US')} open cases with ${(MONTH_CASES - OPEN_CASES + SEPTEMBER_CLOSED).toLocaleString('en-US')} closed ones vs the same open cases alone`,
  async run(ctx) {
    const { runtime: full } = await monthData(ctx);
    const alone = await ctx.startRuntime({ clockStart: CLOCK });
    const bar = ctx.progress(`loading the same ${OPEN_CASES.toLocaleString('en-US')} open cases alone`, OPEN_CASES);
    await batchLoad(
      alone.deps.db,
      alone.deps.tableName,
      (i) => caseItem(makeCase('open', i, OPEN_CASES)),
      OPEN_CASES,
      (n) => {
        bar.tick(n);
      },
    );

    const sweepOf = async (rt: typeof alone) => (await rt.runNow('supervision-sweep')).result as SweepResult;
    const timed = async (rt: typeof alone) => {
      const t0 = performance.now();
      const result = await sweepOf(rt);
      return { ms: performance.now() - t0, result };
    };

    // First sweeps: warnings recorded and cards sent.
    const firstAlone = await timed(alone);
    const firstFull = await timed(full);
    ctx.table('First sweep (records the warnings, sends the cards)', [
      {
        table: 'open cases alone',
        ms: round(firstAlone.ms, 0),
        yellow: firstAlone.result.yellow,
        red: firstAlone.result.red,
        recorded: firstAlone.result.recorded,
        cards: firstAlone.result.cardsQueued,
      },
      {
        table: 'with 100,000 closed',
        ms: round(firstFull.ms, 0),
        yellow: firstFull.result.yellow,
        red: firstFull.result.red,
        recorded: firstFull.result.recorded,
        cards: firstFull.result.cardsQueued,
      },
    ]);

    const counter = commandCounter(full.deps.db);
    const aloneMs: number[] = [];
    const fullMs: number[] = [];
    let commands: Record<string, number> = {};
    let last: { alone?: SweepResult; full?: SweepResult } = {};
    const rounds = ctx.progress(`${ROUNDS} interleaved rounds of steady-state sweeps`, ROUNDS * 2);
    for (let r = 0; r < ROUNDS; r++) {
      const a = await timed(alone);
      aloneMs.push(a.ms);
      rounds.tick();
      counter.start();
      const f = await timed(full);
      commands = counter.stop();
      fullMs.push(f.ms);
      rounds.tick();
      last = { alone: a.result, full: f.result };
    }
    const a = latencyStats(aloneMs);
    const f = latencyStats(fullMs);
    ctx.table(`Steady-state sweep, ${ROUNDS} rounds each`, [
      {
        table: `${OPEN_CASES.toLocaleString('en-US')} open cases alone`,
        'median ms': round(a.p50, 1),
        'min ms': round(a.min, 1),
        'max ms': round(a.max, 1),
        yellow: last.alone?.yellow,
        red: last.alone?.red,
      },
      {
        table: 'the same with 100,000 closed cases',
        'median ms': round(f.p50, 1),
        'min ms': round(f.min, 1),
        'max ms': round(f.max, 1),
        yellow: last.full?.yellow,
        red: last.full?.red,
      },
    ]);
    ctx.ratio('sweep with 100,000 closed / open alone (median)', f.p50, a.p50, {
      aim: { max: 1.2 },
      detail: `first sweeps: ${round(firstFull.ms / firstAlone.ms, 2)}×`,
    });
    const scans = Object.entries(commands)
      .filter(([k]) => /Scan/.test(k))
      .reduce((n, [, v]) => n + v, 0);
    ctx.check('no Scan in a sweep', scans === 0, JSON.stringify(commands));
    ctx.check(
      'both sweeps see the same yellow and red cases',
      last.alone?.yellow === last.full?.yellow &&
        last.alone?.red === last.full?.red &&
        (last.full?.red ?? 0) > 0 &&
        (last.full?.yellow ?? 0) > 0,
      JSON.stringify(last),
    );
    ctx.check(
      'each warning recorded once: nothing new in the steady state',
      last.full?.recorded === 0 && last.full.cardsQueued === 0,
      JSON.stringify(last.full),
    );
    ctx.record('rounds', {
      aloneMs,
      fullMs,
      commandsPerSweep: commands,
      first: { alone: firstAlone, full: firstFull },
    });
  },
};
