/**
 * A connector in a process of its own, serving the export of an already seeded database and
 * watching its own memory, for the streaming test and the export benchmark. Start it with
 * `node --import tsx [--max-old-space-size=N] export-process.ts` and an IPC channel; env:
 * EXPORT_DATABASE_URL (PostgreSQL) or EXPORT_SQLITE_PATH.
 *
 * It answers on IPC: {cmd: 'stats'} → the peaks since the last {cmd: 'reset'}: heapUsed and RSS
 * sampled every 5 ms (and at the baseline's own checkpoints), and the RSS high-water mark the
 * kernel kept (resourceUsage().maxRSS, which no sampling can miss).
 *
 * Besides the real export it serves GET /baseline-export?startDate=: the same conversations
 * from the same reads, gathered into one array and JSON.stringify-ed, as an export written
 * without streaming would be.
 */
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { parseStartDate } from '../../src/export/start-date.js';
import { exportConversations } from '../../src/export/stream.js';
import { settingsFromEnv } from '../../src/settings.js';
import { openStorage } from '../../src/storage/db.js';
import { FIRST_WORKSPACE_ID } from '../../src/workspace.js';

export interface ExportProcessStats {
  peakHeapUsed: number;
  peakRss: number;
  /** resourceUsage().maxRSS in bytes: the process's RSS high-water mark since it started. */
  maxRss: number;
  idleHeapUsed: number;
  idleRss: number;
}

const send = (message: unknown) => process.send?.(message);

async function main(): Promise<void> {
  const databaseUrl = process.env.EXPORT_DATABASE_URL || undefined;
  const sqlitePath = process.env.EXPORT_SQLITE_PATH ?? ':memory:';
  const settings = settingsFromEnv({
    ADMIN_TOKEN: 'export-process-admin-token-0123456789',
    CONNECTOR_SQLITE_PATH: sqlitePath,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    CONNECTOR_PUBLIC_BASE_URL: 'https://connector.example.com',
    CONNECTOR_LOG_LEVEL: 'silent',
  });
  const storage = await openStorage({ databaseUrl, sqlitePath, poolSize: 4 });
  const app = await buildApp({ db: storage.db, storage, settings, log: pino({ level: 'silent' }) });

  let peakHeapUsed = 0;
  let peakRss = 0;
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
    peakRss = Math.max(peakRss, rss);
  };

  app.get('/baseline-export', async (request, reply) => {
    const since = parseStartDate((request.query as { startDate?: string }).startDate);
    if (!since) return reply.code(400).send({ error: 'startDate' });
    const scope = { workspaceId: FIRST_WORKSPACE_ID, baseUrl: settings.publicBaseUrl, casePrefix: settings.casePrefix };
    const conversations = [];
    for await (const conversation of exportConversations({ db: storage.db, scope, since, until: new Date().toISOString() })) conversations.push(conversation);
    sample();
    const body = JSON.stringify({ conversations });
    sample();
    return reply.type('application/json; charset=utf-8').send(body);
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const idle = process.memoryUsage();
  const timer = setInterval(sample, 5);
  timer.unref();

  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'reset') {
      peakHeapUsed = 0;
      peakRss = 0;
      send({ reset: true });
    } else if (message.cmd === 'stats') {
      sample();
      const stats: ExportProcessStats = {
        peakHeapUsed,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        idleHeapUsed: idle.heapUsed,
        idleRss: idle.rss,
      };
      send({ stats });
    } else if (message.cmd === 'stop') {
      clearInterval(timer);
      void app
        .close()
        .then(() => storage.close())
        .then(() => process.exit(0));
    }
  });
  send({ ready: true, port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
