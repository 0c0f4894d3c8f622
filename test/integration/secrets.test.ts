/**
 * Secrets read at cold start: the real Secrets Manager client against a local HTTP endpoint
 * on 127.0.0.1 that answers GetSecretValue (AWS JSON 1.1) from a fixed set of secrets and
 * records what was asked; and the wiring of a function given no PII hash key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { withSecrets } from '../../shared/adapters/secrets';
import { readConfig } from '../../shared/config';
import { awsDeps } from '../../shared/wiring';
import cdkJson from '../../cdk.json';

const ARN = (name: string) => `arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:${name}-AbCdEf`;
const SECRETS: Record<string, string> = {
  [ARN('PiiHashKey')]: 'pii-hash-key-read-from-secrets-manager-0123',
  [ARN('SmsCallbackKey')]: 'callback-key-read-from-secrets-manager-4567',
  [ARN('AliyunSmsCredentials')]: JSON.stringify({ accessKeyId: 'LTAI5tRead', accessKeySecret: 'read-secret' }),
  [ARN('NotJson')]: 'accessKeyId=LTAI',
};

const BASE_ENV = {
  TABLE_NAME: 'onewindow-main',
  JWT_ISSUER: 'https://idp.example.gov.cn/realms/hall',
  JWT_AUDIENCE: 'onewindow',
  JWT_JWKS_URL: 'https://idp.example.gov.cn/certs',
  AWS_REGION: 'cn-north-1',
};

describe('secrets read once at cold start from Secrets Manager', () => {
  let server: Server;
  let client: SecretsManagerClient;
  const asked: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        asked.push(`${String(req.headers['x-amz-target'])} ${SecretId}`);
        const value = SECRETS[SecretId];
        res.writeHead(value ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify(
            value
              ? { ARN: SecretId, Name: SecretId.split(':').pop(), SecretString: value, VersionId: 'v1' }
              : { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SecretsManagerClient({
      region: 'cn-north-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });
  beforeEach(() => (asked.length = 0));

  it('fills the PII hash key, the callback key and the Alibaba Cloud AccessKey from the ARNs the function was given', async () => {
    // Arrange
    const config = readConfig({
      ...BASE_ENV,
      PII_HASH_KEY_SECRET_ARN: ARN('PiiHashKey'),
      SMS_CALLBACK_KEY_SECRET_ARN: ARN('SmsCallbackKey'),
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_SIGN_NAME: '示例市政务服务中心',
      ALIYUN_SMS_TEMPLATES: JSON.stringify(cdkJson.context.aliyunSms.templates),
      ALIYUN_SMS_CREDENTIALS_SECRET_ARN: ARN('AliyunSmsCredentials'),
    });
    // Act
    const filled = await withSecrets(config, client);
    // Assert
    expect(config.piiHashKey).toBeUndefined();
    expect(filled.piiHashKey).toBe(SECRETS[ARN('PiiHashKey')]);
    expect(filled.smsCallbackKey).toBe(SECRETS[ARN('SmsCallbackKey')]);
    expect(filled.aliyunSms).toEqual(
      expect.objectContaining({ accessKeyId: 'LTAI5tRead', accessKeySecret: 'read-secret' }),
    );
    expect(asked.sort()).toEqual(
      [ARN('AliyunSmsCredentials'), ARN('PiiHashKey'), ARN('SmsCallbackKey')].map(
        (arn) => `secretsmanager.GetSecretValue ${arn}`,
      ),
    );
  });

  it('asks for nothing when the function was given no secret', async () => {
    // Act
    const filled = await withSecrets(readConfig(BASE_ENV), client);
    // Assert
    expect(asked).toEqual([]);
    expect(filled.piiHashKey).toBeUndefined();
  });

  it('fails with a message naming the secret when the AccessKey secret is not the JSON it must be', async () => {
    // Arrange
    const config = readConfig({
      ...BASE_ENV,
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_SIGN_NAME: '示例市政务服务中心',
      ALIYUN_SMS_TEMPLATES: JSON.stringify(cdkJson.context.aliyunSms.templates),
      ALIYUN_SMS_CREDENTIALS_SECRET_ARN: ARN('NotJson'),
    });
    // Act
    const filling = withSecrets(config, client);
    // Assert
    await expect(filling).rejects.toThrow(/Alibaba Cloud AccessKey secret must be JSON/);
  });

  it("stops a function given an ARN it may not read, with the service's error", async () => {
    // Arrange
    const config = readConfig({ ...BASE_ENV, PII_HASH_KEY_SECRET_ARN: ARN('Missing') });
    // Act
    const filling = withSecrets(config, client);
    // Assert
    await expect(filling).rejects.toThrow(/can't find the specified secret/);
  });
});

describe('a function given no PII hash key', () => {
  it('starts, and says so if it ever tries to hash', async () => {
    // Act
    const deps = await awsDeps('catalog', { ...BASE_ENV, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    // Assert
    expect(() => deps.hasher.hash('13800001234')).toThrow(/the catalog function is not given pii:hash/);
    deps.db.destroy();
  });

  it('refuses an SMS provider configuration that names no AccessKey, naming what is missing', () => {
    expect(() =>
      readConfig({
        ...BASE_ENV,
        SMS_PROVIDER: 'aliyun',
        ALIYUN_SMS_SIGN_NAME: '示例市政务服务中心',
        ALIYUN_SMS_TEMPLATES: '{"completion":{"code":"SMS_1","text":"办件${caseNo}已办结"}}',
      }),
    ).toThrow(/ALIYUN_SMS_TEMPLATES: clarification: no template.*ALIYUN_SMS_CREDENTIALS_SECRET_ARN/);
  });
});
