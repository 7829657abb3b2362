/**
 * The README's "Try the app against a local connector" block, run as written, so it stays true:
 * the demo connector as a child process (what `npm start` runs) on a free port with its data in
 * a temp folder that stands for the user's checkout (package.json, and links to dist and
 * node_modules), then every other line of the block in order, each of which must exit 0 and
 * print what it promises. A line this file does not know how to run fails the test.
 * Then the demo's restarts: a second start on a taken port, and a restart's credentials.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureConnectorBuilt, freePort, ROOT } from '../../connector/test/faults/support/process.js';

jest.setTimeout(180_000);

const README_BASE_URL = 'http://localhost:8080';

/** The section's bash block, one command a line, trailing comments dropped. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Try the app against a local connector\n')[1]?.split('\n## ')[0] ?? '';
  const block = section.split('```bash\n')[1]?.split('```')[0] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean);
}

const commands = readmeCommands();

// ---- processes: every one is tracked, and killed in afterAll whatever happened ----

const children = new Set<ChildProcess>();
let appDir = '';
let port = 0;

/** The user's environment without this test run's own connector and jest settings; Node 22 first on PATH. */
function userEnv(): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONNECTOR_|DATABASE_URL$|ADMIN_TOKEN$|PORT$|NODE_OPTIONS$|TEST_DATABASE_URL$|SIMULATE_)/.test(name)),
  );
  return { ...inherited, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, PORT: String(port) };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Children run in their own process group (detached), so a kill reaches what their shell started too. */
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

