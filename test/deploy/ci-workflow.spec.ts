import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ciNodeMajor,
  nodeEngines,
  readText,
  readYaml,
  satisfiesEngines,
  versionOf,
} from './deploy-support.js';

// .github/workflows/ci.yml checked offline: against SchemaStore's schema for
// GitHub workflows (bundled in @action-validator/core), and for doing what
// .ci/run does.

interface ValidationState {
  readonly errors: ReadonlyArray<{ path?: string; title: string; detail?: string }>;
}
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow(source: string): ValidationState;
};

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<
    string,
    {
      'runs-on': string;
      'timeout-minutes'?: number;
      strategy?: { matrix?: { node?: number[] } };
      services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[] }>;
      steps: Step[];
    }
  >;
}

const WORKFLOW_FILE = '.github/workflows/ci.yml';
const workflow = readYaml<Workflow>(WORKFLOW_FILE);
const [job] = Object.values(workflow.jobs);

/** The commands a script runs that start with `npm `, in order. */
const npmCommands = (script: string) =>
  script
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npm '));

/** Every problem the schema finds, nested ones included, as `path: detail` lines. */
function problems(source: string): string[] {
  const lines: string[] = [];
  const collect = (errors: ValidationState['errors']) => {
    for (const error of errors) {
      lines.push(`${error.path ?? ''}: ${error.detail ?? error.title}`);
      const nested = (error as { states?: ValidationState[] }).states ?? [];
      for (const state of nested) collect(state.errors);
    }
  };
  collect(validateWorkflow(source).errors);
  return lines;
}

describe('the GitHub Actions workflow', () => {
  it('is a valid workflow by the GitHub workflow schema', () => {
    expect(problems(readText(WORKFLOW_FILE))).toEqual([]);
  });

  it('is told apart from a workflow with a key GitHub does not know', () => {
    const misspelt = readText(WORKFLOW_FILE).replace('runs-on:', 'run-on:');
    expect(problems(misspelt)).toContain("/jobs/test: Additional property 'run-on' is not allowed");
  });

  it('runs on every pushed branch and every pull request', () => {
    expect(workflow.on).toMatchObject({ push: { branches: ['**'] }, pull_request: null });
  });

  it('tests on Node 24, the images and .ci/run Node, and on Node 22, both within engines', () => {
    const majors = job?.strategy?.matrix?.node ?? [];
    expect(majors).toEqual([24, 22]);
    expect(majors).toContain(ciNodeMajor());
    for (const major of majors) {
      // setup-node installs the newest release of the major.
      expect(satisfiesEngines([major, 99], nodeEngines()), String(major)).toBe(true);
    }
    const setupNode = job?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version']).toBe('${{ matrix.node }}');
  });

  it('has PostgreSQL as a service on 5432 for the postgres user without a password, and NATS with JetStream on 4222', () => {
    const postgres = Object.values(job?.services ?? {}).find((service) =>
      service.image.startsWith('postgres:'),
    );
    expect(postgres?.ports).toContain('5432:5432');
    expect(postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    const nats = job?.steps.find((step) => /\bnats-server\b.*-p 4222/.test(step.run ?? ''));
    expect(nats?.run).toMatch(/apt-get install .*nats-server/);
    expect(nats?.run).toMatch(/nats-server .*-js\b/);
  });

  it('installs and tests with the same npm commands as .ci/run', () => {
    const steps = job?.steps.flatMap((step) => (step.run ? npmCommands(step.run) : [])) ?? [];
    expect(steps).toEqual(['npm ci', 'npm test']);
    expect(npmCommands(readText('.ci/run'))).toEqual(['npm ci', 'npm test']);
    expect(job?.['timeout-minutes']).toBeLessThanOrEqual(40);
  });
});

describe('package.json engines', () => {
  it('accepts the Node running these tests, the one `npm start` uses on this machine', () => {
    expect(satisfiesEngines(versionOf(process.versions.node), nodeEngines())).toBe(true);
  });

  it('accepts the LTS releases the dependencies accept (TypeORM asks most) and refuses odd majors', () => {
    const engines = nodeEngines();
    for (const version of ['20.19.0', '22.13.0', '24.11.0', '26.1.0']) {
      expect(satisfiesEngines(versionOf(version), engines), version).toBe(true);
    }
    for (const version of ['18.20.0', '20.18.1', '21.7.0', '22.12.0', '23.11.0', '24.10.0']) {
      expect(satisfiesEngines(versionOf(version), engines), version).toBe(false);
    }
  });
});
