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
import { HALL_OFFICES, jwtVerifier, type TokenVerifier } from './http/auth';
import { CaseRepository } from './store/case-repository';
import { CaseIndex } from './store/case-index';
import { AttemptRepository } from './store/attempt-repository';
import { OneTimeCodeRepository } from './store/one-time-code-repository';
import { RateLimitRepository } from './store/rate-limit-repository';
import { admitClient } from './usecases/one-time-codes';
import { DEFAULT_CLIENT_WRITE_LIMIT } from './domain/one-time-code';
import { documentClient } from './store/dynamo';
import { IdempotencyRepository } from './store/idempotency-repository';
import { CalendarRepository } from './store/calendar-repository';
import { JobStateRepository } from './store/job-state-repository';
import { DenialRepository } from './store/denial-repository';
import { PostRepository } from './store/post-repository';
import { InquiryRepository } from './store/inquiry-repository';
import { makeAssignPost } from './usecases/assign-post';
import type { Assignment } from './domain/posts';
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
import { TaskRepository } from './store/task-repository';
import { SfnWorkflow, type Workflow } from './adapters/workflow';
import { ReportRepository } from './store/report-repository';
import { SupervisionRepository } from './store/supervision-repository';
import { supervisionSettings, type SupervisionSettings } from './domain/supervision';
import { loadDefaultStaff } from './domain/default-staff';
import type { StaffDirectory } from './domain/staff';
import type { ReportSettings } from './usecases/reports';
import { readConfig, type AliyunSmsConfig, type Config } from './config';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { withSecrets } from './adapters/secrets';
import { SmsLimitRepository } from './store/sms-limit-repository';
import { SmsReceiptRepository } from './store/sms-receipt-repository';
import {
  guardEvents,
  guardHasher,
  guardTable,
  guardTransport,
  guardWorkflow,
  setProcessFunction,
  setSmsProvider,
} from './adapters/capabilities';
import { holds } from '../infra/permissions';
import { FUNCTIONS, type FunctionName } from '../infra/routes';
import { OutboxRepository } from './store/outbox-repository';

export interface AppDeps {
  logger: Logger;
  verifyToken: TokenVerifier;
  catalog: Catalog;
  clock: Clock;
  hasher: PiiHasher;
  db: DynamoDBDocumentClient;
  tableName: string;
  cases: CaseRepository;
  /** Queries of many cases or tasks: open by deadline, worklists, by phone. */
  caseIndex: CaseIndex;
  /** Tries at query codes per case and window: the lock after 5 wrong ones. */
  attempts: AttemptRepository;
  /** One-time SMS codes (their keyed hashes, with a TTL). */
  oneTimeCodes: OneTimeCodeRepository;
  /** Rolling-window limits: one-time codes sent per phone. */
  rateLimits: RateLimitRepository;
  /** Counts a public write against its client (shared/http/function.ts); 429 over CLIENT_WRITE_LIMIT; unset when off. */
  admitClient?: (client: string) => Promise<void>;
  idempotency: IdempotencyRepository;
  calendar: CalendarRepository;
  /** Resumable jobs' requests and cursors (the deadline recomputation after a calendar change). */
  jobStates: JobStateRepository;
  denials: DenialRepository;
  /** A/B posts: presence and handovers. */
  posts: PostRepository;
  /** Chooses who handles a new case (A/B posts); submitCase calls it. */
  assignPost: (department: string) => Promise<Assignment | undefined>;
  /** The first-inquiry log (首问负责). */
  inquiries: InquiryRepository;
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
  tasks: TaskRepository;
  /** The review state machine: Step Functions in AWS, the local engine on one machine. */
  workflow: Workflow;
  /** Compliance reports: what they read (Queries only) and the stored monthly reports. */
  reports: ReportRepository;
  reportSettings: ReportSettings;
  /** Electronic supervision: the sweep's Queries and its once-per-colour warnings. */
  supervision: SupervisionRepository;
  supervisionSettings: SupervisionSettings;
  /** Staff mobile numbers for the supervision cards (catalog/staff.json). */
  staff: StaffDirectory;
  /** The key that signs the SMS provider's callback URLs (feedback function); unset: no provider pushes. */
  smsCallbackKey?: string;
  /** Delivery receipts from the SMS provider, recorded on the messages. */
  smsReceipts: SmsReceiptRepository;
  /** The outbox: items with effects still to carry out (shared/usecases/outbox.ts). */
  outbox: OutboxRepository;
}

/** Builds the Alibaba Cloud SMS transport (shared/adapters/sms-aliyun.ts); passed in by who may send, so only they bundle the SDK. */
export type AliyunSmsFactory = (
  config: AliyunSmsConfig,
  deps: { limits: SmsLimitRepository; hasher: PiiHasher; clock: Clock },
) => SmsTransport;

