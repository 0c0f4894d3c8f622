/**
 * The apply form's model and how it becomes the body of POST /cases: a person with one of five
 * documents, or an organisation (统一社会信用代码, 法定代表人), and optionally an agent (经办人)
 * whose phone then gets the case's SMS. The checks are the API's own (lib/checks.ts).
 */
import type { FieldProblem, SubmitCaseRequest } from '../api/types';
import { PERSON_ID_TYPES, smsPhone, type PersonIdType } from '../../../shared/domain/identity';
import { documentProblem, mobileProblem, submissionProblems, usccProblem } from './checks';

export { PERSON_ID_TYPES };
export type { PersonIdType };

export interface ApplyForm {
  kind: 'person' | 'organisation';
  person: { name: string; idType: PersonIdType; idNumber: string; phone: string };
  organisation: { name: string; uscc: string; legalRepresentative: string; phone: string };
  withAgent: boolean;
  agent: { name: string; idType: PersonIdType; idNumber: string; phone: string };
  materials: string[];
  delivery: 'pickup' | 'post' | 'electronic';
}

export function emptyForm(): ApplyForm {
  return {
    kind: 'person',
    person: { name: '', idType: 'resident-id', idNumber: '', phone: '' },
    organisation: { name: '', uscc: '', legalRepresentative: '', phone: '' },
    withAgent: false,
    agent: { name: '', idType: 'resident-id', idNumber: '', phone: '' },
    materials: [],
    delivery: 'pickup',
  };
}

/** A draft saved before the ID types existed gets them (resident ID), so a reload keeps working. */
export function restoreForm(saved: Partial<ApplyForm> | null): ApplyForm {
  const empty = emptyForm();
  if (!saved) return empty;
  return {
    ...empty,
    ...saved,
    person: { ...empty.person, ...saved.person },
    organisation: { ...empty.organisation, ...saved.organisation },
    agent: { ...empty.agent, ...saved.agent },
  };
}

/** The phone the case's SMS go to: the agent's when there is one (the domain's smsPhone). */
export function applicantPhone(f: ApplyForm): string {
  const applicant = { phone: f.kind === 'person' ? f.person.phone : f.organisation.phone };
  return smsPhone(f.withAgent ? { applicant, agent: f.agent } : { applicant });
}

export function toSubmitBody(itemCode: string, f: ApplyForm): SubmitCaseRequest {
  const applicant: SubmitCaseRequest['applicant'] =
    f.kind === 'person'
      ? { name: f.person.name, idType: f.person.idType, idNumber: f.person.idNumber, phone: f.person.phone }
      : {
          name: f.organisation.name,
          idType: 'uscc',
          idNumber: f.organisation.uscc,
          legalRepresentative: f.organisation.legalRepresentative,
          phone: f.organisation.phone,
        };
  return {
    itemCode,
    applicant,
    ...(f.withAgent ? { agent: { ...f.agent } } : {}),
    materials: f.materials,
    delivery: f.delivery,
  };
}

/**
 * Every problem the pages can see before sending, keyed by the API's field names
 * ("applicant.idNumber", "agent.phone", …), so that the server's answers land on the same fields.
 */
export function formProblems(itemCode: string, f: ApplyForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (field: string, value: string, message: string) => {
    if (!value.trim()) problems.push({ field, message });
  };
  const check = (field: string, problem: string | undefined) => {
    if (problem) problems.push({ field, message: problem });
  };
  if (f.kind === 'organisation') {
    need('applicant.name', f.organisation.name, '请填写企业或组织名称');
    check('applicant.idNumber', usccProblem(f.organisation.uscc));
    need('applicant.legalRepresentative', f.organisation.legalRepresentative, '请填写法定代表人姓名');
    check('applicant.phone', mobileProblem(f.organisation.phone));
  } else {
    need('applicant.name', f.person.name, '请填写姓名');
    check('applicant.idNumber', documentProblem(f.person.idType, f.person.idNumber));
    check('applicant.phone', mobileProblem(f.person.phone));
  }
  if (f.withAgent) {
    need('agent.name', f.agent.name, '请填写经办人姓名');
    check('agent.idNumber', documentProblem(f.agent.idType, f.agent.idNumber));
    check('agent.phone', mobileProblem(f.agent.phone));
  }
  if (problems.length) return problems;
  // Then the API's own schema, for anything else it would refuse.
  return submissionProblems(toSubmitBody(itemCode, f));
}
