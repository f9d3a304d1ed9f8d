/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  // The oracle tests (iam-simulate) run some thousand evaluations each; on a busy 2-core machine one
  // took over jest's default 5 s. A timeout is a guard against a hang, not a measure of speed.
  testTimeout: 30_000,
};
