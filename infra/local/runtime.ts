/**
 * The whole service in one process: dynalite, the tables, the same handlers behind a local
 * HTTP server, and (as they are built) the state machine runner, the SMS outbox and the
 * schedules. `npm start` runs main.ts, which calls startRuntime; the e2e tests do the same.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { memoryLogger, powertoolsLogger, type Logger } from '../../shared/adapters/logger';
import { coreDeps, hallDepartments, type AppDeps } from '../../shared/wiring';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { readConfig } from '../../shared/config';
import { MAIN_TABLE } from '../tables';
import { LocalClock } from './clock';
import { ensureTables, externalDynamo, startDynalite } from './dynamo';
import { LOCAL_FUNCTIONS } from './functions';
import { serveRoutes } from './http';
import { LocalScheduler } from './scheduler';
import { makeLocalJobsHandler } from './jobs-function';
import type { JobResult } from '../../functions/jobs/handler';
import { InProcessEvents } from '../../shared/adapters/events';
import { OutboxTransport } from '../../shared/adapters/sms';
import { lazyAliyunSmsTransport } from '../../shared/adapters/sms-aliyun-lazy';
import { documentClient } from '../../shared/store/dynamo';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  localSecrets,
  signStaffToken,
  type LocalSecrets,
  type StaffClaims,
} from './keys';
import { LocalWorkflowEngine } from './workflow-engine';
import { reviewDefinition } from '../workflow/definition';
import { resumeReviews } from '../../shared/usecases/review';
import { runOutbox } from '../../shared/usecases/outbox';
import {
  FaultInjector,
  FaultyEvents,
  FaultySmsTransport,
  FaultyWorkflow,
  injectStoreFaults,
  type FaultKind,
  type FaultTarget,
} from '../../shared/adapters/faults';
import type { TaskPayload } from '../../shared/adapters/workflow';
import { pagesHandler } from './static';
import { localVerifier, startLocalOidc, type LocalOidc } from './oidc';

export interface RuntimeOptions {
  port?: number;
  /** Where data persists; `null` keeps everything in memory (tests). */
  dataDir: string | null;
  clockStart?: string;
  logger?: Logger;
  tableName?: string;
  /** A DynamoDB engine already running (DynamoDB Local in CI) instead of the embedded dynalite. */
  dynamoEndpoint?: string;
  /** Settings from the environment (npm start passes process.env): LOG_LEVEL and the README's periods and thresholds. */
  env?: Record<string, string | undefined>;
  /** Serve the pages and the local OpenID provider at /oidc (npm start does; in-process tests need neither). */
  pages?: boolean;
  /** Faults injected into the store, events, SMS and workflow clients (default: from ONEWINDOW_FAULT_RATE, else none). */
  faults?: FaultInjector;
}

