/**
 * Assigning a new case to a person of an A/B post (AB岗): the department's intake post, A
 * unless A is away, then B; neither: the department (see shared/domain/posts.ts). One Query
 * for the post's presence. Wired into AppDeps as `assignPost`, which submitCase calls.
 */
import type { Catalog } from '../domain/catalog';
import { assignWithinPost, intakePost, type Assignment } from '../domain/posts';
import type { PostRepository } from '../store/post-repository';

export function makeAssignPost(deps: { catalog: Catalog; posts: Pick<PostRepository, 'presence'> }) {
  return async (department: string): Promise<Assignment | undefined> => {
    const dept = deps.catalog.department(department);
    if (!dept) return undefined;
    const post = intakePost(dept);
    return assignWithinPost(dept.code, post, await deps.posts.presence(post.code));
  };
}
