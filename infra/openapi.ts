/** The OpenAPI 3.1 document, built from the route table and the same zod schemas that validate requests. */
import { PATH_PARAMS, IDEMPOTENCY_KEY_RE, type PathParamName } from '../shared/http/params';
import { QUERY_CODE_RE } from '../shared/domain/query-code';
import * as z from 'zod';
import { deployedRoutes, type Route } from './routes';

const PROBLEM = {
  description: 'application/problem+json: what is wrong, and for a 400 which fields (errors[].field, errors[].message)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
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

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function operation(route: Route) {
  const params: Record<string, unknown>[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: jsonSchema(PATH_PARAMS[m[1] as PathParamName]),
  }));
  if (route.queryCode) {
    params.push({
      name: 'X-Query-Code',
      in: 'header',
      required: false,
      description: "the case's query code (查询码) from the receipt; 5 wrong codes in 15 minutes lock the case (429)",
      schema: { type: 'string', pattern: QUERY_CODE_RE.source },
    });
  }
  if (route.method === 'POST' && route.path === '/cases') {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'makes a retry return the same case, never a second one',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_RE.source, maxLength: 128 },
    });
  }
  const query = route.query ? jsonSchema(route.query) : undefined;
  const queryParams = query?.properties
    ? Object.entries(query.properties as Record<string, unknown>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: ((query.required as string[] | undefined) ?? []).includes(name),
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
      '200': { description: 'OK' },
      '400': PROBLEM,
      ...(secured ? { '401': PROBLEM, '403': PROBLEM } : {}),
      '404': PROBLEM,
      '409': PROBLEM,
      ...(route.queryCode ? { '429': PROBLEM } : {}),
    },
  };
}

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of deployedRoutes()) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'OneWindow',
      version: '0.1.0',
      description: 'The back end of a government service hall (政务服务中心): one window takes every application.',
    },
    components: { securitySchemes: { staffJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
  return cached;
}
