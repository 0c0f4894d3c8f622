/**
 * The staff directory the local OpenID provider signs people in from: every A and B person of
 * every window post in the catalog (catalog/departments.json), who may sign in as window staff
 * or as a department reviewer, plus a supervisor and an administrator of the hall. In AWS the
 * hall's own identity provider holds the directory; it must issue the same claims.
 */
import type { Catalog } from '../../shared/domain/catalog';
import type { StaffRole } from '../../shared/domain/case';

export interface DirectoryPerson {
  /** The token's `sub`: the staff id the posts and worklists name (e.g. env-a1). */
  id: string;
  name: string;
  dept: string;
  roles: StaffRole[];
}

export const SUPERVISION_DEPT = 'SUP';
export const HALL_DEPT = 'HALL';

export function staffDirectory(catalog: Catalog): DirectoryPerson[] {
  const people: DirectoryPerson[] = [];
  for (const d of catalog.departments()) {
    for (const post of d.posts) {
      for (const [slot, id] of [
        ['A', post.a],
        ['B', post.b],
      ] as const) {
        if (!id || people.some((p) => p.id === id)) continue;
        people.push({ id, name: `${d.name} ${post.name} ${slot}岗`, dept: d.code, roles: ['window', 'reviewer'] });
      }
    }
  }
  people.push({ id: 'sup-1', name: '电子监察室 监察员', dept: SUPERVISION_DEPT, roles: ['supervisor'] });
  people.push({ id: 'hall-admin', name: '政务服务中心 管理员', dept: HALL_DEPT, roles: ['admin'] });
  return people;
}
