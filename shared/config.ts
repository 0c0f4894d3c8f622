/**
 * Configuration, read once at start by the wiring code, failing loudly when something is
 * missing. Nothing else reads process.env.
 */
import type { JWK } from 'jose';
import { feedbackSettingsFrom, type FeedbackSettings } from './domain/rating';
import {
  DEFAULT_PHONE_LIMITS,
  parsePhoneLimits,
  providerTemplateProblems,
  type PhoneLimit,
  type ProviderTemplates,
} from './domain/provider-sms';

/** Alibaba Cloud SMS (SMS_PROVIDER=aliyun): the registered signature and templates, the endpoint, the limits, the AccessKey. */
export interface AliyunSmsConfig {
  /** ALIYUN_SMS_ENDPOINT: a host (HTTPS) or a URL; default dysmsapi.aliyuncs.com. */
  endpoint: string;
  /** ALIYUN_SMS_SIGN_NAME: the registered signature, without 【】. */
  signName: string;
  /** ALIYUN_SMS_TEMPLATES: JSON, per template of SMS_TEMPLATES its code and registered text. */
  templates: ProviderTemplates;
  /** ALIYUN_SMS_PHONE_LIMITS, default template:50/24h. */
  phoneLimits: PhoneLimit[];
  /** Local runtime: ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET; in AWS both come from the secret below. */
  accessKeyId?: string;
  accessKeySecret?: string;
  /** ALIYUN_SMS_CREDENTIALS_SECRET_ARN: a Secrets Manager secret {"accessKeyId","accessKeySecret"}, read at cold start. */
  credentialsSecretArn?: string;
}

export interface Config {
  tableName: string;
  /** PII_HASH_KEY (local runtime and tests), or read at cold start from PII_HASH_KEY_SECRET_ARN (AWS); neither: this function does not hash. */
  piiHashKey?: string;
  piiHashKeySecretArn?: string;
  /** SMS_PROVIDER: the carrier behind the Sms port when it is not the runtime's own (SNS in AWS, the outbox locally). */
  smsProvider?: 'sns' | 'aliyun';
  aliyunSms?: AliyunSmsConfig;
  /** The key that signs the SMS provider's callback URLs: SMS_CALLBACK_KEY (local), or SMS_CALLBACK_KEY_SECRET_ARN (AWS). */
  smsCallbackKey?: string;
  smsCallbackKeySecretArn?: string;
  jwt: { issuer: string; audience: string; jwksUrl?: string; jwks?: { keys: JWK[] } };
  dynamoEndpoint?: string;
  region?: string;
  logLevel: string;
  /** Rating, follow-up and complaint periods (RATING_DEFAULT_DAYS, FOLLOWUP_WORKING_DAYS, COMPLAINT_WORKING_DAYS); defaults when unset. */
  feedback?: FeedbackSettings;
  /** EVENT_BUS_NAME: where domain events go (default: the account's default bus). */
  eventBusName?: string;
  /** Supervision thresholds (SUPERVISION_YELLOW_DAYS, SUPERVISION_YELLOW_FRACTION); defaults 2 working days or 20%. */
  supervision?: { yellowDays?: number; yellowFraction?: number };
  /** REPORT_RED_FLAG_COUNT: red-flag windows per month (default 3). */
  reports?: { redFlagCount?: number };
  /** CLIENT_WRITE_LIMIT (`<count>/<minutes>m`, default 30/1m; `off`: not counted): public writes per client and window. */
  clientWriteLimit?: { max: number; windowMinutes: number } | 'off';
  /**
   * Faults injected (the local runtime only; shared/adapters/faults.ts): ONEWINDOW_FAULT_RATE, the
   * share of calls that fail (0 to 1); ONEWINDOW_FAULT_KINDS (throttle,server,timeout,reset) and
   * ONEWINDOW_FAULT_TARGETS (store,events,sms,workflow), all when unset; ONEWINDOW_FAULT_SEED.
   */
  faults?: { rate: number; kinds?: string[]; targets?: string[]; seed?: number };
}

const FAULT_KIND_NAMES = ['throttle', 'server', 'timeout', 'reset'];
const FAULT_TARGET_NAMES = ['store', 'events', 'sms', 'workflow'];

