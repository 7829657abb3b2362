import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { decide } from '../../src/delivery/outcome.js';
import { MAX_RETRY_AFTER_MS, nextRetryDelay } from '../../src/delivery/schedule.js';
import { parseRetryAfter, signatureHeaders } from '../../src/delivery/sender.js';
import { defaultRetryScheduleSeconds, deliverySettingsFromEnv } from '../../src/delivery/settings.js';
import { pinnedLookup } from '../../src/delivery/ssrf.js';
import { Webhook } from 'standardwebhooks';

describe('delivery settings from the environment', () => {
  it('has defaults in the spirit of Svix', () => {
    expect(deliverySettingsFromEnv({})).toEqual({
      allowPrivateTargets: false,
      timeoutMs: 15_000,
      retryScheduleMs: defaultRetryScheduleSeconds.map((s) => s * 1000),
      disableAfterFailingMs: 120 * 3600 * 1000,
      concurrency: 32,
      ratePerTarget: 30,
      pollMs: 200,
      eventRetentionDays: 30,
      noticeEmail: null,
    });
  });

  it('reads every CONNECTOR_ variable; blank ones keep their default', () => {
    const settings = deliverySettingsFromEnv({
      CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
      CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '2.5',
      CONNECTOR_RETRY_SCHEDULE: '0, 1,60',
      CONNECTOR_DISABLE_AFTER_FAILING_HOURS: '1',
      CONNECTOR_DELIVERY_CONCURRENCY: '4',
      CONNECTOR_DELIVERY_RATE_PER_TARGET: '2.5',
      CONNECTOR_DELIVERY_POLL_MS: '',
      CONNECTOR_EVENT_RETENTION_DAYS: '7',
      CONNECTOR_NOTICE_EMAIL: 'ops@acme.example',
      CONNECTOR_SMTP_URL: 'smtp://mail.acme.example:587',
    });
    expect(settings).toEqual({
      allowPrivateTargets: true,
      timeoutMs: 2500,
      retryScheduleMs: [0, 1000, 60_000],
      disableAfterFailingMs: 3_600_000,
      concurrency: 4,
      ratePerTarget: 2.5,
      pollMs: 200,
      eventRetentionDays: 7,
      noticeEmail: 'ops@acme.example',
    });
  });

  it.each([
    [{ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'maybe' }, 'CONNECTOR_ALLOW_PRIVATE_TARGETS must be true or false (got "maybe")'],
    [{ CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '0' }, 'CONNECTOR_DELIVERY_TIMEOUT_SECONDS must be greater than 0'],
    [{ CONNECTOR_RETRY_SCHEDULE: '0,5,soon' }, 'CONNECTOR_RETRY_SCHEDULE must list numbers of seconds'],
    [{ CONNECTOR_RETRY_SCHEDULE: '0,,5' }, 'CONNECTOR_RETRY_SCHEDULE must not contain empty entries'],
    [{ CONNECTOR_RETRY_SCHEDULE: '0,-5' }, 'CONNECTOR_RETRY_SCHEDULE must not contain negative delays'],
    [{ CONNECTOR_DELIVERY_CONCURRENCY: '2.5' }, 'CONNECTOR_DELIVERY_CONCURRENCY must be a whole number'],
    [{ CONNECTOR_DELIVERY_RATE_PER_TARGET: '0' }, 'CONNECTOR_DELIVERY_RATE_PER_TARGET must be greater than 0'],
    [{ CONNECTOR_DELIVERY_RATE_PER_TARGET: 'fast' }, 'CONNECTOR_DELIVERY_RATE_PER_TARGET must be a number'],
    [{ CONNECTOR_DISABLE_AFTER_FAILING_HOURS: 'five days' }, 'CONNECTOR_DISABLE_AFTER_FAILING_HOURS must be a number'],
    [{ CONNECTOR_NOTICE_EMAIL: 'ops at acme' }, 'CONNECTOR_NOTICE_EMAIL must be an email address such as ops@example.com'],
    [{ CONNECTOR_NOTICE_EMAIL: 'ops@acme.example' }, 'CONNECTOR_NOTICE_EMAIL needs CONNECTOR_SMTP_URL to send through'],
  ])('names the variable in the error: %j', (env, message) => {
    expect(() => deliverySettingsFromEnv(env)).toThrow(message);
  });
});

