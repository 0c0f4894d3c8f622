/** Keyed hashes (HMAC-SHA256) of personal numbers: they can be matched without being stored as keys in clear. */
import { createHmac } from 'node:crypto';
import { idHashInput, smsPhone, type Agent, type Applicant } from '../domain/identity';

export interface PiiHasher {
  hash(value: string): string;
}

export function hmacHasher(secret: string): PiiHasher {
  if (!secret || secret.length < 16) throw new Error('the PII hash key must be at least 16 characters');
  return { hash: (value) => createHmac('sha256', secret).update(value).digest('base64url') };
}

/**
 * The keyed hashes a new case carries, for every kind of applicant: `phoneHash` of the phone that
 * gets its SMS (smsPhone: the agent's when there is one), the key of the by-phone index that SMS
 * replies and one-time codes are matched by; `idHash` of the applicant's document (type-prefixed
 * for every type but the resident ID, idHashInput), and `agentIdHash` of the agent's.
 */
export function caseHashes(
  hasher: PiiHasher,
  party: { applicant: Applicant; agent?: Agent },
): { phoneHash: string; idHash: string; agentIdHash?: string } {
  return {
    phoneHash: hasher.hash(smsPhone(party)),
    idHash: hasher.hash(idHashInput(party.applicant.idType, party.applicant.idNumber)),
    ...(party.agent ? { agentIdHash: hasher.hash(idHashInput(party.agent.idType, party.agent.idNumber)) } : {}),
  };
}
