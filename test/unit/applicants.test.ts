/**
 * Applicants as people, organisations and agents (issue 10): the documents' format checks, the
 * 统一社会信用代码 check character (GB 32100-2015), which phone gets the SMS, the keyed-hash input,
 * and the masks of structured fields and of free text.
 */
import {
  ID_TYPES,
  idHashInput,
  identityNumberProblem,
  isValidUscc,
  maskFreeText,
  maskId,
  normalizeIdNumber,
  residentIdCheckChar,
  smsPhone,
  usccCheckChar,
  usccProblem,
} from '../../shared/domain/identity';
import { ApplicantBody, AgentBody } from '../../functions/submission/applicant-schema';
import { SubmitCaseBody } from '../../functions/submission/schemas';
import { issuesToProblems } from '../../shared/http/validation';
import type { CaseRecord } from '../../shared/domain/case';
import { maskedApplicant, maskedDenial, maskedHistory, progressView, staffView } from '../../shared/domain/views';
import { inquiryListView } from '../../shared/domain/inquiry';
import { redact } from '../../shared/adapters/logger';

/** Real-format codes (published on business licences) whose check characters are right. */
const VALID_USCC = ['91350100M000100Y43', '91110000802100433B', '911100001000054748', '914403001922038216'];

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(VALID_USCC)('accepts %s, whose check character matches its first 17 characters', (code) => {
    // Act
    const problem = usccProblem(code);

    // Assert
    expect(problem).toBeUndefined();
    expect(isValidUscc(code)).toBe(true);
  });

  it.each([
    ['91350100M000100Y4', '3'],
    ['91110000802100433', 'B'],
    ['91440300192203821', '6'],
  ])('computes the check character of %s as %s', (first17, expected) => {
    // Act
    const check = usccCheckChar(first17);

    // Assert
    expect(check).toBe(expected);
  });

  it.each([
    ['91350100M000100Y44', '3'],
    ['91110000802100433C', 'B'],
    ['914403001922038217', '6'],
  ])('refuses %s and names %s as the check character the first 17 give', (code, expected) => {
    // Act
    const problem = usccProblem(code);

    // Assert
    expect(problem).toContain(`give ${expected}`);
    expect(isValidUscc(code)).toBe(false);
  });

  it('computes the check character with the weights 1, 3, 9, … 28 modulo 31 over the 31-character alphabet', () => {
    // Arrange: a hand computation of 91350100M000100Y4 (M = 21, Y = 30)
    const values = [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4];
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = values.reduce((s, v, i) => s + v * weights[i], 0);

    // Act
    const check = usccCheckChar('91350100M000100Y4');

    // Assert
    expect(check).toBe('0123456789ABCDEFGHJKLMNPQRTUWXY'[(31 - (sum % 31)) % 31]);
  });

  it('refuses a code of the wrong length and says how long it is', () => {
    // Act
    const problem = usccProblem('91350100M000100Y4');

    // Assert
    expect(problem).toBe('a unified social credit code has 18 characters; this one has 17');
  });

  it.each([
    '91350100M000100I43',
    '91350100M000100O43',
    '91350100M000100S43',
    '91350100M000100V43',
    '91350100M000100Z43',
  ])('refuses %s, which holds a letter the code never uses', (code) => {
    // Act
    const problem = usccProblem(code);

    // Assert
    expect(problem).toMatch(/no I, O, S, V or Z/);
  });

  it('refuses letters where the administrative division code (characters 3 to 8) should be', () => {
    // Act
    const problem = usccProblem('91A50100M000100Y43');

    // Assert
    expect(problem).toMatch(/characters 3 to 8/);
  });

  it('accepts a code typed in lower case with spaces once normalised', () => {
    // Act
    const code = normalizeIdNumber(' 9135 0100 m000 100y43 ');

    // Assert
    expect(code).toBe('91350100M000100Y43');
    expect(identityNumberProblem('uscc', code)).toBeUndefined();
  });
});

