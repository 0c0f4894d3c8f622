import {
  isValidMobile,
  isValidResidentId,
  maskId,
  maskName,
  maskPhone,
  normalizeMobile,
  normalizeResidentId,
  residentIdCheckChar,
  residentIdProblem,
} from '../../shared/domain/identity';

describe('resident ID number (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', 'the classic sample, check character X'],
    ['520102200002290010', 'born on 29 February of a leap year, check digit 0'],
    ['320106198506152349', 'an ordinary number'],
  ])('accepts %s (%s)', (id) => {
    // Act
    const valid = isValidResidentId(id);
    const problem = residentIdProblem(id);

    // Assert
    expect(valid).toBe(true);
    expect(problem).toBeUndefined();
  });

  it('computes X as the check character of the classic sample', () => {
    // Arrange
    const first17 = '11010519491231002';

    // Act
    const check = residentIdCheckChar(first17);

    // Assert
    expect(check).toBe('X');
  });

  it('refuses a number of the wrong length and says how long it is', () => {
    // Act
    const problem = residentIdProblem('11010519491231002');

    // Assert
    expect(problem).toMatch(/18 characters.*this one has 17/);
    expect(isValidResidentId('11010519491231002')).toBe(false);
  });

  it('names a 15-digit first-generation number as such', () => {
    // Act
    const problem = residentIdProblem('110105491231002');

    // Assert
    expect(problem).toMatch(/15-digit first-generation/);
  });

  it('refuses letters among the first 17 characters', () => {
    // Act
    const problem = residentIdProblem('1101051949123100AX');

    // Assert
    expect(problem).toMatch(/17 digits followed by a digit or X/);
  });

  it('asks for an upper-case X when the check character is a lower-case x', () => {
    // Act
    const problem = residentIdProblem('11010519491231002x');

    // Assert
    expect(problem).toMatch(/upper-case X/);
  });

  it.each([
    ['520102199902290010', /19990229.*not a real date/],
    ['110105194913310021', /19491331.*not a real date/],
    ['110105189912310015', /18991231.*outside 1900 to 2100/],
  ])('refuses %s for its birth date', (id, message) => {
    // Act
    const problem = residentIdProblem(id);

    // Assert
    expect(problem).toMatch(message);
    expect(isValidResidentId(id)).toBe(false);
  });

  it('refuses a birth date after the given today, and accepts it without one', () => {
    // Arrange: born 2026-03-01, check digit correct
    const id = '110105202603010012';

    // Act
    const withToday = residentIdProblem(id, '2026-02-28');
    const onTheDay = isValidResidentId(id, '2026-03-01');
    const withoutToday = isValidResidentId(id);

    // Assert
    expect(withToday).toMatch(/20260301.*in the future/);
    expect(onTheDay).toBe(true);
    expect(withoutToday).toBe(true);
  });

  it('refuses a wrong check digit and says which digit was expected', () => {
    // Act
    const problem = residentIdProblem('110105194912310021');

    // Assert
    expect(problem).toBe('the check digit is 1 but the first 17 digits give X: a character is mistyped');
  });

  it('refuses a number with two digits swapped', () => {
    // Arrange: 11010519491231002X with the 15th and 16th digits swapped
    const swapped = '11010519491231200X';

    // Act
    const valid = isValidResidentId(swapped);

    // Assert
    expect(valid).toBe(false);
    expect(residentIdProblem(swapped)).toMatch(/check digit/);
  });

  it('normalises what a person types: spaces, full-width digits, lower-case x', () => {
    // Act
    const typed = normalizeResidentId(' 110105 19491231 002x ');
    const fullWidth = normalizeResidentId('１１０１０５１９４９１２３１００２Ｘ');
    const wrong = normalizeResidentId('110105194912310021');

    // Assert
    expect(typed).toBe('11010519491231002X');
    expect(fullWidth).toBe('11010519491231002X');
    expect(wrong).toBeUndefined();
  });
});

describe('mobile numbers', () => {
  it.each([
    ['13800001234', '13800001234'],
    ['+86 138 0000 1234', '13800001234'],
    ['86-138-0000-1234', '13800001234'],
    ['0086 13800001234', '13800001234'],
    ['(+86) 199-0000-1234', '19900001234'],
    ['１３８００００１２３４', '13800001234'],
  ])('normalises %j to its 11 digits', (input, expected) => {
    // Act
    const normalized = normalizeMobile(input);

    // Assert
    expect(normalized).toBe(expected);
    expect(isValidMobile(input)).toBe(true);
  });

  it.each([
    ['12800001234', 'second digit 2'],
    ['1380000123', '10 digits'],
    ['138000012345', '12 digits'],
    ['+1 138 0000 1234', 'another country code'],
    ['0851-8888 1234', 'a landline'],
    ['1380000123a', 'a letter'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (input) => {
    // Act
    const normalized = normalizeMobile(input);

    // Assert
    expect(normalized).toBeUndefined();
    expect(isValidMobile(input)).toBe(false);
  });
});

describe('masks for public views', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('masks a mobile number given with its country code like the bare one', () => {
    expect(maskPhone('+86 138 1234 1234')).toBe('138****1234');
  });

  it('leaves nothing readable of a number too short to keep a head and tail', () => {
    expect(maskPhone('12345')).toBe('*****');
  });

  it('keeps the first 3 and last 4 characters of an ID number', () => {
    // Act
    const masked = maskId('11010519491231002X');

    // Assert
    expect(masked).toBe('110***********002X');
    expect(masked).toHaveLength(18);
  });

  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['阿卜杜·热合曼', '阿******'],
    ['Anna Li', 'A***'],
    ['li wei', 'l***'],
    ['张', '*'],
    ['', ''],
  ])('masks the name %j as %j', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });
});
