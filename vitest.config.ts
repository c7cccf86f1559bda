import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The @app/* aliases come from tsconfig.json, their one home.
const tsconfig = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'tsconfig.json'), 'utf8'),
) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [
    name,
    resolve(import.meta.dirname, target ?? ''),
  ]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: [
            'apps/**/*.spec.ts',
            'libs/**/*.spec.ts',
            'test/deploy/**/*.spec.ts',
            'bench/**/*.spec.ts',
            'test/generator/**/*.spec.ts',
            'scripts/**/*.spec.ts',
            'test/flows/**/*.spec.ts',
          ],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['apps/**/*.int-spec.ts', 'libs/**/*.int-spec.ts', 'test/**/*.int-spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts'],
          testTimeout: 180_000,
          hookTimeout: 90_000,
          pool: 'forks',
        },
      },
      {
        // The business flows against a running deployment: npm run test:flows.
        resolve: { alias },
        test: {
          name: 'flows',
          include: ['test/flows/**/*.flow-spec.ts'],
          testTimeout: 300_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.chaos-spec.ts'],
          // One file at a time: each runs eight app replicas, and recovery times are measured.
          fileParallelism: false,
          // A fault row is timing under load on a shared 2-core machine: one more try, on
          // the same platform, before it counts as failed; a real fault fails both.
          retry: 1,
          testTimeout: 300_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
