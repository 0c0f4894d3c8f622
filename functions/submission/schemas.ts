/** Request schemas of the submission function: they validate requests and describe them in OpenAPI. */
import * as z from 'zod';
import { DELIVERIES } from '../../shared/domain/case';
import { AgentBody, ApplicantBody } from './applicant-schema';

export const SubmitCaseBody = z
  .object({
    itemCode: z.string().trim().min(1).max(64).describe('code of the service item, from GET /items'),
    applicant: ApplicantBody,
    agent: AgentBody.optional(),
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
