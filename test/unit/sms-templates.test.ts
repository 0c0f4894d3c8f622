import { DELIVERIES } from '../../shared/domain/case';
import { parseReply } from '../../shared/domain/sms-reply';
import {
  acceptedNotice,
  caseCodeNotice,
  phoneCodeNotice,
  deemedWithdrawnNotice,
  receiptNotice,
  supplementNotice,
  clarification,
  completionNotice,
  complaintAnswer,
  deadlineWarning,
  followupNotice,
  ratingThanks,
  SMS_SEGMENT_CHARS,
  SMS_TEMPLATES,
  smsLength,
  smsSegments,
  truncate,
} from '../../shared/domain/sms-templates';

/** The longest case number the system issues: 9-letter department code, 5-digit sequence. */
const LONGEST_CASE = 'ABCDEFGHI-20261231-99999';
const SHORT_CASE = 'ENV-20261130-0042';
const OUTCOMES = ['approve', 'deny'] as const;
const LONG_TEXT =
  '经核查，您反映的窗口工作人员未一次性告知所需材料的问题属实，中心已对当事人进行批评教育并责令整改，今后将严格执行一次性告知制度，感谢您对我们工作的监督和支持。';

describe('smsSegments', () => {
  it.each([
    ['', 0],
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    ['中'.repeat(70), 1],
    ['中'.repeat(71), 2],
    ['中'.repeat(134), 2],
    ['中'.repeat(135), 3],
    [`${'a'.repeat(100)}中`, 2],
    ['{'.repeat(80), 1],
    ['{'.repeat(81), 2],
  ])('counts %j as %i segment(s)', (text, expected) => {
    // Act
    const segments = smsSegments(text);

    // Assert
    expect(segments).toBe(expected);
  });

  it('counts an emoji as two UCS-2 characters', () => {
    // Arrange
    const text = `${'中'.repeat(69)}👍`;

    // Act
    const length = smsLength(text);

    // Assert
    expect(length).toBe(71);
    expect(smsSegments(text)).toBe(2);
  });

  it('says a segment holds 70 characters', () => {
    // Assert
    expect(SMS_SEGMENT_CHARS).toBe(70);
  });
});

describe('truncate', () => {
  it.each([
    ['短文本', 10, '短文本'],
    ['一二三四五六七八九十', 10, '一二三四五六七八九十'],
    ['一二三四五六七八九十壹', 10, '一二三四五六七八九…'],
    ['第一行\n\n第二行   完', 20, '第一行 第二行 完'],
    ['ab👍cd', 4, 'ab…'],
    ['anything', 0, ''],
  ])('cuts %j to %i characters as %j', (text, max, expected) => {
    // Act
    const cut = truncate(text, max);

    // Assert
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
  });
});

describe('completionNotice', () => {
  const combos = OUTCOMES.flatMap((outcome) => DELIVERIES.map((delivery) => [outcome, delivery] as const));

  it.each(combos)('fits one segment for the longest case number (%s, %s) and keeps it whole', (outcome, delivery) => {
    // Act
    const text = completionNotice({ caseNo: LONGEST_CASE, outcome, delivery });

    // Assert
    expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain(LONGEST_CASE);
  });

  it.each([
    ['approve', 'pickup', '准予许可', '窗口领取'],
    ['approve', 'post', '准予许可', '邮寄'],
    ['approve', 'electronic', '准予许可', '电子送达'],
    ['deny', 'pickup', '不予许可', '窗口领取'],
    ['deny', 'post', '不予许可', '邮寄'],
    ['deny', 'electronic', '不予许可', '电子送达'],
  ] as const)('says the outcome and how to get the result (%s, %s)', (outcome, delivery, outcomeZh, deliveryZh) => {
    // Act
    const text = completionNotice({ caseNo: SHORT_CASE, outcome, delivery });

    // Assert
    expect(text).toContain(outcomeZh);
    expect(text).toContain(deliveryZh);
    expect(text).toContain('回复1-5');
    expect(text).toContain('1非常满意');
    expect(text).toContain('5非常不满意');
  });

  it('reads back as unreadable when the applicant echoes the whole notice (it names several levels)', () => {
    // Arrange
    const text = completionNotice({ caseNo: SHORT_CASE, outcome: 'approve', delivery: 'post' });

    // Act
    const parsed = parseReply(text);

    // Assert
    expect(parsed).toEqual({ kind: 'unreadable', caseNo: SHORT_CASE });
  });

  it('refuses a case number too long for one segment instead of sending two', () => {
    // Arrange
    const absurd = `${'X'.repeat(30)}-20261130-0042`;

    // Act
    const render = () => completionNotice({ caseNo: absurd, outcome: 'approve', delivery: 'pickup' });

    // Assert
    expect(render).toThrow(RangeError);
  });

  it('refuses an empty case number', () => {
    // Act
    const render = () => completionNotice({ caseNo: ' ', outcome: 'deny', delivery: 'post' });

    // Assert
    expect(render).toThrow(/caseNo/);
  });
});

