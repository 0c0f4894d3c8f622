/** The apply page's model (web/src/lib/applicant-form.ts): what it sends, what it refuses before sending, with the API's own rules. */
import { SubmitCaseBody } from '../../functions/submission/schemas';
import { applicantPhone, emptyForm, formProblems, restoreForm, toSubmitBody } from '../../web/src/lib/applicant-form';

function companyWithAgent() {
  const f = emptyForm();
  f.kind = 'organisation';
  f.organisation = {
    name: '贵州绿源环保科技有限公司',
    uscc: '91350100M000100Y43',
    legalRepresentative: '王五',
    phone: '13800001234',
  };
  f.withAgent = true;
  f.agent = { name: '李四', idType: 'passport', idNumber: 'E12345678', phone: '13900005678' };
  f.materials = ['APPLICATION'];
  return f;
}

describe('the apply form', () => {
  it("sends a company with an agent in the shape the API's own schema takes", () => {
    // Arrange
    const f = companyWithAgent();

    // Act
    const body = toSubmitBody('ENV-EIA-FORM', f);
    const parsed = SubmitCaseBody.safeParse(body);

    // Assert
    expect(formProblems('ENV-EIA-FORM', f)).toEqual([]);
    expect(parsed.success).toBe(true);
    expect(body.applicant).toEqual(expect.objectContaining({ idType: 'uscc', legalRepresentative: '王五' }));
    expect(body.agent).toEqual({ name: '李四', idType: 'passport', idNumber: 'E12345678', phone: '13900005678' });
  });

  it('refuses a wrong check character and a bad agent number at their fields, in the domain’s words', () => {
    // Arrange
    const f = companyWithAgent();
    f.organisation.uscc = '91350100M000100Y44';
    f.agent.idType = 'hk-macao-permit';

    // Act
    const problems = formProblems('ENV-EIA-FORM', f);

    // Assert
    expect(problems).toEqual([
      {
        field: 'applicant.idNumber',
        message:
          '统一社会信用代码有误：the check character is 4 but the first 17 characters give 3: a character is mistyped',
      },
      { field: 'agent.idNumber', message: expect.stringMatching(/^港澳居民来往内地通行证号码有误：.*H or M/) },
    ]);
  });

  it("keeps the agent's phone as the one the SMS go to, and the applicant's without an agent", () => {
    // Arrange
    const f = companyWithAgent();

    // Act
    const withAgent = applicantPhone(f);
    f.withAgent = false;
    const without = applicantPhone(f);

    // Assert
    expect(withAgent).toBe('13900005678');
    expect(without).toBe('13800001234');
  });

  it('restores a draft saved before the document types existed with a resident ID', () => {
    // Act
    const f = restoreForm({
      kind: 'person',
      person: { name: '张三', idNumber: '11010519491231002X', phone: '13800001234' },
    } as never);

    // Assert
    expect(f.person).toEqual({
      name: '张三',
      idType: 'resident-id',
      idNumber: '11010519491231002X',
      phone: '13800001234',
    });
    expect(f.agent.idType).toBe('resident-id');
  });
});
