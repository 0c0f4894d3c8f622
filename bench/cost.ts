/**
 * What one case costs in AWS (issue 16's measure): a 5-department joint case
 * (MKT-ENTERPRISE-JOINT) through its whole life over HTTP on the local runtime: submitted,
 * three progress look-ups, accepted, five decisions, consolidated, the completion SMS sent, rated
 * by an SMS reply, with the default-rating job run.
 *
 * DynamoDB write units are counted as DynamoDB bills them, from the items themselves: a
 * middleware on the store's client reads each written item before and after (outside the
 * count) and charges ceil(larger size / 1 KB) for the table, twice in a transaction, and for
 * every global secondary index of the synthesized table the writes that index takes (a put
 * when the item enters it, a delete when it leaves, both when its index key changes, one when
 * a projected attribute changes), each ceil(projected size / 1 KB). dynalite reports no index
 * capacity, so this is computed; the sizes follow DynamoDB's rules (names and values in UTF-8,
 * numbers about one byte per two digits). Read units are dynalite's (ReturnConsumedCapacity).
 * Items of the local runtime only (LOCAL#: the SMS outbox) are not counted.
 *
 * The cost uses the synthesized stateless stack's memory and architecture and public on-demand
 * prices of us-east-1 (stated below; AWS China's are in the README), with an assumed Lambda
 * duration per invocation. SMS is left out (the provider's price is most of it). Aim: at most
 * USD 0.0003 a case.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { buildApp } from '../infra/aws/app';
import type { Runtime } from '../infra/local/runtime';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { fullSubmission } from '../test/support/fixtures';
import { round, type Benchmark, type Row } from './lib';

const JOINT = 'MKT-ENTERPRISE-JOINT';
/** A committed one-department item the window decides: most of a hall's cases. */
const SINGLE = 'ENV-EIA-FORM';
/** Share of joint (multi-department) cases in the mix, as the README's estimate assumes. */
const JOINT_SHARE = 0.1;
const DEPARTMENTS = ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'];
const CLOCK = '2026-11-02T09:00:00+08:00';
const AIM_USD = 0.0003;
/** Public on-demand prices, us-east-1, USD (checked 2026-12). */
const PRICE = {
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  httpApiRequest: 1.0 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  transition: 0.025 / 1000,
  event: 1.0 / 1e6,
};
/** Assumed billed duration of one invocation (the handlers' p50 on the benches here is well under it). */
const LAMBDA_MS = 120;

type Attrs = Record<string, unknown>;
interface IndexShape {
  name: string;
  keys: string[];
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  include: string[];
}

/** DynamoDB's size of a value, in bytes. */
function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...(v as Set<unknown>)].reduce<number>((s, x) => s + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce<number>((s, x) => s + 1 + valueSize(x), 0);
  if (typeof v === 'object')
    return 3 + Object.entries(v).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 1;
}
const itemSize = (item: Attrs, only?: string[]) =>
  Object.entries(item)
    .filter(([k]) => !only || only.includes(k))
    .reduce((s, [k, v]) => s + Buffer.byteLength(k) + valueSize(v), 0);
const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function projected(index: IndexShape, item: Attrs): number {
  if (index.projection === 'ALL') return itemSize(item);
  const keys = ['pk', 'sk', ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])];
  return itemSize(item, keys);
}
const inIndex = (index: IndexShape, item?: Attrs) => !!item && index.keys.every((k) => item[k] !== undefined);
const sameKey = (index: IndexShape, a: Attrs, b: Attrs) => index.keys.every((k) => a[k] === b[k]);
const changedIn = (index: IndexShape, a: Attrs, b: Attrs) => {
  const names =
    index.projection === 'ALL'
      ? [...new Set([...Object.keys(a), ...Object.keys(b)])]
      : ['pk', 'sk', ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])];
  return names.some((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]));
};

