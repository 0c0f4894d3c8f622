/**
 * The texts the SMS port sends, and how many segments a text costs. Pure.
 *
 * Every template fits one segment: 70 characters, since any Chinese makes the message
 * UCS-2. Each template has one fixed shape (SMS_TEMPLATES), because a hall in mainland
 * China registers its templates with the provider and may only fill in the variables.
 * Identifiers (case and complaint numbers) are never cut; free text (a department name, an
 * answer summary) is cut with "…" to what is left. A template that cannot fit even so (an
 * identifier longer than the system issues) throws a RangeError: that is a bug upstream,
 * not something to send in two parts.
 *
 * The signature (【…政务服务中心】) is not part of the body: SNS sends none, and a domestic
 * provider adds the registered signature itself. The completion notice for the longest case
 * number (9-letter department code, 5-digit sequence: 24 characters) is 68 characters.
 * Templates do not name the service item, so no item name can push a notice over the limit.
 *
 * The applicant is told at every step (三告知): the receipt with the query code (61 characters
 * at the longest), the acceptance with the committed deadline (58), a return for supplement
 * (一次性告知: how many materials, where to read them, by when; 67 with 99 materials) and a
 * case deemed withdrawn for want of a supplement (60); then the completion notice.
 */
import type { Delivery } from './case';
import { DATE_RE } from './china-time';
import { formatQueryCode, QUERY_CODE_RE } from './query-code';
import { lookup } from './lookup';

/** Characters in one UCS-2 segment (any Chinese present). */
export const SMS_SEGMENT_CHARS = 70;
const UCS2_MULTI = 67;
const GSM_SINGLE = 160;
const GSM_MULTI = 153;
/** Characters of the GSM-7 extension table, which cost two septets. */
const GSM_EXTENSION = /[\^{}\\[\]~|]/g;

/** True when the text must go as UCS-2: simply, anything outside ASCII. */
export function isUcs2(text: string): boolean {
  return /[\u0080-\uffff]/.test(text);
}

/** Length as the carrier counts it: UTF-16 units for UCS-2 (an emoji is 2), septets for GSM-7. */
export function smsLength(text: string): number {
  if (isUcs2(text)) return text.length;
  return text.length + (text.match(GSM_EXTENSION)?.length ?? 0);
}

/**
 * Segments a text costs: one for up to 70 (UCS-2) or 160 (GSM-7) characters; above that,
 * 67 or 153 per segment (the rest carries the concatenation header). Empty text: 0.
 */
export function smsSegments(text: string): number {
  const length = smsLength(text);
  if (length === 0) return 0;
  const [single, multi] = isUcs2(text) ? [SMS_SEGMENT_CHARS, UCS2_MULTI] : [GSM_SINGLE, GSM_MULTI];
  return length <= single ? 1 : Math.ceil(length / multi);
}

/**
 * Free text cut to at most `max` characters (UTF-16 units), ending in "…" when cut; runs of
 * whitespace become one space; an emoji is never split in half.
 */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  if (max <= 0) return '';
  let out = '';
  for (const ch of clean) {
    if (out.length + ch.length + 1 > max) break;
    out += ch;
  }
  return `${out}…`;
}

/** The registered shapes; {name} is a variable. */
export const SMS_TEMPLATES = {
  completion: '您的办件{caseNo}已办结，{outcome}，{delivery}。请回复1-5评价：1非常满意…5非常不满意',
  clarification: '未能识别您对办件{caseNo}的评价，请回复一个数字：1非常满意2满意3基本满意4不满意5非常不满意',
  ratingThanks: '感谢您对办件{caseNo}的评价，欢迎继续监督我们的工作。',
  complaintAnswer: '您的投诉{complaintNo}已办结，答复：{summary}',
  deadlineYellow: '【预警】{ref}将于{due}到期，请{department}抓紧办理。',
  deadlineRed: '【报警】{ref}已超过办结时限{due}，请{department}立即办理并说明原因。',
  followup: '您对办件{caseNo}的评价已收到，工作人员将尽快与您联系核实整改，感谢您的监督。',
  receipt: '您的办件{caseNo}已收件，查询码{queryCode}，请凭办件号和查询码查询进度。',
  accepted: '您的办件{caseNo}已受理，承诺{due}前办结，可凭查询码查询进度。',
  supplementNotice: '您的办件{caseNo}需补正{count}项材料，详见进度查询，请于{due}前补正，逾期视为撤回。',
  deemedWithdrawn: '您的办件{caseNo}未在{due}前补正，已视为撤回；如需办理请重新申报。',
  caseCode: '验证码{code}，用于办件{caseNo}，5分钟内有效且仅可使用一次，请勿告诉他人。',
  phoneCode: '验证码{code}，用于查询本手机号的全部办件，5分钟内有效且仅可使用一次，请勿告诉他人。',
} as const;
export type SmsTemplateName = keyof typeof SMS_TEMPLATES;

