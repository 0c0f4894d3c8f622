/**
 * The OpenAPI document against the running API (issue 10, item 5): it is a valid OpenAPI 3.1
 * document (checked by @seriousme/openapi-schema-validator, run as its own CLI: the package is
 * ESM-only and reads its schemas through import.meta), it states the pattern or length of every
 * parameter, and every route, called for real in the local harness, answers one of the 2xx its
 * entry declares with a body that fits both the route's zod schema (functions/responses.ts)
 * and the JSON Schema the document publishes for that status (Ajv, draft 2020-12).
 *
 * The walk (Mon 2026-11-02 on): cases submitted, replayed, supplemented, withdrawn, accepted,
 * returned, completed, decided and rated; a follow-up worked to its fix rating; a complaint; a
 * joint case whose departments decide, one by timeout default, that one then filing its
 * opinion; reports, supervision, the calendar, A/B posts, inquiries and the local routes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { deployedRoutes, ROUTES, routeKey, type Route } from '../../infra/routes';
import { startHarness, type Harness } from '../support/harness';
import { APPLICANT, fullSubmission } from '../support/fixtures';
import { waitFor } from '../support/wait';

const catalog = loadDefaultCatalog();
const materialsOf = (code: string) =>
  catalog
    .item(code)!
    .materials.filter((m) => !m.condition)
    .map((m) => m.code);
const JOINT = 'MKT-ENTERPRISE-JOINT';
/** Routes the walk does not call, and why. */
const NOT_CALLED: Record<string, string> = {
  'POST /sms/aliyun/{kind}':
    'needs SMS_PROVIDER=aliyun and its fake (test/integration/aliyun-sms.test.ts); it answers the constant CALLBACK_ACK',
};

interface Seen {
  key: string;
  route: Route;
  status: number;
  contentType: string;
  body: unknown;
}

/** The route a concrete request is for: same method, and every segment literal or a {param}. */
function routeFor(method: string, url: string): Route {
  const segments = url.split('?')[0].split('/');
  const route = ROUTES.find((r) => {
    const t = r.path.split('/');
    return (
      r.method === method && t.length === segments.length && t.every((s, i) => s.startsWith('{') || s === segments[i])
    );
  });
  if (!route) throw new Error(`no route for ${method} ${url}`);
  return route;
}