/** Write units of one item's change: the table and each index. */
function writeUnits(indexes: IndexShape[], before: Attrs | undefined, after: Attrs | undefined) {
  const table = units(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
  const byIndex: Record<string, number> = {};
  for (const index of indexes) {
    const was = inIndex(index, before);
    const is = inIndex(index, after);
    let n = 0;
    if (was && !is) n = units(projected(index, before!));
    else if (!was && is) n = units(projected(index, after!));
    else if (was && is) {
      if (!sameKey(index, before!, after!)) n = units(projected(index, before!)) + units(projected(index, after!));
      else if (changedIn(index, before!, after!)) n = units(projected(index, after!));
    }
    if (n) byIndex[index.name] = n;
  }
  return { table, byIndex };
}

interface Meter {
  on: boolean;
  table: number;
  index: Record<string, number>;
  reads: number;
  byEntity: Record<string, number>;
  writes: number;
}

const keyOf = (item: Attrs) => ({ pk: item.pk, sk: item.sk });

/** Counts write and read units on the runtime's store client while `on`. */
function meter(runtime: Runtime, indexes: IndexShape[]): Meter {
  const m: Meter = { on: false, table: 0, index: {}, reads: 0, byEntity: {}, writes: 0 };
  const db = runtime.deps.db;
  const tableName = runtime.deps.tableName;
  let internal = false;
  const read = async (key: Attrs): Promise<Attrs | undefined> => {
    internal = true;
    try {
      return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    } finally {
      internal = false;
    }
  };
  const charge = (before: Attrs | undefined, after: Attrs | undefined, factor: number) => {
    const sample = after ?? before;
    if (!sample || String(sample.pk).startsWith('LOCAL#')) return;
    const { table, byIndex } = writeUnits(indexes, before, after);
    m.table += table * factor;
    m.writes++;
    let total = table * factor;
    for (const [name, n] of Object.entries(byIndex)) {
      m.index[name] = (m.index[name] ?? 0) + n * factor;
      total += n * factor;
    }
    const entity = typeof sample.entity === 'string' ? sample.entity : String(sample.pk).split('#')[0];
    m.byEntity[entity] = (m.byEntity[entity] ?? 0) + total;
  };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? '';
      const input = args.input as Attrs;
      if (!m.on || internal) return next(args);
      if (/^(Get|Query|BatchGet|TransactGet|Scan)/.test(name)) {
        input.ReturnConsumedCapacity = 'TOTAL';
        const out = await next(args);
        const cc = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
          .ConsumedCapacity;
        for (const c of Array.isArray(cc) ? cc : cc ? [cc] : []) m.reads += c.CapacityUnits ?? 0;
        return out;
      }
      const writes: { key: Attrs; factor: number }[] = [];
      if (name === 'PutItemCommand') writes.push({ key: keyOf(input.Item as Attrs), factor: 1 });
      else if (name === 'UpdateItemCommand' || name === 'DeleteItemCommand')
        writes.push({ key: input.Key as Attrs, factor: 1 });
      else if (name === 'TransactWriteItemsCommand') {
        for (const t of input.TransactItems as Attrs[]) {
          const op = (t.Put ?? t.Update ?? t.Delete) as Attrs | undefined;
          if (!op) continue;
          writes.push({ key: t.Put ? keyOf(op.Item as Attrs) : (op.Key as Attrs), factor: 2 });
        }
      } else if (name === 'BatchWriteItemCommand') {
        for (const reqs of Object.values(input.RequestItems as Record<string, Attrs[]>))
          for (const r of reqs) {
            const put = r.PutRequest as Attrs | undefined;
            const del = r.DeleteRequest as Attrs | undefined;
            writes.push({ key: put ? keyOf(put.Item as Attrs) : (del?.Key as Attrs), factor: 1 });
          }
      } else return next(args);
      const before = await Promise.all(writes.map((w) => read(w.key)));
      try {
        const out = await next(args);
        const after = await Promise.all(writes.map((w) => read(w.key)));
        writes.forEach((w, i) => {
          charge(before[i], after[i], w.factor);
        });
        return out;
      } catch (error) {
        // A refused condition still costs the write of the item as it is, with no index change.
        writes.forEach((w, i) => {
          if (before[i]) charge(before[i], before[i], w.factor);
          else m.table += w.factor;
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'benchCostMeter' },
  );
  return m;
}

/** The synthesized stateless and stateful stacks: the table's indexes and the functions' memory. */
function synthesized(): { indexes: IndexShape[]; memoryMb: number; arm: boolean } {
  const built = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), {});
  const stateful = Template.fromStack(built.stateful).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Attrs }>;
  };
  const stateless = Template.fromStack(built.stateless).toJSON() as typeof stateful;
  const table = Object.values(stateful.Resources).find(
    (r) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::DynamoDB::Table',
  );
  if (!table) throw new Error('no table in the stateful stack');
  const gsis = (table.Properties.GlobalSecondaryIndexes ?? []) as {
    IndexName: string;
    KeySchema: { AttributeName: string }[];
    Projection: { ProjectionType: IndexShape['projection']; NonKeyAttributes?: string[] };
  }[];
  const fns = Object.values(stateless.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  const memory = fns.map((f) => Number(f.Properties.MemorySize ?? 128));
  return {
    indexes: gsis.map((g) => ({
      name: g.IndexName,
      keys: g.KeySchema.map((k) => k.AttributeName),
      projection: g.Projection.ProjectionType,
      include: g.Projection.NonKeyAttributes ?? [],
    })),
    memoryMb: Math.max(...memory),
    arm: fns.every((f) => JSON.stringify(f.Properties.Architectures ?? []).includes('arm64')),
  };
}