export const OUTCOME_ZH = { approve: '准予许可', deny: '不予许可' } as const;
export const DELIVERY_ZH: Readonly<Record<Delivery, string>> = {
  pickup: '请凭回执到窗口领取',
  post: '结果将邮寄给您',
  electronic: '结果已电子送达',
};

type Vars = Record<string, string>;

function fill(name: SmsTemplateName, vars: Vars): string {
  return SMS_TEMPLATES[name].replace(/\{(\w+)\}/g, (_m, key: string) => {
    const value = lookup(vars, key);
    if (value === undefined) throw new RangeError(`SMS template ${name}: no value for {${key}}`);
    return value;
  });
}

function requireId(name: SmsTemplateName, field: string, value: string): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (v === '' || /\s/.test(v)) throw new RangeError(`SMS template ${name}: ${field} must be a non-empty identifier`);
  return v;
}

/** Renders a template whose variables are all kept whole; throws if the result is over one segment. */
function render(name: SmsTemplateName, vars: Vars): string {
  const text = fill(name, vars);
  if (text.length > SMS_SEGMENT_CHARS) {
    throw new RangeError(
      `SMS template ${name} is ${text.length} characters, over the ${SMS_SEGMENT_CHARS} of one segment; check the identifiers' length`,
    );
  }
  return text;
}

/**
 * Renders a template with one free-text variable, cut to whatever the rest leaves.
 * `minimum` characters of it must survive, or the identifiers are too long.
 */
function renderWithFreeText(name: SmsTemplateName, vars: Vars, free: string, text: string, minimum: number): string {
  const room = SMS_SEGMENT_CHARS - fill(name, { ...vars, [free]: '' }).length;
  if (room < minimum) {
    throw new RangeError(
      `SMS template ${name}: only ${room} characters left for ${free}; check the identifiers' length`,
    );
  }
  return fill(name, { ...vars, [free]: truncate(text, room) });
}

export interface CompletionNoticeInput {
  caseNo: string;
  outcome: 'approve' | 'deny';
  delivery: Delivery;
}

/** 办结短信: case number, outcome, how to get the result, and the rating invitation. */
export function completionNotice(input: CompletionNoticeInput): string {
  // Looked up as unknown keys: the input may come from untyped JSON.
  const outcome = lookup(OUTCOME_ZH, input.outcome);
  const delivery = lookup(DELIVERY_ZH, input.delivery);
  if (!outcome) throw new RangeError(`SMS template completion: unknown outcome ${input.outcome}`);
  if (!delivery) throw new RangeError(`SMS template completion: unknown delivery ${input.delivery}`);
  return render('completion', { caseNo: requireId('completion', 'caseNo', input.caseNo), outcome, delivery });
}

/** Sent when a reply could not be read: asks for one digit 1–5. */
export function clarification(input: { caseNo: string }): string {
  return render('clarification', { caseNo: requireId('clarification', 'caseNo', input.caseNo) });
}

/** Optional acknowledgement of a good rating. */
export function ratingThanks(input: { caseNo: string }): string {
  return render('ratingThanks', { caseNo: requireId('ratingThanks', 'caseNo', input.caseNo) });
}

/** 件件有回音: the answer to a complaint, its summary cut to fit. */
export function complaintAnswer(input: { complaintNo: string; answerSummary?: string }): string {
  const complaintNo = requireId('complaintAnswer', 'complaintNo', input.complaintNo);
  return renderWithFreeText('complaintAnswer', { complaintNo }, 'summary', input.answerSummary ?? '', 10);
}

const WARNING_COLOURS: readonly DeadlineWarningInput['colour'][] = ['yellow', 'red'];

/** What a card is about, named in its text before the identifier. */
export const CARD_SUBJECT_ZH = {
  case: '办件',
  task: '审查任务',
  complaint: '投诉',
  followup: '差评回访',
} as const;
export type CardSubject = keyof typeof CARD_SUBJECT_ZH;
/** A complaint no department has yet: the supervisors must route it (分派). */
export const UNROUTED_COMPLAINT_ZH = '待分派投诉';

export type DeadlineWarningInput = (
  | { caseNo: string; taskRef?: undefined; about?: undefined }
  | { taskRef: string; caseNo?: undefined; about?: undefined }
  | {
      /** What the card is about: a case (办件), a review task (审查任务), a complaint (投诉), a bad-rating follow-up (差评回访). */
      about: CardSubject;
      /** Its identifier: case number, task id, complaint number or follow-up id. */
      ref: string;
      /** A complaint not yet routed to a department: the card asks the supervisors to route it. */
      unrouted?: boolean;
      caseNo?: undefined;
      taskRef?: undefined;
    }
) & {
  colour: 'yellow' | 'red';
  /** The deadline, YYYY-MM-DD in China time. */
  due: string;
  /** Department code or name; cut to fit (left out when unknown). */
  department?: string;
};

