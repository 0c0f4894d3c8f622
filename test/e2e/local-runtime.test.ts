import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLikeNpmStart } from '../support/process';
import { fullSubmission } from '../support/fixtures';

describe('the local runtime started as `npm start` starts it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'onewindow-e2e-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the guide and intake over HTTP, prints where it listens, and keeps cases across a restart', async () => {
    // Arrange
    const first = await startLikeNpmStart({
      ONEWINDOW_DATA_DIR: dataDir,
      ONEWINDOW_CLOCK: '2026-09-28T09:00:00+08:00',
    });
    let caseNo: string;
    let queryCode: string;
    try {
      const items: any = await (await fetch(`${first.url}/items/ENV-EIA-FORM`)).json();
      const materials = items.materials.map((m: { code: string }) => m.code);
      // Act
      const submitted = await fetch(`${first.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fullSubmission('ENV-EIA-FORM', materials)),
      });
      const body: any = await submitted.json();
      caseNo = body.caseNo;
      queryCode = body.queryCode;
      // Assert
      expect(first.output()).toContain(`OneWindow is listening on ${first.url}`);
      expect(submitted.status).toBe(201);
      expect(caseNo).toMatch(/^ENV-20260928-\d{4}$/);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    // Act: start again on the same data directory
    const second = await startLikeNpmStart({ ONEWINDOW_DATA_DIR: dataDir });
    try {
      const progress = await fetch(`${second.url}/cases/${caseNo}`, { headers: { 'x-query-code': queryCode } });
      // Assert
      expect(progress.status).toBe(200);
      expect(((await progress.json()) as any).status).toBe('submitted');
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('fails loudly with a clear message when the clock setting is not an instant', async () => {
    await expect(startLikeNpmStart({ ONEWINDOW_DATA_DIR: dataDir, ONEWINDOW_CLOCK: 'yesterday' })).rejects.toThrow(
      /ONEWINDOW_CLOCK must be an ISO instant/,
    );
  }, 60_000);
});
