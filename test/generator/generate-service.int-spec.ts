import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepositoryCopy, tail } from './repository-copy.js';

// npm run generate:service in a copy of the repository, then the checks a
// person who clones the platform would run, with no edit in between.

const GENERATOR = 'scripts/generate-service/main.ts';
const NAME = 'loyalty';

describe('npm run generate:service', () => {
  let copy: RepositoryCopy;
  /** What the generator says it wrote or regenerated. */
  let touched: string[] = [];

  beforeAll(() => {
    copy = RepositoryCopy.create();
  });

  afterAll(() => copy?.dispose());

  it.each([
    ['Loyalty', /not a lower-case kebab-case name/],
    ['loyalty_points', /not a lower-case kebab-case name/],
    ['shipping', /an app named "shipping" exists already/],
    ['contracts', /"contracts" is taken: nest-cli.json has a project of that name/],
    ['postgres', /"postgres" is taken: docker-compose.yml has a service of that name/],
  ])('refuses the name %s with one line, changing no file', async (name, reason) => {
    const before = copy.fingerprint();
    const result = await copy.run('tsx', [GENERATOR, name]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(reason)]);
    expect(copy.fingerprint()).toBe(before);
  });

  it('changes no file when a step fails after others succeeded', async () => {
    // The autoscaler list is among the last files it edits.
    const hpa = join(copy.root, 'k8s/components/autoscaling-hpa/hpa.yaml');
    renameSync(hpa, `${hpa}.away`);
    try {
      const before = copy.fingerprint();
      const result = await copy.run('tsx', [GENERATOR, NAME]);
      expect(result.stderr).toMatch(/^generate:service: .*hpa\.yaml is missing/);
      expect(copy.fingerprint()).toBe(before);
    } finally {
      renameSync(`${hpa}.away`, hpa);
    }
  });

  it(`generates ${NAME} on the next free port with a command of its own`, async () => {
    const result = await copy.run('tsx', [GENERATOR, NAME]);
    expect(result.code, tail(result)).toBe(0);
    touched = [...result.stdout.matchAll(/^ {2}(?:wrote|regenerated) (\S+)$/gm)].map(
      (match) => match[1]!,
    );
    expect(touched).toContain('apps/loyalty/src/loyalty.module.ts');
    expect(result.stdout).toMatch(/generated loyalty on port 3006: command RecordLoyaltyEntry/);
    expect(copy.read('apps/loyalty/src/config.ts')).toContain(
      'platformEnvironment(LOYALTY_APP, 3006)',
    );
    expect(copy.read('libs/contracts/src/catalog.ts')).toContain('RecordLoyaltyEntry');
  });

  it('leaves code that type-checks, passes the linter and is formatted', async () => {
    const typecheck = await copy.run('tsc', ['--noEmit', '-p', 'tsconfig.json']);
    expect(typecheck.code, tail(typecheck)).toBe(0);
    expect(touched.length).toBeGreaterThan(0);
    const lint = await copy.run('oxlint', [
      '--deny-warnings',
      'apps/loyalty',
      'libs/contracts',
      'test/deploy',
    ]);
    expect(lint.code, tail(lint)).toBe(0);
    const format = await copy.run('prettier', ['--check', '--ignore-unknown', ...touched]);
    expect(format.code, tail(format)).toBe(0);
  }, 180_000);

  it('passes the contracts check: a new message breaks nothing released', async () => {
    const check = await copy.run('tsx', ['scripts/contracts/main.ts', 'check']);
    expect(check.code, tail(check)).toBe(0);
  });

  it('builds the new app with nest build', async () => {
    const build = await copy.run('nest', ['build', NAME]);
    expect(build.code, tail(build)).toBe(0);
    expect(copy.read(`dist/apps/${NAME}/main.js`).length).toBeGreaterThan(0);
  });

  it('passes the unit and deployment tests, which now cover the new app', async () => {
    // Generous timeouts: the machine may be busy, and a slow test is not a failed one here.
    const unit = await copy.run('vitest', ['run', '--project', 'unit', '--testTimeout', '60000']);
    expect(unit.code, tail(unit)).toBe(0);
    expect(unit.stdout).toMatch(/apps\/loyalty\/src\/domain\/loyalty-entry\.spec\.ts/);
  }, 300_000);

  it("passes the new app's own integration test on NATS and PostgreSQL", async () => {
    const integration = await copy.run('vitest', [
      'run',
      '--project',
      'integration',
      `apps/${NAME}`,
    ]);
    expect(integration.code, tail(integration)).toBe(0);
    expect(integration.stdout).toMatch(/2 passed/);
  });
});