export interface CoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  verifyToken?: TokenVerifier;
  /** The carrier behind the Sms port: SNS in AWS, the outbox locally. */
  smsTransport: SmsTransport;
  events: Events;
  localSms?: LocalSms;
  workflow: Workflow;
  /** With SMS_PROVIDER=aliyun: the provider's transport replaces smsTransport (functions that do not send pass none). */
  aliyunSms?: AliyunSmsFactory;
  /** The only sender on its store (the local runtime): an SMS claim of another run is orphaned (shared/adapters/sms.ts). */
  smsExclusive?: boolean;
}

/**
 * Everything that depends only on configuration and the store. Every port it hands out checks
 * that the function calling it holds the capability (infra/permissions.ts).
 */
export function coreDeps(parts: CoreParts): AppDeps {
  const { config } = parts;
  setSmsProvider(config.smsProvider ?? 'sns');
  const db = guardTable(documentClient({ endpoint: config.dynamoEndpoint, region: config.region }));
  const catalog = loadDefaultCatalog();
  const posts = new PostRepository(db, config.tableName);
  const hasher = guardHasher(config.piiHashKey ? hmacHasher(config.piiHashKey) : withoutHashKey);
  const attempts = new AttemptRepository(db, config.tableName);
  const deps: AppDeps = {
    logger: parts.logger,
    verifyToken:
      parts.verifyToken ?? jwtVerifier(config.jwt, [...catalog.departments().map((d) => d.code), ...HALL_OFFICES]),
    catalog,
    clock: parts.clock,
    hasher,
    db,
    tableName: config.tableName,
    cases: new CaseRepository(db, config.tableName, (caseNo, month, error) => {
      parts.logger.error('month touch not written: re-save the case to repair the report', { caseNo, month, error });
    }),
    caseIndex: new CaseIndex(db, config.tableName),
    attempts,
    oneTimeCodes: new OneTimeCodeRepository(db, config.tableName),
    rateLimits: new RateLimitRepository(db, config.tableName),
    admitClient: clientAdmission(config, { attempts, hasher, clock: parts.clock }),
    idempotency: new IdempotencyRepository(db, config.tableName),
    calendar: new CalendarRepository(db, config.tableName),
    jobStates: new JobStateRepository(db, config.tableName),
    denials: new DenialRepository(db, config.tableName),
    sms: new DynamoSms(
      db,
      config.tableName,
      guardTransport(smsTransportOf(parts, db, hasher)),
      parts.clock,
      parts.logger,
      { exclusive: parts.smsExclusive },
    ),
    events: guardEvents(parts.events),
    feedback: config.feedback ?? FEEDBACK_DEFAULTS,
    ratingDue: new RatingDueRepository(db, config.tableName),
    inboundSms: new InboundSmsRepository(db, config.tableName),
    followUps: new FollowUpRepository(db, config.tableName),
    complaints: new ComplaintRepository(db, config.tableName),
    localSms: parts.localSms,
    posts,
    assignPost: makeAssignPost({ catalog, posts }),
    inquiries: new InquiryRepository(db, config.tableName),
    tasks: new TaskRepository(db, config.tableName),
    workflow: guardWorkflow(parts.workflow),
    reports: new ReportRepository(db, config.tableName),
    reportSettings: config.reports ?? {},
    supervision: new SupervisionRepository(db, config.tableName),
    supervisionSettings: supervisionSettings(config.supervision),
    staff: loadDefaultStaff(),
    smsCallbackKey: config.smsCallbackKey,
    smsReceipts: new SmsReceiptRepository(db, config.tableName),
    outbox: new OutboxRepository(db, config.tableName),
  };
  return deps;
}

/** The per-client count of public writes, unless CLIENT_WRITE_LIMIT is off. */
function clientAdmission(
  config: Config,
  deps: Parameters<typeof admitClient>[2],
): ((client: string) => Promise<void>) | undefined {
  const limit = config.clientWriteLimit ?? DEFAULT_CLIENT_WRITE_LIMIT;
  return limit === 'off' ? undefined : (client) => admitClient(client, limit, deps);
}

/** The departments a staff token may name: the catalog's and the hall's own offices. */
export function hallDepartments(catalog: Catalog): string[] {
  return [...catalog.departments().map((d) => d.code), ...HALL_OFFICES];
}

/** A function given no PII hash key (it has no need of one): hashing there is a wiring bug, said so. */
const withoutHashKey: PiiHasher = {
  hash: () => {
    throw new Error(
      'this function was not given the PII hash key (PII_HASH_KEY_SECRET_ARN), so it cannot match phone or ID numbers',
    );
  },
};

