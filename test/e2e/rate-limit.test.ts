/**
 * Fair use: 100 calls per 60 seconds per connection. With the connector's default limit, the
 * app's 101st call in the window raises Zapier's ThrottledError with the delay the connector
 * asked for, so Zapier retries later instead of failing the Zap.
 */
import { jest } from '@jest/globals';
import App from '../../index.js';
import { api, type Me } from '../../contract/index.js';
import { appTester, failureOf, run, startE2E, type AuthData, type E2E } from './support.js';

jest.setTimeout(60_000);

let e2e: E2E;
beforeAll(async () => {
  // CONNECTOR_RATE_LIMIT_MAX and CONNECTOR_RATE_LIMIT_WINDOW_SECONDS are left at their defaults.
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

const LIMIT = 100;
const WINDOW_MS = 60_000;

/** The calls a busy Zap makes: searches, dropdowns and the auth test, round-robin. */
const calls: Array<(authData: AuthData) => Promise<unknown>> = [
  (authData) => run(authData, 'searches', 'findContact', { email: 'mei.chan@example.com' }),
  (authData) => run(authData, 'triggers', 'staffList'),
  (authData) => run(authData, 'searches', 'findAgent', { name: 'Ava Wong' }),
  (authData) => appTester(App.authentication!.test as never, { authData }),
];

/**
 * The connector counts in fixed windows (whole minutes). Waits, if need be, for a window with
 * enough of it left for this test, so the 101 calls cannot straddle two windows.
 */
async function startOfAFreshEnoughWindow(neededMs: number): Promise<void> {
  const leftInWindow = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (leftInWindow < neededMs) await new Promise((resolve) => setTimeout(resolve, leftInWindow + 50));
}

it('the connector announces the default limit: 100 calls per 60 seconds', async () => {
  const me = api.me.response.parse(await appTester(App.authentication!.test as never, { authData: await e2e.newAccount('Announced') })) as Me;
  expect(me.rateLimit).toEqual({ limit: LIMIT, windowSeconds: 60 });
});

it('100 calls in a minute succeed; the 101st operation raises ThrottledError with a positive delay; other connections go on', async () => {
  const busy = await e2e.newAccount('Busy Zaps');
  const quiet = await e2e.newAccount('Quiet Zaps');
  await startOfAFreshEnoughWindow(10_000);

  // 100 calls, ten at a time, every one through one of the app's operations.
  for (let batch = 0; batch < LIMIT / 10; batch++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => calls[(batch * 10 + i) % calls.length]!(busy)));
  }

  const email = `throttled.${Date.now()}@example.com`;
  const failure = await failureOf(run(busy, 'creates', 'createContact', { first_name: 'Throttled', email_type: 'work', email_address: email }));
  expect(failure.name).toBe('ThrottledError');
  expect(failure.delay).toEqual(expect.any(Number));
  expect(failure.delay).toBeGreaterThan(0);
  expect(failure.delay).toBeLessThanOrEqual(60);
  expect(failure.message).toMatch(new RegExp(`Zapier will try again in ${failure.delay} seconds\\.$`));

  // Every kind of operation is refused the same way, the auth test included.
  await expect(failureOf(appTester(App.authentication!.test as never, { authData: busy }))).resolves.toMatchObject({ name: 'ThrottledError' });
  await expect(failureOf(run(busy, 'triggers', 'tagCreated', {}, { method: 'performList' }))).resolves.toMatchObject({ name: 'ThrottledError' });

  // The limit is per connection: another account is served, and the refused create wrote nothing.
  await expect(run(quiet, 'searches', 'findContact', { email })).resolves.toEqual([]);
  await expect(run(quiet, 'searches', 'findContact', { email: 'mei.chan@example.com' })).resolves.toHaveLength(1);
});