describe('clarification, ratingThanks and followupNotice', () => {
  it.each([
    ['clarification', clarification],
    ['ratingThanks', ratingThanks],
    ['followupNotice', followupNotice],
  ] as const)('%s fits one segment for the longest case number and keeps it whole', (_name, template) => {
    // Act
    const text = template({ caseNo: LONGEST_CASE });

    // Assert
    expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(text).toContain(LONGEST_CASE);
  });

  it('clarification asks for one digit and lists all five levels', () => {
    // Act
    const text = clarification({ caseNo: SHORT_CASE });

    // Assert
    expect(text).toContain('一个数字');
    expect(text).toContain('1非常满意2满意3基本满意4不满意5非常不满意');
  });

  it('followupNotice tells the applicant someone will call to verify and fix', () => {
    // Act
    const text = followupNotice({ caseNo: SHORT_CASE });

    // Assert
    expect(text).toContain('核实整改');
  });
});

describe('complaintAnswer', () => {
  it.each([
    ['TS-20261130-0001', '已责令窗口整改。', '您的投诉TS-20261130-0001已办结，答复：已责令窗口整改。'],
    ['TS-20261130-0001', '  多余\n空白  ', '您的投诉TS-20261130-0001已办结，答复：多余 空白'],
  ])('renders complaint %s with summary %j', (complaintNo, answerSummary, expected) => {
    // Act
    const text = complaintAnswer({ complaintNo, answerSummary });

    // Assert
    expect(text).toBe(expected);
  });

  it.each(['TS-20261130-0001', 'COMPLAINT-20261231-99999'])(
    'cuts a long summary with an ellipsis so complaint %s fits one segment',
    (complaintNo) => {
      // Act
      const text = complaintAnswer({ complaintNo, answerSummary: LONG_TEXT });

      // Assert
      expect(text.length).toBe(SMS_SEGMENT_CHARS);
      expect(text.endsWith('…')).toBe(true);
      expect(text).toContain(complaintNo);
    },
  );

  it('refuses a complaint number that leaves no room for the answer', () => {
    // Act
    const render = () => complaintAnswer({ complaintNo: 'X'.repeat(60), answerSummary: '已处理' });

    // Assert
    expect(render).toThrow(RangeError);
  });
});