/** Runs a shell line to its end (killed after `timeoutMs`). */
function runLine(line: string, cwd: string, timeoutMs = 90_000): Promise<Result> {
  const child = track(spawn('bash', ['-c', line], { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

// What `npm start` builds first and then runs: the command that checks the Node version, then main.js.
const connectorBin = () => join(dirname(ensureConnectorBuilt()), 'bin.js');
const nodeCommand = (args: string) => `"${process.execPath}" "${connectorBin()}" ${args}`;

interface Demo {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `npm start -- <args>`: the demo connector in the user's folder, ready once its banner is printed. */
async function startDemo(args: string): Promise<Demo> {
  const child = track(
    spawn('bash', ['-c', `exec ${nodeCommand(`demo ${args}`)}`], { cwd: appDir, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (!output.includes('API document:')) {
    if (gone) throw new Error(`the demo exited before it was ready:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the demo printed no banner within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output, exited };
}

/** Stops the demo as Ctrl-C would (SIGTERM), and kills it if it has not ended within 15 s. */
async function stop(demo: Demo | undefined): Promise<number | null> {
  if (!demo) return null;
  if (demo.child.exitCode === null && demo.child.signalCode === null) demo.child.kill('SIGTERM');
  const killer = setTimeout(() => killGroup(demo.child, 'SIGKILL'), 15_000);
  try {
    return await demo.exited;
  } finally {
    clearTimeout(killer);
  }
}

const envFile = () => readFileSync(join(appDir, '.env'), 'utf8');
const credentialsFile = () => readFileSync(join(appDir, 'data', 'demo-credentials.json'), 'utf8');
const envValue = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(envFile())?.[1] ?? '';

let demo: Demo | undefined;

beforeAll(async () => {
  appDir = mkdtempSync(join(tmpdir(), 'readme-try-'));
  copyFileSync(join(ROOT, 'package.json'), join(appDir, 'package.json'));
  symlinkSync(join(ROOT, 'dist'), join(appDir, 'dist'));
  symlinkSync(join(ROOT, 'node_modules'), join(appDir, 'node_modules'));
  port = await freePort();
});

afterAll(async () => {
  await stop(demo);
  for (const child of children) killGroup(child, 'SIGKILL');
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

// ---- the block, line by line ----

/** What each line must print; every line of the block must match one. */
const expectations: [RegExp, (result: Result) => void][] = [
  [/^npm run build$/, () => undefined],
  [
    /^npx zapier-platform invoke auth test$/,
    ({ stdout }) =>
      expect(JSON.parse(stdout)).toMatchObject({
        account: { id: envValue('authData_appId'), name: 'Demo Zapier account' },
        workspace: { name: 'Contact Centre' },
      }),
  ],
  [/^npx zapier-platform invoke auth label$/, ({ stdout }) => expect(stdout.trim()).toBe('Demo Zapier account (Contact Centre)')],
  [
    /^npx zapier-platform invoke search findContact /,
    ({ stdout }) =>
      expect(JSON.parse(stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ fullName: 'Mei Chan', id: expect.stringMatching(/^ctc_/) })])),
  ],
  [
    /^npx zapier-platform invoke create sendSms /,
    ({ stdout }) =>
      expect(JSON.parse(stdout)).toMatchObject({ id: expect.stringMatching(/^sms_/), text: 'Hello', recipientNumber: '+85291234567', status: 'queued' }),
  ],
  [
    /^npx zapier-platform invoke trigger enquiryCreated$/,
    ({ stdout }) => {
      const enquiries = JSON.parse(stdout) as { event: string; visitorName: string }[];
      expect(enquiries.length).toBeGreaterThan(0);
      for (const enquiry of enquiries) expect(enquiry.event).toBe('enquiry.created');
      expect(enquiries.map((e) => e.visitorName)).toContain('Kelvin Yip'); // one the demo seeds
    },
  ],
  [
    /^npm run simulate -- /,
    ({ stdout }) => {
      expect(stdout).toMatch(/^Hook sink on http:\/\/127\.0\.0\.1:\d+: subscribed to all 16 events/m);
      expect(stdout).toMatch(/^[a-z_.]+ +verified {2}webhook-id evt_\w+$/m);
      expect(stdout).not.toContain('NOT VERIFIED');
      expect(stdout).toMatch(/^Hook sink: [1-9]\d* deliveries received; unsubscribing\.$/m);
    },
  ],
];

/** A README line as the test runs it: its folder and its shell text (the demo's port and credentials filled in). */
function asRun(line: string): { cwd: string; shell: string } {
  const filled = line
    .replaceAll(README_BASE_URL, `http://localhost:${port}`)
    .replaceAll('<App ID>', envValue('authData_appId'))
    .replaceAll('<App Token>', envValue('authData_appToken'));
  if (line === 'npm run build') return { cwd: ROOT, shell: line };
  if (line.startsWith('npx zapier-platform invoke ')) return { cwd: appDir, shell: filled };
  // `npm run simulate` builds the connector first, as `npm start` did: run what it then runs.
  if (line.startsWith('npm run simulate -- ')) return { cwd: appDir, shell: nodeCommand(`simulate ${filled.slice('npm run simulate -- '.length)}`) };
  throw new Error(`the README's block has a line this test does not know how to run: ${line}`);
}

describe('README: Try the app against a local connector', () => {
  it('starts with the demo, writing ./.env, and goes on with lines this test knows', () => {
    expect(commands[0]).toBe('npm start -- --write-env');
    for (const line of commands.slice(1)) expect(expectations.filter(([pattern]) => pattern.test(line)).length).toBe(1);
  });

  it(`${commands[0]}: prints the credentials and writes them to ./.env`, async () => {
    demo = await startDemo(commands[0]!.replace(/^npm start --\s*/, ''));
    expect(envValue('authData_baseUrl')).toBe(`http://localhost:${port}`);
    expect(envValue('authData_appId')).toMatch(/^app_/);
    expect(demo.output()).toContain(`App ID     ${envValue('authData_appId')}`);
    expect(demo.output()).toContain(`App Token  ${envValue('authData_appToken')}`);
    expect(demo.output()).toContain(`Wrote authData_appId, authData_appToken and authData_baseUrl to ${join(appDir, '.env')}`);
    expect(demo.output()).toContain('npm run simulate -- --base-url');
  });

  it.each(commands.slice(1))('%s', async (line) => {
    const { cwd, shell } = asRun(line);
    const result = await runLine(shell, cwd);
    if (result.code !== 0) throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    const [, check] = expectations.find(([pattern]) => pattern.test(line))!;
    check(result);
  });
});

describe('restarting the demo', () => {
  it('a second start on the taken port is one sentence and exit 1, and changes nothing', async () => {
    const before = { env: envFile(), credentials: credentialsFile() };
    const second = await runLine(nodeCommand('demo --write-env'), appDir, 60_000);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(new RegExp(`^Port ${port} is already in use [^\\n]*the PORT variable[^\\n]*\\.$`));
    expect(second.stdout).not.toContain('App Token');
    expect({ env: envFile(), credentials: credentialsFile() }).toEqual(before);
    const me = await fetch(`http://localhost:${port}/v1/me`, {
      headers: { 'x-app-id': envValue('authData_appId'), authorization: `Bearer ${envValue('authData_appToken')}` },
    });
    expect(me.status).toBe(200);
  });

  it('a restart prints the same credentials, so the .env keeps working', async () => {
    expect(await stop(demo)).toBe(0);
    const env = envFile();
    demo = await startDemo('');
    expect(demo.output()).toContain(`App Token  ${envValue('authData_appToken')}`);
    expect(demo.output()).toContain('The App Token is kept in');
    expect(envFile()).toBe(env);
    const result = await runLine('npx zapier-platform invoke auth test', appDir);
    expect(result.code).toBe(0);
  });
});
