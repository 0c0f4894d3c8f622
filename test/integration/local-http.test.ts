/**
 * What the local HTTP server answers itself, as API Gateway would: never a 500 for input, every
 * refusal application/problem+json, and the connection still usable after it.
 */
import { connect } from 'node:net';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { LOCAL_MAX_BODY_BYTES } from '../../infra/local/http';
import { MAX_BODY_BYTES } from '../../shared/http/function';
import { startHarness, type Harness } from '../support/harness';

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** An HTTP/1.1 request as bytes; a body given as chunks is sent chunked (no Content-Length). */
function httpRequest(method: string, path: string, body?: Buffer | string | Buffer[], last = false): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', `connection: ${last ? 'close' : 'keep-alive'}`];
  if (body === undefined) return Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1');
  head.push('content-type: application/json');
  if (Array.isArray(body)) {
    head.push('transfer-encoding: chunked');
    const framed = body.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]);
    return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), ...framed, Buffer.from('0\r\n\r\n')]);
  }
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  head.push(`content-length: ${bytes.length}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]);
}

/** Parses the responses a server sent on one connection, in order. */
function parseResponses(raw: Buffer): RawReply[] {
  const text = raw.toString('latin1');
  const replies: RawReply[] = [];
  let at = 0;
  while (at < text.length) {
    const headEnd = text.indexOf('\r\n\r\n', at);
    if (headEnd < 0) throw new Error(`an incomplete response: ${text.slice(at, at + 200)}`);
    const [statusLine, ...lines] = text.slice(at, headEnd).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    at = headEnd + 4;
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const sizeEnd = text.indexOf('\r\n', at);
        const size = parseInt(text.slice(at, sizeEnd), 16);
        at = sizeEnd + 2 + size + 2;
        if (size === 0) break;
        body += text.slice(sizeEnd + 2, sizeEnd + 2 + size);
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      body = text.slice(at, at + length);
      at += length;
    }
    const utf8 = Buffer.from(body, 'latin1').toString('utf8');
    let parsed: unknown = utf8;
    try {
      parsed = utf8 ? JSON.parse(utf8) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    replies.push({ status: Number(statusLine.split(' ')[1]), headers, body: parsed });
  }
  return replies;
}

/**
 * Sends every request on one TCP connection, one after the other (the last asks the server to
 * close), and returns every response the server wrote on it.
 */
interface AgentReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
  /** Which connection (by local port) carried it. */
  localPort: number;
}

/** One request through a Node HTTP agent (a client that keeps its connections alive and reuses them). */
function viaAgent(agent: Agent, url: string, method: string, path: string, body?: Buffer): Promise<AgentReply> {
  return new Promise((resolve, reject) => {
    let localPort = 0;
    const req = request(new URL(path, url), { method, agent }, (res) => {
      localPort = res.socket.localPort ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : undefined,
          localPort,
        });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    if (body) {
      req.setHeader('content-type', 'application/json');
      req.setHeader('content-length', body.length);
    }
    req.end(body);
  });
}

async function onOneConnection(url: string, requests: Buffer[]): Promise<RawReply[]> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  for (const r of requests) socket.write(r);
  await closed;
  socket.destroy();
  return parseResponses(Buffer.concat(received));
}

describe('the local HTTP server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-28T09:00:00+08:00' });
  });
  afterAll(async () => {
    await h.stop();
  });
  const next = () => httpRequest('GET', '/items/ENV-EIA-FORM', undefined, true);

  it('answers a body over the server’s limit with 413 problem+json naming body, and serves the next request on the same connection', async () => {
    // Arrange
    const oversized = Buffer.alloc(LOCAL_MAX_BODY_BYTES + 1, 'a');

    // Act
    const [refused, after, ...more] = await onOneConnection(h.url, [httpRequest('POST', '/cases', oversized), next()]);

    // Assert
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      status: 413,
      title: 'Payload too large',
      errors: [{ field: 'body', message: `is larger than ${LOCAL_MAX_BODY_BYTES} bytes` }],
    });
    expect(after.status).toBe(200);
    expect(after.body.code).toBe('ENV-EIA-FORM');
    expect(more).toEqual([]);
  });

  it('refuses an oversized body, a bad %-escape and a missing method through a keep-alive agent, and serves the next request on the same connection', async () => {
    // Arrange: one kept-alive connection at most, so every request must reuse it
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Act
      const first = await viaAgent(agent, h.url, 'GET', '/items/ENV-EIA-FORM');
      const tooLarge = await viaAgent(agent, h.url, 'POST', '/cases', Buffer.alloc(LOCAL_MAX_BODY_BYTES + 1, 'a'));
      const badPath = await viaAgent(agent, h.url, 'GET', '/items/ENV-%E0%A4%A');
      const badMethod = await viaAgent(agent, h.url, 'DELETE', '/items');
      const last = await viaAgent(agent, h.url, 'GET', '/items/ENV-EIA-FORM');

      // Assert
      expect([tooLarge.status, badPath.status, badMethod.status]).toEqual([413, 400, 405]);
      for (const r of [tooLarge, badPath, badMethod])
        expect(r.headers['content-type']).toBe('application/problem+json');
      expect(tooLarge.body.errors).toEqual([
        { field: 'body', message: `is larger than ${LOCAL_MAX_BODY_BYTES} bytes` },
      ]);
      expect(badPath.body.errors).toEqual([{ field: 'path', message: 'is not valid percent-encoded UTF-8' }]);
      expect(badMethod.headers.allow).toBe('GET');
      expect(last.status).toBe(200);
      expect(last.body.code).toBe('ENV-EIA-FORM');
      expect(new Set([first, tooLarge, badPath, badMethod, last].map((r) => r.localPort)).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('answers 413 to a chunked body (no Content-Length) once it passes the limit, and serves the next request on the same connection', async () => {
    // Arrange: 3 chunks of half the limit each
    const chunks = Array.from({ length: 3 }, () => Buffer.alloc(LOCAL_MAX_BODY_BYTES / 2, 'b'));

    // Act
    const [refused, after] = await onOneConnection(h.url, [httpRequest('POST', '/cases', chunks), next()]);

    // Assert
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(after.status).toBe(200);
    expect(after.body.code).toBe('ENV-EIA-FORM');
  });

  it('answers 413 at once to a body declared far over the limit, before it is sent, and then closes that connection', async () => {
    // Arrange: only the head of a request that announces 1 GB
    const head = Buffer.from(
      'POST /cases HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n',
    );

    // Act: the connection ends without the body ever being sent
    const replies = await onOneConnection(h.url, [head]);

    // Assert
    expect(replies).toHaveLength(1);
    expect(replies[0].status).toBe(413);
    expect(replies[0].headers.connection).toBe('close');
    expect(replies[0].headers['content-type']).toBe('application/problem+json');
  });

  it('hands a body over the functions’ limit but under the gateway’s to the function, which answers 400 naming body', async () => {
    // Arrange: twice the functions' limit (the server used to cut such a body short and answer 500)
    const body = JSON.stringify({ itemCode: 'ENV-EIA-FORM', note: 'x'.repeat(2 * MAX_BODY_BYTES) });

    // Act
    const [reply, after] = await onOneConnection(h.url, [httpRequest('POST', '/cases', body), next()]);

    // Assert
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body.errors).toEqual([{ field: 'body', message: `is larger than ${MAX_BODY_BYTES} bytes` }]);
    expect(after.status).toBe(200);
  });

  it('answers malformed JSON with 400 problem+json naming body', async () => {
    // Act
    const [reply] = await onOneConnection(h.url, [httpRequest('POST', '/cases', '{"itemCode": "ENV-EIA-FORM",', true)]);

    // Assert
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body.errors).toEqual([{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('answers a path that is not valid percent-encoding with 400 problem+json naming path, and serves the next request', async () => {
    // Act
    const [reply, after] = await onOneConnection(h.url, [
      httpRequest('POST', '/cases/ENV-%E0%A4%A/withdraw', '{"phone":"1234"}'),
      next(),
    ]);

    // Assert
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body.errors).toEqual([{ field: 'path', message: 'is not valid percent-encoded UTF-8' }]);
    expect(after.status).toBe(200);
  });

  it('answers a method the path lacks with 405 problem+json and an Allow header listing the path’s methods', async () => {
    // Act
    const [onItems, onComplaints, after] = await onOneConnection(h.url, [
      httpRequest('DELETE', '/items'),
      httpRequest('PUT', '/complaints', '{"text":"ignored"}'),
      next(),
    ]);

    // Assert
    expect(onItems.status).toBe(405);
    expect(onItems.headers.allow).toBe('GET');
    expect(onItems.headers['content-type']).toBe('application/problem+json');
    expect(onItems.body).toMatchObject({ status: 405, title: 'Method not allowed', allowed: ['GET'] });
    expect(onComplaints.status).toBe(405);
    expect(onComplaints.headers.allow.split(', ').sort()).toEqual(['GET', 'POST']);
    expect(after.status).toBe(200);
  });

  it('answers a request Node cannot parse (a malformed header) with 400 problem+json', async () => {
    // Arrange
    const malformed = Buffer.from('GET /items HTTP/1.1\r\nhost: 127.0.0.1\r\nno colon in this header\r\n\r\n');

    // Act
    const [reply, ...more] = await onOneConnection(h.url, [malformed]);

    // Assert
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ status: 400, detail: 'the request is not valid HTTP/1.1' });
    expect(more).toEqual([]);
  });

  it('answers a path no route has with 404 problem+json', async () => {
    // Act
    const [reply] = await onOneConnection(h.url, [httpRequest('GET', '/no/such/path', undefined, true)]);

    // Assert
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    expect(reply.body.detail).toBe('the path /no/such/path was not found');
  });

  it('passes percent-encoded path parameters to the function decoded', async () => {
    // Act: the item code with its hyphens percent-encoded
    const [reply] = await onOneConnection(h.url, [httpRequest('GET', '/items/ENV%2DEIA%2DFORM', undefined, true)]);

    // Assert
    expect(reply.status).toBe(200);
    expect(reply.body.code).toBe('ENV-EIA-FORM');
  });
});
