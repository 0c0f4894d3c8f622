/** Request schemas of the feedback function: ratings, follow-ups, complaints, and the local SMS routes. */
import * as z from 'zod';
import { RATING_LEVELS } from '../../shared/domain/case';
import { COMPLAINT_CHANNELS } from '../../shared/domain/complaint';
import { isValidMobile, normalizeMobile } from '../../shared/domain/identity';

const Level = z
  .enum(RATING_LEVELS)
  .describe('very-satisfied, satisfied, fairly-satisfied, dissatisfied or very-dissatisfied (SMS digits 1 to 5)');
const Note = z.string().trim().min(1, 'must say what was done').max(2000);
const Department = z.string().trim().min(1).max(16).describe('department code, e.g. ENV');

export const RatingBody = z.object({ level: Level }).strict();

export const FollowUpActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('verify'), note: Note.describe('what the follow-up call (回访) established') }).strict(),
  z.object({ type: z.literal('fix'), note: Note }).strict(),
  z
    .object({
      type: z.literal('schedule-fix'),
      fixBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD'),
      note: Note,
    })
    .strict(),
  z.object({ type: z.literal('explain'), note: Note }).strict(),
  z.object({ type: z.literal('rate-fix'), level: Level }).strict(),
  z.object({ type: z.literal('close'), note: Note }).strict(),
  z.object({ type: z.literal('appeal'), reason: Note.describe('why the rating is malicious (申诉)') }).strict(),
  z.object({ type: z.literal('rule-appeal'), ruling: z.enum(['void', 'upheld']), note: Note }).strict(),
]);

const Mobile = z
  .string()
  .max(32)
  .refine((v) => isValidMobile(v), {
    message: 'must be a mainland China mobile number (the answer is sent there by SMS)',
  })
  .transform((v) => normalizeMobile(v) as string);

export const ComplaintBody = z
  .object({
    who: z.string().trim().min(1, 'must say who complains: every complaint gets an answer').max(64),
    contact: Mobile.describe('mobile number for the answer'),
    caseNo: z.string().trim().min(1).max(32).optional().describe('the case complained about, if any'),
    text: z.string().trim().min(1, 'must say what happened').max(2000).describe('what happened'),
    channel: z.enum(COMPLAINT_CHANNELS).optional().describe('staff registering a call or a letter: phone or mailbox'),
  })
  .strict();
export type ComplaintBody = z.infer<typeof ComplaintBody>;

export const ComplaintActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('handle'), note: z.string().trim().max(2000).optional() }).strict(),
  z
    .object({ type: z.literal('transfer'), department: Department, note: z.string().trim().max(2000).optional() })
    .strict(),
  z
    .object({ type: z.literal('supervise'), department: Department, note: z.string().trim().max(2000).optional() })
    .strict(),
  z.object({ type: z.literal('answer'), answer: z.string().trim().min(1, 'must say the answer').max(2000) }).strict(),
]);

export const InboundSmsBody = z
  .object({
    from: z.string().trim().min(1).max(32).describe('the sender, e.g. +8613800001234'),
    text: z.string().max(1600).describe('the reply as typed'),
    messageId: z.string().trim().min(1).max(128).optional().describe('send the same id twice to simulate a redelivery'),
  })
  .strict();
