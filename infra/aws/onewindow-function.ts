/**
 * A NodejsFunction with OneWindow's defaults fixed once: Node.js 22 on ARM, esbuild bundles
 * (minified, with source maps and a metafile for the bundle-size benchmark), an entry at
 * functions/<name>/lambda.ts, active tracing, and its own log group kept 180 days (the
 * Cybersecurity Law's six months). `useTable` grants exactly the data actions a function needs
 * and passes the table's name in its environment; `useSecret` passes a secret's ARN (never its
 * value) and grants reading that one secret.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Charset, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import type { TableDefinition } from '../tables';

export const REPO_ROOT = join(__dirname, '..', '..');

export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
];
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** How long every log group keeps its events: at least the six months of the Cybersecurity Law (网络安全法 art. 21). */
export const LOG_RETENTION = RetentionDays.SIX_MONTHS;

export interface OneWindowFunctionProps extends Partial<NodejsFunctionProps> {
  /** Folder under functions/ with a lambda.ts entry. */
  name: string;
}

export class OneWindowFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: OneWindowFunctionProps) {
    const { name, ...rest } = props;
    super(scope, id, {
      entry: join(REPO_ROOT, 'functions', name, 'lambda.ts'),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      projectRoot: REPO_ROOT,
      tracing: Tracing.ACTIVE,
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.RETAIN }),
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        metafile: true,
        target: 'node22',
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
        // Chinese text (the catalog, the SMS templates) as UTF-8, not \uXXXX escapes: half the bytes.
        charset: Charset.UTF8,
      },
      ...rest,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `onewindow-${name}`,
        ...rest.environment,
      },
    });
  }

  /** Read (and optionally write) the table's items and indexes; nothing else on it. */
  useTable(table: ITable, definition: TableDefinition, access: 'read' | 'read-write' = 'read-write'): this {
    const actions = access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
    // Each index by name (infra/tables.ts), not index/*: a new index is granted when it is defined.
    const indexes = definition.indexes.map((i) => `${table.tableArn}/index/${i.name}`);
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, ...indexes] }));
    this.addEnvironment(definition.envVar, table.tableName);
    return this;
  }

  /** The secret's ARN in `envVar` (read at cold start by shared/adapters/secrets.ts) and GetSecretValue on it alone. */
  useSecret(secret: ISecret, envVar: string): this {
    secret.grantRead(this);
    this.addEnvironment(envVar, secret.secretArn);
    return this;
  }

  /**
   * PutItem on the items whose partition key starts with one of `prefixes` only (IAM condition
   * on dynamodb:LeadingKeys), e.g. the reports function may store `REPORT#<month>` and write
   * nothing else.
   */
  allowPutItemOn(table: ITable, prefixes: readonly string[]): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
      }),
    );
    return this;
  }
}
