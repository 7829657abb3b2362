// ESM + ts-jest. tsconfig.json sets isolatedModules, so ts-jest only transpiles
// (no type checking in tests: `npm run typecheck` does that).
//
// Four projects, so each audience runs its own part (README, "Test, validate, build and publish"):
//   app        the Zapier app's own tests (nock, schema, style, samples, README table): `npm test`,
//              which `zapier-platform test` runs; no database, no browser, no network
//   connector  the connector on the embedded database and on PostgreSQL, fuzz and fault tests
//   e2e        the app's operations against a running connector over real HTTP (e2e-postgres:
//              the same on PostgreSQL)
//   browser    the admin page in Debian's Chromium
//   tooling    the repository's own scripts (prerequisites, packaging)
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleNameMapper: {
    // zapier-platform-core's Lambda memory guard would process.exit() a busy jest worker.
    '^\\./memory-checker$': '<rootDir>/test/support/memory-checker.cjs',
    // ...and its process-wide http patch would break webhook delivery in later test files.
    '^\\./create-http-patch$': '<rootDir>/test/support/http-patch.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/build/'],
};

const projects = [
  { ...shared, displayName: 'app', testMatch: ['<rootDir>/test/*.test.ts'] },
  { ...shared, displayName: 'connector', testMatch: ['<rootDir>/connector/test/**/*.test.ts'], testPathIgnorePatterns: ['/connector/test/web/'] },
  // The same end-to-end tests on each database; the README block runs the demo, embedded by nature.
  { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], globals: { E2E_DATABASE: 'embedded' } },
  {
    ...shared,
    displayName: 'e2e-postgres',
    testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    testPathIgnorePatterns: ['/test/e2e/readme-try.test.ts'],
    globals: { E2E_DATABASE: 'postgres' },
  },
  { ...shared, displayName: 'browser', testMatch: ['<rootDir>/connector/test/web/**/*.test.ts'] },
  { ...shared, displayName: 'tooling', testMatch: ['<rootDir>/test/tooling/**/*.test.ts'] },
];

// TEST_PROJECTS=app,e2e runs only those (npm test and friends). Not jest's --selectProjects: it takes
// every argument after it as a project name, so `npm test -- test/hooks.test.ts` would select nothing.
const wanted = process.env.TEST_PROJECTS?.split(',').filter(Boolean);
const unknown = wanted?.filter((name) => !projects.some((project) => project.displayName === name)) ?? [];
if (unknown.length > 0)
  throw new Error(`TEST_PROJECTS names unknown jest projects: ${unknown.join(', ')} (known: ${projects.map((p) => p.displayName).join(', ')})`);

/** @type {import('jest').Config} */
export default {
  projects: wanted ? projects.filter((project) => wanted.includes(project.displayName)) : projects,
};
