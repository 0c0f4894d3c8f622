/** Request schemas of the submission function: they validate requests and describe them in OpenAPI. */
import * as z from 'zod';
import { DELIVERIES } from '../../shared/domain/case';
import { isValidMobile, normalizeMobile, residentIdProblem } from '../../shared/domain/identity';

const Phone = z
  .string()
  .max(32)
  .refine((v) => isValidMobile(v), { message: 'must be a mainland China mobile number, 11 digits starting 13–19' })
  .transform((v) => normalizeMobile(v) as string)
  .describe('mobile phone number (中国大陆手机号), e.g. 13800001234; +86 and spaces are accepted');

const IdNumber = z
  .string()
  .max(32)
  .superRefine((v, ctx) => {
    const problem = residentIdProblem(v.trim().toUpperCase());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v.trim().toUpperCase())
  .describe('18-character resident identity number (居民身份证号码) with its check digit');

export const SubmitCaseBody = z
  .object({
    itemCode: z.string().trim().min(1).max(64).describe('code of the service item, from GET /items'),
    applicant: z
      .object({
        name: z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(64)
          .describe('name of the applicant (person or company)'),
        idType: z.literal('resident-id').describe('type of identity document; only resident-id for now'),
        idNumber: IdNumber,
        phone: Phone,
      })
      .strict(),
    materials: z
      .array(z.string().trim().min(1).max(64))
      .max(100)
      .describe('codes of the materials supplied, from the item guide'),
    delivery: z.enum(DELIVERIES).describe('how the result is delivered: pickup at the window, post, or electronic'),
  })
  .strict();
export type SubmitCaseBody = z.infer<typeof SubmitCaseBody>;

export const SupplementBody = z
  .object({
    materials: z
      .array(z.string().trim().min(1).max(64))
      .min(1, 'must list at least one material')
      .max(100)
      .describe('codes of the materials supplied now'),
  })
  .strict();

export const WithdrawBody = z.object({ note: z.string().trim().max(500).optional() }).strict();
