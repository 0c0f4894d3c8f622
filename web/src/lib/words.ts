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
