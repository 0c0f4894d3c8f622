/** Request schemas of the one-time code routes (lost query code, withdrawal, 一户式查询 "my cases"). */
import * as z from 'zod';
import { isValidMobile, normalizeMobile } from '../../shared/domain/identity';

const Phone = z
  .string()
  .max(32)
  .refine((v) => isValidMobile(v), { message: 'must be a mainland China mobile number, 11 digits starting 13–19' })
  .transform((v) => normalizeMobile(v) as string)
  .describe('mobile phone number (中国大陆手机号), e.g. 13800001234; +86 and spaces are accepted');

/** POST /cases/{caseNo}/one-time-code: nothing but the path (the code goes to the case's own phone). */
export const CaseCodeBody = z.object({}).strict();

/** POST /my-cases/one-time-code and POST /my-cases: the phone whose cases are asked for. */
export const PhoneBody = z.object({ phone: Phone }).strict();