/**
 * 预警 (yellow, before the deadline) or 报警 (red, past it), for the responsible staff: it names
 * what it is about (办件, 审查任务, 投诉, 差评回访) and its identifier, kept whole. The department
 * is cut to what is left; a review task's id is long (case number, stage, department), so its
 * card may leave the department out entirely (the recipient is of that department).
 */
export function deadlineWarning(input: DeadlineWarningInput): string {
  const name: SmsTemplateName = input.colour === 'red' ? 'deadlineRed' : 'deadlineYellow';
  if (!WARNING_COLOURS.includes(input.colour)) {
    throw new RangeError(`SMS template deadline: unknown colour ${input.colour}`);
  }
  if (typeof input.due !== 'string' || !DATE_RE.test(input.due)) {
    throw new RangeError(`SMS template ${name}: due must be YYYY-MM-DD, got ${input.due}`);
  }
  const { about, id, unrouted } =
    input.caseNo !== undefined
      ? { about: 'case' as const, id: input.caseNo, unrouted: false }
      : input.taskRef !== undefined
        ? { about: 'task' as const, id: input.taskRef, unrouted: false }
        : { about: input.about, id: input.ref, unrouted: input.unrouted === true };
  const subject = lookup(CARD_SUBJECT_ZH, about);
  if (subject === undefined) throw new RangeError(`SMS template ${name}: unknown subject ${about as string}`);
  const field = about === 'case' ? 'caseNo' : about === 'task' ? 'taskRef' : 'ref';
  const ref = `${about === 'complaint' && unrouted ? UNROUTED_COMPLAINT_ZH : subject}${requireId(name, field, id)}`;
  return renderWithFreeText(
    name,
    { ref, due: input.due },
    'department',
    input.department ?? '',
    about === 'task' ? 0 : 2,
  );
}

/** To the applicant after a bad rating: it is received and will be followed up. */
export function followupNotice(input: { caseNo: string }): string {
  return render('followup', { caseNo: requireId('followup', 'caseNo', input.caseNo) });
}

function requireDate(name: SmsTemplateName, field: string, value: string): string {
  if (typeof value !== 'string' || !DATE_RE.test(value)) {
    throw new RangeError(`SMS template ${name}: ${field} must be YYYY-MM-DD, got ${value}`);
  }
  return value;
}

/** 收件回执: the case number and the query code (查询码) that opens its progress, written ABCDE-FGHJK. */
export function receiptNotice(input: { caseNo: string; queryCode: string }): string {
  if (typeof input.queryCode !== 'string' || !QUERY_CODE_RE.test(input.queryCode)) {
    throw new RangeError('SMS template receipt: queryCode must be a query code of 10 characters');
  }
  return render('receipt', {
    caseNo: requireId('receipt', 'caseNo', input.caseNo),
    queryCode: formatQueryCode(input.queryCode),
  });
}

/** 受理: the case is accepted (by staff, or deemed under art. 32) and will be done by the committed deadline. */
export function acceptedNotice(input: { caseNo: string; due: string }): string {
  return render('accepted', {
    caseNo: requireId('accepted', 'caseNo', input.caseNo),
    due: requireDate('accepted', 'due', input.due),
  });
}

/** The most materials one notice names in the SMS; more (never in the catalog) are written 99. */
export const SUPPLEMENT_COUNT_MAX = 99;

/**
 * 一次性告知 by SMS: how many materials to supply or correct (the list itself is on the progress
 * page, which the query code opens), by which China date, and that otherwise the case is deemed
 * withdrawn.
 */
export function supplementNotice(input: { caseNo: string; count: number; due: string }): string {
  if (!Number.isInteger(input.count) || input.count < 1) {
    throw new RangeError(
      `SMS template supplementNotice: count must be a whole number of at least 1, got ${input.count}`,
    );
  }
  return render('supplementNotice', {
    caseNo: requireId('supplementNotice', 'caseNo', input.caseNo),
    count: String(Math.min(input.count, SUPPLEMENT_COUNT_MAX)),
    due: requireDate('supplementNotice', 'due', input.due),
  });
}

/** 视为撤回: the supplement deadline passed without the materials; the applicant may apply again. */
export function deemedWithdrawnNotice(input: { caseNo: string; due: string }): string {
  return render('deemedWithdrawn', {
    caseNo: requireId('deemedWithdrawn', 'caseNo', input.caseNo),
    due: requireDate('deemedWithdrawn', 'due', input.due),
  });
}

/** A one-time code (短信验证码) for one case: a lost query code, or a withdrawal. `code` may be blanked (******) for the record. */
export function caseCodeNotice(code: string, caseNo: string): string {
  return render('caseCode', {
    code: requireId('caseCode', 'code', code),
    caseNo: requireId('caseCode', 'caseNo', caseNo),
  });
}

/** A one-time code for the cases of a phone (一户式查询). */
export function phoneCodeNotice(code: string): string {
  return render('phoneCode', { code: requireId('phoneCode', 'code', code) });
}
