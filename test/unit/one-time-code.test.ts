/** One-time SMS codes: their SMS within one segment, how they are typed, derived and keyed; the per-client setting. */
import {
  caseCodeSms,
  normalizeOneTimeCode,
  oneTimeCodeFromDigest,
  oneTimeCodeHashInput,
  OneTimeCodeRequiredError,
  phoneCodeSms,
  subjectKey,
  subjectOfKey,
} from '../../shared/domain/one-time-code';
import { SMS_SEGMENT_CHARS } from '../../shared/domain/sms-templates';
import { readConfig } from '../../shared/config';

const BASE_ENV = { TABLE_NAME: 't', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_JWKS: '{"keys":[]}' };

describe('one-time codes', () => {
  it('fits both SMS in one 70-character segment, with the longest case number the system issues', () => {
    // Act
    const forCase = caseCodeSms('123456', 'ABCDEFGHI-20261231-99999');
    const forPhone = phoneCodeSms('123456');
    // Assert
    expect(forCase.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(forPhone.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(forCase).toContain('123456');
    expect(forCase).toContain('ABCDEFGHI-20261231-99999');
    expect(forCase).toMatch(/5分钟/);
  });

  it.each([
    ['123456', '123456'],
    [' 123 456 ', '123456'],
    ['123-456', '123456'],
    ['12345', undefined],
    ['1234567', undefined],
    ['12345a', undefined],
    [undefined, undefined],
  ])('reads %p as typed: %p', (typed, expected) => {
    expect(normalizeOneTimeCode(typed)).toBe(expected);
  });

  it('derives six digits from a keyed hash, keeping leading zeros', () => {
    // Arrange: the first 4 bytes are 0x00000001 → 1 → 000001
    const digest = Buffer.from([0, 0, 0, 1, 9, 9]).toString('base64url');
    // Act
    const code = oneTimeCodeFromDigest(digest);
    // Assert
    expect(code).toBe('000001');
    expect(() => oneTimeCodeFromDigest(Buffer.from([1, 2]).toString('base64url'))).toThrow(RangeError);
  });

  it('keys a case and a phone apart, and a code for one case hashes apart from the same code for another', () => {
    // Act
    const a = subjectKey({ caseNo: 'ENV-20261203-0001' });
    const p = subjectKey({ phoneHash: 'abc_-1' });
    // Assert
    expect(subjectOfKey(a)).toEqual({ caseNo: 'ENV-20261203-0001' });
    expect(subjectOfKey(p)).toEqual({ phoneHash: 'abc_-1' });
    expect(subjectOfKey('other#x')).toBeUndefined();
    expect(oneTimeCodeHashInput({ caseNo: 'A' }, '123456')).not.toBe(oneTimeCodeHashInput({ caseNo: 'B' }, '123456'));
  });

  it('refuses an action that cannot be undone without a one-time code, naming the header', () => {
    // Act
    const error = new OneTimeCodeRequiredError('Withdrawal', 'ENV-20261203-0001');
    // Assert
    expect(error.name).toBe('OneTimeCodeRequired');
    expect(error.kind).toBe('forbidden');
    expect(error.extra.errors).toEqual([expect.objectContaining({ field: 'X-One-Time-Code' })]);
    expect(error.message).toContain('/cases/ENV-20261203-0001/one-time-code');
  });
});

describe('CLIENT_WRITE_LIMIT', () => {
  it.each([
    ['30/1m', { max: 30, windowMinutes: 1 }],
    ['120/5m', { max: 120, windowMinutes: 5 }],
    ['off', 'off'],
    [undefined, undefined],
  ])('reads %p', (value, expected) => {
    expect(readConfig({ ...BASE_ENV, CLIENT_WRITE_LIMIT: value }).clientWriteLimit).toEqual(expected);
  });

  it.each(['30', '0/1m', '30/0m', 'thirty/1m'])('stops at start on %p, naming the setting', (value) => {
    expect(() => readConfig({ ...BASE_ENV, CLIENT_WRITE_LIMIT: value })).toThrow(/CLIENT_WRITE_LIMIT/);
  });
});
