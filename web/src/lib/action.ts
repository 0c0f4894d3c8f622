/**
 * One staff action at a time, as every console form runs it: busy while it runs (a double click
 * sends nothing twice), the server's problem+json field errors keyed by their API field names for
 * the form to show next to each field, a 429 told with when to retry (ApiError's message), and a
 * message once done.
 */
import { ref } from 'vue';
import { ApiError } from '../api/http';
import type { FieldProblem } from '../api/types';

export function fieldMap(problems: FieldProblem[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const p of problems) {
    const key = p.field.replace(/\[\d+\]$/, '');
    map[key] = map[key] ? `${map[key]}；${p.message}` : p.message;
  }
  return map;
}

export function useAction() {
  const busy = ref(false);
  const message = ref<string>();
  const error = ref<string>();
  /** Field errors by API field name ("contact.phone", "note", …). */
  const fields = ref<Record<string, string>>({});

  /** Runs fn unless one is running; true when it succeeded. Checks before sending go in `problems`. */
  async function run(fn: () => Promise<unknown>, done: string, problems: FieldProblem[] = []): Promise<boolean> {
    if (busy.value) return false;
    message.value = undefined;
    error.value = undefined;
    fields.value = fieldMap(problems);
    if (problems.length) {
      error.value = '填写的内容有误，请按提示修改';
      return false;
    }
    busy.value = true;
    try {
      await fn();
      message.value = done;
      return true;
    } catch (e) {
      error.value = (e as Error).message;
      if (e instanceof ApiError) fields.value = fieldMap(e.fields);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, message, error, fields, run };
}
