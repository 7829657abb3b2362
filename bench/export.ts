// The conversation export (Ferndesk's support endpoint), streamed, against a baseline that
// builds the whole answer in memory and JSON.stringify-s it: same data, same reads, same run.
//
//   npm run bench:export                       100,000 conversations on the embedded database
//   npm run bench:export -- --count 20000      fewer
//   npm run bench:export -- --postgres         on a throwaway PostgreSQL (scripts/with-postgres.sh), or
//                                              on TEST_DATABASE_URL's server when it is set
//
// It seeds the conversations with multi-row inserts through Kysely, then, for each way, starts a
// fresh connector process (so neither inherits the other's heap), fetches the whole export over
// HTTP and reads it to the end, and reports the time, the time to the first byte, and the memory
// of the serving process: heapUsed and RSS sampled every 5 ms, and the kernel's RSS high-water
// mark (resourceUsage().maxRSS). A streamed export is also run under a heap limit smaller than
// the answer, which a buffered one cannot survive.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createExportUrl } from '../connector/src/export/export-urls.js';
import { openStorage } from '../connector/src/storage/db.js';
import { ensureWorkspace } from '../connector/src/workspace.js';
import { drain, seedConversations, startExportProcess, type ExportProcess } from '../connector/test/support/export-data.js';
import { createPostgresDatabase } from '../connector/test/support/postgres-database.js';

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '4' },
    chars: { type: 'string', default: '120' },
    postgres: { type: 'boolean', default: false },
    'heap-limit-mb': { type: 'string', default: '64' },
  },
});
const count = Number(flags.count);
const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  if (flags.postgres && !process.env.TEST_DATABASE_URL) {
    // Start a throwaway PostgreSQL for this run, and run again inside it.
    const script = fileURLToPath(import.meta.url);
    const child = spawn('bash', ['scripts/with-postgres.sh', process.execPath, '--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
  const sqlitePath = join(dir, 'export.db');
  const postgres = flags.postgres ? await createDatabase() : undefined;
  try {
    const storage = await openStorage({ sqlitePath, databaseUrl: postgres?.url });
    const workspace = await ensureWorkspace(storage.db, 'Bench');
    const seedStarted = performance.now();
    const seeded = await seedConversations(storage.db, {
      workspaceId: workspace.id,
      count,
      messages: Number(flags.messages),
      messageChars: Number(flags.chars),
      batch: 500,
      progress: (n) => {
        // Every tenth, on a terminal only.
        if (process.stderr.isTTY && (n === count || Math.floor((n / count) * 10) > Math.floor(((n - 500) / count) * 10))) {
          process.stderr.write(`\rseeding ${n.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seedMs = performance.now() - seedStarted;
    const url = await createExportUrl(storage.db, { workspaceId: workspace.id, baseUrl: 'https://connector.example.com' }, 'bench');
    await storage.close();
    const exportPath = `${new URL(url.url).pathname}?startDate=2000-01-01`;

    const where = postgres ? 'PostgreSQL 15' : 'the embedded database (node:sqlite)';
    console.log(`node ${process.version}; ${where}`);
    console.log(
      `seeded ${count.toLocaleString('en-US')} conversations (${seeded.chats.toLocaleString('en-US')} chats, ${seeded.tickets.toLocaleString('en-US')} tickets, ${seeded.enquiries.toLocaleString('en-US')} enquiries; ${seeded.messages.toLocaleString('en-US')} exportable messages) in ${s(seedMs)}`,
    );

    const measure = async (label: string, path: string, maxOldSpaceMb?: number) => {
      const server = await startExportProcess({ databaseUrl: postgres?.url, sqlitePath, maxOldSpaceMb });
      try {
        await server.reset();
        const result = await drain(`${server.baseUrl}${path}`).catch(() => ({ status: 0, bytes: 0, firstByteMs: 0, totalMs: 0, contentType: null }));
        const stats = await server.stats().catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, 100)); // let an exit be seen
        return { label, result, stats, ended: server.ended() };
      } finally {
        await stop(server);
      }
    };
    const streamed = await measure('streamed (GET /support-endpoint/<secret>.json)', exportPath);
    const baseline = await measure('baseline (whole array, JSON.stringify)', `/baseline-export?startDate=2000-01-01`);
    const limit = Number(flags['heap-limit-mb']);
    const limitedStream = await measure(`streamed, --max-old-space-size=${limit}`, exportPath, limit);
    const limitedBaseline = await measure(`baseline, --max-old-space-size=${limit}`, `/baseline-export?startDate=2000-01-01`, limit);

    const rows = [streamed, baseline, limitedStream, limitedBaseline].map(({ label, result, stats, ended }) => [
      label,
      result.status === 200 ? `${result.status}` : `FAILED: ${ended ? `the server ${ended}` : result.status ? `HTTP ${result.status}` : 'no answer'}`,
      mb(result.bytes),
      result.status === 200 ? s(result.totalMs) : '-',
      result.status === 200 ? s(result.firstByteMs) : '-',
      stats ? mb(stats.peakHeapUsed) : '(process died)',
      stats ? mb(stats.peakHeapUsed - stats.idleHeapUsed) : '-',
      stats ? mb(stats.peakRss) : '-',
      stats ? mb(stats.maxRss) : '-',
      stats ? mb(stats.maxRss - stats.idleRss) : '-',
    ]);
    printTable(['export', 'status', 'body', 'total', 'first byte', 'peak heap', 'heap growth', 'peak RSS (sampled)', 'RSS high-water', 'RSS growth'], rows);

    if (streamed.stats && baseline.stats && streamed.result.status === 200 && baseline.result.status === 200) {
      const growth = (x: typeof streamed) => x.stats!.maxRss - x.stats!.idleRss;
      console.log(
        `\nStreaming answered ${mb(streamed.result.bytes)} with ${mb(growth(streamed))} of RSS growth against ${mb(growth(baseline))} for the baseline ` +
          `(${(growth(baseline) / Math.max(growth(streamed), 1)).toFixed(1)}x), first byte after ${s(streamed.result.firstByteMs)} against ${s(baseline.result.firstByteMs)}, ` +
          `whole answer in ${s(streamed.result.totalMs)} against ${s(baseline.result.totalMs)}.`,
      );
    }
  } finally {
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stop(server: ExportProcess) {
  await server.stop().catch(() => undefined);
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

/** A fresh database on TEST_DATABASE_URL's server, dropped afterwards. */
function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('no TEST_DATABASE_URL');
  return createPostgresDatabase(adminUrl, 'bench_export');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
