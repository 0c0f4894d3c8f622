import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/aws/app';
import { readFileSync } from 'node:fs';
import { REVIEW_DEFINITION_PATH } from '../../infra/workflow/definition';
import { deployedRoutes, FUNCTIONS, ROUTES } from '../../infra/routes';
import { MAIN_TABLE } from '../../infra/tables';

function synth() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful, stateless } = buildApp(app);
  return { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
}

describe('the CDK app', () => {
  const { stateful, stateless } = synth();

  it('keys the main table and every index exactly as infra/tables.ts defines them', () => {
    // Arrange
    const expectedIndexes = MAIN_TABLE.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
    }));
    // Act
    const tables = stateful.findResources('AWS::DynamoDB::Table');
    const [table] = Object.values(tables) as any[];
    // Assert
    expect(Object.keys(tables)).toHaveLength(1);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(
      table.Properties.GlobalSecondaryIndexes.map((g: any) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema })),
    ).toEqual(expectedIndexes);
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('runs every function on Node.js 22 with the table name in its environment and no secret in it', () => {
    // Arrange
    const functions = stateless.findResources('AWS::Lambda::Function');
    // Act
    const ours = Object.values(functions).filter((f: any) => f.Properties.Environment?.Variables?.TABLE_NAME);
    // Assert
    expect(ours).toHaveLength(FUNCTIONS.length);
    for (const f of ours as any[]) {
      const variables = f.Properties.Environment.Variables;
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(variables).toEqual(
        expect.objectContaining({ JWT_ISSUER: expect.any(String), JWT_AUDIENCE: expect.any(String) }),
      );
      expect(
        Object.keys(variables).filter((k) => /KEY|SECRET|PASSWORD|TOKEN/.test(k) && !k.endsWith('_SECRET_ARN')),
      ).toEqual([]);
      expect(JSON.stringify(variables)).not.toContain('resolve:secretsmanager');
    }
  });

  it('grants no wildcard actions and no table-level admin actions', () => {
    const policies = stateless.findResources('AWS::IAM::Policy');
    const actions = Object.values(policies).flatMap((p: any) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).not.toMatch(/\*$/);
      expect(action).not.toMatch(/^dynamodb:(Scan|DeleteTable|CreateTable|UpdateTable)$/);
    }
  });

  it('gives the catalog function no access to the table: the service guide is in the code', () => {
    // Arrange
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')) as any[];
    const catalogPolicies = policies.filter((p) => JSON.stringify(p.Properties.Roles).includes('CatalogFunction'));
    // Act
    const actions = catalogPolicies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()),
    );
    // Assert
    expect(actions.length).toBeGreaterThan(0); // tracing
    expect(actions.filter((a: string) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('deploys exactly the routes of infra/routes.ts (and none of the local-only ones)', () => {
    // Arrange
    const expected = deployedRoutes()
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    // Act
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route'))
      .map((r: any) => r.Properties.RouteKey)
      .sort();
    // Assert
    expect(routes).toEqual(expected);
    expect(ROUTES.filter((r) => r.localOnly).every((r) => !routes.includes(`${r.method} ${r.path}`))).toBe(true);
  });

  it('puts the JWT authorizer on every staff-only route and on no public one', () => {
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')) as any[];
    for (const route of deployedRoutes()) {
      const deployed = routes.find((r) => r.Properties.RouteKey === `${route.method} ${route.path}`);
      expect({ route: deployed.Properties.RouteKey, jwt: deployed.Properties.AuthorizationType === 'JWT' }).toEqual({
        route: deployed.Properties.RouteKey,
        jwt: Array.isArray(route.access),
      });
    }
  });
});

