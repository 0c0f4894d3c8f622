/** The DynamoDB document client, configured once from the wiring code. */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** True when a conditional write failed because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}
