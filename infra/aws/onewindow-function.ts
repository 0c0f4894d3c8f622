/**
 * A NodejsFunction with OneWindow's defaults fixed once: Node.js 22 on ARM, esbuild bundles
 * (minified, with source maps and a metafile for the bundle-size benchmark), and an entry
 * at functions/<name>/lambda.ts. `useTable` grants exactly the data actions a function
 * needs and passes the table's name in its environment.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
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
    this.addToRolePolicy(new PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/*`] }));
    this.addEnvironment(definition.envVar, table.tableName);
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
