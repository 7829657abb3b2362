// POST /admin/api/targets/:id/test: one signed test request sent now, the way deliveries are
// sent, answered in words; refused by the same address policy; nothing is recorded.
import type { LookupAddress } from 'node:dns';
import { Webhook } from 'standardwebhooks';
import { WebhookTargetTestResult } from '../../../contract/index.js';
import { startConnector, type TestConnector } from '../support/connector.js';
import { startSink, type Sink } from '../support/sink.js';

const admin = (connector: TestConnector, path: string, method = 'GET', body?: unknown) => connector.call(path, { method, body, as: 'admin' });

async function createTarget(connector: TestConnector, url: string): Promise<{ id: number; secret: string }> {
  const created = await admin(connector, '/admin/api/targets', 'POST', { title: 'Escalations', url });
  expect(created.status).toBe(201);
  return created.body;
}

async function sendTest(connector: TestConnector, id: number | string) {
  const answer = await admin(connector, `/admin/api/targets/${id}/test`, 'POST');
  if (answer.status === 200) WebhookTargetTestResult.parse(answer.body);
  return answer;
}

describe('sending a webhook target a test (private targets allowed)', () => {
  let connector: TestConnector;
  const sinks: Sink[] = [];
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' });
  });
  afterAll(async () => {
    await Promise.all(sinks.map((sink) => sink.close()));
    await connector?.close();
  });
  const sink = async (...args: Parameters<typeof startSink>) => {
    const started = await startSink(...args);
    sinks.push(started);
    return started;
  };

  it('sends one signed request that says it is a test, and answers that it was received', async () => {
    const receiver = await sink();
    const { id, secret } = await createTarget(connector, receiver.url);
    const answer = await sendTest(connector, id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      ok: true,
      statusCode: 200,
      durationMs: expect.any(Number),
      message: expect.stringMatching(/^The target answered 200 OK in \d+ ms\.$/),
    });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([name, value]) => [name, String(value)]));
    expect(new Webhook(secret).verify(request!.body, headers)).toEqual(expect.objectContaining({ type: 'test', targetId: id, message: expect.any(String) }));
    // a test is not a delivery: the delivery log has nothing for it
    const log = await admin(connector, '/admin/api/deliveries');
    expect(log.status).toBe(200);
    expect(log.body.data).toEqual([]);
  });

  it('quotes the start of a failing answer', async () => {
    const receiver = await sink(() => ({ status: 500, body: `database is down ${'x'.repeat(400)}` }));
    const { id } = await createTarget(connector, receiver.url);
    const answer = await sendTest(connector, id);
    expect(answer.body).toMatchObject({ ok: false, statusCode: 500 });
    expect(answer.body.message).toBe(`The target answered 500: database is down ${'x'.repeat(200 - 'database is down '.length)}`);
  });

  it('says when it could not connect', async () => {
    const receiver = await sink();
    await receiver.close(); // nothing listens on its port any more
    const { id } = await createTarget(connector, receiver.url);
    const answer = await sendTest(connector, id);
    expect(answer.body).toMatchObject({ ok: false, statusCode: null, message: expect.stringMatching(/^Could not connect: ECONNREFUSED/) });
  });

  it('answers 404 for an unknown target', async () => {
    expect((await sendTest(connector, 9999)).status).toBe(404);
    expect((await sendTest(connector, 'abc')).status).toBe(400);
  });
});

describe('sending a test where private targets are not allowed', () => {
  // hooks.example resolved to a public address when the target was registered, and to the
  // loopback address since: the test is refused as a delivery would be, and sends nothing.
  let resolveToLoopback = false;
  const resolveHost = async (): Promise<LookupAddress[]> => [resolveToLoopback ? { address: '127.0.0.1', family: 4 } : { address: '93.184.215.14', family: 4 }];
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({}, { resolveHost });
  });
  afterAll(() => connector?.close());

  it('refuses a target that now points into the private network, with the reason', async () => {
    const { id } = await createTarget(connector, 'http://hooks.example/hook');
    resolveToLoopback = true;
    const answer = await sendTest(connector, id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, statusCode: null });
    expect(answer.body.message).toMatch(/^Refused: The target URL points into a private network: hooks\.example resolves to 127\.0\.0\.1, a loopback address/);
  });
});
