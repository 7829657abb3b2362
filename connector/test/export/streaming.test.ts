// The export streams, on both databases: keyset batches give every conversation exactly once
// and in order (even across pages of equal times); a large export is served by a process
// whose heap limit is smaller than the answer, with its heap growing far less than the answer;
// a database failure before the first byte is a JSON error; a client leaving midway does no harm.
import { ApiError, SupportExport } from '../../../contract/index.js';
import { createExportUrl } from '../../src/export/export-urls.js';
import { exportConversations } from '../../src/export/stream.js';
import { openStorage } from '../../src/storage/db.js';
import { ensureWorkspace } from '../../src/workspace.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';
import { drain, seedConversations, startExportProcess, type ExportProcess } from '../support/export-data.js';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { createPostgresDatabase } from '../support/postgres-database.js';
import { closeAll } from '../support/teardown.js';

const MB = 1024 * 1024;

describe.each(connectorDatabases)('the export streams, on the %s database', (database) => {
  let connector: TestConnector;
  let exportPath: string;
  beforeAll(async () => {
    connector = await startConnector({}, { database });
    exportPath = new URL((await connector.call('/admin/api/support-export/urls', { method: 'POST', body: { name: 'Ferndesk' }, as: 'admin' })).body.url)
      .pathname;
  }, 30_000);
  afterAll(() => connector?.close(), 30_000);

  it('reads keyset pages: every conversation exactly once, oldest first, also across pages of equal times', async () => {
    // 30 conversations at one instant (ties broken by id across kinds and pages), then 30 a second apart.
    await seedConversations(connector.db, { workspaceId: connector.workspaceId, count: 30, stepMs: 0, start: new Date('2026-02-01T00:00:00Z') });
    await seedConversations(connector.db, {
      workspaceId: connector.workspaceId,
      count: 30,
      stepMs: 1000,
      start: new Date('2026-02-01T00:00:01Z'),
      batch: 7,
      firstIndex: 30,
    });
    const scope = connector.scope();
    const read = async (batchSize: number, pageChars?: number) => {
      const ids: string[] = [];
      for await (const c of exportConversations({
        db: connector.db,
        scope,
        since: '2000-01-01T00:00:00.000Z',
        until: new Date().toISOString(),
        batchSize,
        pageChars,
      })) {
        ids.push(`${c.lastMessageAt} ${c.id}`);
      }
      return ids;
    };
    const whole = await read(1000);
    expect(whole.length).toBe(60);
    expect(whole.filter((key) => key.startsWith('2026-02-01T00:00:00.000Z')).length).toBe(30);
    expect(whole).toEqual([...whole].sort());
    expect(new Set(whole).size).toBe(whole.length);
    for (const size of [1, 2, 3, 7]) expect(await read(size)).toEqual(whole);
    // Pages of one document, or a few, by the length of the documents.
    for (const chars of [1, 1500, 5000]) expect(await read(7, chars)).toEqual(whole);
    // Through HTTP too, and the private notes of the seeded tickets stay inside.
    const response = await connector.call(`${exportPath}?startDate=2026-01-01`, { as: 'none' });
    const exported = SupportExport.parse(response.body).conversations;
    expect(exported.map((c) => `${c.lastMessageAt} ${c.id}`)).toEqual(whole);
    expect(JSON.stringify(response.body)).not.toContain('PRIVATE NOTE');
  }, 30_000);

  it('answers a database failure before the first byte with a JSON error', async () => {
    await sql`ALTER TABLE tickets RENAME TO tickets_away`.execute(connector.db);
    try {
      const response = await connector.call(`${exportPath}?startDate=2000-01-01`, { as: 'none' });
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(ApiError.parse(response.body).error.code).toBe('internal');
    } finally {
      await sql`ALTER TABLE tickets_away RENAME TO tickets`.execute(connector.db);
    }
    expect((await connector.call(`${exportPath}?startDate=2000-01-01`, { as: 'none' })).status).toBe(200);
  }, 30_000);

  it('serves a large export from a process whose heap limit is smaller than the answer, with flat memory', async () => {
    // A database of its own, seeded in bulk: 8,000 conversations, about 85 MB of JSON.
    const dir = mkdtempSync(join(tmpdir(), 'export-stream-test-'));
    const postgres = database === 'postgres' ? await createDatabase() : undefined;
    const sqlitePath = join(dir, 'export.db');
    let exporter: ExportProcess | undefined;
    try {
      const server = await (async () => {
        const storage = await openStorage({ sqlitePath, databaseUrl: postgres?.url });
        try {
          const workspace = await ensureWorkspace(storage.db, 'Streaming');
          const seeded = await seedConversations(storage.db, { workspaceId: workspace.id, count: 8000, messages: 6, messageChars: 2000 });
          const url = await createExportUrl(storage.db, { workspaceId: workspace.id, baseUrl: 'https://connector.example.com' }, 'test');
          return { seeded, path: `${new URL(url.url).pathname}?startDate=2000-01-01` };
        } finally {
          await storage.close();
        }
      })();
      const HEAP_LIMIT_MB = 64;
      exporter = await startExportProcess({ sqlitePath, databaseUrl: postgres?.url, maxOldSpaceMb: HEAP_LIMIT_MB });
      await exporter.reset();
      const chunks: Buffer[] = [];
      const result = await drain(`${exporter.baseUrl}${server.path}`, (chunk) => chunks.push(chunk));
      const stats = await exporter.stats();
      expect(result.status).toBe(200);
      expect(result.bytes).toBeGreaterThan(HEAP_LIMIT_MB * MB); // the answer could not have been held whole
      const body = SupportExport.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      expect(body.conversations.length).toBe(8000);
      expect(body.conversations.reduce((n, c) => n + c.messages.length, 0)).toBe(server.seeded.messages);
      expect(result.firstByteMs).toBeLessThan(result.totalMs / 2);
      // The heap grows by a few batches, not by the answer.
      expect(stats.peakHeapUsed - stats.idleHeapUsed).toBeLessThan(32 * MB);
      expect(stats.peakHeapUsed).toBeLessThan(HEAP_LIMIT_MB * MB);
    } finally {
      await closeAll(
        () => exporter?.stop(),
        () => postgres?.drop(),
        () => rmSync(dir, { recursive: true, force: true }),
      );
    }
  }, 180_000);

  it('stops when the client goes away midway, and keeps serving', async () => {
    await seedConversations(connector.db, {
      workspaceId: connector.workspaceId,
      count: 2000,
      messages: 4,
      messageChars: 2000,
      start: new Date('2026-03-01T00:00:00Z'),
      firstIndex: 100,
    });
    const connections = () => new Promise<number>((resolve, reject) => connector.app.server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
    const before = await connections();
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${connector.baseUrl}${exportPath}?startDate=2000-01-01`, { agent: false }, (response) => {
        response.once('data', () => {
          request.destroy(); // the client leaves after the first piece
          resolve();
        });
      });
      request.on('error', reject);
    });
    // The server ends its side (the stream is destroyed, reading stops) instead of waiting on a reader that is gone.
    const deadline = Date.now() + 5000;
    while ((await connections()) > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await connections()).toBeLessThanOrEqual(before);
    const again = await connector.call(`${exportPath}?startDate=2999-01-01`, { as: 'none' });
    expect(again.body).toEqual({ conversations: [] });
  }, 60_000);
});

/** A fresh database on the test server, for the large export. */
const createDatabase = () => createPostgresDatabase(process.env.TEST_DATABASE_URL!, 'export_stream');
