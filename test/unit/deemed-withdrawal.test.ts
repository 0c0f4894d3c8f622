/**
 * Deemed withdrawal (视为撤回) and the supplement period, pure: the last day to supplement is set
 * on the notice from the item's supplementWorkingDays (default 15 working days), and a case is
 * withdrawn only from the day after it, with the reason in the history.
 * Golden dates: a notice on Monday 2026-09-28 with 15 working days ends Friday 2026-10-23 (the
 * National Day week off, the make-up Saturday 10-10 on); with 5, Saturday 2026-10-10.
 */
import type { CaseRecord } from '../../shared/domain/case';
import { WorkingCalendar } from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import {
  Catalog,
  CatalogError,
  DEFAULT_SUPPLEMENT_WORKING_DAYS,
  supplementWorkingDays,
  type ServiceItem,
} from '../../shared/domain/catalog';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { deemWithdrawn, isDeemedWithdrawnNow, supplementDueOf } from '../../shared/domain/deemed-withdrawal';
import { ConflictError } from '../../shared/domain/errors';
import { returnForSupplement, supplement, type Ctx } from '../../shared/domain/lifecycle';

const catalog = loadDefaultCatalog();
const ITEM = catalog.item('ENV-EIA-FORM')!;
const calendar = new WorkingCalendar(officialCalendarYears());
const RETURNED = '2026-09-28T15:00:00.000+08:00';
const SYSTEM = { id: 'system', role: 'system' as const };

function ctxAt(at: string, item: ServiceItem = ITEM, actor: Ctx['actor'] = SYSTEM): Ctx {
  return { actor, at, now: new Date(at), item, calendar };
}

function submitted(item: ServiceItem = ITEM): CaseRecord {
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
    materials: item.materials.filter((m) => !m.condition).map((m) => m.code),
    pauses: [],
    history: [],
  };
}

const returned = (item: ServiceItem = ITEM) =>
  returnForSupplement(
    submitted(item),
    [{ code: 'APPLICATION', note: '申请书未盖公章' }],
    ctxAt(RETURNED, item, { id: 'env-a1', role: 'window', department: 'ENV' }),
  );

describe('the period to supplement', () => {
  it('is 15 working days unless the item sets its own, and every shipped item says so', () => {
    expect(DEFAULT_SUPPLEMENT_WORKING_DAYS).toBe(15);
    expect(supplementWorkingDays({})).toBe(15);
    expect(supplementWorkingDays({ supplementWorkingDays: 5 })).toBe(5);
    expect(catalog.items().map((i) => i.supplementWorkingDays)).toEqual(catalog.items().map(() => 15));
  });

  it.each([0, 61, 2.5])('refuses a catalog item with a period of %s working days, naming the field', (days) => {
    // Arrange
    const items = [{ ...ITEM, supplementWorkingDays: days }];
    const departments = catalog.departments().filter((d) => d.code === 'ENV');
    // Act
    const load = () => Catalog.fromData(items, departments);
    // Assert
    expect(load).toThrow(CatalogError);
    expect(load).toThrow(/field supplementWorkingDays/);
  });

  it('puts the last day to supplement on the notice when a case is returned', () => {
    // Act
    const c = returned();
    // Assert
    expect(c.notice?.supplementDue).toBe('2026-10-23');
  });

  it("counts the item's own period", () => {
    // Act
    const c = returned({ ...ITEM, supplementWorkingDays: 5 });
    // Assert
    expect(c.notice?.supplementDue).toBe('2026-10-10');
  });

  it('keeps the last day when a partial supplement gives a new notice of what is still missing', () => {
    // Arrange
    const c = returned();
    const partial = { ...c, materials: c.materials.filter((m) => m !== 'EIA-FORM-PUBLIC') };
    // Act
    const after = supplement(partial, ['APPLICATION'], ctxAt('2026-10-20T10:00:00.000+08:00'));
    // Assert
    expect(after.status).toBe('supplement-required');
    expect(after.notice?.supplementDue).toBe('2026-10-23');
  });

  it('counts from the notice for a notice given before the setting existed', () => {
    // Arrange
    const c = returned();
    const old = { ...c, notice: { ...c.notice!, supplementDue: undefined } };
    // Act
    const due = supplementDueOf(old, ITEM, calendar);
    // Assert
    expect(due).toBe('2026-10-23');
  });
});

describe('deemed withdrawal', () => {
  it.each([
    ['on the last day to supplement', '2026-10-23T23:59:00.000+08:00', false],
    ['from the day after', '2026-10-24T00:00:00.000+08:00', true],
  ])('applies %s? (%s) %s', (_when, at, expected) => {
    expect(isDeemedWithdrawnNow(returned(), ITEM, calendar, new Date(at))).toBe(expected);
  });

  it('never applies to a case that is not waiting on a supplement', () => {
    expect(isDeemedWithdrawnNow(submitted(), ITEM, calendar, new Date('2027-06-01T00:00:00+08:00'))).toBe(false);
  });

  it('withdraws the case, ends the pause, keeps the notice and says why in the history', () => {
    // Arrange
    const at = '2026-10-24T00:10:00.000+08:00';
    const c = returned();
    // Act
    const after = deemWithdrawn(c, ctxAt(at));
    // Assert
    expect(after.status).toBe('withdrawn');
    expect(after.version).toBe(c.version + 1);
    expect(after.pauses.every((p) => p.end !== undefined)).toBe(true);
    expect(after.notice?.missing).toEqual(c.notice?.missing);
    expect(after.history.at(-1)).toEqual({
      at,
      actor: 'system',
      role: 'system',
      action: 'deem-withdrawn',
      from: 'supplement-required',
      to: 'withdrawn',
      note: 'not supplemented by 2026-10-23, the last day to supplement of the notice of 2026-09-28 (still missing: APPLICATION): deemed withdrawn (视为撤回)',
    });
  });

  it('refuses a case that is decided or withdrawn already', () => {
    const done = { ...returned(), status: 'approved' as const };
    expect(() => deemWithdrawn(done, ctxAt('2026-10-24T00:10:00.000+08:00'))).toThrow(ConflictError);
  });
});
