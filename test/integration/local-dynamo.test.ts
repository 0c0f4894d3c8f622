/**
 * A clean start of the local store: tables are used only once ACTIVE, and a store that cannot
 * be opened stops the start with a message naming what is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTableInput, ensureTables, startDynalite, type LocalDynamo } from '../../infra/local/dynamo';
import { MAIN_TABLE } from '../../infra/tables';
import { dynamoEngine } from '../support/engine';
import { startHarness } from '../support/harness';

function client(endpoint: string) {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

describe('ensureTables', () => {
  let dynamo: LocalDynamo | undefined;
  afterEach(async () => {
    await dynamo?.stop();
    dynamo = undefined;
  });

  it('returns only once the table is ACTIVE, so the first write after it succeeds', async () => {
    // Arrange: tables stay CREATING for a while, as in DynamoDB (dynalite answers
    // ResourceNotFoundException to a write on a table still CREATING)
    dynamo = await startDynalite({ createTableMs: 400 });
    const db = client(dynamo.endpoint);
    try {
      // Act
      await ensureTables(dynamo.endpoint, () => 'fresh');
      const status = await db.send(new DescribeTableCommand({ TableName: 'fresh' }));
      const put = await db.send(
        new PutItemCommand({ TableName: 'fresh', Item: { pk: { S: 'first' }, sk: { S: 'write' } } }),
      );

      // Assert
      expect(status.Table?.TableStatus).toBe('ACTIVE');
      expect(status.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexStatus)).toEqual(
        MAIN_TABLE.indexes.map(() => 'ACTIVE'),
      );
      expect(put.$metadata.httpStatusCode).toBe(200);
    } finally {
      db.destroy();
    }
  });

  it('waits for a table that another start left CREATING instead of creating it again', async () => {
    // Arrange: the first start has created the table and not waited for it
    dynamo = await startDynalite({ createTableMs: 400 });
    const db = client(dynamo.endpoint);
    try {
      await db.send(new CreateTableCommand(createTableInput(MAIN_TABLE, 'half-made')));
      const before = await db.send(new DescribeTableCommand({ TableName: 'half-made' }));

      // Act
      await ensureTables(dynamo.endpoint, () => 'half-made');
      const put = await db.send(
        new PutItemCommand({ TableName: 'half-made', Item: { pk: { S: 'first' }, sk: { S: 'write' } } }),
      );

      // Assert
      expect(before.Table?.TableStatus).toBe('CREATING');
      expect(put.$metadata.httpStatusCode).toBe(200);
    } finally {
      db.destroy();
    }
  });

  it('stops with a message naming the endpoint when nothing answers there', async () => {
    // Arrange: a loopback port with nothing listening
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) =>
      probe.close(() => {
        resolve();
      }),
    );

    // Act
    const started = ensureTables(`http://127.0.0.1:${port}`, () => 'nowhere');

    // Assert
    await expect(started).rejects.toThrow(
      new RegExp(
        `the DynamoDB store at http://127\\.0\\.0\\.1:${port} could not be opened \\(describing table nowhere\\)`,
      ),
    );
  });
});

describe('a local runtime on a data directory', () => {
  // The embedded store, whatever engine the other suites run on: this is about its files.
  const embedded = { dynamoEndpoint: undefined, tableName: undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-store-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second start on a directory whose store is in use, saying so, and leaves the first serving', async () => {
    // Arrange
    const first = await startHarness({ dataDir, ...embedded });
    try {
      // Act
      const second = startHarness({ dataDir, ...embedded });

      // Assert
      await expect(second).rejects.toThrow(
        `the DynamoDB store at ${join(dataDir, 'dynamodb')} could not be opened: it is locked: is another OneWindow running on this data directory?`,
      );
      expect((await first.call('GET', '/items/ENV-EIA-FORM')).status).toBe(200);
    } finally {
      await first.stop();
    }
  });
});

describe('the engine under test', () => {
  it('is the one ONEWINDOW_DYNAMO_ENGINE names, told apart by how each counts an item: UTF-8 bytes or characters', async () => {
    // Arrange: 140,000 Chinese characters are 420,000 bytes in UTF-8, over DynamoDB's 400 KB
    const h = await startHarness();
    try {
      const put = h.deps.db.send(
        new PutCommand({
          TableName: h.deps.tableName,
          Item: { pk: 'SIZE#probe', sk: 'x', text: '办'.repeat(140_000) },
        }),
      );

      // Act
      const outcome = await put.then(
        () => 'accepted',
        (error: unknown) => (error as Error).name,
      );

      // Assert: DynamoDB Local refuses it as DynamoDB does (a ValidationException, which the store
      // client turns into the 422 LimitExceededError); dynalite counts 140,000 and accepts it
      expect(outcome).toBe(dynamoEngine() === 'dynamodb-local' ? 'LimitExceededError' : 'accepted');
    } finally {
      await h.stop();
    }
  });
});
