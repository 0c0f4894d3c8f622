/** A/B posts (AB岗): who gets a new case, and who may mark presence. */
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { ForbiddenError } from '../../shared/domain/errors';
import { assertMayMarkPresence, assignWithinPost, intakePost, type Presence } from '../../shared/domain/posts';

const catalog = loadDefaultCatalog();
const ENV = catalog.department('ENV')!;
const post = intakePost(ENV);

function mark(person: 'a' | 'b', present: boolean, note?: string): Presence {
  return {
    post: post.code,
    person,
    staffId: post[person],
    present,
    ...(note ? { note } : {}),
    updatedAt: '2026-09-28T08:30:00.000+08:00',
    updatedBy: 'env-a1',
  };
}

describe('assigning a new case on an A/B post', () => {
  it("takes the department's first post as its intake post", () => {
    expect(post.code).toBe('ENV-01');
  });

  it('gives the case to A when nobody is marked away, or A is marked present', () => {
    expect(assignWithinPost('ENV', post, {})).toEqual({ post: 'ENV-01', assignee: 'env-a1', person: 'a' });
    expect(assignWithinPost('ENV', post, { a: mark('a', true) })?.assignee).toBe('env-a1');
  });

  it('gives the case to B when A is away, with the handover and why', () => {
    // Act
    const assignment = assignWithinPost('ENV', post, { a: mark('a', false, '年休假') });
    // Assert
    expect(assignment).toEqual(
      expect.objectContaining({
        assignee: 'env-b1',
        person: 'b',
        handover: {
          post: 'ENV-01',
          department: 'ENV',
          from: 'env-a1',
          to: 'env-b1',
          note: expect.stringContaining('A (env-a1) is away (年休假)'),
        },
      }),
    );
  });

  it('leaves the case to the department when both are away', () => {
    expect(assignWithinPost('ENV', post, { a: mark('a', false), b: mark('b', false) })).toBeUndefined();
  });

  it('ignores B being away while A is present', () => {
    expect(assignWithinPost('ENV', post, { b: mark('b', false) })?.assignee).toBe('env-a1');
  });
});

describe('who may mark presence on a post', () => {
  it("lets the post's window staff and any administrator", () => {
    expect(() => {
      assertMayMarkPresence({ id: 'env-b1', role: 'window', department: 'ENV' }, 'ENV', 'ENV-01');
    }).not.toThrow();
    expect(() => {
      assertMayMarkPresence({ id: 'admin-1', role: 'admin', department: 'HALL' }, 'ENV', 'ENV-01');
    }).not.toThrow();
  });

  it('refuses window staff of another department and reviewers', () => {
    expect(() => {
      assertMayMarkPresence({ id: 'civil-a1', role: 'window', department: 'CIVIL' }, 'ENV', 'ENV-01');
    }).toThrow(ForbiddenError);
    expect(() => {
      assertMayMarkPresence({ id: 'env-r1', role: 'reviewer', department: 'ENV' }, 'ENV', 'ENV-01');
    }).toThrow(ForbiddenError);
  });
});