interface Life {
  item: string;
  writeUnits: number;
  tableUnits: number;
  index: Record<string, number>;
  byEntity: Record<string, number>;
  writes: number;
  reads: number;
  httpRequests: number;
  events: number;
  invocations: number;
  transitions: number;
}

function resetMeter(m: Meter) {
  Object.assign(m, { table: 0, index: {}, reads: 0, byEntity: {}, writes: 0 });
}

function usd(life: Life, memoryMb: number) {
  const gbSeconds = life.invocations * (LAMBDA_MS / 1000) * (memoryMb / 1024);
  return {
    dynamoWrites: life.writeUnits * PRICE.writeUnit,
    dynamoReads: life.reads * PRICE.readUnit,
    api: life.httpRequests * PRICE.httpApiRequest,
    lambda: life.invocations * PRICE.lambdaRequest + gbSeconds * PRICE.lambdaGbSecondArm,
    stepFunctions: life.transitions * PRICE.transition,
    events: life.events * PRICE.event,
  };
}
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export const cost: Benchmark = {
  name: 'cost',
  description: `DynamoDB write units (indexes included) and AWS cost per case, a joint and a one-department case's whole life; aim ≤ USD ${AIM_USD} a case at Guiyang's mix`,
  async run(ctx) {
    const shape = synthesized();
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const m = meter(runtime, shape.indexes);
    let httpRequests = 0;
    let events = 0;
    const publish = runtime.deps.events.publish.bind(runtime.deps.events);
    runtime.deps.events.publish = async (e) => {
      if (m.on) events++;
      return publish(e);
    };
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      httpRequests++;
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
      return JSON.parse(text) as Attrs;
    };
    const staff = async (sub: string, role: string, dept: string) => ({
      authorization: `Bearer ${await runtime.token({ sub, role, dept })}`,
    });
    const catalog = loadDefaultCatalog();

    /** Submitted, looked up, accepted, decided (by the window or by its departments), the SMS sent, rated by reply. */
    async function life(code: string, phone: string, departments: string[]): Promise<Life> {
      const item = catalog.item(code);
      if (!item) throw new Error(`${code} is not in the catalog`);
      const materials = item.materials.filter((x) => !x.condition).map((x) => x.code);
      resetMeter(m);
      httpRequests = 0;
      events = 0;
      m.on = true;
      const receipt = await call(
        'POST',
        '/cases',
        fullSubmission(code, materials, {
          name: '张三',
          idType: 'resident-id',
          idNumber: '11010519491231002X',
          phone,
        }),
      );
      const caseNo = String(receipt.caseNo);
      const asApplicant = { 'x-query-code': String(receipt.queryCode) };
      await call('GET', `/cases/${caseNo}`, undefined, asApplicant);
      const window = await staff(`${item.department.toLowerCase()}-a1`, 'window', item.department);
      await call('POST', `/cases/${caseNo}/accept`, {}, window);
      if (departments.length === 0) {
        await call('POST', `/cases/${caseNo}/decide`, { decision: 'approve' }, window);
      }
      for (const dept of departments) {
        const reviewer = await staff(`${dept.toLowerCase()}-a1`, 'reviewer', dept);
        let taskId: string | undefined;
        for (let i = 0; i < 200 && !taskId; i++) {
          const list = (await call('GET', '/worklist', undefined, reviewer)) as {
            tasks: { caseNo: string; taskId: string; status: string }[];
          };
          taskId = list.tasks.find((t) => t.caseNo === caseNo && t.status === 'open')?.taskId;
          if (!taskId) {
            httpRequests--; // waiting for the state machine to open the task: a reviewer looks once
            await new Promise((r) => setTimeout(r, 25));
          }
        }
        if (!taskId) throw new Error(`no ${dept} task opened for ${caseNo}`);
        await call('POST', `/tasks/${taskId}/decision`, { decision: 'approve', opinion: `${dept} 同意` }, reviewer);
      }
      if (departments.length) await runtime.workflow.whenDone(caseNo);
      await runtime.events.settled();
      await call('GET', `/cases/${caseNo}`, undefined, asApplicant);
      await call('POST', '/_local/sms/inbound', { from: `+86${phone}`, text: '1', messageId: `bench-cost-${caseNo}` });
      httpRequests--; // the SMS reply arrives through SNS in AWS, not the HTTP API
      await call('GET', `/cases/${caseNo}`, undefined, asApplicant);
      m.on = false;
      const view = await call('GET', `/cases/${caseNo}`, undefined, asApplicant);
      ctx.check(
        `${code}: the case ends approved and rated`,
        view.status === 'approved' && !!view.rating,
        JSON.stringify({ status: view.status, rating: view.rating }),
      );
      const indexUnits = sum(m.index);
      return {
        item: code,
        writeUnits: m.table + indexUnits,
        tableUnits: m.table,
        index: { ...m.index },
        byEntity: { ...m.byEntity },
        writes: m.writes,
        reads: m.reads,
        httpRequests,
        events,
        // Every API request, every event (notify), every review task answered and the consolidation.
        invocations: httpRequests + events + (departments.length ? departments.length + 1 : 0),
        transitions: departments.length ? runtime.workflow.transitions(caseNo) : 0,
      };
    }

    const joint = await life(JOINT, '13900008888', DEPARTMENTS);
    const single = await life(SINGLE, '13900008889', []);
    const lives = [joint, single];
    const costs = lives.map((l) => usd(l, shape.memoryMb));
    const mix = (pick: (i: number) => number) => JOINT_SHARE * pick(0) + (1 - JOINT_SHARE) * pick(1);
    const rows: Row[] = [
      ['DynamoDB write units', (l: Life) => l.writeUnits, 'dynamoWrites'],
      ['DynamoDB read units', (l: Life) => l.reads, 'dynamoReads'],
      ['HTTP API requests', (l: Life) => l.httpRequests, 'api'],
      [
        `Lambda invocations (${LAMBDA_MS} ms × ${shape.memoryMb} MB${shape.arm ? ', ARM' : ''})`,
        (l: Life) => l.invocations,
        'lambda',
      ],
      ['Step Functions transitions', (l: Life) => l.transitions, 'stepFunctions'],
      ['EventBridge events', (l: Life) => l.events, 'events'],
    ].map(([part, quantity, key]) => {
      const q = quantity as (l: Life) => number;
      const k = key as keyof ReturnType<typeof usd>;
      return {
        part: part as string,
        [JOINT]: round(q(joint), 1),
        [SINGLE]: round(q(single), 1),
        [`USD per 1,000 cases at the mix`]: round(1000 * mix((i) => costs[i][k]), 4),
      };
    });
    const perCase = mix((i) => sum(costs[i]));
    rows.push({
      part: 'USD per case',
      [JOINT]: round(sum(costs[0]), 6),
      [SINGLE]: round(sum(costs[1]), 6),
      [`USD per 1,000 cases at the mix`]: round(1000 * perCase, 4),
    });
    ctx.table(
      `AWS use and cost per case (us-east-1 on-demand; mix: ${100 * JOINT_SHARE}% joint cases; SMS left out)`,
      rows,
    );
    ctx.table('DynamoDB write units per case, by where they go', [
      { where: 'table', [JOINT]: joint.tableUnits, [SINGLE]: single.tableUnits },
      ...shape.indexes.map((i) => ({
        where: `index ${i.name} (${i.projection})`,
        [JOINT]: joint.index[i.name] ?? 0,
        [SINGLE]: single.index[i.name] ?? 0,
      })),
      ...[...new Set([...Object.keys(joint.byEntity), ...Object.keys(single.byEntity)])].map((e) => ({
        where: `of which ${e} items`,
        [JOINT]: joint.byEntity[e] ?? 0,
        [SINGLE]: single.byEntity[e] ?? 0,
      })),
    ]);
    for (const l of lives) {
      const indexUnits = l.writeUnits - l.tableUnits;
      ctx.figure(`${l.item}: DynamoDB write units per case (indexes included)`, l.writeUnits, {
        unit: 'WRU',
        detail: `${l.tableUnits} table + ${indexUnits} index (${round((100 * indexUnits) / l.writeUnits, 0)}%), ${l.writes} writes`,
      });
    }
    ctx.figure('AWS cost per 1,000 cases at the mix, SMS left out', 1000 * perCase, {
      unit: 'USD',
      aim: { max: 1000 * AIM_USD },
    });
    ctx.record('cost', { lives, costs, perCase, jointShare: JOINT_SHARE, prices: PRICE, lambdaMs: LAMBDA_MS });
  },
};
