/**
 * The local signing key for staff tokens: an ES256 key pair kept in the data directory,
 * made on first use. The local runtime verifies tokens with its public half, exactly as
 * functions in AWS verify them against the identity provider's JWKS.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCAL_ISSUER = 'onewindow-local';
export const LOCAL_AUDIENCE = 'onewindow';

export interface LocalSecrets {
  privateJwk: JWK;
  publicJwk: JWK;
  piiHashKey: string;
}

export async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  mkdirSync(dataDir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const secrets: LocalSecrets = {
    privateJwk: { ...(await exportJWK(privateKey)), kid: 'local-1', alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid: 'local-1', alg: 'ES256', use: 'sig' },
    piiHashKey: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export interface StaffClaims {
  sub: string;
  role: string;
  dept: string;
}

export async function signStaffToken(secrets: LocalSecrets, claims: StaffClaims, ttl = '12h'): Promise<string> {
  const key = await importJWK(secrets.privateJwk, 'ES256');
  return new SignJWT({ role: claims.role, dept: claims.dept })
    .setProtectedHeader({ alg: 'ES256', kid: secrets.privateJwk.kid })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key);
}
