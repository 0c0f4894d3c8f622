/**
 * The cases of a phone number, found by its keyed hash on the by-phone index (phpk
 * PH#<hash>, phsk <receivedAt>#<caseNo>): one Query, never a Scan, and the number never in
 * clear in a key. Only what choosing the case an SMS reply is about needs is read.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import type { CaseStatus, Rating } from '../domain/case';
import { listPartitions } from './keys';

export interface PhoneCase {
  caseNo: string;
  status: CaseStatus;
  decidedAt?: string;
  rating?: Rating;
}

export async function casesOfPhone(
  deps: { db: DynamoDBDocumentClient; tableName: string },
  phoneHash: string,
): Promise<PhoneCase[]> {
  const items = await queryAll(deps.db, {
    TableName: deps.tableName,
    IndexName: 'by-phone',
    KeyConditionExpression: 'phpk = :p',
    ExpressionAttributeValues: { ':p': listPartitions.phone(phoneHash) },
    ProjectionExpression: 'caseNo, #s, decidedAt, rating',
    ExpressionAttributeNames: { '#s': 'status' },
    ScanIndexForward: false,
  });
  return items as unknown as PhoneCase[];
}
