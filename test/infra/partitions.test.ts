/**
 * The same app for the aws partition and for AWS's China regions (aws-cn): no partition or
 * region written into the templates, the state machine's service integrations named through the
 * partition, and in China only services offered there, with Alibaba Cloud SMS instead of SNS SMS.
 */
import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSettings } from '../../infra/aws/app';
import { PARTITIONS, templatesFor } from './synth';
import cdkJson from '../../cdk.json';

const REGION_NAME = /\b(?:us|eu|ap|cn|sa|ca|me|af|il|mx)-(?:gov-)?[a-z]+-\d\b/g;
/** Services the stacks may use: each offered in the Beijing and Ningxia regions. */
const CHINA_SERVICES = [
  'ApiGatewayV2',
  'CloudWatch',
  'DynamoDB',
  'Events',
  'IAM',
  'Lambda',
  'Logs',
  'SecretsManager',
  'SNS',
  'SQS',
  'StepFunctions',
];

const functionVariables = (template: any, name: string) =>
  Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(name))![1]
    .Properties.Environment.Variables as Record<string, unknown>;

describe.each(PARTITIONS)('the app, $name', ({ region }) => {
  const { statefulTemplate, statelessTemplate, settings } = templatesFor(region);
  const json = [statefulTemplate, statelessTemplate].map((t) => JSON.stringify(t.toJSON()));

  it('writes no partition into any ARN: each names ${AWS::Partition}', () => {
    for (const text of json) expect(text.match(/arn:aws(-cn)?:/g)).toBeNull();
  });

  it('writes no region but the one it was built for (none when environment-agnostic)', () => {
    for (const text of json) {
      expect([...new Set(text.match(REGION_NAME) ?? [])]).toEqual(
        region ? [region].filter((r) => text.includes(r)) : [],
      );
    }
  });

  it("names the state machine's service integrations through the partition substitution", () => {
    // Act
    const [machine] = Object.values(statelessTemplate.findResources('AWS::StepFunctions::StateMachine')) as any[];
    const resources = [...String(machine.Properties.DefinitionString).matchAll(/"Resource":"([^"]+)"/g)].map(
      (m) => m[1],
    );
    // Assert
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) expect(r).toMatch(/^arn:\$\{AwsPartition\}:states:::lambda:invoke/);
  });

  it('uses only services that AWS offers in its China regions', () => {
    const types = new Set(
      [statefulTemplate, statelessTemplate].flatMap((t) =>
        Object.values(t.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type.split('::')[1]),
      ),
    );
    expect([...types].filter((t) => !CHINA_SERVICES.includes(t))).toEqual([]);
  });

  it('sends SMS through SNS in the aws partition and through Alibaba Cloud SMS in China', () => {
    // Arrange
    const notify = functionVariables(statelessTemplate, 'NotifyFunction');
    const feedback = functionVariables(statelessTemplate, 'FeedbackFunction');
    const actions = JSON.stringify(statelessTemplate.findResources('AWS::IAM::Policy'));
    const inboundTopics = Object.keys(statefulTemplate.findResources('AWS::SNS::Topic'));
    // Assert
    if (settings.smsProvider === 'aliyun') {
      expect(region).toMatch(/^cn-/);
      expect(notify).toEqual(
        expect.objectContaining({
          SMS_PROVIDER: 'aliyun',
          ALIYUN_SMS_SIGN_NAME: expect.any(String),
          ALIYUN_SMS_CREDENTIALS_SECRET_ARN: expect.anything(),
        }),
      );
      expect(feedback.SMS_CALLBACK_KEY_SECRET_ARN).toEqual(expect.anything());
      expect(actions).not.toContain('sns:Publish');
      expect(inboundTopics).toEqual([]);
      expect(JSON.stringify(statefulTemplate.toJSON())).not.toContain('sms-voice');
    } else {
      expect(region).toBeUndefined();
      expect(notify.SMS_PROVIDER).toBeUndefined();
      expect(actions).toContain('sns:Publish');
      expect(inboundTopics).toEqual([expect.stringMatching(/^InboundSmsTopic/)]);
    }
  });
});

describe('where the app is synthesized for', () => {
  it('takes the region `npm run synth` hands on from CDK_DEFAULT_REGION, before the CDK CLI overwrites it', () => {
    // Arrange
    const script = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts.synth;
    // Act
    const china = appSettings(new App(), { ONEWINDOW_REGION: 'cn-northwest-1' });
    const none = appSettings(new App(), {});
    const asked = appSettings(new App({ context: { region: 'cn-north-1', smsProvider: 'sns' } }), {});
    // Assert
    expect(script).toContain('ONEWINDOW_REGION=${CDK_DEFAULT_REGION:-}');
    expect(china).toEqual({ region: 'cn-northwest-1', smsProvider: 'aliyun' });
    expect(none).toEqual({ region: undefined, smsProvider: 'sns' });
    expect(asked).toEqual({ region: 'cn-north-1', smsProvider: 'sns' });
  });

  it('refuses an SMS provider it does not know, and an Alibaba Cloud template that would not fit one segment', () => {
    expect(() => appSettings(new App({ context: { smsProvider: 'twilio' } }), {})).toThrow(/sns or aliyun/);
    expect(() =>
      templatesFor('cn-north-1', {
        aliyunSms: { signName: '贵阳市观山湖区政务服务中', templates: cdkJson.context.aliyunSms.templates },
      }),
    ).toThrow(/^aliyunSms context: completion: .* over the 70 of one segment/);
  });
});
