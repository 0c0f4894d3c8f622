/**
 * Counters of tries at a credential (a case's query code), per fixed window of minutes: one
 * item per subject and window, with a TTL (`expiresAt`, epoch seconds) so old windows vanish
 * by themselves. A try first reserves a place with a conditional ADD (refused once the window
 * holds its maximum), so however many tries arrive at once, no more than the maximum are ever
 * checked in one window; a right answer gives its place back. No Scan, no read-modify-write.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamo';
import { keys } from './keys';

export interface AttemptLimit {
  /** Tries allowed in one window. */
  max: number;
  /** The window, in minutes. */
  windowMinutes: number;
}

export type Reservation = { ok: true; window: string } | { ok: false; retryAfterSeconds: number };

export class AttemptRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private window(now: Date, limit: AttemptLimit): { start: number; end: number } {
    const span = limit.windowMinutes * 60_000;
    const start = Math.floor(now.getTime() / span) * span;
    return { start, end: start + span };
  }

  /** Takes a place in the current window, or says how long until the next one. */
  async reserve(subject: string, now: Date, limit: AttemptLimit): Promise<Reservation> {
    const { start, end } = this.window(now, limit);
    const window = new Date(start).toISOString();
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.attempts(subject, window),
          UpdateExpression: 'ADD tries :one SET expiresAt = if_not_exists(expiresAt, :ttl), entity = :e',
          ConditionExpression: 'attribute_not_exists(tries) OR tries < :max',
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': limit.max,
            ':ttl': Math.ceil(end / 1000) + 3600,
            ':e': 'attempts',
          },
        }),
      );
      return { ok: true, window };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - now.getTime()) / 1000)) };
    }
  }

  /** Gives back a place taken by a try that turned out right. */
  async release(subject: string, window: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.attempts(subject, window),
          UpdateExpression: 'ADD tries :minus',
          ConditionExpression: 'attribute_exists(tries) AND tries > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailed(error)) throw error;
      });
  }

  /** Until when the subject is locked (its window is full), for staff to see; undefined when it is not. */
  async lockedUntil(subject: string, now: Date, limit: AttemptLimit): Promise<string | undefined> {
    const { start, end } = this.window(now, limit);
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.attempts(subject, new Date(start).toISOString()) }),
    );
    const tries: unknown = out.Item?.tries;
    return typeof tries === 'number' && tries >= limit.max ? new Date(end).toISOString() : undefined;
  }
}
