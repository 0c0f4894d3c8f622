import { CASE_NO_RE, formatCaseNo, parseCaseNo } from '../../shared/domain/case-number';

describe('formatCaseNo', () => {
  it('writes department, China date and a 4-digit sequence', () => {
    // Act
    const caseNo = formatCaseNo('ENV', '2026-11-30', 42);

    // Assert
    expect(caseNo).toBe('ENV-20261130-0042');
    expect(caseNo).toMatch(CASE_NO_RE);
  });

  it('grows beyond 4 digits when the day has more cases', () => {
    // Act
    const caseNo = formatCaseNo('MKT', '2026-01-05', 12345);

    // Assert
    expect(caseNo).toBe('MKT-20260105-12345');
  });

  it.each([
    ['env', '2026-11-30', 1, /department code/],
    ['ENV', '2026-02-30', 1, /not a date/],
    ['ENV', '20261130', 1, /not a date/],
    ['ENV', '2026-11-30', 0, /from 1/],
    ['ENV', '2026-11-30', 1.5, /whole number/],
  ])('refuses %j, %j, %j', (department, date, seq, message) => {
    expect(() => formatCaseNo(department, date, seq)).toThrow(message);
  });
});

describe('parseCaseNo', () => {
  it('reads back what formatCaseNo wrote', () => {
    // Arrange
    const caseNo = formatCaseNo('HOUSING', '2026-10-08', 7);

    // Act
    const parts = parseCaseNo(caseNo);

    // Assert
    expect(parts).toEqual({ department: 'HOUSING', date: '2026-10-08', seq: 7 });
  });

  it('accepts a number typed in lower case with spaces around it', () => {
    // Act
    const parts = parseCaseNo('  env-20261130-0042 ');

    // Assert
    expect(parts).toEqual({ department: 'ENV', date: '2026-11-30', seq: 42 });
  });

  it('reads a sequence longer than 4 digits', () => {
    expect(parseCaseNo('MKT-20260105-12345')).toEqual({ department: 'MKT', date: '2026-01-05', seq: 12345 });
  });

  it.each([
    ['ENV-20260230-0001', 'a day that does not exist'],
    ['ENV-20261130-42', 'a sequence shorter than 4 digits'],
    ['ENV-20261130-00042', 'extra leading zeros'],
    ['ENV-20261130-0000', 'sequence 0'],
    ['ENV20261130-0042', 'a missing hyphen'],
    ['E-20261130-0042', 'a one-letter department'],
    ['环保-20261130-0042', 'a department that is not ASCII'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (input) => {
    expect(parseCaseNo(input)).toBeUndefined();
  });
});
