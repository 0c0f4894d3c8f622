/**
 * Intake (收件): a submission becomes a case. The completeness check runs at once and gives
 * a one-time notice (一次性告知) listing every missing material.
 */
import type { Actor, Agent, Applicant, CaseRecord, Channel, Delivery } from './case';
import type { ServiceItem } from './catalog';
import { checkCompleteness, unknownMaterials } from './catalog';
import { ValidationError } from './errors';

export interface SubmissionInput {
  itemCode: string;
  applicant: Applicant;
  /** The agent (经办人 / 代办人) handling the case, when one was given: the SMS go to their phone. */
  agent?: Agent;
  materials: string[];
  delivery: Delivery;
}

/** Refuses material codes the item does not ask for, naming each one. */
export function assertKnownMaterials(item: ServiceItem, codes: string[]): void {
  const unknown = new Set(unknownMaterials(item, codes));
  if (unknown.size === 0) return;
  throw new ValidationError(
    codes
      .map((code, i) => ({ code, i }))
      .filter(({ code }) => unknown.has(code))
      .map(({ code, i }) => ({
        field: `materials[${i}]`,
        message: `"${code}" is not a material of item ${item.code}; see GET /items/${item.code}`,
      })),
  );
}

export interface NewCaseArgs {
  caseNo: string;
  item: ServiceItem;
  input: SubmissionInput;
  channel: Channel;
  actor: Actor;
  at: string;
  /** Keyed hash of the phone that gets the SMS (smsPhone), shared/adapters/pii.ts caseHashes. */
  phoneHash: string;
  idHash: string;
  /** Keyed hash of the agent's document number, when there is an agent. */
  agentIdHash?: string;
  queryCodeSalt: string;
  post?: string;
  assignee?: string;
  /** Why the case went to its assignee when that is worth recording (A/B handover); goes in the first history note. */
  assignmentNote?: string;
  /** The 5th working day after receipt (art. 32), from the working-day clock. */
  preReviewDue?: string;
  /** The last day to supplement what is missing at receipt (shared/domain/deemed-withdrawal.ts). */
  supplementDue?: string;
}

export function newCase(a: NewCaseArgs): CaseRecord {
  const materials = [...new Set(a.input.materials)];
  const missing = checkCompleteness(a.item, materials);
  const status = missing.length > 0 ? 'supplement-required' : 'submitted';
  return {
    caseNo: a.caseNo,
    itemCode: a.item.code,
    itemName: a.item.name,
    department: a.item.department,
    kind: a.item.kind,
    channel: a.channel,
    delivery: a.input.delivery,
    applicant: a.input.applicant,
    ...(a.input.agent ? { agent: a.input.agent } : {}),
    phoneHash: a.phoneHash,
    idHash: a.idHash,
    ...(a.agentIdHash ? { agentIdHash: a.agentIdHash } : {}),
    queryCodeSalt: a.queryCodeSalt,
    status,
    version: 1,
    receivedAt: a.at,
    preReviewDue: a.preReviewDue,
    post: a.post,
    assignee: a.assignee,
    materials,
    notice: missing.length > 0 ? { issuedAt: a.at, missing, supplementDue: a.supplementDue } : undefined,
    pauses: missing.length > 0 ? [{ start: a.at, reason: 'supplement' }] : [],
    history: [
      {
        at: a.at,
        actor: a.actor.id,
        role: a.actor.role,
        action: a.channel === 'window' ? 'register' : 'submit',
        from: null,
        to: status,
        note:
          [missing.length > 0 ? `missing: ${missing.map((m) => m.code).join(', ')}` : undefined, a.assignmentNote]
            .filter(Boolean)
            .join('; ') || undefined,
      },
    ],
  };
}
