/**
 * cdk-nag's AwsSolutions and Serverless packs over both stacks, for the aws partition and both
 * AWS China regions: no finding is left unacknowledged, and every acknowledgement says why in
 * one line (infra/aws/nag.ts). A scratch stack with a bare queue shows the packs do report.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('cdk-nag, the pages stack (infra/aws/web-hosting.ts)', () => {
  const pagesDir = mkdtempSync(join(tmpdir(), 'onewindow-nag-pages-'));
  mkdirSync(join(pagesDir, 'assets'));
  writeFileSync(join(pagesDir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>t</title></html>');
  writeFileSync(join(pagesDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  afterAll(() => {
    rmSync(pagesDir, { recursive: true, force: true });
  });

  it.each([
    { name: 'aws, the default *.cloudfront.net domain', region: undefined, context: {} },
    {
      name: "aws, the hall's domain with an ACM certificate and a web ACL",
      region: undefined,
      context: {
        pagesDomain: 'zwfw.example.gov.cn',
        pagesCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
        pagesWebAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/hall/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
      },
    },
    {
      name: 'cn-north-1, an ICP-filed domain with an IAM certificate',
      region: 'cn-north-1',
      context: { pagesDomain: 'zwfw.example.gov.cn', pagesIamCertificateId: 'ASCAEXAMPLEIAMCERTID01' },
    },
  ])('leaves no AwsSolutions or Serverless finding unacknowledged: $name', ({ region, context }) => {
    // Arrange
    const { app, pages } = buildFor(region, { ...context, pagesDir });
    app.synth();
    // Act
    const found = findings(pages!);
    const acks = acknowledgements(pages!);
    // Assert
    expect(found).toEqual([]);
    for (const ack of acks) expect(typeof ack.reason === 'string' && /^[^\n]{10,160}$/.test(ack.reason)).toBe(true);
  });

  it('fixes what can be fixed rather than acknowledging it: access logs, TLS 1.2 on the domain, the web ACL', () => {
    // Arrange
    const { app, pages } = buildFor(undefined, {
      pagesDir,
      pagesDomain: 'zwfw.example.gov.cn',
      pagesCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
      pagesWebAclId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/hall/0b1c2d3e-aaaa-bbbb-cccc-123456789012',
    });
    app.synth();
    // Act
    const acknowledged = acknowledgements(pages!).map((a) => a.id);
    const has = (rule: string) => acknowledged.some((id) => id.endsWith(rule));
    // Assert
    for (const fixed of ['AwsSolutions-CFR2', 'AwsSolutions-CFR3', 'AwsSolutions-CFR4'])
      expect({ fixed, acknowledged: has(fixed) }).toEqual({ fixed, acknowledged: false });
    expect(has('AwsSolutions-CFR1')).toBe(true);
  });
});
