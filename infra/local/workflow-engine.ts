/**
 * LocalWorkflowEngine: the Workflow port on one machine. It runs infra/workflow/review.asl.json
 * (or any definition of the same kind) with aws-local-stepfunctions, calling the task
 * function's handler in-process where AWS would invoke the Lambda.
 *
 * What the library lacks, and what this engine does instead (all of it local-only; the file that
 * AWS runs is not changed):
 *
 * - Task tokens. The library has none: `$$.Task.Token` reads the Context Object, which we give a
 *   placeholder. A `.waitForTaskToken` task gets a token that is deterministic for its execution,
 *   state and payload (`local:<execution>:<state>:<hash>`), so a re-run after a restart issues the
 *   same tokens. The engine registers the token, calls `invoke` with the placeholder replaced,
 *   and waits until sendTaskSuccess / sendTaskFailure answers it. `invoke` may answer at once,
 *   either by calling sendTaskSuccess itself (as it must in AWS) or by returning
 *   `{ decided: true, output }` (local only; AWS ignores the return value).
 * - Lambda integration shapes. `lambda:invoke` tasks get `{ StatusCode, ExecutedVersion,
 *   Payload }` as in AWS; payloads and results go through JSON as they would over the wire.
 * - Wait states. The library sleeps on Date.now() and real timers, and waitTimeOverrides are
 *   fixed numbers given at start. So each Wait becomes, locally, a Task of the same name (same
 *   Next/End/OutputPath, ResultPath null) whose handler waits on the injected clock: until
 *   clock.now() >= the timestamp, checking every pollIntervalMs and at once on clockMoved().
 *   The state-entered count does not change.
 * - Fail states with CausePath/ErrorPath. The library cannot evaluate an intrinsic there (it
 *   raises an uncatchable States.Runtime), and its States.JsonToString drops every backslash,
 *   which corrupts JSON holding a quote or a newline. Locally such a Fail becomes a Task that
 *   throws the same Error with the JSON-serialized Cause, which Catch sees as in AWS.
 * - Timeouts. The library races every task against setTimeout(TimeoutSeconds * 1000); Node
 *   cannot wait more than 2^31 - 1 ms (24.8 days) and fires a longer timer after 1 ms, and a
 *   Task without TimeoutSeconds times out after 60 s (AWS: never). Locally, longer and missing
 *   timeouts become maxTimerSeconds (24.8 days). If such a clamped timer expires while a task
 *   waits, the engine re-runs the execution from the start, which the idempotent tasks make
 *   safe (the same property that makes a restart safe).
 * - Map iterations queued behind MaxConcurrency start even after the Map has failed (the
 *   library aborts only the iterations already running). So once an iteration of a Map fails
 *   (a stage denied), the engine refuses every task inside that Map until the Map is entered
 *   again, and does not count the states those stray iterations enter: AWS never starts them.
 *   Each handler first yields one macrotask so that the failure event has been seen.
 * - Promise.withResolvers on Node 20: ./polyfills.
 *
 * Transitions: every StateEntered and StateRetried event, nested Map iterations included, is
 * what AWS bills as a state transition; transitions(name) sums them over the execution's runs.
 *
 * Executions are idempotent by name: start() with a known name returns it and changes nothing.
 * stop() aborts every execution (clean shutdown); a new engine re-runs them from the start.
 * The library runs at most 40 Map iterations at once when MaxConcurrency is 0.
 */
import './polyfills';
import { createHash } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '../../shared/adapters/ports';
import {
  checkReviewStart,
  UnknownTaskTokenError,
  type ReviewInput,
  type TaskPayload,
  type Workflow,
} from '../../shared/adapters/workflow';
import type { AslDefinition, AslState } from '../workflow/definition';

/** The task function's handler, called in-process with each task's Payload. */
export type TaskInvoker = (payload: TaskPayload) => Promise<unknown>;

