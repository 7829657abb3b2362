import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (this file is connector/test/faults/support/process.ts). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CONNECTOR_MAIN = join(ROOT, 'connector/dist/connector/src/main.js');

export const FAULT_ADMIN_TOKEN = 'fault-admin-token-0123456789abcdef';

/**
 * Settings every connector process of the fault tests starts with: loopback hooks allowed,
 * fast retries, a one-second attempt timeout, no rate limit worth mentioning, and a per-target
 * pace that still binds (500 a second: bursts are deferred to their slots) without making a
 * thousand events to one sink take half a minute. Tests override.
 */
export const baseEnv: Record<string, string> = {
  ADMIN_TOKEN: FAULT_ADMIN_TOKEN,
  CONNECTOR_HOST: '127.0.0.1',
  CONNECTOR_PUBLIC_BASE_URL: 'https://connector.test',
  CONNECTOR_LOG_LEVEL: 'warn',
  CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
  CONNECTOR_RETRY_SCHEDULE: '0,0.1,0.2,0.4,0.8,1.6,3.2',
  CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '1',
  CONNECTOR_DELIVERY_POLL_MS: '50',
  CONNECTOR_RATE_LIMIT_MAX: '1000000',
  CONNECTOR_DELIVERY_RATE_PER_TARGET: '500',
  CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS: '0',
};

// ---- the compiled connector ----

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the connector (`npm run build:connector`) unless the build is newer than every source
 * it is made from. Test files run in parallel workers: a lock directory lets one build while
 * the others wait, and a stamp file records the last build this way.
 */
export function ensureConnectorBuilt(): string {
  const stamp = join(ROOT, 'connector/dist/.fault-tests-build-stamp');
  const sources = ['connector/src', 'contract', 'connector/tsconfig.json', 'connector/tsconfig.build.json', 'tsconfig.json'].map((p) => join(ROOT, p));
  const fresh = () => existsSync(stamp) && existsSync(CONNECTOR_MAIN) && statSync(stamp).mtimeMs >= Math.max(...sources.map(newestMtime));
  if (fresh()) return CONNECTOR_MAIN;

  const lock = join(ROOT, 'connector/dist/.fault-tests-build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else builds; a lock older than three minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('waited three minutes for another build of the connector');
      sleepSync(200);
    }
  }
  try {
    if (!fresh()) {
      const startedAt = Date.now();
      try {
        execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'connector/tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
      } catch (error) {
        // Exit status 2: type errors, but the JavaScript was written (`npm run typecheck` is the
        // step that fails on type errors). Anything else: no usable build.
        const { status, stdout } = error as { status?: number; stdout?: Buffer };
        if (status !== 2) throw new Error(`building the connector failed:\n${stdout?.toString() ?? String(error)}`);
        const diagnostics = (stdout?.toString() ?? '').split('\n').filter((line) => /error TS/.test(line));
        console.warn(`the connector was built with ${diagnostics.length} type errors, e.g.:\n${diagnostics.slice(0, 3).join('\n')}`);
      }
      writeFileSync(stamp, new Date(startedAt).toISOString());
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return CONNECTOR_MAIN;
}

// ---- processes ----

/** A port nobody listens on right now (the OS picks it; we let go of it at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface ConnectorProcess {
  baseUrl: string;
  port: number;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** kill -9, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), and wait until it is gone; resolves to the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
}

const live = new Set<ChildProcess>();

/** Kills (-9) every connector process a test left running. Call from afterEach/afterAll. */
export async function killLeftoverProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
    ),
  );
  live.clear();
}

/** The environment of a connector process: this one's, without any connector setting, then `baseEnv`, then `env`. */
function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONNECTOR_|DATABASE_URL$|ADMIN_TOKEN$|PORT$|NODE_OPTIONS$|TEST_DATABASE_URL$)/.test(name)),
  );
  return { ...inherited, ...baseEnv, ...env };
}

/** Runs a one-off connector command (`admin-token`, `accounts`, ...) to its end; resolves to its exit code and output. */
export function runConnectorCommand(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  const main = ensureConnectorBuilt();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main, ...args], {
      cwd: ROOT,
      env: processEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child); // killed by killLeftoverProcesses if the test gives up on it
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', fail);
    child.once('exit', (code) => {
      live.delete(child);
      done({ code, output });
    });
  });
}

/**
 * Starts `node connector/dist/connector/src/main.js serve` with these settings (over
 * `baseEnv`) and resolves once its /health answers 200.
 */
export async function spawnConnector(
  env: Record<string, string>,
  { port, command = 'serve' }: { port?: number; command?: string } = {},
): Promise<ConnectorProcess> {
  const main = ensureConnectorBuilt();
  const chosenPort = port ?? (await freePort());
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main, command], {
    cwd: ROOT,
    env: { ...processEnv(env), PORT: String(chosenPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      done({ code, signal });
    }),
  );
  const baseUrl = `http://127.0.0.1:${chosenPort}`;

  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the connector exited before it was ready:\n${output}`);
    const healthy = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the connector did not become healthy within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    baseUrl,
    port: chosenPort,
    pid: child.pid!,
    output: () => output,
    exited,
    running,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return (await exited).code;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; fails after `timeoutMs` saying what did not hold. */
export async function until<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  what: string,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
