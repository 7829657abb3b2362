// Cold import cost of the built app against a bare import of zapier-platform-core, each in a
// fresh Node process, alternated so both see the same machine load; then build.zip's size.
// CPU time (user + system) is reported beside wall time: it is far less disturbed by other
// work on the machine, so its ratio is the steadier one.
// Usage: npm run bench:app            (builds dist/ and the zip first)
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const probe = (target) => `
  const cpu0 = process.cpuUsage(), t0 = performance.now();
  await import('zapier-platform-core');
  ${target === 'app' ? "await import('./dist/index.js');" : ''}
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 }));`;

const sample = (target) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe(target)], { encoding: 'utf8' }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = { core: [], app: [] };
for (let i = 0; i < RUNS; i++) {
  runs.core.push(sample('core'));
  runs.app.push(sample('app'));
}
console.log(`node ${process.version}, ${RUNS} cold imports each, medians`);
for (const measure of ['cpu', 'wall']) {
  const core = median(runs.core.map((r) => r[measure]));
  const app = median(runs.app.map((r) => r[measure]));
  const added = app - core;
  console.log(
    `${measure.padEnd(4)}: core alone ${core.toFixed(1)} ms, core + app ${app.toFixed(1)} ms, ` +
      `the app adds ${added.toFixed(1)} ms = ${((added / core) * 100).toFixed(1)}% of core (aim: <= 30%)`,
  );
}

const zip = 'build/build.zip';
if (existsSync(zip)) {
  console.log(`build.zip: ${(statSync(zip).size / 1024).toFixed(0)} KB (aim: < 1,229 KB = 1.2 MB)`);
} else {
  console.log('build.zip: not built (npm run zapier:build)');
}