export interface LocalWorkflowEngineOptions {
  /** The ASL definition, with `${...}` substitutions applied or not (FunctionName is not used locally). */
  definition: AslDefinition;
  invoke: TaskInvoker;
  clock: Clock;
  /** Resolves once the clock has reached untilMs; the default polls `clock` (see pollIntervalMs). */
  sleep?: (untilMs: number, signal: AbortSignal) => Promise<void>;
  /** How often the default sleep looks at the clock; clockMoved() makes it look at once. Default 1000. */
  pollIntervalMs?: number;
  /** The longest timer to hand to the library; default 2147483 s (Node's limit). */
  maxTimerSeconds?: number;
  /** Called when an execution ends (succeeded, failed or aborted), e.g. to log it. */
  onExecutionEnd?: (summary: ExecutionSummary) => void;
}

export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface ExecutionSummary {
  name: string;
  executionId: string;
  status: ExecutionStatus;
  /** State transitions as AWS counts them (states entered + retries), over every run. */
  transitions: number;
  /** 1, plus one per re-run after a clamped timer expired. */
  runs: number;
  output?: unknown;
  error?: { name: string; message: string };
}

/** whenDone() of an execution that stop() aborted. */
export class WorkflowStoppedError extends Error {
  constructor(executionName: string) {
    super(`execution ${executionName} was aborted because the workflow engine stopped`);
    this.name = 'WorkflowStoppedError';
  }
}

const validatedDefinitions = new Set<string>();
const TOKEN_PLACEHOLDER = 'local-task-token-placeholder';
const NODE_MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
const MAX_PAYLOAD_BYTES = 256 * 1024;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type TaskKind =
  | { kind: 'token'; clamped: boolean }
  | { kind: 'invoke'; clamped: boolean }
  | { kind: 'lambda'; clamped: boolean }
  | { kind: 'wait'; clamped: true }
  | { kind: 'fail'; clamped: false };

interface Run {
  id: number;
  controller: AbortController;
  abortLibrary: () => void;
  /** Handlers of clamped tasks still waiting: a States.Timeout then is the clamp, not the ASL. */
  waitingClamped: number;
  /** Map (and Parallel) states with a failed iteration (branch), until they are entered again. */
  failedScopes: Set<string>;
}

interface ExecutionRecord {
  name: string;
  executionId: string;
  input: ReviewInput;
  status: ExecutionStatus;
  transitions: number;
  runs: number;
  output?: unknown;
  error?: Error;
  done: Promise<unknown>;
  current?: Run;
}

interface Waiter {
  runId: number;
  promise: Promise<unknown>;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

type RunOutcome = { kind: 'succeeded'; output: unknown } | { kind: 'clamp-expired' } | { kind: 'ended'; error: Error };

export class LocalWorkflowEngine implements Workflow {
  private readonly machine: StateMachine;
  private readonly tasks: Map<string, TaskKind>;
  private readonly scopes: Map<string, string[]>;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly wakers = new Set<() => void>();
  private readonly pollIntervalMs: number;
  private stopped = false;
  private runSeq = 0;

  constructor(private readonly options: LocalWorkflowEngineOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    const maxTimerSeconds = Math.min(options.maxTimerSeconds ?? NODE_MAX_TIMER_SECONDS, NODE_MAX_TIMER_SECONDS);
    // The library validates the definition as written (asl-validator), then runs our local form of it.
    const key = JSON.stringify(options.definition);
    if (!validatedDefinitions.has(key)) {
      // A copy: the library adds defaults to what it is given, and the shared definition is frozen.
      new StateMachine(structuredClone(options.definition) as unknown as StateMachineDefinition);
      validatedDefinitions.add(key); // validating takes about half a second; engines are made often in tests
    }
    const { definition, tasks, scopes } = localForm(structuredClone(options.definition), maxTimerSeconds);
    this.tasks = tasks;
    this.scopes = scopes;
    this.machine = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  }

  start(executionName: string, input: ReviewInput): Promise<{ executionId: string }> {
    return promised(() => this.startNow(executionName, input));
  }

