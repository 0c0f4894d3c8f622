import * as z from 'zod';
import departmentsData from '../../catalog/departments.json';
import itemsData from '../../catalog/items.json';
import {
  Catalog,
  CatalogError,
  DepartmentSchema,
  ITEM_KINDS,
  ServiceItemSchema,
  checkCompleteness,
  unknownMaterials,
  type ServiceItem,
} from '../../shared/domain/catalog';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';

/** A fresh, mutable copy of the shipped data. */
function rawData(): { items: any[]; departments: any[] } {
  return { items: structuredClone(itemsData) as any[], departments: structuredClone(departmentsData) as any[] };
}

function itemOf(catalog: Catalog, code: string): ServiceItem {
  const item = catalog.item(code);
  if (!item) throw new Error(`test setup: item ${code} is missing from the shipped catalog`);
  return item;
}

describe('the shipped catalog', () => {
  const catalog = loadDefaultCatalog();

  it('loads, with at least 14 items led by at least 6 departments', () => {
    // Act
    const items = catalog.items();
    const leads = new Set(items.map((i) => i.department));

    // Assert
    expect(items.length).toBeGreaterThanOrEqual(14);
    expect(leads.size).toBeGreaterThanOrEqual(6);
  });

  it('has at least 10 departments, each with a window post that has distinct A and B staff', () => {
    // Act
    const departments = catalog.departments();

    // Assert
    expect(departments.length).toBeGreaterThanOrEqual(10);
    for (const d of departments) {
      expect(d.posts.length).toBeGreaterThanOrEqual(1);
      for (const p of d.posts) expect(p.a).not.toBe(p.b);
    }
  });

  it('has an item of every kind', () => {
    // Act
    const kinds = new Set(catalog.items().map((i) => i.kind));

    // Assert
    expect([...kinds].sort()).toEqual([...ITEM_KINDS].sort());
  });

  it('is the same cached catalog on every load', () => {
    expect(loadDefaultCatalog()).toBe(catalog);
  });

  it('cannot be changed by a caller', () => {
    // Arrange
    const item = itemOf(catalog, 'ENV-EIA-REPORT');

    // Act
    const mutate = () => {
      (item.committedLimit as { value: number }).value = 99;
    };

    // Assert
    expect(mutate).toThrow(TypeError);
    expect(itemOf(catalog, 'ENV-EIA-REPORT').committedLimit.value).toBe(15);
  });

  it('finds a department and a window post by code', () => {
    // Act
    const env = catalog.department('ENV');
    const post = catalog.post('MKT-01');

    // Assert
    expect(env?.name).toBe('环境保护局');
    expect(post?.department.code).toBe('MKT');
    expect(post?.post.a).toBe('mkt-a1');
    expect(catalog.department('NOPE')).toBeUndefined();
    expect(catalog.item('NOPE-ITEM')).toBeUndefined();
  });

  it('runs the enterprise joint registration in one parallel stage of 5 departments led by MKT', () => {
    // Arrange
    const item = itemOf(catalog, 'MKT-ENTERPRISE-JOINT');

    // Assert
    expect(item.kind).toBe('joint');
    expect(item.departments.lead).toBe('MKT');
    expect([...item.departments.co].sort()).toEqual(['LTAX', 'PSB', 'QS', 'STAX']);
    expect(item.stages).toHaveLength(1);
    expect(catalog.reviewDepartments(item)).toHaveLength(5);
    expect(item.statutoryLimit).toEqual({ value: 32, unit: 'working-days' });
    expect(item.committedLimit).toEqual({ value: 8, unit: 'working-days' });
    expect(item.timeoutDefault).toBe(true);
  });

  it('ends low-rent housing with a 15-day public notice after the five reviews in order', () => {
    // Arrange
    const item = itemOf(catalog, 'HOUSING-LOW-RENT');

    // Act
    const last = item.stages[item.stages.length - 1];
    const reviews = item.stages.filter((s) => s.kind === 'review').map((s) => s.departments);

    // Assert
    expect(item.kind).toBe('staged');
    expect(item.department).toBe('HOUSING');
    expect(last).toEqual({ kind: 'public-notice', days: 15, unit: 'calendar-days', department: 'HOUSING' });
    expect(reviews).toEqual([['COMMUNITY'], ['TOWN'], ['HOUSING'], ['CIVIL'], ['HOUSING']]);
  });

  it('lists the reviewing departments of a staged item in stage order, each once', () => {
    // Act
    const reviewers = catalog.reviewDepartments(itemOf(catalog, 'HOUSING-LOW-RENT'));

    // Assert
    expect(reviewers).toEqual(['COMMUNITY', 'TOWN', 'HOUSING', 'CIVIL']);
  });

  it('gives the severe-disability subsidy a 5-day village notice and a 3-day federation notice', () => {
    // Arrange
    const item = itemOf(catalog, 'DPF-SEVERE-DISABILITY');

    // Act
    const shape = item.stages.map((s) =>
      s.kind === 'public-notice'
        ? `notice ${s.days} ${s.department}`
        : `${s.kind} ${s.kind === 'review' ? s.departments.join('+') : s.department}`,
    );

    // Assert
    expect(item.department).toBe('DPF');
    expect(shape).toEqual(['review VILLAGE', 'notice 5 VILLAGE', 'review TOWN', 'review DPF', 'notice 3 DPF']);
  });

  it.each([
    ['ENV-EIA-REPORT', 'committed', 15],
    ['ENV-EIA-FORM', 'committed', 7],
    ['ENV-EIA-REGISTRATION', 'instant', 0],
    ['ENV-EIA-KEY', 'committed', 5],
    ['CIVIL-SOCORG-PREPARE', 'committed', 30],
    ['CIVIL-SOCORG-ESTABLISH', 'committed', 15],
    ['CIVIL-SOCORG-CHANGE', 'committed', 15],
    ['CIVIL-SOCORG-CANCEL', 'committed', 15],
    ['CIVIL-SOCORG-BRANCH', 'committed', 20],
    ['CIVIL-SOCORG-INTERNAL', 'instant', 0],
    ['LTAX-PAYMENT-DEFERRAL', 'committed', 16],
  ])('commits %s as %s within %i working days, as the seeds publish', (code, kind, days) => {
    // Act
    const item = itemOf(catalog, code);

    // Assert
    expect(item.kind).toBe(kind);
    expect(item.committedLimit).toEqual({ value: days, unit: 'working-days' });
  });

  it('puts only the key-project EIA in the green channel', () => {
    // Act
    const green = catalog
      .items()
      .filter((i) => i.greenChannel)
      .map((i) => i.code);

    // Assert
    expect(green).toEqual(['ENV-EIA-KEY']);
  });

  it('commits the water abstraction permit 40% below its 45 statutory working days', () => {
    // Arrange
    const item = itemOf(catalog, 'WATER-ABSTRACTION');

    // Act
    const cut = 1 - item.committedLimit.value / item.statutoryLimit.value;

    // Assert
    expect(item.statutoryLimit).toEqual({ value: 45, unit: 'working-days' });
    expect(item.committedLimit.value).toBe(27);
    expect(cut).toBeCloseTo(0.4, 5);
  });

  it('gives every item a legal basis citing a law or regulation by its title', () => {
    for (const item of catalog.items()) expect(item.legalBasis).toMatch(/《.+》/);
  });
});

