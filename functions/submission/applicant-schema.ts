/**
 * The applicant and agent of a submission (POST /cases, online and walk-in), as zod schemas: they
 * validate requests, describe them in OpenAPI, and run in the apply page before it sends.
 * The rules are shared/domain/identity.ts's; this file only says where each problem goes.
 */
import * as z from 'zod';
import {
  ID_TYPES,
  PERSON_ID_TYPES,
  identityNumberProblem,
  isOrganisationIdType,
  isValidMobile,
  normalizeIdNumber,
  normalizeMobile,
  type IdType,
} from '../../shared/domain/identity';

export const Phone = z
  .string()
  .max(32)
  .refine((v) => isValidMobile(v), { message: 'must be a mainland China mobile number, 11 digits starting 13–19' })
  .transform((v) => normalizeMobile(v) as string)
  .describe('mobile phone number (中国大陆手机号), e.g. 13800001234; +86 and spaces are accepted');

const IdNumber = z
  .string()
  .max(32)
  .transform(normalizeIdNumber)
  .describe(
    'number of the document named by idType, checked by its format: resident-id 18 characters with the GB 11643 check digit; ' +
      'passport 5-17 letters and digits; hk-macao-permit H or M and 8 or 10 digits; taiwan-permit 8 or 10 digits; ' +
      'foreign-permanent-residence 18 characters (9…, GB 11643 check) or 15 (3 letters, 12 digits); ' +
      'uscc 18 characters with the GB 32100-2015 check character. Spaces and lower case are accepted',
  );

const Name = z.string().trim().min(1, 'must not be empty').max(64);

/** Adds the document number's problem, if any, at `idNumber` of the object being checked. */
function checkIdNumber(idType: IdType, idNumber: unknown, ctx: z.RefinementCtx): void {
  if (typeof idNumber !== 'string') return;
  const problem = identityNumberProblem(idType, idNumber);
  if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem });
}

export const ApplicantBody = z
  .object({
    name: Name.describe('name of the applicant: the person, or the organisation as registered'),
    idType: z
      .enum(ID_TYPES)
      .describe(
        'a person: resident-id (居民身份证), passport (护照), hk-macao-permit (港澳居民来往内地通行证), ' +
          'taiwan-permit (台湾居民来往大陆通行证), foreign-permanent-residence (外国人永久居留身份证); ' +
          'an organisation: uscc (统一社会信用代码)',
      ),
    idNumber: IdNumber,
    phone: Phone,
    legalRepresentative: Name.optional().describe(
      'organisations (idType uscc) only, and required for them: the name of the legal representative (法定代表人)',
    ),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkIdNumber(a.idType, a.idNumber, ctx);
    if (isOrganisationIdType(a.idType) && a.legalRepresentative === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['legalRepresentative'],
        message: 'is required for an organisation (idType uscc): the name of its legal representative (法定代表人)',
      });
    if (!isOrganisationIdType(a.idType) && a.legalRepresentative !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['legalRepresentative'],
        message: 'only an organisation (idType uscc) has a legal representative; leave it out for a person',
      });
  })
  .describe('the applicant: a person with an identity document, or an organisation with its 统一社会信用代码');

export const AgentBody = z
  .object({
    name: Name.describe("the agent's name (经办人 / 代办人)"),
    idType: z.enum(PERSON_ID_TYPES).describe("type of the agent's identity document"),
    idNumber: IdNumber,
    phone: Phone.describe("the agent's mobile number: the case's SMS go to it"),
  })
  .strict()
  .superRefine((a, ctx) => {
    checkIdNumber(a.idType, a.idNumber, ctx);
  })
  .describe(
    'optional: the agent (经办人 / 代办人) handling the case for the applicant; when given, the SMS go to the agent',
  );
