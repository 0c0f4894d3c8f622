/**
 * One-time SMS codes and what they open, and the per-client limit of public writes.
 *
 *  - requestCaseCode: a code for one case, to the case's phone: opens its public routes like the
 *    query code, once (and shows the query code again: a lost code is found this way), and is
 *    what withdrawal needs.
 *  - requestPhoneCode / myCases (一户式查询): a code to a phone the applicant names, then every
 *    case of that phone (masked) from the by-phone index, with each case's query code.
 *  - admitClient: every public write takes a place in its client's window (source address).
 *
 * The answer to a code request is the same whether or not the case exists or the phone has
 * cases, so neither can be probed; sends are limited per phone (1 a minute, 5 an hour) and, for a
 * case number, per case number too, counted alike for numbers that do not exist. Wrong codes
 * lock the case or the phone like wrong query codes (5 in 15 minutes).
 */
import { smsPhone } from '../domain/identity';
import { randomBytes } from 'node:crypto';
import type { CaseRecord } from '../domain/case';
import { NotFoundError, TooManyAttemptsError } from '../domain/errors';
import { maskedApplicant, clockView } from '../domain/views';
import { queryCodeOfCase } from '../domain/query-code';
import {
  caseCodeSms,
  CODE_SEND_LIMITS,
  CODE_TRY_LIMIT,
  normalizeOneTimeCode,
  ONE_TIME_CODE_TTL_SECONDS,
  oneTimeCodeFromDigest,
  oneTimeCodeHashInput,
  oneTimeCodeInput,
  phoneCodeSms,
  subjectKey,
  subjectOfKey,
  type CodeSubject,
} from '../domain/one-time-code';
import type { Events } from '../adapters/events';
import type { Clock, Sms, SmsResult } from '../adapters/ports';
import type { PiiHasher } from '../adapters/pii';
import type { Logger } from '../adapters/logger';
import type { AttemptLimit, AttemptRepository } from '../store/attempt-repository';
import type { CaseIndex } from '../store/case-index';
import type { CaseRepository } from '../store/case-repository';
import type { OneTimeCodeRepository } from '../store/one-time-code-repository';
import type { RateLimitRepository } from '../store/rate-limit-repository';
import type { ActDeps } from './case-actions';

export interface CodeDeps extends Pick<ActDeps, 'cases' | 'catalog' | 'calendar' | 'clock' | 'hasher' | 'attempts'> {
  caseIndex: CaseIndex;
  oneTimeCodes: OneTimeCodeRepository;
  rateLimits: RateLimitRepository;
  events: Events;
  logger: Logger;
}

/** What a code request is answered, whatever happened: nothing in it says whether a case or a phone exists. */
export interface CodeRequestAnswer {
  detail: string;
  expiresInSeconds: number;
}

/** The most cases "my cases" lists, newest first. */
export const MY_CASES_MAX = 50;

async function admitSend(subject: string, deps: Pick<CodeDeps, 'rateLimits' | 'clock'>): Promise<void> {
  const admission = await deps.rateLimits.admit(`send#${subject}`, 'one-time-code', CODE_SEND_LIMITS, deps.clock.now());
  if (!admission.ok) {
    const per = admission.limit.seconds <= 60 ? 'a minute' : 'an hour';
    throw new TooManyAttemptsError(
      `at most ${admission.limit.max} one-time code${admission.limit.max > 1 ? 's' : ''} ${per} may be sent; try again in ${admission.retryAfterSeconds} s`,
      admission.retryAfterSeconds,
    );
  }
}

/**
 * Issues a new code for the subject (replacing the one before): its keyed hash and the nonce it
 * is derived from are stored, and the notify function is asked to send it (the only function
 * that sends SMS); the event carries the subject and the nonce, never the code or a number.
 */