  private startNow(executionName: string, input: ReviewInput): { executionId: string } {
    if (this.stopped) throw new Error('the local workflow engine has stopped; start a new one');
    checkReviewStart(executionName, input);
    const existing = this.executions.get(executionName);
    if (existing) return { executionId: existing.executionId };
    const record: ExecutionRecord = {
      name: executionName,
      executionId: `arn:aws:states:local:000000000000:execution:review:${executionName}`,
      input: toJson(input) as ReviewInput,
      status: 'running',
      transitions: 0,
      runs: 0,
      done: Promise.resolve(),
    };
    this.executions.set(executionName, record);
    record.done = this.drive(record);
    record.done.catch(() => undefined); // whenDone() hands the failure to whoever asks
    return { executionId: record.executionId };
  }

  sendTaskSuccess(token: string, output: unknown): Promise<void> {
    return promised(() => {
      const json = JSON.stringify(output ?? null);
      if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
        throw namedError(
          'InvalidOutput',
          `a task output may not exceed ${MAX_PAYLOAD_BYTES} bytes (Step Functions' limit)`,
        );
      }
      const waiter = this.takeWaiter(token);
      waiter.resolve(JSON.parse(json));
    });
  }

  sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    return promised(() => {
      const waiter = this.takeWaiter(token);
      waiter.reject(namedError(error, cause));
    });
  }

  /** The execution's output once it succeeds; rejects when it fails or is aborted. */
  whenDone(executionName: string): Promise<unknown> {
    const record = this.executions.get(executionName);
    if (!record) return Promise.reject(new Error(`no execution named ${executionName}`));
    return record.done;
  }

  /** Names of the executions still running. */
  running(): string[] {
    return [...this.executions.values()].filter((r) => r.status === 'running').map((r) => r.name);
  }

  /** State transitions of the execution so far, as AWS bills them. */
  transitions(executionName: string): number {
    return this.record(executionName).transitions;
  }

  describe(executionName: string): ExecutionSummary {
    return summary(this.record(executionName));
  }

  /** Tell the engine that the clock jumped (time travel): waits look at it at once. */
  clockMoved(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Aborts every execution and waits until they have settled. The engine cannot be started again. */
  async stop(): Promise<void> {
    this.stopped = true;
    const records = [...this.executions.values()];
    for (const record of records) {
      if (record.status === 'running' && record.current) {
        record.current.abortLibrary();
        record.current.controller.abort();
      }
    }
    await Promise.allSettled(records.map((r) => r.done));
  }

  // ---------------------------------------------------------------- running

  private async drive(record: ExecutionRecord): Promise<unknown> {
    try {
      for (;;) {
        const outcome = await this.runOnce(record);
        if (outcome.kind === 'succeeded') {
          record.status = 'succeeded';
          record.output = outcome.output;
          return outcome.output;
        }
        if (outcome.kind === 'ended') {
          record.status = this.stopped ? 'aborted' : 'failed';
          record.error = outcome.error;
          throw outcome.error;
        }
        // A clamped timer expired while a task waited: run again from the start.
      }
    } finally {
      try {
        this.options.onExecutionEnd?.(summary(record));
      } catch {
        // a failing log line must not change how the execution ended
      }
    }
  }

  /** Read through a call: stop() may have run while an execution was awaited. */
  private hasStopped(): boolean {
    return this.stopped;
  }

  private async runOnce(record: ExecutionRecord): Promise<RunOutcome> {
    if (this.stopped) return { kind: 'ended', error: new WorkflowStoppedError(record.name) };
    const run: Run = {
      id: ++this.runSeq,
      controller: new AbortController(),
      abortLibrary: () => undefined,
      waitingClamped: 0,
      failedScopes: new Set(),
    };
    record.current = run;
    record.runs += 1;
    const execution = this.machine.run(record.input as never, {
      overrides: { taskResourceLocalHandlers: this.handlers(record, run) },
      context: { Task: { Token: TOKEN_PLACEHOLDER } },
    });
    run.abortLibrary = execution.abort;
    const counted = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'MapIterationFailed' || event.type === 'ParallelBranchFailed') {
          run.failedScopes.add(event.parentState.name);
        } else if (event.type === 'StateEntered' || event.type === 'StateRetried') {
          if (run.failedScopes.delete(event.state.name) || !this.isStray(run, event.state.name))
            record.transitions += 1;
        }
      }
    })();
    try {
      const output = await execution.result;
      await counted;
      return { kind: 'succeeded', output };
    } catch (err) {
      await counted;
      if (this.hasStopped() || run.controller.signal.aborted) {
        return { kind: 'ended', error: new WorkflowStoppedError(record.name) };
      }
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      if (cause instanceof Error && cause.name === 'States.Timeout' && run.waitingClamped > 0) {
        return { kind: 'clamp-expired' };
      }
      return { kind: 'ended', error: err instanceof Error ? err : new Error(String(err)) };
    } finally {
      run.controller.abort();
      this.dropWaiters(run);
    }
  }

  private handlers(record: ExecutionRecord, run: Run): Record<string, (input: unknown) => Promise<never>> {
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [stateName, task] of this.tasks) {
      const handle = (input: unknown): Promise<unknown> => {
        switch (task.kind) {
          case 'token':
            return this.waitForToken(record, run, stateName, input);
          case 'invoke':
            return this.invokeLambda(run, (input as { Payload?: unknown }).Payload).then((Payload) => ({
              ExecutedVersion: '$LATEST',
              StatusCode: 200,
              Payload,
            }));
          case 'lambda':
            return this.invokeLambda(run, input);
          case 'wait':
            return this.waitUntil(run, input as { until?: unknown; seconds?: unknown }).then(() => ({}));
          case 'fail': {
            const { error, cause } = input as { error?: string; cause?: unknown };
            const message = typeof cause === 'string' ? cause : cause === undefined ? '' : JSON.stringify(cause);
            return Promise.reject(namedError(error ?? 'FailStateError', message));
          }
        }
      };
      handlers[stateName] = async (input) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (run.controller.signal.aborted) throw new WorkflowStoppedError(record.name);
        if (this.isStray(run, stateName)) throw new Error(`${stateName} belongs to a Map that has already failed`);
        if (!task.clamped) return (await handle(input)) as never;
        run.waitingClamped += 1;
        try {
          return (await handle(input)) as never;
        } finally {
          run.waitingClamped -= 1;
        }
      };
    }
    return handlers;
  }

  private async invokeLambda(run: Run, payload: unknown): Promise<unknown> {
    const result = await this.options.invoke(toJson(payload) as TaskPayload);
    if (run.controller.signal.aborted) throw new Error('the run was aborted');
    return toJson(result);
  }

  private async waitForToken(record: ExecutionRecord, run: Run, stateName: string, input: unknown): Promise<unknown> {
    const params = toJson(input) as { Payload?: unknown };
    const payload = params.Payload !== undefined ? params.Payload : params;
    const token = `local:${record.name}:${stateName}:${digest(payload)}`;
    const waiter = this.waiterFor(token, run);
    let answer: unknown;
    try {
      answer = await this.options.invoke(replacePlaceholder(payload, token) as TaskPayload);
    } catch (err) {
      if (this.waiters.get(token) === waiter) this.waiters.delete(token); // the task failed: nobody waits on it
      throw err;
    }
    if (isDecided(answer)) {
      this.waiters.delete(token);
      waiter.resolve(toJson(answer.output));
    }
    return waiter.promise;
  }

  private async waitUntil(run: Run, input: { until?: unknown; seconds?: unknown }): Promise<void> {
    let untilMs: number;
    if (typeof input.seconds === 'number') {
      untilMs = this.options.clock.now().getTime() + input.seconds * 1000;
    } else if (typeof input.until === 'string' && RFC3339.test(input.until) && !Number.isNaN(Date.parse(input.until))) {
      untilMs = Date.parse(input.until);
    } else {
      throw namedError(
        'States.Runtime',
        `a Wait needs an RFC 3339 timestamp with an offset, got ${JSON.stringify(input.until)}`,
      );
    }
    const signal = run.controller.signal;
    const sleep = this.options.sleep ?? ((until: number, s: AbortSignal) => this.pollClock(until, s));
    await Promise.race([sleep(untilMs, signal), aborted(signal)]);
    if (signal.aborted) throw new Error('the run was aborted');
  }

  private async pollClock(untilMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.options.clock.now().getTime() < untilMs) {
      const remaining = untilMs - this.options.clock.now().getTime();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(1, Math.min(remaining, this.pollIntervalMs)));
        this.wakers.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  // ---------------------------------------------------------------- tokens

  private waiterFor(token: string, run: Run): Waiter {
    const existing = this.waiters.get(token);
    if (existing) return existing;
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // a run that ends before awaiting it must not leave an unhandled rejection
    const waiter: Waiter = { runId: run.id, promise, resolve, reject };
    this.waiters.set(token, waiter);
    return waiter;
  }

  private takeWaiter(token: string): Waiter {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new UnknownTaskTokenError(token);
    this.waiters.delete(token);
    return waiter;
  }

  private dropWaiters(run: Run): void {
    for (const [token, waiter] of this.waiters) {
      if (waiter.runId === run.id) {
        this.waiters.delete(token);
        waiter.reject(new Error('the run that issued this token has ended'));
      }
    }
  }

  /** Is this state inside a Map or Parallel of this run that has already failed? */
  private isStray(run: Run, stateName: string): boolean {
    return run.failedScopes.size > 0 && (this.scopes.get(stateName) ?? []).some((s) => run.failedScopes.has(s));
  }

  private record(executionName: string): ExecutionRecord {
    const record = this.executions.get(executionName);
    if (!record) throw new Error(`no execution named ${executionName}`);
    return record;
  }
}