export class ConfigError extends Error {
  constructor(missing: string[]) {
    super(`missing configuration: ${missing.join(', ')} (see the README, "Configuration")`);
    this.name = 'ConfigError';
  }
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const missing: string[] = [];
  const need = (name: string): string => {
    const v = env[name];
    if (!v) missing.push(name);
    return v ?? '';
  };
  const config: Config = {
    tableName: need('TABLE_NAME'),
    piiHashKey: env.PII_HASH_KEY || undefined,
    piiHashKeySecretArn: env.PII_HASH_KEY_SECRET_ARN || undefined,
    smsCallbackKey: env.SMS_CALLBACK_KEY || undefined,
    smsCallbackKeySecretArn: env.SMS_CALLBACK_KEY_SECRET_ARN || undefined,
    jwt: {
      issuer: need('JWT_ISSUER'),
      audience: need('JWT_AUDIENCE'),
      jwksUrl: env.JWT_JWKS_URL,
      jwks: env.JWT_JWKS ? (JSON.parse(env.JWT_JWKS) as { keys: JWK[] }) : undefined,
    },
    dynamoEndpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    logLevel: env.LOG_LEVEL ?? 'INFO',
    eventBusName: env.EVENT_BUS_NAME || undefined,
  };
  try {
    config.feedback = feedbackSettingsFrom({
      defaultRatingDays: env.RATING_DEFAULT_DAYS,
      followUpWorkingDays: env.FOLLOWUP_WORKING_DAYS,
      complaintWorkingDays: env.COMPLAINT_WORKING_DAYS,
    });
  } catch (error) {
    throw new Error(
      `bad configuration: ${(error as Error).message} (RATING_DEFAULT_DAYS, FOLLOWUP_WORKING_DAYS, COMPLAINT_WORKING_DAYS)`,
      { cause: error },
    );
  }
  const number = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) missing.push(`${name} (a number, got "${v}")`);
    return n;
  };
  config.supervision = {
    yellowDays: number('SUPERVISION_YELLOW_DAYS'),
    yellowFraction: number('SUPERVISION_YELLOW_FRACTION'),
  };
  config.reports = { redFlagCount: number('REPORT_RED_FLAG_COUNT') };
  if (env.CLIENT_WRITE_LIMIT?.trim() === 'off') config.clientWriteLimit = 'off';
  else if (env.CLIENT_WRITE_LIMIT) {
    const m = /^(\d+)\/(\d+)m$/.exec(env.CLIENT_WRITE_LIMIT.trim());
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
      missing.push(`CLIENT_WRITE_LIMIT (<count>/<minutes>m, e.g. 30/1m, or off; got "${env.CLIENT_WRITE_LIMIT}")`);
    } else config.clientWriteLimit = { max: Number(m[1]), windowMinutes: Number(m[2]) };
  }
  const faultRate = number('ONEWINDOW_FAULT_RATE');
  if (faultRate !== undefined) {
    if (!(faultRate >= 0 && faultRate <= 1))
      missing.push(`ONEWINDOW_FAULT_RATE (a share from 0 to 1, got ${faultRate})`);
    const list = (name: string, known: string[]): string[] | undefined => {
      const v = env[name];
      if (!v) return undefined;
      const items = v.split(',').map((x) => x.trim());
      const bad = items.filter((x) => !known.includes(x));
      if (bad.length) missing.push(`${name} (of ${known.join(', ')}; got ${bad.join(', ')})`);
      return items;
    };
    config.faults = {
      rate: faultRate,
      kinds: list('ONEWINDOW_FAULT_KINDS', FAULT_KIND_NAMES),
      targets: list('ONEWINDOW_FAULT_TARGETS', FAULT_TARGET_NAMES),
      seed: number('ONEWINDOW_FAULT_SEED'),
    };
  }
  if (!config.jwt.jwksUrl && !config.jwt.jwks) missing.push('JWT_JWKS_URL or JWT_JWKS');
  const provider = env.SMS_PROVIDER || undefined;
  if (provider !== undefined && provider !== 'sns' && provider !== 'aliyun') {
    missing.push(`SMS_PROVIDER (sns or aliyun, got "${provider}")`);
  } else config.smsProvider = provider;
  if (provider === 'aliyun') config.aliyunSms = readAliyunSms(env, need, missing);
  if (missing.length) throw new ConfigError(missing);
  return config;
}

function readAliyunSms(
  env: Record<string, string | undefined>,
  need: (name: string) => string,
  missing: string[],
): AliyunSmsConfig | undefined {
  const signName = need('ALIYUN_SMS_SIGN_NAME');
  const templatesText = need('ALIYUN_SMS_TEMPLATES');
  let templates = {} as ProviderTemplates;
  try {
    templates = templatesText ? (JSON.parse(templatesText) as ProviderTemplates) : templates;
  } catch {
    missing.push('ALIYUN_SMS_TEMPLATES (JSON: { "<template>": { "code": "SMS_...", "text": "..." } })');
  }
  if (signName && templatesText) {
    for (const problem of providerTemplateProblems(templates, signName))
      missing.push(`ALIYUN_SMS_TEMPLATES: ${problem}`);
  }
  let phoneLimits: PhoneLimit[] = [];
  try {
    phoneLimits = parsePhoneLimits(env.ALIYUN_SMS_PHONE_LIMITS ?? DEFAULT_PHONE_LIMITS);
  } catch (error) {
    missing.push(`ALIYUN_SMS_PHONE_LIMITS (${(error as Error).message})`);
  }
  const credentialsSecretArn = env.ALIYUN_SMS_CREDENTIALS_SECRET_ARN || undefined;
  const accessKeyId = env.ALIYUN_SMS_ACCESS_KEY_ID || undefined;
  const accessKeySecret = env.ALIYUN_SMS_ACCESS_KEY_SECRET || undefined;
  if (!credentialsSecretArn && !(accessKeyId && accessKeySecret)) {
    missing.push(
      'ALIYUN_SMS_CREDENTIALS_SECRET_ARN (or, locally, ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET)',
    );
  }
  return {
    endpoint: env.ALIYUN_SMS_ENDPOINT || 'dysmsapi.aliyuncs.com',
    signName,
    templates,
    phoneLimits,
    accessKeyId,
    accessKeySecret,
    credentialsSecretArn,
  };
}