describe('persons: each document with its format check', () => {
  const foreign2023 = `91184019800101001${residentIdCheckChar('91184019800101001')}`;

  it.each([
    ['resident-id', '11010519491231002X'],
    ['passport', 'E12345678'],
    ['passport', 'EA1234567'],
    ['passport', 'X1234567'],
    ['hk-macao-permit', 'H12345678'],
    ['hk-macao-permit', 'M1234567801'],
    ['taiwan-permit', '12345678'],
    ['taiwan-permit', '1234567890'],
    ['foreign-permanent-residence', 'USA110105001'.padEnd(15, '9')],
    ['foreign-permanent-residence', foreign2023],
  ] as const)('accepts a %s number %s', (idType, id) => {
    // Act
    const problem = identityNumberProblem(idType, id);

    // Assert
    expect(problem).toBeUndefined();
  });

  it.each([
    ['resident-id', '110105194912310021', /check digit/],
    ['passport', 'E123', /5 to 17 letters and digits/],
    ['passport', 'E1234-5678', /5 to 17 letters and digits/],
    ['hk-macao-permit', 'K12345678', /H or M and 8 or 10 digits/],
    ['hk-macao-permit', 'H1234567', /H or M and 8 or 10 digits/],
    ['taiwan-permit', '1234567', /8 digits/],
    ['taiwan-permit', 'T1234567', /8 digits/],
    ['foreign-permanent-residence', 'US1101050019999', /3 letters/],
    ['foreign-permanent-residence', '811840198001010019', /begins with 9/],
    ['foreign-permanent-residence', `${foreign2023.slice(0, 17)}${foreign2023[17] === '0' ? '1' : '0'}`, /check digit/],
    ['foreign-permanent-residence', '1234567890', /18 characters \(15 before 2023\)/],
    ['uscc', '91350100M000100Y44', /check character/],
  ] as const)('refuses a %s number %s and says why', (idType, id, why) => {
    // Act
    const problem = identityNumberProblem(idType, id);

    // Assert
    expect(problem).toMatch(why);
  });

  it('names the foreign permanent residence ID, not the resident ID, in the problem of an 18-character one', () => {
    // Act
    const problem = identityNumberProblem('foreign-permanent-residence', '91184019801301001X');

    // Assert
    expect(problem).toMatch(/birth date 19801301/);
    expect(identityNumberProblem('foreign-permanent-residence', '91184019800101001')).toMatch(
      /foreign permanent residence ID has 18 characters/,
    );
  });

  it('offers every document type in the schema, persons first and the organisation last', () => {
    // Assert
    expect(ID_TYPES).toEqual([
      'resident-id',
      'passport',
      'hk-macao-permit',
      'taiwan-permit',
      'foreign-permanent-residence',
      'uscc',
    ]);
  });
});

describe('which phone gets the SMS, and what is hashed', () => {
  it("gives the agent's phone when the case has an agent", () => {
    // Arrange
    const party = { applicant: { phone: '13800001234' }, agent: { phone: '13900005678' } };

    // Act
    const phone = smsPhone(party);

    // Assert
    expect(phone).toBe('13900005678');
  });

  it("gives the applicant's phone when there is no agent", () => {
    // Act
    const phone = smsPhone({ applicant: { phone: '13800001234' } });

    // Assert
    expect(phone).toBe('13800001234');
  });

  it('hashes a resident ID number as it always was and every other document with its type, so two kinds never match', () => {
    // Act
    const resident = idHashInput('resident-id', '11010519491231002X');
    const taiwan = idHashInput('taiwan-permit', '12345678');
    const hongKong = idHashInput('hk-macao-permit', '12345678');

    // Assert
    expect(resident).toBe('11010519491231002X');
    expect(taiwan).toBe('taiwan-permit:12345678');
    expect(taiwan).not.toBe(hongKong);
  });
});

