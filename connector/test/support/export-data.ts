import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { chatLastMessageAt, ticketLastMessageAt } from '../../src/contact-centre/conversation-messages.js';
import type { Db } from '../../src/storage/db.js';
import type { ExportProcessStats } from './export-process.js';

/**
 * Many conversations, fast: chats, tickets and enquiries written straight into their tables
 * with multi-row inserts (as the contact-centre functions would store them, last_message_at
 * included), for the streaming test and the export benchmark. Conversation i's last message is
 * at `start + i * stepMs`; each has `messages` messages of about `messageChars` characters;
 * every third ticket also carries a private note (which the export must leave out).
 */
export interface SeedOptions {
  workspaceId: string;
  count: number;
  /** Messages per chat and ticket (an enquiry has one). */
  messages?: number;
  messageChars?: number;
  start?: Date;
  stepMs?: number;
  /** Shares of chats and tickets; the rest are enquiries. */
  chatShare?: number;
  ticketShare?: number;
  /** Rows per INSERT. */
  batch?: number;
  /** Ids are numbered from here (seed again with another start to add more). */
  firstIndex?: number;
  /** Called after every batch with the number written so far. */
  progress?: (written: number) => void;
}

export interface SeedResult {
  chats: number;
  tickets: number;
  enquiries: number;
  /** Exportable messages (private notes not counted). */
  messages: number;
  first: string;
  last: string;
}

const WORDS = 'order parcel delivery refund invoice account password login app crash update version payment card address courier'.split(' ');
const text = (seed: number, chars: number) => {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += `${WORDS[(seed * 7 + i * 13) % WORDS.length]} `;
  return out.slice(0, chars).trim();
};

