/** What holds data and must outlive deployments: the tables (from infra/tables.ts), the PII hash key, and the topic SMS replies arrive on. */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { MAIN_TABLE, type TableDefinition } from '../tables';

export function tableFromDefinition(scope: Construct, def: TableDefinition): Table {
  const table = new Table(scope, def.id, {
    partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
    sortKey: { name: def.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
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

export class StatefulStack extends Stack {
  readonly table: ITable;
  readonly piiHashKey: ISecret;
  /** Two-way SMS: AWS End User Messaging publishes each reply here (set it as the phone number's two-way channel). */
  readonly inboundSmsTopic: ITopic;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.table = tableFromDefinition(this, MAIN_TABLE);
    this.piiHashKey = new Secret(this, 'PiiHashKey', {
      description: 'HMAC key for the keyed hashes of phone and ID numbers (never rotate without re-hashing)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const inbound = new Topic(this, 'InboundSmsTopic', { displayName: 'OneWindow: SMS replies (two-way SMS)' });
    // End User Messaging publishes replies to the topic; only for this account (no confused deputy).
    inbound.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [inbound.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.inboundSmsTopic = inbound;
  }
}
