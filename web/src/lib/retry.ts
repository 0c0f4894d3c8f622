/** When a refused request (429) may be tried again, as a person reads it: a clock time in China time. */
import { ApiError } from '../api/http';

export function retryText(error: unknown, now = new Date()): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 429 || !error.retryAfterSeconds) return undefined;
  const at = new Date(now.getTime() + error.retryAfterSeconds * 1000);
  const time = at.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
  return `尝试过于频繁，请于 ${time}（约 ${Math.ceil(error.retryAfterSeconds / 60)} 分钟后）再试`;
}

/** The message to show for a failed request: when to try again for a 429, else the error's own words. */
export function errorText(error: unknown): string {
  return retryText(error) ?? (error as Error).message;
}
