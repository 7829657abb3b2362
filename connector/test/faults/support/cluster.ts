import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.js';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own, which it may stop and start (the shared test server
 * must stay up for everyone else). Made as scripts/with-postgres.sh makes the shared one:
 * initdb in a temp directory, trust authentication, a free port on 127.0.0.1, no fsync (the
 * machine does not crash here) but synchronous commits (the server does: `pg_ctl stop -m
 * immediate` must not lose what was acknowledged);
 * as the postgres OS user when the tests run as root (initdb refuses root).
 */
export interface Cluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** pg_ctl stop: `fast` disconnects every session and shuts down cleanly; `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** pg_ctl start on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its files. */
  destroy(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'connector-faults-pg-'));
  if (root) {
    await run('id', ['postgres']).catch(() => run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']));
    const { stdout } = await run('id', ['-u', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(stdout.trim()));
  }
  const asOwner = (command: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  const data = join(dir, 'data');
  await asOwner(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  let running = false;
  const start = async () => {
    await asOwner(`${PG_BIN}/pg_ctl`, [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=on -c full_page_writes=off -c max_connections=100`,
      'start',
    ]);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await asOwner(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    running = false;
  };
  const destroy = async () => {
    // pg_ctl start may have failed (-t 30) with the server still coming up: stop it whatever `running` says.
    if (running || existsSync(join(data, 'postmaster.pid'))) await stop('immediate').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop, start, destroy };
}
