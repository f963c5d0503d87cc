import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { isAlive, withDirLock } from './process-lock';

/** How to run one kind of local database server on a data directory. */
export interface ServerRecipe {
  kind: 'mongod' | 'ferretdb';
  binary: string;
  args(port: number, storageDir: string): string[];
}

/** A server this process uses; `release` stops it when no other process on the machine still does. */
export interface SharedServer {
  kind: ServerRecipe['kind'];
  port: number;
  pid: number;
  storageDir: string;
  reused: boolean;
  release(): Promise<void>;
  /** Whether the server process is still running. */
  alive(): boolean;
  /**
   * Starts the server again on the same data directory after it died, on its old port when that is free (so
   * connected drivers find it by themselves), or joins the one another process already restarted. Returns
   * the port it now listens on; `port` and `pid` follow.
   */
  restart(): Promise<number>;
}

interface ServerState {
  kind: ServerRecipe['kind'];
  pid: number;
  port: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitForPort(port: number, pid: number, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(port)) return;
    if (!isAlive(pid)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
  throw new Error(`the database server (pid ${pid}) did not accept connections on 127.0.0.1:${port}.\nLast lines of ${logFile}:\n${tail}`);
}

async function liveClients(clientsDir: string): Promise<number[]> {
  const names = await readdir(clientsDir).catch(() => [] as string[]);
  const alive: number[] = [];
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (pid && isAlive(pid)) alive.push(pid);
    else await rm(path.join(clientsDir, name), { force: true });
  }
  return alive;
}

/** True when nothing listens on `port` and this process may bind it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The server a data directory's state file names, when that server is of this kind and still serving. */
async function servingState(stateFile: string, kind: ServerRecipe['kind']): Promise<ServerState | undefined> {
  let state: ServerState;
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as ServerState;
  } catch {
    return undefined;
  }
  return state.kind === kind && isAlive(state.pid) && (await accepts(state.port)) ? state : undefined;
}

/** Spawns the server detached (it outlives this process if others use it) and waits for its port. */
async function spawnServer(recipe: ServerRecipe, port: number, storageDir: string, logFile: string): Promise<number> {
  const out = openSync(logFile, 'a');
  const child = spawn(recipe.binary, recipe.args(port, storageDir), { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${recipe.binary}`);
  await waitForPort(port, child.pid, logFile, 60_000);
  return child.pid;
}

/**
 * Starts the server on `dataDir`, or joins the one already serving it, so `npm start`, the console and
 * imports can share one data directory at the same time. The server runs detached; each process that uses
 * it registers its pid, and the last one to release it stops it.
 */
export async function acquireSharedServer(recipe: ServerRecipe, dataDir: string, onStart?: (port: number) => void): Promise<SharedServer> {
  const storageDir = path.join(dataDir, recipe.kind);
  const stateFile = path.join(dataDir, `${recipe.kind}.server.json`);
  const clientsDir = path.join(dataDir, `.${recipe.kind}.clients`);
  const logFile = path.join(dataDir, `${recipe.kind}.log`);
  return withDirLock(dataDir, async () => {
    await mkdir(storageDir, { recursive: true });
    await mkdir(clientsDir, { recursive: true });
    let state = await servingState(stateFile, recipe.kind);
    const reused = state !== undefined;
    if (!state) {
      const port = await freePort();
      onStart?.(port);
      state = { kind: recipe.kind, pid: await spawnServer(recipe, port, storageDir, logFile), port };
      await writeFile(stateFile, JSON.stringify(state));
    }
    // One entry per acquisition (pid + random), so two users inside one process count twice.
    const clientFile = path.join(clientsDir, `${process.pid}-${randomBytes(4).toString('hex')}`);
    await writeFile(clientFile, '');
    let { pid, port } = state;
    let released = false;
    const server: SharedServer = {
      kind: recipe.kind,
      port,
      pid,
      storageDir,
      reused,
      alive: () => isAlive(pid),
      restart: () =>
        withDirLock(dataDir, async () => {
          const current = await servingState(stateFile, recipe.kind);
          if (current) {
            ({ pid, port } = current); // another process of this data directory restarted it first
          } else {
            const next = (await portIsFree(port)) ? port : await freePort();
            pid = await spawnServer(recipe, next, storageDir, logFile);
            port = next;
            await writeFile(stateFile, JSON.stringify({ kind: recipe.kind, pid, port } satisfies ServerState));
          }
          server.pid = pid;
          server.port = port;
          return port;
        }),
      release: async () => {
        if (released) return;
        released = true;
        await withDirLock(dataDir, async () => {
          await rm(clientFile, { force: true });
          if ((await liveClients(clientsDir)).length > 0) return;
          if (isAlive(pid)) {
            process.kill(pid, 'SIGTERM');
            for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
          }
          await rm(stateFile, { force: true });
        });
      },
    };
    return server;
  });
}
