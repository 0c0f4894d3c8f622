/** The first-inquiry log (首问负责): staff record an inquiry; staff list their department's month, contacts masked. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/case';
import type { Catalog } from '../domain/catalog';
import { chinaMonth, toChinaIso } from '../domain/china-time';
import { countOutcomes, inquiryListView, newInquiry, type Inquiry, type InquiryInput } from '../domain/inquiry';
import type { Clock } from '../adapters/ports';
import type { InquiryRepository } from '../store/inquiry-repository';

export interface InquiryDeps {
  catalog: Catalog;
  inquiries: InquiryRepository;
  clock: Clock;
}

export async function recordInquiry(input: InquiryInput, actor: Actor, deps: InquiryDeps): Promise<Inquiry> {
  const inquiry = newInquiry(input, {
    id: randomUUID(),
    at: toChinaIso(deps.clock.now()),
    actor,
    catalog: deps.catalog,
  });
  await deps.inquiries.record(inquiry);
  return inquiry;
}

export async function listInquiries(actor: Actor, month: string | undefined, deps: InquiryDeps) {
  const m = month ?? chinaMonth(deps.clock.now());
  const list = await deps.inquiries.month(actor.department ?? '', m);
  return {
    department: actor.department,
    month: m,
    total: list.length,
    outcomes: countOutcomes(list),
    inquiries: list.map(inquiryListView),
  };
}
