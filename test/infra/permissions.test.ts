/**
 * Each function's IAM policy and environment, as synthesized, against what its code is given
 * (infra/permissions.ts: the capabilities its wiring builds and its ports enforce). Both ways:
 * a function lacks no grant its capabilities need, and holds none they do not.
 */
import { FUNCTIONS, type FunctionName } from '../../infra/routes';
import { MAIN_TABLE } from '../../infra/tables';
import { capabilitiesOf, grantsOf, holds, type SmsProvider } from '../../infra/permissions';
import { ASYNC_FUNCTIONS } from '../../infra/aws/stateless-stack';
import { templatesFor } from './synth';
import { awsDeps } from '../../shared/wiring';
import { setProcessFunction } from '../../shared/adapters/capabilities';

const BUILDS: { name: string; region?: string; provider: SmsProvider }[] = [
  { name: 'environment-agnostic, SNS', region: undefined, provider: 'sns' },
  { name: 'cn-north-1, Alibaba Cloud SMS', region: 'cn-north-1', provider: 'aliyun' },
];

const logicalPrefix = (fn: FunctionName) => `${fn[0].toUpperCase()}${fn.slice(1)}Function`;
const json = (v: unknown) => JSON.stringify(v);

/** What a statement is on, in the words of infra/permissions.ts (or "platform" for tracing and the on-failure queue). */
function targetOf(fn: FunctionName, statement: any): string {
  const resource = json(statement.Resource);
  const actions: string[] = [statement.Action].flat();
  if (actions.every((a) => a.startsWith('xray:')) && statement.Resource === '*') return 'platform';
  if (
    actions.every((a) => a.startsWith('sqs:')) &&
    resource.includes(`"${logicalPrefix(fn).replace('Function', '')}Failed`)
  )
    return ASYNC_FUNCTIONS.includes(fn) ? 'platform' : `an on-failure queue of a synchronous function`;
  if (resource.includes('OneWindowMain')) {
    const leading = json(statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);
    if (leading === json(['REPORT#*'])) return 'table:REPORT#';
    const indexes = MAIN_TABLE.indexes.every((i) => resource.includes(`/index/${i.name}`));
    return statement.Condition === undefined && indexes ? 'table' : `the table, partly: ${resource}`;
  }
  if (/:event-bus\/default"/.test(resource)) return 'event-bus:default';
  if (resource.includes(':stateMachine:') && resource.includes('-review"') && !resource.includes('*'))
    return 'state-machine:review';
  if (resource.includes('PiiHashKey')) return 'secret:pii-hash-key';
  if (resource.includes('AliyunSmsCredentials')) return 'secret:aliyun-sms-credentials';
  if (resource.includes('SmsCallbackKey')) return 'secret:sms-callback-key';
  if (statement.Resource === '*' && json(actions) === json(['sns:Publish'])) return 'phone-numbers';
  return `unknown: ${resource}`;
}

describe.each(BUILDS)('each function’s permissions against its capabilities ($name)', ({ region, provider }) => {
  const { statelessTemplate } = templatesFor(region);
  const functions = Object.entries(statelessTemplate.findResources('AWS::Lambda::Function')).filter(
    ([, f]: [string, any]) => f.Properties.Environment?.Variables?.TABLE_NAME,
  ) as [string, any][];
  const policies = Object.values(statelessTemplate.findResources('AWS::IAM::Policy')) as any[];
  const functionOf = (fn: FunctionName) => {
    const found = functions.filter(([id]) => id.startsWith(logicalPrefix(fn)));
    expect(found).toHaveLength(1);
    return found[0][1];
  };

  /** Every "action on target" the synthesized policies give the function's role, platform grants left out. */
  function grantedTo(fn: FunctionName): string[] {
    const role = json(functionOf(fn).Properties.Role);
    const roleId = JSON.parse(role)['Fn::GetAtt'][0] as string;
    const statements = policies
      .filter((p) => json(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    const pairs = statements.flatMap((s) => {
      const target = targetOf(fn, s);
      return target === 'platform' ? [] : [s.Action].flat().map((a: string) => `${a} on ${target}`);
    });
    return [...new Set(pairs)].sort();
  }

  it.each([...FUNCTIONS])('grants %s exactly what its capabilities need', (fn) => {
    // Arrange
    const expected = grantsOf(fn, provider);
    // Act
    const granted = grantedTo(fn);
    // Assert
    expect({ fn, capabilities: capabilitiesOf(fn, provider), granted }).toEqual({
      fn,
      capabilities: capabilitiesOf(fn, provider),
      granted: expected,
    });
  });

  it.each([...FUNCTIONS])('gives %s the state machine and the secrets its capabilities use, and no other', (fn) => {
    // Arrange
    const reachesWorkflow = holds(fn, 'workflow:start', provider) || holds(fn, 'workflow:answer', provider);
    const expectedSecrets = [
      ...(holds(fn, 'pii:hash', provider) ? ['PII_HASH_KEY_SECRET_ARN'] : []),
      ...(holds(fn, 'sms:send', provider) && provider === 'aliyun' ? ['ALIYUN_SMS_CREDENTIALS_SECRET_ARN'] : []),
      ...(holds(fn, 'sms:callbacks', provider) ? ['SMS_CALLBACK_KEY_SECRET_ARN'] : []),
    ].sort();
    // Act
    const variables = functionOf(fn).Properties.Environment.Variables as Record<string, unknown>;
    // Assert
    expect({ fn, stateMachine: 'STATE_MACHINE_ARN' in variables }).toEqual({ fn, stateMachine: reachesWorkflow });
    if (reachesWorkflow) expect(json(variables.STATE_MACHINE_ARN)).toContain(':stateMachine:');
    expect({
      fn,
      secrets: Object.keys(variables)
        .filter((k) => k.endsWith('_SECRET_ARN'))
        .sort(),
    }).toEqual({ fn, secrets: expectedSecrets });
  });
});

describe('a function’s wiring started with its synthesized environment', () => {
  const { statelessTemplate } = templatesFor(undefined);
  const functions = Object.entries(statelessTemplate.findResources('AWS::Lambda::Function')).filter(
    ([, f]: [string, any]) => f.Properties.Environment?.Variables?.TABLE_NAME,
  ) as [string, any][];
  /** The environment as Lambda would give it: CloudFormation's references resolved to plausible values. */
  function environmentOf(fn: FunctionName): Record<string, string> {
    const [, f] = functions.find(([id]) => id.startsWith(logicalPrefix(fn)))!;
    const variables = f.Properties.Environment.Variables as Record<string, unknown>;
    const resolved = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [
        k,
        typeof v === 'string'
          ? v
          : k === 'STATE_MACHINE_ARN'
            ? 'arn:aws:states:cn-north-1:111122223333:stateMachine:OneWindowStateless-review'
            : k === 'TABLE_NAME'
              ? 'onewindow-main'
              : `arn:aws:unresolved:${k}`,
      ]),
    );
    return { ...resolved, AWS_REGION: 'cn-north-1' };
  }
  afterEach(() => {
    setProcessFunction(undefined);
  });

  // The functions that read no secret start without Secrets Manager (the others: test/integration/secrets.test.ts).
  it.each(FUNCTIONS.filter((fn) => !holds(fn, 'pii:hash')))(
    'starts %s, whose ports are those its capabilities name',
    async (fn) => {
      // Act
      const deps = await awsDeps(fn, environmentOf(fn));
      // Assert
      expect(deps.tableName).toBe('onewindow-main');
      deps.db.destroy();
    },
  );

  it('refuses to start the jobs function without STATE_MACHINE_ARN, the deployment bug that left art. 32 reviews unstarted', async () => {
    // Arrange
    const { STATE_MACHINE_ARN: _dropped, ...without } = environmentOf('jobs');
    // Act
    const started = awsDeps('jobs', without);
    // Assert
    await expect(started).rejects.toThrow(
      'the jobs function reaches the review state machine but was not given STATE_MACHINE_ARN',
    );
  });
});

describe('the capabilities behind the known cases', () => {
  it('lets the jobs function start a review (art. 32 deems a joint item accepted), and only the review function answer tasks', () => {
    expect(holds('jobs', 'workflow:start')).toBe(true);
    expect(FUNCTIONS.filter((fn) => holds(fn, 'workflow:answer'))).toEqual(['review']);
  });

  it('lets only the notify function send SMS, with either provider', () => {
    for (const provider of ['sns', 'aliyun'] as const)
      expect(FUNCTIONS.filter((fn) => holds(fn, 'sms:send', provider))).toEqual(['notify']);
  });
});
