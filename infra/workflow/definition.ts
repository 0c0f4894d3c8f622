/**
 * The review state machine, written once in review.asl.json and read by both runtimes:
 * infra/aws (a Standard workflow; `DefinitionBody.fromFile(REVIEW_DEFINITION_PATH)` with
 * `definitionSubstitutions` for SUBSTITUTION_KEYS) and infra/local (LocalWorkflowEngine, after
 * `substitute`). Shapes of its input, task payloads and output: shared/adapters/workflow.ts.
 *
 * Its shape, and why (AWS bills per state transition: every state entered, Map iterations'
 * states included, and every retry):
 *
 *   Stages (Map over $.stages, MaxConcurrency 1: stages in order)
 *     StageKind (Choice on $.stage.kind)
 *       review | inspection:
 *         Departments (Map over the stage's departments, MaxConcurrency 0: all in parallel)
 *           Review (Task lambda:invoke.waitForTaskToken, action open-task; TimeoutSeconds one
 *                   year: deadlines belong to the supervision sweep, not to ASL timeouts)
 *         ResultSelector: { decisions, denied: States.ArrayContains($[*].review.decision, 'deny') }
 *         StageDenied (Choice) -> Denied (Fail, Error Review.Denied, Cause = the stage as JSON)
 *                              -> StageApproved (Succeed)
 *       public-notice:
 *         NoticeUntil (Task lambda:invoke, action notice-until -> { until }) -> NoticeWait (Wait TimestampPath)
 *   Stages catches Review.Denied, so a denied stage stops the later stages and goes on to
 *   Consolidate (Task lambda:invoke, action consolidate) with { outcome: 'approve', stages } or
 *   { Error, Cause }.
 *
 * Transitions: a review stage of n departments costs n + 4 (StageKind, Departments, n Review,
 * StageDenied, StageApproved or Denied), a notice stage 3, plus Stages and Consolidate: a
 * one-stage joint case of 5 departments is 11 (the target is 2 x 5 + 4 = 14), a committed item 7.
 * The deny check costs 2 per review stage; leaving it to Consolidate would be cheaper but would
 * open later stages' tasks for a case already denied.
 */
import path from 'node:path';
import reviewAsl from './review.asl.json';

/** The parts of ASL this project uses; loose on purpose (the validator checks the file). */
export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

export interface AslState {
  Type: 'Task' | 'Map' | 'Parallel' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';
  [field: string]: unknown;
}

export const REVIEW_DEFINITION_PATH = path.join(__dirname, 'review.asl.json');

/** The definition as written, with `${Key}` placeholders. Frozen: copy it (substitute does) to change it. */
export const reviewDefinition: AslDefinition = deepFreeze(reviewAsl as unknown as AslDefinition);

/** Every `${Key}` that the file uses; infra/aws passes them as definitionSubstitutions. */
export const SUBSTITUTION_KEYS = ['ReviewTaskFunctionArn'] as const;
export type SubstitutionKey = (typeof SUBSTITUTION_KEYS)[number];

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The `${Key}` names found in a definition's strings, sorted, each once. */
export function placeholdersIn(definition: unknown): string[] {
  const found = new Set<string>();
  walkStrings(definition, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]);
  });
  return [...found].sort();
}

/**
 * A copy of `definition` with every `${Key}` replaced by `values[Key]`, as Step Functions does
 * with definitionSubstitutions. Throws when the definition uses a key that `values` lacks.
 */
export function substitute<T>(definition: T, values: Record<string, string>): T {
  const missing = placeholdersIn(definition).filter((k) => typeof values[k] !== 'string');
  if (missing.length > 0) {
    throw new Error(`substitute: no value for ${missing.map((k) => '${' + k + '}').join(', ')}`);
  }
  return mapStrings(definition, (s) => s.replace(PLACEHOLDER, (_, key: string) => values[key])) as T;
}

function walkStrings(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value))
    value.forEach((v) => {
      walkStrings(v, visit);
    });
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((v) => {
      walkStrings(v, visit);
    });
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
