// Where a drain's CPU goes: records events with the worker stopped, then profiles the connector
// process (V8's sampling profiler) while its worker delivers them all to a local sink, and
// sums the samples by stage (claim, build and sign, send, record) and by function.
//
// Usage: npm run bench:profile [-- --events 10000] [--postgres]   (bench/connector/profile.ts)
// The .cpuprofile is written next to the summary (open it in Chrome's DevTools, Performance).
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPostgresDatabase } from '../../connector/test/support/postgres-database.js';
import type { ConnectorCommands } from './connector-process.js';
import { startHelper } from './lib/rpc.js';
import { startSink } from './lib/sink.js';
import { fmt, table } from './lib/stats.js';
import { stageTotals, topFunctions, type CpuProfile } from './lib/profile-stages.js';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    postgres: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});

async function main(): Promise<void> {
  const count = Number(flags.events);
  const extraEnv = Object.fromEntries(flags.env.map((pair) => pair.split('=', 2) as [string, string]));
  const database = flags.postgres ? await createPostgresDatabase(mustHave(process.env.TEST_DATABASE_URL), 'connector_profile') : undefined;
  const sink = await startSink();
  const connector = startHelper<ConnectorCommands>(fileURLToPath(new URL('./connector-process.ts', import.meta.url)));
  try {
    const info = await connector.call('start', {
      databaseUrl: database?.url,
      env: { CONNECTOR_RATE_LIMIT_MAX: '1000000', CONNECTOR_LOG_LEVEL: 'warn', ...extraEnv },
    });
    await connector.call('subscribe', { count: 1, targetBase: sink.url });
    // A warm-up drain, so the profile shows the steady state rather than the JIT compiling.
    for (const events of [2000, count]) {
      await connector.call('clearOutbox');
      await connector.call('produce', { count: events, concurrency: info.kind === 'postgres' ? 8 : 1 });
      const received = sink.expect(events, 120_000 + events * 10);
      const profiling = events === count;
      if (profiling) await connector.call('profileStart', {});
      const cpuBefore = await connector.call('cpu');
      const started = Date.now();
      await connector.call('startWorker', { ratePerTarget: 1_000_000 }); // one target, as fast as it goes: the pace lifted
      const got = await received;
      const cpuMicros = (await connector.call('cpu')) - cpuBefore;
      await connector.call('stopWorker');
      if (!profiling) continue;
      const path = join(tmpdir(), `connector-drain-${info.kind}-${Date.now()}.cpuprofile`);
      const profile = (await connector.call('profileStop', { path })) as CpuProfile;
      const seconds = (got.lastAt - started) / 1000;
      console.log(
        `# Drain profile: ${fmt(count)} events, ${info.kind === 'sqlite' ? 'embedded database' : 'PostgreSQL'}, ${info.deliveryConcurrency} in flight\n\n` +
          `${new Date().toISOString()}; ${cpus().length} cores; load average ${loadavg()[0]!.toFixed(2)}\n` +
          `${fmt(count / seconds)} deliveries/s; ${fmt(cpuMicros / count)} µs of connector CPU per delivery (process.cpuUsage); profile: ${path}\n`,
      );
      const stages = stageTotals(profile);
      const sampled = stages.reduce((sum, s) => sum + s.micros, 0);
      console.log(
        table(
          ['stage', 'ms sampled', 'share', 'µs per delivery'],
          stages.map((s) => [s.stage, fmt(s.micros / 1000), `${((100 * s.micros) / sampled).toFixed(1)}%`, fmt(s.micros / count, 1)]),
        ),
      );
      console.log(
        `\nTop functions by self time:\n\n${table(
          ['function', 'where', 'stage', 'µs per delivery'],
          topFunctions(profile, 20).map((f) => [f.name, f.where, f.stage, fmt(f.micros / count, 1)]),
        )}`,
      );
    }
  } finally {
    await connector.stop();
    await sink.close();
    await database?.drop();
  }
}

function mustHave(url: string | undefined): string {
  if (!url) throw new Error('--postgres needs TEST_DATABASE_URL: run it as `npm run bench:profile -- --postgres` (which starts a throwaway PostgreSQL)');
  return url;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
