/**
 * SMS through a domestic provider (Alibaba Cloud SMS): registered templates, their variables,
 * the one-segment rule with the signature counted, and the per-phone send limits. Pure.
 *
 * A provider in mainland China sends only registered templates: a template code and the values
 * of its variables (`${name}`), and it puts the registered signature (【…】) in front. The use
 * cases compose the texts of SMS_TEMPLATES (shared/domain/sms-templates.ts); `readTemplateText`
 * recovers which template a text is and its variables, so the provider adapter sends the code
 * and the values and the use cases stay the same for every carrier.
 *
 * What the phone shows is 【signature】 + the registered text with the values filled in, and
 * the provider counts all of it: every message must stay within one 70-character segment
 * (`fitProviderMessage`); free-text variables (a complaint's answer, a department's name) are
 * cut with "…", identifiers never. `checkProviderTemplates` runs at start with the longest
 * identifiers the system issues, so a template that could ever overflow stops the function
 * with a message naming it rather than failing on one case.
 */
import {
  DELIVERY_ZH,
  OUTCOME_ZH,
  SMS_SEGMENT_CHARS,
  SMS_TEMPLATES,
  SUPPLEMENT_COUNT_MAX,
  truncate,
  type SmsTemplateName,
} from './sms-templates';

export interface ProviderTemplate {
  /** The code the provider gave the registered template, e.g. SMS_276425193. */
  code: string;
  /** The registered text, its variables written `${name}` (the provider's syntax). */
  text: string;
}
export type ProviderTemplates = Record<SmsTemplateName, ProviderTemplate>;

export const TEMPLATE_NAMES = Object.keys(SMS_TEMPLATES) as SmsTemplateName[];

/** Variables of each template that are free text, cut to fit, and how many characters of it must survive. */
const FREE_TEXT: Partial<Record<SmsTemplateName, { name: string; minimum: number }>> = {
  complaintAnswer: { name: 'summary', minimum: 10 },
  deadlineYellow: { name: 'department', minimum: 2 },
  deadlineRed: { name: 'department', minimum: 2 },
};

/** Alibaba Cloud SMS: a variable of a notification template holds at most 35 characters. */
export const PROVIDER_VARIABLE_MAX = 35;

const longest = (values: readonly string[]) => values.reduce((a, b) => (b.length > a.length ? b : a), '');
/** The longest values the system issues: a 9-letter department code and a 5-digit sequence make a 24-character case number. */
const LONGEST_CASE_NO = 'ABCDEFGHI-20261231-99999';
/**
 * The longest value of every variable of SMS_TEMPLATES (free text empty: it is cut to fit).
 * A new template's variables get an entry here, so the start check measures it at its longest.
 */
export const LONGEST_TEMPLATE_VALUES: Readonly<Record<string, string>> = {
  caseNo: LONGEST_CASE_NO,
  /** A query code as the receipt writes it: ABCDE-FGHJK. */
  queryCode: 'ABCDE-FGHJK',
  /** Materials in one notice: two digits (SUPPLEMENT_COUNT_MAX). */
  count: String(SUPPLEMENT_COUNT_MAX),
  complaintNo: 'TS-20261231-99999',
  outcome: longest(Object.values(OUTCOME_ZH)),
  delivery: longest(Object.values(DELIVERY_ZH)),
  ref: `办件${LONGEST_CASE_NO}`,
  due: '2026-12-31',
  /** A one-time code: 6 digits. */
  code: '999999',
  summary: '',
  department: '',
};

/**
 * Suggested texts to register, each within one segment with a signature of up to 12 characters
 * (brackets included, e.g. 【贵阳市政务服务中心】) and the longest identifiers. A hall registers
 * these (or its own: the variables must be those of SMS_TEMPLATES) and configures the codes.
 */