describe('the OpenAPI document', () => {
  let h: Harness;
  let document: any;
  const seen: Seen[] = [];

  /** Calls the API and keeps what came back; a non-2xx stops the walk with what the API said. */
  async function call(method: string, url: string, options: Parameters<Harness['call']>[2] = {}) {
    const res = await h.call(method, url, options);
    const route = routeFor(method, url);
    seen.push({
      key: routeKey(route),
      route,
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      body: res.body,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
    return res;
  }

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-11-02T09:00:00+08:00' });
    const window = await h.token({ sub: 'env-a1', role: 'window', dept: 'ENV' });
    const supervisor = await h.token({ sub: 'sup-1', role: 'supervisor', dept: 'SUP' });
    const admin = await h.token({ sub: 'hall-admin', role: 'admin', dept: 'HALL' });
    const reviewer = (dept: string) => h.token({ sub: `${dept.toLowerCase()}-a1`, role: 'reviewer', dept });
    const submit = async (code: string, materials = materialsOf(code), headers: Record<string, string> = {}) =>
      (await call('POST', '/cases', { body: fullSubmission(code, materials, APPLICANT), headers })).body.caseNo;

    // the guide and this document
    await call('GET', '/items');
    await call('GET', '/items/ENV-EIA-FORM');
    document = (await call('GET', '/openapi.json')).body;

    // submission: 201, the replay 200; progress as the applicant and as staff; supplement; withdraw
    const decided = await submit('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), { 'idempotency-key': 'openapi-1' });
    await submit('ENV-EIA-FORM', materialsOf('ENV-EIA-FORM'), { 'idempotency-key': 'openapi-1' });
    await call('GET', `/cases/${decided}`, { headers: h.asApplicant(decided) });
    const incomplete = await submit('ENV-EIA-FORM', [materialsOf('ENV-EIA-FORM')[0]]);
    await call('POST', `/cases/${incomplete}/supplements`, {
      headers: h.asApplicant(incomplete),
      body: { materials: materialsOf('ENV-EIA-FORM').slice(1) },
    });
    const withdrawn = await submit('ENV-EIA-FORM');
    await call('POST', `/cases/${withdrawn}/withdraw`, {
      headers: { ...h.asApplicant(withdrawn), ...(await h.withOneTimeCode(withdrawn)) },
      body: { note: '不再需要' },
    });

    // one-time codes: a case's (for a lost query code), a phone's, and "my cases" with it
    h.clock.advance(61_000);
    await call('POST', `/cases/${decided}/one-time-code`, { body: {} });
    h.clock.advance(61_000);
    await call('POST', '/my-cases/one-time-code', { body: { phone: APPLICANT.phone } });
    const codeSms = (await h.deps.localSms!.outbox()).filter((m) => m.kind === 'one-time-code').at(-1);
    const phoneCode = /验证码(\d{6})/.exec(codeSms?.text ?? '')?.[1] ?? 'none';
    await call('POST', '/my-cases', { body: { phone: APPLICANT.phone }, headers: { 'x-one-time-code': phoneCode } });

    // routing: accept, decide, return, complete, history, worklist
    await call('POST', `/cases/${decided}/accept`, { token: window, body: {} });
    await call('GET', `/cases/${decided}`, { token: window });
    await call('POST', `/cases/${decided}/decide`, { token: window, body: { decision: 'approve' } });
    const returned = await submit('ENV-EIA-FORM');
    await call('POST', `/cases/${returned}/accept`, { token: window, body: {} });
    await call('POST', `/cases/${returned}/return`, {
      token: window,
      body: { problems: [{ code: materialsOf('ENV-EIA-FORM')[0], note: '盖章不清晰' }] },
    });
    const instant = await submit('ENV-EIA-REGISTRATION');
    await call('POST', `/cases/${instant}/complete`, { token: window, body: {} });
    await call('GET', `/cases/${decided}/history`, { token: window });
    await call('GET', '/worklist', { token: window });

    // feedback: a bad rating, its follow-up to the fix rating; a complaint
    await call('POST', `/cases/${decided}/rating`, {
      headers: h.asApplicant(decided),
      body: { level: 'very-dissatisfied' },
    });
    await call('GET', '/followups', { token: window });
    await call('POST', `/followups/FU-${decided}/actions`, { token: window, body: { type: 'verify', note: '已回访' } });
    await call('POST', `/followups/FU-${decided}/actions`, { token: window, body: { type: 'fix', note: '已整改' } });
    await call('POST', `/followups/FU-${decided}/fix-rating`, {
      headers: h.asApplicant(decided),
      body: { level: 'satisfied' },
    });
    const complaint = (
      await call('POST', '/complaints', {
        body: { who: '王五', contact: '13900005678', caseNo: decided, text: '窗口答复不清楚' },
      })
    ).body.id;
    await call('GET', '/complaints', { token: supervisor });
    await call('POST', `/complaints/${complaint}/actions`, { token: supervisor, body: { type: 'handle' } });
    await call('GET', '/complaints/assigned', { token: window });

    // the admin function
    await call('PUT', '/calendar/2027', { token: admin, body: { holidays: ['2027-01-01'], workdays: [] } });
    await call('GET', '/calendar/2027');
    await call('GET', '/calendar/2030');
    await call('PUT', '/posts/ENV-01/presence', { token: window, body: { person: 'b', present: true } });
    await call('GET', '/posts/ENV-01/presence', { token: window });
    await call('POST', '/inquiries', {
      token: window,
      body: { matter: '环评报告表需要哪些材料', contact: {}, outcome: 'answered' },
    });
    await call('GET', '/inquiries?month=2026-11', { token: window });

    // review: a joint case; four departments decide, PSB by timeout default, then files its opinion
    const joint = await submit(JOINT);
    await call('POST', `/cases/${joint}/accept`, {
      token: await h.token({ sub: 'mkt-a1', role: 'window', dept: 'MKT' }),
      body: {},
    });
    const openTask = async (dept: string) =>
      waitFor(async () => {
        const list = await call('GET', '/worklist', { token: await reviewer(dept) });
        return list.body.tasks.find((t: any) => t.caseNo === joint && t.status === 'open');
      }, dept);
    for (const dept of ['MKT', 'QS', 'STAX', 'LTAX']) {
      const task = await openTask(dept);
      await call('POST', `/tasks/${task.taskId}/decision`, {
        token: await reviewer(dept),
        body: { decision: 'approve' },
      });
    }
    const psb = await openTask('PSB');
    h.clock.set(`${psb.due}T23:59:59+08:00`);
    h.clock.advance(2000);
    await h.runJob('review', 'task-timeouts');
    await h.workflow.whenDone(joint);
    await call('POST', `/tasks/${psb.taskId}/opinion`, { token: await reviewer('PSB'), body: { opinion: '同意' } });

    // reports and supervision
    await call('GET', '/reports/2026-11', { token: supervisor });
    await call('GET', '/reports/2026-11?format=csv', { token: supervisor });
    await call('GET', '/reports?from=2026-11-01&to=2026-11-30', { token: admin });
    await call('GET', '/supervision', { token: supervisor });
    await call('GET', '/supervision/denials?month=2026-11', { token: supervisor });

    // the local runtime's own routes
    await call('POST', '/_local/sms/inbound', { body: { from: APPLICANT.phone, text: '1' } });
    await call('GET', '/_local/sms/outbox');
    await call('POST', '/_local/jobs/supervision-sweep', { token: admin, body: {} });
  }, 120_000);
  afterAll(async () => (h as Harness | undefined)?.stop()); // unset when beforeAll failed

  it('is a valid OpenAPI 3.1 document', () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
    // Act
    let out: string;
    try {
      out = execFileSync(process.execPath, [cli, file], { encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout?: string }).stdout ?? String(error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Assert
    expect(JSON.parse(out)).toEqual({ valid: true });
  });

  it('declares at least one 2xx with a body schema for every route', () => {
    // Act
    const without = ROUTES.filter((r) => Object.keys(r.responses).length === 0).map(routeKey);
    // Assert
    expect(without).toEqual([]);
  });

  it('lists the 201 of POST /cases, /complaints and /inquiries', () => {
    // Act
    const created = ['/cases', '/complaints', '/inquiries'].map((p) => Object.keys(document.paths[p].post.responses));
    // Assert
    for (const statuses of created) expect(statuses).toContain('201');
  });

  it('states a pattern, an enum or a length for every path parameter, query parameter and header', () => {
    // Act
    const unbounded = Object.entries(document.paths).flatMap(([path, ops]: [string, any]) =>
      Object.entries(ops).flatMap(([method, op]: [string, any]) =>
        (op.parameters ?? [])
          .filter(
            (p: any) =>
              p.schema?.type === 'string' &&
              p.schema.pattern === undefined &&
              p.schema.enum === undefined &&
              p.schema.maxLength === undefined,
          )
          .map((p: any) => `${method} ${path} ${p.in} ${p.name}`),
      ),
    );
    const caseNo = document.paths['/cases/{caseNo}'].get.parameters.find((p: any) => p.name === 'caseNo');
    const key = document.paths['/cases'].post.parameters.find((p: any) => p.name === 'Idempotency-Key');
    // Assert
    expect(unbounded).toEqual([]);
    expect(caseNo.schema).toEqual(expect.objectContaining({ maxLength: 40, pattern: '^[A-Za-z0-9._-]+$' }));
    expect(key.schema).toEqual(expect.objectContaining({ maxLength: 128, pattern: '^[\\x21-\\x7e]{1,128}$' }));
  });

  it('calls every route but those it names with their reason', () => {
    // Act
    const called = new Set(seen.map((s) => s.key));
    const missing = ROUTES.map(routeKey).filter((k) => !called.has(k) && !(k in NOT_CALLED));
    // Assert
    expect(missing).toEqual([]);
  });

  it("answers every call with a 2xx its route declares, whose body fits the route's zod schema", () => {
    // Act
    const misfits = seen.flatMap((s) => {
      const schema = s.route.responses[s.status as 200];
      if (!schema) return [`${s.key}: answered ${s.status}, declares ${Object.keys(s.route.responses).join(', ')}`];
      if (s.contentType.startsWith('text/csv')) return s.route.csv ? [] : [`${s.key}: text/csv undeclared`];
      const parsed = schema.safeParse(s.body);
      return parsed.success ? [] : [`${s.key} ${s.status}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`];
    });
    // Assert
    expect(misfits).toEqual([]);
    expect(seen.map((s) => s.status)).toEqual(expect.arrayContaining([200, 201, 202]));
  });

  it('answers every deployed route with a body that fits the JSON Schema the document publishes for its status', () => {
    // Arrange
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const deployed = new Set(deployedRoutes().map(routeKey));
    // Act
    const misfits = seen
      .filter((s) => deployed.has(s.key) && !s.contentType.startsWith('text/csv'))
      .flatMap((s) => {
        const declared =
          document.paths[s.route.path][s.route.method.toLowerCase()].responses[String(s.status)]?.content?.[
            'application/json'
          ]?.schema;
        if (!declared) return [`${s.key}: the document has no schema for ${s.status}`];
        const validate = ajv.compile(declared);
        return validate(s.body) ? [] : [`${s.key} ${s.status}: ${ajv.errorsText(validate.errors)}`];
      });
    // Assert
    expect(misfits).toEqual([]);
  });
});
