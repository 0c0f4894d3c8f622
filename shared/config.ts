/**
 * Configuration, read once at start by the wiring code, failing loudly when something is
 * missing. Nothing else reads process.env.
 */
import { feedbackSettingsFrom, type FeedbackSettings } from './domain/rating';

export interface Config {
  tableName: string;
  piiHashKey: string;
  jwt: { issuer: string; audience: string; jwksUrl?: string; jwks?: { keys: any[] } };
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
}

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
    piiHashKey: need('PII_HASH_KEY'),
    jwt: {
      issuer: need('JWT_ISSUER'),
      audience: need('JWT_AUDIENCE'),
      jwksUrl: env.JWT_JWKS_URL,
      jwks: env.JWT_JWKS ? JSON.parse(env.JWT_JWKS) : undefined,
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
  if (!config.jwt.jwksUrl && !config.jwt.jwks) missing.push('JWT_JWKS_URL or JWT_JWKS');
  if (missing.length) throw new ConfigError(missing);
  return config;
}
