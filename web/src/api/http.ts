/**
 * Every call to the API goes through here: JSON in and out, application/problem+json turned
 * into an ApiError that names its fields, reads retried when the connection drops, a 429 told
 * with when to try again, and the same Idempotency-Key on every retry of a write.
 */
import { ref } from 'vue';
import type { FieldProblem } from './types';

/** The browser, when there is one (this module also runs in Node: test/unit/console-actions.test.ts). */
const browser = globalThis as {
  navigator?: { onLine: boolean };
  window?: { addEventListener(type: 'online' | 'offline', listener: () => void): void };
};

/** Whether the browser believes it is online; the layout shows a banner when not. */
export const online = ref(browser.navigator?.onLine ?? true);
browser.window?.addEventListener('online', () => (online.value = true));
browser.window?.addEventListener('offline', () => (online.value = false));

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get offline(): boolean {
    return this.status === 0;
  }
  /** The problem for one field (server names: "applicant.idNumber", "materials[0]"). */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.field === name)?.message;
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** Sent as Idempotency-Key; a retry of the same submission passes the same key. */
  idempotencyKey?: string;
  /** For text answers such as CSV. */
  text?: boolean;
}

const READ_RETRIES = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function messageOf(status: number, problem: Record<string, unknown> | undefined, retryAfter?: number): string {
  if (status === 429)
    return `请求过于频繁，请${retryAfter ? `在 ${retryAfter} 秒后` : '稍后'}再试（Too many requests）`;
  const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
  const title = typeof problem?.title === 'string' ? problem.title : undefined;
  if (status === 401) return `请先登录或重新登录${detail ? `：${detail}` : ''}`;
  if (status === 403) return `无权进行此操作${detail ? `：${detail}` : ''}`;
  if (status === 404) return `未找到${detail ? `：${detail}` : ''}`;
  if (status === 409) return `当前状态不允许此操作${detail ? `：${detail}` : ''}`;
  if (status === 400) return `填写的内容有误，请按提示修改${detail ? `（${detail}）` : ''}`;
  return detail ?? title ?? `服务暂时不可用（${status}），请稍后再试`;
}

export async function call<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const attempts = method === 'GET' ? READ_RETRIES : 1;
  let response: Response | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      response = await fetch(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      online.value = true;
      break;
    } catch {
      if (attempt >= attempts) {
        online.value = false;
        throw new ApiError(0, '网络连接中断，请检查网络后重试（已填写的内容已保留）');
      }
      await sleep(400 * 2 ** (attempt - 1));
    }
  }
  const type = response.headers.get('content-type') ?? '';
  if (response.ok) {
    if (options.text) return (await response.text()) as T;
    return (type.includes('json') ? await response.json() : undefined) as T;
  }
  let problem: Record<string, unknown> | undefined;
  if (type.includes('json')) problem = (await response.json().catch(() => undefined)) as typeof problem;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  const fields = Array.isArray(problem?.errors) ? (problem.errors as FieldProblem[]) : [];
  throw new ApiError(response.status, messageOf(response.status, problem, retryAfter), fields, retryAfter, problem);
}

/** A fresh Idempotency-Key for one submission (kept across its retries by the caller). */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
