import { categories, hasInvalidText, malformedRequests, pathSpellings, probeCategories, writeEndpoints, type FuzzCase } from './generator.js';
import { connectorDatabases } from '../support/connector.js';
import { reproduce, sendAndJudge, startFuzzTarget, type FuzzTarget } from './harness.js';
import { redirectTargets, routeProbes } from './route-probes.js';

/**
 * "Bad input gets a clear answer": 600 malformed requests from the seeded generator, over every
 * write endpoint of the public and admin APIs, each answered with a 4xx JSON error (naming the
 * field where there is one), never a 5xx, and with every table exactly as it was. The same
 * generator runs longer with `npm run fuzz -- --seed 42 --count 100000`.
 *
 * Then 400 route probes: unknown routes, the admin and KF5 APIs with every kind of credentials,
 * the export route with real and made-up secrets spelled many ways, and the export check
 * following redirects it must not follow; none answered with a 5xx, an error that is not JSON
 * or a stack trace, and no log line showing an export secret.
 */
const SEED = 20260131;
const COUNT = 600;
const PROBES = 400;

describe.each(connectorDatabases)('on the %s database', (database) => {
  let target: FuzzTarget;
  let cases: FuzzCase[];
  let probes: FuzzCase[];
  beforeAll(async () => {
    target = await startFuzzTarget({ database });
    cases = [...take(malformedRequests(SEED, target.fixtures), COUNT)];
    probes = [...take(routeProbes(SEED, target.fixtures, new URL(target.redirector.url).origin), PROBES)];
  }, 60_000);
  afterAll(() => target?.close());

  describe('the malformed-request generator', () => {
    it('starts every valid body from one the contract accepts', () => {
      for (const spec of writeEndpoints()) {
        if (!spec.body) continue;
        const parsed = spec.body.safeParse(spec.base!(target.fixtures));
        expect({ endpoint: spec.name, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ endpoint: spec.name, issues: [] });
      }
    });

    it('is the same for the same seed', () => {
      expect([...take(malformedRequests(SEED, target.fixtures), 50)]).toEqual(cases.slice(0, 50));
    });

    it(`covers every write endpoint and every kind of fault in ${COUNT} requests`, () => {
      expect(new Set(cases.map((c) => c.endpoint))).toEqual(new Set(writeEndpoints().map((s) => s.name)));
      expect(new Set(cases.map((c) => c.category))).toEqual(new Set(categories));
      // The edge cases the promise names are among them. (In JSON text, NUL and unpaired
      // surrogates are written escaped; the right-to-left override and emoji as they are.)
      const sent = cases.map((c) => `${c.request.path} ${safeDecode(c.request.path)} ${c.request.body ?? ''}`).join('\n');
      for (const needle of [
        '\\u0000',
        '%00',
        '\\ud800',
        '\u202e',
        '__proto__',
        'DROP TABLE',
        '../',
        '<script>',
        'x'.repeat(10_000),
        '😀',
        'application/xml',
        '['.repeat(10_000),
        '{"a":'.repeat(10_000),
        '//',
      ]) {
        expect({ needle, found: sent.includes(needle) || cases.some((c) => JSON.stringify(c.request.headers).includes(needle)) }).toEqual({
          needle,
          found: true,
        });
      }
      expect(cases.some((c) => c.request.body !== undefined && hasInvalidText(safeParse(c.request.body)))).toBe(true);
      expect(new Set(cases.filter((c) => c.category === 'encoded-path').map((c) => c.what))).toEqual(
        new Set(Object.keys(pathSpellings).map((how) => `the path spelled with ${how}, and a broken body`)),
      );
    });

    it(`probes every kind of route and every redirect in ${PROBES} requests`, () => {
      expect(new Set(probes.map((c) => c.category))).toEqual(new Set(probeCategories));
      expect(new Set(probes.flatMap((c) => (c.redirectTo === undefined ? [] : [c.redirectTo])))).toEqual(new Set(redirectTargets));
      expect(new Set(probes.map((c) => c.as))).toEqual(new Set(['app', 'admin', 'admin-basic', 'none', 'wrong-bearer', 'wrong-basic']));
      expect(probes.some((c) => c.category === 'export-route' && c.secret === target.fixtures.exportSecret)).toBe(true);
      expect(new Set(probes.filter((c) => c.category === 'unknown-route').map((c) => c.request.method)).size).toBeGreaterThan(8);
    });
  });

  it(`${COUNT} malformed requests each get a 4xx JSON error naming the field where there is one, never a 5xx, write nothing, and log no export secret`, async () => {
    const { failures, statuses } = await sendAll(target, cases);
    console.info(`${database}: malformed requests' statuses ${JSON.stringify(statuses)}`);
    expect(failures).toEqual([]);
  }, 120_000);

  it(`${PROBES} route probes each get the answer they expect, never a 5xx, a stack trace or a secret in a log line`, async () => {
    const { failures, statuses } = await sendAll(target, probes);
    console.info(`${database}: route probes' statuses ${JSON.stringify(statuses)}`);
    expect(failures).toEqual([]);
  }, 120_000);
});

/** Sends the cases one by one, comparing every table before and after each. */
async function sendAll(target: FuzzTarget, cases: FuzzCase[]) {
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  let before = await target.state();
  for (const c of cases) {
    const { answer, after, findings } = await sendAndJudge(target, c, before, target.state);
    if (!(answer instanceof Error)) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    for (const finding of findings) {
      failures.push(`#${c.n} ${c.endpoint} (${c.category}: ${c.what.slice(0, 120)}) → ${finding.kind}: ${finding.detail}\n    ${reproduce(c).slice(0, 400)}`);
    }
    before = after;
  }
  return { failures, statuses };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function* take<T>(items: Iterable<T>, count: number): Generator<T> {
  if (count <= 0) return;
  for (const item of items) {
    yield item;
    if (--count <= 0) return;
  }
}
