import type { Actor } from '../../shared/domain/case';
import {
  allowedComplaintActions,
  applyComplaintAction,
  isAnsweredOnTime,
  openComplaint,
  type Complaint,
  type ComplaintAction,
  type OpenComplaintInput,
} from '../../shared/domain/complaint';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/domain/errors';

const supervisor: Actor = { id: 'u-zhao', role: 'supervisor' };
const envReviewer: Actor = { id: 'u-li', role: 'reviewer', department: 'ENV' };
const taxReviewer: Actor = { id: 'u-qian', role: 'reviewer', department: 'TAX' };
const envWindow: Actor = { id: 'u-wang', role: 'window', department: 'ENV' };
const windowRegistrar: Actor = { id: 'u-sun', role: 'window', department: 'HALL' };

const T0 = '2026-12-01T09:00:00.000+08:00';
const T1 = '2026-12-02T09:00:00.000+08:00';
const T2 = '2026-12-03T09:00:00.000+08:00';

const input: OpenComplaintInput = {
  id: 'TS-20261201-0001',
  channel: 'phone',
  who: '张三',
  contact: '13800001234',
  caseNo: 'ENV-20261130-0042',
  department: 'ENV',
  text: '窗口没有一次性告知所需材料，跑了三趟。',
  receivedAt: T0,
  due: '2026-12-08',
};

function received(): Complaint {
  return openComplaint(input);
}

