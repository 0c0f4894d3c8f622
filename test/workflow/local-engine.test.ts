import {
  LocalWorkflowEngine,
  WorkflowStoppedError,
  type LocalWorkflowEngineOptions,
} from '../../infra/local/workflow-engine';
import { reviewDefinition, substitute } from '../../infra/workflow/definition';
import {
  readConsolidation,
  UnknownTaskTokenError,
  type ConsolidatePayload,
  type OpenTaskPayload,
  type ReviewDecision,
  type ReviewInput,
  type TaskPayload,
} from '../../shared/adapters/workflow';

// ---------------------------------------------------------------- test doubles

/** A clock the test moves by hand. */
class TestClock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * In-memory stand-in for the review task function (what the Lambda runs), with a task store
 * that outlives an engine, as DynamoDB outlives a restart. Idempotent like the real one: an
 * open-task for a task that already holds a decision answers with it.
 */
class FakeTaskFunction {
  readonly tasks = new Map<string, { token: string; decision?: ReviewDecision }>();
  readonly opened: OpenTaskPayload[] = [];
  readonly consolidations: ConsolidatePayload[] = [];
  readonly noticeCalls: TaskPayload[] = [];
  private readonly noticeEnds = new Map<string, string>();

  constructor(
    private readonly clock: TestClock,
    /** How an already-decided task answers: the local-only return value, or sendTaskSuccess as in AWS. */
    private readonly answerWith:
      'return' | { sendTaskSuccess: (token: string, output: unknown) => Promise<void> } = 'return',
  ) {}

  invoke = async (payload: TaskPayload): Promise<unknown> => {
    await new Promise((r) => setImmediate(r)); // a real function is never synchronous
    switch (payload.action) {
      case 'open-task': {
        const key = taskKey(payload.caseNo, payload.stage, payload.department);
        const task = this.tasks.get(key);
        if (task?.decision) {
          task.token = payload.token;
          if (this.answerWith === 'return') return { decided: true, output: task.decision };
          await this.answerWith.sendTaskSuccess(payload.token, task.decision);
          return { decided: false };
        }
        this.tasks.set(key, { token: payload.token });
        this.opened.push(payload);
        return { decided: false };
      }
      case 'notice-until': {
        this.noticeCalls.push(payload);
        const key = `${payload.caseNo}/${payload.stage}`;
        if (!this.noticeEnds.has(key)) {
          // The working-day clock lives elsewhere; calendar days with a +08:00 offset are enough here.
          this.noticeEnds.set(key, chinaIso(this.clock.now().getTime() + payload.days * DAY));
        }
        return { until: this.noticeEnds.get(key) };
      }
      case 'consolidate': {
        this.consolidations.push(payload);
        const { outcome } = readConsolidation(payload);
        return { caseNo: payload.caseNo, status: outcome === 'approve' ? 'approved' : 'denied' };
      }
    }
  };

  /** What the decision endpoint does: record the decision on the task item, then resume the execution. */
  async decide(
    engine: LocalWorkflowEngine,
    caseNo: string,
    stage: number,
    department: string,
    decision: ReviewDecision,
  ): Promise<void> {
    const task = this.tasks.get(taskKey(caseNo, stage, department));
    if (!task) throw new Error(`no task for ${caseNo}/${stage}/${department}`);
    task.decision = decision;
    await engine.sendTaskSuccess(task.token, decision);
  }

  openedFor(caseNo: string, stage?: number): OpenTaskPayload[] {
    return this.opened.filter((p) => p.caseNo === caseNo && (stage === undefined || p.stage === stage));
  }
}

function taskKey(caseNo: string, stage: number, department: string): string {
  return `${caseNo}/${stage}/${department}`;
}

