// ESM + ts-jest. tsconfig.json sets isolatedModules, so ts-jest only transpiles
// (no type checking in tests: `npm run typecheck` does that).
/** @type {import('jest').Config} */
export default {
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
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/connector/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/build/'],
};
