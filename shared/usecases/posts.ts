/** Marking a person of an A/B post present or away (PUT /posts/{post}/presence). */
import type { Actor } from '../domain/case';
import type { Catalog } from '../domain/catalog';
import { toChinaIso } from '../domain/china-time';
import { NotFoundError } from '../domain/errors';
import { assertMayMarkPresence, assignWithinPost, intakePost, isAway, type PostPerson } from '../domain/posts';
import type { Clock } from '../adapters/ports';
import type { PostRepository } from '../store/post-repository';

export interface PresenceInput {
  person: PostPerson;
  present: boolean;
  note?: string;
}

export async function markPresence(
  postCode: string,
  input: PresenceInput,
  actor: Actor,
  deps: { catalog: Catalog; posts: PostRepository; clock: Clock },
) {
  const found = deps.catalog.post(postCode);
  if (!found) throw new NotFoundError(`window post ${postCode}`);
  const { department, post } = found;
  assertMayMarkPresence(actor, department.code, post.code);
  await deps.posts.setPresence({
    post: post.code,
    person: input.person,
    staffId: post[input.person],
    present: input.present,
    ...(input.note ? { note: input.note } : {}),
    updatedAt: toChinaIso(deps.clock.now()),
    updatedBy: actor.id,
  });
  return postPresence(post.code, deps);
}

/** The presence of a post's A and B persons, as the post's window shows it. */
export async function postPresence(postCode: string, deps: { catalog: Catalog; posts: PostRepository }) {
  const found = deps.catalog.post(postCode);
  if (!found) throw new NotFoundError(`window post ${postCode}`);
  const { department, post } = found;
  const presence = await deps.posts.presence(post.code);
  const next = assignWithinPost(department.code, post, presence);
  return {
    post: post.code,
    department: department.code,
    a: { staffId: post.a, present: !isAway(presence, 'a'), ...(presence.a?.note ? { note: presence.a.note } : {}) },
    b: { staffId: post.b, present: !isAway(presence, 'b'), ...(presence.b?.note ? { note: presence.b.note } : {}) },
    /** Whether new cases of the department come to this post (its intake post). */
    receivesNewCases: intakePost(department).code === post.code,
    /** Who this post gives the next case to: a staff id, or null when both are away (the department's worklist). */
    nextCaseTo: next?.assignee ?? null,
  };
}
