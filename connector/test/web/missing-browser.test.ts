/**
 * Without Chromium the browser tests fail with a sentence saying so, and the run then ends by
 * itself: every connector and sink a browser test file started is closed although its setup
 * failed half-way (it used to hang after the summary, "Jest did not exit one second after the
 * test run has completed"). Runs the other browser test files in a jest of their own, with
 * CHROMIUM_PATH pointing at a file that is not there.
 *
 * They are named one by one rather than this file left out with --testPathIgnorePatterns: that
 * option replaces every project's own ignore list, so the connector project would run them too.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

jest.setTimeout(180_000);

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const self = basename(fileURLToPath(import.meta.url));
/** The browser suites: every test file here that starts a page (the page's client alone runs without one). */
const suites = readdirSync(here).filter(
  (name) => name.endsWith('.test.ts') && name !== self && /\bstartWebTest\b/.test(readFileSync(join(here, name), 'utf8')),
);
const missing = join(tmpdir(), `no-chromium-${process.pid}`, 'chromium');

/** How long the nested run may take in all before it is killed (and the test fails). */
const DEADLINE_MS = 150_000;
/** How long after its summary the nested run may take to end. */
const EXIT_AFTER_SUMMARY_MS = 30_000;

let child: ChildProcess | undefined;
const gone = () => !child || child.exitCode !== null || child.signalCode !== null;
/** The nested jest and its workers: it leads a process group of its own. */
const killChild = () => {
  if (gone()) return;
  try {
    process.kill(-child!.pid!, 'SIGKILL');
  } catch {
    // it ended just now
  }
};
afterAll(async () => {
  if (gone()) return;
  const exited = new Promise((done) => child!.once('exit', done));
  killChild();
  await exited;
});

test('without Chromium every browser test file fails saying so, and the run ends by itself soon after its summary', async () => {
  expect(suites.length).toBeGreaterThan(0);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // as the test:jest script in package.json runs jest
    NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
    CHROMIUM_PATH: missing,
    FORCE_COLOR: '0',
  };
  delete env.JEST_WORKER_ID;
  delete env.TEST_PROJECTS; // the paths below pick the files (and so the browser project)
  const started = Date.now();
  // This Node (22: node:sqlite), not whichever `node` is first on the PATH.
  const args = [join(root, 'node_modules/.bin/jest'), '--ci', ...suites.map((suite) => `connector/test/web/${suite}$`)];
  child = spawn(process.execPath, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // Everything it writes, and when its summary came. It is killed (and the test fails) when it
  // lingers after its summary or runs past the deadline.
  let output = '';
  let summaryAt: number | undefined;
  let killed: string | undefined;
  const kill = (why: string) => {
    killed ??= why;
    killChild();
  };
  const timers = [setTimeout(() => kill(`It had not ended ${DEADLINE_MS / 1000} s after it started`), DEADLINE_MS)];
  const record = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (summaryAt === undefined && /Test Suites:|Ran all test suites/.test(output)) {
      summaryAt = Date.now();
      timers.push(setTimeout(() => kill(`It had not ended ${EXIT_AFTER_SUMMARY_MS / 1000} s after its summary`), EXIT_AFTER_SUMMARY_MS));
    }
  };
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  const { code, endedAt } = await new Promise<{ code: number | null; endedAt: number }>((done, fail) => {
    child!.once('error', fail);
    // 'close': it has exited and its output is all read.
    child!.once('close', (exitCode) => done({ code: exitCode, endedAt: Date.now() }));
  }).finally(() => timers.forEach(clearTimeout));

  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is the point, this strips the ANSI colour codes from the nested jest's output
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const failure = (what: string) => new Error(`${what}. The nested run's output ended with:\n${text.slice(-4000)}`);
  // It exited by itself, failing.
  if (killed) throw failure(`${killed}, and was killed`);
  if (code === null) throw failure('It was killed by a signal');
  expect(code).not.toBe(0);

  // Each browser test file failed, with the sentence naming the missing browser in its report.
  const reports = new Map(
    text
      .split(/^(?=(?:PASS|FAIL) )/m)
      .map((report) => [/^(?:PASS|FAIL) .*?connector\/test\/web\/(\S+\.test\.ts)/.exec(report)?.[1], report] as const)
      .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
  );
  const unclear = suites.filter((suite) => {
    const report = reports.get(suite) ?? '';
    return !report.startsWith('FAIL ') || !report.includes(`No Chromium at ${missing}: install`);
  });
  if (unclear.length > 0) throw failure(`These browser test files did not fail saying "No Chromium at ${missing}": ${unclear.join(', ')}`);

  // It ended soon after printing its summary.
  if (summaryAt === undefined) throw failure('It printed no summary');
  console.info(`the nested run took ${endedAt - started} ms; it ended ${endedAt - summaryAt} ms after its summary`);
  expect(endedAt - summaryAt).toBeLessThan(EXIT_AFTER_SUMMARY_MS);
});
