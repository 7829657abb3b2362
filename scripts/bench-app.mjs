// Cold import time of the built app against a bare import of zapier-platform-core, each in
// a fresh Node process, alternated so both see the same machine load; then build.zip's size.
// Usage: npm run bench:app            (builds dist/ and the zip first)
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const probe = (target) => `
  const t0 = performance.now();
  await import('zapier-platform-core');
  const t1 = performance.now();
  ${target === 'app' ? "await import('./dist/index.js');" : ''}
  const t2 = performance.now();
  console.log(JSON.stringify({ core: t1 - t0, total: t2 - t0 }));`;

const sample = (target) =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe(target)], { encoding: 'utf8' }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const bare = [];
const app = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(sample('core').total);
  app.push(sample('app').total);
}
const core = median(bare);
const withApp = median(app);
console.log(`node ${process.version}, ${RUNS} cold imports each (median)`);
console.log(`zapier-platform-core alone : ${core.toFixed(1)} ms`);
console.log(`core + this app            : ${withApp.toFixed(1)} ms`);
console.log(`the app adds               : ${(withApp - core).toFixed(1)} ms = ${(((withApp - core) / core) * 100).toFixed(1)}% of core (aim: <= 30%)`);

const zip = 'build/build.zip';
if (existsSync(zip)) {
  const kb = statSync(zip).size / 1024;
  console.log(`build.zip                  : ${kb.toFixed(0)} KB (aim: < 1,229 KB = 1.2 MB)`);
} else {
  console.log('build.zip                  : not built (run npm run zapier:build first)');
}
