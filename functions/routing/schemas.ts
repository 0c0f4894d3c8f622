/** Request schemas of the routing function (window staff and department reviewers). */
import * as z from 'zod';
import { MAX_PROBLEMS, PROBLEM_NOTE_MAX_CHARS } from '../../shared/domain/case-limits';

const MaterialCode = z.string().trim().min(1).max(64);

export const ReturnBody = z
  .object({
    problems: z
      .array(
        z
          .object({
            code: MaterialCode.describe('code of the material that is missing or faulty'),
            note: z.string().trim().min(1, 'must say what is wrong').max(PROBLEM_NOTE_MAX_CHARS),
          })
          .strict(),
      )
      .min(1, 'must list at least one problem: every problem goes in one notice')
      .max(MAX_PROBLEMS)
      .describe('every problem, in one notice (一次性告知)'),
  })
  .strict();

export const DecideBody = z
  .object({
    decision: z.enum(['approve', 'deny']).describe('approve (准予), or deny (不予许可) with a reason'),
    reason: z.string().trim().max(2000).optional().describe('required for a denial'),
  })
  .strict();

export const EmptyBody = z.object({ note: z.string().trim().max(500).optional() }).strict();
