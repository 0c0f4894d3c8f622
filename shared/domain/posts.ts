/**
 * A/B posts (AB岗): every window post has an A person, who normally handles it, and a B
 * person, who handles it when A is away. Pure: the presence is an argument.
 *
 * The assignment rule for a new case:
 *  1. the post is the department's FIRST post in catalog/departments.json: the intake and
 *     approval window (e.g. ENV-01 环保审批窗口); later posts (e.g. ENV-02 咨询窗口) are
 *     consultation or special windows and receive no new cases automatically;
 *  2. the case goes to A unless A is marked away;
 *  3. when A is away it goes to B, and the handover is recorded (on the case's record and as a
 *     handover item the monthly report counts);
 *  4. when both are away it is left to the department (no assignee): it shows in the worklist
 *     of every window staff member of the department (the DEPT# partition).
 * A person with no presence record is present: marking someone away is the exception.
 */
import type { Actor } from './case';
import type { Department, Post } from './catalog';
import { ForbiddenError } from './errors';

export const POST_PERSONS = ['a', 'b'] as const;
export type PostPerson = (typeof POST_PERSONS)[number];

/** Whether one person of a post is at the window, as last marked. */
export interface Presence {
  post: string;
  person: PostPerson;
  /** The staff id of the person (from the catalog) when it was marked. */
  staffId: string;
  present: boolean;
  note?: string;
  updatedAt: string;
  updatedBy: string;
}

/** The last marks of a post's two persons; an absent mark means present. */
export interface PostPresence {
  a?: Presence;
  b?: Presence;
}

export interface Handover {
  post: string;
  department: string;
  /** A's staff id: who was away. */
  from: string;
  /** B's staff id: who took the case. */
  to: string;
  note: string;
}

export interface Assignment {
  post: string;
  assignee: string;
  person: PostPerson;
  /** Set when B takes the case because A is away. */
  handover?: Handover;
}

/** The post that receives a department's new cases: its first post (see the rule above). */
export function intakePost(department: Department): Post {
  return department.posts[0];
}

export function isAway(presence: PostPresence, person: PostPerson): boolean {
  return presence[person]?.present === false;
}

/** A unless A is away, then B (with the handover), else undefined: leave it to the department. */
export function assignWithinPost(department: string, post: Post, presence: PostPresence): Assignment | undefined {
  if (!isAway(presence, 'a')) return { post: post.code, assignee: post.a, person: 'a' };
  if (isAway(presence, 'b')) return undefined;
  const why = presence.a?.note ? ` (${presence.a.note})` : '';
  return {
    post: post.code,
    assignee: post.b,
    person: 'b',
    handover: {
      post: post.code,
      department,
      from: post.a,
      to: post.b,
      note: `A/B post ${post.code}: A (${post.a}) is away${why}, so B (${post.b}) handles the case (AB岗)`,
    },
  };
}

/** Who may mark presence on a post: window staff of the post's department, or an administrator. */
export function assertMayMarkPresence(actor: Actor, postDepartment: string, post: string): void {
  if (actor.role === 'admin') return;
  if (actor.role !== 'window' || actor.department !== postDepartment) {
    throw new ForbiddenError(
      `post ${post} belongs to department ${postDepartment}; only its window staff or an administrator may mark presence on it`,
    );
  }
}