/** The carrier: the runtime's own (SNS, the outbox) unless SMS_PROVIDER names a provider. */
function smsTransportOf(parts: CoreParts, db: DynamoDBDocumentClient, hasher: PiiHasher): SmsTransport {
  const { config } = parts;
  if (config.smsProvider !== 'aliyun' || !config.aliyunSms) return parts.smsTransport;
  if (!parts.aliyunSms) {
    return {
      deliver: () =>
        Promise.reject(
          new Error('SMS_PROVIDER is aliyun but this function was not given the Alibaba Cloud SMS transport'),
        ),
    };
  }
  return parts.aliyunSms(config.aliyunSms, {
    limits: new SmsLimitRepository(db, config.tableName),
    hasher,
    clock: parts.clock,
  });
}

export const systemClock: Clock = { now: () => new Date() };

/** The local runtime's SMS outbox (GET /_local/sms/outbox). */
export interface LocalSms {
  outbox(): Promise<OutboxMessage[]>;
  /** Waits until every event published so far has been handled. */
  settled(): Promise<void>;
}

/** SMS by SNS Publish and events on EventBridge: each client is created only for a function given its capability. */
function awsMessaging(config: Config, fn: FunctionName | undefined): Pick<CoreParts, 'smsTransport' | 'events'> {
  const may = (c: 'sms:send' | 'events:publish') => !fn || holds(fn, c, config.smsProvider ?? 'sns');
  const missing = (what: string) => () =>
    Promise.reject(new Error(`the ${fn} function is not given ${what} (infra/permissions.ts)`));
  return {
    smsTransport: may('sms:send')
      ? new SnsTransport(new SNSClient({ region: config.region }))
      : { deliver: missing('sms:send') },
    events: may('events:publish')
      ? new EventBridgeEvents(new EventBridgeClient({ region: config.region }), config.eventBusName)
      : { publish: missing('events:publish') },
  };
}

/** The function a Lambda's service name names (functions/<name>/lambda.ts passes its folder's name). */
function functionNamed(serviceName: string): FunctionName | undefined {
  return (FUNCTIONS as readonly string[]).includes(serviceName) ? (serviceName as FunctionName) : undefined;
}

/** What a function's entry may add to the AWS wiring: the notify function passes the SMS provider's transport. */
export type AwsExtras = Pick<CoreParts, 'aliyunSms'>;

/**
 * The AWS wiring: configuration from the environment and the secrets it names from Secrets
 * Manager, read once at cold start.
 */
export async function awsDeps(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
  extras: AwsExtras = {},
): Promise<AppDeps> {
  const config = await withSecrets(readConfig(env), new SecretsManagerClient({ region: env.AWS_REGION }));
  const fn = functionNamed(serviceName);
  // This process is that one function: its ports refuse what infra/permissions.ts does not give it.
  setProcessFunction(fn, config.smsProvider ?? 'sns');
  return coreDeps({
    config,
    logger: powertoolsLogger(serviceName, config.logLevel),
    clock: systemClock,
    ...awsMessaging(config, fn),
    workflow: awsWorkflow(env, fn),
    ...extras,
  });
}

type LambdaHandler = (event: never, context: never) => Promise<unknown>;

/**
 * A function's Lambda entry: the wiring starts as the module loads (during the cold start's
 * init phase, so the secrets are read before the first event), and every invocation waits for
 * it. A failed start (a secret unreadable) fails that invocation and is tried again on the next.
 */
export function awsHandler(
  serviceName: string,
  makeHandler: (deps: AppDeps) => LambdaHandler,
  extras: AwsExtras = {},
): LambdaHandler {
  let ready: Promise<LambdaHandler> | undefined;
  const start = (): Promise<LambdaHandler> => {
    const started = awsDeps(serviceName, process.env, extras).then(makeHandler);
    ready = started;
    started.catch(() => {
      ready = undefined;
    });
    return started;
  };
  void start();
  return async (event, context) => {
    const handler = await (ready ?? start());
    return handler(event, context);
  };
}

/**
 * Step Functions when the function is given the state machine; otherwise a clear error on use.
 * A function whose capabilities include the workflow but that was deployed without
 * STATE_MACHINE_ARN does not start at all: that is a deployment bug, said at once.
 */
function awsWorkflow(env: Record<string, string | undefined>, fn?: FunctionName): Workflow {
  if (env.STATE_MACHINE_ARN) return new SfnWorkflow({ stateMachineArn: env.STATE_MACHINE_ARN });
  if (fn && (holds(fn, 'workflow:start') || holds(fn, 'workflow:answer')))
    throw new Error(`the ${fn} function reaches the review state machine but was not given STATE_MACHINE_ARN`);
  const missing = (): Promise<never> =>
    Promise.reject(
      new Error('this function was not given STATE_MACHINE_ARN, so it cannot reach the review state machine'),
    );
  return { start: missing, sendTaskSuccess: missing, sendTaskFailure: missing };
}
