/** Keyed hashes (HMAC-SHA256) of personal numbers: they can be matched without being stored as keys in clear. */
import { createHmac } from 'node:crypto';

export interface PiiHasher {
  hash(value: string): string;
}

export function hmacHasher(secret: string): PiiHasher {
  if (!secret || secret.length < 16) throw new Error('the PII hash key must be at least 16 characters');
  return { hash: (value) => createHmac('sha256', secret).update(value).digest('base64url') };
}
