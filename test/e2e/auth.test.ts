/**
 * The app's authentication against a running connector: the auth test and connection label,
 * refused credentials, and what happens to a connection when the contact centre regenerates
 * its token or deletes its Zapier account (Zapier must ask the user to reconnect, and the hooks
 * subscribed with the old credentials receive nothing more).
 */
import { jest } from '@jest/globals';
import App from '../../index.js';
import { AdminSubscription, api, CreatedSubscription, listOf, type Me } from '../../contract/index.js';
import { appTester, failureOf, run, startE2E, startSink, zapierRawRequest, type AuthData, type E2E } from './support.js';
import { renderConnectionLabel } from '../support/bundle.js';
import { startAll } from '../../connector/test/support/teardown.js';

jest.setTimeout(30_000);

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e?.close());

const authentication = App.authentication!;
const authTest = (authData: AuthData) => appTester(authentication.test as never, { authData }) as Promise<Me>;
const accounts = '/admin/api/zapier-accounts';

/** The operations a revoked connection is tried with: the auth test and an action. */
const useConnection = {
  'the auth test': (authData: AuthData) => authTest(authData),
  'an action (Create Contact)': (authData: AuthData) => run(authData, 'creates', 'createContact', { first_name: 'Nobody' }),
  'a search (Find Contact)': (authData: AuthData) => run(authData, 'searches', 'findContact', { fullName: 'Mei Chan' }),
};

const expectExpired = async (authData: AuthData) => {
  for (const [what, use] of Object.entries(useConnection)) {
    const failure = await failureOf(use(authData));
    expect({ what, name: failure.name }).toEqual({ what, name: 'ExpiredAuthError' });
    expect(failure.message).toMatch(/no longer works.*Reconnect/s);
    expect(failure.message).not.toMatch(/Got \d{3}/);
  }
};

describe('auth test', () => {
  it('answers Me for the credentials of a Zapier account, and the connection is labelled with its name', async () => {
    const authData = await e2e.newAccount('Marketing Zaps');
    const me = api.me.response.parse(await authTest(authData));
    expect(me).toEqual({
      account: { id: authData.appId, name: 'Marketing Zaps' },
      workspace: { id: e2e.connector.workspaceId, name: 'Contact Centre' },
      rateLimit: { limit: 100, windowSeconds: 60 },
    });

    const label = renderConnectionLabel(authentication.connectionLabel as string, me);
    expect(label).toBe('Marketing Zaps (Contact Centre)');
    expect(label).not.toContain(authData.appToken);
  });

  it.each([
    ['a wrong App Token', (a: AuthData) => ({ ...a, appToken: `${a.appToken.slice(0, -4)}0000` })],
    ['an unknown App ID', (a: AuthData) => ({ ...a, appId: 'app_does_not_exist' })],
    ['no App Token', (a: AuthData) => ({ ...a, appToken: '' })],
  ])('refuses %s with a sentence to act on, never "Got 401"', async (_, spoil) => {
    const failure = await failureOf(authTest(spoil(e2e.authData)));
    expect(failure).toMatchObject({ name: 'AppError', code: 'AuthenticationError', status: 401 });
    expect(failure.message).toMatch(/^The contact centre did not accept this App ID and App Token \(.+\)\. Copy both again/);
    expect(failure.message).not.toMatch(/Got \d{3}/);
  });

  it('says so when nothing answers at the Base URL', async () => {
    const sink = await startSink();
    const closedPort = new URL(sink.url).port;
    await sink.close();
    const failure = await failureOf(authTest({ ...e2e.authData, baseUrl: `http://127.0.0.1:${closedPort}` }));
    expect(failure).toMatchObject({ name: 'AppError', code: 'ConnectorUnreachable' });
    expect(failure.message).toMatch(/^Could not reach the contact centre connector at http:\/\/127\.0\.0\.1:\d+ to check the connection: .*Check the Base URL/);
  });
});

