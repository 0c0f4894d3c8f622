/**
 * Ratings of decided cases: by SMS reply, online, and by default when nobody rated in time.
 * A bad rating opens its follow-up (shared/usecases/followups.ts).
 *
 * Which case an SMS reply rates: the one it names (only if that case is the sender's),
 * else the sender's most recent decided, unrated case, found by the keyed hash of the number
 * on the by-phone index (one Query); when every decided case is rated, the most recent one,
 * where the reply is kept in the history and not counted.
 */
import type { Actor, CaseRecord, RatingLevel } from '../domain/case';
import { addDays, chinaDate, toChinaIso } from '../domain/china-time';
import { ConflictError } from '../domain/errors';
import { maskPhone, normalizeMobile } from '../domain/identity';
import { applyDefaultRating, defaultRatingDate, isDecided, rateCase, type FeedbackSettings } from '../domain/rating';
import { isBadRating, parseReply } from '../domain/sms-reply';
import type { Events } from '../adapters/events';
import type { InboundSms } from '../adapters/inbound-sms';
import type { Logger } from '../adapters/logger';
import type { PiiHasher } from '../adapters/pii';
import type { InboundSmsRepository } from '../store/inbound-sms-repository';
import type { CaseIndex, PhoneCase } from '../store/case-index';
import type { RatingDueRepository } from '../store/rating-due-repository';
import { actOnCase, type ActDeps, type Caller } from './case-actions';
import { ensureFollowUp, type FollowUpDeps } from './followups';

export interface RatingDeps extends ActDeps, FollowUpDeps {
  events: Events;
  feedback: FeedbackSettings;
}

export interface ReplyDeps extends RatingDeps {
  caseIndex: CaseIndex;
  hasher: PiiHasher;
  inboundSms: InboundSmsRepository;
  logger: Logger;
}

export type ReplyOutcome =
  'rated' | 'not-counted' | 'clarification-requested' | 'unreadable-ignored' | 'unknown-number' | 'duplicate';

export interface ReplyResult {
  outcome: ReplyOutcome;
  caseNo?: string;
}

const APPLICANT: Actor = { id: 'applicant', role: 'applicant' };

/** Rates a case and, when the rating that counts is bad, makes sure its follow-up is open. */
export async function rate(
  caseNo: string,
  level: RatingLevel,
  source: 'sms' | 'online',
  caller: Caller,
  deps: RatingDeps,
) {
  let counted = false;
  const { after } = await actOnCase(
    caseNo,
    caller,
    (c, ctx) => {
      const result = rateCase(c, { level, source }, ctx);
      counted = result.counted;
      return result.record;
    },
    deps,
  );
  // Also after a reply that did not count: if the first (bad) rating's follow-up was lost to a
  // crash, this opens it; otherwise the conditional create is a no-op.
  if (after.rating && !after.rating.voided && isBadRating(after.rating.level)) await ensureFollowUp(after, deps);
  return { after, counted };
}

/** The same rating online: the applicant proves the case is theirs with its query code. 404 wrong code, 409 already rated. */
export async function rateOnline(
  caseNo: string,
  input: { queryCode: string | undefined; level: RatingLevel },
  deps: RatingDeps,
) {
  const { after } = await rate(caseNo, input.level, 'online', { applicant: { queryCode: input.queryCode } }, deps);
  return after;
}

/**
 * One inbound SMS reply, exactly once per message id: claimed first (a redelivery is a
 * `duplicate`), released again when processing fails so the retry can process it.
 */
export async function handleSmsReply(reply: InboundSms, deps: ReplyDeps): Promise<ReplyResult> {
  const from = maskPhone(reply.from);
  const claimed = await deps.inboundSms.claim(reply.messageId, toChinaIso(deps.clock.now()), from);
  if (!claimed) {
    deps.logger.info('sms reply delivered again: counted once', { messageId: reply.messageId, from });
    return { outcome: 'duplicate' };
  }
  try {
    const result = await processReply(reply, deps);
    await deps.inboundSms.finish(reply.messageId, result.outcome, result.caseNo);
    deps.logger.info('sms reply', { messageId: reply.messageId, from, ...result });
    return result;
  } catch (error) {
    await deps.inboundSms.release(reply.messageId).catch(() => undefined);
    throw error;
  }
}

