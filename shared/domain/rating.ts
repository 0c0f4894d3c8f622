/**
 * Rating a decided case (好差评) on its own record, and the settings of the feedback rules.
 * Pure: the instant and the actor are arguments.
 *
 * - Only a decided case (approved or denied) is rated; one rating per case counts.
 * - A later SMS reply is kept in the history ("rating-not-counted"), never counted; a later
 *   online rating is refused (409): the person is in front of a form and can be told.
 * - No rating within `defaultRatingDays` calendar days after the decision: fairly satisfied
 *   (基本满意), with source 'default' (Guangdong's rule), so reports keep it apart from what
 *   applicants said.
 * - A rating voided on appeal (申诉复核) stays on the record with `voided: true`.
 */
import { MAX_UNCOUNTED_REPLIES } from './case-limits';
import type { Actor, CaseRecord, HistoryEntry, Rating, RatingLevel, RatingSource } from './case';
import { DECIDED_STATUSES, RATING_LEVELS } from './case';
import { addDays, chinaDate } from './china-time';
import { ConflictError, ValidationError } from './errors';

export interface FeedbackSettings {
  /** Calendar days after the decision during which the applicant may rate (Guangdong: 7). */
  defaultRatingDays: number;
  /** Working days to close a bad-rating follow-up, from the day the rating arrived (Sichuan: 15; Dezhou: 5). */
  followUpWorkingDays: number;
  /** Working days to answer a complaint, from the day it was received. */
  complaintWorkingDays: number;
}

export const FEEDBACK_DEFAULTS: Readonly<FeedbackSettings> = {
  defaultRatingDays: 7,
  followUpWorkingDays: 15,
  complaintWorkingDays: 15,
};

export const DEFAULT_RATING_LEVEL: RatingLevel = 'fairly-satisfied';

/** The China date from which a case decided at `decidedAt` takes the default rating: the day after the rating period. */
export function defaultRatingDate(decidedAt: string, defaultRatingDays: number): string {
  return addDays(chinaDate(decidedAt), defaultRatingDays + 1);
}

export function isDecided(c: Pick<CaseRecord, 'status'>): boolean {
  return DECIDED_STATUSES.includes(c.status);
}

/** A rating that counts: present and not voided. */
export function countedRating(c: Pick<CaseRecord, 'rating'>): Rating | undefined {
  return c.rating && !c.rating.voided ? c.rating : undefined;
}

export interface RateInput {
  level: RatingLevel;
  source: RatingSource;
}

export interface RateContext {
  actor: Actor;
  at: string;
}

export interface RateResult {
  record: CaseRecord;
  /** True when this rating is the case's rating; false when it was only recorded in the history. */
  counted: boolean;
}

const SOURCE_ZH: Readonly<Record<RatingSource, string>> = {
  sms: 'by SMS',
  online: 'online',
  default: 'by default',
  window: 'at the window',
};

function entry(c: CaseRecord, ctx: RateContext, action: string, note: string): HistoryEntry {
  return { at: ctx.at, actor: ctx.actor.id, role: ctx.actor.role, action, from: c.status, to: c.status, note };
}

/**
 * Rates a case. The first rating counts; a later SMS reply goes in the history only; a later
 * online or default rating is a ConflictError, as is rating a case that is not decided.
 */
export function rateCase(c: CaseRecord, input: RateInput, ctx: RateContext): RateResult {
  if (!RATING_LEVELS.includes(input.level)) {
    throw new ValidationError([{ field: 'level', message: `must be one of ${RATING_LEVELS.join(', ')}` }]);
  }
  if (!isDecided(c)) {
    throw new ConflictError(`case ${c.caseNo} is ${c.status}: only a decided case (approved or denied) can be rated`, {
      caseNo: c.caseNo,
      currentStatus: c.status,
    });
  }
  if (c.rating) {
    if (input.source === 'sms') {
      // Bounded (shared/domain/case-limits.ts): past the limit nothing is written; the reply is kept as an inbound SMS.
      if (c.history.filter((e) => e.action === 'rating-not-counted').length >= MAX_UNCOUNTED_REPLIES)
        return { record: c, counted: false };
      const note = `${input.level} ${SOURCE_ZH.sms}, not counted: the case was already rated ${c.rating.level} (${c.rating.source})`;
      return {
        record: { ...c, version: c.version + 1, history: [...c.history, entry(c, ctx, 'rating-not-counted', note)] },
        counted: false,
      };
    }
    throw new ConflictError(`case ${c.caseNo} was already rated on ${chinaDate(c.rating.at)}; a case is rated once`, {
      caseNo: c.caseNo,
      rating: { level: c.rating.level, source: c.rating.source },
    });
  }
  const rating: Rating = { level: input.level, source: input.source, at: ctx.at };
  return {
    record: {
      ...c,
      rating,
      version: c.version + 1,
      history: [...c.history, entry(c, ctx, 'rate', `${input.level} ${SOURCE_ZH[input.source]}`)],
    },
    counted: true,
  };
}

/**
 * The default rating of a case nobody rated in time. Undefined when it does not apply (not
 * decided, already rated, or its period has not ended on `today`, a China date).
 */
export function applyDefaultRating(
  c: CaseRecord,
  settings: Pick<FeedbackSettings, 'defaultRatingDays'>,
  today: string,
  at: string,
): CaseRecord | undefined {
  if (!isDecided(c) || c.rating || !c.decidedAt) return undefined;
  if (today < defaultRatingDate(c.decidedAt, settings.defaultRatingDays)) return undefined;
  const actor: Actor = { id: 'system', role: 'system' };
  const note = `no rating within ${settings.defaultRatingDays} calendar days of the decision: ${DEFAULT_RATING_LEVEL} ${SOURCE_ZH.default}`;
  return {
    ...c,
    rating: { level: DEFAULT_RATING_LEVEL, source: 'default', at },
    version: c.version + 1,
    history: [
      ...c.history,
      { at, actor: actor.id, role: actor.role, action: 'rate', from: c.status, to: c.status, note },
    ],
  };
}

/** Voids the case's rating after an appeal upheld it as malicious; undefined when already voided (idempotent). */
export function voidRating(c: CaseRecord, ctx: RateContext & { note: string }): CaseRecord | undefined {
  if (!c.rating) throw new ConflictError(`case ${c.caseNo} has no rating to void`, { caseNo: c.caseNo });
  if (c.rating.voided) return undefined;
  return {
    ...c,
    rating: { ...c.rating, voided: true, voidedAt: ctx.at },
    version: c.version + 1,
    history: [
      ...c.history,
      entry(c, ctx, 'void-rating', `${c.rating.level} (${c.rating.source}) voided on appeal: ${ctx.note}`),
    ],
  };
}

/** Settings from configuration text: whole numbers from 1; a bad value is an error at start, never a silent default. */
export function feedbackSettingsFrom(
  values: Partial<Record<keyof FeedbackSettings, string | undefined>>,
): FeedbackSettings {
  const out: FeedbackSettings = { ...FEEDBACK_DEFAULTS };
  const problems: string[] = [];
  for (const key of Object.keys(FEEDBACK_DEFAULTS) as (keyof FeedbackSettings)[]) {
    const raw = values[key];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 365)
      problems.push(`${key} must be a whole number of days from 1 to 365, not "${raw}"`);
    else out[key] = n;
  }
  if (problems.length) throw new RangeError(problems.join('; '));
  return out;
}
