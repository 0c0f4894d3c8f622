/**
 * The limits that keep a case item small (shared/domain/case-limits.ts): how DynamoDB counts
 * bytes, and the caps on returns, problems and incomplete supplements in the lifecycle.
 */
import type { CaseRecord } from '../../shared/domain/case';
import { WorkingCalendar } from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import {
  itemBytes,
  MAX_INCOMPLETE_SUPPLEMENTS,
  MAX_PROBLEMS,
  MAX_RETURNS,
  MAX_UNCOUNTED_REPLIES,
  utf8Bytes,
} from '../../shared/domain/case-limits';
import { returnForSupplement, supplement, type Ctx } from '../../shared/domain/lifecycle';
import { rateCase } from '../../shared/domain/rating';

const item = loadDefaultCatalog().item('ENV-EIA-FORM')!;
const codes = item.materials.filter((m) => !m.condition).map((m) => m.code);
const at = '2026-09-29T10:00:00.000+08:00';
const ctx: Ctx = {
  actor: { id: 'env-a1', role: 'window', department: 'ENV' },
  at,
  now: new Date(at),
  item,
  calendar: new WorkingCalendar(officialCalendarYears()),
};

function submitted(): CaseRecord {
  return {
    caseNo: 'ENV-20260928-0001',
    itemCode: item.code,
    itemName: item.name,
    department: 'ENV',
    kind: item.kind,
    channel: 'online',
    delivery: 'pickup',
    applicant: { name: '张三', idType: 'resident-id', idNumber: '11010519491231002X', phone: '13800001234' },
    phoneHash: 'h1',
    idHash: 'h2',
    status: 'submitted',
    version: 1,
    receivedAt: '2026-09-28T09:00:00.000+08:00',
    materials: codes,
    pauses: [],
    history: [{ at, actor: 'applicant', role: 'applicant', action: 'submit', from: null, to: 'submitted' }],
  };
}

describe('counting bytes as DynamoDB does', () => {
  it('counts a Chinese character as 3 bytes, an emoji as 4, ASCII as 1', () => {
    expect([utf8Bytes('章'), utf8Bytes('😀'), utf8Bytes('a'), utf8Bytes('é')]).toEqual([3, 4, 1, 2]);
  });

  it('counts an item by its attribute names and values, nested lists and maps included', () => {
    // Arrange
    const item = { pk: 'CASE#1', note: '章章', list: ['ab'], map: { k: 'v' } };
    // Act
    const bytes = itemBytes(item);
    // Assert: pk 2+6, note 4+6, list 4+(3+1+2), map 3+(3+1+1+1)
    expect(bytes).toBe(8 + 10 + 10 + 9);
  });
});

describe('the caps on what grows on a case', () => {
  const problem = { code: codes[0], note: '缺少签章' };
  const back = (c: CaseRecord) => supplement(c, [codes[0]], ctx);

  it(`refuses the return after the ${MAX_RETURNS}th with a ConflictError naming the limit`, () => {
    // Arrange
    let c = submitted();
    for (let i = 0; i < MAX_RETURNS; i++) c = back(returnForSupplement(c, [problem], ctx));
    // Act
    const error = (() => {
      try {
        returnForSupplement(c, [problem], ctx);
      } catch (e) {
        return e;
      }
    })() as ConflictError;
    // Assert
    expect(c.status).toBe('submitted');
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.extra).toMatchObject({ limit: 'returns', maxReturns: MAX_RETURNS });
  });

  it(`refuses a notice of more than ${MAX_PROBLEMS} problems, naming problems`, () => {
    const many = Array.from({ length: MAX_PROBLEMS + 1 }, () => problem);
    expect(() => returnForSupplement(submitted(), many, ctx)).toThrow(ValidationError);
  });

  it(`refuses an incomplete supplement after ${MAX_INCOMPLETE_SUPPLEMENTS}, and still takes a complete one`, () => {
    // Arrange
    let c = returnForSupplement(submitted(), [problem, { code: codes[1], note: '缺页' }], ctx);
    for (let i = 0; i < MAX_INCOMPLETE_SUPPLEMENTS; i++) c = supplement(c, [codes[0]], ctx);
    // Act
    const refused = () => supplement(c, [codes[0]], ctx);
    const complete = supplement(c, [codes[0], codes[1]], ctx);
    // Assert
    expect(refused).toThrow(/bring the missing materials to the window/);
    expect(complete.status).toBe('submitted');
  });

  it('keeps the problem notes on the notice only; the history line of the return names the codes', () => {
    // Act
    const c = returnForSupplement(submitted(), [problem, { code: codes[1], note: '缺页' }], ctx);
    // Assert
    expect(c.notice?.problems).toEqual([problem, { code: codes[1], note: '缺页' }]);
    expect(c.history.at(-1)?.note).toBe(`2 problems in the notice: ${codes[0]}, ${codes[1]}`);
  });

  it(`keeps at most ${MAX_UNCOUNTED_REPLIES} SMS replies after the rating in the history, and writes nothing for later ones`, () => {
    // Arrange
    const applicant = { id: 'applicant', role: 'applicant' as const };
    const decided: CaseRecord = { ...submitted(), status: 'approved', decidedAt: at };
    let c = rateCase(decided, { level: 'satisfied', source: 'sms' }, { actor: applicant, at }).record;
    for (let i = 0; i < MAX_UNCOUNTED_REPLIES; i++)
      c = rateCase(c, { level: 'dissatisfied', source: 'sms' }, { actor: applicant, at }).record;
    // Act
    const later = rateCase(c, { level: 'dissatisfied', source: 'sms' }, { actor: applicant, at });
    // Assert
    expect(c.history.filter((e) => e.action === 'rating-not-counted')).toHaveLength(MAX_UNCOUNTED_REPLIES);
    expect(later.counted).toBe(false);
    expect(later.record).toBe(c);
  });
});
