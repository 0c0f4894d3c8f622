/**
 * A/B posts in DynamoDB: the presence of each person of a post (one item per person, read for
 * a post with one Query) and the handovers from A to B, per department and China month, so
 * the monthly report counts them with one Query. Writing a handover twice (a retry) leaves one item.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import type { Handover, Presence, PostPresence } from '../domain/posts';
import { keys } from './keys';

export interface HandoverRecord extends Handover {
  caseNo: string;
  at: string;
}

/** How long a process trusts the presence it read (see PostRepository). */
export const PRESENCE_CACHE_MS = 5_000;

export class PostRepository {
  /**
   * Presence is read for every new case and changes a few times a day: it is kept for
   * PRESENCE_CACHE_MS per process, and a change made through this repository is seen at once
   * (the local runtime is one process; another Lambda container sees it within that time).
   */
  private readonly cache = new Map<string, { at: number; value: Promise<PostPresence> }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  async setPresence(p: Presence): Promise<void> {
    this.cache.delete(p.post);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.postPresence(p.post, p.person), entity: 'presence', ...p },
      }),
    );
    this.cache.delete(p.post); // again: a read racing the write may have cached the old value
  }

  async presence(post: string): Promise<PostPresence> {
    const hit = this.cache.get(post);
    if (hit && this.monotonicNow() - hit.at < PRESENCE_CACHE_MS) return hit.value;
    const value = this.readPresence(post);
    this.cache.set(post, { at: this.monotonicNow(), value });
    value.catch(() => this.cache.delete(post));
    return value;
  }

  private async readPresence(post: string): Promise<PostPresence> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': keys.postPresence(post, 'a').pk, ':s': 'PRESENCE#' },
        ConsistentRead: true,
      }),
    );
    const result: PostPresence = {};
    for (const item of out.Items ?? []) {
      const { pk: _pk, sk: _sk, entity: _e, ...p } = item;
      result[(p as Presence).person] = p as Presence;
    }
    return result;
  }

  async recordHandover(h: HandoverRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.handover(h.department, h.at, h.caseNo), entity: 'handover', ...h },
      }),
    );
  }

  /** A department's handovers in a China month (YYYY-MM), in time order. */
  async handovers(department: string, month: string): Promise<HandoverRecord[]> {
    return queryPartition<HandoverRecord>(this.db, this.tableName, keys.handoverMonth(department, month));
  }
}

/** Every item of one partition of the main table, in sort-key order, without the key attributes. */
export async function queryPartition<T>(db: DynamoDBDocumentClient, tableName: string, pk: string): Promise<T[]> {
  const items = await queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
  });
  return items.map(({ pk: _pk, sk: _sk, entity: _e, ...rest }) => rest as T);
}
