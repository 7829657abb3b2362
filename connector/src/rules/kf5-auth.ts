import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken } from '../accounts/bearer.js';
import { ADMIN_CREDENTIAL, type AdminGuard } from '../accounts/admin-token.js';
import { ApiFailure } from '../errors.js';

/** Named in the 401's `WWW-Authenticate`, so a client knows Basic is welcome here. */
export const KF5_REALM = 'KF5 Triggers API';

/**
 * The password of an `Authorization: Basic` header, as KF5's examples send it: `curl -u
 * {email}:{password}`, or with an API token `curl -u {email}/token:{token}`. The user part
 * (an email, with or without `/token`) is not checked: the password is the credential.
 * Null when there is no Basic header or it is malformed.
 */
export function basicPassword(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Basic ([A-Za-z0-9+/]{1,1400}={0,2})$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':'); // RFC 7617: the user-id has no colon, the password may
  if (colon <= 0) return null;
  const password = decoded.slice(colon + 1);
  return password === '' ? null : password;
}

/**
 * The 401's challenge: Basic, unless the client sent a Bearer token (the admin page does), which
 * gets a Bearer challenge: a browser shows its own password dialog for a Basic one.
 */
export function challengeFor(request: FastifyRequest): string {
  const sentBearer = /^\s*Bearer\s/i.test(String(request.headers.authorization ?? ''));
  return sentBearer ? `Bearer realm="${KF5_REALM}", error="invalid_token"` : `Basic realm="${KF5_REALM}", charset="UTF-8"`;
}

/**
 * Every route of the scope requires the connector's admin token, either as KF5 sends credentials
 * (HTTP Basic, the token as the password) or as the admin API does (`Authorization: Bearer`).
 * Compared in constant time and throttled, like the admin API, whose failures it shares.
 */
export function requireKf5Credentials(app: FastifyInstance, { isAdminToken, throttle }: AdminGuard): void {
  app.addHook('onRequest', async (request) => {
    await throttle.assertAllowed(request, ADMIN_CREDENTIAL);
    const presented = bearerToken(request) ?? basicPassword(request);
    if (presented === null || !(await isAdminToken(presented))) {
      await throttle.recordFailure(request, ADMIN_CREDENTIAL);
      throw new ApiFailure(
        401,
        'unauthenticated',
        "Send the connector's admin token as a Bearer token (Authorization: Bearer <ADMIN_TOKEN>) or as the password of HTTP Basic, as KF5 does (curl -u you@example.com:<ADMIN_TOKEN>, or -u you@example.com/token:<ADMIN_TOKEN>).",
        undefined,
        { 'www-authenticate': challengeFor(request) },
      );
    }
  });
}
