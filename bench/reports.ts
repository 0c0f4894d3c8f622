/**
 * The monthly report over a month of 100,000 cases (bench/month-data.ts), through the whole
 * stack (GET /reports?from&to over HTTP: handler, use case, store, accumulator), against a bare
 * paginated Query over the same items in the same run: the by-month partitions of the four
 * departments that hold them, with the same projection and the same concurrency (4), doing
 * nothing with the rows. Interleaved rounds; the figure is the ratio of the medians.
 *
 * Every DynamoDB command sent by the runtime's DocumentClient during the report is counted by
 * name (a middleware on its stack): a report must send no Scan.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REPORT_CASE_ATTRIBUTES } from '../shared/domain/reports';
import { projection } from '../shared/store/report-repository';
import { byMonthPartition } from '../shared/store/keys';
import { commandCounter, httpClient, latencyStats, round, type Benchmark } from './lib';
import { DEPARTMENTS, MONTH, MONTH_CASES, OPEN_CASES, monthData } from './month-data';

const ROUNDS = 3;

export const reports: Benchmark = {
  name: 'reports',
  description: `GET /reports for a month of ${MONTH_CASES.toLocaleString('en-US')} cases vs a bare paginated Query over the same items; Scan calls`,
  async run(ctx) {
    const { runtime, loadSeconds } = await monthData(ctx);
    ctx.figure('load: BatchWriteItem into dynalite', loadSeconds, {
      unit: 's',
      detail: 'shared with the sweep benchmark',
    });
    const { db, tableName } = runtime.deps;
    const counter = commandCounter(db);
    const http = httpClient(runtime.url, 4);
    ctx.onCleanup(() => {
      http.close();
    });
    const token = await runtime.token({ sub: 'bench-supervisor', role: 'supervisor', dept: 'SUP' });
    const proj = projection(REPORT_CASE_ATTRIBUTES);

    const bare = async (): Promise<number> => {
      let items = 0;
      await Promise.all(
        DEPARTMENTS.map(async (d) => {
          let start: Record<string, unknown> | undefined;
          do {
            const page = await db.send(
              new QueryCommand({
                TableName: tableName,
                IndexName: 'by-month',
                KeyConditionExpression: 'bmpk = :p',
                ExpressionAttributeValues: { ':p': byMonthPartition(d.code, MONTH) },
                ...proj,
                ExclusiveStartKey: start,
              }),
            );
            items += page.Items?.length ?? 0;
            start = page.LastEvaluatedKey;
          } while (start);
        }),
      );
      return items;
    };
    let lastReport: any;
    const report = async (): Promise<void> => {
      const res = await http.request('GET', `/reports?from=${MONTH}-01&to=${MONTH}-31`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status !== 200) throw new Error(`GET /reports answered ${res.status}: ${res.text.slice(0, 200)}`);
      lastReport = res.json();
    };
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };

    ctx.log('warming up: one of each');
    const bareItems = await bare();
    await report();

    const bareMs: number[] = [];
    const reportMs: number[] = [];
    const commands: Record<string, number>[] = [];
    const bar = ctx.progress(`${ROUNDS} interleaved rounds of bare Query and report`, ROUNDS * 2);
    for (let r = 0; r < ROUNDS; r++) {
      bareMs.push(await time(bare));
      bar.tick();
      counter.start();
      reportMs.push(await time(report));
      commands.push(counter.stop());
      bar.tick();
    }
    const b = latencyStats(bareMs);
    const s = latencyStats(reportMs);
    ctx.table(
      `A month of ${MONTH_CASES.toLocaleString('en-US')} cases (${OPEN_CASES.toLocaleString('en-US')} open), ${ROUNDS} rounds each`,
      [
        {
          run: 'bare paginated Query (same items, projection, concurrency)',
          'items read': bareItems,
          'median ms': round(b.p50, 0),
          'min ms': round(b.min, 0),
          'max ms': round(b.max, 0),
        },
        {
          run: 'GET /reports (HTTP, whole stack)',
          'items read': MONTH_CASES + OPEN_CASES,
          'median ms': round(s.p50, 0),
          'min ms': round(s.min, 0),
          'max ms': round(s.max, 0),
        },
      ],
    );
    ctx.ratio('report / bare Query (median)', s.p50, b.p50, {
      aim: { max: 1.3 },
      detail: `rounds: ${reportMs.map((m, i) => round(m / bareMs[i], 2)).join(', ')}`,
    });
    const scans = commands.reduce(
      (n, c) =>
        n +
        Object.entries(c)
          .filter(([k]) => /Scan/.test(k))
          .reduce((a, [, v]) => a + v, 0),
      0,
    );
    ctx.figure('Scan calls during the reports', scans, { aim: { max: 0 }, detail: JSON.stringify(commands[0]) });
    ctx.check('no Scan', scans === 0, JSON.stringify(commands[0]));
    const received = (lastReport?.departments ?? []).reduce((n: number, d: { received: number }) => n + d.received, 0);
    ctx.check(`the report counts every case received in ${MONTH}`, received === MONTH_CASES, `received ${received}`);
    ctx.check('the bare Query read every case of the month', bareItems === MONTH_CASES, `${bareItems} items`);
    ctx.record('rounds', { bareMs, reportMs, commands });
  },
};