describe('deadlineWarning', () => {
  it.each([
    [
      { caseNo: SHORT_CASE, colour: 'yellow', due: '2026-12-01', department: '环保' },
      '【预警】办件ENV-20261130-0042将于2026-12-01到期，请环保抓紧办理。',
    ],
    [
      { caseNo: SHORT_CASE, colour: 'red', due: '2026-12-01', department: '环保' },
      '【报警】办件ENV-20261130-0042已超过办结时限2026-12-01，请环保立即办理并说明原因。',
    ],
    [
      { taskRef: 'ENV-20261130-0042/TAX', colour: 'yellow', due: '2026-12-01', department: 'TAX' },
      '【预警】审查任务ENV-20261130-0042/TAX将于2026-12-01到期，请TAX抓紧办理。',
    ],
  ] as const)('renders %j', (input, expected) => {
    // Act
    const text = deadlineWarning(input);

    // Assert
    expect(text).toBe(expected);
  });

  it.each(['yellow', 'red'] as const)('cuts a long department name so a %s card fits one segment', (colour) => {
    // Arrange
    const department = '某某市生态环境局建设项目环境影响评价审批科第二窗口';

    // Act
    const text = deadlineWarning({ caseNo: LONGEST_CASE, colour, due: '2026-12-31', department });

    // Assert
    expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(text).toContain(LONGEST_CASE);
    expect(text).toContain('2026-12-31');
    expect(text).toContain('…');
  });

  it.each([
    ['case', SHORT_CASE, '【预警】办件ENV-20261130-0042将于2026-12-01到期，请环保抓紧办理。'],
    ['task', `${SHORT_CASE}.0.ENV`, '【预警】审查任务ENV-20261130-0042.0.ENV将于2026-12-01到期，请环保抓紧办理。'],
    ['complaint', 'TS-20261130-0001', '【预警】投诉TS-20261130-0001将于2026-12-01到期，请环保抓紧办理。'],
    ['followup', `FU-${SHORT_CASE}`, '【预警】差评回访FU-ENV-20261130-0042将于2026-12-01到期，请环保抓紧办理。'],
  ] as const)('names a %s card for what it is about', (about, ref, expected) => {
    // Act
    const text = deadlineWarning({ about, ref, colour: 'yellow', due: '2026-12-01', department: '环保' });

    // Assert
    expect(text).toBe(expected);
  });

  it('asks the supervisors to route a complaint no department has', () => {
    // Act
    const text = deadlineWarning({
      about: 'complaint',
      ref: 'TS-20261130-0001',
      unrouted: true,
      colour: 'red',
      due: '2026-12-01',
      department: '电子监察室',
    });

    // Assert
    expect(text).toBe('【报警】待分派投诉TS-20261130-0001已超过办结时限2026-12-01，请电子监察室立即办理并说明原因。');
  });

  it.each(['yellow', 'red'] as const)(
    'fits a %s card for the longest review task id in one segment, leaving out the department',
    (colour) => {
      // Arrange: the longest task id of the demo catalog: a HOUSING case, its COMMUNITY stage
      const ref = 'HOUSING-20261231-0001.4.COMMUNITY';

      // Act
      const text = deadlineWarning({ about: 'task', ref, colour, due: '2026-12-31', department: '社区居民委员会' });

      // Assert
      expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
      expect(text).toContain(`审查任务${ref}`);
    },
  );

  it('refuses a subject it does not know', () => {
    // Act
    const render = () =>
      deadlineWarning({ about: 'toString' as 'case', ref: SHORT_CASE, colour: 'red', due: '2026-12-01' });

    // Assert
    expect(render).toThrow(/unknown subject/);
  });

  it('refuses a due date that is not YYYY-MM-DD', () => {
    // Act
    const render = () => deadlineWarning({ caseNo: SHORT_CASE, colour: 'red', due: '12月1日', department: '环保' });

    // Assert
    expect(render).toThrow(/YYYY-MM-DD/);
  });
});