describe('the applicant schema (POST /cases)', () => {
  const organisation = {
    name: '贵州绿源环保科技有限公司',
    idType: 'uscc',
    idNumber: '91350100m000100y43',
    legalRepresentative: '王五',
    phone: '13800001234',
  };

  it('takes an organisation with its code and legal representative, normalising the code', () => {
    // Act
    const parsed = ApplicantBody.parse(organisation);

    // Assert
    expect(parsed).toEqual({ ...organisation, idNumber: '91350100M000100Y43' });
  });

  it('refuses an organisation whose check character is wrong, naming applicant.idNumber and the expected character', () => {
    // Act
    const result = SubmitCaseBody.safeParse({
      itemCode: 'ENV-EIA-FORM',
      applicant: { ...organisation, idNumber: '91350100M000100Y44' },
      materials: [],
      delivery: 'pickup',
    });

    // Assert
    expect(result.success).toBe(false);
    expect(issuesToProblems(result.error!.issues)).toEqual([
      {
        field: 'applicant.idNumber',
        message: 'the check character is 4 but the first 17 characters give 3: a character is mistyped',
      },
    ]);
  });

  it('asks an organisation for its legal representative, and a person not to give one', () => {
    // Act
    const organisationWithout = ApplicantBody.safeParse({ ...organisation, legalRepresentative: undefined });
    const personWith = ApplicantBody.safeParse({
      name: '张三',
      idType: 'resident-id',
      idNumber: '11010519491231002X',
      phone: '13800001234',
      legalRepresentative: '王五',
    });

    // Assert
    expect(issuesToProblems(organisationWithout.error!.issues, 'applicant')).toEqual([
      expect.objectContaining({
        field: 'applicant.legalRepresentative',
        message: expect.stringMatching(/is required/),
      }),
    ]);
    expect(issuesToProblems(personWith.error!.issues, 'applicant')).toEqual([
      expect.objectContaining({
        field: 'applicant.legalRepresentative',
        message: expect.stringMatching(/only an organisation/),
      }),
    ]);
  });

  it('names every bad field of an agent at once, and refuses an organisation as an agent', () => {
    // Act
    const bad = AgentBody.safeParse({ name: '', idType: 'passport', idNumber: 'E1', phone: '123' });
    const { legalRepresentative: _omitted, ...withoutRepresentative } = organisation;
    const organisationAgent = AgentBody.safeParse(withoutRepresentative);

    // Assert
    expect(
      issuesToProblems(bad.error!.issues, 'agent')
        .map((p) => p.field)
        .sort(),
    ).toEqual(['agent.idNumber', 'agent.name', 'agent.phone']);
    expect(issuesToProblems(organisationAgent.error!.issues, 'agent').map((p) => p.field)).toEqual(['agent.idType']);
  });
});

describe('masks: structured fields and free text', () => {
  it.each([
    ['11010519491231002X', '110***********002X'],
    ['91350100M000100Y43', '913***********0Y43'],
    ['USA110105001999', 'USA********1999'],
    ['E12345678', 'E*****678'],
    ['H1234567801', 'H*******801'],
    ['12345678', '1****678'],
    ['E1234', '*****'],
  ])('masks the document number %s as %s', (id, masked) => {
    // Act
    const out = maskId(id);

    // Assert
    expect(out).toBe(masked);
  });

  it('masks a phone and a resident ID number embedded in Chinese text', () => {
    // Arrange
    const note = '申请人张三（身份证11010519491231002X）请于周五前补交，联系电话13812345678。';

    // Act
    const masked = maskFreeText(note);

    // Assert
    expect(masked).toBe('申请人张三（身份证110***********002X）请于周五前补交，联系电话138****5678。');
  });

  it('masks a 统一社会信用代码, a 15-digit old ID and a phone written with +86 and hyphens', () => {
    // Arrange
    const text = '企业代码91350100M000100Y43，旧证号110105491231002，电话+86 138-1234-5678';

    // Act
    const masked = maskFreeText(text);

    // Assert
    expect(masked).toBe('企业代码913***********0Y43，旧证号110********1002，电话138****5678');
  });

  it('leaves case numbers, dates, material codes and short numbers as they are', () => {
    // Arrange
    const text = 'ENV-20261203-0004 于 2026-12-04T09:00:00+08:00 退回，材料 EIA-REPORT-FORM 第3页，金额 12345 元';

    // Act
    const masked = maskFreeText(text);

    // Assert
    expect(masked).toBe(text);
  });

  it('masks what is already masked no further', () => {
    // Arrange
    const once = maskFreeText('电话13812345678 证件11010519491231002X');

    // Act
    const twice = maskFreeText(once);

    // Assert
    expect(twice).toBe(once);
  });

  it('guards the logs with the same mask, for every kind of number', () => {
    // Act
    const line = redact('case for 91350100M000100Y43, agent 13912345678');

    // Assert
    expect(line).toBe('case for 913***********0Y43, agent 139****5678');
  });
});

