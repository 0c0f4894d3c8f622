/** The Chinese words the pages use for the API's codes. */
import departments from '../../../catalog/departments.json';
import type { CaseStatus, RatingLevel, ServiceItem } from '../api/types';

export const STATUS: Record<CaseStatus, string> = {
  submitted: '已收件，待预审',
  'supplement-required': '待补正材料',
  accepted: '已受理',
  'in-review': '审查中',
  approved: '已办结（准予）',
  denied: '不予许可',
  withdrawn: '已撤回',
};

export const STATUS_TAG: Record<CaseStatus, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  submitted: 'primary',
  'supplement-required': 'warning',
  accepted: 'primary',
  'in-review': 'primary',
  approved: 'success',
  denied: 'danger',
  withdrawn: 'info',
};

export const KIND: Record<ServiceItem['kind'], string> = {
  instant: '即办件',
  committed: '承诺件',
  joint: '联办件',
  staged: '分阶段办理',
};

export const FORM: Record<ServiceItem['materials'][number]['form'], string> = {
  original: '原件',
  copy: '复印件',
  'original-and-copy': '原件及复印件',
};

export const DELIVERY: Record<'pickup' | 'post' | 'electronic', string> = {
  pickup: '窗口领取',
  post: '邮政寄递',
  electronic: '电子送达',
};

export const RATING: Record<RatingLevel, string> = {
  'very-satisfied': '非常满意',
  satisfied: '满意',
  'fairly-satisfied': '基本满意',
  dissatisfied: '不满意',
  'very-dissatisfied': '非常不满意',
};

export const ROLE: Record<string, string> = {
  applicant: '申请人',
  window: '窗口人员',
  reviewer: '审查人员',
  supervisor: '电子监察',
  admin: '管理员',
  system: '系统',
};

export const ACTION: Record<string, string> = {
  receive: '收件',
  accept: '受理',
  return: '一次性告知（退回补正）',
  supplement: '补正材料',
  complete: '即办办结',
  decide: '作出决定',
  withdraw: '撤回申请',
  'deem-accepted': '逾期视为受理',
  'start-review': '开始并联审查',
  review: '部门审查意见',
  consolidate: '汇总各部门意见',
  'public-notice': '公示',
  rate: '评价',
  escalate: '督办',
  open: '开始',
  'recompute-deadlines': '按新日历重算时限',
};

export function limitText(l: { value: number; unit: 'working-days' | 'calendar-days' }): string {
  if (l.value === 0) return '当场办结';
  return `${l.value} 个${l.unit === 'working-days' ? '工作日' : '自然日'}`;
}

const DEPT = new Map<string, string>(departments.map((d) => [d.code, d.name]));
export function departmentName(code: string): string {
  return DEPT.get(code) ?? code;
}
export const DEPARTMENTS = departments.map((d) => ({ code: d.code, name: d.name }));

/** "2026-09-28T09:00:00+08:00" → "2026-09-28 09:00" (the API's instants are China time). */
export function timeText(iso: string | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').slice(0, 16);
}

/** Today's China date, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Days from a to b (China dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The window posts of a department (A and B persons), from the catalog. */
export function postsOf(code: string): { code: string; name: string; a: string; b: string }[] {
  return departments.find((d) => d.code === code)?.posts ?? [];
}
/** Every window post of the hall, for a hand-over. */
export const ALL_POSTS = departments.flatMap((d) => d.posts.map((p) => ({ ...p, department: d.code })));

export const INQUIRY_OUTCOME: Record<'answered' | 'handed-over' | 'pending', string> = {
  answered: '已当场答复',
  'handed-over': '已转交其他窗口',
  pending: '待答复',
};

export const FOLLOW_UP_STATE: Record<string, string> = {
  open: '待核实',
  verified: '已核实',
  'fix-scheduled': '限期整改中',
  fixed: '已整改',
  explained: '已解释说明',
  closed: '已办结',
  appealed: '申诉复核中',
  voided: '申诉成立（评价作废）',
};

export const FOLLOW_UP_ACTION: Record<string, string> = {
  verify: '回访核实',
  fix: '立即整改',
  'schedule-fix': '限期整改',
  explain: '解释说明',
  close: '办结回访',
  appeal: '申诉（恶意差评）',
  'rule-appeal': '复核申诉',
  'rate-fix': '申请人评价整改',
};

export const COMPLAINT_STATE: Record<string, string> = {
  received: '已收到',
  handling: '自办中',
  transferred: '已转办',
  supervised: '督办中',
  answered: '已答复',
};

export const COMPLAINT_ACTION: Record<string, string> = {
  handle: '自办',
  transfer: '转办',
  supervise: '督办',
  answer: '答复（短信告知投诉人）',
};

export const CHANNEL: Record<string, string> = { online: '网上', phone: '电话', mailbox: '信箱' };
