/**
 * Serves the route table over HTTP: each request becomes the API Gateway (HTTP API, payload
 * v2) event that the same handler receives in AWS, and its result becomes the response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ROUTES, routeKey, type FunctionName, type Route } from '../routes';
import { problemResponse } from '../../shared/http/problem';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { MAX_BODY_BYTES } from '../../shared/http/function';

type Handler = (event: any, context: any) => Promise<any>;

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source.replace(/\\\{|\\\}/g, '')}$`), names };
}

function lambdaContext(fn: string) {
  return {
    functionName: fn,
    awsRequestId: randomUUID(),
    getRemainingTimeInMillis: () => 30_000,
    callbackWaitsForEmptyEventLoop: false,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Read at most a little past the limit; the handler's body parser gives the 400.
    if (size > MAX_BODY_BYTES * 2) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function serveRoutes(
  handlers: Record<string, Handler>,
  options: {
    port: number;
    host?: string;
    routes?: readonly Route[];
    /** Answers what is not the API (the pages, the local sign-in) when it returns true. */
    before?: (req: IncomingMessage, res: ServerResponse) => boolean;
  },
): Promise<{ server: Server; url: string }> {
  const compiled = (options.routes ?? ROUTES).map(compile);

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (options.before?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://local');
    const method = (req.method ?? 'GET').toUpperCase();
    const send = (result: { statusCode?: number; headers?: Record<string, unknown>; body?: string }) => {
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(result.body ?? '');
    };
    try {
      const match = compiled.find((c) => c.route.method === method && c.pattern.test(url.pathname));
      if (!match) {
        const pathKnown = compiled.some((c) => c.pattern.test(url.pathname));
        throw pathKnown
          ? new ValidationError([{ field: 'method', message: `${method} is not allowed on ${url.pathname}` }])
          : new NotFoundError(`the path ${url.pathname}`);
      }
      const values = match.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
      const pathParameters = Object.fromEntries(match.names.map((n, i) => [n, values[i]]));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
      const body = await readBody(req);
      const query = Object.fromEntries(url.searchParams.entries());
      const event = {
        version: '2.0',
        routeKey: routeKey(match.route),
        rawPath: url.pathname,
        rawQueryString: url.searchParams.toString(),
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: match.names.length ? pathParameters : undefined,
        body: body === '' ? undefined : body,
        isBase64Encoded: false,
        requestContext: {
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '',
            userAgent: headers['user-agent'] ?? '',
          },
          routeKey: routeKey(match.route),
          requestId: randomUUID(),
          stage: '$default',
          timeEpoch: Date.now(),
        },
      };
      const handler = handlers[match.route.fn as FunctionName | string];
      send(await handler(event, lambdaContext(match.route.fn)));
    } catch (error) {
      send(problemResponse(error, url.pathname));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${options.host ?? '127.0.0.1'}:${port}` };
}