describe('every template shape', () => {
  it('has no variable left unfilled in what it renders', () => {
    // Arrange
    const rendered = [
      completionNotice({ caseNo: SHORT_CASE, outcome: 'approve', delivery: 'pickup' }),
      clarification({ caseNo: SHORT_CASE }),
      ratingThanks({ caseNo: SHORT_CASE }),
      followupNotice({ caseNo: SHORT_CASE }),
      complaintAnswer({ complaintNo: 'TS-1', answerSummary: '已处理' }),
      deadlineWarning({ caseNo: SHORT_CASE, colour: 'yellow', due: '2026-12-01', department: '环保' }),
      receiptNotice({ caseNo: SHORT_CASE, queryCode: 'ABCDEFGHJK' }),
      acceptedNotice({ caseNo: SHORT_CASE, due: '2026-12-01' }),
      supplementNotice({ caseNo: SHORT_CASE, count: 2, due: '2026-12-01' }),
      deemedWithdrawnNotice({ caseNo: SHORT_CASE, due: '2026-12-01' }),
      caseCodeNotice('123456', SHORT_CASE),
      phoneCodeNotice('123456'),
    ];

    // Act
    const leftovers = rendered.filter((t) => /\{\w+\}/.test(t));

    // Assert
    expect(leftovers).toEqual([]);
    expect(Object.keys(SMS_TEMPLATES).length).toBe(13);
  });
});

describe('the applicant told at every step', () => {
  /** The longest realistic values: a 24-character case number, a 10-character query code, 99 materials. */
  const LONGEST = { caseNo: LONGEST_CASE, queryCode: 'ZZZZZZZZZZ', due: '2026-12-31', count: 99 };

  it.each([
    ['receipt', () => receiptNotice(LONGEST)],
    ['acceptance', () => acceptedNotice(LONGEST)],
    ['notice to supplement', () => supplementNotice(LONGEST)],
    ['deemed withdrawal', () => deemedWithdrawnNotice(LONGEST)],
    ['one-time code of a case', () => caseCodeNotice('999999', LONGEST.caseNo)],
  ])('keeps the %s within one segment with the longest values', (_name, render) => {
    // Act
    const text = render();
    // Assert
    expect(smsLength(text)).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain(LONGEST_CASE);
  });

  it('writes the query code on the receipt in two groups of five, as it is read aloud', () => {
    // Act
    const text = receiptNotice({ caseNo: SHORT_CASE, queryCode: 'ABCDEFGHJK' });
    // Assert
    expect(text).toBe('您的办件ENV-20261130-0042已收件，查询码ABCDE-FGHJK，请凭办件号和查询码查询进度。');
  });

  it('tells how many materials to supply, where to read them and by when', () => {
    // Act
    const text = supplementNotice({ caseNo: SHORT_CASE, count: 3, due: '2026-10-26' });
    // Assert
    expect(text).toBe('您的办件ENV-20261130-0042需补正3项材料，详见进度查询，请于2026-10-26前补正，逾期视为撤回。');
  });

  it('writes more than 99 materials as 99, so the notice stays in one segment', () => {
    expect(supplementNotice({ caseNo: LONGEST_CASE, count: 250, due: '2026-12-31' })).toContain('需补正99项');
  });

  it('tells the committed deadline on acceptance and the missed date on a deemed withdrawal', () => {
    expect(acceptedNotice({ caseNo: SHORT_CASE, due: '2026-10-19' })).toContain('承诺2026-10-19前办结');
    expect(deemedWithdrawnNotice({ caseNo: SHORT_CASE, due: '2026-10-19' })).toContain(
      '未在2026-10-19前补正，已视为撤回',
    );
  });

  it.each([
    ['a query code that is not one', () => receiptNotice({ caseNo: SHORT_CASE, queryCode: 'abc' })],
    ['a due date that is not a date', () => acceptedNotice({ caseNo: SHORT_CASE, due: '19 Oct' })],
    ['no material to supply', () => supplementNotice({ caseNo: SHORT_CASE, count: 0, due: '2026-10-19' })],
    ['a case number with a space', () => deemedWithdrawnNotice({ caseNo: 'ENV 1', due: '2026-10-19' })],
  ])('refuses %s rather than send a broken SMS', (_name, render) => {
    expect(render).toThrow(RangeError);
  });
});
