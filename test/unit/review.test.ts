import type { CaseRecord } from '../../shared/domain/case';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/domain/errors';
import {
  assertMayDecide,
  consolidate,
  overdueTaskAction,
  parseTaskId,
  recordReview,
  reviewPlan,
  taskIdOf,
  validateDecision,
  type TaskRecord,
} from '../../shared/domain/review';

const catalog = loadDefaultCatalog();
const AT = '2026-11-03T10:00:00.000+08:00';

function aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseNo: 'MKT-20261102-0001',
    itemCode: 'MKT-ENTERPRISE-JOINT',
    itemName: '企业注册登记联合审批',
    department: 'MKT',
    kind: 'joint',
    channel: 'online',
    delivery: 'pickup',
    applicant: { name: '张三', idType: 'resident-id', idNumber: '11010519491231002X', phone: '13800001234' },
    phoneHash: 'h',
    idHash: 'i',
    status: 'in-review',
    version: 3,
    receivedAt: AT,
    acceptedAt: AT,
    materials: [],
    pauses: [],
    history: [],
    ...overrides,
  };
}

function aTask(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId: 'MKT-20261102-0001.0.QS',
    caseNo: 'MKT-20261102-0001',
    itemCode: 'MKT-ENTERPRISE-JOINT',
    stage: 0,
    kind: 'review',
    department: 'QS',
    due: '2026-11-12',
    status: 'open',
    openedAt: AT,
    version: 1,
    ...overrides,
  };
}

describe('the review plan of an item', () => {
  it('runs the joint registration as one stage of 5 departments in parallel', () => {
    expect(reviewPlan(catalog.item('MKT-ENTERPRISE-JOINT')!)).toEqual([
      { index: 0, kind: 'review', departments: ['MKT', 'QS', 'STAX', 'LTAX', 'PSB'] },
    ]);
  });

  it('runs low-rent housing stage after stage and ends with a 15-day public notice', () => {
    const plan = reviewPlan(catalog.item('HOUSING-LOW-RENT')!);
    expect(plan.map((s) => s.kind)).toEqual(['review', 'review', 'review', 'review', 'review', 'public-notice']);
    expect(plan[5]).toEqual({ index: 5, kind: 'public-notice', days: 15 });
  });

  it('names tasks by case, stage and department, and reads the name back', () => {
    const id = taskIdOf('MKT-20261102-0001', 3, 'PSB');
    expect(id).toBe('MKT-20261102-0001.3.PSB');
    expect(parseTaskId(id)).toEqual({ caseNo: 'MKT-20261102-0001', stage: 3, department: 'PSB' });
    expect(parseTaskId('../etc')).toBeUndefined();
  });
});

describe('who may decide a task, and when', () => {
  it('refuses another department with 403', () => {
    expect(() => {
      assertMayDecide(aTask(), { id: 'x', role: 'reviewer', department: 'PSB' }, 'in-review');
    }).toThrow(ForbiddenError);
  });

  it.each([
    ['decided', 'in-review', /already decided/],
    ['returned', 'supplement-required', /waits on the applicant/],
    ['open', 'approved', /cannot be decided now/],
  ] as const)('refuses a %s task of a case that is %s with 409', (status, caseStatus, message) => {
    expect(() => {
      assertMayDecide(
        aTask({ status, decision: status === 'decided' ? { decision: 'approve', by: 'x', at: AT } : undefined }),
        { id: 'r', role: 'reviewer', department: 'QS' },
        caseStatus,
      );
    }).toThrow(message);
    expect(() => {
      assertMayDecide(aTask({ status }), { id: 'r', role: 'reviewer', department: 'QS' }, caseStatus);
    }).toThrow(ConflictError);
  });

  it('requires a reason for a denial and the problems for a return', () => {
    expect(() => {
      validateDecision({ decision: 'deny', reason: '  ' });
    }).toThrow(ValidationError);
    expect(() => {
      validateDecision({ decision: 'return', problems: [] });
    }).toThrow(ValidationError);
    expect(() => {
      validateDecision({ decision: 'approve' });
    }).not.toThrow();
  });
});

describe('recording decisions and consolidating', () => {
  const qs = { department: 'QS', stage: 0, decision: 'approve' as const, decidedAt: AT, by: 'qs-a1' };

  it('records a department decision once, however often it arrives', () => {
    // Act
    const once = recordReview(aCase(), qs, { id: 'qs-a1', role: 'reviewer', department: 'QS' }, AT);
    const twice = recordReview(once, qs, { id: 'qs-a1', role: 'reviewer', department: 'QS' }, AT);
    // Assert
    expect(once.reviews).toEqual([qs]);
    expect(once.version).toBe(4);
    expect(once.history.at(-1)).toEqual(
      expect.objectContaining({ action: 'review', from: 'in-review', to: 'in-review' }),
    );
    expect(twice).toBe(once);
  });

  it('approves when every department approved, and denies with every reason otherwise', () => {
    const approved = consolidate(aCase(), 'approve', [], 'MKT', AT);
    const denied = consolidate(
      aCase(),
      'deny',
      [
        { department: 'QS', reason: '名称重复' },
        { department: 'PSB', reason: '材料不全' },
      ],
      'MKT',
      AT,
    );
    expect(approved.status).toBe('approved');
    expect(approved.decision).toEqual(expect.objectContaining({ outcome: 'approve', by: 'lead:MKT' }));
    expect(denied.status).toBe('denied');
    expect(denied.decision!.reason).toBe('QS: 名称重复; PSB: 材料不全');
  });

  it('changes nothing when run again on a case already decided', () => {
    const decided = aCase({ status: 'approved' });
    expect(consolidate(decided, 'approve', [], 'MKT', AT)).toBe(decided);
    expect(() => consolidate(aCase({ status: 'withdrawn' }), 'approve', [], 'MKT', AT)).toThrow(ConflictError);
  });

  it('deems approval on overdue tasks only where the item allows timeout default', () => {
    expect(overdueTaskAction(catalog.item('MKT-ENTERPRISE-JOINT')!)).toBe('deem-approve');
    expect(overdueTaskAction(catalog.item('HOUSING-LOW-RENT')!)).toBe('escalate');
  });
});
