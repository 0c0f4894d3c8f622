/**
 * cdk-nag's AwsSolutions and Serverless packs over both stacks, for the aws partition and both
 * AWS China regions: no finding is left unacknowledged, and every acknowledgement says why in
 * one line (infra/aws/nag.ts). A scratch stack with a bare queue shows the packs do report.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildFor, PARTITIONS } from './synth';

function findings(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)),
  );
}

function acknowledgements(scope: IConstruct): { path: string; id: string; reason: unknown }[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
        ),
    );
}

describe.each(PARTITIONS)('cdk-nag, $name', ({ region }) => {
  const { app, stateful, stateless } = buildFor(region);
  app.synth();

  it('leaves no AwsSolutions or Serverless finding unacknowledged', () => {
    // The API's two stacks; the pages stack (infra/aws/web-hosting.ts) is not yet covered (issue 16's note).
    expect([...findings(stateful), ...findings(stateless)]).toEqual([]);
  });

  it('gives every acknowledged rule its reason in one line', () => {
    // Act
    const acks = acknowledgements(app);
    // Assert
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect({ ...ack, oneLine: typeof ack.reason === 'string' && /^[^\n]{10,160}$/.test(ack.reason) }).toEqual({
        ...ack,
        oneLine: true,
      });
    }
  });
});

describe('cdk-nag itself', () => {
  it('reports a queue that is neither encrypted nor TLS-only nor redriven (the packs are live)', () => {
    // Arrange
    const app = new App();
    const stack = new Stack(app, 'Scratch');
    new Queue(stack, 'Bare', { enforceSSL: false });
    // Act
    const found = findings(app);
    // Assert
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AwsSolutions-SQS3 at Scratch\/Bare/),
        expect.stringMatching(/^AwsSolutions-SQS4 at Scratch\/Bare/),
        expect.stringMatching(/^Serverless-SQSRedrivePolicy at Scratch\/Bare/),
      ]),
    );
  });
});
