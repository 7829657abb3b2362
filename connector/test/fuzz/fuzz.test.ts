import { categories, hasInvalidText, malformedRequests, writeEndpoints, type FuzzCase } from './generator.js';
import { connectorDatabases } from '../support/connector.js';
import { judge, reproduce, startFuzzTarget, type FuzzTarget } from './harness.js';

/**
 * "Bad input gets a clear answer": 600 malformed requests from the seeded generator, over every
 * write endpoint of the public and admin APIs, each answered with a 4xx JSON error (naming the
 * field where there is one), never a 5xx, and with every table exactly as it was. The same
 * generator runs longer with `npm run fuzz -- --seed 42 --count 100000`.
 */
const SEED = 20260131;
const COUNT = 600;

describe.each(connectorDatabases)('on the %s database', (database) => {
  let target: FuzzTarget;
  let cases: FuzzCase[];
  beforeAll(async () => {
    target = await startFuzzTarget({ database });
    cases = [...take(malformedRequests(SEED, target.fixtures), COUNT)];
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
      for (const needle of ['\\u0000', '%00', '\\ud800', '\u202e', '__proto__', 'DROP TABLE', '../', '<script>', 'x'.repeat(10_000), '😀', 'application/xml']) {
        expect({ needle, found: sent.includes(needle) || cases.some((c) => JSON.stringify(c.request.headers).includes(needle)) }).toEqual({ needle, found: true });
      }
      expect(cases.some((c) => c.request.body !== undefined && hasInvalidText(safeParse(c.request.body)))).toBe(true);
    });
  });

  it(`${COUNT} malformed requests each get a 4xx JSON error naming the field where there is one, never a 5xx, and write nothing`, async () => {
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let before = await target.state();
    for (const c of cases) {
      const answer = await target.send(c).catch((error: Error) => error);
      const after = await target.state();
      if (!(answer instanceof Error)) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      for (const finding of judge(c, answer, before, after)) {
        failures.push(`#${c.n} ${c.endpoint} (${c.category}: ${c.what.slice(0, 120)}) → ${finding.kind}: ${finding.detail}\n    ${reproduce(c).slice(0, 400)}`);
      }
      before = after;
    }
    console.info(`${database}: statuses ${JSON.stringify(statuses)}`);
    expect(failures).toEqual([]);
  }, 120_000);
});

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
