// ESM + ts-jest. tsconfig.json sets isolatedModules, so ts-jest only transpiles
// (no type checking in tests: `npm run typecheck` does that).
//
// Four projects, so each audience runs its own part (README, "Test, validate, build and publish"):
//   app        the Zapier app's own tests (nock, schema, style, samples, README table): `npm test`,
//              which `zapier-platform test` runs; no database, no browser, no network
//   connector  the connector on the embedded database and on PostgreSQL, fuzz and fault tests
//   e2e        the app's operations against a running connector over real HTTP
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

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...shared, displayName: 'app', testMatch: ['<rootDir>/test/*.test.ts'] },
    { ...shared, displayName: 'connector', testMatch: ['<rootDir>/connector/test/**/*.test.ts'], testPathIgnorePatterns: ['/connector/test/web/'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/connector/test/web/**/*.test.ts'] },
    { ...shared, displayName: 'tooling', testMatch: ['<rootDir>/test/tooling/**/*.test.ts'] },
  ],
};
