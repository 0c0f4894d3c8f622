/**
 * The transition rules of a case, status by action: every cell of ALLOWED_FROM is tried, the
 * allowed ones succeed and append to the history, the others are a ConflictError naming the
 * status and what is allowed. Plus the rules inside the transitions.
 */
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from '../../shared/domain/case';
import { WorkingCalendar } from '../../shared/domain/calendar';
import { officialCalendarYears } from '../../shared/domain/calendar-seed';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import {
  accept,
  ALLOWED_FROM,
  allowedActions,
  assertAllowed,
  completeInstant,
  decide,
  deemAccepted,
  firstNoticeAt,
  isDeemedAcceptedNow,
  recomputeDeadlines,
  recomputePreReviewDue,
  returnForSupplement,
  supplement,
  withdraw,
  type CaseAction,
  type Ctx,
} from '../../shared/domain/lifecycle';

const catalog = loadDefaultCatalog();
const COMMITTED = catalog.item('ENV-EIA-FORM')!;
const INSTANT = catalog.item('ENV-EIA-REGISTRATION')!;
const calendar = new WorkingCalendar(officialCalendarYears());
const RECEIVED = '2026-09-28T09:00:00.000+08:00';
const LATER = '2026-09-29T10:00:00.000+08:00';

function ctxFor(item = COMMITTED, at = LATER, cal = calendar): Ctx {
  return { actor: { id: 'env-a1', role: 'window', department: 'ENV' }, at, now: new Date(at), item, calendar: cal };
}

function caseIn(status: CaseStatus, item = COMMITTED, overrides: Partial<CaseRecord> = {}): CaseRecord {
  const accepted = ['accepted', 'in-review', 'approved', 'denied'].includes(status);
  const waiting = status === 'supplement-required';
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
    status,
    version: 3,
    receivedAt: RECEIVED,
    ...(accepted ? { acceptedAt: RECEIVED } : {}),
    materials: item.materials.filter((m) => !m.condition).map((m) => m.code),
    ...(waiting
      ? {
          notice: {
            issuedAt: RECEIVED,
            missing: [{ code: 'APPLICATION', name: '申请书' }],
            problems: [{ code: 'APPLICATION', note: '未盖章' }],
            resumeTo: 'submitted' as CaseStatus,
          },
          pauses: [{ start: RECEIVED, reason: 'supplement' as const }],
        }
      : { pauses: [] }),
    preReviewDue: '2026-10-10',
    history: [{ at: RECEIVED, actor: 'applicant', role: 'applicant', action: 'submit', from: null, to: status }],
    ...overrides,
  };
}

/** Each action as the code runs it; start-review has no transition of its own here (the review workflow), so its rule is the check. */
const RUN: Record<CaseAction, (c: CaseRecord) => CaseRecord | undefined> = {
  accept: (c) => accept(c, ctxFor()),
  return: (c) => returnForSupplement(c, [{ code: 'APPLICATION', note: '申请书未盖公章' }], ctxFor()),
  supplement: (c) => supplement(c, ['APPLICATION'], ctxFor()),
  complete: (c) => completeInstant({ ...c, itemCode: INSTANT.code, kind: 'instant' }, ctxFor(INSTANT)),
  decide: (c) => decide(c, { decision: 'approve' }, ctxFor()),
  withdraw: (c) => withdraw(c, ctxFor()),
  'deem-accepted': (c) => deemAccepted(c, ctxFor()),
  'start-review': (c) => {
    assertAllowed(c, 'start-review');
    return undefined;
  },
};

/** Where each allowed action leads (for the committed item; complete uses the instant one). */
const LEADS_TO: Partial<Record<CaseAction, CaseStatus>> = {
  accept: 'accepted',
  return: 'supplement-required',
  supplement: 'submitted',
  complete: 'approved',
  decide: 'approved',
  withdraw: 'withdrawn',
  'deem-accepted': 'accepted',
};