describe('openComplaint', () => {
  it('records a received complaint with its deadline and a first history entry', () => {
    // Act
    const c = openComplaint(input, windowRegistrar);

    // Assert
    expect(c).toMatchObject({
      id: 'TS-20261201-0001',
      channel: 'phone',
      who: '张三',
      contact: '13800001234',
      caseNo: 'ENV-20261130-0042',
      department: 'ENV',
      state: 'received',
      due: '2026-12-08',
      version: 1,
    });
    expect(c.history).toEqual([
      { at: T0, actor: 'u-sun', role: 'window', action: 'receive', from: null, to: 'received', note: 'phone' },
    ]);
  });

  it('records an online complaint as received by the system when no one registered it', () => {
    // Act
    const c = openComplaint({ ...input, channel: 'online', caseNo: undefined, department: undefined });

    // Assert
    expect(c.history[0]).toMatchObject({ actor: 'system', role: 'system' });
    expect(c).not.toHaveProperty('caseNo');
    expect(c).not.toHaveProperty('department');
  });

  it.each(['0851-86812345', '+86 138 0000 1234', '13800001234'])('accepts the phone number %j', (contact) => {
    // Act
    const c = openComplaint({ ...input, contact });

    // Assert
    expect(c.contact).toBe(contact);
  });

  it('names every bad field at once', () => {
    // Act
    let error: unknown;
    try {
      openComplaint({
        id: '',
        channel: 'fax' as never,
        who: ' ',
        contact: 'call me',
        text: '',
        receivedAt: 'today',
        due: 'next week',
      });
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual([
      'id',
      'channel',
      'who',
      'contact',
      'text',
      'receivedAt',
      'due',
    ]);
  });

  it('refuses a due date before the day it was received', () => {
    // Act
    const open = () => openComplaint({ ...input, due: '2026-11-30' });

    // Assert
    expect(open).toThrow(/due/);
  });
});

describe('applyComplaintAction: 自办 / 转办 / 督办 and the answer', () => {
  it('handles a complaint in the hall and the supervisor answers it', () => {
    // Arrange
    const handling = applyComplaintAction(received(), { type: 'handle', note: '中心自办' }, supervisor, T1);

    // Act
    const answered = applyComplaintAction(
      handling,
      { type: 'answer', answer: '已约谈窗口负责人并整改。' },
      supervisor,
      T2,
    );

    // Assert
    expect(handling.state).toBe('handling');
    expect(answered).toMatchObject({
      state: 'answered',
      answer: '已约谈窗口负责人并整改。',
      answeredAt: T2,
      version: 3,
    });
    expect(answered.history.map((h) => [h.action, h.from, h.to])).toEqual([
      ['receive', null, 'received'],
      ['handle', 'received', 'handling'],
      ['answer', 'handling', 'answered'],
    ]);
  });

  it.each(['transfer', 'supervise'] as const)('%s sends it to a department whose staff may answer it', (type) => {
    // Arrange
    const routed = applyComplaintAction(received(), { type, department: 'ENV' }, supervisor, T1);

    // Act
    const answered = applyComplaintAction(routed, { type: 'answer', answer: '已补正告知。' }, envReviewer, T2);

    // Assert
    expect(routed.state).toBe(type === 'transfer' ? 'transferred' : 'supervised');
    expect(routed.handlingDepartment).toBe('ENV');
    expect(routed.history.at(-1)).toMatchObject({ action: type, actor: 'u-zhao', note: 'ENV' });
    expect(answered.state).toBe('answered');
  });

  it('escalates a stalled transferred complaint to supervision', () => {
    // Arrange
    const transferred = applyComplaintAction(received(), { type: 'transfer', department: 'ENV' }, supervisor, T1);

    // Act
    const supervised = applyComplaintAction(
      transferred,
      { type: 'supervise', department: 'ENV', note: '逾期未复' },
      supervisor,
      T2,
    );

    // Assert
    expect(supervised.state).toBe('supervised');
    expect(supervised.history.at(-1)).toMatchObject({ from: 'transferred', to: 'supervised', note: 'ENV: 逾期未复' });
  });

  it('leaves the complaint it was given unchanged', () => {
    // Arrange
    const c = received();
    const before = JSON.parse(JSON.stringify(c));

    // Act
    applyComplaintAction(c, { type: 'handle' }, supervisor, T1);

    // Assert
    expect(c).toEqual(before);
  });
});

describe('applyComplaintAction: who may act', () => {
  it.each([
    [{ type: 'handle' } satisfies ComplaintAction, envReviewer],
    [{ type: 'transfer', department: 'ENV' } satisfies ComplaintAction, envWindow],
    [{ type: 'supervise', department: 'ENV' } satisfies ComplaintAction, envReviewer],
  ])('forbids routing %j by anyone but a supervisor', (action, actor) => {
    // Act
    const act = () => applyComplaintAction(received(), action, actor, T1);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });

  it('forbids staff of another department from answering a transferred complaint', () => {
    // Arrange
    const transferred = applyComplaintAction(received(), { type: 'transfer', department: 'ENV' }, supervisor, T1);

    // Act
    const act = () => applyComplaintAction(transferred, { type: 'answer', answer: '与我无关' }, taxReviewer, T2);

    // Assert
    expect(act).toThrow(ForbiddenError);
    expect(act).toThrow(/ENV/);
  });

  it('forbids department staff from answering a complaint the hall handles itself', () => {
    // Arrange
    const handling = applyComplaintAction(received(), { type: 'handle' }, supervisor, T1);

    // Act
    const act = () => applyComplaintAction(handling, { type: 'answer', answer: '已处理' }, envReviewer, T2);

    // Assert
    expect(act).toThrow(ForbiddenError);
  });
});

describe('applyComplaintAction: what each state allows', () => {
  it.each([
    ['received', ['handle', 'transfer', 'supervise']],
    ['handling', ['answer']],
    ['transferred', ['supervise', 'answer']],
    ['supervised', ['answer']],
    ['answered', []],
  ] as const)('allows in %s: %j', (state, expected) => {
    // Act
    const allowed = allowedComplaintActions(state);

    // Assert
    expect(allowed).toEqual(expected);
  });

  it.each([
    ['received', { type: 'answer', answer: '太早了' } satisfies ComplaintAction],
    ['handling', { type: 'transfer', department: 'ENV' } satisfies ComplaintAction],
    ['supervised', { type: 'handle' } satisfies ComplaintAction],
    ['answered', { type: 'answer', answer: '再答一次' } satisfies ComplaintAction],
    ['answered', { type: 'supervise', department: 'ENV' } satisfies ComplaintAction],
  ] as const)('conflicts in %s on %j, naming the state and what it allows', (state, action) => {
    // Arrange
    const c: Complaint = { ...received(), state, handlingDepartment: 'ENV' };

    // Act
    let error: unknown;
    try {
      applyComplaintAction(c, action, supervisor, T1);
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toContain(state);
    expect((error as ConflictError).extra).toEqual({ state, allowed: [...allowedComplaintActions(state)] });
  });

  it.each([
    [{ type: 'transfer', department: ' ' } satisfies ComplaintAction, 'department'],
    [{ type: 'answer', answer: '' } satisfies ComplaintAction, 'answer'],
  ])('requires the field for %j', (action, field) => {
    // Arrange
    const c: Complaint = action.type === 'answer' ? { ...received(), state: 'handling' } : received();

    // Act
    let error: unknown;
    try {
      applyComplaintAction(c, action, supervisor, T1);
    } catch (e) {
      error = e;
    }

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0].field).toBe(field);
  });
});

describe('isAnsweredOnTime', () => {
  const answerAt = (at: string) =>
    applyComplaintAction(
      applyComplaintAction(received(), { type: 'handle' }, supervisor, T1),
      { type: 'answer', answer: '已处理' },
      supervisor,
      at,
    );

  it.each([
    ['2026-12-08T23:59:00.000+08:00', true],
    ['2026-12-08T15:59:59.000Z', true],
    ['2026-12-08T16:00:00.000Z', false],
    ['2026-12-10T09:00:00.000+08:00', false],
  ])('answered at %s: on time %s (China date against due 2026-12-08)', (at, expected) => {
    // Act
    const onTime = isAnsweredOnTime(answerAt(at));

    // Assert
    expect(onTime).toBe(expected);
  });

  it('is not on time while unanswered', () => {
    // Act
    const onTime = isAnsweredOnTime(received());

    // Assert
    expect(onTime).toBe(false);
  });
});
