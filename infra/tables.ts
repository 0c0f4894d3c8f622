/**
 * The one definition of the tables and their indexes, read by the CDK stateful stack and by
 * the local runtime (which creates them in dynalite). Indexes are named for their access
 * pattern; the key shapes that fill them live in shared/store/keys.ts.
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** What the access pattern is: shown in the README and in CDK descriptions. */
  purpose: string;
}

export interface TableDefinition {
  /** Logical id in the CDK stack and the default local table name. */
  id: string;
  /** Environment variable through which functions receive the physical name. */
  envVar: string;
  partitionKey: string;
  sortKey: string;
  indexes: IndexDefinition[];
  /**
   * The TTL attribute (epoch seconds): DynamoDB deletes an item some time after it. Records that
   * expire carry it (per-phone SMS send limits, and whatever else is kept only for a while);
   * dynalite has no TTL, so locally they stay.
   */
  ttlAttribute: string;
}

export const MAIN_TABLE: TableDefinition = {
  id: 'OneWindowMain',
  envVar: 'TABLE_NAME',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'worklist',
      partitionKey: 'wlpk',
      sortKey: 'wlsk',
      purpose: 'what waits for a department or post, by due date',
    },
    {
      name: 'open-by-deadline',
      partitionKey: 'obdpk',
      sortKey: 'obdsk',
      purpose: 'sparse: only open cases and tasks, per department, by deadline (the supervision sweep)',
    },
    {
      name: 'by-month',
      partitionKey: 'bmpk',
      sortKey: 'bmsk',
      purpose: 'cases per department and month (the reports)',
    },
    {
      name: 'by-phone',
      partitionKey: 'phpk',
      sortKey: 'phsk',
      purpose: 'cases by a keyed hash of the phone number (SMS replies)',
    },
    {
      name: 'pending-effects',
      partitionKey: 'pepk',
      sortKey: 'pesk',
      purpose: 'sparse: items whose effects are not all carried out yet, by when to look again (the outbox job)',
    },
  ],
};

export const TABLES: readonly TableDefinition[] = [MAIN_TABLE];
