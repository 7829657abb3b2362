// The "test" check against REAL local HTTP servers that misbehave in each way Ferndesk's
// documentation names (unreachable, authentication, not JSON, wrong format) and then some,
// through the function, the admin API and the command. Every check fetches twice: as given, and
// as Ferndesk builds the URL (?startDate= or &startDate= appended); each side can fail alone.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SupportEndpointCheck } from '../../../contract/index.js';
import { formatReport } from '../../src/export/check-command.js';
import { checkSupportEndpoint, type CheckOptions } from '../../src/export/check.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';
import { closeAll } from '../support/teardown.js';

interface Server {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with this handler. */
async function serve(handler: http.RequestListener): Promise<Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: Server[] = [];
afterEach(() => closeAll(...servers.splice(0)));
const started = async (handler: http.RequestListener) => {
  const server = await serve(handler);
  servers.push(server);
  return server;
};
const json =
  (body: unknown, status = 200, headers: http.OutgoingHttpHeaders = {}): http.RequestListener =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

// "Today" is fixed, so the startDate the check appends as Ferndesk does is known: 30 days back, 2026-10-26.
const local: CheckOptions = { allowPrivateTargets: true, timeoutMs: 2000, now: new Date('2026-11-25T12:00:00Z') };
const check = async (url: string, options: CheckOptions = local) => SupportEndpointCheck.parse(await checkSupportEndpoint(url, options));

const message = (id: string, role: string, createdAt = '2026-11-20T08:02:17Z') => ({ id, role, content: `text of ${id}`, createdAt });
const conversation = (
  id: string,
  lastMessageAt = '2026-11-20T08:03:02Z',
  messages = [message(`${id}_1`, 'user'), message(`${id}_2`, 'agent', lastMessageAt)],
) => ({
  id,
  url: `https://support.example.com/c/${id}`,
  lastMessageAt,
  messages,
});

describe('the support-endpoint check', () => {
  it('reports a good endpoint with its numbers, fetched as given and as Ferndesk builds it (&startDate= appended)', async () => {
    const asked: string[] = [];
    const server = await started((req, res) => {
      asked.push(req.url ?? '');
      json({ conversations: [conversation('a', '2026-11-20T08:03:02Z'), conversation('b', '2026-11-21T10:00:00Z')] })(req, res);
    });
    const report = await check(`${server.url}/support-endpoint.json?startDate=2026-01-01`);
    expect(report).toMatchObject({
      ok: true,
      verdict: 'ok',
      httpStatus: 200,
      problems: [],
      warnings: [],
      url: `${server.url}/support-endpoint.json?startDate=2026-01-01&startDate=2026-10-26`,
      summary: { conversations: 2, messages: 4, newestLastMessageAt: '2026-11-21T10:00:00Z' },
    });
    const asGiven =
      'Ferndesk can read this endpoint: 2 conversations with 4 messages since startDate=2026-01-01; the newest last message is at 2026-11-21T10:00:00Z.';
    const asFerndesk =
      'Ferndesk can read this endpoint: 2 conversations with 4 messages since startDate=2026-10-26; the newest last message is at 2026-11-21T10:00:00Z.';
    expect(report.fetches.asGiven).toMatchObject({
      ok: true,
      verdict: 'ok',
      httpStatus: 200,
      message: asGiven,
      url: `${server.url}/support-endpoint.json?startDate=2026-01-01`,
    });
    expect(report.fetches.asFerndesk).toMatchObject({ ok: true, verdict: 'ok', httpStatus: 200, message: asFerndesk, url: report.url });
    expect(report.message).toBe(
      'Ferndesk can read this endpoint, as given (2 conversations with 4 messages since startDate=2026-01-01) and as it builds the URL with &startDate=2026-10-26 appended (2 conversations with 4 messages since startDate=2026-10-26); the newest last message is at 2026-11-21T10:00:00Z.',
    );
    expect(asked.sort()).toEqual(['/support-endpoint.json?startDate=2026-01-01', '/support-endpoint.json?startDate=2026-01-01&startDate=2026-10-26']);
  });

  it('fetches a URL without startDate as given and with ?startDate= 30 days back, and says when both are empty', async () => {
    const asked: string[] = [];
    const server = await started((req, res) => {
      asked.push(req.url ?? '');
      json({ conversations: [] })(req, res);
    });
    const report = await check(`${server.url}/export.json`, { ...local, now: new Date('2026-03-31T12:00:00Z') });
    expect(asked.sort()).toEqual(['/export.json', '/export.json?startDate=2026-03-01']);
    expect(report).toMatchObject({ ok: true, verdict: 'ok', warnings: [], summary: { conversations: 0 } });
    expect(report.fetches.asGiven.message).toBe(
      "The endpoint answers in Ferndesk's format, but with no conversations at all (the URL has no startDate): Ferndesk would import nothing.",
    );
    expect(report.fetches.asFerndesk.message).toMatch(/no conversations since startDate=2026-03-01: Ferndesk would import nothing/);
    expect(report.message).toMatch(
      /^As given: .*at all \(the URL has no startDate\).* As Ferndesk builds it \(with \?startDate=2026-03-01 appended\): .*since startDate=2026-03-01/,
    );
  });

  it('tells a URL that works only as Ferndesk builds it: the endpoint refuses it without startDate', async () => {
    const strictAboutDate = await started((req, res) => {
      const dates = new URL(req.url ?? '', 'http://x').searchParams.getAll('startDate');
      if (dates.length === 1) json({ conversations: [conversation('a')] })(req, res);
      else json({ error: `startDate is required, once (got ${dates.length})` }, 400)(req, res);
    });
    const report = await check(`${strictAboutDate.url}/export.json`);
    expect(report).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 400, url: `${strictAboutDate.url}/export.json`, summary: null });
    expect(report.fetches.asGiven).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 400 });
    expect(report.fetches.asFerndesk).toMatchObject({
      ok: true,
      verdict: 'ok',
      httpStatus: 200,
      url: `${strictAboutDate.url}/export.json?startDate=2026-10-26`,
      summary: { conversations: 1 },
    });
    expect(report.message).toBe(
      'The URL works as Ferndesk builds it (with ?startDate=2026-10-26 appended), but not as given: The endpoint answered HTTP 400 Bad Request: the endpoint refused the request; check the startDate in the URL and what the endpoint expects. Its body begins: "{"error":"startDate is required, once (got 0)"}"',
    );
  });

  it('tells a URL that works only as given: the endpoint refuses the repeated startDate Ferndesk makes of it', async () => {
    const strictAboutDate = await started((req, res) => {
      const dates = new URL(req.url ?? '', 'http://x').searchParams.getAll('startDate');
      if (dates.length === 1) json({ conversations: [conversation('a')] })(req, res);
      else json({ error: `startDate is required, once (got ${dates.length})` }, 400)(req, res);
    });
    const report = await check(`${strictAboutDate.url}/export.json?startDate=2025-01-01`);
    expect(report).toMatchObject({
      ok: false,
      verdict: 'http_error',
      httpStatus: 400,
      url: `${strictAboutDate.url}/export.json?startDate=2025-01-01&startDate=2026-10-26`,
    });
    expect(report.fetches.asGiven).toMatchObject({ ok: true, verdict: 'ok', summary: { conversations: 1 } });
    expect(report.fetches.asFerndesk).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 400 });
    expect(report.message).toBe(
      'The URL works as given, but not as Ferndesk builds it (with &startDate=2026-10-26 appended): The endpoint answered HTTP 400 Bad Request: the endpoint refused the request; check the startDate in the URL and what the endpoint expects. Its body begins: "{"error":"startDate is required, once (got 2)"}"',
    );
  });

  it('appends &startDate= after any other query, and keeps a fragment out of both requests', async () => {
    const asked: string[] = [];
    const server = await started((req, res) => {
      asked.push(req.url ?? '');
      json({ conversations: [] })(req, res);
    });
    const report = await check(`${server.url}/export.json?token=abc#top`);
    expect(asked.sort()).toEqual(['/export.json?token=abc', '/export.json?token=abc&startDate=2026-10-26']);
    expect(report.fetches.asFerndesk.url).toBe(`${server.url}/export.json?token=abc&startDate=2026-10-26#top`);
  });

  it('tells a host that does not exist', async () => {
    const report = await check('http://no-such-host.invalid/support-endpoint.json?startDate=2025-01-01');
    expect(report).toMatchObject({ ok: false, verdict: 'unreachable', httpStatus: null, summary: null });
    expect(report.message).toMatch(/^The host no-such-host\.invalid could not (be found|be looked up)/);
  });

  it('tells a refused connection', async () => {
    const server = await serve(() => undefined);
    await server.close(); // nothing listens on that port any more
    const report = await check(`${server.url}/support-endpoint.json?startDate=2025-01-01`);
    expect(report.verdict).toBe('unreachable');
    expect(report.message).toBe(
      `Nothing accepts connections at ${server.url.slice('http://'.length)} (connection refused): the server is not running there, or the port is wrong.`,
    );
  });

  it('tells a server that never answers from one that stops halfway through the body', async () => {
    const silent = await started(() => undefined);
    const hung = await check(`${silent.url}/x?startDate=2025-01-01`, { ...local, timeoutMs: 300 });
    expect(hung).toMatchObject({ verdict: 'timeout', ok: false });
    expect(hung.message).toBe(
      'The endpoint accepted the connection but sent no answer within 0.3 s: it is too slow (Ferndesk will give up too) or stuck. A later startDate asks for less.',
    );

    const stalling = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"conversations": [');
    });
    const stalled = await check(`${stalling.url}/x?startDate=2025-01-01`, { ...local, timeoutMs: 300 });
    expect(stalled.verdict).toBe('timeout');
    expect(stalled.message).toBe(
      'The endpoint started answering but had sent only 19 bytes after 0.3 s: it is too slow, or stopped sending. A later startDate asks for less.',
    );
  });

  it('tells an HTTP error, with the start of its body', async () => {
    const failing = await started(json({ error: 'database down' }, 500));
    const report = await check(`${failing.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ verdict: 'http_error', httpStatus: 500 });
    expect(report.message).toBe(
      'The endpoint answered HTTP 500 Internal Server Error: the server failed while answering; its logs should say why. Its body begins: "{"error":"database down"}"',
    );

    const missing = await started(json({ error: 'nope' }, 404));
    expect((await check(`${missing.url}/x?startDate=2025-01-01`)).message).toMatch(
      /^The endpoint answered HTTP 404 Not Found: nothing is at this URL\. .*rotated or deleted/,
    );
  });

  it('tells an authentication demand: 401, 403, a redirect to a login page, a login page', async () => {
    const basic = await started((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="support"' });
      res.end();
    });
    const report401 = await check(`${basic.url}/x?startDate=2025-01-01`);
    expect(report401).toMatchObject({ verdict: 'authentication_required', httpStatus: 401 });
    expect(report401.message).toBe(
      'The endpoint demands authentication (HTTP 401 Unauthorized and asks for Basic credentials): Ferndesk sends no credentials, so it would be refused too. Make the URL answer without a login, protected by a secret in the URL instead.',
    );

    const forbidden = await started(json({ error: 'forbidden' }, 403));
    expect((await check(`${forbidden.url}/x?startDate=2025-01-01`)).message).toMatch(/^The endpoint demands authentication \(HTTP 403 Forbidden\)/);

    const redirecting = await started((req, res) => {
      res.writeHead(302, { location: `/users/sign_in?return_to=${encodeURIComponent(req.url ?? '')}` });
      res.end();
    });
    const redirected = await check(`${redirecting.url}/x?startDate=2025-01-01`);
    expect(redirected).toMatchObject({ verdict: 'authentication_required', httpStatus: 302 });
    expect(redirected.message).toBe(
      `The endpoint redirects (HTTP 302) to what looks like a login page (${redirecting.url}/users/sign_in): it wants a login, and Ferndesk sends no credentials. Make the URL answer without a login, protected by a secret in the URL instead.`,
    );

    const loginPage = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<!doctype html><html><head><title>Sign in - Helpdesk</title></head><body><form><input name="user"><input type="password" name="pw"></form></body></html>',
      );
    });
    const page = await check(`${loginPage.url}/x?startDate=2025-01-01`);
    expect(page).toMatchObject({ verdict: 'authentication_required', httpStatus: 200 });
    expect(page.message).toMatch(/^The endpoint answered with a login page \(titled "Sign in - Helpdesk"\), not JSON/);
  });

  it('does not follow a redirect to another scheme (ftp:, file:), and says why', async () => {
    for (const location of ['ftp://files.example.com/export.json', 'file:///etc/passwd']) {
      const mover = await started((_req, res) => {
        res.writeHead(302, { location });
        res.end();
      });
      const report = await check(`${mover.url}/x?startDate=2025-01-01`);
      expect(report).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 302 });
      expect(report.message).toContain(
        `redirects (HTTP 302) to ${new URL(location).protocol}// (${location}), which is not a web address: Ferndesk follows only http and https.`,
      );
    }
  });

  it('does not follow a redirect to an address that is not valid, and says why', async () => {
    const mover = await started((_req, res) => {
      res.writeHead(302, { location: 'http://%zz/' });
      res.end();
    });
    const report = await check(`${mover.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 302 });
    expect(report.message).toBe('The endpoint redirects (HTTP 302) to "http://%zz/", which is not a valid address: Ferndesk could not follow it.');
  });

  it('follows an ordinary redirect, with a warning', async () => {
    const target = await started(json({ conversations: [conversation('a')] }));
    const mover = await started((req, res) => {
      res.writeHead(301, { location: `${target.url}/new${req.url}` });
      res.end();
    });
    const report = await check(`${mover.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ ok: true, verdict: 'ok', summary: { conversations: 1 } });
    expect(report.warnings).toEqual([
      `The URL redirects (HTTP 301) to ${target.url}/new/x?startDate=2025-01-01: give Ferndesk that URL, in case it does not follow redirects.`,
      `The URL redirects (HTTP 301) to ${target.url}/new/x?startDate=2025-01-01&startDate=2026-10-26: give Ferndesk that URL, in case it does not follow redirects.`,
    ]);
  });

  it('tells a body that is not JSON: an HTML page, text, nothing, JSON cut short', async () => {
    const html = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Acme Support</title></head><body><h1>Welcome</h1></body></html>');
    });
    expect(await check(`${html.url}/x?startDate=2025-01-01`)).toMatchObject({
      verdict: 'not_json',
      message: 'The body is an HTML page (titled "Acme Support"), not JSON: the URL probably points at a web page rather than at the endpoint.',
    });

    const text = await started((_req, res) => res.end('conversations: none'));
    const plain = await check(`${text.url}/x?startDate=2025-01-01`);
    expect(plain.verdict).toBe('not_json');
    expect(plain.message).toMatch(/^The body is not valid JSON \(.+\); it begins: "conversations: none"\./);

    const empty = await started((_req, res) => res.end());
    expect((await check(`${empty.url}/x?startDate=2025-01-01`)).message).toBe(
      'The body is empty (HTTP 200): the endpoint must answer with JSON such as {"conversations": []}.',
    );

    const truncated = await started(json('{"conversations": [{"id": "a", "url": "https://x.example/a", "lastMess'));
    const cut = await check(`${truncated.url}/x?startDate=2025-01-01`);
    expect(cut.verdict).toBe('not_json');
    expect(cut.message).toMatch(
      /^The body is not complete JSON: it stops after 70 bytes in the middle of a value \(.+\)\. The endpoint probably failed while writing it, or cut it short\.$/,
    );
  });

  it('tells a connection that closes before the body is complete', async () => {
    const dying = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"conversations": [');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const report = await check(`${dying.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ verdict: 'incomplete_response', httpStatus: 200 });
    expect(report.message).toBe(
      'The connection closed after 19 bytes, before the answer was complete (HTTP 200): the server failed or gave up while sending it. Its logs should say why.',
    );
  });

  it('names each format violation by its JSON path', async () => {
    const wrong = await started(
      json({
        conversations: [
          conversation('a'),
          conversation('b'),
          conversation('c'),
          { ...conversation('d'), messages: [message('d_1', 'bot'), { ...message('d_2', 'user'), content: 42 }] },
          { id: 'e', url: 'not a url', lastMessageAt: 'yesterday', messages: 'none' },
          { url: 'https://x.example/f', lastMessageAt: '2026-11-20T08:03:02Z', messages: [{ id: 'f_1', role: 'user', content: 'hi' }] },
        ],
      }),
    );
    const report = await check(`${wrong.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ ok: false, verdict: 'invalid_format', httpStatus: 200, summary: null });
    expect(report.problems).toEqual([
      { path: 'conversations[3].messages[0].role', message: 'conversations[3].messages[0].role must be user or agent, got "bot"' },
      { path: 'conversations[3].messages[1].content', message: 'conversations[3].messages[1].content must be a string, got 42' },
      { path: 'conversations[4].url', message: 'conversations[4].url must be a URL such as https://support.example.com/conversations/12345, got "not a url"' },
      {
        path: 'conversations[4].lastMessageAt',
        message: 'conversations[4].lastMessageAt must be an ISO 8601 date-time such as 2023-10-27T14:30:00Z, got "yesterday"',
      },
      { path: 'conversations[4].messages', message: 'conversations[4].messages must be a list of messages, got "none"' },
      { path: 'conversations[5].id', message: 'conversations[5].id is missing' },
      { path: 'conversations[5].messages[0].createdAt', message: 'conversations[5].messages[0].createdAt is missing' },
    ]);
    expect(report.message).toBe(
      'The JSON does not follow Ferndesk\'s format (7 problems): conversations[3].messages[0].role must be user or agent, got "bot"; conversations[3].messages[1].content must be a string, got 42; conversations[4].url must be a URL such as https://support.example.com/conversations/12345, got "not a url"; and 4 more.',
    );
  });

  it('lists the first 50 violations and counts the rest', async () => {
    const many = await started(
      json({ conversations: Array.from({ length: 120 }, (_, i) => ({ ...conversation(`c${i}`), messages: [message(`m${i}`, 'bot')] })) }),
    );
    const report = await check(`${many.url}/x?startDate=2025-01-01`);
    expect(report.problems.length).toBe(50);
    expect(report.problems[49]!.path).toBe('conversations[49].messages[0].role');
    expect(report.message).toMatch(/^The JSON does not follow Ferndesk's format \(120 problems\): .*; and 117 more\.$/);
    expect(report.warnings).toContain('Only the first 50 format problems are listed; 70 more are like them.');
  });

  it('reads JSON sent as text/html, with a warning', async () => {
    const php = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(JSON.stringify({ conversations: [conversation('a')] }));
    });
    const report = await check(`${php.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ ok: true, summary: { conversations: 1 } });
    expect(report.warnings).toEqual(['The body is JSON but is sent as "text/html; charset=UTF-8": answer with Content-Type: application/json.']);
  });

  it('names a wrong root', async () => {
    const list = await started(json([conversation('a')]));
    expect((await check(`${list.url}/x?startDate=2025-01-01`)).problems).toEqual([
      { path: '', message: 'The body must be a JSON object with a "conversations" list, got a list' },
    ]);
    const other = await started(json({ data: [] }));
    expect((await check(`${other.url}/x?startDate=2025-01-01`)).problems).toEqual([
      { path: 'conversations', message: 'conversations is missing: the body must be {"conversations": [...]}' },
    ]);
    const notList = await started(json({ conversations: { a: 1 } }));
    expect((await check(`${notList.url}/x?startDate=2025-01-01`)).problems).toEqual([
      { path: 'conversations', message: 'conversations must be a list of conversations, got an object' },
    ]);
  });

  it("accepts the role support_agent of Ferndesk's own example, with a warning; warns of other oddities", async () => {
    const server = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(
        JSON.stringify({
          conversations: [
            conversation('a', '2026-11-20T08:03:02Z', [message('a_1', 'user'), message('a_2', 'support_agent', '2026-11-20T08:03:02Z')]),
            conversation('a', '2026-11-20T09:00:00Z', [message('a_3', 'user', '2026-11-20T08:59:00Z')]),
            { id: 'old', lastMessageAt: '2024-06-01T00:00:00Z', messages: [message('old_1', 'user', '2024-06-01T00:00:00Z')] },
            conversation('b', '2026-11-20T10:00:00Z', []),
          ],
        }),
      );
    });
    const report = await check(`${server.url}/x?startDate=2025-01-01`);
    expect(report).toMatchObject({ ok: true, verdict: 'ok', summary: { conversations: 4, messages: 4, newestLastMessageAt: '2026-11-20T10:00:00Z' } });
    expect(report.warnings).toEqual([
      'The body is JSON but is sent as "text/plain": answer with Content-Type: application/json.',
      '1 message uses the role "support_agent" (at conversations[0].messages[1].role): Ferndesk\'s own example does, but its format names only user and agent; prefer "agent".',
      '1 conversation repeats an id seen before (at conversations[1].id, "a"): Ferndesk may keep only one of each.',
      '1 conversation has no url (at conversations[2]): audits cannot link to them.',
      '1 conversation has no messages (at conversations[3]).',
      'In 1 conversation, lastMessageAt is not the time of the newest message (at conversations[1]: lastMessageAt is 2026-11-20T09:00:00Z, the newest message is from 2026-11-20T08:59:00Z).',
      '1 conversation has its last message before startDate=2025-01-01 (at conversations[2].lastMessageAt, 2024-06-01T00:00:00Z): the endpoint seems not to filter by startDate, so Ferndesk reads old conversations again every time.',
      // As Ferndesk builds it, the last startDate (the one it appended) is the one it means.
      '1 conversation has its last message before startDate=2026-10-26 (at conversations[2].lastMessageAt, 2024-06-01T00:00:00Z): the endpoint seems not to filter by startDate, so Ferndesk reads old conversations again every time.',
    ]);
  });

  it("refuses private addresses unless allowed, except the connector's own origin", async () => {
    const server = await started(json({ conversations: [] }));
    const refused = await check(`${server.url}/x?startDate=2025-01-01`, { allowPrivateTargets: false });
    expect(refused).toMatchObject({ ok: false, verdict: 'refused' });
    expect(refused.message).toMatch(/^The check does not fetch 127\.0\.0\.1: it is a loopback address, not on the public internet/);
    const own = await check(`${server.url}/x?startDate=2025-01-01`, { allowPrivateTargets: false, trustedOrigins: [server.url] });
    expect(own.ok).toBe(true);
  });

  it('refuses what is not an http(s) URL', async () => {
    expect(await check('support-endpoint.json')).toMatchObject({
      verdict: 'invalid_url',
      message: expect.stringMatching(/^"support-endpoint.json" is not a URL/),
    });
    expect((await check('ftp://example.com/x.json')).message).toBe(
      'The URL must start with https:// (or http://), not ftp://: Ferndesk fetches it over the web.',
    );
  });
});

