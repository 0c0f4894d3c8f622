/** Starts the local runtime the way `npm start` does (a child process, on the engine under test: ./engine.ts), and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { engineStartEnv } from './engine';

export interface Started {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');

export async function startLikeNpmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'infra', 'local', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...engineStartEnv(env.ONEWINDOW_DATA_DIR),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const append = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the runtime did not start in 30 s:\n${out}`));
    }, 30_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the runtime exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }
        child.removeAllListeners('exit');
        child.once('exit', (code) => {
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}