describe('checkCompleteness and unknownMaterials', () => {
  const catalog = loadDefaultCatalog();

  it('returns every missing material in one list, in catalog order', () => {
    // Arrange: the joint registration asks for 8 materials; 3 are supplied, out of order
    const item = itemOf(catalog, 'MKT-ENTERPRISE-JOINT');
    const supplied = ['SEAL-APPLICATION', 'REGISTRATION-APPLICATION', 'PREMISES-PROOF'];

    // Act
    const missing = checkCompleteness(item, supplied);

    // Assert
    expect(missing.map((m) => m.code)).toEqual([
      'NAME-APPROVAL',
      'ARTICLES',
      'SHAREHOLDER-ID',
      'OFFICER-DOCUMENTS',
      'AGENT-AUTHORISATION',
    ]);
    expect(missing[0]).toEqual({ code: 'NAME-APPROVAL', name: '企业名称预先核准通知书' });
  });

  it('returns every material when nothing is supplied', () => {
    // Arrange
    const item = itemOf(catalog, 'ENV-EIA-REPORT');

    // Act
    const missing = checkCompleteness(item, []);

    // Assert
    expect(missing.map((m) => m.code)).toEqual(item.materials.map((m) => m.code));
  });

  it('returns nothing when every required material is supplied', () => {
    // Arrange
    const item = itemOf(catalog, 'LTAX-PAYMENT-DEFERRAL');

    // Act
    const missing = checkCompleteness(
      item,
      item.materials.map((m) => m.code),
    );

    // Assert
    expect(missing).toEqual([]);
  });

  it('leaves conditional materials to the window staff', () => {
    // Arrange: the disability certificate is asked for only when a family member is disabled
    const item = itemOf(catalog, 'HOUSING-LOW-RENT');
    const unconditional = item.materials.filter((m) => !m.condition).map((m) => m.code);

    // Act
    const missing = checkCompleteness(item, unconditional);

    // Assert
    expect(item.materials.some((m) => m.code === 'DISABILITY-CERTIFICATE' && m.condition)).toBe(true);
    expect(missing).toEqual([]);
  });

  it('names the supplied codes the item does not ask for, each once', () => {
    // Arrange
    const item = itemOf(catalog, 'ENV-EIA-FORM');

    // Act
    const unknown = unknownMaterials(item, ['APPLICATION', 'EIA-REPORT-BOOK', 'PHOTO', 'EIA-REPORT-BOOK']);

    // Assert
    expect(unknown).toEqual(['EIA-REPORT-BOOK', 'PHOTO']);
  });
});