describe('the CDK app: SMS out and in', () => {
  const { stateful, stateless } = synth();
  const policies = () => Object.values(stateless.findResources('AWS::IAM::Policy')) as any[];
  const statements = (p: any) => p.Properties.PolicyDocument.Statement as any[];
  const actionsOf = (s: any): string[] => [s.Action].flat();
  const functionIdOf = (fn: string) =>
    Object.entries(stateless.findResources('AWS::Lambda::Function')).find(
      ([id, f]: [string, any]) => id.startsWith(fn) && f.Properties.Environment?.Variables?.TABLE_NAME,
    )![0];

  it('lets only the notify function sns:Publish, and grants that action alone on "*" (a phone number has no ARN)', () => {
    // Arrange
    const publishing = policies().filter((p) => statements(p).some((s) => actionsOf(s).includes('sns:Publish')));
    // Act
    const roles = publishing.map((p) => JSON.stringify(p.Properties.Roles));
    const wildcardStatements = policies()
      .flatMap(statements)
      .filter((s) => [s.Resource].flat().includes('*'));
    // Assert: the other actions on "*" are X-Ray's and CloudWatch Logs delivery's, whose APIs have no resource.
    expect(roles).toHaveLength(1);
    expect(roles[0]).toContain('NotifyFunction');
    const noResourceApi = (a: string) =>
      a.startsWith('xray:') ||
      /^logs:(\w+LogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/.test(a);
    const others = wildcardStatements.map(actionsOf).filter((a) => !a.every(noResourceApi));
    expect(others).toEqual([['sns:Publish']]);
  });

  it('sends every SMS-worthy event from the default bus to the notify function, with retries', () => {
    // Arrange
    const rules = Object.values(stateless.findResources('AWS::Events::Rule')) as any[];
    // Act
    const notifyRule = rules.find((r) => r.Properties.EventPattern?.source?.includes('onewindow'));
    // Assert
    expect(notifyRule.Properties.EventPattern['detail-type']).toEqual([
      'case.decided',
      'case.received',
      'case.accepted',
      'case.returned',
      'case.withdrawn-deemed',
      'reply.unreadable',
      'followup.opened',
      'complaint.answered',
      'deadline.warning',
      'code.requested',
    ]);
    expect(notifyRule.Properties.EventBusName).toBe('default');
    expect(notifyRule.Properties.Targets).toHaveLength(1);
    expect(JSON.stringify(notifyRule.Properties.Targets[0].Arn)).toContain(functionIdOf('NotifyFunction'));
    expect(notifyRule.Properties.Targets[0].RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('lets the deciding, rating, sweeping and code-issuing functions put events on the default bus, and no others', () => {
    const putters = policies()
      .filter((p) => statements(p).some((s) => actionsOf(s).includes('events:PutEvents')))
      .map((p) => JSON.stringify(p.Properties.Roles));
    expect(putters.some((r) => r.includes('SubmissionFunction'))).toBe(true); // the receipt
    expect(putters.some((r) => r.includes('RoutingFunction'))).toBe(true);
    expect(putters.some((r) => r.includes('FeedbackFunction'))).toBe(true);
    expect(putters.some((r) => r.includes('JobsFunction'))).toBe(true); // the supervision sweep's cards
    expect(putters.some((r) => r.includes('SubmissionFunction'))).toBe(true); // one-time codes, sent by notify
    expect(putters.some((r) => /Catalog|Notify/.test(r))).toBe(false);
  });

  it('keeps the inbound SMS topic in the stateful stack, open to two-way SMS of this account only, and subscribes the feedback function to it', () => {
    // Arrange
    const [topicId] = Object.keys(stateful.findResources('AWS::SNS::Topic'));
    const [topicPolicy] = Object.values(stateful.findResources('AWS::SNS::TopicPolicy')) as any[];
    // Act
    const subscriptions = Object.values(stateless.findResources('AWS::SNS::Subscription')) as any[];
    // Assert
    expect(topicId).toMatch(/^InboundSmsTopic/);
    expect(topicPolicy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'sms-voice.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } },
        }),
      ]),
    );
    expect(
      topicPolicy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow').map(
        (s: any) => s.Principal,
      ),
    ).toEqual([{ Service: 'sms-voice.amazonaws.com' }]);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0].Properties.Protocol).toBe('lambda');
    expect(JSON.stringify(subscriptions[0].Properties.Endpoint)).toContain(functionIdOf('FeedbackFunction'));
    expect(JSON.stringify(subscriptions[0].Properties.TopicArn)).toContain('InboundSmsTopic');
  });

  it('gives every function the feedback periods in its environment', () => {
    const ours = Object.values(stateless.findResources('AWS::Lambda::Function')).filter(
      (f: any) => f.Properties.Environment?.Variables?.TABLE_NAME,
    ) as any[];
    for (const f of ours) {
      expect(f.Properties.Environment.Variables).toEqual(
        expect.objectContaining({
          RATING_DEFAULT_DAYS: '7',
          FOLLOWUP_WORKING_DAYS: '15',
          COMPLAINT_WORKING_DAYS: '15',
        }),
      );
    }
  });
});

