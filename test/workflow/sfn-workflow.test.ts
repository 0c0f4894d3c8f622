import { ExecutionAlreadyExists, InvalidToken, SFNClient, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { SfnWorkflow, UnknownTaskTokenError, type ReviewInput } from '../../shared/adapters/workflow';

const STATE_MACHINE = 'arn:aws-cn:states:cn-northwest-1:123456789012:stateMachine:review';

/**
 * A real SFNClient whose requests stop at the first middleware and get `answer`'s reply,
 * so the adapter's own code (commands, inputs, error mapping) runs without AWS.
 */
function clientAnswering(answer: (command: string, input: Record<string, unknown>) => unknown) {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  const client = new SFNClient({
    region: 'cn-northwest-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client.middlewareStack.add(
    (_next, context) => (args) => {
      const command = String(context.commandName);
      const input = args.input as Record<string, unknown>;
      calls.push({ command, input });
      return Promise.resolve({ output: { $metadata: {}, ...(answer(command, input) as object) }, response: {} });
    },
    { step: 'initialize', name: 'answerInTest' },
  );
  return { client, calls };
}

const meta = { $metadata: {}, message: 'from the test' };
const input: ReviewInput = {
  caseNo: 'MKT-20261130-0001',
  stages: [{ index: 0, kind: 'review', departments: ['MKT', 'QS'] }],
};

describe('the Step Functions workflow adapter', () => {
  it('starts an execution named after the case with the input as JSON', async () => {
    // Arrange
    const arn = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:MKT-20261130-0001`;
    const { client, calls } = clientAnswering(() => ({ executionArn: arn, startDate: new Date() }));
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    const started = await workflow.start('MKT-20261130-0001', input);

    // Assert
    expect(started).toEqual({ executionId: arn });
    expect(calls).toEqual([
      {
        command: 'StartExecutionCommand',
        input: { stateMachineArn: STATE_MACHINE, name: 'MKT-20261130-0001', input: JSON.stringify(input) },
      },
    ]);
  });

  it('treats a second start of the same case as the first', async () => {
    // Arrange
    const { client } = clientAnswering(() => {
      throw new ExecutionAlreadyExists(meta);
    });
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    const started = await workflow.start('MKT-20261130-0001', input);

    // Assert
    expect(started).toEqual({
      executionId: 'arn:aws-cn:states:cn-northwest-1:123456789012:execution:review:MKT-20261130-0001',
    });
  });

  it('refuses an execution name that Step Functions would refuse, before calling it', async () => {
    // Arrange
    const { client, calls } = clientAnswering(() => ({}));
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    const attempt = workflow.start('MKT 20261130/0001', input);

    // Assert
    await expect(attempt).rejects.toMatchObject({ name: 'ValidationError', kind: 'invalid' });
    expect(calls).toEqual([]);
  });

  it('sends a decision as the task output in JSON', async () => {
    // Arrange
    const { client, calls } = clientAnswering(() => ({}));
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    await workflow.sendTaskSuccess('token-1', { decision: 'deny', reason: '材料不全' });
    await workflow.sendTaskFailure('token-2', 'Review.Withdrawn', 'the applicant withdrew');

    // Assert
    expect(calls).toEqual([
      {
        command: 'SendTaskSuccessCommand',
        input: { taskToken: 'token-1', output: '{"decision":"deny","reason":"材料不全"}' },
      },
      {
        command: 'SendTaskFailureCommand',
        input: { taskToken: 'token-2', error: 'Review.Withdrawn', cause: 'the applicant withdrew' },
      },
    ]);
  });

  it.each([
    ['TaskDoesNotExist', () => new TaskDoesNotExist(meta)],
    ['TaskTimedOut', () => new TaskTimedOut(meta)],
    ['InvalidToken', () => new InvalidToken(meta)],
  ])('reports %s as an unknown task token (409)', async (_name, error) => {
    // Arrange
    const { client } = clientAnswering(() => {
      throw error();
    });
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    const attempt = workflow.sendTaskSuccess('token-1', { decision: 'approve' });

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(UnknownTaskTokenError);
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('passes other Step Functions errors on unchanged', async () => {
    // Arrange
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const { client } = clientAnswering(() => {
      throw throttled;
    });
    const workflow = new SfnWorkflow({ stateMachineArn: STATE_MACHINE, client });

    // Act
    const attempt = workflow.sendTaskSuccess('token-1', { decision: 'approve' });

    // Assert
    await expect(attempt).rejects.toBe(throttled);
  });
});
