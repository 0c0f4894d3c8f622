/**
 * The service catalog (事项目录 / 办事指南): departments with their A/B window posts, and the
 * service items with their materials, limits, fees, legal basis and review stages.
 *
 * The catalog is data (catalog/*.json). The zod schemas below validate it, and describe it in
 * the OpenAPI document; `Catalog.fromData` adds the checks that span items and departments.
 * Pure: no I/O, no process.env.
 */
import * as z from 'zod';
import type { MaterialRef } from './case';

/** Department code: short upper-case ASCII, e.g. ENV, MKT, HOUSING. Also the first part of a case number. */
export const DEPARTMENT_CODE_RE = /^[A-Z][A-Z0-9]{1,11}$/;
/** Service item code, e.g. ENV-EIA-REPORT. */
export const ITEM_CODE_RE = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;
/** Material code, unique within its item, e.g. BUSINESS-LICENCE. */
export const MATERIAL_CODE_RE = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
/** Window post code: the department code, a hyphen and two digits, e.g. ENV-01. */
export const POST_CODE_RE = /^[A-Z][A-Z0-9]{1,11}-\d{2}$/;

export const ITEM_KINDS = ['instant', 'committed', 'joint', 'staged'] as const;
export const LIMIT_UNITS = ['working-days', 'calendar-days'] as const;
export const MATERIAL_FORMS = ['original', 'copy', 'original-and-copy'] as const;

const DepartmentCode = z
  .string()
  .regex(DEPARTMENT_CODE_RE, 'must be a department code: 2 to 12 upper-case letters or digits, e.g. ENV')
  .describe('department code, e.g. ENV');

// ---------------------------------------------------------------- departments

export const PostSchema = z
  .strictObject({
    code: z
      .string()
      .regex(POST_CODE_RE, 'must be the department code, a hyphen and two digits, e.g. ENV-01')
      .describe('window post code, e.g. ENV-01'),
    name: z.string().min(1).describe('name of the window post in Chinese, e.g. 环保审批窗口'),
    a: z.string().min(1).describe('staff id of the A person (A岗), who normally handles the post'),
    b: z.string().min(1).describe('staff id of the B person (B岗), who handles the post when A is away'),
  })
  .superRefine((post, ctx) => {
    if (post.a === post.b)
      ctx.addIssue({ code: 'custom', path: ['b'], message: 'the B person must not be the A person' });
  })
  .describe('a window post with its A and B staff (AB岗)');

export const DepartmentSchema = z
  .strictObject({
    code: DepartmentCode,
    name: z.string().min(1).describe('name of the department in Chinese, e.g. 生态环境局'),
    nameEn: z.string().min(1).describe('name of the department in English'),
    posts: z
      .array(PostSchema)
      .min(1, 'a department has at least one window post')
      .describe('the window posts of the department in the hall'),
  })
  .superRefine((d, ctx) => {
    d.posts.forEach((p, i) => {
      if (!p.code.startsWith(`${d.code}-`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['posts', i, 'code'],
          message: `a post of ${d.code} must have a code starting "${d.code}-"`,
        });
      }
    });
  })
  .describe('a department of the hall (进驻部门) and its window posts');

// ---------------------------------------------------------------- items

export const LimitSchema = z
  .strictObject({
    value: z.number().int().min(0).describe('number of days; 0 for an instant item: completed the same day'),
    unit: z.enum(LIMIT_UNITS).describe('working-days (工作日: no weekends or official holidays) or calendar-days (日)'),
  })
  .describe('a time limit');

export const MaterialSchema = z
  .strictObject({
    code: z
      .string()
      .regex(MATERIAL_CODE_RE, 'must be upper-case letters, digits and hyphens, e.g. BUSINESS-LICENCE')
      .describe('material code, unique within the item; applicants list these codes'),
    name: z.string().min(1).describe('name of the material in Chinese, as in the service guide'),
    form: z
      .enum(MATERIAL_FORMS)
      .describe(
        'original (原件), copy (复印件), or original-and-copy (原件及复印件: the original is checked and returned)',
      ),
    count: z.number().int().min(1).describe('how many (份)'),
    condition: z
      .string()
      .min(1)
      .optional()
      .describe(
        'when present, the material is required only in this situation; window staff judge it at pre-review, so the completeness check does not demand it',
      ),
  })
  .describe('a required material (申报材料)');

export const ReviewStageSchema = z
  .strictObject({
    kind: z.literal('review').describe('a review stage'),
    departments: z
      .array(DepartmentCode)
      .min(1)
      .describe('the departments that review in this stage, in parallel (并联)'),
  })
  .describe('departments review the case, in parallel within the stage');

