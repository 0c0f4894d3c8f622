/**
 * The cases of a phone number, found by its keyed hash on the by-phone index (phpk
 * PH#<hash>, phsk <receivedAt>#<caseNo>): one Query, never a Scan, and the number never in
 * clear in a key. Only what choosing the case an SMS reply is about needs is read.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus, Rating } from '../domain/case';
import { listPartitions } from './keys';

export interface PhoneCase {
  caseNo: string;
  status: CaseStatus;
  decidedAt?: string;
  rating?: Rating;
}

export async function casesOfPhone(deps: { db: DynamoDBDocumentClient; tableName: string }, phoneHash: string): Promise<PhoneCase[]> {
  const out: PhoneCase[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        IndexName: 'by-phone',
        KeyConditionExpression: 'phpk = :p',
        ExpressionAttributeValues: { ':p': listPartitions.phone(phoneHash) },
        ProjectionExpression: 'caseNo, #s, decidedAt, rating',
        ExpressionAttributeNames: { '#s': 'status' },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of page.Items ?? []) out.push(i as PhoneCase);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
