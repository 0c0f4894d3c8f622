/** Request schemas of the review function: a department's decision on its task. */
import * as z from 'zod';
import { MAX_PROBLEMS, PROBLEM_NOTE_MAX_CHARS } from '../../shared/domain/case-limits';

export const OpinionBody = z
  .object({
    opinion: z
      .string()
      .trim()
      .min(1, 'must say what the department thinks')
      .max(2000)
      .describe('the written opinion a department deemed to agree (超时默认) owes'),
  })
  .strict();

export const TaskDecisionBody = z
  .object({
    decision: z
      .enum(['approve', 'deny', 'return'])
      .describe('approve, deny (reason required) or return for supplement (problems required)'),
    opinion: z.string().trim().max(2000).optional().describe("the department's written opinion"),
    reason: z.string().trim().max(2000).optional().describe('required for a denial'),
    problems: z
      .array(
        z
          .object({
            code: z.string().trim().min(1).max(64),
            note: z.string().trim().min(1, 'must say what is wrong').max(PROBLEM_NOTE_MAX_CHARS),
          })
          .strict(),
      )
      .max(MAX_PROBLEMS)
      .optional()
      .describe('for a return: every problem, in one notice'),
  })
  .strict();
