/** The DynamoDB document client, configured once from the wiring code. */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError, LimitExceededError } from '../domain/errors';
import { assertItemFits, itemTooLarge } from '../domain/case-limits';

export interface DynamoSettings {
  /** Set for the local runtime (dynalite); unset in AWS. */
  endpoint?: string;
  region?: string;
}

export function documentClient(settings: DynamoSettings = {}): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = { region: settings.region ?? 'cn-north-1', maxAttempts: 5 };
  if (settings.endpoint) {
    config.endpoint = settings.endpoint;
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  const client = new DynamoDBClient(config);
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw storeLimitError(error) ?? error;
      }
    },
    { step: 'initialize', name: 'onewindowStoreLimits' },
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/**
 * A ValidationException by which DynamoDB refuses what is too large (an item over 400 KB, a
 * key over 2,048 or 1,024 bytes) becomes a LimitExceededError (422, naming the limit): the
 * same request would be refused again, so it must never be answered as a retryable 500. Other
 * ValidationExceptions (a malformed expression) are bugs, and stay errors.
 */
export function storeLimitError(error: unknown): Error | undefined {
  const e = error as { name?: string; message?: string } | null | undefined;
  if (e?.name !== 'ValidationException' || typeof e.message !== 'string') return undefined;
  if (!/size/i.test(e.message) || !/exceed/i.test(e.message)) return undefined;
  const refused = /key/i.test(e.message)
    ? new LimitExceededError(
        `a key of this request is longer than the ${/range/i.test(e.message) ? 1024 : 2048} bytes the store allows: shorten it`,
        { limit: 'key-size', maxBytes: /range/i.test(e.message) ? 1024 : 2048 },
      )
    : itemTooLarge('the record this request writes');
  refused.cause = error;
  return refused;
}

/** True when a conditional write failed because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | null | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * The number an `ADD <name> :n` UpdateItem left in the returned attributes (ReturnValues
 * UPDATED_NEW): a counter that DynamoDB did not return is a bug, so it throws.
 */
export function counterValue(attributes: Record<string, unknown> | undefined, name: string): number {
  const value = attributes?.[name];
  if (typeof value !== 'number') throw new Error(`the counter ${name} was not returned by the update`);
  return value;
}

/** The pages of a Query, one after the other as DynamoDB returns them (the one pagination loop of the store). */
export async function* queryPages(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Record<string, unknown>[], void, undefined> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield (page.Items ?? []) as Record<string, unknown>[];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item a Query matches, all pages read. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(db, input)) items.push(...page);
  return items;
}

/** Writes an item that must not exist yet; false when it already does. */
export async function putIfAbsent(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  assertItemFits(item, 'the record this request writes');
  try {
    await db.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Writes a new state of an entity read at `expectedVersion` (the one optimistic-lock write of
 * the store); a ConflictError with `what` when someone else wrote it in between.
 */
export async function putIfVersion(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  expectedVersion: number,
  what: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  // DynamoDB counts UTF-8 bytes and dynalite characters: checked here, both refuse alike.
  assertItemFits(item, what);
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': expectedVersion },
      }),
    );
  } catch (error) {
    if (isConditionFailed(error))
      throw new ConflictError(`${what} was changed by someone else at the same time; reload it and try again`, extra);
    throw error;
  }
}
