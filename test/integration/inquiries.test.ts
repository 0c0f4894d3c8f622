/** The first-inquiry log (首问负责制) over HTTP: staff log inquiries; a month's log of the department, contacts masked. */
import { startHarness, type Harness } from '../support/harness';

describe('the first-inquiry log', () => {
  let h: Harness;
  let envWindow: string;
  let envReviewer: string;
  let civilWindow: string;

  beforeAll(async () => {
    h = await startHarness({ clockStart: '2026-09-30T23:30:00+08:00' });
    envWindow = await h.token({ sub: 'env-a2', role: 'window', dept: 'ENV' });
    envReviewer = await h.token({ sub: 'env-r1', role: 'reviewer', dept: 'ENV' });
    civilWindow = await h.token({ sub: 'civil-a1', role: 'window', dept: 'CIVIL' });
  });
  afterAll(async () => h.stop());

  it("logs an inquiry with the China date, the staff member and the department, and lists it in the department's month with the contact masked", async () => {
    // Act
    const logged = await h.call('POST', '/inquiries', {
      token: envWindow,
      body: {
        matter: '社会团体成立登记需要哪些材料',
        contact: { name: '王小五', phone: '13800001234' },
        outcome: 'handed-over',
        handedTo: 'CIVIL-01',
        note: '已引导至民政窗口',
      },
    });
    const list = await h.call('GET', '/inquiries?month=2026-09', { token: envReviewer });
    const otherDept = await h.call('GET', '/inquiries?month=2026-09', { token: civilWindow });
    // Assert
    expect(logged.status).toBe(201);
    expect(logged.body).toEqual(
      expect.objectContaining({
        date: '2026-09-30',
        staff: 'env-a2',
        department: 'ENV',
        outcome: 'handed-over',
        handedTo: 'CIVIL-01',
        handedToDepartment: 'CIVIL',
      }),
    );
    expect(list.body).toEqual(
      expect.objectContaining({
        department: 'ENV',
        month: '2026-09',
        total: 1,
        outcomes: { answered: 0, 'handed-over': 1, pending: 0 },
      }),
    );
    expect(list.body.inquiries[0]).toEqual(
      expect.objectContaining({
        matter: '社会团体成立登记需要哪些材料',
        contact: { name: '王**', phone: '138****1234' },
      }),
    );
    expect(list.text).not.toContain('13800001234');
    expect(logged.text).not.toContain('13800001234');
    expect(otherDept.body.inquiries).toEqual([]);
  });

  it('files an inquiry under the month of its China date, and lists the current month by default', async () => {
    // Arrange: 2026-10-01 00:30 in China is still September in UTC
    h.clock.set('2026-10-01T00:30:00+08:00');
    // Act
    await h.call('POST', '/inquiries', {
      token: envWindow,
      body: { matter: '环评登记表如何填写', contact: {}, outcome: 'answered' },
    });
    const current = await h.call('GET', '/inquiries', { token: envWindow });
    // Assert
    expect(current.body.month).toBe('2026-10');
    expect(current.body.inquiries.map((i: any) => [i.date, i.matter])).toEqual([['2026-10-01', '环评登记表如何填写']]);
  });

  it('refuses a bad inquiry with a problem document naming every bad field', async () => {
    // Act
    const shape = await h.call('POST', '/inquiries', {
      token: envWindow,
      body: { matter: ' ', contact: { phone: '12345' }, outcome: 'forwarded' },
    });
    const handOver = await h.call('POST', '/inquiries', {
      token: envWindow,
      body: { matter: '取水许可', contact: {}, outcome: 'handed-over', handedTo: 'WATER-09' },
    });
    const month = await h.call('GET', '/inquiries?month=2026-13', { token: envWindow });
    // Assert
    expect(shape.status).toBe(400);
    expect(shape.headers.get('content-type')).toContain('application/problem+json');
    expect(shape.body.errors.map((e: any) => e.field).sort()).toEqual(['contact.phone', 'matter', 'outcome']);
    expect(handOver.status).toBe(400);
    expect(handOver.body.errors).toEqual([{ field: 'handedTo', message: 'no window post has the code "WATER-09"' }]);
    expect(month.status).toBe(400);
    expect(month.body.errors.map((e: any) => e.field)).toEqual(['query.month']);
  });

  it('is for staff only', async () => {
    const post = await h.call('POST', '/inquiries', { body: { matter: 'x', contact: {}, outcome: 'answered' } });
    const get = await h.call('GET', '/inquiries');
    expect([post.status, get.status]).toEqual([401, 401]);
  });
});
