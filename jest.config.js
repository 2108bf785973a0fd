// One root config with a project per package, so `npm test` runs everything.
// Tests compile with @swc/jest to CommonJS and import workspace packages from
// source (no build step needed); `tsc -b` does the type checking.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@cnnvis/(protocol|client|worker)$': '<rootDir>/packages/$1/src',
  // The worker's ORT-free entry (its package.json `exports`), from source like the rest.
  '^@cnnvis/worker/pool$': '<rootDir>/packages/worker/src/pool-entry',
  // The protocol's zod-free entry, which the web UI takes its values from.
  '^@cnnvis/protocol/plain$': '<rootDir>/packages/protocol/src/plain',
  '^cnnvis-server$': '<rootDir>/packages/server/src',
};

/** Packages that ship ES modules only: compiled to CommonJS like our sources. */
const esmOnly = ['onnx-buf', '@noble/hashes', 'd3-[a-z]+'].join('|');

function project(name, extra = {}) {
  return {
    displayName: name,
    rootDir: __dirname,
    testMatch: [`<rootDir>/packages/${name}/**/*.test.ts`],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: { '^.+\\.ts$': swc, [`/node_modules/(${esmOnly})/.+\\.m?js$`]: swc },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)`],
    moduleNameMapper,
    testEnvironment: 'node',
    ...extra,
  };
}

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('protocol'),
    // onnxruntime-node runs in-process in these tests: share typed arrays with its native binding.
    project('worker', { testEnvironment: '<rootDir>/packages/worker/test/support/ort-test-environment.js' }),
    project('server'),
    project('client'),
    project('web'),
  ],
  testTimeout: 60_000,
  // The PostgreSQL schemas a run's tests make are dropped when it ends (test/support/pg-schema.ts).
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
};
