/**
 * What each function may reach, written once: the capabilities (ports) its wiring gives it.
 *
 * - The wiring (shared/wiring.ts) builds only these for a function, and every port checks, on
 *   each call, that the function calling it holds the capability (shared/adapters/capabilities.ts):
 *   the local runtime runs each handler as its function, so any suite that makes a function use
 *   a port it lacks fails there, with a message naming the function and the capability.
 * - The CDK stack grants each function exactly the IAM actions of its capabilities
 *   (infra/aws/stateless-stack.ts), and test/infra/permissions.test.ts checks the synthesized
 *   policies and environments against this map, both ways: nothing missing, nothing more.
 * - test/integration/permissions.test.ts runs every function through its journeys and checks
 *   that each capability declared here is one its code uses.
 */
import type { FunctionName } from './routes';

export const CAPABILITIES = [
  /** GetItem, Query, BatchGetItem on the main table and its indexes. */
  'table:read',
  /** PutItem, UpdateItem, DeleteItem, BatchWriteItem on the main table. */
  'table:write',
  /** PutItem of REPORT#<month> items only (a finished month's report, stored once). */
  'reports:put',
  /** PutEvents on the default bus (domain events the notify function turns into SMS). */
  'events:publish',
  /** Hand an SMS to the carrier: sns:Publish (or the SMS provider's credentials). */
  'sms:send',
  /** Start an execution of the review state machine. */
  'workflow:start',
  /** Answer a review task's token (SendTaskSuccess, SendTaskFailure). */
  'workflow:answer',
  /** Hash phone and ID numbers with the PII hash key (a secret). */
  'pii:hash',
  /** Verify the SMS provider's pushes (replies, receipts) with the callback key (a secret; Alibaba Cloud SMS only). */
  'sms:callbacks',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type SmsProvider = 'sns' | 'aliyun';

const READ_WRITE: readonly Capability[] = ['table:read', 'table:write'];

/** Each function's capabilities (with SNS as the SMS carrier). */
export const FUNCTION_CAPABILITIES: Readonly<Record<FunctionName, readonly Capability[]>> = {
  // The service guide and the API description are in the code: the catalog function reads no table.
  catalog: [],
  // A one-time code request publishes code.requested: notify derives the code and sends it.
  submission: [...READ_WRITE, 'pii:hash', 'events:publish'],
  // Acceptance of a joint or staged item starts its review; a decision publishes case.decided.
  routing: [...READ_WRITE, 'events:publish', 'workflow:start'],
  admin: [...READ_WRITE],
  // Art. 32 deems a joint item accepted and starts its review, as an acceptance by staff would.
  jobs: [...READ_WRITE, 'events:publish', 'workflow:start'],
  feedback: [...READ_WRITE, 'events:publish', 'pii:hash'],
  // Derives the receipt's query code and a one-time code from their keyed hashes to send them.
  notify: [...READ_WRITE, 'sms:send', 'pii:hash'],
  // Runs the state machine's tasks, answers their tokens, consolidates, and re-starts a failed start.
  review: [...READ_WRITE, 'events:publish', 'workflow:start', 'workflow:answer'],
  reports: ['table:read', 'reports:put'],
  supervision: ['table:read'],
};

/** What the SMS provider adds: Alibaba Cloud SMS pushes replies and receipts to URLs signed with the callback key. */
const PROVIDER_EXTRAS: Readonly<Record<SmsProvider, Partial<Record<FunctionName, readonly Capability[]>>>> = {
  sns: {},
  aliyun: { feedback: ['sms:callbacks'] },
};

/** A function's capabilities with the given SMS provider. */
export function capabilitiesOf(fn: FunctionName, provider: SmsProvider = 'sns'): readonly Capability[] {
  return [...new Set([...FUNCTION_CAPABILITIES[fn], ...(PROVIDER_EXTRAS[provider][fn] ?? [])])];
}

/** What an IAM statement is on: the table, its REPORT# items, the default bus, the review machine, a secret, or no ARN. */
export type GrantTarget =
  | 'table'
  | 'table:REPORT#'
  | 'event-bus:default'
  | 'state-machine:review'
  | 'secret:pii-hash-key'
  | 'secret:aliyun-sms-credentials'
  | 'secret:sms-callback-key'
  | 'phone-numbers';

export interface Grant {
  actions: readonly string[];
  on: GrantTarget;
}

const SECRET_READ = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

/** The IAM grants of each capability (besides the basic execution role, tracing and the on-failure queue). */
export const CAPABILITY_GRANTS: Readonly<Record<Capability, (provider: SmsProvider) => readonly Grant[]>> = {
  'table:read': () => [
    {
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'],
      on: 'table',
    },
  ],
  'table:write': () => [
    {
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      on: 'table',
    },
  ],
  'reports:put': () => [{ actions: ['dynamodb:PutItem'], on: 'table:REPORT#' }],
  'events:publish': () => [{ actions: ['events:PutEvents'], on: 'event-bus:default' }],
  // SNS publishes to a phone number, which has no ARN; Alibaba Cloud SMS is reached with credentials.
  'sms:send': (provider) =>
    provider === 'sns'
      ? [{ actions: ['sns:Publish'], on: 'phone-numbers' }]
      : [{ actions: SECRET_READ, on: 'secret:aliyun-sms-credentials' }],
  'workflow:start': () => [{ actions: ['states:StartExecution'], on: 'state-machine:review' }],
  'workflow:answer': () => [
    { actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], on: 'state-machine:review' },
  ],
  'pii:hash': () => [{ actions: SECRET_READ, on: 'secret:pii-hash-key' }],
  'sms:callbacks': () => [{ actions: SECRET_READ, on: 'secret:sms-callback-key' }],
};

/** Every (action, target) a function needs with the given SMS provider, as "action on target" strings, sorted. */
export function grantsOf(fn: FunctionName, provider: SmsProvider = 'sns'): string[] {
  const pairs = capabilitiesOf(fn, provider).flatMap((c) =>
    CAPABILITY_GRANTS[c](provider).flatMap((g) => g.actions.map((a) => `${a} on ${g.on}`)),
  );
  return [...new Set(pairs)].sort();
}

/** Whether a function holds a capability. */
export function holds(fn: FunctionName, capability: Capability, provider: SmsProvider = 'sns'): boolean {
  return capabilitiesOf(fn, provider).includes(capability);
}
