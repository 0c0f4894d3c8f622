import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { STAFF_ROLES, type Actor, type StaffRole } from '../domain/case';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import type { Access } from './types';

/** Verifies a bearer token and returns who it names. A port: JWKS in AWS, the local key locally. */
export type TokenVerifier = (token: string) => Promise<Actor>;

export interface JwtSettings {
  issuer: string;
  audience: string;
  /** Either a JWKS URL (AWS: the identity provider's) or a public JWK set (local runtime). */
  jwksUrl?: string;
  jwks?: { keys: JWK[] };
}

export function jwtVerifier(settings: JwtSettings): TokenVerifier {
  let keys: JWTVerifyGetKey;
  if (settings.jwks) keys = createLocalJWKSet(settings.jwks);
  else if (settings.jwksUrl) keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  else throw new Error('JWT verification needs JWT_JWKS_URL or JWT_JWKS');
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience }));
    } catch {
      throw new UnauthorizedError('the bearer token is invalid or expired');
    }
    const role = payload.role;
    const dept = payload.dept;
    if (typeof payload.sub !== 'string' || !STAFF_ROLES.includes(role as StaffRole) || typeof dept !== 'string') {
      throw new UnauthorizedError('the token must carry sub, role (window, reviewer, supervisor, admin) and dept');
    }
    return { id: payload.sub, role: role as StaffRole, department: dept };
  };
}

/** Reads "Authorization: Bearer <token>" (header names already lower-cased). */
export function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const value = headers.authorization;
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** Applies a route's access rule to the caller; returns the staff actor when there is one. */
export async function authorize(
  access: Access,
  token: string | undefined,
  verify: TokenVerifier,
): Promise<Actor | undefined> {
  if (access === 'public') return undefined;
  if (!token) {
    if (access === 'optional-staff') return undefined;
    throw new UnauthorizedError();
  }
  const actor = await verify(token);
  if (access !== 'optional-staff' && !access.includes(actor.role as StaffRole)) {
    throw new ForbiddenError(`this action needs the role ${access.join(' or ')}; the token has ${actor.role}`);
  }
  return actor;
}
