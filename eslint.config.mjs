// @ts-check
/**
 * The linter: typescript-eslint's strict, type-aware rules, with Prettier owning layout
 * (eslint-config-prettier turns off the rules that would fight it). `npm run lint` runs it
 * with --max-warnings 0 in CI.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The layers and what each may import (docs/architecture.md). Data flows one way:
 * handler -> use case -> domain, with storage and I/O behind repositories and ports.
 */
const forbid = (...groups) => groups.map((group) => ({ group: [group, `${group}/**`] }));
const NO_AWS = [{ group: ['@aws-sdk/*', '@middy/*', 'aws-lambda', '@aws-lambda-powertools/*', 'jose'] }];
const layer = (files, message, patterns, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ ...p, message })) }],
    ...extra,
  },
});
const NO_ENV = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: 'configuration is read once, in shared/config.ts and the wiring' },
  ],
};
const LAYERS = [
  layer(
    ['shared/domain/**/*.ts'],
    'shared/domain is pure rules: no storage, ports, HTTP, AWS or Node I/O',
    [
      ...forbid(
        '**/store',
        '**/usecases',
        '**/adapters',
        '**/http',
        '**/wiring',
        '**/config',
        '**/infra',
        '**/functions',
      ),
      ...NO_AWS,
      { group: ['node:*', 'fs', 'path', 'http', 'crypto'] },
    ],
    NO_ENV,
  ),
  layer(
    ['shared/usecases/**/*.ts'],
    'a use case takes repositories and ports as deps: no HTTP, no wiring, no AWS clients',
    [...forbid('**/http', '**/wiring', '**/config', '**/infra', '**/functions'), ...NO_AWS],
    NO_ENV,
  ),
  layer(
    ['shared/store/**/*.ts'],
    'shared/store is storage only: it knows the domain and DynamoDB, nothing above',
    [
      ...forbid(
        '**/usecases',
        '**/http',
        '**/wiring',
        '**/config',
        '**/functions',
        '**/adapters',
        '**/infra/local',
        '**/infra/aws',
      ),
    ],
    NO_ENV,
  ),
  layer(
    ['shared/adapters/**/*.ts'],
    'an adapter implements a port: it may not reach use cases, HTTP or handlers',
    [...forbid('**/usecases', '**/http', '**/wiring', '**/functions', '**/infra/local', '**/infra/aws')],
    NO_ENV,
  ),
  layer(
    ['shared/http/**/*.ts'],
    'the HTTP layer parses and maps: it calls no store or use case itself',
    [...forbid('**/store', '**/usecases', '**/wiring', '**/functions', '**/infra/local', '**/infra/aws')],
    NO_ENV,
  ),
  layer(
    ['functions/*/handler.ts', 'functions/*/schemas.ts'],
    'a handler parses, calls one use case and maps the result: no store, no AWS SDK, no other function',
    [...forbid('**/store', '**/infra/local', '**/infra/aws', '../*/handler'), { group: ['@aws-sdk/*'] }],
    NO_ENV,
  ),
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      '.data/',
      'dist/',
      'coverage/',
      'bench/out/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests and benchmarks read JSON bodies from HTTP responses and the store: typed at the
    // assertion, not at every member access.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...LAYERS,
  prettier,
);
