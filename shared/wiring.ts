/**
 * The dependencies of every function, built once per runtime: from configuration in AWS
 * (functions/<name>/lambda.ts), or by the local runtime with its local adapters.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from './domain/catalog';
import { loadDefaultCatalog } from './domain/default-catalog';
import type { Logger } from './adapters/logger';
import { powertoolsLogger } from './adapters/logger';
import type { Clock } from './adapters/ports';
import { hmacHasher, type PiiHasher } from './adapters/pii';
import { jwtVerifier, type TokenVerifier } from './http/auth';
import { CaseRepository } from './store/case-repository';
import { documentClient } from './store/dynamo';
import { IdempotencyRepository } from './store/idempotency-repository';
import { CalendarRepository } from './store/calendar-repository';
import { DenialRepository } from './store/denial-repository';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEvents, type Events } from './adapters/events';
import { DynamoSms, SnsTransport, type OutboxMessage } from './adapters/sms';
import type { Sms, SmsTransport } from './adapters/ports';
import { FEEDBACK_DEFAULTS, type FeedbackSettings } from './domain/rating';
import { RatingDueRepository } from './store/rating-due-repository';
import { InboundSmsRepository } from './store/inbound-sms-repository';
import { FollowUpRepository } from './store/follow-up-repository';
import { ComplaintRepository } from './store/complaint-repository';
import { readConfig, type Config } from './config';

export interface AppDeps {
  logger: Logger;
  verifyToken: TokenVerifier;
  catalog: Catalog;
  clock: Clock;
  hasher: PiiHasher;
  db: DynamoDBDocumentClient;
  tableName: string;
  cases: CaseRepository;
  idempotency: IdempotencyRepository;
  calendar: CalendarRepository;
  denials: DenialRepository;
  /** The SMS port, once per key (only the notify function sends in AWS). */
  sms: Sms;
  /** Domain events: EventBridge in AWS, dispatched in process locally. */
  events: Events;
  /** Rating, follow-up and complaint periods. */
  feedback: FeedbackSettings;
  ratingDue: RatingDueRepository;
  inboundSms: InboundSmsRepository;
  followUps: FollowUpRepository;
  complaints: ComplaintRepository;
  /** Only in the local runtime: the SMS outbox, read once every pending event is delivered. */
  localSms?: LocalSms;
}

export interface CoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  verifyToken?: TokenVerifier;
  /** The carrier behind the Sms port: SNS in AWS, the outbox locally. */
  smsTransport: SmsTransport;
  events: Events;
  localSms?: LocalSms;
}

/** Everything that depends only on configuration and the store. */
export function coreDeps(parts: CoreParts): AppDeps {
  const { config } = parts;
  const db = documentClient({ endpoint: config.dynamoEndpoint, region: config.region });
  return {
    logger: parts.logger,
    verifyToken: parts.verifyToken ?? jwtVerifier(config.jwt),
    catalog: loadDefaultCatalog(),
    clock: parts.clock,
    hasher: hmacHasher(config.piiHashKey),
    db,
    tableName: config.tableName,
    cases: new CaseRepository(db, config.tableName),
    idempotency: new IdempotencyRepository(db, config.tableName),
    calendar: new CalendarRepository(db, config.tableName),
    denials: new DenialRepository(db, config.tableName),
    sms: new DynamoSms(db, config.tableName, parts.smsTransport, parts.clock, parts.logger),
    events: parts.events,
    feedback: config.feedback ?? FEEDBACK_DEFAULTS,
    ratingDue: new RatingDueRepository(db, config.tableName),
    inboundSms: new InboundSmsRepository(db, config.tableName),
    followUps: new FollowUpRepository(db, config.tableName),
    complaints: new ComplaintRepository(db, config.tableName),
    localSms: parts.localSms,
  };
}

export const systemClock: Clock = { now: () => new Date() };

/** The local runtime's SMS outbox (GET /_local/sms/outbox). */
export interface LocalSms {
  outbox(): Promise<OutboxMessage[]>;
  /** Waits until every event published so far has been handled. */
  settled(): Promise<void>;
}

/** SMS by SNS Publish and events on EventBridge (clients are created here, used only by the functions that may). */
function awsMessaging(config: Config): Pick<CoreParts, 'smsTransport' | 'events'> {
  return {
    smsTransport: new SnsTransport(new SNSClient({ region: config.region })),
    events: new EventBridgeEvents(new EventBridgeClient({ region: config.region }), config.eventBusName),
  };
}

/** The AWS wiring: configuration from the environment, read once at cold start. */
export function awsDeps(serviceName: string, env: Record<string, string | undefined> = process.env): AppDeps {
  const config = readConfig(env);
  return coreDeps({ config, logger: powertoolsLogger(serviceName, config.logLevel), clock: systemClock, ...awsMessaging(config) });
}
