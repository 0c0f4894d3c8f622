/**
 * The middy stack every HTTP function shares: dispatch on the route key, size-limited JSON
 * body parsing, authentication per the route table, zod validation, and one error mapper
 * that turns every failure into application/problem+json.
 */
import middy from '@middy/core';
import { routesOf, type FunctionName, type LocalOnlyFunctionName } from '../../infra/routes';
import type { Actor } from '../domain/case';
import { NotFoundError, ValidationError, type FieldProblem } from '../domain/errors';
import { authorize, bearerToken, type TokenVerifier } from './auth';
import type { OperationsOf } from './operation';
import { IDEMPOTENCY_KEY_RE, PATH_PARAMS, type PathParamName } from './params';
import { problemResponse } from './problem';
import type { HttpEvent, HttpResult, OperationRequest, OperationResponse } from './types';
import { validate } from './validation';
import type { Logger } from '../adapters/logger';

export const MAX_BODY_BYTES = 64 * 1024;

type UntypedOperation<D> = (request: OperationRequest, deps: D) => Promise<OperationResponse>;

export interface HttpDeps {
  verifyToken: TokenVerifier;
  logger: Logger;
  /**
   * Counts a public write against its client (the source address API Gateway gives, or the
   * local server's socket address); throws the 429 once the client's window is full.
   */
  admitClient?: (client: string) => Promise<void>;
}

export function lowerCaseHeaders(
  headers: Record<string, string | undefined> | undefined,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function parseJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return undefined;
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

/** Validates each path parameter against its schema (shared/http/params.ts). */
function pathParams(path: string, values: Record<string, string | undefined>, problems: FieldProblem[]) {
  const out: Record<string, string> = {};
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    const parsed = validate(PATH_PARAMS[name as PathParamName], values[name] ?? '', name);
    if (parsed.ok) out[name] = parsed.value;
    else problems.push(...parsed.problems);
  }
  return out;
}

/**
 * Builds the Lambda handler of one function: its routes from the route table, one operation
 * per route (typed by OperationsOf, so a missing or extra operation fails the type check).
 */
export function httpFunction<F extends FunctionName | LocalOnlyFunctionName, D extends HttpDeps>(
  fn: F,
  operations: OperationsOf<F, D>,
  deps: D,
) {
  const routes = routesOf(fn);
  const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const untyped = operations as unknown as Record<string, UntypedOperation<D>>;

  const core = async (event: HttpEvent): Promise<HttpResult> => {
    const route = byKey.get(event.routeKey);
    const operation = route && untyped[route.op];
    if (!route || !operation) throw new NotFoundError(`the route ${event.routeKey}`);
    const headers = lowerCaseHeaders(event.headers);
    const actor: Actor | undefined = await authorize(route.access, bearerToken(headers), deps.verifyToken);
    // Public writes are counted per client before anything is read (staff tokens are not counted).
    if (route.clientLimit && !actor && deps.admitClient) await deps.admitClient(event.requestContext.http.sourceIp);
    // Every bad field of the path, the query and the body, in one answer.
    const problems: FieldProblem[] = [];
    const params = pathParams(route.path, event.pathParameters ?? {}, problems);
    const idempotencyKey = headers['idempotency-key'];
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_RE.test(idempotencyKey))
      problems.push({ field: 'Idempotency-Key', message: 'must be 1 to 128 visible ASCII characters' });
    const rawQuery = event.queryStringParameters ?? {};
    const query = route.query ? validate(route.query, rawQuery, 'query') : { ok: true as const, value: rawQuery };
    const rawBody = parseJsonBody(event);
    const body = route.body ? validate(route.body, rawBody ?? {}, '') : { ok: true as const, value: rawBody };
    if (!query.ok) problems.push(...query.problems);
    if (!body.ok) problems.push(...body.problems);
    if (problems.length > 0 || !query.ok || !body.ok) throw new ValidationError(problems);
    const request: OperationRequest = { body: body.value, query: query.value, params, headers, actor };
    return respond(await operation(request, deps));
  };

  const onError = (request: middy.Request<HttpEvent, HttpResult>): void => {
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
  };

  return middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 }).use({ onError }).handler(core);
}