describe('a revoked connection', () => {
  it('regenerating the token (admin API) makes the old credentials raise ExpiredAuthError at once; the new token works', async () => {
    const old = await e2e.newAccount('Regenerated Zaps');
    await expect(authTest(old)).resolves.toMatchObject({ account: { id: old.appId } });

    const regenerated = await e2e.admin(`${accounts}/${old.appId}/regenerate-token`, 'POST');
    expect(regenerated.status).toBe(200);
    const renewed: AuthData = { ...old, appToken: regenerated.body.appToken };
    expect(renewed.appToken).not.toBe(old.appToken);

    await expectExpired(old);
    await expect(authTest(renewed)).resolves.toMatchObject({ account: { id: old.appId, name: 'Regenerated Zaps' } });
    await expect(run(renewed, 'searches', 'findContact', { fullName: 'Mei Chan' })).resolves.toHaveLength(1);
  });

  it('regenerating the token ends the hooks subscribed with the old one: they receive nothing more, a hook subscribed with the new token gets the event', async () => {
    const leaked = await e2e.newAccount('Leaked Zaps');
    const [oldSink, newSink] = await startAll([startSink(), startSink()]);
    try {
      const subscribe = async (authData: AuthData, targetUrl: string) =>
        CreatedSubscription.parse(await run(authData, 'triggers', 'tagCreated', {}, { method: 'performSubscribe', targetUrl }));
      const oldHooks = [await subscribe(leaked, oldSink.url), await subscribe(leaked, oldSink.url)];

      const regenerated = await e2e.admin(`${accounts}/${leaked.appId}/regenerate-token`, 'POST');
      expect(regenerated.status).toBe(200);
      const renewed: AuthData = { ...leaked, appToken: regenerated.body.appToken };
      // The old connection cannot subscribe again either: Zapier asks to reconnect.
      const refused = await failureOf(subscribe(leaked, oldSink.url));
      expect(refused.name).toBe('ExpiredAuthError');

      // Reconnected, the Zap is turned off (Zapier unsubscribes the ended hook, with the new token: no error)
      // and on again (Zapier subscribes again, with the new token).
      await expect(run(renewed, 'triggers', 'tagCreated', {}, { method: 'performUnsubscribe', subscribeData: oldHooks[0] })).resolves.toMatchObject({
        id: oldHooks[0]!.id,
        status: 'ended',
      });
      const newHook = await subscribe(renewed, newSink.url);
      const listed = listOf(AdminSubscription).parse((await e2e.admin(`${accounts}/${leaked.appId}/subscriptions`)).body).data;
      expect(listed.map((s) => [s.id, s.status, s.endedReason]).sort()).toEqual(
        [...oldHooks.map((s) => [s.id, 'ended', 'token_regenerated']), [newHook.id, 'active', null]].sort(),
      );

      const tag = await e2e.connector.call('/v1/tags', { method: 'POST', body: { name: `After regeneration ${Date.now()}`, colorCode: '#8E24AA' } });
      expect(tag.status).toBe(201);
      const [delivery] = await newSink.waitFor(1, 10_000);
      // What the new hook got is what the app's trigger turns into the Zap's data.
      const handedOver = { subscribeData: newHook, rawRequest: zapierRawRequest(delivery!), cleanedRequest: JSON.parse(delivery!.body) };
      await expect(run(renewed, 'triggers', 'tagCreated', {}, handedOver as never)).resolves.toEqual([expect.objectContaining({ id: tag.body.id })]);
      const log = await e2e.admin(`/admin/api/deliveries?appId=${leaked.appId}`);
      // The event made a delivery for the new hook only: the ended ones got none.
      expect(log.body.data.map((d: { subscriptionId: string }) => d.subscriptionId)).toEqual([newHook.id]);
      expect(oldSink.received).toEqual([]);

      await run(renewed, 'triggers', 'tagCreated', {}, { method: 'performUnsubscribe', subscribeData: newHook });
    } finally {
      await Promise.all([oldSink.close(), newSink.close()]);
    }
  });

  it('deleting the Zapier account (admin API) raises ExpiredAuthError and ends its subscriptions: nothing more is delivered', async () => {
    const doomed = await e2e.newAccount('Deleted Zaps');
    const witness = await e2e.newAccount('Witness Zaps');
    const [doomedSink, witnessSink] = await startAll([startSink(), startSink()]);
    try {
      const subscribe = async (authData: AuthData, targetUrl: string) =>
        CreatedSubscription.parse(await run(authData, 'triggers', 'tagCreated', {}, { method: 'performSubscribe', targetUrl }));
      const doomedSubscriptions = [await subscribe(doomed, doomedSink.url), await subscribe(doomed, doomedSink.url)];
      const witnessSubscription = await subscribe(witness, witnessSink.url);

      const deleted = await e2e.admin(`${accounts}/${doomed.appId}`, 'DELETE');
      expect(deleted.status).toBe(200);
      await expectExpired(doomed);

      const listed = await e2e.admin(`${accounts}/${doomed.appId}/subscriptions`);
      expect(listed.status).toBe(200);
      const subscriptions = listOf(AdminSubscription).parse(listed.body).data;
      expect(subscriptions.map((s) => [s.id, s.status, s.endedReason]).sort()).toEqual(
        doomedSubscriptions.map((s) => [s.id, 'ended', 'account_deleted']).sort(),
      );

      // An event every tag.created subscription would get: the witness's arrives, the deleted account's do not.
      const tag = await e2e.connector.call('/v1/tags', { method: 'POST', body: { name: `After deletion ${Date.now()}`, colorCode: '#8E24AA' } });
      expect(tag.status).toBe(201);
      const [delivery] = await witnessSink.waitFor(1, 10_000);
      expect(JSON.parse(delivery!.body)).toMatchObject({ event: 'tag.created', id: tag.body.id });
      const log = await e2e.admin(`/admin/api/deliveries?appId=${doomed.appId}`);
      expect(log.body.data).toEqual([]);
      expect(doomedSink.received).toEqual([]);

      await run(witness, 'triggers', 'tagCreated', {}, { method: 'performUnsubscribe', subscribeData: witnessSubscription });
    } finally {
      await Promise.all([doomedSink.close(), witnessSink.close()]);
    }
  });
});
