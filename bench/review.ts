/**
 * The multi-department review on the state machine (issue 4).
 *
 * 1. State transitions per case, as the local runner counts them (every StateEntered and
 *    StateRetried event, Map iterations included: what AWS bills), and the AWS cost per case
 *    at USD 0.025 per 1,000 transitions:
 *    - a committed item (ENV-EIA-FORM, 1 department). In this design committed
 *      single-department items never start the state machine (the window decides them), so
 *      this is what a 1-department review WOULD take: its review plan run on a
 *      LocalWorkflowEngine over the same ASL file with an in-memory task function (as
 *      test/workflow/local-engine.test.ts does);
 *    - the 5-department joint item (MKT-ENTERPRISE-JOINT), over HTTP on the local runtime:
 *      submitted, accepted, 5 decisions through POST /tasks/{taskId}/decision;
 *    - the staged low-rent housing (HOUSING-LOW-RENT: 5 review stages of one department,
 *      then a 15-day public notice), over HTTP, with time travel past the notice.
 *    The joint and staged plans are also run in memory, as a check that the in-memory
 *    committed figure counts the same way as the runtime.
 *    Aim: ≤ 2 × departments + 4 transitions for a one-stage joint case.
 * 2. 200 joint cases reviewed at once over HTTP: 1,000 decisions at concurrency 32, the five
 *    departments of a case deciding together. Checks: every execution finishes, every case
 *    approved exactly once (one consolidate line, one completion SMS), five review lines and
 *    five reviews per case, every task decided: no decision lost.
 */
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../infra/local/runtime';
import { LocalWorkflowEngine } from '../infra/local/workflow-engine';
import { reviewDefinition } from '../infra/workflow/definition';
import type { TaskPayload } from '../shared/adapters/workflow';
import type { CaseRecord } from '../shared/domain/case';
import type { ServiceItem } from '../shared/domain/catalog';
import { loadDefaultCatalog } from '../shared/domain/default-catalog';
import { reviewPlan, taskIdOf } from '../shared/domain/review';
import { fullSubmission } from '../test/support/fixtures';
import { httpClient, round, runConcurrent, runRow, type Benchmark, type HttpClient, type Row } from './lib';

