/**
 * The one route table. infra/aws turns it into API Gateway routes (and Lambda integrations),
 * infra/local serves it over HTTP with the same handlers, and the OpenAPI document is built
 * from it. A test fails when any of them drifts from this list.
 */
import type { ZodType } from 'zod';
import type { Access } from '../shared/http/types';
import { PhoneLast4Query, SubmitCaseBody } from '../functions/submission/schemas';

/** The Lambda functions. Each serves several routes; its handler dispatches on the route key. */
export const FUNCTIONS = ['catalog', 'submission'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path template, e.g. /cases/{caseNo}. */
  path: string;
  fn: FunctionName;
  /** Name of the operation inside the function. */
  op: string;
  access: Access;
  summary: string;
  body?: ZodType;
  query?: ZodType;
  /** Routes that exist only in the local runtime (never deployed). */
  localOnly?: boolean;
}

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/items', fn: 'catalog', op: 'listItems', access: 'public', summary: 'The service guide: every item with its materials, limits, fee and legal basis' },
  { method: 'GET', path: '/items/{code}', fn: 'catalog', op: 'getItem', access: 'public', summary: 'One item of the service guide' },
  { method: 'GET', path: '/openapi.json', fn: 'catalog', op: 'openapi', access: 'public', summary: 'This API described in OpenAPI 3.1' },
  {
    method: 'POST', path: '/cases', fn: 'submission', op: 'submitCase', access: 'optional-staff', body: SubmitCaseBody,
    summary: 'Submit an application (online), or register a walk-in one with a window staff token; Idempotency-Key makes retries safe',
  },
  {
    method: 'GET', path: '/cases/{caseNo}', fn: 'submission', op: 'getProgress', access: 'optional-staff', query: PhoneLast4Query,
    summary: "A case's progress: the applicant with the phone's last 4 digits, or staff of its department",
  },
];

export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export function routesOf(fn: FunctionName): Route[] {
  return ROUTES.filter((r) => r.fn === fn);
}

export function deployedRoutes(): Route[] {
  return ROUTES.filter((r) => !r.localOnly);
}