describe.each(connectorDatabases)("the check of the connector's own export URL through the admin API, on the %s database", (database) => {
  let connector: TestConnector;
  let exportUrl: string;
  beforeAll(async () => {
    // The test's base URL is not the connector's PUBLIC_BASE_URL, so its loopback address must be allowed.
    connector = await startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }, { database });
    await connector.call('/v1/chats', { method: 'POST', body: { visitor: { name: 'Mei' }, message: 'Hello' } });
    const created = (await connector.call('/admin/api/support-export/urls', { method: 'POST', body: { name: 'Ferndesk' }, as: 'admin' })).body;
    exportUrl = `${connector.baseUrl}${new URL(created.url).pathname}`;
  }, 30_000);
  afterAll(() => connector?.close());

  const adminCheck = async (url: string) => {
    const response = await connector.call('/admin/api/support-export/check', { method: 'POST', body: { url }, as: 'admin' });
    expect(response.status).toBe(200);
    return SupportEndpointCheck.parse(response.body);
  };
  const appended = () => `startDate=${new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)}`;

  it('finds the URL as pasted (no startDate) good, as given and with the ?startDate= Ferndesk appends', async () => {
    const report = await adminCheck(exportUrl);
    expect(report).toMatchObject({ ok: true, verdict: 'ok', warnings: [], summary: { conversations: 1, messages: 1 } });
    expect(report.fetches.asGiven).toMatchObject({ ok: true, httpStatus: 200, url: exportUrl, summary: { conversations: 1 } });
    expect(report.fetches.asFerndesk).toMatchObject({ ok: true, httpStatus: 200, url: `${exportUrl}?${appended()}`, summary: { conversations: 1 } });
    expect(report.fetches.asGiven.message).toMatch(/^Ferndesk can read this endpoint: 1 conversation with 1 message \(the URL has no startDate\)/);
  });

  it('finds a URL with its own startDate good also when Ferndesk appends a second one', async () => {
    const report = await adminCheck(`${exportUrl}?startDate=2000-01-01`);
    expect(report).toMatchObject({ ok: true, verdict: 'ok', warnings: [], summary: { conversations: 1, messages: 1 } });
    expect(report.fetches.asFerndesk).toMatchObject({ ok: true, httpStatus: 200, url: `${exportUrl}?startDate=2000-01-01&${appended()}` });
  });

  it('reports a wrong secret, and a bad startDate failing both fetches', async () => {
    const wrongSecret = await adminCheck(`${exportUrl.replace('.json', 'x.json')}?startDate=2000-01-01`);
    expect(wrongSecret).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 404 });
    const badDate = await adminCheck(`${exportUrl}?startDate=soon`);
    expect(badDate).toMatchObject({ ok: false, verdict: 'http_error', httpStatus: 400 });
    expect(badDate.fetches.asGiven).toMatchObject({ ok: false, httpStatus: 400, url: `${exportUrl}?startDate=soon` });
    expect(badDate.fetches.asFerndesk).toMatchObject({ ok: false, httpStatus: 400, url: `${exportUrl}?startDate=soon&${appended()}` });
    expect(badDate.message).toMatch(
      /^As given: The endpoint answered HTTP 400 .* As Ferndesk builds it \(with &startDate=\d{4}-\d{2}-\d{2} appended\): The endpoint answered HTTP 400 /,
    );
  });
});