describe('retry schedule', () => {
  const schedule = [0, 1000, 10_000];

  it('takes the delay for the next attempt, within ±20 % jitter', () => {
    expect(nextRetryDelay(schedule, 1, null, () => 0)).toBe(800);
    expect(nextRetryDelay(schedule, 1, null, () => 0.5)).toBe(1000);
    expect(nextRetryDelay(schedule, 2, null, () => 0.9999)).toBe(12_000);
  });

  it('is used up after the last entry', () => {
    expect(nextRetryDelay(schedule, 3, null)).toBeNull();
  });

  it('waits as long as Retry-After asks when that is longer, up to a day', () => {
    expect(nextRetryDelay(schedule, 1, 60_000, () => 0.5)).toBe(60_000);
    expect(nextRetryDelay(schedule, 1, 10, () => 0.5)).toBe(1000);
    expect(nextRetryDelay(schedule, 1, 365 * 24 * 3600 * 1000, () => 0.5)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('what an answer means', () => {
  const schedule = [0, 1000];
  const answer = (statusCode: number | null, retryAfterMs: number | null = null) => ({ statusCode, retryAfterMs });

  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(decide(answer(status), 1, schedule)).toEqual({ outcome: 'delivered' });
  });

  it('410 ends the subscription at once', () => {
    expect(decide(answer(410), 1, schedule)).toEqual({ outcome: 'gone' });
  });

  it.each([301, 302, 307, 400, 401, 404, 408, 429, 500, 502, 503, 504, null])('%s is retried while the schedule lasts, then failed', (status) => {
    expect(decide(answer(status), 1, schedule, () => 0.5)).toEqual({ outcome: 'retry', delayMs: 1000 });
    expect(decide(answer(status), 2, schedule)).toEqual({ outcome: 'failed' });
  });
});

describe('signing', () => {
  it('produces headers that standardwebhooks verifies, with the attempt time', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const now = new Date();
    const headers = signatureHeaders({ id: 'evt_1', body: '{"a":1}', secret }, now);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(new Webhook(secret).verify('{"a":1}', headers)).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
    // Another secret's key is not reused (keys are kept per secret), and non-ASCII bodies sign as UTF-8.
    const other = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    const unicode = signatureHeaders({ id: 'evt_2', body: '{"name":"Zoë 李"}', secret: other }, now);
    expect(new Webhook(other).verify('{"name":"Zoë 李"}', unicode)).toEqual({ name: 'Zoë 李' });
    expect(() => new Webhook(secret).verify('{"name":"Zoë 李"}', unicode)).toThrow();
  });
});

describe('pinned connections', () => {
  it('connects to the vetted address whatever the host name would resolve to now', async () => {
    const server = createServer((_request, response) => response.end('pinned'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // "rebound.invalid" has no DNS at all: only the pinned lookup can make this connection work.
    const lookup = pinnedLookup({
      url: new URL(`http://rebound.invalid:${port}/`),
      hostname: 'rebound.invalid',
      addresses: [{ address: '127.0.0.1', family: 4 }],
    });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get(`http://rebound.invalid:${port}/`, { lookup, agent: false }, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(body).toBe('pinned');
    } finally {
      server.close();
    }
  });

  it('offers no address of a family that was not vetted', () => {
    const lookup = pinnedLookup({ url: new URL('http://a.example/'), hostname: 'a.example', addresses: [{ address: '93.184.216.34', family: 4 }] });
    const results: unknown[] = [];
    lookup('a.example', { family: 6 }, (error, address) => results.push(error?.message ?? address));
    lookup('a.example', { all: true }, (_error, address) => results.push(address));
    expect(results).toEqual(['no vetted IPv6 address for a.example', [{ address: '93.184.216.34', family: 4 }]]);
  });
});
