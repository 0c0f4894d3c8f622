/**
 * Which DynamoDB engine the tests run on: ONEWINDOW_DYNAMO_ENGINE=dynalite (the default: each
 * runtime starts its own, in memory) or dynamodb-local (AWS's own engine, already running at
 * ONEWINDOW_DYNAMODB_ENDPOINT; `npm run test:dynamodb-local` starts it in a network namespace
 * and runs the suites). On a shared engine every runtime gets a table of its own: one per data
 * directory (so a restart on the same directory finds its data), or a new one when in memory.
 */
import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

export type DynamoEngine = 'dynalite' | 'dynamodb-local';

export function dynamoEngine(): DynamoEngine {
  const engine = process.env.ONEWINDOW_DYNAMO_ENGINE || 'dynalite';
  if (engine !== 'dynalite' && engine !== 'dynamodb-local')
    throw new Error(`ONEWINDOW_DYNAMO_ENGINE must be dynalite or dynamodb-local, not "${engine}"`);
  return engine;
}

function sharedEndpoint(): string {
  const endpoint = process.env.ONEWINDOW_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error(
      'ONEWINDOW_DYNAMO_ENGINE=dynamodb-local needs ONEWINDOW_DYNAMODB_ENDPOINT: run the suites with `npm run test:dynamodb-local`',
    );
  return endpoint;
}

function tableFor(dataDir: string | null): string {
  if (dataDir === null) return `onewindow-${randomUUID()}`;
  return `onewindow-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 24)}`;
}

/** startRuntime options for the engine under test (nothing for dynalite: the runtime starts its own). */
export function engineRuntimeOptions(dataDir: string | null): { dynamoEndpoint?: string; tableName?: string } {
  if (dynamoEngine() === 'dynalite') return {};
  return { dynamoEndpoint: sharedEndpoint(), tableName: tableFor(dataDir) };
}

/** The same, as the settings `npm start` reads (for a runtime started as a child process). */
export function engineStartEnv(dataDir: string | undefined): Record<string, string> {
  if (dynamoEngine() === 'dynalite') return { ONEWINDOW_DYNAMODB_ENDPOINT: '', ONEWINDOW_TABLE: '' };
  return { ONEWINDOW_DYNAMODB_ENDPOINT: sharedEndpoint(), ONEWINDOW_TABLE: tableFor(dataDir ?? '.data') };
}
