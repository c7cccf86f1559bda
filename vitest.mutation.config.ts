import type { RunnerTestCase } from 'vitest';
import type { Reporter, Vitest } from 'vitest/node';
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

/**
 * A spec file that cannot even be imported counts as one failed test. A
 * mutant of a module's top-level code (a constant, a schema) can make the
 * module throw as it loads; Vitest then fails the file without collecting a
 * test in it, and Stryker's runner, which reads only the tests, would call
 * such a mutant survived.
 */
class UnloadableFileFails implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== 'fail' || file.tasks.length > 0) continue;
      // Only the fields the runner reads: Vitest alone can build a test's context, and nothing runs this one.
      const loading = {
        type: 'test',
        id: `${file.id}_loading`,
        name: 'loads',
        fullName: `${file.name} > loads`,
        mode: 'run',
        file,
        suite: file,
        meta: {},
        result: { state: 'fail', errors: file.result.errors },
      } as unknown as RunnerTestCase;
      file.tasks.push(loading);
    }
  }
}

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
    reporters: ['default', new UnloadableFileFails()],
  },
});