export const PublicNoticeStageSchema = z
  .strictObject({
    kind: z.literal('public-notice').describe('a public notice stage'),
    days: z.number().int().min(1).describe('length of the notice period'),
    unit: z.enum(LIMIT_UNITS).describe('unit of the notice period'),
    department: DepartmentCode.describe('the department that posts the notice'),
  })
  .describe('a public notice period (公示); it does not count against the committed limit');

export const InspectionStageSchema = z
  .strictObject({
    kind: z.literal('inspection').describe('a site inspection stage'),
    department: DepartmentCode.describe('the department that inspects the site'),
  })
  .describe('a site inspection (实地勘察)');

export const StageSchema = z
  .discriminatedUnion('kind', [ReviewStageSchema, PublicNoticeStageSchema, InspectionStageSchema])
  .describe('one stage of the review; stages run in order');

export const FeeSchema = z
  .strictObject({
    amount: z.number().min(0).describe('fee in yuan (元); 0 when nothing is charged'),
    basis: z.string().min(1).describe('the basis of the fee (收费依据), or 不收费'),
  })
  .describe('fee and its basis (收费标准)');

export const ItemDepartmentsSchema = z
  .strictObject({
    lead: DepartmentCode.describe('the lead department (主办单位): its decision closes the case'),
    co: z.array(DepartmentCode).describe('the co-departments (协办单位); empty for a single-department item'),
  })
  .describe('the departments that handle the item');

/**
 * Working days to supplement after a notice when the item does not set its own: the seeds and
 * the law name no period, so the catalog's usual committed limit (15 working days) is used.
 */
export const DEFAULT_SUPPLEMENT_WORKING_DAYS = 15;

export const ServiceItemSchema = z
  .strictObject({
    code: z
      .string()
      .regex(ITEM_CODE_RE, 'must be upper-case words joined by hyphens, e.g. ENV-EIA-REPORT')
      .describe('item code, e.g. ENV-EIA-REPORT'),
    name: z.string().min(1).describe('name of the item in Chinese'),
    nameEn: z.string().min(1).describe('name of the item in English'),
    department: DepartmentCode.describe('the responsible (lead) department; its window receives the case'),
    kind: z
      .enum(ITEM_KINDS)
      .describe(
        'instant (即办件: same day), committed (承诺件: one department), joint (联办件: several in parallel), staged (stages in order)',
      ),
    statutoryLimit: LimitSchema.describe('the statutory limit (法定时限)'),
    committedLimit: LimitSchema.describe(
      'the committed limit (承诺时限), counted from acceptance; 0 for an instant item',
    ),
    materials: z.array(MaterialSchema).min(1).describe('every required material (申报材料), in the order of the guide'),
    fee: FeeSchema,
    legalBasis: z.string().min(1).describe('the legal basis (法定依据)'),
    departments: ItemDepartmentsSchema,
    stages: z.array(StageSchema).min(1).describe('the stages of the review, in order'),
    timeoutDefault: z
      .boolean()
      .describe('whether a department that has not answered by its deadline is taken to agree (超时默认)'),
    greenChannel: z.boolean().describe('whether the item is a green-channel item for key projects (绿色通道)'),
    supplementWorkingDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .optional()
      .describe(
        `working days the applicant has to supplement after a notice (一次性告知), from the day it is given; past them the case is deemed withdrawn (视为撤回); default ${DEFAULT_SUPPLEMENT_WORKING_DAYS}`,
      ),
    notes: z
      .string()
      .min(1)
      .optional()
      .describe('where the figures come from, and what else a reader of the guide should know'),
  })
  .superRefine(checkItemShape)
  .describe('a service item (事项) and its guide (办事指南)');

/** The item's period to supplement, in working days (its own, or the default). */
export function supplementWorkingDays(item: Pick<ServiceItem, 'supplementWorkingDays'>): number {
  return item.supplementWorkingDays ?? DEFAULT_SUPPLEMENT_WORKING_DAYS;
}

export type ItemKind = (typeof ITEM_KINDS)[number];
export type LimitUnit = (typeof LIMIT_UNITS)[number];
export type MaterialForm = (typeof MATERIAL_FORMS)[number];
export type Post = z.infer<typeof PostSchema>;
export type Department = z.infer<typeof DepartmentSchema>;
export type Limit = z.infer<typeof LimitSchema>;
export type Material = z.infer<typeof MaterialSchema>;
export type ReviewStage = z.infer<typeof ReviewStageSchema>;
export type PublicNoticeStage = z.infer<typeof PublicNoticeStageSchema>;
export type InspectionStage = z.infer<typeof InspectionStageSchema>;
export type Stage = z.infer<typeof StageSchema>;
export type Fee = z.infer<typeof FeeSchema>;
export type ServiceItem = z.infer<typeof ServiceItemSchema>;