function chinaIso(ms: number): string {
  return new Date(ms + 8 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** Waits (a few ms at a time, at most 3 s) until `condition` holds. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const START = Date.parse('2026-11-30T09:00:00+08:00');
const approve = (department: string): ReviewDecision => ({ decision: 'approve', opinion: `${department} agrees` });

const engines: LocalWorkflowEngine[] = [];
function newEngine(fake: FakeTaskFunction, clock: TestClock, extra: Partial<LocalWorkflowEngineOptions> = {}) {
  const engine = new LocalWorkflowEngine({
    definition: substitute(reviewDefinition, { ReviewTaskFunctionArn: 'review-task' }),
    invoke: fake.invoke,
    clock,
    pollIntervalMs: 20,
    ...extra,
  });
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

const jointInput = (caseNo: string): ReviewInput => ({
  caseNo,
  stages: [{ index: 0, kind: 'review', departments: ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'] }],
});

/** 廉租房保障: community → town → housing office → civil affairs → housing office, then a 15-day notice. */
const housingInput = (caseNo: string): ReviewInput => ({
  caseNo,
  stages: [
    { index: 0, kind: 'review', departments: ['COMMUNITY'] },
    { index: 1, kind: 'review', departments: ['TOWN'] },
    { index: 2, kind: 'review', departments: ['HOUSING'] },
    { index: 3, kind: 'review', departments: ['CIVIL'] },
    { index: 4, kind: 'review', departments: ['HOUSING'] },
    { index: 5, kind: 'public-notice', days: 15 },
  ],
});

// ---------------------------------------------------------------- behaviour

describe('the review workflow on the local engine', () => {
  it('consolidates once with five approvals when every department of a joint item approves', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0001';
    await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');

    // Act
    for (const p of fake.opened) await fake.decide(engine, caseNo, 0, p.department, approve(p.department));
    const output = await engine.whenDone(caseNo);

    // Assert
    expect(output).toEqual({ caseNo, status: 'approved' });
    expect(fake.consolidations).toHaveLength(1);
    const consolidation = readConsolidation(fake.consolidations[0]);
    expect(consolidation.outcome).toBe('approve');
    expect(consolidation.reviews.map((r) => [r.department, r.review.decision])).toEqual([
      ['MKT', 'approve'],
      ['QS', 'approve'],
      ['STAX', 'approve'],
      ['LTAX', 'approve'],
      ['PSB', 'approve'],
    ]);
    expect(consolidation.reviews[1].review.opinion).toBe('QS agrees');
    expect(engine.running()).toEqual([]);
  });

  it('opens each department task with its own token and the case, stage and kind', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0002';

    // Act
    await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');

    // Assert
    expect(fake.opened[0]).toEqual({
      action: 'open-task',
      caseNo,
      stage: 0,
      kind: 'review',
      department: 'MKT',
      token: expect.stringMatching(/^local:MKT-20261130-0002:Review:/),
    });
    expect(new Set(fake.opened.map((p) => p.token)).size).toBe(5);
  });

  it('keeps the transitions of a one-stage joint case within 2 x departments + 4, and counts each case type', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const committed: ReviewInput = { caseNo: 'EIA-1', stages: [{ index: 0, kind: 'review', departments: ['ENV'] }] };
    await engine.start('EIA-1', committed);
    await engine.start('JOINT-1', jointInput('JOINT-1'));
    await engine.start('HOUSING-1', housingInput('HOUSING-1'));

    // Act
    await eventually(() => fake.openedFor('EIA-1').length === 1, 'the committed task');
    await fake.decide(engine, 'EIA-1', 0, 'ENV', approve('ENV'));
    await eventually(() => fake.openedFor('JOINT-1').length === 5, 'the joint tasks');
    for (const p of fake.openedFor('JOINT-1'))
      await fake.decide(engine, 'JOINT-1', 0, p.department, approve(p.department));
    for (let stage = 0; stage < 5; stage++) {
      await eventually(() => fake.openedFor('HOUSING-1', stage).length === 1, `housing stage ${stage}`);
      const { department } = fake.openedFor('HOUSING-1', stage)[0];
      await fake.decide(engine, 'HOUSING-1', stage, department, approve(department));
    }
    await eventually(() => fake.noticeCalls.length === 1, 'the public notice');
    clock.advance(16 * DAY);
    engine.clockMoved();
    await Promise.all(['EIA-1', 'JOINT-1', 'HOUSING-1'].map((n) => engine.whenDone(n)));

    // Assert
    const counts = {
      committed: engine.transitions('EIA-1'),
      joint: engine.transitions('JOINT-1'),
      staged: engine.transitions('HOUSING-1'),
    };
    console.log(
      `state transitions per case: committed item (1 department) ${counts.committed}, ` +
        `joint item (5 departments) ${counts.joint}, staged low-rent housing (5 review stages + 15-day notice) ${counts.staged}`,
    );
    expect(counts.joint).toBeLessThanOrEqual(2 * 5 + 4);
    expect(counts).toEqual({ committed: 7, joint: 11, staged: 30 });
  });

  it('denies with every department reason of the denied stage and never opens the later stages', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'WATER-20261130-0001';
    const input: ReviewInput = {
      caseNo,
      stages: [
        { index: 0, kind: 'review', departments: ['WATER', 'ENV'] },
        { index: 1, kind: 'public-notice', days: 15 },
        { index: 2, kind: 'inspection', departments: ['WATER'] },
      ],
    };
    await engine.start(caseNo, input);
    await eventually(() => fake.opened.length === 2, 'two open tasks');
    const reason = 'abstraction exceeds the "total quota"\nsee art. 12 \\ annex';

    // Act
    await fake.decide(engine, caseNo, 0, 'ENV', { decision: 'deny', reason });
    await fake.decide(engine, caseNo, 0, 'WATER', approve('WATER'));
    const output = await engine.whenDone(caseNo);
    await new Promise((r) => setTimeout(r, 50)); // long enough for a stray later stage to show itself

    // Assert
    expect(output).toEqual({ caseNo, status: 'denied' });
    const consolidation = readConsolidation(fake.consolidations[0]);
    expect(consolidation).toMatchObject({ outcome: 'deny', deniedStage: 0 });
    expect(consolidation.reviews.map((r) => [r.department, r.review])).toEqual([
      ['WATER', approve('WATER')],
      ['ENV', { decision: 'deny', reason }],
    ]);
    expect(fake.noticeCalls).toEqual([]);
    expect(fake.openedFor(caseNo, 2)).toEqual([]);
    expect(engine.transitions(caseNo)).toBe(1 + 1 + 1 + 2 + 1 + 1 + 1);
  });

  it('waits for every department of a stage even after one has denied', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0003';
    await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');

    // Act
    await fake.decide(engine, caseNo, 0, 'QS', { decision: 'deny', reason: 'no quality certificate' });
    await new Promise((r) => setTimeout(r, 100));

    // Assert
    expect(engine.running()).toEqual([caseNo]);
    expect(fake.consolidations).toEqual([]);
  });

  it('collects every decision when decisions for many cases arrive concurrently in random order', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNos = Array.from({ length: 20 }, (_, i) => `MKT-20261130-${String(100 + i).padStart(4, '0')}`);
    await Promise.all(caseNos.map((c) => engine.start(c, jointInput(c))));
    await eventually(() => fake.opened.length === 100, 'a hundred open tasks');
    const shuffled = [...fake.opened].sort(() => Math.random() - 0.5);

    // Act
    await Promise.all(
      shuffled.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20)));
        const decision: ReviewDecision =
          i % 17 === 0 ? { decision: 'deny', reason: `${p.department} refuses` } : approve(p.department);
        await fake.decide(engine, p.caseNo, p.stage, p.department, decision);
      }),
    );
    await Promise.allSettled(caseNos.map((c) => engine.whenDone(c)));

    // Assert
    expect(fake.consolidations.map((c) => c.caseNo).sort()).toEqual([...caseNos].sort());
    for (const payload of fake.consolidations) {
      const { reviews, outcome } = readConsolidation(payload);
      const recorded = reviews.map((r) => [r.department, r.review]);
      const expected = ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'].map((d) => [
        d,
        fake.tasks.get(taskKey(payload.caseNo, 0, d))!.decision,
      ]);
      expect(recorded).toEqual(expected);
      expect(outcome).toBe(reviews.some((r) => r.review.decision === 'deny') ? 'deny' : 'approve');
    }
  });

  it('finishes the public notice only once the clock has passed its end (time travel)', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'HOUSING-20261130-0001';
    await engine.start(caseNo, housingInput(caseNo));
    for (let stage = 0; stage < 5; stage++) {
      await eventually(() => fake.openedFor(caseNo, stage).length === 1, `stage ${stage}`);
      const { department } = fake.openedFor(caseNo, stage)[0];
      await fake.decide(engine, caseNo, stage, department, approve(department));
    }
    await eventually(() => fake.noticeCalls.length === 1, 'the public notice');
    const done = jest.fn();
    void engine.whenDone(caseNo).then(done);

    // Act
    clock.advance(15 * DAY - 60_000);
    engine.clockMoved();
    await new Promise((r) => setTimeout(r, 100));
    const runningOneMinuteBefore = engine.running();
    clock.advance(60_000);
    const started = Date.now();
    await engine.whenDone(caseNo); // found by the engine's own polling, no clockMoved()

    // Assert
    expect(runningOneMinuteBefore).toEqual([caseNo]);
    expect(Date.now() - started).toBeLessThan(300);
    expect(done).toHaveBeenCalledTimes(1);
    const { reviews, outcome } = readConsolidation(fake.consolidations[0]);
    expect(outcome).toBe('approve');
    expect(reviews.map((r) => r.department)).toEqual(['COMMUNITY', 'TOWN', 'HOUSING', 'CIVIL', 'HOUSING']);
    const notice = (fake.consolidations[0].result as { stages: { notice?: { until: string } }[] }).stages[5].notice;
    expect(notice).toEqual({ until: '2026-12-15T09:00:00+08:00' });
  });

  it('resumes after a restart in the middle of a review, and consolidate sees all five decisions', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const caseNo = 'MKT-20261130-0004';
    const first = newEngine(fake, clock);
    await first.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');
    const tokensBefore = fake.opened.map((p) => p.token);
    await fake.decide(first, caseNo, 0, 'MKT', approve('MKT'));
    await fake.decide(first, caseNo, 0, 'STAX', approve('STAX'));
    const firstDone = first.whenDone(caseNo);

    // Act
    await first.stop();
    const second = newEngine(fake, clock);
    await second.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 8, 'the three undecided tasks opened again');
    for (const d of ['QS', 'LTAX', 'PSB']) await fake.decide(second, caseNo, 0, d, approve(d));
    const output = await second.whenDone(caseNo);

    // Assert
    await expect(firstDone).rejects.toThrow(WorkflowStoppedError);
    expect(output).toEqual({ caseNo, status: 'approved' });
    expect(fake.consolidations).toHaveLength(1);
    const { reviews } = readConsolidation(fake.consolidations[0]);
    expect(reviews.map((r) => [r.department, r.review.decision])).toEqual(
      ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'].map((d) => [d, 'approve']),
    );
    expect(fake.opened.slice(5).map((p) => p.department)).toEqual(['QS', 'LTAX', 'PSB']);
    expect(fake.opened.slice(5).map((p) => p.token)).toEqual([tokensBefore[1], tokensBefore[3], tokensBefore[4]]);
    expect(second.transitions(caseNo)).toBe(11);
  });

  it('re-runs to the same result when every decision was recorded before the restart', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const caseNo = 'MKT-20261130-0005';
    for (const d of ['MKT', 'QS', 'STAX', 'LTAX', 'PSB']) {
      fake.tasks.set(taskKey(caseNo, 0, d), { token: 'from-an-earlier-run', decision: approve(d) });
    }
    const engine = newEngine(fake, clock);

    // Act
    await engine.start(caseNo, jointInput(caseNo));
    const output = await engine.whenDone(caseNo);

    // Assert
    expect(output).toEqual({ caseNo, status: 'approved' });
    expect(readConsolidation(fake.consolidations[0]).reviews).toHaveLength(5);
    expect(engine.transitions(caseNo)).toBe(11);
  });

  it('accepts an open-task that answers a recorded decision through sendTaskSuccess, as it must in AWS', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock, { sendTaskSuccess: (t, o) => engine.sendTaskSuccess(t, o) });
    const engine = newEngine(fake, clock);
    const caseNo = 'EIA-20261130-0001';
    fake.tasks.set(taskKey(caseNo, 0, 'ENV'), { token: 'old', decision: approve('ENV') });

    // Act
    await engine.start(caseNo, { caseNo, stages: [{ index: 0, kind: 'review', departments: ['ENV'] }] });
    const output = await engine.whenDone(caseNo);

    // Assert
    expect(output).toEqual({ caseNo, status: 'approved' });
  });

  it('treats a second start of the same execution as the first', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0006';
    const first = await engine.start(caseNo, jointInput(caseNo));

    // Act
    const second = await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length >= 5, 'five open tasks');
    await new Promise((r) => setTimeout(r, 50));

    // Assert
    expect(second).toEqual(first);
    expect(fake.opened).toHaveLength(5);
    expect(engine.running()).toEqual([caseNo]);
  });

  it('rejects a decision for a token that no task is waiting for, with a clear error', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);

    // Act
    const attempt = engine.sendTaskSuccess('local:MKT-20261130-9999:Review:nope', approve('MKT'));

    // Assert
    await expect(attempt).rejects.toThrow(UnknownTaskTokenError);
    await expect(engine.sendTaskFailure('local:nope', 'X', 'y')).rejects.toThrow(
      /no review task is waiting for this token \(local:nope\)/,
    );
  });

  it('rejects a repeated decision for a task already answered', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0007';
    await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');
    const token = fake.opened[0].token;
    await engine.sendTaskSuccess(token, approve('MKT'));

    // Act
    const again = engine.sendTaskSuccess(token, { decision: 'deny', reason: 'changed my mind' });

    // Assert
    await expect(again).rejects.toMatchObject({ name: 'UnknownTaskTokenError', kind: 'conflict' });
  });

  it('fails the execution with the error a task failure names', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    const caseNo = 'MKT-20261130-0008';
    await engine.start(caseNo, jointInput(caseNo));
    await eventually(() => fake.opened.length === 5, 'five open tasks');

    // Act
    await engine.sendTaskFailure(fake.opened[2].token, 'Review.Withdrawn', 'the applicant withdrew');

    // Assert
    await expect(engine.whenDone(caseNo)).rejects.toMatchObject({ cause: { name: 'Review.Withdrawn' } });
    expect(engine.describe(caseNo).status).toBe('failed');
    expect(fake.consolidations).toEqual([]);
  });

  it('refuses an execution input that the state machine cannot run', async () => {
    // Arrange
    const clock = new TestClock(START);
    const engine = newEngine(new FakeTaskFunction(clock), clock);
    const input = { caseNo: 'X-1', stages: [{ index: 0, kind: 'review', departments: [] }] } as ReviewInput;

    // Act
    const attempt = engine.start('X-1', input);

    // Assert
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationError', kind: 'invalid' });
    expect(engine.running()).toEqual([]);
  });

  it('re-runs an execution whose task outlived the longest local timer, and still finishes', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock, { maxTimerSeconds: 1 });
    const caseNo = 'EIA-20261130-0002';
    await engine.start(caseNo, { caseNo, stages: [{ index: 0, kind: 'review', departments: ['ENV'] }] });
    await eventually(() => fake.opened.length === 1, 'the open task');

    // Act
    await eventually(() => engine.describe(caseNo).runs === 2 && fake.opened.length === 2, 'a second run');
    await fake.decide(engine, caseNo, 0, 'ENV', approve('ENV'));
    const output = await engine.whenDone(caseNo);

    // Assert
    expect(output).toEqual({ caseNo, status: 'approved' });
    expect(fake.opened[1].token).toBe(fake.opened[0].token);
  });

  it('aborts every running execution on stop and starts none afterwards', async () => {
    // Arrange
    const clock = new TestClock(START);
    const fake = new FakeTaskFunction(clock);
    const engine = newEngine(fake, clock);
    await engine.start('A-1', jointInput('A-1'));
    await engine.start('B-1', housingInput('B-1'));
    await eventually(() => fake.opened.length === 6, 'six open tasks');

    // Act
    await engine.stop();

    // Assert
    expect(engine.running()).toEqual([]);
    expect(engine.describe('A-1').status).toBe('aborted');
    await expect(engine.start('C-1', jointInput('C-1'))).rejects.toThrow(/stopped/);
    await expect(engine.sendTaskSuccess(fake.opened[0].token, approve('MKT'))).rejects.toThrow(UnknownTaskTokenError);
  });
});
