import App from '../index.js';
import authentication from '../authentication.js';
import { meSample } from '../contract/index.js';
import { authData, BASE_URL, bundleWith, renderConnectionLabel } from './support/bundle.js';
import { appTester, connector, failureOf, useNock } from './support/connector.js';

useNock();

const { test: authTest, connectionLabel } = authentication;
const withBaseUrl = (baseUrl: string) => bundleWith({ authData: { ...authData, baseUrl } });

describe('authentication test', () => {
  it('is the one the app uses', () => {
    expect(App.authentication).toBe(authentication);
  });

  it('calls GET /v1/me with the credentials and answers who they belong to', async () => {
    connector().get('/v1/me').matchHeader('accept', 'application/json').reply(200, meSample);
    await expect(appTester(authTest, bundleWith())).resolves.toEqual(meSample);
  });

  it('labels the connection "<account name> (<workspace name>)", with no secret in it', async () => {
    expect(connectionLabel).not.toMatch(/authData/);
    const label = renderConnectionLabel(connectionLabel, meSample);
    expect(label).toBe('Marketing Zaps (Acme Contact Centre)');
    expect(label).not.toContain(authData.appToken);
  });

  it('explains refused credentials in a sentence, never "Got 401"', async () => {
    connector()
      .get('/v1/me')
      .reply(401, { error: { code: 'unauthenticated', message: 'Unknown App ID or App Token' } });
    const failure = await failureOf(appTester(authTest, bundleWith()));
    expect(failure).toMatchObject({ name: 'AppError', code: 'AuthenticationError', status: 401 });
    expect(failure.message).toMatch(/did not accept this App ID and App Token \(Unknown App ID or App Token\)\./);
    expect(failure.message).not.toContain('Got 401');
  });

  it('asks to reconnect (ExpiredAuthError) when the token was revoked or regenerated', async () => {
    connector()
      .get('/v1/me')
      .reply(401, { error: { code: 'credentials_revoked', message: 'Token regenerated' } });
    const failure = await failureOf(appTester(authTest, bundleWith()));
    expect(failure.name).toBe('ExpiredAuthError');
    expect(failure.message).toMatch(/App Token no longer works.*Reconnect/s);
    expect(failure.message).not.toContain('Got 401');
  });
});

describe('Base URL', () => {
  it.each(['http://example.com', 'ftp://connector.example.com', 'connector.example.com', 'http://10.0.0.5', 'https://', ''])(
    'refuses %p with a sentence, before any request',
    async (baseUrl) => {
      // useNock() fails the test if any request is made at all
      const failure = await failureOf(appTester(authTest, withBaseUrl(baseUrl)));
      expect(failure).toMatchObject({ name: 'AppError', code: 'InvalidBaseUrl' });
      expect(failure.message).toMatch(/^The Base URL ".*" is not valid: it must start with https:\/\/ .*\.$/);
    },
  );

  it.each([
    ['http://localhost:8080', 'http://localhost:8080', '/v1/me'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000', '/v1/me'],
    ['https://connector.example.com/base', BASE_URL, '/base/v1/me'],
    ['https://connector.example.com/', BASE_URL, '/v1/me'],
    ['https://connector.example.com/base//', BASE_URL, '/base/v1/me'],
    ['  https://connector.example.com  ', BASE_URL, '/v1/me'],
  ])('accepts %p and calls %s%s', async (baseUrl, origin, path) => {
    connector(origin).get(path).reply(200, meSample);
    await expect(appTester(authTest, withBaseUrl(baseUrl))).resolves.toEqual(meSample);
  });
});