/** The departments named by a stage. */
export function stageDepartments(stage: Stage): string[] {
  return stage.kind === 'review' ? stage.departments : [stage.department];
}

interface ItemShape {
  department: string;
  kind: ItemKind;
  statutoryLimit: Limit;
  committedLimit: Limit;
  materials: { code: string }[];
  departments: { lead: string; co: string[] };
  stages: Stage[];
}

/** Rules inside one item: its kind, its limits, its departments and stages agree. */
function checkItemShape(item: ItemShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => {
    ctx.addIssue({ code: 'custom', path, message });
  };

  const seen = new Set<string>();
  item.materials.forEach((m, i) => {
    if (seen.has(m.code))
      issue(['materials', i, 'code'], `material code ${m.code} appears twice; codes are unique within an item`);
    seen.add(m.code);
  });

  const { lead, co } = item.departments;
  if (item.department !== lead)
    issue(['departments', 'lead'], `the lead department must be the item's department ${item.department}, not ${lead}`);
  if (co.includes(lead)) issue(['departments', 'co'], `the lead department ${lead} is not also a co-department`);
  if (new Set(co).size !== co.length) issue(['departments', 'co'], 'a co-department is listed twice');

  const involved = new Set([lead, ...co]);
  const inStages = new Set<string>();
  item.stages.forEach((s, i) => {
    if (s.kind === 'review' && new Set(s.departments).size !== s.departments.length) {
      issue(['stages', i, 'departments'], 'a department is listed twice in one stage');
    }
    stageDepartments(s).forEach((d) => {
      inStages.add(d);
      if (!involved.has(d))
        issue(['stages', i], `department ${d} takes part in a stage but is neither the lead nor a co-department`);
    });
  });
  involved.forEach((d) => {
    if (!inStages.has(d)) issue(['stages'], `department ${d} is named in departments but takes part in no stage`);
  });

  const single = item.kind === 'instant' || item.kind === 'committed';
  if (single) {
    if (co.length > 0)
      issue(['departments', 'co'], `an ${item.kind} item is handled by one department; co must be empty`);
    const only = item.stages[0];
    if (
      item.stages.length !== 1 ||
      only.kind !== 'review' ||
      only.departments.length !== 1 ||
      only.departments[0] !== lead
    ) {
      issue(['stages'], `an ${item.kind} item has exactly one review stage, by its department ${lead}`);
    }
  }
  if (item.kind === 'joint' && co.length < 1)
    issue(['departments', 'co'], 'a joint item has at least two departments: name its co-departments');
  if (item.kind === 'staged' && item.stages.length < 2) issue(['stages'], 'a staged item has at least two stages');
  if (!item.stages.some((s) => s.kind === 'review')) issue(['stages'], 'an item has at least one review stage');

  const committed = item.committedLimit;
  const statutory = item.statutoryLimit;
  if (item.kind === 'instant' && committed.value !== 0)
    issue(['committedLimit', 'value'], 'an instant item is completed the same day: its committed limit is 0');
  if (item.kind !== 'instant' && committed.value === 0)
    issue(['committedLimit', 'value'], 'only an instant item has a committed limit of 0');
  if (statutory.value === 0) issue(['statutoryLimit', 'value'], 'the statutory limit is at least 1 day');
  // n working days never take fewer than n calendar days, so these comparisons are safe.
  const comparable = committed.unit === statutory.unit || committed.unit === 'working-days';
  if (comparable && committed.value > statutory.value) {
    issue(
      ['committedLimit', 'value'],
      `the committed limit (${committed.value}) is longer than the statutory limit (${statutory.value})`,
    );
  }
}

// ---------------------------------------------------------------- the catalog

/** Catalog data that does not hold together. The message names the item (or department) and the field. */
export class CatalogError extends Error {
  constructor(
    readonly entry: string,
    readonly field: string,
    detail: string,
  ) {
    super(`catalog ${entry}, field ${field}: ${detail}`);
    this.name = 'CatalogError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
      '',
    ) || '(whole entry)'
  );
}