// ---------------------------------------------------------------- the local form of a definition

/**
 * Rewrites a definition for aws-local-stepfunctions (see the top of this file) and lists its
 * Task states by kind. Throws on what it cannot run faithfully.
 */
export function localForm(
  definition: AslDefinition,
  maxTimerSeconds: number,
): { definition: AslDefinition; tasks: Map<string, TaskKind>; scopes: Map<string, string[]> } {
  const tasks = new Map<string, TaskKind>();
  /** For each state, the Map and Parallel states it runs inside, outermost first. */
  const scopes = new Map<string, string[]>();

  const rewriteMachine = (machine: { StartAt: string; States: Record<string, AslState> }, within: string[]) => {
    const States: Record<string, AslState> = {};
    for (const [name, state] of Object.entries(machine.States)) {
      if (scopes.has(name)) throw new Error(`state name ${name} is used twice; local task handlers need unique names`);
      scopes.set(name, within);
      States[name] = rewriteState(name, state, within);
    }
    return { ...machine, States };
  };

  const rewriteState = (name: string, original: AslState, within: string[]): AslState => {
    const state = toJson(original) as AslState;
    switch (state.Type) {
      case 'Map': {
        const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
        state[key] = rewriteMachine(state[key] as AslDefinition, [...within, name]);
        return state;
      }
      case 'Parallel':
        state.Branches = (state.Branches as AslDefinition[]).map((b) => rewriteMachine(b, [...within, name]));
        return state;
      case 'Task':
        return rewriteTask(name, state);
      case 'Wait':
        return rewriteWait(name, state);
      case 'Fail':
        return state.CausePath !== undefined || state.ErrorPath !== undefined ? rewriteFail(name, state) : state;
      default:
        return state;
    }
  };

  const clampTimeout = (state: AslState): boolean => {
    if (state.TimeoutSecondsPath !== undefined) return false;
    const seconds = state.TimeoutSeconds as number | undefined;
    if (seconds !== undefined && seconds <= maxTimerSeconds) return false;
    state.TimeoutSeconds = maxTimerSeconds;
    return true;
  };

  const rewriteTask = (name: string, state: AslState): AslState => {
    const resource = String(state.Resource);
    let kind: TaskKind['kind'];
    if (/^arn:aws[\w-]*:states:::lambda:invoke\.waitForTaskToken$/.test(resource)) {
      if (!JSON.stringify(state.Parameters ?? null).includes('$$.Task.Token')) {
        throw new Error(`${name} waits for a task token but never passes $$.Task.Token to the function`);
      }
      kind = 'token';
    } else if (/^arn:aws[\w-]*:states:::lambda:invoke$/.test(resource)) {
      kind = 'invoke';
    } else if (/^arn:aws[\w-]*:lambda:/.test(resource) || /^\$\{[^}]+\}$/.test(resource)) {
      kind = 'lambda';
    } else {
      throw new Error(`${name}: the local engine runs Lambda tasks only, not ${resource}`);
    }
    const clamped = clampTimeout(state);
    tasks.set(name, { kind, clamped });
    return state;
  };

  const rewriteWait = (name: string, state: AslState): AslState => {
    if (state.InputPath !== undefined) throw new Error(`${name}: the local engine does not run a Wait with InputPath`);
    const Parameters =
      state.Seconds !== undefined
        ? { seconds: state.Seconds }
        : state.SecondsPath !== undefined
          ? { 'seconds.$': state.SecondsPath }
          : state.Timestamp !== undefined
            ? { until: state.Timestamp }
            : { 'until.$': state.TimestampPath };
    tasks.set(name, { kind: 'wait', clamped: true });
    return withFlow(state, {
      Type: 'Task',
      Comment: `local stand-in for Wait ${name}`,
      Resource: 'arn:aws:states:::local:wait',
      Parameters,
      ResultPath: null,
      TimeoutSeconds: maxTimerSeconds,
      ...(state.OutputPath !== undefined ? { OutputPath: state.OutputPath } : {}),
    });
  };

  const rewriteFail = (name: string, state: AslState): AslState => {
    const param = (field: string, value: unknown, path: unknown) => {
      if (path === undefined) return value === undefined ? {} : { [field]: value };
      const unwrapped = typeof path === 'string' ? /^States\.JsonToString\((.+)\)$/.exec(path) : null;
      return { [`${field}.$`]: unwrapped ? unwrapped[1].trim() : path };
    };
    tasks.set(name, { kind: 'fail', clamped: false });
    return {
      Type: 'Task',
      Comment: `local stand-in for Fail ${name}`,
      Resource: 'arn:aws:states:::local:fail',
      Parameters: { ...param('error', state.Error, state.ErrorPath), ...param('cause', state.Cause, state.CausePath) },
      TimeoutSeconds: DEFAULT_TASK_TIMEOUT_SECONDS,
      End: true,
    };
  };

  const rewritten = rewriteMachine(definition, []);
  return { definition: { ...definition, ...rewritten }, tasks, scopes };
}

