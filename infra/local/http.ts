/**
 * Serves the route table over HTTP: each request becomes the API Gateway (HTTP API, payload
 * v2) event that the same handler receives in AWS, and its result becomes the response.
 *
 * What API Gateway answers itself is answered here too, as application/problem+json and never
 * as a 500: 404 for a path no route has, 405 with `Allow` for a method the path lacks, 400 for
 * a path that is not valid percent-encoding, and 413 for a body over the server's limit
 * (`maxBodyBytes`, LOCAL_MAX_BODY_BYTES = 256 KiB by default: the app's bodies are small, and
 * API Gateway's own 10 MB is far more than any of them needs; the handlers refuse anything over
 * MAX_BODY_BYTES with a 400 naming `body`). An oversized body is read to its end and dropped,
 * so the next request on the same connection is served.
 */
import type { Context } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { ROUTES, routeKey, type Route } from '../routes';
import { PROBLEM_JSON, problemResponse } from '../../shared/http/problem';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';

type Handler = (event: unknown, context: Partial<Context>) => Promise<unknown>;

/** API Gateway's payload limit for an HTTP API (10 MB, not adjustable). */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The local server's default body limit: four times the functions' own MAX_BODY_BYTES, so a
 * body a function refuses still gets its 400 naming `body`, and anything far larger is refused
 * with 413 before it is kept in memory.
 */
export const LOCAL_MAX_BODY_BYTES = 256 * 1024;

export interface ServeOptions {
  port: number;
  host?: string;
  routes?: readonly Route[];
  /** Bodies larger than this get 413 before any handler runs (default LOCAL_MAX_BODY_BYTES; at most GATEWAY_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Answers what is not the API (the pages, the local sign-in) when it returns true. */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

interface Reply {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body?: string;
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

/** A problem document for what the gateway itself refuses (405, 413), in the shape problemResponse gives. */
function gatewayProblem(
  status: number,
  name: string,
  title: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return {
    statusCode: status,
    headers: { 'content-type': PROBLEM_JSON, ...headers },
    body: JSON.stringify({
      ...extra,
      type: `https://onewindow.example/problems/${name}`,
      title,
      status,
      detail,
      instance,
    }),
  };
}

/** The request target split as API Gateway sees it: the raw path and the raw query string. */
function splitTarget(target: string): { rawPath: string; rawQuery: string } {
  let origin = target;
  // An absolute-form target (http://host/path) names its path after the authority.
  if (!origin.startsWith('/')) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(origin);
    origin = m ? m[1] || '/' : '/';
  }
  const hash = origin.indexOf('#');
  if (hash >= 0) origin = origin.slice(0, hash);
  const q = origin.indexOf('?');
  return q < 0 ? { rawPath: origin, rawQuery: '' } : { rawPath: origin.slice(0, q), rawQuery: origin.slice(q + 1) };
}

function decodeSegment(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError([{ field: `path.${name}`, message: 'is not valid percent-encoded UTF-8' }]);
  }
}

function decodedPath(rawPath: string): string {
  try {
    return decodeURI(rawPath);
  } catch {
    throw new ValidationError([{ field: 'path', message: 'is not valid percent-encoded UTF-8' }]);
  }
}

/** The body's text, or (over the limit) how many of its bytes were read before reading stopped. */
type Body = { ok: true; text: string } | { ok: false; read: number };

/**
 * Reads the body, up to `limit` bytes: a body declared longer is not read at all, and one that
 * runs past the limit stops being kept there (drain() drops the rest).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({ ok: false, read: 0 });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve({ ok: false, read: size });
    };
    const onEnd = () => {
      resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    };
    const onError = (error: Error) => {
      reject(error);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/**
 * Reads and drops what is left of a refused body, so that the next request on the connection
 * is parsed from where this one ends. Returns false for a body declared longer than `limit`:
 * that connection is closed after the response instead. A chunked body that runs past `limit`
 * while it is dropped loses its connection then.
 */
function drain(req: IncomingMessage, res: ServerResponse, limit: number, alreadyRead: number): boolean {
  if (req.complete) return true;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return false;
  let dropped = alreadyRead;
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped <= limit) return;
    req.off('data', onData);
    if (res.writableFinished) req.socket.destroy();
    else
      res.once('finish', () => {
        req.socket.destroy();
      });
  };
  req.on('data', onData);
  req.resume();
  return true;
}