function labelOf(raw: unknown, i: number, what: string): string {
  const code = raw && typeof raw === 'object' ? (raw as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code ? `${what} ${code}` : `${what} #${i}`;
}

function parseEach<T>(schema: z.ZodType<T>, raw: unknown, what: string, list: string): T[] {
  if (!Array.isArray(raw)) throw new CatalogError(list, '(root)', 'must be a JSON array');
  return raw.map((entry, i) => {
    const r = schema.safeParse(entry);
    if (r.success) return r.data;
    const first = r.error.issues[0];
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : '';
    throw new CatalogError(labelOf(entry, i, what), fieldPath(first.path), first.message + more);
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
}

export class Catalog {
  private readonly itemsByCode: ReadonlyMap<string, ServiceItem>;
  private readonly departmentsByCode: ReadonlyMap<string, Department>;
  private readonly postsByCode: ReadonlyMap<string, { department: Department; post: Post }>;

  private constructor(
    private readonly itemList: readonly ServiceItem[],
    private readonly departmentList: readonly Department[],
  ) {
    this.itemsByCode = new Map(itemList.map((i) => [i.code, i]));
    this.departmentsByCode = new Map(departmentList.map((d) => [d.code, d]));
    this.postsByCode = new Map(
      departmentList.flatMap((d) => d.posts.map((p) => [p.code, { department: d, post: p }] as const)),
    );
  }

  /**
   * Validates the raw data (parsed JSON) against the schemas and the cross-references between
   * items and departments. Throws a CatalogError naming the item or department and the field.
   */
  static fromData(items: unknown, departments: unknown): Catalog {
    const deps = parseEach(DepartmentSchema, departments, 'department', 'departments');
    const depCodes = new Set<string>();
    const postCodes = new Set<string>();
    for (const d of deps) {
      if (depCodes.has(d.code))
        throw new CatalogError(`department ${d.code}`, 'code', 'the department code appears twice');
      depCodes.add(d.code);
      d.posts.forEach((p, i) => {
        if (postCodes.has(p.code))
          throw new CatalogError(`department ${d.code}`, `posts[${i}].code`, `post code ${p.code} appears twice`);
        postCodes.add(p.code);
      });
    }

    const list = parseEach(ServiceItemSchema, items, 'item', 'items');
    const itemCodes = new Set<string>();
    for (const item of list) {
      const where = `item ${item.code}`;
      if (itemCodes.has(item.code)) throw new CatalogError(where, 'code', 'the item code appears twice');
      itemCodes.add(item.code);
      const refs: [string, string][] = [
        ['department', item.department],
        ['departments.lead', item.departments.lead],
        ...item.departments.co.map((c, i): [string, string] => [`departments.co[${i}]`, c]),
        ...item.stages.flatMap((s, i) =>
          s.kind === 'review'
            ? s.departments.map((d, j): [string, string] => [`stages[${i}].departments[${j}]`, d])
            : [[`stages[${i}].department`, s.department] as [string, string]],
        ),
      ];
      for (const [field, code] of refs) {
        if (!depCodes.has(code))
          throw new CatalogError(where, field, `department ${code} is not in the departments list`);
      }
    }
    return new Catalog(deepFreeze(list), deepFreeze(deps));
  }

  /** Every item, in catalog order. */
  items(): readonly ServiceItem[] {
    return this.itemList;
  }

  item(code: string): ServiceItem | undefined {
    return this.itemsByCode.get(code);
  }

  /** Every department, in catalog order. */
  departments(): readonly Department[] {
    return this.departmentList;
  }

  department(code: string): Department | undefined {
    return this.departmentsByCode.get(code);
  }

  /** A window post by its code, with the department it belongs to. */
  post(code: string): { department: Department; post: Post } | undefined {
    return this.postsByCode.get(code);
  }

  /** The departments that review the item, in stage order, each once (public notices and inspections are not reviews). */
  reviewDepartments(item: ServiceItem): string[] {
    const out: string[] = [];
    for (const s of item.stages) {
      if (s.kind !== 'review') continue;
      for (const d of s.departments) if (!out.includes(d)) out.push(d);
    }
    return out;
  }
}

/**
 * The completeness check of pre-review: EVERY required material not supplied, in catalog order,
 * so that one notice (一次性告知) can list them all. Conditional materials are left to staff.
 */
export function checkCompleteness(item: ServiceItem, suppliedCodes: readonly string[]): MaterialRef[] {
  const supplied = new Set(suppliedCodes);
  return item.materials
    .filter((m) => !m.condition && !supplied.has(m.code))
    .map((m) => ({ code: m.code, name: m.name }));
}

/** The supplied codes that the item does not ask for, each once, in the order given. */
export function unknownMaterials(item: ServiceItem, codes: readonly string[]): string[] {
  const known = new Set(item.materials.map((m) => m.code));
  return [...new Set(codes)].filter((c) => !known.has(c));
}
