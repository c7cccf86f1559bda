import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { insertAfterLastMatch } from '../../scripts/generate-service/edit/lines.js';
import {
  addImport,
  appendToArray,
  appendToObject,
  insertSortedString,
} from '../../scripts/generate-service/edit/typescript.js';
import { editYaml, type YamlVersion } from '../../scripts/generate-service/edit/yaml.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('TypeScript editors', () => {
  it('adds an element to a tuple declared as const, and to an array inside an object', () => {
    const source = "export const APPS = ['a', 'b'] as const;\nconst p = { a: { sends: [X] } };\n";
    const tuple = appendToArray('f.ts', source, 'APPS', "'c'");
    expect(tuple).toContain("['a', 'b', 'c'] as const");
    expect(appendToArray('f.ts', tuple, 'p', 'Y', ['a', 'sends'])).toContain('sends: [X, Y]');
  });

  it('adds to an empty array and keeps a trailing comma valid', () => {
    expect(appendToArray('f.ts', 'const a = [];', 'a', '1')).toBe('const a = [1];');
    expect(appendToArray('f.ts', 'const a = [\n  1,\n];', 'a', '2')).toBe(
      'const a = [\n  1, 2,\n];',
    );
  });

  it('adds a property to an object', () => {
    expect(appendToObject('f.ts', 'const m = { a: 1 };', 'm', "'b-c': 2")).toBe(
      "const m = { a: 1, 'b-c': 2 };",
    );
  });

  it('puts a string into a sorted list where sorting would', () => {
    const source = "expect(x).toEqual(['cmd.a', 'cmd.c', 'evt.a']);";
    expect(insertSortedString('f.ts', source, 'cmd.a', 'cmd.b')).toContain(
      "['cmd.a', 'cmd.b', 'cmd.c', 'evt.a']",
    );
    expect(insertSortedString('f.ts', source, 'cmd.a', 'z')).toContain("'evt.a', 'z']");
  });

  it('adds an import after the last one, before the code', () => {
    const source = "import { a } from './a.js';\nimport { b } from './b.js';\n\nconst c = a + b;\n";
    expect(addImport('f.ts', source, "import { d } from './d.js';")).toBe(
      "import { a } from './a.js';\nimport { b } from './b.js';\nimport { d } from './d.js';\n\nconst c = a + b;\n",
    );
  });

  it('names the file and the variable when there is nothing to add to', () => {
    expect(() => appendToArray('f.ts', 'const a = 1;', 'b', '2')).toThrow(
      'f.ts: no variable b to add to',
    );
    expect(() => appendToArray('f.ts', 'const a = 1;', 'a', '2')).toThrow(
      'f.ts: a is not an array',
    );
  });
});

describe('YAML editor', () => {
  // Each file read as the tool that reads it: Kubernetes YAML 1.1, Compose and Prometheus 1.2.
  it.each<[string, YamlVersion]>([
    ['docker-compose.yml', '1.2'],
    ['deploy/prometheus/prometheus.yml', '1.2'],
    ['k8s/base/kustomization.yaml', '1.1'],
    ['k8s/base/nats/network-policy.yaml', '1.1'],
    ['k8s/base/postgres/network-policy.yaml', '1.1'],
    ['k8s/base/nats/statefulset.yaml', '1.1'],
    ['k8s/base/postgres/statefulset.yaml', '1.1'],
    ['k8s/overlays/local/kustomization.yaml', '1.1'],
    ['k8s/overlays/production/kustomization.yaml', '1.1'],
  ])('leaves %s byte for byte as it was when nothing is edited', async (path, version) => {
    const file = resolve(ROOT, path);
    const text = readFileSync(file, 'utf8');
    const edited = editYaml(path, text, () => undefined, version);
    expect(await format(edited, { ...(await resolveConfig(file)), filepath: file })).toBe(text);
  });
});

describe(insertAfterLastMatch.name, () => {
  it('adds lines after the last line of their group', () => {
    const text = 'A_DB=1\nB_DB=2\n\nA_NATS=3\n';
    expect(insertAfterLastMatch('.env', text, /_DB=/, ['C_DB=4'])).toBe(
      'A_DB=1\nB_DB=2\nC_DB=4\n\nA_NATS=3\n',
    );
  });

  it('says which file lacks the group', () => {
    expect(() => insertAfterLastMatch('.env', 'X=1\n', /_DB=/, ['C_DB=4'])).toThrow(
      '.env: no line like /_DB=/ to add after',
    );
  });
});
