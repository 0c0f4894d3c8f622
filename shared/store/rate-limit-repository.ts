/**
 * Rolling-window limits (codes sent to a phone: 1 a minute, 5 an hour): one item per subject
 * holding the instants of its recent events inside the longest window, admitted by a
 * conditional write on the version read, so two requests at once cannot both take the last
 * place. The item expires (expiresAt, the table's TTL) once its newest event has left every
 * window. The rule itself is the pure admitSend of shared/domain/provider-sms.ts; the per-phone
 * limits of the SMS provider (sms-limit-repository.ts) use the same admitRolling on their own items.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { admitSend, type Admission, type PhoneLimit, type SendMark } from '../domain/provider-sms';
import { isConditionFailed } from './dynamo';
import { keys, type Key } from './keys';

/**
 * Admits one event of `kind` under the rolling limits of the item at `key`, recording it; or says
 * how long to wait. Undefined when five writers in a row lost the race for the item: the caller
 * decides what that means.
 */
export async function admitRolling(
  db: DynamoDBDocumentClient,
  tableName: string,
  target: { key: Key; entity: string },
  kind: string,
  limits: readonly PhoneLimit[],
  now: Date,
): Promise<Admission | undefined> {
  const { key, entity } = target;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const longest = Math.max(0, ...limits.map((l) => l.seconds));
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    const version = (current?.version as number | undefined) ?? 0;
    const admission = admitSend((current?.marks as SendMark[] | undefined) ?? [], nowSeconds, kind, limits);
    if (!admission.ok) return admission;
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, entity, marks: admission.marks, version: version + 1, expiresAt: nowSeconds + longest },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ExpressionAttributeValues: version === 0 ? undefined : { ':v': version },
        }),
      );
      return admission;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
  return undefined;
}

export class RateLimitRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Admits one event of `kind` for the subject, recording it; or says how long to wait. */
  async admit(subject: string, kind: string, limits: readonly PhoneLimit[], now: Date): Promise<Admission> {
    const target = { key: keys.rateLog(subject), entity: 'rate-log' };
    const admission = await admitRolling(this.db, this.tableName, target, kind, limits, now);
    // Many requests for one subject at once: the ones that lost every race wait like the limited.
    return admission ?? { ok: false, retryAfterSeconds: 1, limit: limits[0] };
  }
}
