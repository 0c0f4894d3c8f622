/** The first-inquiry log (首问负责制): what a logged inquiry holds, what is refused, what a listing shows. */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { ValidationError } from '../../shared/domain/errors';
import { countOutcomes, inquiryListView, newInquiry, type InquiryInput } from '../../shared/domain/inquiry';

const catalog = loadDefaultCatalog();
const args = {
  id: 'i-1',
  at: '2026-09-30T23:30:00.000+08:00',
  actor: { id: 'env-a2', role: 'window' as const, department: 'ENV' },
  catalog,
};

function problemsOf(input: InquiryInput): string[] {
  try {
    newInquiry(input, args);
  } catch (e) {
    return (e as ValidationError).problems.map((p) => p.field);
  }
  return [];
}

describe('logging an inquiry', () => {
  it('records the China date, the staff member, the department and where it was handed', () => {
    // Act
    const i = newInquiry(
      {
        matter: ' 社会团体成立需要什么材料 ',
        contact: { name: '王五', phone: '+86 138 0000 1234' },
        outcome: 'handed-over',
        handedTo: 'CIVIL-01',
      },
      args,
    );
    // Assert
    expect(i).toEqual({
      id: 'i-1',
      at: args.at,
      date: '2026-09-30',
      staff: 'env-a2',
      department: 'ENV',
      matter: '社会团体成立需要什么材料',
      contact: { name: '王五', phone: '13800001234' },
      outcome: 'handed-over',
      handedTo: 'CIVIL-01',
      handedToDepartment: 'CIVIL',
    });
  });

  it('needs the post for a hand-over, a real post, and no post otherwise', () => {
    expect(problemsOf({ matter: 'x', contact: {}, outcome: 'handed-over' })).toEqual(['handedTo']);
    expect(problemsOf({ matter: 'x', contact: {}, outcome: 'handed-over', handedTo: 'ENV-99' })).toEqual(['handedTo']);
    expect(problemsOf({ matter: 'x', contact: {}, outcome: 'answered', handedTo: 'ENV-02' })).toEqual(['handedTo']);
    expect(problemsOf({ matter: 'x', contact: {}, outcome: 'pending' })).toEqual([]);
  });

  it('refuses a phone that is not a mainland mobile, together with the other problems', () => {
    expect(problemsOf({ matter: 'x', contact: { phone: '12345' }, outcome: 'handed-over' })).toEqual([
      'handedTo',
      'contact.phone',
    ]);
  });
});

describe('listing inquiries', () => {
  it('masks the name and the phone', () => {
    const i = newInquiry({ matter: 'x', contact: { name: '王小五', phone: '13800001234' }, outcome: 'answered' }, args);
    expect(inquiryListView(i).contact).toEqual({ name: '王**', phone: '138****1234' });
  });

  it('counts each outcome', () => {
    const make = (outcome: InquiryInput['outcome']) =>
      newInquiry(
        { matter: 'x', contact: {}, outcome, ...(outcome === 'handed-over' ? { handedTo: 'ENV-02' } : {}) },
        args,
      );
    expect(countOutcomes([make('answered'), make('answered'), make('handed-over')])).toEqual({
      answered: 2,
      'handed-over': 1,
      pending: 0,
    });
  });
});