describe('which action is allowed from which status', () => {
  it('is exactly the table the window works to', () => {
    expect(ALLOWED_FROM).toEqual({
      accept: ['submitted'],
      return: ['submitted', 'accepted', 'in-review'],
      supplement: ['supplement-required'],
      complete: ['submitted'],
      decide: ['accepted'],
      withdraw: ['submitted', 'supplement-required', 'accepted', 'in-review'],
      'deem-accepted': ['submitted'],
      'start-review': ['accepted'],
    });
  });

  const cells = (Object.keys(ALLOWED_FROM) as CaseAction[]).flatMap((action) =>
    CASE_STATUSES.map((status) => [action, status] as const),
  );

  it.each(cells.filter(([a, s]) => ALLOWED_FROM[a].includes(s)))(
    '%s from %s succeeds and is on the record',
    (action, status) => {
      // Arrange
      const before = caseIn(status);
      // Act
      const after = RUN[action](before);
      // Assert
      if (action === 'start-review') {
        expect(after).toBeUndefined();
        return;
      }
      const record = after as CaseRecord;
      expect(record.status).toBe(LEADS_TO[action]);
      expect(record.version).toBe(before.version + 1);
      expect(record.history).toHaveLength(before.history.length + 1);
      expect(record.history.at(-1)).toEqual(expect.objectContaining({ action, from: status, to: LEADS_TO[action] }));
    },
  );

  it.each(cells.filter(([a, s]) => !ALLOWED_FROM[a].includes(s)))(
    '%s from %s is a conflict naming the status and what is allowed',
    (action, status) => {
      // Arrange
      const before = caseIn(status);
      // Act
      let error: unknown;
      try {
        RUN[action](before);
      } catch (e) {
        error = e;
      }
      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      const conflict = error as ConflictError;
      expect(conflict.kind).toBe('conflict');
      expect(conflict.extra).toEqual({ caseNo: before.caseNo, currentStatus: status, allowed: allowedActions(status) });
      expect(conflict.message).toContain(`is ${status}`);
    },
  );

  it('offers people only the actions they can take: never the system ones', () => {
    expect(allowedActions('submitted')).toEqual(['accept', 'return', 'complete', 'withdraw']);
    expect(allowedActions('accepted')).toEqual(['return', 'decide', 'withdraw']);
    expect(allowedActions('approved')).toEqual([]);
  });
});

describe('the rules inside the transitions', () => {
  it('refuses a denial without a reason, naming the field', () => {
    // Arrange
    const c = caseIn('accepted');
    // Act
    const act = () => decide(c, { decision: 'deny', reason: '   ' }, ctxFor());
    // Assert
    expect(act).toThrow(ValidationError);
    try {
      act();
    } catch (e) {
      expect((e as ValidationError).problems.map((p) => p.field)).toEqual(['reason']);
    }
  });

  it('records a denial with its reason', () => {
    const after = decide(caseIn('accepted'), { decision: 'deny', reason: '选址位于水源保护区' }, ctxFor());
    expect(after.status).toBe('denied');
    expect(after.decision).toEqual(
      expect.objectContaining({ outcome: 'deny', reason: '选址位于水源保护区', by: 'env-a1' }),
    );
  });

  it.each<[CaseStatus | undefined, CaseStatus]>([
    ['submitted', 'submitted'],
    ['accepted', 'accepted'],
    ['in-review', 'in-review'],
    [undefined, 'submitted'],
  ])('resumes a complete supplement returned from %s to %s, and ends the pause', (resumeTo, expected) => {
    // Arrange
    const c = caseIn('supplement-required');
    c.notice = { ...c.notice!, resumeTo };
    // Act
    const after = supplement(c, ['APPLICATION'], ctxFor());
    // Assert
    expect(after.status).toBe(expected);
    expect(after.notice).toBeUndefined();
    expect(after.pauses).toEqual([{ start: RECEIVED, reason: 'supplement', end: LATER }]);
  });

  it('keeps an incomplete supplement waiting, with a new notice of what is still missing', () => {
    // Arrange
    const c = caseIn('supplement-required');
    c.notice = {
      issuedAt: RECEIVED,
      missing: [
        { code: 'APPLICATION', name: '申请书' },
        { code: 'BUSINESS-LICENCE', name: '营业执照' },
      ],
      resumeTo: 'submitted',
    };
    c.materials = c.materials.filter((m) => m !== 'APPLICATION' && m !== 'BUSINESS-LICENCE');
    // Act
    const after = supplement(c, ['APPLICATION'], ctxFor());
    // Assert
    expect(after.status).toBe('supplement-required');
    expect(after.notice!.missing.map((m) => m.code)).toEqual(['BUSINESS-LICENCE']);
    expect(after.pauses.every((p) => p.end === undefined)).toBe(true);
  });

  it('deems a case accepted from the day it was received, citing art. 32', () => {
    const after = deemAccepted(caseIn('submitted'), {
      ...ctxFor(),
      actor: { id: 'system', role: 'system' },
      at: '2026-10-11T00:05:00.000+08:00',
      now: new Date('2026-10-11T00:05:00+08:00'),
    });
    expect(after.status).toBe('accepted');
    expect(after.acceptedAt).toBe(RECEIVED);
    expect(after.history.at(-1)).toEqual(
      expect.objectContaining({
        action: 'deem-accepted',
        actor: 'system',
        role: 'system',
        note: expect.stringContaining('art. 32'),
      }),
    );
  });
});

