/**
 * The OpenAPI 3.1 document, built from the route table and the same zod schemas that validate
 * requests (functions/<fn>/schemas.ts) and describe responses (functions/responses.ts): every
 * path parameter, query parameter and header with the pattern and length the HTTP layer checks
 * (shared/http/params.ts, shared/domain/query-code.ts), every 2xx each route answers with its
 * body's schema, and the problem+json errors. Nothing here is copied by hand from elsewhere.
 */
import * as z from 'zod';
import type { OpenApiResponse } from '../functions/responses';
import { QUERY_CODE_LENGTH, QUERY_CODE_RE } from '../shared/domain/query-code';
import { ONE_TIME_CODE_DIGITS, ONE_TIME_CODE_RE } from '../shared/domain/one-time-code';
import { IDEMPOTENCY_KEY, PATH_PARAMS, type PathParamName } from '../shared/http/params';
import { deployedRoutes, type Route } from './routes';

const PROBLEM = {
  description: 'application/problem+json: what is wrong, and for a 400 which fields (errors[].field, errors[].message)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
    },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: taken in, handled after the answer',
  204: 'No content',
};

/** A zod schema as JSON Schema: `io` 'input' for what a client sends, 'output' for what it receives. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** The success responses of a route: each declared 2xx with its JSON body, and text/csv where it answers that too. */
function successResponses(route: Route): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    const content: Record<string, unknown> = {
      'application/json': { schema: jsonSchema(schema) },
    };
    if (route.csv && status === '200') content['text/csv'] = { schema: { type: 'string' } };
    out[status] = { description: DESCRIPTIONS[Number(status)] ?? 'OK', content };
  }
  return out;
}

function operation(route: Route) {
  const params: Record<string, unknown>[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => {
    const schema = PATH_PARAMS[m[1] as PathParamName];
    return { name: m[1], in: 'path', required: true, description: schema.description, schema: jsonSchema(schema) };
  });
  if (route.queryCode) {
    params.push({
      name: 'X-Query-Code',
      in: 'header',
      required: false,
      description: "the case's query code (查询码) from the receipt; 5 wrong codes in 15 minutes lock the case (429)",
      schema: {
        type: 'string',
        pattern: QUERY_CODE_RE.source,
        minLength: QUERY_CODE_LENGTH,
        maxLength: QUERY_CODE_LENGTH,
      },
    });
  }
  if (route.oneTimeCode) {
    params.push({
      name: 'X-One-Time-Code',
      in: 'header',
      required: false,
      description:
        'a one-time SMS code (短信验证码), 6 digits, good for 5 minutes and one use; withdrawal needs one; wrong codes count toward the same lock (429)',
      schema: {
        type: 'string',
        pattern: ONE_TIME_CODE_RE.source,
        minLength: ONE_TIME_CODE_DIGITS,
        maxLength: ONE_TIME_CODE_DIGITS,
      },
    });
  }
  if (route.method === 'POST' && route.path === '/cases') {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: IDEMPOTENCY_KEY.description,
      schema: jsonSchema(IDEMPOTENCY_KEY),
    });
  }
  const query = route.query ? jsonSchema(route.query) : undefined;
  const queryParams = query?.properties
    ? Object.entries(query.properties as Record<string, Record<string, unknown>>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: ((query.required as string[] | undefined) ?? []).includes(name),
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        schema,
      }))
    : [];
  const secured = route.access !== 'public';
  return {
    operationId: route.op,
    summary: route.summary,
    tags: [route.fn],
    ...(params.length + queryParams.length ? { parameters: [...params, ...queryParams] } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } }
      : {}),
    ...(secured ? { security: route.access === 'optional-staff' ? [{}, { staffJwt: [] }] : [{ staffJwt: [] }] } : {}),
    responses: {
      ...successResponses(route),
      '400': PROBLEM,
      ...(secured ? { '401': PROBLEM, '403': PROBLEM } : {}),
      '404': PROBLEM,
      '409': PROBLEM,
      ...(route.queryCode ? { '429': PROBLEM } : {}),
    },
  };
}

type OpenApiDocument = z.input<typeof OpenApiResponse> & Record<string, unknown>;
let cached: OpenApiDocument | undefined;

export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of deployedRoutes()) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'OneWindow',
      version: '0.1.0',
      description: 'The back end of a government service hall (政务服务中心): one window takes every application.',
    },
    components: { securitySchemes: { staffJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
  cached = document;
  return document;
}
