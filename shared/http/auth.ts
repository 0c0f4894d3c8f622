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
  /** The oldest token accepted, in seconds since it was issued (iat); 12 hours unless set. */
  maxAgeSeconds?: number;
}

/** The hall's own offices, besides the catalog's departments: supervision (监察) and the hall's administration. */
export const HALL_OFFICES = ['SUP', 'HALL'] as const;

/** How long a staff token is accepted after it was issued, unless configured. */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 12 * 3600;

/**
 * Verifies staff tokens: the signature, issuer and audience; `exp` and `iat` present and the
 * token no older than the maximum age; `dept` one of `departments` (the catalog's and the hall's
 * offices), so a token for a department that does not exist opens nothing.
 */
export function jwtVerifier(settings: JwtSettings, departments: readonly string[]): TokenVerifier {
  const known = new Set(departments);
  let keys: JWTVerifyGetKey;
  if (settings.jwks) keys = createLocalJWKSet(settings.jwks);
  else if (settings.jwksUrl) keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  else throw new Error('JWT verification needs JWT_JWKS_URL or JWT_JWKS');
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: settings.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS,
      }));
    } catch {
      throw new UnauthorizedError('the bearer token is invalid, expired, too old or lacks exp and iat');
    }
    const role = payload.role;
    const dept = payload.dept;
    if (typeof payload.sub !== 'string' || !STAFF_ROLES.includes(role as StaffRole) || typeof dept !== 'string') {
      throw new UnauthorizedError('the token must carry sub, role (window, reviewer, supervisor, admin) and dept');
    }
    if (!known.has(dept))
      throw new UnauthorizedError(`the token's department ${JSON.stringify(dept)} is not one of the hall's`);
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
