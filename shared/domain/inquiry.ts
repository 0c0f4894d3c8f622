/**
 * First-inquiry responsibility (首问负责制): the first staff member asked owns an inquiry until
 * it is answered or handed to the right window, and every inquiry is logged with the date, the
 * staff member, the matter, the contact, the outcome and the window it was handed to.
 * Pure: the catalog, the instant and the id are arguments.
 */
import type { Actor } from './case';
import type { Catalog } from './catalog';
import { chinaDate } from './china-time';
import { ValidationError, type FieldProblem } from './errors';
import { maskFreeText, maskName, maskPhone, normalizeMobile } from './identity';

export const INQUIRY_OUTCOMES = ['answered', 'handed-over', 'pending'] as const;
export type InquiryOutcome = (typeof INQUIRY_OUTCOMES)[number];

export interface InquiryInput {
  matter: string;
  contact: { name?: string; phone?: string };
  outcome: InquiryOutcome;
  /** The window post it was handed to; required when the outcome is handed-over. */
  handedTo?: string;
  note?: string;
}

export interface Inquiry {
  id: string;
  /** The instant it was logged (ISO, +08:00) and its China date. */
  at: string;
  date: string;
  staff: string;
  department: string;
  matter: string;
  contact: { name?: string; phone?: string };
  outcome: InquiryOutcome;
  handedTo?: string;
  handedToDepartment?: string;
  note?: string;
}

/**
 * An inquiry to log, or a ValidationError naming each bad field: a hand-over names the post it
 * went to (a post of the catalog), and only a hand-over does; a phone is a mainland mobile.
 */
export function newInquiry(
  input: InquiryInput,
  args: { id: string; at: string; actor: Actor; catalog: Catalog },
): Inquiry {
  const problems: FieldProblem[] = [];
  let handedToDepartment: string | undefined;
  if (input.outcome === 'handed-over') {
    if (!input.handedTo) {
      problems.push({
        field: 'handedTo',
        message: 'is required when the outcome is handed-over: name the window post it was handed to, e.g. ENV-02',
      });
    } else {
      handedToDepartment = args.catalog.post(input.handedTo)?.department.code;
      if (!handedToDepartment)
        problems.push({ field: 'handedTo', message: `no window post has the code "${input.handedTo}"` });
    }
  } else if (input.handedTo !== undefined) {
    problems.push({
      field: 'handedTo',
      message: `is only for the outcome handed-over; this inquiry is ${input.outcome}`,
    });
  }
  let phone: string | undefined;
  if (input.contact.phone !== undefined) {
    phone = normalizeMobile(input.contact.phone);
    if (!phone)
      problems.push({ field: 'contact.phone', message: 'must be a mainland mobile number, e.g. 13800001234' });
  }
  if (problems.length) throw new ValidationError(problems);

  const name = input.contact.name?.trim();
  return {
    id: args.id,
    at: args.at,
    date: chinaDate(args.at),
    staff: args.actor.id,
    department: args.actor.department ?? '',
    matter: input.matter.trim(),
    contact: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) },
    outcome: input.outcome,
    ...(input.handedTo && handedToDepartment ? { handedTo: input.handedTo, handedToDepartment } : {}),
    ...(input.note?.trim() ? { note: input.note.trim() } : {}),
  };
}

/** An inquiry as a listing shows it: the contact masked, and phone and ID numbers in its matter and note. */
export function inquiryListView(i: Inquiry): Inquiry {
  return {
    ...i,
    matter: maskFreeText(i.matter),
    ...(i.note !== undefined ? { note: maskFreeText(i.note) } : {}),
    contact: {
      ...(i.contact.name ? { name: maskName(i.contact.name) } : {}),
      ...(i.contact.phone ? { phone: maskPhone(i.contact.phone) } : {}),
    },
  };
}

/** How many inquiries ended in each outcome: the consultations (咨询) figure of the reports. */
export function countOutcomes(list: readonly Inquiry[]): Record<InquiryOutcome, number> {
  const out = { answered: 0, 'handed-over': 0, pending: 0 };
  for (const i of list) out[i.outcome]++;
  return out;
}
