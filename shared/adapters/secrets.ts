/**
 * Secrets read once per cold start from AWS Secrets Manager: the PII hash key, the Alibaba
 * Cloud AccessKey, the key of the SMS callback URLs. The stack passes each function only the
 * ARNs of the secrets it may read (an ARN is not a secret), and grants GetSecretValue on those
 * alone, so nothing secret is in any function's environment or configuration.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config';

async function secretString(client: SecretsManagerClient, arn: string, what: string): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error(`the secret for ${what} has no string value`);
  return out.SecretString;
}

/** The configuration with every secret it names by ARN read in (in parallel); the ARNs stay, the values are filled. */
export async function withSecrets(config: Config, client: SecretsManagerClient): Promise<Config> {
  const out: Config = { ...config };
  const reads: Promise<void>[] = [];
  if (config.piiHashKeySecretArn) {
    reads.push(
      secretString(client, config.piiHashKeySecretArn, 'the PII hash key').then((v) => {
        out.piiHashKey = v;
      }),
    );
  }
  if (config.smsCallbackKeySecretArn) {
    reads.push(
      secretString(client, config.smsCallbackKeySecretArn, 'the SMS callback key').then((v) => {
        out.smsCallbackKey = v;
      }),
    );
  }
  const aliyun = config.aliyunSms;
  if (aliyun?.credentialsSecretArn) {
    reads.push(
      secretString(client, aliyun.credentialsSecretArn, 'the Alibaba Cloud AccessKey').then((v) => {
        let parsed: { accessKeyId?: unknown; accessKeySecret?: unknown };
        try {
          parsed = JSON.parse(v) as typeof parsed;
        } catch {
          throw new Error(
            'the Alibaba Cloud AccessKey secret must be JSON: {"accessKeyId": "...", "accessKeySecret": "..."}',
          );
        }
        if (typeof parsed.accessKeyId !== 'string' || typeof parsed.accessKeySecret !== 'string') {
          throw new Error('the Alibaba Cloud AccessKey secret must hold accessKeyId and accessKeySecret');
        }
        out.aliyunSms = { ...aliyun, accessKeyId: parsed.accessKeyId, accessKeySecret: parsed.accessKeySecret };
      }),
    );
  }
  await Promise.all(reads);
  return out;
}