function withFlow(from: AslState, to: AslState): AslState {
  return from.End ? { ...to, End: true } : { ...to, Next: from.Next };
}

// ---------------------------------------------------------------- helpers

function summary(record: ExecutionRecord): ExecutionSummary {
  return {
    name: record.name,
    executionId: record.executionId,
    status: record.status,
    transitions: record.transitions,
    runs: record.runs,
    ...(record.status === 'succeeded' ? { output: record.output } : {}),
    ...(record.error ? { error: { name: record.error.name, message: record.error.message } } : {}),
  };
}

function isDecided(answer: unknown): answer is { decided: true; output: unknown } {
  return typeof answer === 'object' && answer !== null && (answer as { decided?: unknown }).decided === true;
}

/** A value as it looks after a trip through JSON, as between Step Functions and Lambda. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function replacePlaceholder(value: unknown, token: string): unknown {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => replacePlaceholder(v, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePlaceholder(v, token)]));
  }
  return value;
}

/** A short stable digest of a payload, without its token. */
function digest(payload: unknown): string {
  return createHash('sha256')
    .update(canonical(replacePlaceholder(payload, '')))
    .digest('base64url')
    .slice(0, 22);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs `fn` at once and hands over its result, or what it threw, as a promise: what an async
 * function without an await does, for the port methods that need not wait for anything.
 */
function promised<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });
}
