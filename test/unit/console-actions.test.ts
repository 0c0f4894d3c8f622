/**
 * How the console's forms report what the API answered (web/src/lib/action.ts over
 * web/src/api/http.ts), against a real HTTP server on 127.0.0.1: a 429 says in how many seconds to
 * retry, a 400's problem+json field errors are keyed by the API's field names for the form to show
 * beside each field, and a second click while one is running sends nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call } from '../../web/src/api/http';
import { useAction } from '../../web/src/lib/action';

describe("the console's actions", () => {
  let server: Server;
  let base: string;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/busy') {
        res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '42' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429 }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/problem+json' });
      res.end(
        JSON.stringify({
          title: 'Bad Request',
          status: 400,
          detail: 'contact.phone: must be a mainland mobile number',
          errors: [
            { field: 'contact.phone', message: 'must be a mainland mobile number, e.g. 13800001234' },
            { field: 'materials[0]', message: 'unknown material' },
            { field: 'materials[1]', message: 'unknown material too' },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('says in how many seconds to retry when the API answers 429', async () => {
    // Arrange
    const action = useAction();
    // Act
    const ok = await action.run(() => call(`${base}/busy`, { method: 'POST', body: {} }), 'done');
    // Assert
    expect(ok).toBe(false);
    expect(action.error.value).toBe('请求过于频繁，请在 42 秒后再试（Too many requests）');
    expect(action.message.value).toBeUndefined();
  });

  it("puts a 400's field errors under the API's field names, a list's items under the list", async () => {
    // Arrange
    const action = useAction();
    // Act
    await action.run(() => call(`${base}/inquiries`, { method: 'POST', body: {} }), 'done');
    // Assert
    expect(action.fields.value).toEqual({
      'contact.phone': 'must be a mainland mobile number, e.g. 13800001234',
      materials: 'unknown material；unknown material too',
    });
    expect(action.error.value).toContain('填写的内容有误');
  });

  it('sends nothing while the same action runs, nor when the checks before sending find a problem', async () => {
    // Arrange
    const action = useAction();
    const before = requests;
    // Act
    const first = action.run(() => call(`${base}/inquiries`, { method: 'POST', body: {} }), 'done');
    const second = await action.run(() => call(`${base}/inquiries`, { method: 'POST', body: {} }), 'done');
    await first;
    const checked = await action.run(() => call(`${base}/inquiries`, { method: 'POST', body: {} }), 'done', [
      { field: 'matter', message: '请写明咨询事项' },
    ]);
    // Assert
    expect(second).toBe(false);
    expect(checked).toBe(false);
    expect(action.fields.value).toEqual({ matter: '请写明咨询事项' });
    expect(requests - before).toBe(1);
  });
});
