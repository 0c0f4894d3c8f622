import type { Actor } from '../../shared/domain/case';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/domain/errors';
import {
  allowedFollowUpActions,
  applyFollowUpAction,
  countsAsBadRating,
  FOLLOW_UP_STATES,
  isClosedOnTime,
  openFollowUp,
  type FollowUp,
  type FollowUpAction,
} from '../../shared/domain/followup';

const reviewer: Actor = { id: 'u-li', role: 'reviewer', department: 'ENV' };
const windowStaff: Actor = { id: 'u-wang', role: 'window', department: 'ENV' };
const supervisor: Actor = { id: 'u-zhao', role: 'supervisor' };
const applicant: Actor = { id: 'applicant', role: 'applicant' };
const system: Actor = { id: 'sms', role: 'system' };

const T0 = '2026-12-01T10:00:00.000+08:00';
const T1 = '2026-12-02T10:00:00.000+08:00';
const T2 = '2026-12-03T10:00:00.000+08:00';
const T3 = '2026-12-04T10:00:00.000+08:00';

function opened(): FollowUp {
  return openFollowUp({
    caseNo: 'ENV-20261130-0042',
    department: 'ENV',
    level: 'dissatisfied',
    openedAt: T0,
    due: '2026-12-08',
  });
}

function run(f: FollowUp, steps: Array<[FollowUpAction, Actor, string]>): FollowUp {
  return steps.reduce((acc, [action, actor, at]) => applyFollowUpAction(acc, action, actor, at), f);
}

const verify: FollowUpAction = { type: 'verify', note: '回访申请人：等候时间过长' };
const fix: FollowUpAction = { type: 'fix', note: '增开一个窗口' };
const explain: FollowUpAction = { type: 'explain', note: '已向申请人说明法定审查时限' };

