import { ApiError } from '../../../contract/index.js';
import { addAccount, call, listAll, type Credentials, type Reply } from './support/client.js';
import { forEachProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, sleep, spawnConnector, type ConnectorProcess } from './support/process.js';

/**
 * "100 calls per 60 s per connection" under concurrent load: 300 calls from one App ID at once
 * (creating tags, so a call that slips through would leave a trace) get exactly
 * RATE_LIMIT_MAX successes and 429s for the rest, on the embedded database (one process, the
 * counter in memory) and on PostgreSQL with two connector processes sharing the counter in the
 * database. Another App ID, calling at the same moment, is not affected.
 */
const MAX = 100;
const WINDOW_SECONDS = 3600;

/** The limit counts in fixed windows: start the burst well inside one. */
async function awayFromWindowEdge(): Promise<void> {
  const windowMs = WINDOW_SECONDS * 1000;
  const intoWindow = Date.now() % windowMs;
  if (windowMs - intoWindow < 30_000) await sleep(windowMs - intoWindow + 100);
}

forEachProcessDatabase((database) => {
  afterEach(() => killLeftoverProcesses());

  it(`300 concurrent calls from one App ID: exactly ${MAX} succeed, the rest get 429; another App ID is unaffected`, async () => {
    const started = performance.now();
    const env = { ...database().env, CONNECTOR_RATE_LIMIT_MAX: String(MAX), CONNECTOR_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) };
    // Two processes on PostgreSQL, as a load balancer would spread the calls; one on the embedded database.
    const connectors: ConnectorProcess[] = [await spawnConnector(env)];
    if (database().kind === 'postgres') connectors.push(await spawnConnector(env));
    const busy = await addAccount(connectors[0]!.baseUrl, 'Busy Zaps');
    const calm = await addAccount(connectors[0]!.baseUrl, 'Calm Zaps');

    await awayFromWindowEdge();
    const burst = (as: Credentials, count: number, prefix: string) =>
      Array.from({ length: count }, (_, i) =>
        call(connectors[i % connectors.length]!.baseUrl, '/v1/tags', {
          method: 'POST',
          body: { name: `${prefix} ${i}`, colorCode: '#1E88E5' },
          as,
          timeoutMs: 30_000,
        }),
      );
    const [busyReplies, calmReplies] = await Promise.all([Promise.all(burst(busy, 300, 'Busy')), Promise.all(burst(calm, 40, 'Calm'))]);

    const histogram = (replies: Reply[]) => {
      const h: Record<number, number> = {};
      for (const r of replies) h[r.status] = (h[r.status] ?? 0) + 1;
      return h;
    };
    expect(histogram(busyReplies)).toEqual({ 201: MAX, 429: 300 - MAX });
    expect(histogram(calmReplies)).toEqual({ 201: 40 });

    for (const limited of busyReplies.filter((r) => r.status === 429)) {
      expect(ApiError.parse(limited.body).error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringContaining(`more than ${MAX} calls in ${WINDOW_SECONDS} seconds`),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    // A refused call did nothing: exactly the allowed ones made tags (counted by the calm account, same workspace).
    const tags = await listAll<{ name: string }>(connectors[0]!.baseUrl, '/v1/tags', calm); // every page: the list pages by 100
    expect(tags.filter((t) => t.name.startsWith('Busy ')).length).toBe(MAX);
    // And the busy App ID stays limited, on every process, until the window ends.
    for (const connector of connectors) expect((await call(connector.baseUrl, '/v1/me', { as: busy })).status).toBe(429);
    console.info(
      `${database().kind}, ${connectors.length} process(es): ${JSON.stringify(histogram(busyReplies))} for the busy App ID, ${JSON.stringify(histogram(calmReplies))} for the calm one, ${Math.round(performance.now() - started)} ms`,
    );
  }, 90_000);
});
