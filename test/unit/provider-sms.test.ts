import {
  admitSend,
  fitProviderMessage,
  parsePhoneLimits,
  providerTemplateProblems,
  LONGEST_TEMPLATE_VALUES,
  readTemplateText,
  renderProviderText,
  SUGGESTED_PROVIDER_TEXTS,
  TEMPLATE_NAMES,
  type ProviderTemplates,
} from '../../shared/domain/provider-sms';
import {
  clarification,
  completionNotice,
  complaintAnswer,
  deadlineWarning,
  followupNotice,
  ratingThanks,
  receiptNotice,
  acceptedNotice,
  supplementNotice,
  deemedWithdrawnNotice,
} from '../../shared/domain/sms-templates';

const TEMPLATES = Object.fromEntries(
  TEMPLATE_NAMES.map((name, i) => [name, { code: `SMS_${1000 + i}`, text: SUGGESTED_PROVIDER_TEXTS[name] }]),
) as ProviderTemplates;
const LONGEST_CASE = 'ABCDEFGHI-20261231-99999';
const SIGN_12 = '贵州省贵阳市政务服务中'; // 11 characters, 13 with the brackets: one over the suggested texts' budget
const SIGN_10 = '贵阳市政务服务中心';

describe('reading a composed SMS back as its template and variables', () => {
  it.each([
    [
      'completion',
      completionNotice({ caseNo: LONGEST_CASE, outcome: 'deny', delivery: 'post' }),
      { caseNo: LONGEST_CASE, outcome: '不予许可', delivery: '结果将邮寄给您' },
    ],
    ['clarification', clarification({ caseNo: 'ENV-20260928-0042' }), { caseNo: 'ENV-20260928-0042' }],
    ['ratingThanks', ratingThanks({ caseNo: 'ENV-20260928-0042' }), { caseNo: 'ENV-20260928-0042' }],
    ['followup', followupNotice({ caseNo: 'ENV-20260928-0042' }), { caseNo: 'ENV-20260928-0042' }],
    [
      'complaintAnswer',
      complaintAnswer({ complaintNo: 'TS-20261130-0001', answerSummary: '已责成窗口整改，并向您致歉' }),
      { complaintNo: 'TS-20261130-0001', summary: '已责成窗口整改，并向您致歉' },
    ],
    [
      'deadlineYellow',
      deadlineWarning({ caseNo: 'ENV-20260928-0042', colour: 'yellow', due: '2026-10-16', department: '生态环境局' }),
      { ref: '办件ENV-20260928-0042', due: '2026-10-16', department: '生态环境局' },
    ],
    [
      'deadlineRed',
      deadlineWarning({ taskRef: 'ENV-20260928-0042.1.TAX', colour: 'red', due: '2026-10-16', department: '税务局' }),
      { ref: '审查任务ENV-20260928-0042.1.TAX', due: '2026-10-16', department: '税务局' },
    ],
    [
      'receipt',
      receiptNotice({ caseNo: LONGEST_CASE, queryCode: 'ABCDEFGHJK' }),
      { caseNo: LONGEST_CASE, queryCode: 'ABCDE-FGHJK' },
    ],
    [
      'accepted',
      acceptedNotice({ caseNo: 'ENV-20260928-0042', due: '2026-10-19' }),
      { caseNo: 'ENV-20260928-0042', due: '2026-10-19' },
    ],
    [
      'supplementNotice',
      supplementNotice({ caseNo: 'ENV-20260928-0042', count: 12, due: '2026-10-26' }),
      { caseNo: 'ENV-20260928-0042', count: '12', due: '2026-10-26' },
    ],
    [
      'deemedWithdrawn',
      deemedWithdrawnNotice({ caseNo: 'ENV-20260928-0042', due: '2026-10-26' }),
      { caseNo: 'ENV-20260928-0042', due: '2026-10-26' },
    ],
  ])('finds the %s template and its variables', (name, text, vars) => {
    // Act
    const read = readTemplateText(text);
    // Assert
    expect(read).toEqual({ name, vars });
  });

  it('finds no template in a text that is none of them', () => {
    expect(readTemplateText('您好，这是一条自由文本短信')).toBeUndefined();
  });
});

