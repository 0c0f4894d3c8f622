/**
 * What holds data and must outlive deployments: the tables (from infra/tables.ts), the secrets
 * (the PII hash key; with Alibaba Cloud SMS its AccessKey and the key of its callback URLs), and,
 * with SNS, the topic two-way SMS replies arrive on. Everything is retained on stack deletion
 * and the table is deletion-protected.
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { MAIN_TABLE, type TableDefinition } from '../tables';
import { suppress } from './nag';

export function tableFromDefinition(scope: Construct, def: TableDefinition): Table {
  const table = new Table(scope, def.id, {
    partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
    sortKey: { name: def.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    timeToLiveAttribute: def.ttlAttribute,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of def.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
    });
  }
  return table;
}

export interface StatefulStackProps extends StackProps {
  smsProvider: 'sns' | 'aliyun';
}

export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly piiHashKey: ISecret;
  /** SNS: AWS End User Messaging publishes each reply here (set it as the phone number's two-way channel). */
  readonly inboundSmsTopic?: ITopic;
  /** Alibaba Cloud SMS: {"accessKeyId","accessKeySecret"} of a RAM user that may only send SMS (README). */
  readonly aliyunSmsCredentials?: ISecret;
  /** Alibaba Cloud SMS: the key that signs the callback URLs of its pushes. */
  readonly smsCallbackKey?: ISecret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.table = tableFromDefinition(this, MAIN_TABLE);
    this.piiHashKey = new Secret(this, 'PiiHashKey', {
      description: 'HMAC key for the keyed hashes of phone and ID numbers (never rotate without re-hashing)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppress(this.piiHashKey, [
      ['AwsSolutions-SMG4', 'the PII hash key keys stored hashes: rotating it would orphan every by-phone index entry'],
    ]);

    if (props.smsProvider === 'sns') {
      const inbound = new Topic(this, 'InboundSmsTopic', {
        displayName: 'OneWindow: SMS replies (two-way SMS)',
        enforceSSL: true,
      });
      // End User Messaging publishes replies to the topic; only for this account (no confused deputy).
      inbound.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [inbound.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
      suppress(inbound, [
        [
          'AwsSolutions-SNS2',
          'two-way SMS cannot publish to a topic under the AWS-managed SNS key; replies are transient and masked in logs',
        ],
      ]);
      this.inboundSmsTopic = inbound;
    } else {
      this.aliyunSmsCredentials = new Secret(this, 'AliyunSmsCredentials', {
        description:
          'Alibaba Cloud SMS AccessKey of a RAM user allowed dysms:SendSms only: put {"accessKeyId","accessKeySecret"} after the first deploy',
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ accessKeyId: 'set-me' }),
          generateStringKey: 'accessKeySecret',
          excludePunctuation: true,
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.smsCallbackKey = new Secret(this, 'SmsCallbackKey', {
        description: 'HMAC key that signs the Alibaba Cloud SMS callback URLs (README: "SMS in mainland China")',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      suppress(this.aliyunSmsCredentials, [
        ['AwsSolutions-SMG4', 'an Alibaba Cloud AccessKey is rotated in the Alibaba Cloud console, then put here'],
      ]);
      suppress(this.smsCallbackKey, [
        [
          'AwsSolutions-SMG4',
          'rotating the callback key means re-entering the callback URLs in the SMS console: by hand',
        ],
      ]);
    }
  }
}
