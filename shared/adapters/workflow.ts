/**
 * The Workflow port: how use cases start a case's multi-department review and hand a
 * department's decision back to it. Two implementations: SfnWorkflow (AWS Step Functions,
 * below) and LocalWorkflowEngine (infra/local/workflow-engine.ts, the same ASL file run by
 * aws-local-stepfunctions). Both run infra/workflow/review.asl.json.
 *
 * This module also holds the contract between that state machine and the task function that
 * its Task states invoke (`${ReviewTaskFunctionArn}`), one `action` per kind of call:
 *
 *   open-task     { action, caseNo, stage, kind, department, token }
 *                 Store `token` on the department's task item and return. The task then waits
 *                 until the decision function calls sendTaskSuccess(token, decision). It must be
 *                 idempotent: when the task item already holds a decision (a re-run after a
 *                 crash, a redrive), answer at once by calling sendTaskSuccess(token, decision)
 *                 itself. In AWS that call is the only way; the local engine also accepts the
 *                 return value `{ decided: true, output }` (OpenTaskResult), which AWS ignores.
 *   notice-until  { action, caseNo, stage, days } -> { until: ISO instant with offset }
 *                 When a public notice of `days` ends (working-day clock). Same answer when
 *                 called again for the same case and stage. The state machine then waits until it.
 *   consolidate   { action, caseNo, result } -> anything (the execution's output)
 *                 The lead department's consolidation; read `result` with readConsolidation().
 *
 * A decision (the output given to sendTaskSuccess) is `{ decision: 'approve' | 'deny', ... }`;
 * add fields freely (reason, opinion, by, at). Keep it small: Step Functions caps a payload at
 * 256 KB and the whole case's decisions travel to consolidate.
 *
 * Record a decision on the task item before calling sendTaskSuccess: if the execution is being
 * re-run at that moment, the token is not (yet) known and sendTaskSuccess rejects with
 * UnknownTaskTokenError, but the re-run's open-task finds the recorded decision and answers.
 */
import { SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ConflictError, ValidationError, type FieldProblem } from '../domain/errors';

// ---------------------------------------------------------------- execution input

export type ReviewStageKind = 'review' | 'inspection';

export interface ReviewStage {
  index: number;
  /** review: the departments decide; inspection: the departments inspect the site (实地勘察) and decide. */
  kind: ReviewStageKind;
  /** Department codes; they decide in parallel. */
  departments: string[];
}

export interface NoticeStage {
  index: number;
  /** A public notice (公示) of `days` days; the task function turns it into an end instant. */
  kind: 'public-notice';
  days: number;
}

export type Stage = ReviewStage | NoticeStage;

/** The execution input: a case and its item's stages, run in order. */
export interface ReviewInput {
  caseNo: string;
  stages: Stage[];
}

// ---------------------------------------------------------------- task function payloads

export interface OpenTaskPayload {
  action: 'open-task';
  caseNo: string;
  stage: number;
  kind: ReviewStageKind;
  department: string;
  token: string;
}

export interface NoticeUntilPayload {
  action: 'notice-until';
  caseNo: string;
  stage: number;
  days: number;
}

export interface NoticeUntilResult {
  /** ISO 8601 instant with offset (RFC 3339), e.g. 2026-12-21T00:00:00+08:00. */
  until: string;
}

export interface ReviewDecision {
  decision: 'approve' | 'deny';
  [field: string]: unknown;
}

/** What open-task may return to the local engine; AWS ignores it (see the top of this file). */
export type OpenTaskResult = { decided: true; output: ReviewDecision } | { decided: false };

/** One department's answer as the state machine carries it. */
export interface DepartmentReview {
  caseNo: string;
  stage: number;
  kind: ReviewStageKind;
  department: string;
  review: ReviewDecision;
}

/** A stage as it leaves the state machine: the input stage plus what happened in it. */
export type StageOutcome =
  | (ReviewStage & { outcome: { decisions: DepartmentReview[]; denied: boolean } })
  | (NoticeStage & { notice: NoticeUntilResult });

export const REVIEW_DENIED_ERROR = 'Review.Denied';

export interface ConsolidatePayload {
  action: 'consolidate';
  caseNo: string;
  /**
   * All stages approved: `{ outcome: 'approve', stages }`. A stage denied: the later stages did
   * not run, and the state machine caught `{ Error: 'Review.Denied', Cause: <the denied stage as JSON> }`.
   */
  result: { outcome: 'approve'; stages: StageOutcome[] } | { Error: string; Cause: string };
}

export type TaskPayload = OpenTaskPayload | NoticeUntilPayload | ConsolidatePayload;

export interface Consolidation {
  caseNo: string;
  outcome: 'approve' | 'deny';
  /** Every department's answer that the execution carried, in stage and department order. */
  reviews: DepartmentReview[];
  /** The stage that denied; absent when approved. */
  deniedStage?: number;
}

/**
 * Reads what Consolidate receives. On a denial it holds the denied stage's decisions (every
 * department of that stage answers before the stage ends); the earlier stages all approved and
 * their decisions are on their task items.
 */