describe('fitting a message to the registered template and one segment, signature included', () => {
  it('fills the registered text and puts the signature in front', () => {
    // Act
    const message = fitProviderMessage(
      'completion',
      { caseNo: 'ENV-20260928-0042', outcome: '准予许可', delivery: '结果已电子送达' },
      TEMPLATES.completion,
      SIGN_10,
    );
    // Assert
    expect(message).toEqual({
      code: 'SMS_1000',
      params: { caseNo: 'ENV-20260928-0042', outcome: '准予许可', delivery: '结果已电子送达' },
      text: '【贵阳市政务服务中心】办件ENV-20260928-0042已办结：准予许可，结果已电子送达。回复1-5评价(1最满意)',
    });
  });

  it('keeps every suggested template within 70 characters with the longest identifiers and a 10-character signature', () => {
    for (const name of TEMPLATE_NAMES) {
      const vars = {
        ...LONGEST_TEMPLATE_VALUES,
        caseNo: LONGEST_CASE,
        complaintNo: 'TS-20261231-99999',
        outcome: '准予许可',
        delivery: '请凭回执到窗口领取',
        ref: `办件${LONGEST_CASE}`,
        due: '2026-12-31',
        summary: '答'.repeat(200),
        department: '部'.repeat(200),
      };
      const message = fitProviderMessage(name, vars, TEMPLATES[name], SIGN_10);
      expect({ name, length: message.text.length <= 70 }).toEqual({ name, length: true });
    }
  });

  it('cuts free text with "…" to what the segment leaves, and never an identifier', () => {
    // Act
    const message = fitProviderMessage(
      'complaintAnswer',
      {
        complaintNo: 'TS-20261130-0001',
        summary: '经核查，窗口工作人员未按规定一次性告知所需材料，已责成整改并对相关人员进行批评教育，特此答复',
      },
      TEMPLATES.complaintAnswer,
      SIGN_10,
    );
    // Assert
    expect(message.text).toHaveLength(70);
    expect(message.params.complaintNo).toBe('TS-20261130-0001');
    expect(message.params.summary.endsWith('…')).toBe(true);
  });

  it('throws when the identifiers alone are over one segment', () => {
    const tooLong = {
      code: 'SMS_1',
      text: '您的办件${caseNo}已经全部办理完毕，请您在收到本短信之后尽快携带有效身份证件到窗口领取结果',
    };
    expect(() => fitProviderMessage('followup', { caseNo: LONGEST_CASE }, tooLong, SIGN_10)).toThrow(
      /over the 70 of one segment/,
    );
  });
});

describe('checking a template configuration at start', () => {
  it('accepts the suggested texts with a 10-character signature', () => {
    expect(providerTemplateProblems(TEMPLATES, SIGN_10)).toEqual([]);
  });

  it('names each template that a longer signature would take past one segment', () => {
    // Act
    const problems = providerTemplateProblems(TEMPLATES, SIGN_12);
    // Assert
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /^\w+: /.test(p))).toBe(true);
  });

  it('names a missing template, a bad code, a variable the system does not give, and a bad signature', () => {
    // Arrange
    const { followup: _dropped, ...rest } = TEMPLATES;
    const templates = {
      ...rest,
      completion: { code: '1234', text: TEMPLATES.completion.text },
      clarification: { code: 'SMS_1', text: '请评价${caseNo}，${name}' },
    };
    // Act
    const problems = providerTemplateProblems(templates, '【阿里云】');
    // Assert
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the signature must be/),
        'followup: no template (code and registered text)',
        'completion: code must be SMS_<digits>',
        expect.stringMatching(/^clarification: variables name are not among caseNo/),
      ]),
    );
  });

  it('renders what the phone shows as the signature and the filled text', () => {
    expect(renderProviderText('阿里云', '验证码${code}', { code: '1234' })).toBe('【阿里云】验证码1234');
  });
});

describe('per-phone send limits', () => {
  const limits = parsePhoneLimits('template:2/24h,phone:1/1m');

  it('reads limits written scope:count/window', () => {
    expect(limits).toEqual([
      { scope: 'template', max: 2, seconds: 86_400 },
      { scope: 'phone', max: 1, seconds: 60 },
    ]);
    expect(parsePhoneLimits('')).toEqual([]);
    expect(() => parsePhoneLimits('50 per day')).toThrow(/not a limit/);
  });

  it('admits a send and keeps its mark, then refuses a second one within the minute, saying when to retry', () => {
    // Act
    const first = admitSend([], 1_000, 'SMS_1', limits);
    const second = admitSend(first.ok ? first.marks : [], 1_030, 'SMS_2', limits);
    // Assert
    expect(first).toEqual({ ok: true, marks: [{ t: 1_000, c: 'SMS_1' }] });
    expect(second).toEqual({ ok: false, retryAfterSeconds: 30, limit: { scope: 'phone', max: 1, seconds: 60 } });
  });

  it('counts the per-template limit in a rolling window, per template', () => {
    // Arrange
    const marks = [
      { t: 0, c: 'SMS_1' },
      { t: 100, c: 'SMS_1' },
    ];
    // Act
    const sameTemplate = admitSend(marks, 3_600, 'SMS_1', limits);
    const otherTemplate = admitSend(marks, 3_600, 'SMS_2', limits);
    const aDayLater = admitSend(marks, 86_401, 'SMS_1', limits);
    // Assert
    expect(sameTemplate).toEqual(expect.objectContaining({ ok: false, retryAfterSeconds: 86_400 - 3_600 }));
    expect(otherTemplate.ok).toBe(true);
    expect(aDayLater).toEqual({
      ok: true,
      marks: [
        { t: 100, c: 'SMS_1' },
        { t: 86_401, c: 'SMS_1' },
      ],
    });
  });
});