describe('Catalog.fromData rejects bad data', () => {
  function rejection(mutate: (d: { items: any[]; departments: any[] }) => void): CatalogError {
    const data = rawData();
    mutate(data);
    try {
      Catalog.fromData(data.items, data.departments);
    } catch (e) {
      if (e instanceof CatalogError) return e;
      throw e;
    }
    throw new Error('expected the catalog to be rejected');
  }

  const byCode = (d: { items: any[] }, code: string) => d.items.find((i) => i.code === code);

  it('accepts the shipped data as it is', () => {
    // Arrange
    const data = rawData();

    // Act
    const catalog = Catalog.fromData(data.items, data.departments);

    // Assert
    expect(catalog.items()).toHaveLength(data.items.length);
  });

  it('names the item and field when a co-department does not exist', () => {
    // Act
    const e = rejection((d) => {
      const item = byCode(d, 'MKT-ENTERPRISE-JOINT');
      item.departments.co.push('CUSTOMS');
      item.stages[0].departments.push('CUSTOMS');
    });

    // Assert
    expect(e.message).toMatch(/item MKT-ENTERPRISE-JOINT/);
    expect(e.field).toBe('departments.co[4]');
    expect(e.message).toMatch(/CUSTOMS is not in the departments list/);
  });

  it('names the stage when a stage names a department outside the item', () => {
    // Act
    const e = rejection((d) => {
      byCode(d, 'HOUSING-LOW-RENT').stages[5].department = 'PRESS';
    });

    // Assert
    expect(e.entry).toBe('item HOUSING-LOW-RENT');
    expect(e.field).toBe('stages[5]');
    expect(e.message).toMatch(/PRESS takes part in a stage/);
  });

  it('refuses a material code used twice in one item', () => {
    // Act
    const e = rejection((d) => {
      const item = byCode(d, 'ENV-EIA-REPORT');
      item.materials[2].code = 'APPLICATION';
    });

    // Assert
    expect(e.entry).toBe('item ENV-EIA-REPORT');
    expect(e.field).toBe('materials[2].code');
    expect(e.message).toMatch(/APPLICATION appears twice/);
  });

  it('refuses a joint item with only one department', () => {
    // Act
    const e = rejection((d) => {
      const item = byCode(d, 'MKT-ENTERPRISE-JOINT');
      item.departments.co = [];
      item.stages = [{ kind: 'review', departments: ['MKT'] }];
    });

    // Assert
    expect(e.entry).toBe('item MKT-ENTERPRISE-JOINT');
    expect(e.field).toBe('departments.co');
    expect(e.message).toMatch(/at least two departments/);
  });

  it('refuses a staged item with only one stage', () => {
    // Act
    const e = rejection((d) => {
      const item = byCode(d, 'DPF-SEVERE-DISABILITY');
      item.departments.co = [];
      item.stages = [{ kind: 'review', departments: ['DPF'] }];
    });

    // Assert
    expect(e.entry).toBe('item DPF-SEVERE-DISABILITY');
    expect(e.message).toMatch(/stages: a staged item has at least two stages/);
  });

  it('refuses a committed limit longer than the statutory one', () => {
    // Act
    const e = rejection((d) => {
      byCode(d, 'WATER-ABSTRACTION').committedLimit.value = 50;
    });

    // Assert
    expect(e.entry).toBe('item WATER-ABSTRACTION');
    expect(e.field).toBe('committedLimit.value');
  });

  it('refuses an instant item with a committed limit of days', () => {
    // Act
    const e = rejection((d) => {
      byCode(d, 'CIVIL-SOCORG-INTERNAL').committedLimit.value = 3;
    });

    // Assert
    expect(e.entry).toBe('item CIVIL-SOCORG-INTERNAL');
    expect(e.message).toMatch(/instant item is completed the same day/);
  });

  it('refuses a stage department that is neither lead nor co-department', () => {
    // Act
    const e = rejection((d) => {
      byCode(d, 'ENV-EIA-KEY').stages = [{ kind: 'review', departments: ['ENV', 'WATER'] }];
    });

    // Assert
    expect(e.entry).toBe('item ENV-EIA-KEY');
    expect(e.field).toBe('stages[0]');
  });

  it('names the item and field when a field is missing or of the wrong kind', () => {
    // Act
    const missing = rejection((d) => {
      delete byCode(d, 'ENV-EIA-FORM').legalBasis;
    });
    const wrongForm = rejection((d) => {
      byCode(d, 'WATER-SWC-PLAN').materials[1].form = 'scan';
    });

    // Assert
    expect(missing.entry).toBe('item ENV-EIA-FORM');
    expect(missing.field).toBe('legalBasis');
    expect(wrongForm.entry).toBe('item WATER-SWC-PLAN');
    expect(wrongForm.field).toBe('materials[1].form');
  });

  it('names an item without a code by its position', () => {
    // Act
    const e = rejection((d) => {
      delete d.items[3].code;
    });

    // Assert
    expect(e.entry).toBe('item #3');
    expect(e.field).toBe('code');
  });

  it('refuses an item code used twice', () => {
    // Act
    const e = rejection((d) => {
      d.items.push(structuredClone(d.items[0]));
    });

    // Assert
    expect(e.message).toMatch(/item ENV-EIA-REPORT, field code: the item code appears twice/);
  });

  it('refuses a window post whose A and B are the same person', () => {
    // Act
    const e = rejection((d) => {
      d.departments[0].posts[0].b = d.departments[0].posts[0].a;
    });

    // Assert
    expect(e.entry).toBe('department ENV');
    expect(e.field).toBe('posts[0].b');
  });

  it('refuses items that are not a list', () => {
    // Act
    const e = rejection((d) => {
      d.items = { 'ENV-EIA-REPORT': d.items[0] } as any;
    });

    // Assert
    expect(e.message).toMatch(/items.*must be a JSON array/);
  });
});

describe('the schemas as an API description', () => {
  function undescribed(schema: any, path: string, out: string[]): string[] {
    if (schema?.properties) {
      for (const [key, prop] of Object.entries<any>(schema.properties)) {
        if (!prop.description) out.push(`${path}.${key}`);
        undescribed(prop, `${path}.${key}`, out);
      }
    }
    if (schema?.items) undescribed(schema.items, `${path}[]`, out);
    for (const branch of schema?.oneOf ?? schema?.anyOf ?? []) undescribed(branch, path, out);
    return out;
  }

  it.each([
    ['ServiceItemSchema', ServiceItemSchema],
    ['DepartmentSchema', DepartmentSchema],
  ])('describes every field of %s in JSON Schema', (_name, schema) => {
    // Act
    const json = z.toJSONSchema(schema, { io: 'input' });

    // Assert
    expect(json.description).toBeTruthy();
    expect(undescribed(json, '', [])).toEqual([]);
  });
});
