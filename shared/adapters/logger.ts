/**
 * Logging: Powertools' structured logger, behind a small interface. Nothing personal is
 * ever passed to it: callers log case numbers and masked values only, and `redact` masks
 * anything that looks like a phone or an ID number before it is written, as a last guard.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { maskFreeText } from '../domain/identity';

export interface Logger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** Masks phone and ID numbers (resident ID, 统一社会信用代码, …) as the views do: the domain's one free-text mask. */
export function redact(text: string): string {
  return maskFreeText(text);
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error)
    return { name: value.name, message: redact(value.message), stack: value.stack && redact(value.stack) };
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
  }
  return value;
}

export function powertoolsLogger(serviceName: string, logLevel = 'INFO'): Logger {
  const logger = new PowertoolsLogger({ serviceName, logLevel: logLevel as 'INFO' });
  return {
    info: (m, a) => {
      logger.info(redact(m), redactValue(a ?? {}) as Record<string, unknown>);
    },
    warn: (m, a) => {
      logger.warn(redact(m), redactValue(a ?? {}) as Record<string, unknown>);
    },
    error: (m, a) => {
      logger.error(redact(m), redactValue(a ?? {}) as Record<string, unknown>);
    },
  };
}

/** A logger that keeps lines in memory: for tests that assert nothing personal is logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, a?: Record<string, unknown>) => {
    lines.push(redact(JSON.stringify({ level, message: m, ...(redactValue(a ?? {}) as object) })));
  };
  return { lines, info: push('INFO'), warn: push('WARN'), error: push('ERROR') };
}
