/**
 * Failures seen and kept, and the stack's operational settings: retries and on-failure queues
 * for everything invoked asynchronously, alarms to the operations topic, logs kept 180 days,
 * JSON access logs and throttling on the API, tracing, the table's deletion protection and TTL,
 * the state machine's logging, notify's reserved concurrency, and who may read which secret.
 */
import {
  ASYNC_FUNCTIONS,
  HASHING_FUNCTIONS,
  PUBLIC_WRITE_THROTTLE,
  API_THROTTLE,
} from '../../infra/aws/stateless-stack';
import { deployedRoutes, FUNCTIONS, routeKey } from '../../infra/routes';
import { MAIN_TABLE } from '../../infra/tables';
import { SCHEDULES } from '../../infra/schedules';
import { PARTITIONS, templatesFor } from './synth';

const pascal = (name: string) => `${name[0].toUpperCase()}${name.slice(1)}`;

describe.each(PARTITIONS)('operations, $name', ({ region }) => {
  const { statefulTemplate: stateful, statelessTemplate: stateless, settings } = templatesFor(region);
  const resources = (type: string) => Object.entries(stateless.findResources(type)) as [string, any][];
  const idOf = (fn: string) =>
    resources('AWS::Lambda::Function').find(
      ([id, f]) => id.startsWith(`${pascal(fn)}Function`) && f.Properties.Handler,
    )![0];
  const queueIds = resources('AWS::SQS::Queue').map(([id]) => id);
  const opsTopicId = resources('AWS::SNS::Topic').find(([id]) => id.startsWith('OpsTopic'))![0];

  it('retries every asynchronously invoked function twice, then keeps the event in an on-failure queue', () => {
    // Act
    const configs = resources('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    // Assert
    for (const fn of ASYNC_FUNCTIONS) {
      const config = configs.find((c) => JSON.stringify(c.FunctionName).includes(idOf(fn)));
      expect({ fn, retries: config?.MaximumRetryAttempts }).toEqual({ fn, retries: 2 });
      const destination = JSON.stringify(config.DestinationConfig.OnFailure.Destination);
      expect(queueIds.some((q) => destination.includes(q))).toBe(true);
    }
  });

  it('gives every EventBridge target retries and a dead-letter queue', () => {
    // Act
    const targets = resources('AWS::Events::Rule').flatMap(([, r]) => r.Properties.Targets as any[]);
    // Assert
    expect(targets).toHaveLength(SCHEDULES.length + 1);
    for (const t of targets) {
      expect(t.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(queueIds.some((q) => JSON.stringify(t.DeadLetterConfig.Arn).includes(q))).toBe(true);
    }
  });

  it('redrives the SMS reply subscription to a queue (SNS), or has no subscription at all (Alibaba Cloud pushes over HTTPS)', () => {
    const subscriptions = resources('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'lambda');
    if (settings.smsProvider === 'sns') {
      expect(subscriptions).toHaveLength(1);
      expect(queueIds.some((q) => JSON.stringify(subscriptions[0][1].Properties.RedrivePolicy).includes(q))).toBe(true);
    } else {
      expect(subscriptions).toEqual([]);
    }
  });

  it('alarms to the operations topic on queue depth, function errors, failed executions, API 5xx and table throttles', () => {
    // Arrange
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const metricOf = (a: any) => a.MetricName ?? a.Metrics?.map((m: any) => m.MetricStat?.Metric.MetricName).join('+');
    // Assert
    for (const a of alarms) expect(JSON.stringify(a.AlarmActions)).toContain(opsTopicId);
    for (const q of queueIds) {
      expect(
        alarms.some(
          (a) => metricOf(a) === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(q),
        ),
      ).toBe(true);
    }
    for (const fn of FUNCTIONS) {
      expect(alarms.some((a) => metricOf(a) === 'Errors' && JSON.stringify(a.Dimensions).includes(idOf(fn)))).toBe(
        true,
      );
    }
    expect(alarms.some((a) => metricOf(a) === 'ExecutionsFailed')).toBe(true);
    expect(alarms.some((a) => metricOf(a) === '5xx')).toBe(true);
    expect(
      alarms.some((a) =>
        /ReadThrottleEvents\+WriteThrottleEvents|WriteThrottleEvents\+ReadThrottleEvents/.test(metricOf(a)),
      ),
    ).toBe(true);
  });

  it('keeps every log group at least 180 days, and retains it when the stack goes', () => {
    // Act
    const groups = resources('AWS::Logs::LogGroup');
    // Assert
    expect(groups.length).toBe(FUNCTIONS.length + 2); // the functions, the API access log, the state machine
    for (const [, g] of groups) {
      expect(g.Properties.RetentionInDays).toBeGreaterThanOrEqual(180);
      expect(g.DeletionPolicy).toBe('Retain');
    }
    for (const [, f] of resources('AWS::Lambda::Function')) expect(f.Properties.LoggingConfig.LogGroup).toBeDefined();
  });

  it('writes JSON access logs without query strings, throttles the stage, and throttles public writes tighter', () => {
    // Arrange
    const [[, stage]] = resources('AWS::ApiGatewayV2::Stage');
    const publicWrites = deployedRoutes().filter((r) => !Array.isArray(r.access) && r.method !== 'GET');
    // Act
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    // Assert
    expect(format).toEqual(expect.objectContaining({ requestId: '$context.requestId', status: '$context.status' }));
    expect(JSON.stringify(format)).not.toMatch(/querystring|\$context\.(requestOverride|.*Query)/i);
    expect(stage.Properties.DefaultRouteSettings).toEqual(
      expect.objectContaining({
        ThrottlingRateLimit: API_THROTTLE.rateLimit,
        ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      }),
    );
    expect(publicWrites.map(routeKey)).toEqual(
      expect.arrayContaining(['POST /cases', 'POST /complaints', 'POST /sms/aliyun/{kind}']),
    );
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(publicWrites.map(routeKey).sort());
    for (const s of Object.values<any>(stage.Properties.RouteSettings)) {
      expect(s.ThrottlingRateLimit).toBe(PUBLIC_WRITE_THROTTLE.rateLimit);
      expect(s.ThrottlingRateLimit).toBeLessThan(API_THROTTLE.rateLimit);
    }
  });

  it('traces every function and the state machine, which logs errors without execution data', () => {
    // Act
    const [[, machine]] = resources('AWS::StepFunctions::StateMachine');
    // Assert
    for (const [, f] of resources('AWS::Lambda::Function'))
      expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration).toEqual(
      expect.objectContaining({ Level: 'ERROR', IncludeExecutionData: false }),
    );
  });

  it('protects the table from deletion and expires items by their expiresAt', () => {
    const [table] = Object.values(stateful.findResources('AWS::DynamoDB::Table')) as any[];
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: MAIN_TABLE.ttlAttribute, Enabled: true });
    expect(MAIN_TABLE.ttlAttribute).toBe('expiresAt');
  });

  it('reserves concurrency for the notify function only', () => {
    const reserved = resources('AWS::Lambda::Function').filter(
      ([, f]) => f.Properties.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved.map(([id]) => id)).toEqual([idOf('notify')]);
    expect(reserved[0][1].Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });

  it('lets only the functions that hash read the PII hash key, and only notify the provider AccessKey', () => {
    // Arrange
    const piiKeyId = Object.keys(stateful.findResources('AWS::SecretsManager::Secret')).find((id) =>
      id.startsWith('PiiHashKey'),
    )!;
    const readers = (secretPrefix: string) =>
      resources('AWS::IAM::Policy')
        .filter(([, p]) =>
          (p.Properties.PolicyDocument.Statement as any[]).some(
            (s) =>
              [s.Action].flat().includes('secretsmanager:GetSecretValue') &&
              JSON.stringify(s.Resource).includes(secretPrefix),
          ),
        )
        .map(([, p]) =>
          JSON.stringify(p.Properties.Roles)
            .match(/"(\w+?)Function/)![1]
            .toLowerCase(),
        )
        .sort();
    // Assert
    const expected = [
      ...new Set([...HASHING_FUNCTIONS, ...(settings.smsProvider === 'aliyun' ? ['notify'] : [])]),
    ].sort();
    expect(readers(piiKeyId)).toEqual(expected);
    if (settings.smsProvider === 'aliyun') {
      expect(readers('AliyunSmsCredentials')).toEqual(['notify']);
      expect(readers('SmsCallbackKey')).toEqual(['feedback']);
    }
    for (const fn of FUNCTIONS) {
      const variables = resources('AWS::Lambda::Function').find(([id]) => id === idOf(fn))![1].Properties.Environment
        .Variables;
      expect({ fn, hasArn: 'PII_HASH_KEY_SECRET_ARN' in variables }).toEqual({ fn, hasArn: expected.includes(fn) });
    }
  });
});
