/** Request schemas of the supervision function. */
import * as z from 'zod';

export const SupervisionQuery = z.object({}).strict();

export const DenialsQuery = z
  .object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
      .optional()
      .describe('the month of the denials (China time), YYYY-MM; default: the current month'),
  })
  .strict();
export type DenialsQuery = z.infer<typeof DenialsQuery>;
