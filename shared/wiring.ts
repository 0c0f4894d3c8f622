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
}

export interface CoreParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  verifyToken?: TokenVerifier;
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
  };
}

export const systemClock: Clock = { now: () => new Date() };

/** The AWS wiring: configuration from the environment, read once at cold start. */
export function awsDeps(serviceName: string, env: Record<string, string | undefined> = process.env): AppDeps {
  const config = readConfig(env);
  return coreDeps({ config, logger: powertoolsLogger(serviceName, config.logLevel), clock: systemClock });
}