describe('openFollowUp', () => {
  it('opens a follow-up for a bad rating, with its due date and an opening history entry', () => {
    // Act
    const f = opened();

    // Assert
    expect(f).toMatchObject({
      id: 'FU-ENV-20261130-0042',
      caseNo: 'ENV-20261130-0042',
      department: 'ENV',
      level: 'dissatisfied',
      state: 'open',
      due: '2026-12-08',
      version: 1,
    });
    expect(f.history).toEqual([{ at: T0, actor: 'system', role: 'system', action: 'open', from: null, to: 'open' }]);
  });

  it.each(['very-satisfied', 'satisfied', 'fairly-satisfied'] as const)(
    'refuses to open one for a good rating (%s)',
    (level) => {
      // Act
      const open = () =>
        openFollowUp({ caseNo: 'ENV-20261130-0042', department: 'ENV', level, openedAt: T0, due: '2026-12-08' });

      // Assert
      expect(open).toThrow(ValidationError);
    },
  );

  it('names every bad field at once', () => {
    // Act
    let error: unknown;
    try {
      openFollowUp({ caseNo: '', department: '', level: 'very-dissatisfied', openedAt: 'yesterday', due: '8 Dec' });
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual([
      'caseNo',
      'department',
      'openedAt',
      'due',
    ]);
  });

  it('refuses a due date before the day it opens', () => {
    // Act
    const open = () =>
      openFollowUp({
        caseNo: 'ENV-20261130-0042',
        department: 'ENV',
        level: 'dissatisfied',
        openedAt: T0,
        due: '2026-11-30',
      });

    // Assert
    expect(open).toThrow(/due/);
  });
});

describe('applyFollowUpAction: the happy paths', () => {
  it("verifies, fixes at once and closes on the applicant's rating of the fix", () => {
    // Arrange
    const f = opened();

    // Act
    const closed = run(f, [
      [verify, reviewer, T1],
      [fix, reviewer, T2],
      [{ type: 'rate-fix', level: 'satisfied' }, system, T3],
    ]);

    // Assert
    expect(closed.state).toBe('closed');
    expect(closed.fixRating).toBe('satisfied');
    expect(closed.closedAt).toBe(T3);
    expect(closed.version).toBe(4);
    expect(closed.history.map((h) => [h.action, h.from, h.to])).toEqual([
      ['open', null, 'open'],
      ['verify', 'open', 'verified'],
      ['fix', 'verified', 'fixed'],
      ['rate-fix', 'fixed', 'closed'],
    ]);
    expect(closed.history[1]).toEqual({
      at: T1,
      actor: 'u-li',
      role: 'reviewer',
      action: 'verify',
      from: 'open',
      to: 'verified',
      note: '回访申请人：等候时间过长',
    });
  });

  it('schedules a fix by a date, then records it fixed', () => {
    // Arrange
    const verified = run(opened(), [[verify, reviewer, T1]]);

    // Act
    const scheduled = applyFollowUpAction(
      verified,
      { type: 'schedule-fix', fixBy: '2026-12-05', note: '更新办事指南' },
      reviewer,
      T2,
    );
    const fixed = applyFollowUpAction(scheduled, fix, reviewer, T3);

    // Assert
    expect(scheduled.state).toBe('fix-scheduled');
    expect(scheduled.fixBy).toBe('2026-12-05');
    expect(fixed.state).toBe('fixed');
    expect(fixed.fixedAt).toBe(T3);
  });

  it('explains, then staff close it after the follow-up call without a new rating', () => {
    // Arrange
    const f = run(opened(), [
      [verify, windowStaff, T1],
      [explain, windowStaff, T2],
    ]);

    // Act
    const closed = applyFollowUpAction(f, { type: 'close', note: '电话回访，申请人表示理解' }, supervisor, T3);

    // Assert
    expect(closed.state).toBe('closed');
    expect(closed.fixRating).toBeUndefined();
    expect(closed.history.at(-1)).toMatchObject({ action: 'close', from: 'explained', to: 'closed', actor: 'u-zhao' });
  });

  it('leaves the follow-up it was given unchanged', () => {
    // Arrange
    const f = opened();
    const before = JSON.parse(JSON.stringify(f));

    // Act
    applyFollowUpAction(f, verify, reviewer, T1);

    // Assert
    expect(f).toEqual(before);
  });
});

describe('applyFollowUpAction: appeals (申诉复核)', () => {
  it('voids a malicious rating when the supervisor rules so; it counts no more', () => {
    // Arrange
    const appealed = applyFollowUpAction(
      opened(),
      { type: 'appeal', reason: '申请人办件前已扬言给差评' },
      reviewer,
      T1,
    );

    // Act
    const voided = applyFollowUpAction(
      appealed,
      { type: 'rule-appeal', ruling: 'void', note: '查实为恶意差评' },
      supervisor,
      T2,
    );

    // Assert
    expect(appealed.state).toBe('appealed');
    expect(voided.state).toBe('voided');
    expect(voided.appeal).toMatchObject({ from: 'open', ruling: 'void', ruledBy: 'u-zhao', ruledAt: T2 });
    expect(countsAsBadRating(voided)).toBe(false);
    expect(allowedFollowUpActions(voided.state)).toEqual([]);
  });

  it.each(['open', 'verified', 'fix-scheduled', 'fixed', 'explained'] as const)(
    'returns an upheld rating to the state it was appealed from (%s)',
    (state) => {
      // Arrange
      const f: FollowUp = { ...opened(), state };
      const appealed = applyFollowUpAction(f, { type: 'appeal', reason: '不属实' }, reviewer, T1);

      // Act
      const upheld = applyFollowUpAction(
        appealed,
        { type: 'rule-appeal', ruling: 'upheld', note: '差评成立' },
        supervisor,
        T2,
      );

      // Assert
      expect(upheld.state).toBe(state);
      expect(upheld.appeal?.ruling).toBe('upheld');
      expect(countsAsBadRating(upheld)).toBe(true);
    },
  );

  it('allows one appeal per rating: a second after an upheld ruling conflicts', () => {
    // Arrange
    const upheld = run(opened(), [
      [{ type: 'appeal', reason: '不属实' }, reviewer, T1],
      [{ type: 'rule-appeal', ruling: 'upheld', note: '差评成立' }, supervisor, T2],
    ]);

    // Act
    const again = () => applyFollowUpAction(upheld, { type: 'appeal', reason: '再次申诉' }, reviewer, T3);

    // Assert
    expect(again).toThrow(ConflictError);
    expect(again).toThrow(/already ruled upheld/);
    expect(allowedFollowUpActions(upheld.state, upheld)).toEqual(['verify']);
  });

  it.each([reviewer, windowStaff, applicant, system])('forbids a ruling by a non-supervisor (%j)', (actor) => {
    // Arrange
    const appealed = applyFollowUpAction(opened(), { type: 'appeal', reason: '不属实' }, reviewer, T1);

    // Act
    const rule = () =>
      applyFollowUpAction(appealed, { type: 'rule-appeal', ruling: 'void', note: '自己裁定' }, actor, T2);

    // Assert
    expect(rule).toThrow(ForbiddenError);
    expect(rule).toThrow(/supervisor/);
  });

  it('forbids a supervisor from appealing, since a supervisor rules on appeals', () => {
    // Act
    const appeal = () => applyFollowUpAction(opened(), { type: 'appeal', reason: '不属实' }, supervisor, T1);

    // Assert
    expect(appeal).toThrow(ForbiddenError);
  });
});

describe('applyFollowUpAction: what each state allows', () => {
  it.each([
    ['open', ['verify', 'appeal']],
    ['verified', ['fix', 'schedule-fix', 'explain', 'appeal']],
    ['fix-scheduled', ['fix', 'appeal']],
    ['fixed', ['rate-fix', 'close', 'appeal']],
    ['explained', ['rate-fix', 'close', 'appeal']],
    ['appealed', ['rule-appeal']],
    ['closed', []],
    ['voided', []],
  ] as const)('allows in %s: %j', (state, expected) => {
    // Act
    const allowed = allowedFollowUpActions(state);

    // Assert
    expect(allowed).toEqual(expected);
  });

  it('lists an allowed-actions entry for every state', () => {
    // Act
    const missing = FOLLOW_UP_STATES.filter((s) => !Array.isArray(allowedFollowUpActions(s)));

    // Assert
    expect(missing).toEqual([]);
  });

  it.each([
    ['open', fix, reviewer],
    ['open', { type: 'close', note: '直接关闭' }, reviewer],
    ['verified', { type: 'rate-fix', level: 'satisfied' }, applicant],
    ['fix-scheduled', explain, reviewer],
    ['closed', { type: 'appeal', reason: '太迟了' }, reviewer],
    ['appealed', verify, reviewer],
  ] as const)('conflicts in %s on %j, naming the state and what it allows', (state, action, actor) => {
    // Arrange
    const f: FollowUp = { ...opened(), state };

    // Act
    let error: unknown;
    try {
      applyFollowUpAction(f, action, actor, T1);
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toContain(state);
    expect((error as ConflictError).extra).toEqual({ state, allowed: [...allowedFollowUpActions(state)] });
  });

  it('forbids the applicant from verifying their own rating', () => {
    // Act
    const act = () => applyFollowUpAction(opened(), verify, applicant, T1);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('forbids staff from rating their own fix', () => {
    // Arrange
    const fixed = run(opened(), [
      [verify, reviewer, T1],
      [fix, reviewer, T2],
    ]);

    // Act
    const act = () => applyFollowUpAction(fixed, { type: 'rate-fix', level: 'very-satisfied' }, reviewer, T3);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });
});

describe('applyFollowUpAction: validation', () => {
  it.each([
    [{ type: 'verify', note: '  ' }, 'note'],
    [{ type: 'appeal', reason: '' }, 'reason'],
  ] as const)('requires words: %j', (action, field) => {
    // Act
    let error: unknown;
    try {
      applyFollowUpAction(opened(), action, reviewer, T1);
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0].field).toBe(field);
  });

  it.each(['2026-12-01', '2026/12/05', ''])('refuses a fix-by date %j before today or malformed', (fixBy) => {
    // Arrange
    const verified = run(opened(), [[verify, reviewer, T1]]);

    // Act
    const act = () => applyFollowUpAction(verified, { type: 'schedule-fix', fixBy, note: '更新指南' }, reviewer, T2);

    // Assert
    expect(act).toThrow(ValidationError);
  });

  it('refuses an instant that is not a date', () => {
    // Act
    const act = () => applyFollowUpAction(opened(), verify, reviewer, 'soon');

    // Assert
    expect(act).toThrow(ValidationError);
  });
});

describe('isClosedOnTime', () => {
  const closeAt = (at: string) =>
    run(opened(), [
      [verify, reviewer, T1],
      [fix, reviewer, T1],
      [{ type: 'close', note: '已回访' }, reviewer, at],
    ]);

  it.each([
    ['2026-12-08T23:59:59.000+08:00', true],
    ['2026-12-08T15:59:59.000Z', true],
    ['2026-12-08T16:00:00.000Z', false],
    ['2026-12-09T00:00:00.000+08:00', false],
  ])('closed at %s: on time %s (China date against due 2026-12-08)', (at, expected) => {
    // Act
    const onTime = isClosedOnTime(closeAt(at));

    // Assert
    expect(onTime).toBe(expected);
  });

  it('is not on time while still open', () => {
    // Act
    const onTime = isClosedOnTime(opened());

    // Assert
    expect(onTime).toBe(false);
  });
});
