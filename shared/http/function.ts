/**
 * The middy stack every HTTP function shares: dispatch on the route key, size-limited JSON
 * body parsing, authentication per the route table, zod validation, and one error mapper
 * that turns every failure into application/problem+json.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Route } from '../../infra/routes';
import type { Actor } from '../domain/case';
import { NotFoundError, ValidationError } from '../domain/errors';
import { authorize, bearerToken, type TokenVerifier } from './auth';
import { problemResponse } from './problem';
import type { HttpEvent, HttpResult, OperationRequest, OperationResponse } from './types';
import { parseOrThrow } from './validation';
import type { Logger } from '../adapters/logger';

export const MAX_BODY_BYTES = 64 * 1024;

export type OperationFn<D> = (request: OperationRequest<any, any>, deps: D) => Promise<OperationResponse>;

export interface HttpDeps {
  verifyToken: TokenVerifier;
  logger: Logger;
}

export function lowerCaseHeaders(
  headers: Record<string, string | undefined> | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function parseJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new ValidationError([{ field: 'body', message: `is larger than ${MAX_BODY_BYTES} bytes` }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'is not valid JSON' }]);
  }
}

function respond(result: OperationResponse): HttpResult {
  if (result.text !== undefined) {
    return { statusCode: result.status ?? 200, headers: { ...result.headers }, body: result.text };
  }
  return {
    statusCode: result.status ?? 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

/** Builds the Lambda handler of one function from its routes and operations. */
export function httpFunction<D extends HttpDeps>(routes: Route[], operations: Record<string, OperationFn<D>>, deps: D) {
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  for (const r of routes) {
    if (!operations[r.op])
      throw new Error(`route ${r.method} ${r.path} names operation ${r.op}, which the function does not have`);
  }

  const core = async (event: HttpEvent): Promise<HttpResult> => {
    const route = byKey.get(event.routeKey);
    if (!route) throw new NotFoundError(`the route ${event.routeKey}`);
    const headers = lowerCaseHeaders(event.headers);
    const actor: Actor | undefined = await authorize(route.access, bearerToken(headers), deps.verifyToken);
    const rawBody = parseJsonBody(event);
    const body = route.body ? parseOrThrow(route.body, rawBody ?? {}, '') : rawBody;
    const query = route.query
      ? parseOrThrow(route.query, event.queryStringParameters ?? {}, 'query')
      : (event.queryStringParameters ?? {});
    const request: OperationRequest = {
      body,
      query,
      params: (event.pathParameters ?? {}) as Record<string, string>,
      headers,
      actor,
    };
    return respond(await operations[route.op](request, deps));
  };

  return middy<HttpEvent, HttpResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use({
      onError: async (request) => {
        const status = problemResponse(request.error).statusCode ?? 500;
        if (status >= 500) {
          deps.logger.error('request failed', { routeKey: request.event.routeKey, error: request.error });
        } else {
          deps.logger.info('request rejected', {
            routeKey: request.event.routeKey,
            status,
            problem: request.error?.name,
          });
        }
        request.response = problemResponse(request.error, request.event.rawPath);
      },
    })
    .handler(core);
}
