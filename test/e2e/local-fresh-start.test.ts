/**
 * A clean start, as a user starts it: `npm start` on a data directory that does not exist yet
 * serves writes as soon as it says where it listens, and a store that cannot be opened stops
 * the start with a message naming what is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLikeNpmStart } from '../support/process';
import { fullSubmission } from '../support/fixtures';

describe('`npm start` from a clean state', () => {
  const parent = mkdtempSync(join(tmpdir(), 'onewindow-fresh-'));
  afterAll(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('on a data directory that does not exist yet, creates it and takes a submission at once', async () => {
    // Arrange
    const dataDir = join(parent, 'new-hall');
    const started = await startLikeNpmStart({
      ONEWINDOW_DATA_DIR: dataDir,
      ONEWINDOW_CLOCK: '2026-09-28T09:00:00+08:00',
    });
    try {
      const item: any = await (await fetch(`${started.url}/items/ENV-EIA-FORM`)).json();

      // Act: the first write, right after the start
      const submitted = await fetch(`${started.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          fullSubmission(
            'ENV-EIA-FORM',
            item.materials.map((m: { code: string }) => m.code),
          ),
        ),
      });

      // Assert
      expect(submitted.status).toBe(201);
      expect(((await submitted.json()) as any).caseNo).toBe('ENV-20260928-0001');
    } finally {
      expect(await started.stop()).toBe(0);
    }
  }, 60_000);

  it('on a data directory another OneWindow is using, exits saying the store is locked', async () => {
    // Arrange
    const dataDir = join(parent, 'busy-hall');
    const first = await startLikeNpmStart({
      ONEWINDOW_DATA_DIR: dataDir,
      // the embedded store, whatever engine the suite runs on: this is about its files
      ONEWINDOW_DYNAMODB_ENDPOINT: '',
      ONEWINDOW_TABLE: '',
    });
    try {
      // Act
      const second = startLikeNpmStart({
        ONEWINDOW_DATA_DIR: dataDir,
        ONEWINDOW_DYNAMODB_ENDPOINT: '',
        ONEWINDOW_TABLE: '',
      });

      // Assert
      await expect(second).rejects.toThrow(
        /the runtime exited with 1:[\s\S]*the DynamoDB store at .*busy-hall\/dynamodb could not be opened: it is locked: is another OneWindow running on this data directory\?/,
      );
    } finally {
      expect(await first.stop()).toBe(0);
    }
  }, 60_000);

  it('with a DynamoDB endpoint where nothing answers, exits naming the endpoint', async () => {
    // Arrange: a loopback port with nothing listening
    const probe = createServer();
    await new Promise<void>((resolve) => {
      probe.listen(0, '127.0.0.1', resolve);
    });
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      probe.close(() => {
        resolve();
      });
    });

    // Act
    const started = startLikeNpmStart({
      ONEWINDOW_DATA_DIR: join(parent, 'no-store'),
      ONEWINDOW_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}`,
    });

    // Assert
    await expect(started).rejects.toThrow(
      new RegExp(
        `the runtime exited with 1:[\\s\\S]*the DynamoDB store at http://127\\.0\\.0\\.1:${port} could not be opened`,
      ),
    );
  }, 60_000);
});
