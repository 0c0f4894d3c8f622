/**
 * The official calendar as data: years seeded from chinese-days in code, and years an
 * administrator adds or corrects (PUT /calendar/{year}) stored in the table, which win.
 * Read with one Query; cached briefly per process (a change made in another process is
 * seen within CACHE_MS; the local runtime is one process, so it sees it at once).
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import { WorkingCalendar, type CalendarYear } from '../domain/calendar';
import { officialCalendarYears } from '../domain/calendar-seed';

const CACHE_MS = 60_000;
const PK = 'CALENDAR';

export interface StoredCalendarYear extends CalendarYear {
  updatedAt: string;
  updatedBy: string;
}

export class CalendarRepository {
  private cached?: { at: number; calendar: WorkingCalendar; stored: StoredCalendarYear[] };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  async stored(): Promise<StoredCalendarYear[]> {
    return (await this.load()).stored;
  }

  async current(): Promise<WorkingCalendar> {
    return (await this.load()).calendar;
  }

  private async load() {
    if (this.cached && this.monotonicNow() - this.cached.at < CACHE_MS) return this.cached;
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ConsistentRead: true,
    });
    const stored = items.map((i) => ({
      year: i.year as number,
      holidays: i.holidays as string[],
      workdays: i.workdays as string[],
      source: i.source as string | undefined,
      updatedAt: i.updatedAt as string,
      updatedBy: i.updatedBy as string,
    }));
    // Later entries win: stored years override the seed.
    const calendar = new WorkingCalendar([...officialCalendarYears(), ...stored]);
    this.cached = { at: this.monotonicNow(), calendar, stored };
    return this.cached;
  }

  async put(year: StoredCalendarYear): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: PK, sk: `YEAR#${year.year}`, entity: 'calendar-year', ...year },
      }),
    );
    this.cached = undefined;
  }
}