export interface Runtime {
  url: string;
  clock: LocalClock;
  deps: AppDeps;
  secrets: LocalSecrets;
  /** The local event bus: `await runtime.events.settled()` waits until every SMS an event calls for is in the outbox. */
  events: InProcessEvents;
  workflow: LocalWorkflowEngine;
  /** Fires the schedules of infra/schedules.ts; stopped by stop(). */
  scheduler: LocalScheduler;
  /** The faults injected, when any (ONEWINDOW_FAULT_RATE or the option): its counts, and outages to start and end. */
  faults?: FaultInjector;
  /** Runs a scheduled job now (e.g. 'deem-acceptance' after moving the clock) and returns what it reports. */
  runNow(job: string): Promise<JobResult>;
  token(claims: StaffClaims): Promise<string>;
  stop(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = options.dataDir === null ? null : resolve(options.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const secretsDir = dataDir ?? join(tmpdir(), `onewindow-test-${process.pid}`);
  const secrets = await localSecrets(secretsDir);
  // The same reader as in AWS, before anything starts (a bad setting stops here, leaving nothing
  // running): the README's periods and thresholds come from the environment; the table, keys
  // and endpoint are the runtime's own.
  const tableName = options.tableName ?? 'onewindow-main';
  const config = readConfig({
    ...(options.env ?? {}),
    TABLE_NAME: tableName,
    PII_HASH_KEY: secrets.piiHashKey,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    JWT_JWKS: JSON.stringify({ keys: [secrets.publicJwk] }),
    JWT_JWKS_URL: undefined,
    AWS_REGION: 'local',
  });
  const dynamo = options.dynamoEndpoint
    ? externalDynamo(options.dynamoEndpoint)
    : await startDynalite({ path: dataDir ? join(dataDir, 'dynamodb') : undefined });
  try {
    config.dynamoEndpoint = dynamo.endpoint;
    await ensureTables(dynamo.endpoint, (def) => (def.id === MAIN_TABLE.id ? tableName : def.id));

    // Faults are armed once the runtime has started (its own recovery at start runs unfaulted).
    const faults =
      options.faults ??
      (config.faults &&
        new FaultInjector({
          ...config.faults,
          kinds: config.faults.kinds as FaultKind[] | undefined,
          targets: config.faults.targets as FaultTarget[] | undefined,
        }));
    const faultRate = faults?.rate ?? 0;
    if (faults) faults.rate = 0;
    const clock = new LocalClock(options.clockStart);
    const logger = options.logger ?? powertoolsLogger('onewindow-local', options.env?.LOG_LEVEL ?? 'WARN');
    // The same state machine file, run in this process; its Task states call the review function's handler.
    let reviewTask: (payload: TaskPayload) => Promise<unknown> = () =>
      Promise.reject(new Error('the review function is not ready yet'));
    const workflow = new LocalWorkflowEngine({
      definition: reviewDefinition,
      invoke: (p) => reviewTask(p),
      clock,
      pollIntervalMs: 500,
    });
    clock.onMove(() => {
      workflow.clockMoved();
    });
    // SMS go to the outbox (in the table); events are dispatched in process to the notify
    // handler, as the EventBridge rule invokes the notify function in AWS.
    const outboxDb = documentClient({ endpoint: dynamo.endpoint, region: 'local' });
    const outbox = new OutboxTransport(outboxDb, tableName);
    let notifyHandler: (event: unknown) => Promise<unknown> = () =>
      Promise.reject(new Error('the notify function is not ready yet'));
    const events = new InProcessEvents((event) => notifyHandler(event), clock, logger);
    let oidc: LocalOidc | undefined;
    const deps = coreDeps({
      verifyToken: localVerifier(config.jwt, hallDepartments(loadDefaultCatalog()), () => oidc?.issuer),
      smsTransport: faults ? new FaultySmsTransport(outbox, faults) : outbox,
      events: faults ? new FaultyEvents(events, faults) : events,
      localSms: {
        settled: () => events.settled(),
        outbox: async () => {
          await events.settled();
          return outbox.messages();
        },
      },
      workflow: faults ? new FaultyWorkflow(workflow, faults) : workflow,
      config,
      logger,
      clock,
      // SMS_PROVIDER=aliyun (e.g. against infra/local/fakes/aliyun-sms.ts): the provider instead of the outbox.
      aliyunSms: lazyAliyunSmsTransport,
      // One process per data directory: an SMS claim left 'sending' by a killed run is orphaned.
      smsExclusive: true,
    });
    if (faults) injectStoreFaults(deps.db, faults);

    const handlers = Object.fromEntries(Object.entries(LOCAL_FUNCTIONS).map(([name, make]) => [name, make(deps)]));
    const scheduler = new LocalScheduler(handlers, logger);
    handlers['local-jobs'] = makeLocalJobsHandler(deps, scheduler);
    scheduler.start();
    notifyHandler = (event) =>
      handlers.notify(event, { functionName: 'notify', getRemainingTimeInMillis: () => 30_000 });
    reviewTask = (payload) =>
      handlers.review(payload, { functionName: 'review', getRemainingTimeInMillis: () => 30_000 });
    // A restart in the middle of a review loses nothing: every case in review runs again, and
    // the decisions already recorded answer their tasks at once.
    await resumeReviews(deps);
    // Whatever a crash left pending in the outbox (an event the in-memory bus had not handled, a
    // filing, a review start) is carried out now: no request of this process is carrying it out.
    const recovered = await runOutbox(deps, { all: true });
    if (recovered.items) logger.info('outbox recovered at start', { ...recovered });
    if (faults) faults.rate = faultRate;
    const pages = options.pages
      ? pagesHandler({
          webConfig: () => ({ oidc: oidc && { issuer: oidc.issuer, clientId: oidc.clientId, scope: oidc.scope } }),
        })
      : undefined;
    const { server, url } = await serveRoutes(handlers, {
      port: options.port ?? 0,
      before: pages && ((req, res) => pages(req, res) || (oidc?.handle(req, res) ?? false)),
    });
    if (options.pages) oidc = await startLocalOidc({ url, secrets, audience: LOCAL_AUDIENCE, catalog: deps.catalog });

    return {
      url,
      clock,
      deps,
      secrets,
      events,
      workflow,
      scheduler,
      faults,
      runNow: (job) => scheduler.runNow(job),
      token: (claims) => signStaffToken(secrets, claims),
      stop: async () => {
        await closeServer(server);
        await scheduler.stop();
        await events.settled();
        await workflow.stop();
        await deps.outbox.idle();
        deps.db.destroy();
        outboxDb.destroy();
        await dynamo.stop();
      },
    };
  } catch (error) {
    // A start that fails half-way leaves nothing running.
    await dynamo.stop();
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}

export { memoryLogger };