export async function seedConversations(db: Db, options: SeedOptions): Promise<SeedResult> {
  const { workspaceId, count } = options;
  const messages = options.messages ?? 4;
  const chars = options.messageChars ?? 120;
  const start = (options.start ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const step = options.stepMs ?? 1000;
  const chatShare = options.chatShare ?? 0.4;
  const ticketShare = options.ticketShare ?? 0.4;
  const batch = options.batch ?? 500;
  const result: SeedResult = {
    chats: 0,
    tickets: 0,
    enquiries: 0,
    messages: 0,
    first: new Date(start).toISOString(),
    last: new Date(start + (count - 1) * step).toISOString(),
  };

  const chats: Record<string, unknown>[] = [];
  const tickets: Record<string, unknown>[] = [];
  const enquiries: Record<string, unknown>[] = [];
  const flush = async (force = false) => {
    for (const [table, rows] of [
      ['chats', chats],
      ['tickets', tickets],
      ['enquiries', enquiries],
    ] as const) {
      if (rows.length > 0 && (force || rows.length >= batch)) {
        await db
          .insertInto(table as 'chats')
          .values(rows as never)
          .execute();
        rows.length = 0;
      }
    }
  };

  for (let i = 0; i < count; i++) {
    const lastAt = start + i * step;
    const at = (k: number, of: number) => new Date(lastAt - (of - 1 - k) * 15_000).toISOString();
    const kind = i % 10 < chatShare * 10 ? 'chat' : i % 10 < (chatShare + ticketShare) * 10 ? 'ticket' : 'enquiry';
    const n = String(i + (options.firstIndex ?? 0)).padStart(7, '0');
    if (kind === 'chat') {
      const id = `cht_bench${n}`;
      const chat = {
        id,
        agents: [{ login: 'ava.wong@acme.example', name: 'Ava Wong' }],
        started_timestamp: at(0, messages),
        ended_timestamp: null,
        events: [{ text: 'Chat started', timestamp: at(0, messages), type: 'chat_started', user_type: 'visitor' }],
        groups: [0],
        messages: Array.from({ length: messages }, (_, k) => ({
          agent_id: k % 2 ? 'ava.wong@acme.example' : null,
          author_name: k % 2 ? 'Ava Wong' : `Visitor ${i}`,
          text: text(i + k, chars),
          timestamp: at(k, messages),
          user_type: k % 2 ? 'agent' : 'visitor',
        })),
        tags: [],
        url: null,
      } as const;
      chats.push({
        id,
        workspace_id: workspaceId,
        status: 'ended',
        document: JSON.stringify(chat),
        visitor: JSON.stringify({ id: `vis_bench${n}`, name: `Visitor ${i}`, email: '', language: 'en', page_current: '' }),
        pre_chat_survey: '[]',
        created_at: at(0, messages),
        last_message_at: chatLastMessageAt(chat as never),
      });
      result.chats++;
      result.messages += messages;
    } else if (kind === 'ticket') {
      const id = `TKT-B${n}`;
      const source = { type: 'mail', url: null };
      const events: object[] = Array.from({ length: messages }, (_, k) => ({
        author:
          k % 2 ? { id: 'ava.wong@acme.example', name: 'Ava Wong', type: 'agent' } : { id: `client${i}@example.com`, name: `Client ${i}`, type: 'client' },
        date: at(k, messages),
        is_private: false,
        message: text(i * 3 + k, chars),
        source,
        type: 'message',
      }));
      if (i % 3 === 0) {
        events.splice(1, 0, {
          author: { id: 'ava.wong@acme.example', name: 'Ava Wong', type: 'agent' },
          date: at(0, messages),
          is_private: true,
          message: `PRIVATE NOTE ${i}`,
          source,
          type: 'message',
        });
      }
      const ticket = {
        id,
        date: at(0, messages),
        modified: at(messages - 1, messages),
        status: 'open',
        subject: text(i, 40),
        requester: { mail: `client${i}@example.com`, name: `Client ${i}`, ip: null },
        source: { id: `src_bench${n}`, ...source },
        assignee: { id: 'ava.wong@acme.example', name: 'Ava Wong' },
        currentGroup: { id: 0, name: 'General' },
        groups: [{ id: 0, name: 'General' }],
        events,
        tags: [],
      };
      tickets.push({
        workspace_id: workspaceId,
        id,
        status: 'open',
        requester_mail_key: `client${i}@example.com`,
        assignee_login: 'ava.wong@acme.example',
        document: JSON.stringify(ticket),
        created_at: ticket.date,
        modified_at: ticket.modified,
        last_message_at: ticketLastMessageAt(ticket as never),
      });
      result.tickets++;
      result.messages += messages;
    } else {
      const id = `enq_bench${n}`;
      const createdAt = new Date(lastAt).toISOString();
      const enquiry = {
        id,
        _id: id,
        uniqueKey: `bench-${n}`,
        createdAT: createdAt,
        svcID: `svc_${workspaceId}`,
        inquiry: text(i * 5, chars),
        tag: null,
        visitor: { id: `vis_benchq${n}`, name: `Visitor ${i}`, email: null, phone: null },
        roomID: `room_${id}`,
        initChannel: 'web',
        omniType: 'chat',
        status: 'closed',
        displayCaseNumber: `BX-${n}`,
        channel: 'web',
        visitorName: `Visitor ${i}`,
        updatedAt: createdAt,
      };
      enquiries.push({
        id,
        workspace_id: workspaceId,
        display_case_number: enquiry.displayCaseNumber,
        status: 'closed',
        document: JSON.stringify(enquiry),
        created_at: createdAt,
        updated_at: createdAt,
      });
      result.enquiries++;
      result.messages += 1;
    }
    if (chats.length >= batch || tickets.length >= batch || enquiries.length >= batch) {
      await flush();
      options.progress?.(i + 1);
    }
  }
  await flush(true);
  options.progress?.(count);
  return result;
}

// ---- a connector in its own process, serving the export (export-process.ts) ----

export interface ExportProcess {
  baseUrl: string;
  /** Why the process ended, once it has: "ran out of memory", a signal or an exit code; null while it runs. */
  ended(): string | null;
  stats(): Promise<ExportProcessStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts export-process.ts under tsx, optionally with a heap limit; resolves once it listens. */
export async function startExportProcess(options: { databaseUrl?: string; sqlitePath?: string; maxOldSpaceMb?: number }): Promise<ExportProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, EXPORT_DATABASE_URL: options.databaseUrl ?? '', EXPORT_SQLITE_PATH: options.sqlitePath ?? '' };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  const args = ['--import', 'tsx', '--disable-warning=ExperimentalWarning'];
  if (options.maxOldSpaceMb) args.push(`--max-old-space-size=${options.maxOldSpaceMb}`);
  const child = fork(fileURLToPath(new URL('./export-process.ts', import.meta.url)), [], { execArgv: args, env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
  });
  // Writing to a process that is dying fails with EPIPE: that is reported by the exit, not thrown here.
  child.on('error', () => undefined);
  const send = (cmd: string) => {
    if (child.connected) child.send({ cmd }, () => undefined);
  };
  let ended: string | null = null;
  child.on('exit', (code, signal) => {
    ended = /heap out of memory|Reached heap limit/.test(stderr) ? 'ran out of memory' : signal ? `ended by ${signal}` : `exited with code ${code}`;
    if (code !== 0 && ended !== 'ran out of memory' && stderr) process.stderr.write(stderr);
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error(`the export process has ended (${ended ?? 'unknown'})`));
        return;
      }
      const onMessage = (message: Record<string, unknown>) => {
        if (key in message) {
          cleanup();
          resolve(message[key] as T);
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`the export process ended (${signal ?? `exit code ${code}`}) before answering "${key}"`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ready = next<boolean>('ready');
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: { port?: number }) => message.port && resolve(message.port));
    ready.catch(reject);
    setTimeout(() => reject(new Error(`the export process was not ready within 60 s:\n${stderr}`)), 60_000).unref();
  }).catch((error: unknown) => {
    child.kill('SIGKILL'); // a process that never became ready is not left running
    throw error;
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ended: () => ended,
    async stats() {
      const answer = next<ExportProcessStats>('stats');
      send('stats');
      return answer;
    },
    async reset() {
      const answer = next<boolean>('reset');
      send('reset');
      await answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Reads a whole HTTP answer (node:http, no keep-alive), handing each piece on: its status, size, and times to the first and last byte. */
export function drain(
  url: string,
  onChunk?: (chunk: Buffer) => void,
): Promise<{ status: number; bytes: number; firstByteMs: number; totalMs: number; contentType: string | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let firstByteMs = -1;
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = performance.now() - started;
        bytes += chunk.length;
        onChunk?.(chunk);
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          bytes,
          firstByteMs,
          totalMs: performance.now() - started,
          contentType: response.headers['content-type'] ?? null,
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
