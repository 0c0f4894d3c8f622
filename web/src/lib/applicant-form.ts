/**
 * The apply form's model and how it becomes the body of POST /cases. Persons are what the API
 * takes today; organisations (统一社会信用代码) and agents (经办人) are checked here already and
 * sent in the shape issue 10 gives the applicant (`idType: "uscc"`, `legalRepresentative`,
 * `agent`), once the API's schema takes them (ACCEPTS_ORGANISATIONS, ACCEPTS_AGENTS).
 */
import type { FieldProblem, SubmitCaseRequest } from '../api/types';
import {
  ACCEPTS_AGENTS,
  ACCEPTS_ORGANISATIONS,
  idNumberProblem,
  mobileProblem,
  submissionProblems,
  usccProblem,
} from './checks';

export interface ApplyForm {
  kind: 'person' | 'organisation';
  person: { name: string; idNumber: string; phone: string };
  organisation: { name: string; uscc: string; legalRepresentative: string; phone: string };
  withAgent: boolean;
  agent: { name: string; idNumber: string; phone: string };
  materials: string[];
  delivery: 'pickup' | 'post' | 'electronic';
}

export function emptyForm(): ApplyForm {
  return {
    kind: 'person',
    person: { name: '', idNumber: '', phone: '' },
    organisation: { name: '', uscc: '', legalRepresentative: '', phone: '' },
    withAgent: false,
    agent: { name: '', idNumber: '', phone: '' },
    materials: [],
    delivery: 'pickup',
  };
}

/** The phone the case's SMS and credential go with: the applicant's. */
export function applicantPhone(f: ApplyForm): string {
  return f.kind === 'person' ? f.person.phone : f.organisation.phone;
}

export function toSubmitBody(itemCode: string, f: ApplyForm): SubmitCaseRequest {
  const applicant =
    f.kind === 'person'
      ? { name: f.person.name, idType: 'resident-id' as const, idNumber: f.person.idNumber, phone: f.person.phone }
      : {
          name: f.organisation.name,
          idType: 'uscc',
          idNumber: f.organisation.uscc.trim().toUpperCase(),
          legalRepresentative: f.organisation.legalRepresentative,
          phone: f.organisation.phone,
        };
  const body: Record<string, unknown> = { itemCode, applicant, materials: f.materials, delivery: f.delivery };
  if (f.withAgent) body.agent = { ...f.agent, idType: 'resident-id' };
  return body as SubmitCaseRequest;
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
  if (f.kind === 'organisation') {
    if (!ACCEPTS_ORGANISATIONS)
      problems.push({
        field: 'applicant.idType',
        message: '网上申报暂只受理个人申请人：企业或组织请携带材料到窗口办理',
      });
    need('applicant.name', f.organisation.name, '请填写企业或组织名称');
    const uscc = usccProblem(f.organisation.uscc);
    if (uscc) problems.push({ field: 'applicant.idNumber', message: uscc });
    need('applicant.legalRepresentative', f.organisation.legalRepresentative, '请填写法定代表人');
    const phone = mobileProblem(f.organisation.phone);
    if (phone) problems.push({ field: 'applicant.phone', message: phone });
  } else {
    need('applicant.name', f.person.name, '请填写姓名');
    const id = idNumberProblem(f.person.idNumber);
    if (id) problems.push({ field: 'applicant.idNumber', message: id });
    const phone = mobileProblem(f.person.phone);
    if (phone) problems.push({ field: 'applicant.phone', message: phone });
  }
  if (f.withAgent) {
    if (!ACCEPTS_AGENTS) problems.push({ field: 'agent', message: '网上申报暂不支持经办人代办：请到窗口办理代办' });
    need('agent.name', f.agent.name, '请填写经办人姓名');
    const id = idNumberProblem(f.agent.idNumber);
    if (id) problems.push({ field: 'agent.idNumber', message: id });
    const phone = mobileProblem(f.agent.phone);
    if (phone) problems.push({ field: 'agent.phone', message: phone });
  }
  if (problems.length) return problems;
  // Then the API's own schema, for anything else it would refuse.
  return submissionProblems(toSubmitBody(itemCode, f));
}
