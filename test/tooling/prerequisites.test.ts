// scripts/prerequisites.sh, which `npm run test:all` runs before any test: it passes what is
// there and stops, before anything runs, with one sentence naming what to install or set.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(import.meta.dirname, '../../scripts/prerequisites.sh');
// A PATH with nothing on it: no apt-get, no sudo, so nothing can be installed.
const emptyPath = mkdtempSync(join(tmpdir(), 'no-tools-'));
afterAll(() => rmSync(emptyPath, { recursive: true, force: true }));

function prerequisites(needs: string[], env: Record<string, string>) {
  const run = spawnSync('/bin/bash', [script, ...needs], { env: { PATH: emptyPath, ...env }, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr.trim() };
}

describe('scripts/prerequisites.sh', () => {
  it('accepts a CHROMIUM_PATH that is an executable file', () => {
    expect(prerequisites(['chromium'], { CHROMIUM_PATH: '/bin/sh' })).toEqual({ status: 0, stderr: '' });
  });

  it('stops with one sentence when CHROMIUM_PATH names no executable file', () => {
    const { status, stderr } = prerequisites(['chromium'], { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "CHROMIUM_PATH is /nonexistent/chromium, which is not an executable file: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium.",
    );
  });

  it('uses the server TEST_DATABASE_URL names without looking for PostgreSQL', () => {
    expect(prerequisites(['postgres'], { TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres', PG_BIN: '/nonexistent' })).toEqual({
      status: 0,
      stderr: '',
    });
  });

  it('says how to get PostgreSQL when it is missing and cannot be installed here', () => {
    const { status, stderr } = prerequisites(['postgres'], { PG_BIN: '/nonexistent/bin' });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^The tests need PostgreSQL 15 \(\/nonexistent\/bin\/initdb is missing\) and this user cannot install it: /);
    expect(stderr).toContain('sudo apt-get install postgresql-15');
    expect(stderr).toContain('TEST_DATABASE_URL');
  });

  it('stops at the first missing prerequisite, before looking at the next', () => {
    const { status, stderr } = prerequisites(['postgres', 'chromium'], { PG_BIN: '/nonexistent/bin', CHROMIUM_PATH: '/bin/sh' });
    expect(status).toBe(1);
    expect(stderr).toContain('PostgreSQL 15');
    expect(stderr).not.toContain('Chromium');
  });

  it('refuses an unknown prerequisite by name', () => {
    expect(prerequisites(['redis'], {})).toEqual({ status: 1, stderr: 'scripts/prerequisites.sh: unknown prerequisite "redis" (known: postgres, chromium)' });
  });
});