function tooLarge(limit: number, instance: string): Reply {
  return gatewayProblem(
    413,
    'PayloadTooLarge',
    'Payload too large',
    `the request body is larger than ${limit} bytes, the most this API accepts`,
    instance,
    { errors: [{ field: 'body', message: `is larger than ${limit} bytes` }], maxBytes: limit },
  );
}

export async function serveRoutes(
  handlers: Record<string, Handler>,
  options: ServeOptions,
): Promise<{ server: Server; url: string }> {
  const compiled = (options.routes ?? ROUTES).map(compile);
  const maxBodyBytes = options.maxBodyBytes ?? LOCAL_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > GATEWAY_MAX_BODY_BYTES)
    throw new Error(
      `maxBodyBytes must be a whole number of bytes from 1 to ${GATEWAY_MAX_BODY_BYTES}, not ${maxBodyBytes}`,
    );
  // A refused body is read and dropped up to this much, to keep its connection.
  const drainLimit = 2 * maxBodyBytes;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (options.before?.(req, res)) return;
    const method = (req.method ?? 'GET').toUpperCase();
    const { rawPath, rawQuery } = splitTarget(req.url ?? '/');
    const send = (result: Reply) => {
      if (res.headersSent) return;
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(result.body ?? '');
    };
    // Whatever happens, the body is consumed (or the connection closed), so that the next
    // request on a kept-alive connection is read from where this one ends.
    const refuse = (result: Reply, bodyRead: number) => {
      const keepAlive = drain(req, res, drainLimit, bodyRead);
      // Node closes the connection once a response that says so is written.
      if (!keepAlive) result.headers = { ...result.headers, connection: 'close' };
      send(result);
    };
    let instance = rawPath;
    try {
      const path = decodedPath(rawPath);
      instance = path;
      const candidates = compiled.filter((c) => c.pattern.test(rawPath));
      const match = candidates.find((c) => c.route.method === method);
      if (!match) {
        if (!candidates.length) throw new NotFoundError(`the path ${path}`);
        const allowed = [...new Set(candidates.map((c) => c.route.method))];
        refuse(
          gatewayProblem(
            405,
            'MethodNotAllowed',
            'Method not allowed',
            `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`,
            path,
            { errors: [{ field: 'method', message: `must be one of ${allowed.join(', ')}` }], allowed },
            { allow: allowed.join(', ') },
          ),
          0,
        );
        return;
      }
      const values = match.pattern.exec(rawPath)?.slice(1) ?? [];
      const pathParameters = Object.fromEntries(match.names.map((n, i) => [n, decodeSegment(values[i], n)]));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
        else if (Array.isArray(v)) headers[k.toLowerCase()] = v.join(',');
      }
      const body = await readBody(req, maxBodyBytes);
      if (!body.ok) {
        refuse(tooLarge(maxBodyBytes, path), body.read);
        return;
      }
      const query: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(rawQuery)) query[k] = k in query ? `${query[k]},${v}` : v;
      const event = {
        version: '2.0',
        routeKey: routeKey(match.route),
        rawPath,
        rawQueryString: rawQuery,
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: match.names.length ? pathParameters : undefined,
        body: body.text === '' ? undefined : body.text,
        isBase64Encoded: false,
        requestContext: {
          http: {
            method,
            path: rawPath,
            protocol: `HTTP/${req.httpVersion}`,
            sourceIp: req.socket.remoteAddress ?? '',
            userAgent: headers['user-agent'] ?? '',
          },
          routeKey: routeKey(match.route),
          requestId: randomUUID(),
          stage: '$default',
          timeEpoch: Date.now(),
        },
      };
      const handler = handlers[match.route.fn];
      send((await handler(event, lambdaContext(match.route.fn))) as Reply);
    } catch (error) {
      refuse(problemResponse(error, instance), 0);
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Only writing the response can fail here (the client went away): drop the connection.
      req.socket.destroy();
    });
  });
  // What Node's parser refuses before there is a request (a malformed request line or header,
  // headers too large) gets problem+json too, instead of Node's bare 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, title] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout']
          : [400, 'Bad Request'];
    const body = JSON.stringify({
      type: 'https://onewindow.example/problems/MalformedRequest',
      title,
      status,
      detail: status === 400 ? 'the request is not valid HTTP/1.1' : title.toLowerCase(),
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\ncontent-type: ${PROBLEM_JSON}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${options.host ?? '127.0.0.1'}:${port}` };
}