async function processReply(reply: InboundSms, deps: ReplyDeps): Promise<ReplyResult> {
  const phone = normalizeMobile(reply.from);
  const parsed = parseReply(reply.text);
  const target = phone ? await replyTarget(phone, parsed.caseNo, deps) : undefined;
  if (!target) {
    deps.logger.info('sms reply ignored: no decided case of this number', {
      from: maskPhone(reply.from),
      namedCase: parsed.caseNo,
    });
    return { outcome: 'unknown-number' };
  }
  if (parsed.kind === 'unreadable') {
    if (target.rating) return { outcome: 'unreadable-ignored', caseNo: target.caseNo };
    // One clarification per case: the SMS key clarification#<caseNo> makes a second a no-op.
    await deps.events.publish({ type: 'reply.unreadable', caseNo: target.caseNo });
    return { outcome: 'clarification-requested', caseNo: target.caseNo };
  }
  const { counted } = await rate(target.caseNo, parsed.level, 'sms', { system: APPLICANT }, deps);
  return { outcome: counted ? 'rated' : 'not-counted', caseNo: target.caseNo };
}

async function replyTarget(phone: string, named: string | undefined, deps: ReplyDeps): Promise<PhoneCase | undefined> {
  const phoneHash = deps.hasher.hash(phone);
  if (named) {
    const c = await deps.cases.get(named);
    return c && c.phoneHash === phoneHash && isDecided(c) ? c : undefined;
  }
  const decided = (await deps.caseIndex.casesOfPhone(phoneHash)).filter((c) => isDecided(c) && c.decidedAt);
  const latest = (list: PhoneCase[]) =>
    list.reduce<PhoneCase | undefined>((a, c) => (!a || (c.decidedAt ?? '') > (a.decidedAt ?? '') ? c : a), undefined);
  return latest(decided.filter((c) => !c.rating)) ?? latest(decided);
}

// ---------------------------------------------------------------------------------------
// Default ratings

export interface DefaultRatingDeps {
  cases: ActDeps['cases'];
  ratingDue: RatingDueRepository;
  clock: ActDeps['clock'];
  feedback: FeedbackSettings;
  logger: Logger;
}

/** How far back the first run ever looks (there is no cursor yet). */
export const DEFAULT_RATING_CATCH_UP_DAYS = 60;

/** Writes the item the default-rating job will find on the day the case's rating period ends. Called after every decision. */
export async function scheduleDefaultRating(
  c: CaseRecord,
  deps: Pick<DefaultRatingDeps, 'ratingDue' | 'feedback'>,
): Promise<void> {
  if (!isDecided(c) || !c.decidedAt || c.rating) return;
  await deps.ratingDue.schedule(defaultRatingDate(c.decidedAt, deps.feedback.defaultRatingDays), c.caseNo);
}

export interface DefaultRatingRun {
  /** China dates queried, oldest first. */
  days: string[];
  /** Cases given the default rating now. */
  defaulted: string[];
}

/**
 * The job: every decided case still unrated when its rating period has ended is rated
 * fairly-satisfied with source 'default'. Queries RATEDUE#<day> for each day after the
 * cursor up to today (China time); safe to run twice or at once (each case write is
 * conditional on its version, and an already rated case is skipped).
 */
export async function applyDefaultRatings(deps: DefaultRatingDeps): Promise<DefaultRatingRun> {
  const now = deps.clock.now();
  const today = chinaDate(now);
  const at = toChinaIso(now);
  const cursor = await deps.ratingDue.cursor();
  const days: string[] = [];
  for (
    let d = cursor ? addDays(cursor, 1) : addDays(today, -DEFAULT_RATING_CATCH_UP_DAYS);
    d <= today;
    d = addDays(d, 1)
  )
    days.push(d);

  const defaulted: string[] = [];
  for (const day of days) {
    for (const caseNo of await deps.ratingDue.day(day)) {
      const outcome = await defaultOne(caseNo, today, at, deps);
      if (outcome === 'defaulted') defaulted.push(caseNo);
      await deps.ratingDue.done(day, caseNo);
    }
    await deps.ratingDue.advanceCursor(day);
  }
  if (defaulted.length) deps.logger.info('default ratings applied', { count: defaulted.length, today });
  return { days, defaulted };
}

async function defaultOne(
  caseNo: string,
  today: string,
  at: string,
  deps: DefaultRatingDeps,
): Promise<'defaulted' | 'skipped'> {
  for (let attempt = 0; ; attempt++) {
    const c = await deps.cases.get(caseNo);
    if (!c || !isDecided(c) || c.rating || !c.decidedAt) return 'skipped';
    const next = applyDefaultRating(c, deps.feedback, today, at);
    if (!next) {
      // The period was made longer since it was scheduled: file it under its new day.
      await deps.ratingDue.schedule(defaultRatingDate(c.decidedAt, deps.feedback.defaultRatingDays), caseNo);
      return 'skipped';
    }
    try {
      await deps.cases.save(next, c.version);
      return 'defaulted';
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 2) throw error;
    }
  }
}