export function readConsolidation(payload: ConsolidatePayload): Consolidation {
  const { caseNo, result } = payload;
  // The state machine's output, read from JSON: the outcome is checked, not trusted.
  const outcome: unknown = 'outcome' in result ? result.outcome : undefined;
  if ('stages' in result && outcome === 'approve') {
    const reviews = result.stages.flatMap((s) => ('outcome' in s ? s.outcome.decisions : []));
    return { caseNo, outcome: 'approve', reviews };
  }
  if ('Error' in result && result.Error === REVIEW_DENIED_ERROR) {
    const stage = JSON.parse(result.Cause) as ReviewStage & { outcome: { decisions: DepartmentReview[] } };
    return { caseNo, outcome: 'deny', reviews: stage.outcome.decisions, deniedStage: stage.index };
  }
  throw new Error(`consolidate for ${caseNo} received an unexpected result: ${JSON.stringify(result).slice(0, 200)}`);
}

// ---------------------------------------------------------------- the port

export interface Workflow {
  /**
   * Starts the review of a case. Idempotent by name: starting a name that already exists
   * (running or finished) changes nothing and returns that execution's id.
   */
  start(executionName: string, input: ReviewInput): Promise<{ executionId: string }>;
  /** Resumes the task waiting on `token` with `output` (a ReviewDecision). */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  /** Fails the task waiting on `token`; the execution fails unless the ASL catches `error`. */
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

/** No task is waiting for this token: never issued, already answered, or its execution ended. */
export class UnknownTaskTokenError extends ConflictError {
  constructor(token: string, detail?: string) {
    super(
      `no review task is waiting for this token (${shorten(token)}): it was never issued, it has already been answered, or its execution has ended${detail ? ` (${detail})` : ''}`,
    );
    this.name = 'UnknownTaskTokenError';
  }
}

/** Step Functions execution names: 1 to 80 of A-Z a-z 0-9 - _ (the console and logs need no more). */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** A ReviewInput as it may arrive (from JSON, in either runtime): any field may be missing or wrong. */
interface UncheckedReviewInput {
  caseNo?: unknown;
  stages?: unknown;
}
interface UncheckedStage {
  index?: unknown;
  kind?: unknown;
  days?: unknown;
  departments?: unknown;
}

/** Checks an execution name and input the way both runtimes need them; throws ValidationError. */
export function checkReviewStart(executionName: string, input: unknown): void {
  const problems: FieldProblem[] = [];
  if (!EXECUTION_NAME.test(executionName)) {
    problems.push({ field: 'executionName', message: 'must be 1 to 80 letters, digits, "-" or "_"' });
  }
  const { caseNo, stages } = (input ?? {}) as UncheckedReviewInput;
  if (typeof caseNo !== 'string' || caseNo.length === 0) {
    problems.push({ field: 'caseNo', message: 'is required' });
  }
  if (!Array.isArray(stages) || stages.length === 0) {
    problems.push({ field: 'stages', message: 'must list at least one stage' });
  } else {
    (stages as unknown[]).forEach((s, i) => {
      const stage = (s ?? {}) as UncheckedStage;
      const at = `stages[${i}]`;
      if (stage.index !== i) problems.push({ field: `${at}.index`, message: `must be ${i}, the stage's position` });
      if (stage.kind === 'public-notice') {
        if (typeof stage.days !== 'number' || !Number.isInteger(stage.days) || stage.days < 1) {
          problems.push({ field: `${at}.days`, message: 'must be a whole number of days, at least 1' });
        }
      } else if (stage.kind === 'review' || stage.kind === 'inspection') {
        const ds = stage.departments as unknown[] | undefined;
        if (!Array.isArray(ds) || ds.length === 0 || ds.some((d) => typeof d !== 'string' || d.length === 0)) {
          problems.push({ field: `${at}.departments`, message: 'must list at least one department code' });
        } else if (new Set(ds).size !== ds.length) {
          problems.push({ field: `${at}.departments`, message: 'must not list a department twice' });
        }
      } else {
        problems.push({ field: `${at}.kind`, message: 'must be review, inspection or public-notice' });
      }
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

function shorten(token: string): string {
  return token.length > 48 ? `${token.slice(0, 44)}...` : token;
}

// ---------------------------------------------------------------- AWS implementation

export interface SfnWorkflowOptions {
  stateMachineArn: string;
  client?: SFNClient;
}

/** Step Functions (Standard workflow) behind the port. */
export class SfnWorkflow implements Workflow {
  private readonly client: SFNClient;
  private readonly stateMachineArn: string;

  constructor(options: SfnWorkflowOptions) {
    this.stateMachineArn = options.stateMachineArn;
    this.client = options.client ?? new SFNClient({});
  }

  async start(executionName: string, input: ReviewInput): Promise<{ executionId: string }> {
    checkReviewStart(executionName, input);
    try {
      const out = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify(input),
        }),
      );
      return { executionId: out.executionArn ?? this.executionArn(executionName) };
    } catch (err) {
      // The same name again (a retried request, a second start of the same case): already started.
      if (errorName(err) === 'ExecutionAlreadyExists') return { executionId: this.executionArn(executionName) };
      throw err;
    }
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    const command = new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output ?? null) });
    await this.client.send(command).catch((err: unknown) => rethrowTokenError(token, err));
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    const command = new SendTaskFailureCommand({ taskToken: token, error, cause });
    await this.client.send(command).catch((err: unknown) => rethrowTokenError(token, err));
  }

  /** arn:aws:states:<region>:<account>:stateMachine:<machine> -> ...:execution:<machine>:<name> */
  private executionArn(executionName: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
  }
}

/** Step Functions' ways of saying that no task waits for a token become one error. */
function rethrowTokenError(token: string, err: unknown): never {
  const name = errorName(err);
  if (name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken') {
    throw new UnknownTaskTokenError(token, name);
  }
  throw err;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