describe('the CDK app: reports and electronic supervision', () => {
  const { stateless } = synth();
  const rules = () => Object.values(stateless.findResources('AWS::Events::Rule')) as any[];
  const ruleFor = (job: string) =>
    rules().find((r) => (r.Properties.Targets ?? []).some((t: any) => t.Input === JSON.stringify({ job })));
  const policiesOf = (fn: string) =>
    (Object.values(stateless.findResources('AWS::IAM::Policy')) as any[]).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(fn),
    );
  const statementsOf = (fn: string) => policiesOf(fn).flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
  const actionsOf = (s: any): string[] => [s.Action].flat();

  it('runs the supervision sweep every 15 minutes on the jobs function', () => {
    // Act
    const rule = ruleFor('supervision-sweep');
    // Assert
    expect(rule.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(JSON.stringify(rule.Properties.Targets[0].Arn)).toContain('JobsFunction');
  });

  it('writes the monthly report at 17:00 UTC on the last day of each month, which is 01:00 China time on the 1st', () => {
    // Act
    const rule = ruleFor('monthly-report');
    // Assert
    expect(rule.Properties.ScheduleExpression).toBe('cron(0 17 L * ? *)');
    expect(JSON.stringify(rule.Properties.Targets[0].Arn)).toContain('JobsFunction');
    for (let month = 0; month < 24; month++) {
      const lastDay17Utc = new Date(Date.UTC(2026, month + 1, 0, 17, 0)); // day 0 of the next month: the last day of this one
      const china = new Date(lastDay17Utc.getTime() + 8 * 3_600_000).toISOString();
      expect(china.slice(8, 16)).toBe('01T01:00');
    }
  });

  it('lets the reports function read the table and put REPORT# items only', () => {
    // Arrange
    const statements = statementsOf('ReportsFunction');
    // Act
    const writes = statements.filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|BatchWrite/.test(a)),
    );
    // Assert
    expect(statements.some((s) => actionsOf(s).includes('dynamodb:Query'))).toBe(true);
    expect(writes).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPORT#*'] } },
      }),
    ]);
  });

  it('gives the supervision function (the board) read access only', () => {
    // Act
    const actions = statementsOf('SupervisionFunction')
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'));
    // Assert
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(actions.filter((a) => /Put|Update|Delete|BatchWrite/.test(a))).toEqual([]);
  });
});

describe('the review state machine in the CDK app', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateless } = buildApp(app);
  const template = Template.fromStack(stateless);

  it('is a Standard workflow whose definition is infra/workflow/review.asl.json with the review function substituted', () => {
    // Arrange
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    // Act
    const [machine] = machines;
    // Assert
    expect(machines).toHaveLength(1);
    expect(machine.Properties.StateMachineType).toBe('STANDARD');
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual([
      'AwsPartition',
      'ReviewTaskFunctionArn',
    ]);
    expect(JSON.stringify(machine.Properties.DefinitionSubstitutions.ReviewTaskFunctionArn)).toContain(
      'ReviewFunction',
    );
    expect(machine.Properties.DefinitionSubstitutions.AwsPartition).toEqual({ Ref: 'AWS::Partition' });
    // The same file the local runtime runs, once parsed, but for the partition of its service integrations.
    const deployed = machine.Properties.DefinitionString.replace(/arn:\$\{AwsPartition\}:/g, 'arn:aws:');
    expect(JSON.parse(deployed)).toEqual(JSON.parse(readFileSync(REVIEW_DEFINITION_PATH, 'utf8')));
  });

  it('lets only the review function send task success or failure, and only to this state machine', () => {
    // Arrange
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as any[];
    // Act
    const senders = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((s: any) =>
        [s.Action].flat().some((a: string) => /^states:SendTask(Success|Failure)$/.test(a)),
      ).map((s: any) => ({
        roles: JSON.stringify(p.Properties.Roles),
        resource: JSON.stringify(s.Resource),
      })),
    );
    // Assert
    expect(senders).toHaveLength(1);
    expect(senders[0].roles).toContain('ReviewFunction');
    expect(senders[0].resource).toContain(':stateMachine:');
    expect(senders[0].resource).toContain('-review');
    expect(senders[0].resource).not.toContain('*');
  });
});