describe('art. 32 on a case', () => {
  // Receipt Monday 2026-09-28: the 5th working day after is the make-up Saturday 10-10 (National Day week in between).
  const fifthDay = new Date('2026-10-10T23:00:00+08:00');
  const dayAfter = new Date('2026-10-11T00:05:00+08:00');

  it('deems a submitted case once its 5th working day has passed without a notice', () => {
    expect(isDeemedAcceptedNow(caseIn('submitted'), calendar, fifthDay)).toBe(false);
    expect(isDeemedAcceptedNow(caseIn('submitted'), calendar, dayAfter)).toBe(true);
  });

  it('does not deem a case that got a notice in time, even after the supplement cleared the notice', () => {
    // Arrange: returned on 09-29, supplemented on 09-30: submitted again, no notice on it
    const c = caseIn('submitted', COMMITTED, {
      history: [
        { at: RECEIVED, actor: 'applicant', role: 'applicant', action: 'submit', from: null, to: 'submitted' },
        { at: LATER, actor: 'env-a1', role: 'window', action: 'return', from: 'submitted', to: 'supplement-required' },
        {
          at: '2026-09-30T09:00:00.000+08:00',
          actor: 'applicant',
          role: 'applicant',
          action: 'supplement',
          from: 'supplement-required',
          to: 'submitted',
        },
      ],
    });
    // Act & Assert
    expect(firstNoticeAt(c)).toBe(LATER);
    expect(isDeemedAcceptedNow(c, calendar, dayAfter)).toBe(false);
  });

  it('deems a case whose notice came too late', () => {
    const c = caseIn('submitted', COMMITTED, {
      history: [
        { at: RECEIVED, actor: 'applicant', role: 'applicant', action: 'submit', from: null, to: 'submitted' },
        {
          at: '2026-10-12T09:00:00.000+08:00',
          actor: 'env-a1',
          role: 'window',
          action: 'return',
          from: 'submitted',
          to: 'supplement-required',
        },
        {
          at: '2026-10-12T11:00:00.000+08:00',
          actor: 'applicant',
          role: 'applicant',
          action: 'supplement',
          from: 'supplement-required',
          to: 'submitted',
        },
      ],
    });
    expect(isDeemedAcceptedNow(c, calendar, new Date('2026-10-13T00:05:00+08:00'))).toBe(true);
  });

  it('never deems a case that is not at pre-review', () => {
    expect(isDeemedAcceptedNow(caseIn('supplement-required'), calendar, dayAfter)).toBe(false);
    expect(isDeemedAcceptedNow(caseIn('accepted'), calendar, dayAfter)).toBe(false);
  });
});

describe('recomputing after a calendar change', () => {
  const at = '2026-12-28T09:00:00.000+08:00';
  const withoutNewYear = new WorkingCalendar(officialCalendarYears());
  const withNewYear = new WorkingCalendar([
    ...officialCalendarYears(),
    { year: 2027, holidays: ['2027-01-01'], workdays: [] },
  ]);

  function acceptedLate2026(): CaseRecord {
    return accept(caseIn('submitted', COMMITTED, { receivedAt: at }), ctxFor(COMMITTED, at, withoutNewYear));
  }

  it('moves the deadlines onto the new calendar and records the change', () => {
    // Arrange
    const before = acceptedLate2026();
    // Act
    const after = recomputeDeadlines(
      before,
      {
        ...ctxFor(COMMITTED, '2026-12-29T10:00:00.000+08:00', withNewYear),
        actor: { id: 'admin-1', role: 'admin', department: 'HALL' },
      },
      'calendar 2027 changed',
    );
    // Assert
    expect(before.deadlines!.committed).toBe('2027-01-06');
    expect(before.calendarIncomplete).toBe(true);
    expect(after!.deadlines!.committed).toBe('2027-01-07');
    expect(after!.calendarIncomplete).toBeUndefined();
    expect(after!.version).toBe(before.version + 1);
    expect(after!.history.at(-1)).toEqual(
      expect.objectContaining({
        action: 'recompute-deadlines',
        actor: 'admin-1',
        role: 'admin',
        from: 'accepted',
        to: 'accepted',
        note: expect.stringContaining('2027-01-06 → 2027-01-07'),
      }),
    );
  });

  it('changes nothing when the deadlines did not move', () => {
    const before = acceptedLate2026();
    expect(recomputeDeadlines(before, ctxFor(COMMITTED, at, withoutNewYear), 'calendar 2030 changed')).toBeUndefined();
  });

  it("moves a submitted case's art. 32 due date when a holiday falls in it", () => {
    // Arrange: received Monday 2027-01-25; the 5th working day after is Monday 2027-02-01
    const c = caseIn('submitted', COMMITTED, {
      receivedAt: '2027-01-25T09:00:00.000+08:00',
      preReviewDue: '2027-02-01',
    });
    const holiday = new WorkingCalendar([
      ...officialCalendarYears(),
      { year: 2027, holidays: ['2027-01-27'], workdays: [] },
    ]);
    // Act
    const after = recomputePreReviewDue(
      c,
      ctxFor(COMMITTED, '2027-01-25T10:00:00.000+08:00', holiday),
      'calendar 2027 changed',
    );
    // Assert
    expect(after!.preReviewDue).toBe('2027-02-02');
    expect(after!.history.at(-1)!.note).toContain('pre-review due 2027-02-01 → 2027-02-02');
    expect(
      recomputePreReviewDue(c, ctxFor(COMMITTED, '2027-01-25T10:00:00.000+08:00', withoutNewYear), 'x'),
    ).toBeUndefined();
  });
});
