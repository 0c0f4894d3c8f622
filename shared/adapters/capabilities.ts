/**
 * Each port checks, on every call, that the function calling it holds the capability
 * (infra/permissions.ts). In AWS a process is one function (awsHandler names it); in the local
 * runtime every handler runs as its own function (runAsFunction), so a handler that reaches a
 * port its function is not given fails in the local suites exactly as it would fail in AWS for
 * want of an IAM permission, but with a message that says what to add.
 *
 * Every use is also recorded by function (usedCapabilities), for the test that checks each
 * declared capability is one the code uses.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { capabilitiesOf, type Capability, type SmsProvider } from '../../infra/permissions';
import type { FunctionName } from '../../infra/routes';
import type { SmsTransport } from './ports';
import type { Events } from './events';
import type { Workflow } from './workflow';
import type { PiiHasher } from './pii';

const current = new AsyncLocalStorage<FunctionName>();
let processFunction: FunctionName | undefined;
let provider: SmsProvider = 'sns';

const used = new Map<FunctionName, Set<Capability>>();
const refused: { fn: FunctionName; capability: Capability; what: string }[] = [];

/** Runs `work` as the function `fn` (the local runtime, around each handler invocation). */
export function runAsFunction<T>(fn: FunctionName, work: () => T): T {
  return current.run(fn, work);
}

/** This whole process is the function `fn` (a Lambda), with this SMS provider. */
export function setProcessFunction(fn: FunctionName | undefined, smsProvider: SmsProvider = 'sns'): void {
  processFunction = fn;
  provider = smsProvider;
}

/** The SMS provider the capabilities are checked for (the local runtime sets it from its configuration). */
export function setSmsProvider(smsProvider: SmsProvider): void {
  provider = smsProvider;
}

/** The function running now; undefined outside any (the local runtime's own start-up work). */
export function currentFunction(): FunctionName | undefined {
  return current.getStore() ?? processFunction;
}

/** What each function used so far in this process, and what was refused. */
export function usedCapabilities(): {
  used: ReadonlyMap<FunctionName, ReadonlySet<Capability>>;
  refused: typeof refused;
} {
  return { used, refused };
}

export class MissingCapabilityError extends Error {
  constructor(
    readonly fn: FunctionName,
    readonly capability: Capability,
    what: string,
  ) {
    super(
      `the ${fn} function is not given ${capability} (${what}): add it to ${fn} in infra/permissions.ts, which also grants it in AWS`,
    );
    this.name = 'MissingCapabilityError';
  }
}

/** Records the use of `capability` by the running function, and refuses it when that function lacks it. */
export function requireCapability(capability: Capability, what: string): void {
  const fn = currentFunction();
  if (!fn) return;
  if (!capabilitiesOf(fn, provider).includes(capability)) {
    refused.push({ fn, capability, what });
    throw new MissingCapabilityError(fn, capability, what);
  }
  let set = used.get(fn);
  if (!set) used.set(fn, (set = new Set()));
  set.add(capability);
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'GetCommand', 'BatchGetCommand']);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
]);

function partitionKeyOf(input: unknown): string | undefined {
  const pk = (input as { Item?: { pk?: unknown } } | undefined)?.Item?.pk;
  if (typeof pk === 'string') return pk;
  const s = (pk as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
}

/** Checks every command the table client sends against the running function's capabilities. */
export function guardTable(db: DynamoDBDocumentClient): DynamoDBDocumentClient {
  db.middlewareStack.add(
    (next, context) => (args) => {
      const command = context.commandName ?? '';
      if (READS.has(command)) requireCapability('table:read', command);
      else if (WRITES.has(command)) {
        const fn = currentFunction();
        const reportPut =
          /^Put(Item)?Command$/.test(command) && partitionKeyOf(args.input)?.startsWith('REPORT#') === true;
        if (reportPut && fn && capabilitiesOf(fn, provider).includes('reports:put'))
          requireCapability('reports:put', command);
        else requireCapability('table:write', command);
      } else if (command) {
        // Scans, transactions, table administration: no function is given them.
        requireCapability('table:write', command);
      }
      return next(args);
    },
    { step: 'initialize', name: 'onewindowCapabilities', priority: 'high' },
  );
  return db;
}

export function guardWorkflow(workflow: Workflow): Workflow {
  return {
    start: async (...args) => {
      requireCapability('workflow:start', 'StartExecution');
      return await workflow.start(...args);
    },
    sendTaskSuccess: async (...args) => {
      requireCapability('workflow:answer', 'SendTaskSuccess');
      await workflow.sendTaskSuccess(...args);
    },
    sendTaskFailure: async (...args) => {
      requireCapability('workflow:answer', 'SendTaskFailure');
      await workflow.sendTaskFailure(...args);
    },
  };
}

export function guardEvents(events: Events): Events {
  const durably = events.publishDurably?.bind(events);
  return {
    publish: async (event) => {
      requireCapability('events:publish', `PutEvents ${event.type}`);
      await events.publish(event);
    },
    // The outbox counts an effect done only once a durable publish resolves: keep it through the guard.
    ...(durably
      ? {
          publishDurably: async (event) => {
            requireCapability('events:publish', `PutEvents ${event.type}`);
            await durably(event);
          },
        }
      : {}),
  };
}

export function guardTransport(transport: SmsTransport): SmsTransport {
  return {
    deliver: async (message) => {
      requireCapability('sms:send', 'an SMS to the carrier');
      return await transport.deliver(message);
    },
  };
}

export function guardHasher(hasher: PiiHasher): PiiHasher {
  return {
    ...hasher,
    hash: (value) => {
      requireCapability('pii:hash', 'hashing a phone or ID number');
      return hasher.hash(value);
    },
  };
}
