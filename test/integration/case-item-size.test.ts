/**
 * How large a case item can grow, counted as DynamoDB counts it (UTF-8 bytes), on the engine
 * under test: dynalite by default, DynamoDB Local (AWS's own engine, which refuses items over
 * 400 KB by their bytes) with `npm run test:dynamodb-local`.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  CASE_ITEM_BUDGET_BYTES,
  DYNAMODB_ITEM_MAX_BYTES,
  itemBytes,
  MAX_INCOMPLETE_SUPPLEMENTS,
  MAX_PROBLEMS,
  MAX_RETURNS,
  PROBLEM_NOTE_MAX_CHARS,
} from '../../shared/domain/case-limits';
import { LimitExceededError } from '../../shared/domain/errors';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { problemResponse } from '../../shared/http/problem';
import { putIfVersion } from '../../shared/store/dynamo';
import { keys } from '../../shared/store/keys';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT } from '../support/fixtures';

const ITEM = 'ENV-EIA-KEY';
const materials = loadDefaultCatalog()
  .item(ITEM)!
  .materials.filter((m) => !m.condition)
  .map((m) => m.code);

describe('the size of a case item', () => {
  let h: Harness;
  let window: string;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
    window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
  });
  afterAll(async () => h.stop());

  async function stored(caseNo: string): Promise<Record<string, unknown>> {
    const out = await h.deps.db.send(new GetCommand({ TableName: h.deps.tableName, Key: keys.case(caseNo) }));
    return out.Item!;
  }

  it('stays under 100 KB in UTF-8 bytes in the worst case the limits allow, and refuses one return more', async () => {
    // Arrange: the longest name, every return with the most problems of the longest Chinese notes,
    // the most incomplete supplements to each notice, then a denial with the longest reason.
    const submitted = await h.call('POST', '/cases', {
      body: { itemCode: ITEM, applicant: { ...APPLICANT, name: '张'.repeat(64) }, materials, delivery: 'pickup' },
    });
    expect(submitted.status).toBe(201);
    const caseNo = submitted.body.caseNo as string;
    const applicant = h.asApplicant(caseNo);
    const problems = Array.from({ length: MAX_PROBLEMS }, (_, i) => ({
      code: materials[i % materials.length],
      note: `缺${i}`.padEnd(PROBLEM_NOTE_MAX_CHARS, '章'),
    }));
    const statuses: number[] = [];
    for (let r = 0; r < MAX_RETURNS; r++) {
      const returned = await h.call('POST', `/cases/${caseNo}/return`, { token: window, body: { problems } });
      statuses.push(returned.status);
      for (let s = 0; s < MAX_INCOMPLETE_SUPPLEMENTS; s++) {
        const partial = await h.call('POST', `/cases/${caseNo}/supplements`, {
          headers: applicant,
          body: { materials: [materials[0]] },
        });
        statuses.push(partial.status);
      }
      const complete = await h.call('POST', `/cases/${caseNo}/supplements`, {
        headers: applicant,
        body: { materials },
      });
      statuses.push(complete.status);
    }

    // Act
    const oneMore = await h.call('POST', `/cases/${caseNo}/return`, { token: window, body: { problems } });
    const accepted = await h.call('POST', `/cases/${caseNo}/accept`, { token: window, body: {} });
    const denied = await h.call('POST', `/cases/${caseNo}/decide`, {
      token: window,
      body: { decision: 'deny', reason: '不'.repeat(2000) },
    });
    const item = await stored(caseNo);

    // Assert
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(statuses).toHaveLength(MAX_RETURNS * (MAX_INCOMPLETE_SUPPLEMENTS + 2));
    expect(oneMore.status).toBe(409);
    expect(oneMore.headers.get('content-type')).toBe('application/problem+json');
    expect(oneMore.body).toMatchObject({ limit: 'returns', maxReturns: MAX_RETURNS });
    expect([accepted.status, denied.status]).toEqual([200, 200]);
    expect(item.status).toBe('denied');
    expect(itemBytes(item)).toBeLessThan(CASE_ITEM_BUDGET_BYTES);
  });

  it('stores each problem of a notice once: the history line of the return names the materials only', async () => {
    // Arrange
    const submitted = await h.call('POST', '/cases', {
      body: { itemCode: ITEM, applicant: APPLICANT, materials, delivery: 'pickup' },
    });
    const caseNo = submitted.body.caseNo as string;
    const note = '申请书未盖公章，请加盖后重新提交';

    // Act
    const returned = await h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: { problems: [{ code: materials[1], note }] },
    });
    const item = await stored(caseNo);

    // Assert
    expect(returned.status).toBe(200);
    expect(JSON.stringify(item).split(note)).toHaveLength(2);
    expect((item.history as any[]).at(-1)).toMatchObject({
      action: 'return',
      note: `1 problem in the notice: ${materials[1]}`,
    });
  });

  it('refuses a notice with more problems, or longer notes, than the limits, naming the field', async () => {
    // Arrange
    const submitted = await h.call('POST', '/cases', {
      body: { itemCode: ITEM, applicant: APPLICANT, materials, delivery: 'pickup' },
    });
    const caseNo = submitted.body.caseNo as string;
    const tooMany = Array.from({ length: MAX_PROBLEMS + 1 }, () => ({ code: materials[0], note: '缺' }));

    // Act
    const many = await h.call('POST', `/cases/${caseNo}/return`, { token: window, body: { problems: tooMany } });
    const long = await h.call('POST', `/cases/${caseNo}/return`, {
      token: window,
      body: { problems: [{ code: materials[0], note: '缺'.repeat(PROBLEM_NOTE_MAX_CHARS + 1) }] },
    });

    // Assert
    expect([many.status, long.status]).toEqual([400, 400]);
    expect(many.body.errors.map((e: any) => e.field)).toEqual(['problems']);
    expect(long.body.errors.map((e: any) => e.field)).toEqual(['problems[0].note']);
  });

  it('refuses a record over 400 KB of UTF-8 as DynamoDB does, on either engine, as a 422 naming the limit', async () => {
    // Arrange: 150,000 Chinese characters are 450,000 bytes (dynalite alone, counting characters, would take them)
    const pk = 'SIZE#TEST';
    const big = { pk, sk: 'ONE', version: 1, text: '章'.repeat(150_000) };

    // Act
    const refused = await putIfVersion(h.deps.db, h.deps.tableName, big, 0, 'the test record').catch((e: unknown) => e);
    const answer = problemResponse(refused, '/cases/X/return');

    // Assert
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect(answer.statusCode).toBe(422);
    expect(answer.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body ?? '')).toMatchObject({
      status: 422,
      limit: 'item-size',
      maxBytes: DYNAMODB_ITEM_MAX_BYTES,
    });
    expect(answer.body).not.toContain('retried');
  });

  it('turns the engine’s own ValidationException for an item too large into the same 422, never a retryable 500', async () => {
    // Arrange: an update (not checked before it is sent) that grows an item past 400 KB by the engine's own count
    const key = { pk: 'SIZE#UPDATE', sk: 'ONE' };

    // Act
    const refused = await h.deps.db
      .send(
        new UpdateCommand({
          TableName: h.deps.tableName,
          Key: key,
          UpdateExpression: 'SET #t = :t',
          ExpressionAttributeNames: { '#t': 'text' },
          ExpressionAttributeValues: { ':t': 'x'.repeat(DYNAMODB_ITEM_MAX_BYTES + 1) },
        }),
      )
      .catch((e: unknown) => e);
    const answer = problemResponse(refused);

    // Assert
    expect(refused).toBeInstanceOf(LimitExceededError);
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ limit: 'item-size', maxBytes: DYNAMODB_ITEM_MAX_BYTES });
  });
});
