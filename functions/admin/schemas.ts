/** Request schemas of the admin function: the calendar, A/B post presence and the first-inquiry log. */
import * as z from 'zod';
import { CalendarYearBodySchema } from '../../shared/domain/calendar';
import { POST_CODE_RE } from '../../shared/domain/catalog';
import { isValidMobile } from '../../shared/domain/identity';
import { INQUIRY_OUTCOMES } from '../../shared/domain/inquiry';
import { POST_PERSONS } from '../../shared/domain/posts';

/** PUT /calendar/{year}; the handler checks the dates against the year too (validateCalendarYear). */
export const CalendarYearBody = CalendarYearBodySchema;

export const PresenceBody = z
  .object({
    person: z.enum(POST_PERSONS).describe('a (the A person of the post, A岗) or b (the B person, B岗)'),
    present: z.boolean().describe('false marks the person away: new cases then go to the other person'),
    note: z.string().trim().min(1).max(200).optional().describe('why, e.g. 年休假 to 2026-10-16'),
  })
  .strict()
  .describe('Marks one person of a window post present or away (AB岗)');

export const InquiryBody = z
  .object({
    matter: z.string().trim().min(1, 'must say what the inquiry was about').max(1000).describe('what was asked'),
    contact: z
      .object({
        name: z.string().trim().min(1, 'must not be empty').max(64).optional().describe('name of the person who asked'),
        phone: z
          .string()
          .max(32)
          .refine((v) => isValidMobile(v), {
            message: 'must be a mainland China mobile number, 11 digits starting 13–19',
          })
          .optional()
          .describe('mobile number of the person who asked, e.g. 13800001234'),
      })
      .strict()
      .describe('how to reach the person who asked; both parts optional (masked in every listing)'),
    outcome: z.enum(INQUIRY_OUTCOMES).describe('answered, handed-over (to the window post in handedTo) or pending'),
    handedTo: z
      .string()
      .regex(POST_CODE_RE, 'must be a window post code, e.g. ENV-02')
      .optional()
      .describe('the window post it was handed to; required for handed-over'),
    note: z.string().trim().max(1000).optional(),
  })
  .strict()
  .describe('One inquiry in the first-inquiry log (首问负责制)');

export const InquiriesQuery = z
  .object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM')
      .optional()
      .describe('China month YYYY-MM; the current month when absent'),
  })
  .describe("The caller's department's inquiries of a month");

export type PresenceBody = z.infer<typeof PresenceBody>;
export type InquiryBody = z.infer<typeof InquiryBody>;
export type InquiriesQuery = z.infer<typeof InquiriesQuery>;