describe('the check through the admin API and the command', () => {
  let connector: TestConnector;
  let strict: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }, { database: 'embedded' });
    strict = await startConnector({}, { database: 'embedded' });
  }, 30_000);
  afterAll(() => closeAll(connector, strict));

  const adminCheck = (on: TestConnector, url: string) => on.call('/admin/api/support-export/check', { method: 'POST', body: { url }, as: 'admin' });

  it('refuses private addresses when the connector does not allow them, and validates the body', async () => {
    const server = await started(json({ conversations: [] }));
    const refused = SupportEndpointCheck.parse((await adminCheck(strict, `${server.url}/x?startDate=2025-01-01`)).body);
    expect(refused.verdict).toBe('refused');
    expect(refused.message).toContain('CONNECTOR_ALLOW_PRIVATE_TARGETS=true');
    const missing = await strict.call('/admin/api/support-export/check', { method: 'POST', body: {}, as: 'admin' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'url', message: 'is required' }]);
  });

  const run = promisify(execFile);
  const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
  const command = async (...args: string[]) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', '--disable-warning=ExperimentalWarning', mainTs, 'check-support-endpoint', ...args],
        { env },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('the command prints each fetch: one that works only as given (the endpoint refuses a second startDate)', async () => {
    const once = await started((req, res) => {
      if (new URL(req.url ?? '', 'http://x').searchParams.getAll('startDate').length === 1) json({ conversations: [conversation('a')] })(req, res);
      else json({ error: 'one startDate' }, 400)(req, res);
    });
    // In-process: formatReport is what the command prints (the spawned command is tested below).
    const printed = formatReport(await check(`${once.url}/x?startDate=2025-01-01`));
    expect(printed).toMatch(
      /^PROBLEM: The URL works as given, but not as Ferndesk builds it \(with &startDate=2026-10-26 appended\): The endpoint answered HTTP 400/,
    );
    expect(printed).toMatch(new RegExp(`\\n {2}As given: OK, HTTP 200, \\d+ ms\\n {4}${once.url}/x\\?startDate=2025-01-01\\n`));
    expect(printed).toMatch(
      new RegExp(
        `\\n {2}As Ferndesk builds it: PROBLEM \\(http error\\), HTTP 400, \\d+ ms\\n {4}${once.url}/x\\?startDate=2025-01-01&startDate=2026-10-26(\\n|$)`,
      ),
    );
  });

  it('the command prints the report in words, exits 0 when Ferndesk can read the endpoint and 1 when not', async () => {
    const good = await started(json({ conversations: [conversation('a')] }));
    const ok = await command(`${good.url}/x?startDate=2025-01-01`);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^OK: Ferndesk can read this endpoint, as given \(1 conversation with 2 messages since startDate=2025-01-01\) and as it builds the URL with &startDate=/,
    );
    expect(ok.stdout).toMatch(/\n {2}As given: OK, HTTP 200, \d+ ms\n {4}(\S+)\n {2}As Ferndesk builds it: OK, HTTP 200, \d+ ms\n {4}(\S+)/);
    expect(ok.stdout).toContain(`\n    ${good.url}/x?startDate=2025-01-01\n`);
    expect(ok.stdout).toMatch(new RegExp(`\\n {4}${good.url}/x\\?startDate=2025-01-01&startDate=\\d{4}-\\d{2}-\\d{2}`));

    const bad = await started(json({ conversations: [{ ...conversation('a'), messages: [message('m', 'bot')] }] }));
    const problem = await command(`${bad.url}/x?startDate=2025-01-01`);
    expect(problem.code).toBe(1);
    expect(problem.stdout).toMatch(/^PROBLEM: The JSON does not follow Ferndesk's format/);
    expect(problem.stdout).toContain('Format problems:\n  - conversations[0].messages[0].role must be user or agent, got "bot"');

    const asJson = await command(`${bad.url}/x?startDate=2025-01-01`, '--json');
    expect(SupportEndpointCheck.parse(JSON.parse(asJson.stdout)).verdict).toBe('invalid_format');

    const usage = await command();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Give exactly one URL to check.');
  }, 60_000); // four child processes, each compiling TypeScript: slow on a loaded machine
});
