/**
 * The one list of schedules (infra/schedules.ts) and the jobs function, read by both runtimes:
 * the CDK app makes an EventBridge rule per schedule with the `{ job }` input, and the local
 * scheduler fires the same event on its interval and stops with the runtime.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/aws/app';
import { deployedRoutes, FUNCTIONS, LOCAL_ONLY_FUNCTIONS, ROUTES } from '../../infra/routes';
import { SCHEDULES, type JobSchedule } from '../../infra/schedules';
import { LocalScheduler } from '../../infra/local/scheduler';
import { JOBS } from '../../functions/jobs/jobs';
import { memoryLogger } from '../../shared/adapters/logger';

function synth() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(buildApp(app).stateless);
}

describe('the schedules', () => {
  const stateless = synth();

  it('name a deployed function, a job the jobs function knows when it is the target, and an EventBridge schedule expression', () => {
    for (const s of SCHEDULES) {
      expect(FUNCTIONS).toContain(s.fn);
      if (s.fn === 'jobs') expect(Object.keys(JOBS)).toContain(s.job);
      expect(s.cron).toMatch(/^(cron\(\S+ \S+ \S+ \S+ \S+ \S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/);
    }
    expect(new Set(SCHEDULES.map((s) => s.name)).size).toBe(SCHEDULES.length);
    expect(new Set(SCHEDULES.map((s) => s.job)).size).toBe(SCHEDULES.length);
  });

  it('become one EventBridge rule each, invoking its function with { job }', () => {
    // Arrange
    const rules = (Object.values(stateless.findResources('AWS::Events::Rule')) as any[]).filter(
      (r) => r.Properties.ScheduleExpression,
    );
    const functionIds = Object.keys(stateless.findResources('AWS::Lambda::Function'));
    // Assert
    expect(rules).toHaveLength(SCHEDULES.length);
    for (const s of SCHEDULES) {
      const rule = rules.find((r) => JSON.parse(r.Properties.Targets[0].Input).job === s.job);
      const fnId = functionIds.find((id) => id.startsWith(`${s.fn[0].toUpperCase()}${s.fn.slice(1)}Function`));
      expect(rule.Properties).toEqual(
        expect.objectContaining({
          ScheduleExpression: s.cron,
          State: 'ENABLED',
          Targets: [
            expect.objectContaining({ Input: JSON.stringify({ job: s.job }), Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } }),
          ],
        }),
      );
    }
  });

  it('may invoke the jobs function (EventBridge is allowed to), which has no HTTP route and room to sweep', () => {
    // Arrange
    const functions = stateless.findResources('AWS::Lambda::Function') as Record<string, any>;
    const [jobsId, jobs] = Object.entries(functions).find(([id]) => id.startsWith('JobsFunction'))!;
    const permissions = Object.values(stateless.findResources('AWS::Lambda::Permission')) as any[];
    // Assert
    expect(
      permissions.some(
        (p) =>
          p.Properties.Principal === 'events.amazonaws.com' &&
          JSON.stringify(p.Properties.FunctionName).includes(jobsId),
      ),
    ).toBe(true);
    expect(deployedRoutes().filter((r) => r.fn === 'jobs')).toEqual([]);
    expect(jobs.Properties.Timeout).toBe(300);
  });

  it('keep local-only functions local: every route they serve is local-only, and none is deployed', () => {
    const localRoutes = ROUTES.filter((r) => (LOCAL_ONLY_FUNCTIONS as readonly string[]).includes(r.fn));
    expect(localRoutes.length).toBeGreaterThan(0);
    expect(localRoutes.every((r) => r.localOnly)).toBe(true);
    expect(deployedRoutes().some((r) => (LOCAL_ONLY_FUNCTIONS as readonly string[]).includes(r.fn))).toBe(false);
  });
});

describe('the local scheduler', () => {
  const schedule: JobSchedule = {
    name: 'Every2',
    description: 'test',
    cron: 'cron(0/2 * * * ? *)',
    everyMinutes: 2,
    fn: 'jobs',
    job: 'deem-acceptance',
  };

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires each schedule on its interval with the event EventBridge sends, until stopped', async () => {
    // Arrange
    const events: unknown[] = [];
    const scheduler = new LocalScheduler({ jobs: (event) => Promise.resolve(events.push(event)) }, memoryLogger(), [
      schedule,
    ]);
    scheduler.start();
    // Act
    await jest.advanceTimersByTimeAsync(2 * 60_000 - 1);
    const beforeFirst = events.length;
    await jest.advanceTimersByTimeAsync(1);
    await jest.advanceTimersByTimeAsync(2 * 60_000);
    await scheduler.stop();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    // Assert
    expect(beforeFirst).toBe(0);
    expect(events).toEqual([{ job: 'deem-acceptance' }, { job: 'deem-acceptance' }]);
  });

  it('skips a firing while the previous run of the schedule is still going', async () => {
    // Arrange
    let calls = 0;
    let finish!: () => void;
    const scheduler = new LocalScheduler(
      {
        jobs: () => {
          calls++;
          return new Promise<void>((r) => (finish = r));
        },
      },
      memoryLogger(),
      [schedule],
    );
    scheduler.start();
    // Act
    await jest.advanceTimersByTimeAsync(6 * 60_000);
    finish();
    await scheduler.stop();
    // Assert
    expect(calls).toBe(1);
  });

  it('logs a failed run and keeps firing', async () => {
    // Arrange
    const logger = memoryLogger();
    let calls = 0;
    const scheduler = new LocalScheduler(
      {
        jobs: () => {
          calls++;
          return Promise.reject(new Error('dynamo is down'));
        },
      },
      logger,
      [schedule],
    );
    scheduler.start();
    // Act
    await jest.advanceTimersByTimeAsync(4 * 60_000);
    await scheduler.stop();
    // Assert
    expect(calls).toBe(2);
    expect(logger.lines.join('\n')).toContain('scheduled job failed');
  });

  it('refuses to run a job it does not know', async () => {
    const scheduler = new LocalScheduler({}, memoryLogger(), []);
    await expect(scheduler.runNow('make-coffee')).rejects.toThrow('make-coffee');
  });
});