describe('views of an organisation with an agent', () => {
  const record: CaseRecord = {
    caseNo: 'ENV-20261204-0001',
    itemCode: 'ENV-EIA-FORM',
    itemName: '建设项目环境影响报告表审批',
    department: 'ENV',
    kind: 'committed',
    channel: 'online',
    delivery: 'pickup',
    applicant: {
      name: '贵州绿源环保科技有限公司',
      idType: 'uscc',
      idNumber: '91350100M000100Y43',
      legalRepresentative: '王五',
      phone: '13800001234',
    },
    agent: { name: '李四', idType: 'resident-id', idNumber: '11010519491231002X', phone: '13900005678' },
    phoneHash: 'h1',
    idHash: 'h2',
    status: 'denied',
    version: 4,
    receivedAt: '2026-12-04T09:00:00.000+08:00',
    materials: [],
    notice: {
      issuedAt: '2026-12-04T09:00:00.000+08:00',
      missing: [],
      problems: [{ code: 'APPLICATION', note: '请经办人李四（13900005678）补盖公章' }],
    },
    pauses: [],
    decision: {
      outcome: 'deny',
      reason: '法定代表人身份证11010519491231002X已过期',
      by: 'env-a1',
      at: '2026-12-05T09:00:00.000+08:00',
    },
    reviews: [
      {
        department: 'ENV',
        stage: 0,
        decision: 'deny',
        decidedAt: '2026-12-05T09:00:00.000+08:00',
        by: 'env-r1',
        reason: '联系13900005678未接',
      },
    ],
    history: [
      {
        at: '2026-12-04T09:00:00.000+08:00',
        actor: 'env-a1',
        role: 'window',
        action: 'return',
        from: 'submitted',
        to: 'supplement-required',
        note: '已电话13800001234告知',
      },
    ],
  };

  it('masks the legal representative and the code, and keeps the registered name of the company readable', () => {
    // Act
    const applicant = maskedApplicant(record);

    // Assert
    expect(applicant).toEqual({
      name: '贵州绿源环保科技有限公司',
      idType: 'uscc',
      idNumber: '913***********0Y43',
      legalRepresentative: '王*',
      phone: '138****1234',
    });
  });

  it("masks an individual business's name (个体工商户, a code beginning 92), which is often its owner's", () => {
    // Act
    const applicant = maskedApplicant({
      applicant: {
        ...record.applicant,
        name: '王五',
        idNumber: `92440300MA5FXXXX1${usccCheckChar('92440300MA5FXXXX1')}`,
      },
    });

    // Assert
    expect(applicant.name).toBe('王*');
  });

  it('shows the agent masked, and phone and ID numbers in the notice, the decision, the reviews and the history masked', () => {
    // Act
    const progress = progressView(record);
    const staff = staffView(record);
    const history = maskedHistory(record.history);

    // Assert
    expect(progress.agent).toEqual({
      name: '李*',
      idType: 'resident-id',
      idNumber: '110***********002X',
      phone: '139****5678',
    });
    expect(progress.notice?.problems?.[0].note).toBe('请经办人李四（139****5678）补盖公章');
    expect(progress.decision?.reason).toBe('法定代表人身份证110***********002X已过期');
    expect(staff.reviews[0].reason).toBe('联系139****5678未接');
    expect(history[0].note).toBe('已电话138****1234告知');
    expect(JSON.stringify({ progress, staff, history })).not.toMatch(/13900005678|13800001234|11010519491231002X/);
  });

  it('masks the numbers in an inquiry matter and a filed denial reason', () => {
    // Act
    const inquiry = inquiryListView({
      id: 'INQ-1',
      at: '2026-12-04T09:00:00.000+08:00',
      date: '2026-12-04',
      staff: 'env-a1',
      department: 'ENV',
      matter: '企业91350100M000100Y43咨询环评，回电13800001234',
      contact: {},
      outcome: 'answered',
    });
    const denial = maskedDenial({
      reason: '身份证11010519491231002X不符',
      reasons: [{ department: 'ENV', reason: '电话13800001234' }],
    });

    // Assert
    expect(inquiry.matter).toBe('企业913***********0Y43咨询环评，回电138****1234');
    expect(denial).toEqual({
      reason: '身份证110***********002X不符',
      reasons: [{ department: 'ENV', reason: '电话138****1234' }],
    });
  });
});
