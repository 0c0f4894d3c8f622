/**
 * The staff directory for supervision SMS (预警/报警 cards to the responsible staff): staff id →
 * mobile number, as data (catalog/staff.json), validated once. Who is responsible for something
 * watched: its assignee; else the A person of its window post; else the A person of its
 * department's first (intake) post. Pure: no I/O.
 *
 * The numbers are personal data: never logged or shown unmasked (maskPhone).
 */
import * as z from 'zod';
import type { Catalog } from './catalog';
import { isValidMobile, normalizeMobile } from './identity';

export const StaffDirectorySchema = z
  .object({
    phones: z
      .record(
        z.string().min(1),
        z.string().refine(isValidMobile, 'must be a mainland China mobile number, 11 digits starting 13–19'),
      )
      .optional()
      .describe('staff id → mobile number'),
    supervisors: z
      .array(z.string().min(1))
      .optional()
      .describe('staff ids of the supervision office (电子监察室, SUP): they route complaints no department has yet'),
  })
  .loose();

export class StaffDirectory {
  private readonly phones: ReadonlyMap<string, string>;
  private readonly supervisorIds: readonly string[];

  private constructor(phones: Record<string, string>, supervisors: readonly string[] = []) {
    this.supervisorIds = [...new Set(supervisors)];
    this.phones = new Map(
      Object.entries(phones).map(([id, phone]) => {
        const mobile = normalizeMobile(phone);
        if (mobile === undefined) throw new Error(`staff directory, phones.${id}: not a mobile number`);
        return [id, mobile];
      }),
    );
  }

  /** Validates the data; throws an Error naming the staff id whose number is wrong. */
  static fromData(data: unknown): StaffDirectory {
    const parsed = StaffDirectorySchema.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new Error(`staff directory, ${first.path.join('.')}: ${first.message}`);
    }
    return new StaffDirectory(parsed.data.phones ?? {}, parsed.data.supervisors);
  }

  static empty(): StaffDirectory {
    return new StaffDirectory({});
  }

  /** The supervision office's staff (SUP), in the directory's order. */
  supervisors(): readonly string[] {
    return this.supervisorIds;
  }

  phoneOf(staffId: string | undefined): string | undefined {
    return staffId === undefined ? undefined : this.phones.get(staffId);
  }
}

/** The staff member who answers for something watched (see the file comment); undefined when the department is unknown. */
export function responsibleStaff(
  watched: { assignee?: string; post?: string; department?: string },
  catalog: Catalog,
): string | undefined {
  if (watched.assignee) return watched.assignee;
  const post = watched.post ? catalog.post(watched.post)?.post : undefined;
  if (post) return post.a;
  const department = watched.department ? catalog.department(watched.department) : undefined;
  return department?.posts[0]?.a;
}
