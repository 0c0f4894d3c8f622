import { readFileSync } from 'node:fs';
import {
  placeholdersIn,
  REVIEW_DEFINITION_PATH,
  reviewDefinition,
  substitute,
  SUBSTITUTION_KEYS,
  type AslState,
} from '../../infra/workflow/definition';

/** asl-validator 4 ships no type declarations. */
type AslValidator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator: AslValidator = require('asl-validator');

/** Every state of the definition, Map iterations included, by name. */
function allStates(machine: { States: Record<string, AslState> }): Map<string, AslState> {
  const found = new Map<string, AslState>();
  for (const [name, state] of Object.entries(machine.States)) {
    found.set(name, state);
    const inner = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AslState> } | undefined;
    if (inner) for (const [n, s] of allStates(inner)) found.set(n, s);
  }
  return found;
}

describe('the review state machine definition', () => {
  it('is accepted by asl-validator with ARN and path checks', () => {
    // Arrange
    const definition = JSON.parse(readFileSync(REVIEW_DEFINITION_PATH, 'utf8'));

    // Act
    const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });

    // Assert
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('is still valid once the function ARN is substituted', () => {
    // Arrange
    const arn = 'arn:aws-cn:lambda:cn-northwest-1:123456789012:function:review-task';

    // Act
    const substituted = substitute(reviewDefinition, { ReviewTaskFunctionArn: arn });

    // Assert
    expect(aslValidator(substituted).isValid).toBe(true);
    expect(JSON.stringify(substituted)).not.toContain('${');
    expect(JSON.stringify(substituted).split(arn)).toHaveLength(4); // Review, NoticeUntil, Consolidate
  });

  it('lists exactly the substitution keys that the file uses', () => {
    // Arrange
    const raw = readFileSync(REVIEW_DEFINITION_PATH, 'utf8');

    // Act
    const used = placeholdersIn(JSON.parse(raw));

    // Assert
    expect(used).toEqual([...SUBSTITUTION_KEYS].sort());
  });

  it('refuses to substitute when a key has no value', () => {
    // Arrange
    const values = { SomethingElse: 'x' };

    // Act
    const act = () => substitute(reviewDefinition, values);

    // Assert
    expect(act).toThrow('${ReviewTaskFunctionArn}');
  });

  it('does not change the shared definition when substituting', () => {
    // Arrange
    const before = JSON.stringify(reviewDefinition);

    // Act
    substitute(reviewDefinition, { ReviewTaskFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' });

    // Assert
    expect(JSON.stringify(reviewDefinition)).toBe(before);
    expect(Object.isFrozen(reviewDefinition.States)).toBe(true);
  });

  it('sets an explicit timeout on every task (the local library would otherwise stop a task after 60 s)', () => {
    // Arrange
    const tasks = [...allStates(reviewDefinition)].filter(([, s]) => s.Type === 'Task');

    // Act
    const withoutTimeout = tasks.filter(([, s]) => typeof s.TimeoutSeconds !== 'number').map(([n]) => n);

    // Assert
    expect(tasks.length).toBeGreaterThanOrEqual(3);
    expect(withoutTimeout).toEqual([]);
  });

  it('lets a department review wait a year for its token, retrying only Lambda service errors', () => {
    // Arrange
    const review = allStates(reviewDefinition).get('Review')!;

    // Act
    const retried = (review.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);

    // Assert
    expect(review.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(review.TimeoutSeconds).toBe(31536000);
    expect(JSON.stringify(review.Parameters)).toContain('"token.$":"$$.Task.Token"');
    expect(retried).toContain('Lambda.ServiceException');
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.Timeout');
  });

  it('runs stages one at a time and the departments of a stage all at once', () => {
    // Arrange
    const states = allStates(reviewDefinition);

    // Act
    const stages = states.get('Stages')!;
    const departments = states.get('Departments')!;

    // Assert
    expect(stages).toMatchObject({ Type: 'Map', ItemsPath: '$.stages', MaxConcurrency: 1 });
    expect(departments).toMatchObject({ Type: 'Map', ItemsPath: '$.stage.departments', MaxConcurrency: 0 });
  });
});