async function issue(subject: CodeSubject, deps: Pick<CodeDeps, 'oneTimeCodes' | 'hasher' | 'clock' | 'events'>) {
  const nonce = randomBytes(12).toString('base64url');
  const code = oneTimeCodeFromDigest(deps.hasher.hash(oneTimeCodeInput(subject, nonce)));
  await deps.oneTimeCodes.issue(
    subjectKey(subject),
    deps.hasher.hash(oneTimeCodeHashInput(subject, code)),
    nonce,
    deps.clock.now(),
    ONE_TIME_CODE_TTL_SECONDS,
  );
  await deps.events.publish({ type: 'code.requested', ref: subjectKey(subject), nonce });
}

export interface SendCodeDeps {
  cases: CaseRepository;
  caseIndex: CaseIndex;
  oneTimeCodes: OneTimeCodeRepository;
  hasher: PiiHasher;
  clock: Clock;
  sms: Sms;
  logger: Logger;
}

/**
 * What the notify function does with code.requested: the code is computed again from the stored
 * nonce and sent to the case's phone, or to the phone of the hash (read from one of its cases),
 * once per nonce. A code replaced by a newer one, spent or expired is not sent.
 */
export async function sendOneTimeCode(
  event: { ref: string; nonce: string },
  deps: SendCodeDeps,
): Promise<SmsResult | undefined> {
  const subject = subjectOfKey(event.ref);
  if (!subject) return undefined;
  const current = await deps.oneTimeCodes.current(subjectKey(subject));
  if (current?.nonce !== event.nonce || current.expiresMs <= deps.clock.now().getTime()) {
    deps.logger.info('one-time code not sent: replaced, spent or expired', {
      caseNo: 'caseNo' in subject ? subject.caseNo : undefined,
    });
    return undefined;
  }
  let to: string | undefined;
  let text: (code: string) => string;
  if ('caseNo' in subject) {
    const c = await deps.cases.get(subject.caseNo);
    to = c ? smsPhone(c) : undefined;
    text = (code) => caseCodeSms(code, subject.caseNo);
  } else {
    const newest = (await deps.caseIndex.casesOfPhone(subject.phoneHash)).at(0);
    const c = newest ? await deps.cases.get(newest.caseNo) : undefined;
    to = c?.phoneHash === subject.phoneHash ? smsPhone(c) : undefined;
    text = phoneCodeSms;
  }
  if (!to) return undefined;
  const code = oneTimeCodeFromDigest(deps.hasher.hash(oneTimeCodeInput(subject, event.nonce)));
  return deps.sms.send({
    to,
    text: text(code),
    recordText: text('******'),
    kind: 'one-time-code',
    key: `one-time-code#${subjectKey(subject)}#${event.nonce}`,
  });
}

const answer = (detail: string): CodeRequestAnswer => ({ detail, expiresInSeconds: ONE_TIME_CODE_TTL_SECONDS });

/** A one-time code for a case, by SMS to its phone. The same answer for a case that does not exist. */
export async function requestCaseCode(caseNo: string, deps: CodeDeps): Promise<CodeRequestAnswer> {
  await admitSend(subjectKey({ caseNo }), deps);
  const c = await deps.cases.get(caseNo);
  if (c) {
    const to = smsPhone(c);
    await admitSend(subjectKey({ phoneHash: deps.hasher.hash(to) }), deps);
    await issue({ caseNo }, deps);
    deps.logger.info('one-time code sent', { caseNo });
  }
  return answer(
    `if case ${caseNo} exists, a one-time code was sent by SMS to its phone; it holds 5 minutes, for one use`,
  );
}

/** A one-time code for a phone's cases, by SMS to it. The same answer for a phone without cases (and nothing sent). */
export async function requestPhoneCode(phone: string, deps: CodeDeps): Promise<CodeRequestAnswer> {
  const phoneHash = deps.hasher.hash(phone);
  await admitSend(subjectKey({ phoneHash }), deps);
  const cases = await deps.caseIndex.casesOfPhone(phoneHash);
  if (cases.length > 0) {
    await issue({ phoneHash }, deps);
    deps.logger.info('one-time code sent for the cases of a phone', { cases: cases.length });
  }
  return answer('if this phone has cases, a one-time code was sent to it by SMS; it holds 5 minutes, for one use');
}