const COMMITTED = 'ENV-EIA-FORM';
const JOINT = 'MKT-ENTERPRISE-JOINT';
const STAGED = 'HOUSING-LOW-RENT';
/** USD per state transition (Standard workflows: USD 0.025 per 1,000). */
const USD_PER_TRANSITION = 0.025 / 1000;
const LOAD_CASES = 200;
const CONCURRENCY = 32;
/** A Monday, a working day. */
const CLOCK = '2026-11-02T09:00:00+08:00';
/** Longest wait for the state machine to open tasks or finish an execution. */
const PATIENCE_MS = 60_000;

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, everyMs = 20): Promise<T> {
  const deadline = performance.now() + PATIENCE_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Counts writes that DynamoDB refused on their condition (someone else wrote the item first), by command, while `on`. */
function conditionFailures(runtime: Runtime) {
  const state = { on: false, counts: {} as Record<string, number> };
  runtime.deps.db.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (state.on && (error as { name?: string }).name === 'ConditionalCheckFailedException') {
          const name = (context as { commandName?: string }).commandName ?? 'unknown';
          state.counts[name] = (state.counts[name] ?? 0) + 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchReviewConditionFailures' },
  );
  return state;
}

/**
 * A review plan run on the local engine over the same ASL file, with an in-memory task
 * function that approves every task as soon as it opens (answering its token with
 * sendTaskSuccess, as the decision endpoint does) and ends public notices at once.
 */
async function inMemoryTransitions(item: ServiceItem): Promise<number> {
  const now = new Date(CLOCK);
  const invoke = async (p: TaskPayload): Promise<unknown> => {
    await new Promise((r) => setImmediate(r)); // a real function is never synchronous
    switch (p.action) {
      case 'open-task':
        setImmediate(() => {
          void engine.sendTaskSuccess(p.token, {
            department: p.department,
            stage: p.stage,
            decision: 'approve',
            by: 'bench',
            at: CLOCK,
          });
        });
        return { decided: false };
      case 'notice-until':
        return { until: '2026-11-02T09:00:00+08:00' }; // already reached: the Wait passes at once
      case 'consolidate':
        return { caseNo: p.caseNo, status: 'approved' };
      default:
        throw new Error(`unexpected task ${(p as { action?: string }).action}`);
    }
  };
  const engine = new LocalWorkflowEngine({
    definition: reviewDefinition,
    invoke,
    clock: { now: () => now },
    pollIntervalMs: 20,
  });
  const name = `MEM-${item.code}`;
  try {
    await engine.start(name, { caseNo: name, stages: reviewPlan(item) });
    await within(PATIENCE_MS, `the in-memory execution of ${item.code}`, engine.whenDone(name));
    return engine.transitions(name);
  } finally {
    await engine.stop();
  }
}

interface Caller {
  http: HttpClient;
  runtime: Runtime;
  token(sub: string, role: string, dept: string): Promise<string>;
}

async function submit(c: Caller, item: ServiceItem): Promise<string> {
  const body = JSON.stringify(
    fullSubmission(
      item.code,
      item.materials.filter((m) => !m.condition).map((m) => m.code),
    ),
  );
  const res = await c.http.request('POST', '/cases', { body });
  if (res.status !== 201)
    throw new Error(`POST /cases (${item.code}) answered ${res.status}: ${res.text.slice(0, 200)}`);
  return (res.json() as { caseNo: string }).caseNo;
}

async function acceptCase(c: Caller, caseNo: string, item: ServiceItem, windowSub: string): Promise<void> {
  const token = await c.token(windowSub, 'window', item.department);
  const res = await c.http.request('POST', `/cases/${caseNo}/accept`, {
    body: '{}',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`accept ${caseNo} answered ${res.status}: ${res.text.slice(0, 200)}`);
  const status = (res.json() as { status: string }).status;
  if (status !== 'in-review') throw new Error(`accept ${caseNo} left it ${status}, not in-review`);
}

/** The open tasks in a reviewer's worklist (GET /worklist). */
async function worklistTasks(
  c: Caller,
  reviewerSub: string,
  dept: string,
): Promise<{ taskId: string; caseNo: string; stage: number; status: string }[]> {
  const token = await c.token(reviewerSub, 'reviewer', dept);
  const res = await c.http.request('GET', '/worklist', { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /worklist (${dept}) answered ${res.status}: ${res.text.slice(0, 200)}`);
  return (res.json() as { tasks: { taskId: string; caseNo: string; stage: number; status: string }[] }).tasks.filter(
    (t) => t.status === 'open',
  );
}

async function decideTask(c: Caller, taskId: string, reviewerSub: string, dept: string): Promise<void> {
  const token = await c.token(reviewerSub, 'reviewer', dept);
  const res = await c.http.request('POST', `/tasks/${taskId}/decision`, {
    body: JSON.stringify({ decision: 'approve', opinion: `${dept} 同意` }),
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`decision on ${taskId} answered ${res.status}: ${res.text.slice(0, 200)}`);
}

export const review: Benchmark = {
  name: 'review',
  description: `state transitions and AWS cost per case (committed, 5-department joint, staged); ${LOAD_CASES} joint cases reviewed at once over HTTP`,
  async run(ctx) {
    const catalog = loadDefaultCatalog();
    const itemOf = (code: string) => {
      const item = catalog.item(code);
      if (!item) throw new Error(`${code} is not in the catalog`);
      return item;
    };
    const committed = itemOf(COMMITTED);
    const joint = itemOf(JOINT);
    const staged = itemOf(STAGED);
    const jointDepts = joint.stages.flatMap((s) => (s.kind === 'review' ? s.departments : []));
    /** The A person of a department's first post: new cases and tasks go to them (A is present). */
    const personA = (dept: string) => catalog.department(dept)?.posts[0]?.a ?? `${dept.toLowerCase()}-a1`;

    // -- 1. In memory: the same ASL file, an in-memory task function.
    const memory = {
      committed: await inMemoryTransitions(committed),
      joint: await inMemoryTransitions(joint),
      staged: await inMemoryTransitions(staged),
    };

    // -- The local runtime, over HTTP.
    const runtime = await ctx.startRuntime({ clockStart: CLOCK });
    const http = httpClient(runtime.url, 64);
    ctx.onCleanup(() => {
      http.close();
    });
    const tokens = new Map<string, Promise<string>>();
    const caller: Caller = {
      http,
      runtime,
      token: (sub, role, dept) => {
        const key = `${sub}/${role}/${dept}`;
        let t = tokens.get(key);
        if (!t) tokens.set(key, (t = runtime.token({ sub, role, dept })));
        return t;
      },
    };
    const { workflow } = runtime;

    // -- 2. The joint item, one case: 5 departments decide at once.
    const jointNo = await submit(caller, joint);
    await acceptCase(caller, jointNo, joint, personA(joint.department));
    await Promise.all(
      jointDepts.map(async (d) => {
        const taskId = taskIdOf(jointNo, 0, d);
        await poll(`the ${d} task of ${jointNo}`, async () =>
          (await worklistTasks(caller, personA(d), d)).some((t) => t.taskId === taskId) ? true : undefined,
        );
        await decideTask(caller, taskId, personA(d), d);
      }),
    );
    await within(PATIENCE_MS, `the execution of ${jointNo}`, workflow.whenDone(jointNo));
    const jointTransitions = workflow.transitions(jointNo);

    // -- 3. 200 joint cases at once.
    const loadNos: string[] = [];
    const submitted = await runConcurrent(
      CONCURRENCY,
      LOAD_CASES,
      async () => loadNos.push(await submit(caller, joint)),
      {
        progress: ctx.progress(`submitting ${LOAD_CASES} joint cases`, LOAD_CASES),
      },
    );
    if (submitted.errors) throw new Error(`submitting the joint cases failed: ${submitted.errorSamples[0]}`);
    loadNos.sort();
    const accepted = await runConcurrent(
      CONCURRENCY,
      LOAD_CASES,
      (i) => acceptCase(caller, loadNos[i], joint, personA(joint.department)),
      {
        progress: ctx.progress(`accepting them (each starts its execution)`, LOAD_CASES),
      },
    );
    // Tasks appear in each department's worklist as the executions open them.
    const ours = new Set(loadNos);
    const t0 = performance.now();
    const openBar = ctx.progress(
      `waiting for ${LOAD_CASES * jointDepts.length} tasks in the worklists`,
      LOAD_CASES * jointDepts.length,
    );
    const seen = new Set<string>();
    await poll(
      'every task in the worklists',
      async () => {
        for (const d of jointDepts) {
          for (const t of await worklistTasks(caller, personA(d), d)) {
            if (ours.has(t.caseNo) && !seen.has(t.taskId)) {
              seen.add(t.taskId);
              openBar.tick();
            }
          }
        }
        return seen.size >= LOAD_CASES * jointDepts.length ? true : undefined;
      },
      100,
    );
    const openedMs = performance.now() - t0;
    // Case by case, the five departments of a case together: 32 decisions in flight, about six cases at once.
    const decisions = Array.from({ length: LOAD_CASES * jointDepts.length }, (_, i) => ({
      caseNo: loadNos[Math.floor(i / jointDepts.length)],
      dept: jointDepts[i % jointDepts.length],
    }));
    const conflicts = conditionFailures(runtime);
    conflicts.on = true;
    const decided = await runConcurrent(
      CONCURRENCY,
      decisions.length,
      (i) =>
        decideTask(
          caller,
          taskIdOf(decisions[i].caseNo, 0, decisions[i].dept),
          personA(decisions[i].dept),
          decisions[i].dept,
        ),
      { progress: ctx.progress(`${decisions.length} decisions at c=${CONCURRENCY}`, decisions.length) },
    );
    conflicts.on = false;
    const t1 = performance.now();
    const outcomes = await within(
      PATIENCE_MS,
      `the ${LOAD_CASES} executions`,
      Promise.allSettled(loadNos.map((no) => workflow.whenDone(no))),
    );
    const finishMs = performance.now() - t1;
    const failedExecutions = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');

    // -- 4. The staged item, with time travel past its public notice (last: the clock moves on).
    const stagedNo = await submit(caller, staged);
    await acceptCase(caller, stagedNo, staged, personA(staged.department));
    for (const [index, stage] of staged.stages.entries()) {
      if (stage.kind === 'public-notice') continue;
      const depts = stage.kind === 'review' ? stage.departments : [stage.department];
      for (const d of depts) {
        const taskId = taskIdOf(stagedNo, index, d);
        await poll(`the ${d} task of stage ${index}`, async () =>
          (await worklistTasks(caller, personA(d), d)).some((t) => t.taskId === taskId) ? true : undefined,
        );
        await decideTask(caller, taskId, personA(d), d);
      }
    }
    const notice = await poll('the public notice', async () =>
      (await runtime.deps.cases.get(stagedNo))?.pauses.find((p) => p.reason === 'public-notice'),
    );
    if (!notice.end) throw new Error('the public notice pause has no end');
    runtime.clock.set(notice.end);
    await within(PATIENCE_MS, `the execution of ${stagedNo}`, workflow.whenDone(stagedNo));
    const stagedTransitions = workflow.transitions(stagedNo);
    const stagedCase = await runtime.deps.cases.get(stagedNo);

    // -- Transitions and cost.
    const stagesOf = (item: ServiceItem) =>
      item.stages
        .map((s) =>
          s.kind === 'review' ? s.departments.length : s.kind === 'inspection' ? 'inspection' : `notice ${s.days} d`,
        )
        .join(' → ');
    const departmentsOf = (item: ServiceItem) =>
      new Set(
        item.stages.flatMap((s) =>
          s.kind === 'review' ? s.departments : s.kind === 'inspection' ? [s.department] : [],
        ),
      ).size;
    const costRow = (label: string, item: ServiceItem, transitions: number, how: string, inMemory: number): Row => ({
      item: `${item.code} (${label})`,
      departments: departmentsOf(item),
      stages: stagesOf(item),
      'counted by': how,
      transitions,
      'in memory': inMemory,
      'USD / case': round(transitions * USD_PER_TRANSITION, 6),
      'USD / 10,000 cases': round(transitions * USD_PER_TRANSITION * 10_000, 2),
    });
    ctx.table(
      `State transitions per case (Standard workflow, USD ${USD_PER_TRANSITION * 1000} per 1,000 transitions)`,
      [
        costRow(
          'committed, as a 1-department review',
          committed,
          memory.committed,
          'in-memory engine',
          memory.committed,
        ),
        costRow('joint', joint, jointTransitions, 'local runtime, HTTP', memory.joint),
        costRow('staged', staged, stagedTransitions, 'local runtime, HTTP', memory.staged),
      ],
    );
    const n = jointDepts.length;
    ctx.figure(`transitions, one-stage joint case (${n} departments)`, jointTransitions, {
      unit: '',
      aim: { max: 2 * n + 4 },
      detail: `2 × ${n} + 4 = ${2 * n + 4}`,
    });
    ctx.figure('transitions, committed item as a 1-department review (in memory)', memory.committed, {
      unit: '',
      detail: `2 × 1 + 4 = 6 for comparison; the aim is for joint cases`,
    });
    ctx.figure('transitions, staged low-rent housing', stagedTransitions, { unit: '' });
    ctx.figure('AWS cost per 100,000 joint cases', jointTransitions * USD_PER_TRANSITION * 100_000, {
      unit: 'USD',
      detail: `USD ${round(jointTransitions * USD_PER_TRANSITION, 6)} per case`,
    });
    ctx.figure('AWS cost per 100,000 staged cases', stagedTransitions * USD_PER_TRANSITION * 100_000, {
      unit: 'USD',
      detail: `USD ${round(stagedTransitions * USD_PER_TRANSITION, 6)} per case`,
    });
    ctx.check(
      'the in-memory engine counts as the runtime does (joint and staged)',
      memory.joint === jointTransitions && memory.staged === stagedTransitions,
      `joint ${memory.joint} vs ${jointTransitions}, staged ${memory.staged} vs ${stagedTransitions}`,
    );
    ctx.check(
      `the staged case is approved after its public notice (${notice.end})`,
      stagedCase?.status === 'approved' &&
        (stagedCase.reviews?.length ?? 0) === staged.stages.filter((s) => s.kind !== 'public-notice').length,
      `${stagedCase?.status}, ${stagedCase?.reviews?.length} reviews`,
    );

    // -- The load's checks: all finish, each approved exactly once, no decision lost.
    const cases = new Map<string, CaseRecord | undefined>();
    await runConcurrent(CONCURRENCY, loadNos.length, async (i) => {
      cases.set(loadNos[i], await runtime.deps.cases.get(loadNos[i]));
    });
    const tasks = await Promise.all(decisions.map((d) => runtime.deps.tasks.get(taskIdOf(d.caseNo, 0, d.dept))));
    const problems = {
      notApproved: [] as string[],
      consolidations: [] as string[],
      reviewLines: [] as string[],
      reviews: [] as string[],
    };
    for (const no of loadNos) {
      const c = cases.get(no);
      if (c?.status !== 'approved') problems.notApproved.push(`${no}: ${c?.status}`);
      const consolidations = c?.history.filter((e) => e.action === 'consolidate').length ?? 0;
      if (consolidations !== 1) problems.consolidations.push(`${no}: ${consolidations}`);
      const lines = c?.history.filter((e) => e.action === 'review').length ?? 0;
      if (lines !== n) problems.reviewLines.push(`${no}: ${lines}`);
      const depts = (c?.reviews ?? [])
        .filter((r) => r.decision === 'approve')
        .map((r) => r.department)
        .sort();
      if (depts.join() !== [...jointDepts].sort().join()) problems.reviews.push(`${no}: ${depts.join(',')}`);
    }
    const undecidedTasks = tasks.filter((t) => t?.status !== 'decided' || t.decision?.decision !== 'approve').length;
    await runtime.events.settled();
    const outbox = (await runtime.deps.localSms?.outbox()) ?? [];
    const completions = new Map<string, number>();
    for (const m of outbox) {
      if (m.kind !== 'completion') continue;
      const no = loadNos.find((x) => m.text.includes(x));
      if (no) completions.set(no, (completions.get(no) ?? 0) + 1);
    }
    const notOneSms = loadNos.filter((no) => completions.get(no) !== 1);
    const loadTransitions = loadNos.map((no) => workflow.transitions(no));
    const tmin = Math.min(...loadTransitions);
    const tmax = Math.max(...loadTransitions);

    ctx.table(`${LOAD_CASES} joint cases (${n} departments each) reviewed at once over HTTP`, [
      runRow('POST /cases', submitted),
      runRow('POST /cases/{caseNo}/accept (starts the execution)', accepted),
      runRow(`POST /tasks/{taskId}/decision, c=${CONCURRENCY}`, decided),
    ]);
    ctx.table('Outcome of the load', [
      {
        what: `tasks seen open in the ${n} worklists`,
        value: `${seen.size} of ${LOAD_CASES * n} (all within ${round(openedMs / 1000, 1)} s of the last accept)`,
      },
      {
        what: 'executions succeeded',
        value: `${outcomes.length - failedExecutions.length} of ${LOAD_CASES} (the last ${round(finishMs, 0)} ms after the last decision)`,
      },
      { what: 'cases approved', value: LOAD_CASES - problems.notApproved.length },
      { what: 'cases with exactly one consolidate line', value: LOAD_CASES - problems.consolidations.length },
      {
        what: `cases with ${n} review lines and ${n} approvals`,
        value: LOAD_CASES - Math.max(problems.reviewLines.length, problems.reviews.length),
      },
      { what: 'completion SMS: cases with exactly one', value: LOAD_CASES - notOneSms.length },
      { what: 'tasks decided (approve)', value: `${tasks.length - undecidedTasks} of ${tasks.length}` },
      {
        what: 'conditional writes refused during the decisions (then retried)',
        value:
          Object.entries(conflicts.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'none',
      },
      { what: 'transitions per case (min / max)', value: `${tmin} / ${tmax}` },
      {
        what: 'handler errors logged',
        value: (runtime as unknown as { logger?: { errors: number } }).logger?.errors ?? '-',
      },
    ]);
    ctx.figure(`decisions per second over HTTP (c=${CONCURRENCY})`, decided.throughput, { unit: '/s' });
    ctx.check(
      `${LOAD_CASES} cases submitted and accepted`,
      submitted.errors === 0 && accepted.errors === 0,
      `${accepted.errors} accept errors${accepted.errorSamples[0] ? `, e.g. ${accepted.errorSamples[0]}` : ''}`,
    );
    ctx.check(
      `every one of ${decisions.length} decisions answered 200`,
      decided.errors === 0,
      decided.errors ? `${decided.errors} errors, e.g. ${decided.errorSamples[0]}` : '0 errors',
    );
    ctx.check(
      `all ${LOAD_CASES} executions finish (whenDone)`,
      failedExecutions.length === 0,
      failedExecutions.length
        ? `${failedExecutions.length} failed, e.g. ${String(failedExecutions[0].reason)}`
        : `${LOAD_CASES} succeeded`,
    );
    ctx.check(
      'each case approved',
      problems.notApproved.length === 0,
      problems.notApproved.slice(0, 3).join('; ') || `${LOAD_CASES} approved`,
    );
    ctx.check(
      'each case approved exactly once (one consolidate line)',
      problems.consolidations.length === 0,
      problems.consolidations.slice(0, 3).join('; ') || 'one each',
    );
    ctx.check(
      `no decision lost: ${n} review lines and ${n} approvals per case, every task decided`,
      problems.reviewLines.length + problems.reviews.length + undecidedTasks === 0,
      [...problems.reviewLines, ...problems.reviews].slice(0, 3).join('; ') || `${tasks.length} tasks decided`,
    );
    ctx.check(
      'one completion SMS per case',
      notOneSms.length === 0,
      notOneSms.length
        ? `${notOneSms.length} cases, e.g. ${notOneSms[0]}: ${completions.get(notOneSms[0]) ?? 0}`
        : 'one each',
    );
    ctx.check(
      `every joint case took the same transitions (${jointTransitions})`,
      tmin === jointTransitions && tmax === jointTransitions,
      `${tmin}..${tmax}`,
    );

    ctx.record('transitions', {
      inMemory: memory,
      joint: jointTransitions,
      staged: stagedTransitions,
      load: { min: tmin, max: tmax },
    });
    ctx.record('usdPerTransition', USD_PER_TRANSITION);
    ctx.record('load', {
      conditionFailures: conflicts.counts,
      cases: LOAD_CASES,
      submitted: { ...submitted, latencies: undefined },
      accepted: { ...accepted, latencies: undefined },
      decided: { ...decided, latencies: undefined },
      openedMs,
      finishMs,
      problems,
      notOneSms,
    });
  },
};
