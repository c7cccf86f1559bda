import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import workspace from './vitest.config.js';

/**
 * The unit project, as `npm run test:mutation` runs it under each mutant: the
 * same settings as `vitest run --project unit`, narrowed to the specs beside
 * the code it mutates (see docs/mutation-testing.md). A config of its own,
 * since Stryker's Vitest runner cannot pick one project out of several.
 */
const unit = workspace.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === 'object' && 'test' in project && project.test?.name === 'unit',
);
if (!unit) throw new Error('vitest.config.ts has no unit project');

export default defineConfig({
  ...unit,
  test: {
    ...unit.test,
    include: [
      'apps/orders/src/**/*.spec.ts',
      'libs/contracts/src/**/*.spec.ts',
      'libs/messaging/src/**/*.spec.ts',
      'libs/transactions/src/**/*.spec.ts',
    ],
  },
});
