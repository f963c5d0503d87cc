import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../store/database';
import { NODE, STEWARD } from './cli';
import type { FakeWecom } from './fake-wecom/fake-wecom';

/** `steward start` as an operator runs it, in a child process a test can stop, or kill as a fault would. */
export interface RunningService {
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, waiting for the exit; answers the exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
  /** SIGKILL: no graceful anything. */
  kill(): Promise<void>;
}

/** The service's environment: a free port on loopback, `extra` (undefined removes a variable), WeCom pointed at `fake`. */
export function serviceEnv(extra: NodeJS.ProcessEnv, fake?: FakeWecom): NodeJS.ProcessEnv {
  const wecom: NodeJS.ProcessEnv = fake
    ? { WECOM_CORP_ID: fake.corpId, WECOM_AGENT_ID: String(fake.agentId), WECOM_SECRET: fake.secret, WECOM_TOKEN: fake.token, WECOM_AES_KEY: fake.aesKey, WECOM_API_BASE: fake.base }
    : {};
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...wecom, ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

export async function startService(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunningService> {
  const child = spawn(NODE, [...STEWARD, 'start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening:\n${output}`));
    });
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = () => (exited() ? Promise.resolve(child.exitCode) : new Promise<number | null>((r) => child.once('exit', (code) => r(code))));
  return {
    port,
    child,
    output: () => output,
    async stop() {
      if (exited()) return child.exitCode;
      const done = waitExit();
      child.kill('SIGTERM');
      return done;
    },
    async kill() {
      if (exited()) return;
      const done = waitExit();
      child.kill('SIGKILL');
      await done;
    },
  };
}

/** The embedded server a data directory's service runs (store/embedded/shared-server.ts writes this file). */
export async function embeddedServer(dataDir: string): Promise<{ pid: number; port: number }> {
  return JSON.parse(await readFile(path.join(dataDir, 'ferretdb.server.json'), 'utf8')) as { pid: number; port: number };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it holds; throws after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}
