/**
 * The request and progress of a resumable job (the deadline recomputation after a calendar
 * change): one item per job, JOB#<name>. A request bumps `generation` and resets the cursor;
 * the job saves its cursor after each page, conditional on the generation it started with,
 * so a new request made while it runs makes it stop and start over (the work it did was for
 * the old request). A job cut off by its timeout leaves `pending` and its cursor, and the next
 * run resumes there.
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamo';
import { keys } from './keys';

export interface JobCursor {
  /** Which partition of the work (e.g. the index of a department in the catalog). */
  part: number;
  /** DynamoDB's LastEvaluatedKey within that part; absent at the part's start. */
  startKey?: Record<string, unknown>;
}

export interface JobState<R> {
  job: string;
  generation: number;
  state: 'pending' | 'done';
  request: R;
  requestedAt: string;
  cursor: JobCursor;
  /** Items looked at and items changed so far in this generation. */
  processed: number;
  changed: number;
  runs: number;
  finishedAt?: string;
}

/** Attribute names, all through placeholders: several are DynamoDB reserved words (request, cursor, state). */
const NAMES = {
  '#g': 'generation',
  '#j': 'job',
  '#s': 'state',
  '#req': 'request',
  '#c': 'cursor',
  '#p': 'processed',
  '#ch': 'changed',
  '#runs': 'runs',
};

export class JobStateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get<R>(job: string): Promise<JobState<R> | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.jobState(job), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _e, ...state } = out.Item;
    return state as JobState<R>;
  }

  /** A new request: the next generation, from the start. Returns the generation. */
  async request(job: string, request: unknown, at: string): Promise<number> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.jobState(job),
        UpdateExpression:
          'ADD #g :one SET entity = :e, #j = :j, #s = :pending, #req = :r, requestedAt = :at, ' +
          '#c = :start, #p = :zero, #ch = :zero, #runs = :zero REMOVE finishedAt',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':one': 1,
          ':e': 'job-state',
          ':j': job,
          ':pending': 'pending',
          ':r': request,
          ':at': at,
          ':start': { part: 0 },
          ':zero': 0,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return out.Attributes?.generation as number;
  }

  /**
   * Saves progress of `generation`; false when a newer request replaced it (the caller stops).
   * `finishedAt` marks the generation done.
   */
  async progress(
    job: string,
    generation: number,
    update: { cursor: JobCursor; processed: number; changed: number; runs: number; finishedAt?: string },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.jobState(job),
          UpdateExpression: `SET #c = :c, #p = :p, #ch = :ch, #runs = :r${
            update.finishedAt ? ', #s = :done, finishedAt = :f' : ''
          }`,
          ConditionExpression: '#g = :g',
          ExpressionAttributeNames: {
            '#g': 'generation',
            '#c': 'cursor',
            '#p': 'processed',
            '#ch': 'changed',
            '#runs': 'runs',
            ...(update.finishedAt ? { '#s': 'state' } : {}),
          },
          ExpressionAttributeValues: {
            ':g': generation,
            ':c': update.cursor,
            ':p': update.processed,
            ':ch': update.changed,
            ':r': update.runs,
            ...(update.finishedAt ? { ':done': 'done', ':f': update.finishedAt } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