/** One line of "my cases": masked, with what the applicant needs to follow the case on. */
export function myCaseView(c: CaseRecord, time: ReturnType<typeof clockView>, queryCode: string | undefined) {
  return {
    caseNo: c.caseNo,
    itemCode: c.itemCode,
    itemName: c.itemName,
    department: c.department,
    status: c.status,
    receivedAt: c.receivedAt,
    ...(c.acceptedAt ? { acceptedAt: c.acceptedAt } : {}),
    ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
    ...(c.deadlines ? { deadlines: c.deadlines } : {}),
    ...time,
    applicant: maskedApplicant(c),
    ...(queryCode ? { queryCode } : {}),
  };
}

/**
 * Every case of a phone (一户式查询), opened with a one-time code sent to it: newest first, at
 * most MY_CASES_MAX, masked, each with its query code to follow it on. A wrong or spent code gets
 * the same 404 as a phone without cases; 5 wrong codes in 15 minutes lock the phone (429).
 */
export async function myCases(phone: string, oneTimeCode: string | undefined, deps: CodeDeps) {
  const phoneHash = deps.hasher.hash(phone);
  const subject = subjectKey({ phoneHash });
  const reservation = await deps.attempts.reserve(subject, deps.clock.now(), CODE_TRY_LIMIT);
  if (!reservation.ok) {
    throw new TooManyAttemptsError(
      `too many wrong codes for this phone; try again in ${reservation.retryAfterSeconds} s`,
      reservation.retryAfterSeconds,
    );
  }
  const code = normalizeOneTimeCode(oneTimeCode);
  const spent =
    code !== undefined &&
    (await deps.oneTimeCodes.consume(
      subject,
      deps.hasher.hash(oneTimeCodeHashInput({ phoneHash }, code)),
      deps.clock.now(),
    ));
  if (!spent) throw new NotFoundError('cases of that phone with that one-time code');
  await deps.attempts.release(subject, reservation.window);
  const listed = (await deps.caseIndex.casesOfPhone(phoneHash)).slice(0, MY_CASES_MAX);
  const records = (await Promise.all(listed.map((p) => deps.cases.get(p.caseNo)))).filter(
    (c): c is CaseRecord => c !== undefined && c.phoneHash === phoneHash,
  );
  const calendar = await deps.calendar.current();
  const now = deps.clock.now();
  return {
    cases: records.map((c) =>
      myCaseView(
        c,
        clockView(c, deps.catalog.item(c.itemCode), calendar, now),
        queryCodeOfCase(c, (v) => deps.hasher.hash(v)),
      ),
    ),
  };
}

/** Counts a public write against its client (source address, by keyed hash); 429 once the window is full. */
export async function admitClient(
  client: string,
  limit: AttemptLimit,
  deps: { attempts: AttemptRepository; hasher: PiiHasher; clock: Clock },
): Promise<void> {
  const reservation = await deps.attempts.reserve(
    `client#${deps.hasher.hash(`client#${client}`)}`,
    deps.clock.now(),
    limit,
  );
  if (!reservation.ok) {
    throw new TooManyAttemptsError(
      `too many requests from your address: at most ${limit.max} in ${limit.windowMinutes} min; try again in ${reservation.retryAfterSeconds} s`,
      reservation.retryAfterSeconds,
    );
  }
}

/** sendOneTimeCode for the notify use case, whose deps carry the code's parts only where it is wired to send codes. */
export function sendCodeIfWired(
  event: { ref: string; nonce: string },
  deps: Pick<SendCodeDeps, 'cases' | 'sms' | 'logger'> & Partial<SendCodeDeps>,
): Promise<SmsResult | undefined> {
  const { caseIndex, oneTimeCodes, hasher, clock } = deps;
  if (!caseIndex || !oneTimeCodes || !hasher || !clock) {
    return Promise.reject(
      new Error('notify was not given what one-time codes need (caseIndex, oneTimeCodes, hasher, clock)'),
    );
  }
  return sendOneTimeCode(event, { ...deps, caseIndex, oneTimeCodes, hasher, clock });
}