export const SUGGESTED_PROVIDER_TEXTS: Readonly<Record<SmsTemplateName, string>> = {
  completion: '办件${caseNo}已办结：${outcome}，${delivery}。回复1-5评价(1最满意)',
  clarification: '请回复一个数字评价办件${caseNo}：1非常满意2满意3基本满意4不满意5非常不满意',
  ratingThanks: '感谢您对办件${caseNo}的评价，欢迎继续监督。',
  complaintAnswer: '投诉${complaintNo}已办结，答复：${summary}',
  deadlineYellow: '预警：${ref}将于${due}到期，请${department}抓紧办理',
  deadlineRed: '报警：${ref}已超时限${due}，请${department}立即办理并说明原因',
  followup: '您对办件${caseNo}的评价已收到，工作人员将尽快联系您核实整改。',
  receipt: '办件${caseNo}已收件，查询码${queryCode}，凭此查询进度',
  accepted: '办件${caseNo}已受理，承诺${due}前办结',
  supplementNotice: '办件${caseNo}需补正${count}项材料(见进度)，${due}前未补正视为撤回',
  deemedWithdrawn: '办件${caseNo}未在${due}前补正，已视为撤回，可重新申报',
  caseCode: '验证码${code}，用于办件${caseNo}，5分钟内有效，请勿告诉他人',
  phoneCode: '验证码${code}，用于查询本手机号的全部办件，5分钟内有效，请勿告诉他人',
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function variablesOf(template: string, syntax: RegExp): string[] {
  return [...template.matchAll(syntax)].map((m) => m[1]);
}
const DOMAIN_VAR = /\{(\w+)\}/g;
const PROVIDER_VAR = /\$\{(\w+)\}/g;

const READERS = TEMPLATE_NAMES.map((name) => {
  const template = SMS_TEMPLATES[name];
  const names = variablesOf(template, DOMAIN_VAR);
  const pattern = template
    .split(/\{\w+\}/)
    .map(escapeRegExp)
    .join('(.+?)');
  return { name, names, regex: new RegExp(`^${pattern}$`, 's') };
});

/** Which template a composed text is, and its variables; undefined when it is none of them. */
export function readTemplateText(text: string): { name: SmsTemplateName; vars: Record<string, string> } | undefined {
  for (const reader of READERS) {
    const m = reader.regex.exec(text);
    if (m) return { name: reader.name, vars: Object.fromEntries(reader.names.map((n, i) => [n, m[i + 1]])) };
  }
  return undefined;
}

/** What the phone shows: 【signature】 and the registered text with the values filled in. */
export function renderProviderText(signName: string, template: string, vars: Record<string, string>): string {
  return `【${signName}】${template.replace(PROVIDER_VAR, (_m, key: string) => vars[key] ?? '')}`;
}

export interface ProviderMessage {
  code: string;
  /** The values of the template's variables, as the provider's TemplateParam. */
  params: Record<string, string>;
  /** The text as delivered, signature included; at most 70 characters. */
  text: string;
}

/**
 * The provider's form of a composed message: template code, the variables the registered text
 * uses (free text cut to fit one segment and 35 characters), and the text as delivered. Throws
 * a RangeError when the identifiers alone make it longer than one segment or one variable.
 */
export function fitProviderMessage(
  name: SmsTemplateName,
  vars: Record<string, string>,
  template: ProviderTemplate,
  signName: string,
): ProviderMessage {
  const used = variablesOf(template.text, PROVIDER_VAR);
  const free = FREE_TEXT[name];
  const params: Record<string, string> = {};
  for (const key of used) {
    const value = vars[key] as string | undefined;
    if (value === undefined) throw new RangeError(`SMS template ${name} (${template.code}): no value for \${${key}}`);
    if (key !== free?.name && value.length > PROVIDER_VARIABLE_MAX) {
      throw new RangeError(`SMS template ${name}: \${${key}} is over ${PROVIDER_VARIABLE_MAX} characters`);
    }
    params[key] = value;
  }
  if (free && used.includes(free.name)) {
    const room = Math.min(
      PROVIDER_VARIABLE_MAX,
      SMS_SEGMENT_CHARS - renderProviderText(signName, template.text, { ...params, [free.name]: '' }).length,
    );
    if (room < free.minimum) {
      throw new RangeError(`SMS template ${name}: only ${room} characters left for \${${free.name}}; shorten the text`);
    }
    params[free.name] = truncate(vars[free.name].replace(/…$/, ''), room);
  }
  const text = renderProviderText(signName, template.text, params);
  if (text.length > SMS_SEGMENT_CHARS) {
    throw new RangeError(
      `SMS template ${name} (${template.code}) is ${text.length} characters with the signature, over the ${SMS_SEGMENT_CHARS} of one segment`,
    );
  }
  return { code: template.code, params, text };
}

/**
 * Every problem of a template configuration, or [] when it is good: a template missing, a code
 * that is not one, a variable that SMS_TEMPLATES does not give, a text that the longest
 * identifiers would take past one segment.
 */
export function providerTemplateProblems(templates: Partial<ProviderTemplates>, signName: string): string[] {
  const problems: string[] = [];
  if (!signName || signName.length < 2 || signName.length > 12 || /[【】]/.test(signName)) {
    problems.push('the signature must be the registered name, 2 to 12 characters, without 【】');
  }
  for (const name of TEMPLATE_NAMES) {
    const t = templates[name] as Partial<ProviderTemplate> | undefined;
    if (!t) {
      problems.push(`${name}: no template (code and registered text)`);
      continue;
    }
    if (typeof t.code !== 'string' || !/^SMS_\d+$/.test(t.code)) problems.push(`${name}: code must be SMS_<digits>`);
    if (typeof t.text !== 'string' || !t.text) {
      problems.push(`${name}: no registered text`);
      continue;
    }
    const allowed = variablesOf(SMS_TEMPLATES[name], DOMAIN_VAR);
    const unknown = variablesOf(t.text, PROVIDER_VAR).filter((v) => !allowed.includes(v));
    if (unknown.length) problems.push(`${name}: variables ${unknown.join(', ')} are not among ${allowed.join(', ')}`);
    else {
      try {
        const longestVars = { ...LONGEST_TEMPLATE_VALUES, summary: '一'.repeat(70), department: '一'.repeat(70) };
        fitProviderMessage(name, longestVars, { code: String(t.code), text: t.text }, signName);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Per-phone send limits

export interface PhoneLimit {
  /** `template`: per phone and template (Alibaba's rule for notifications); `phone`: per phone, every template. */
  scope: 'phone' | 'template';
  max: number;
  seconds: number;
}

/** Alibaba Cloud SMS, notifications to the mainland: one signature and template, one number, 50 per 24 hours (rolling). */
export const DEFAULT_PHONE_LIMITS = 'template:50/24h';

/** Parses `template:50/24h,phone:1/1m`: scope, count, and a window in s, m or h. */
export function parsePhoneLimits(text: string): PhoneLimit[] {
  if (!text.trim()) return [];
  return text.split(',').map((part) => {
    const m = /^(phone|template):(\d+)\/(\d+)(s|m|h)$/.exec(part.trim());
    if (!m || Number(m[2]) < 1 || Number(m[3]) < 1) {
      throw new RangeError(
        `"${part.trim()}" is not a limit: write scope:count/window, e.g. template:50/24h or phone:1/1m`,
      );
    }
    const unit = { s: 1, m: 60, h: 3600 }[m[4] as 's' | 'm' | 'h'];
    return { scope: m[1] as PhoneLimit['scope'], max: Number(m[2]), seconds: Number(m[3]) * unit };
  });
}

/** One send to a number: when (epoch seconds) and which template. */
export interface SendMark {
  t: number;
  c: string;
}

export type Admission = { ok: true; marks: SendMark[] } | { ok: false; retryAfterSeconds: number; limit: PhoneLimit };

/**
 * Whether one more send of `code` to a number may go now, given its recent sends (rolling
 * windows, as the provider counts); on yes, the marks to keep (those inside the longest window,
 * and this one).
 */
export function admitSend(
  marks: readonly SendMark[],
  now: number,
  code: string,
  limits: readonly PhoneLimit[],
): Admission {
  const longestWindow = Math.max(0, ...limits.map((l) => l.seconds));
  const recent = marks.filter((m) => m.t > now - longestWindow);
  for (const limit of limits) {
    const inWindow = recent
      .filter((m) => m.t > now - limit.seconds && (limit.scope === 'phone' || m.c === code))
      .sort((a, b) => a.t - b.t);
    if (inWindow.length >= limit.max) {
      const oldestThatCounts = inWindow[inWindow.length - limit.max];
      return { ok: false, retryAfterSeconds: Math.max(1, oldestThatCounts.t + limit.seconds - now), limit };
    }
  }
  return { ok: true, marks: [...recent, { t: now, c: code }] };
}
