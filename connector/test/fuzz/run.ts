/**
 * The malformed-request generator as a fuzzer: `npm run fuzz -- --seed 42 --count 100000`.
 * Starts a connector on a fresh seeded database (embedded by default; `--database postgres`
 * uses TEST_DATABASE_URL), sends `count` requests from `seed` (two malformed requests, then a
 * route probe: route-probes.ts), and prints a summary:
 * the status histogram, requests per kind of fault and per endpoint, and every finding (a 5xx,
 * a non-4xx, an answer that is not a JSON error or does not name the field, a write) with the
 * request to reproduce it. Exit status 1 when there were findings.
 */
import { parseArgs } from 'node:util';
import { connectorDatabases, type ConnectorDatabase } from '../support/connector.js';
import { malformedRequests, type FuzzCase } from './generator.js';
import { reproduce, sendAndJudge, startFuzzTarget, type Finding } from './harness.js';
import { routeProbes } from './route-probes.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '1000' },
    database: { type: 'string', default: 'embedded' },
    'full-check-every': { type: 'string', default: '1000' },
    'max-findings': { type: 'string', default: '50' },
  },
  strict: true,
});
const seed = Number(values.seed);
const count = Number(values.count);
const database = values.database as ConnectorDatabase;
const fullCheckEvery = Number(values['full-check-every']);
const maxFindings = Number(values['max-findings']);
if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1 || !connectorDatabases.includes(database)) {
  console.error(`usage: npm run fuzz -- [--seed N] [--count N] [--database ${connectorDatabases.join('|')}] [--full-check-every N] [--max-findings N]`);
  process.exit(2);
}
if (database === 'postgres' && !process.env.TEST_DATABASE_URL) {
  console.error(
    '--database postgres needs TEST_DATABASE_URL (an admin URL of a PostgreSQL server); `bash scripts/with-postgres.sh npm run fuzz -- ...` starts one.',
  );
  process.exit(2);
}

const started = performance.now();
const target = await startFuzzTarget({ database });
const statuses = new Map<number | string, number>();
const byCategory = new Map<string, { sent: number; bad: number }>();
const byEndpoint = new Map<string, { sent: number; bad: number }>();
const findings: Array<{ c: FuzzCase; finding: Finding }> = [];
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const tally = (map: Map<string, { sent: number; bad: number }>, key: string, bad: boolean) => {
  const entry = map.get(key) ?? { sent: 0, bad: 0 };
  entry.sent++;
  if (bad) entry.bad++;
  map.set(key, entry);
};

let before = await target.quickState();
let fullBefore = await target.state();
let sent = 0;
for (const c of interleaved(malformedRequests(seed, target.fixtures), routeProbes(seed, target.fixtures, new URL(target.redirector.url).origin))) {
  const { answer, after, findings: found } = await sendAndJudge(target, c, before, target.quickState);
  bump(statuses, answer instanceof Error ? 'no answer' : answer.status);
  before = after;
  sent++;
  if (found.some((f) => f.kind === 'wrote data') || c.expect === 'answer-may-write') {
    fullBefore = await target.state(); // reported already: compare from here on
  } else if (target.connector.deps.storage.kind === 'sqlite' && (sent % fullCheckEvery === 0 || sent === count)) {
    // Now and then, the full comparison of every row (the quick one misses nothing on the embedded database, but says less).
    const fullAfter = await target.state();
    if (fullAfter.digest !== fullBefore.digest && !found.some((f) => f.kind === 'wrote data')) {
      found.push({ kind: 'wrote data', detail: `rows changed somewhere in requests ${sent - fullCheckEvery + 1}..${sent}` });
    }
    fullBefore = fullAfter;
  }
  for (const finding of found) findings.push({ c, finding });
  tally(byCategory, c.category, found.length > 0);
  tally(byEndpoint, c.endpoint, found.length > 0);
  if (sent % 1000 === 0) process.stderr.write(`\r${sent} / ${count} sent, ${findings.length} findings`);
  if (sent >= count) break;
}
process.stderr.write('\n');
await target.close();

/** Two malformed requests, then a probe, and so on; a case's number (#n) is its place in its own generator. */
function* interleaved(malformed: Iterator<FuzzCase>, probes: Iterator<FuzzCase>): Generator<FuzzCase> {
  for (;;) {
    yield malformed.next().value as FuzzCase;
    yield malformed.next().value as FuzzCase;
    yield probes.next().value as FuzzCase;
  }
}

const seconds = (performance.now() - started) / 1000;
const line = (label: string, value: string | number) => console.log(`  ${label.padEnd(40)} ${value}`);
console.log(
  `\nFuzzed the connector (${database} database) with seed ${seed}: ${sent} requests (malformed ones and route probes) in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s).`,
);
console.log('\nStatus histogram:');
for (const [status, n] of [...statuses].sort((a, b) => String(a[0]).localeCompare(String(b[0])))) line(String(status), n);
console.log('\nBy kind of fault (sent, with findings):');
for (const [category, { sent: n, bad }] of [...byCategory].sort()) line(category, `${n}${bad ? `, ${bad} with findings` : ''}`);
console.log('\nBy endpoint (sent, with findings):');
for (const [endpoint, { sent: n, bad }] of [...byEndpoint].sort()) line(endpoint, `${n}${bad ? `, ${bad} with findings` : ''}`);

if (findings.length === 0) {
  console.log(
    '\nNo findings: every malformed request got a 4xx JSON error (naming the field where there is one), every probe the answer it expects, none a 5xx, nothing was written, and no log line showed an export secret.',
  );
} else {
  const kinds = new Map<string, number>();
  for (const { finding } of findings) bump(kinds, finding.kind);
  console.log(
    `\n${findings.length} findings: ${[...kinds].map(([k, n]) => `${n} × ${k}`).join(', ')}. The first ${Math.min(maxFindings, findings.length)}, each with the request to reproduce it (run the connector with \`npm start\`, fill in the credentials and the ids):`,
  );
  for (const { c, finding } of findings.slice(0, maxFindings)) {
    console.log(`\n#${c.n} ${c.endpoint} [${c.category}] ${c.what}\n  ${finding.kind}: ${finding.detail}\n  ${reproduce(c)}`);
  }
  process.exitCode = 1;
}
