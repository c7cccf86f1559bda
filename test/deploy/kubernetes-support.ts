import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import {
  dataOf,
  kustomize,
  named,
  ofKind,
  ROOT,
  type Container,
  type K8sObject,
  type Overlay,
  type Workload,
} from './deploy-support.js';

/**
 * What the Kubernetes tests share: overlays rendered with optional components,
 * the schema and field checks of every object, and readings of the rendered
 * objects (a container's environment, where a pod may connect to).
 */

export const NAMESPACE = 'jetstream-platform';

/** The optional components an overlay may add (k8s/components). */
export type OptionalComponent = 'tracing' | 'prometheus-operator';

/**
 * An overlay with components added, as an operator's own overlay would add
 * them: a kustomization in a temporary folder naming both (kustomize takes
 * no absolute paths, hence relative ones).
 */
export function renderWithComponents(
  overlay: Overlay,
  components: readonly OptionalComponent[],
): K8sObject[] {
  const folder = mkdtempSync(join(tmpdir(), 'kustomization-'));
  try {
    const path = (target: string) => relative(folder, resolve(ROOT, target));
    writeFileSync(
      join(folder, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        `namespace: ${NAMESPACE}`,
        'resources:',
        `  - ${path(`k8s/overlays/${overlay}`)}`,
        'components:',
        ...components.map((component) => `  - ${path(`k8s/components/${component}`)}`),
        '',
      ].join('\n'),
    );
    return kustomize(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Where the models (schemas and types) of each apiVersion live. */
export function modelModule(apiVersion: string): string {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}`;
  if (apiVersion.startsWith('monitoring.coreos.com/')) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
}

type Model = new (data: unknown) => { validate(): void };

/**
 * kustomize wraps long base64 Secret values over several lines; the API
 * server's decoder skips the line breaks, so the schema's "byte" format should too.
 */
function asDecoded(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/\s+/g, ''),
    ]),
  );
  return { ...object, data };
}

/** The model's own validation: types, required fields, enums, formats (not unknown fields). */
export async function schemaErrors(objects: K8sObject[]): Promise<string[]> {
  const errors: string[] = [];
  for (const object of objects) {
    const models = (await import(modelModule(object.apiVersion))) as Record<string, Model>;
    const model = models[object.kind];
    if (!model) {
      errors.push(`${object.apiVersion} ${object.kind}: no schema`);
      continue;
    }
    try {
      new model(asDecoded(object)).validate();
    } catch (error) {
      errors.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return errors;
}

/**
 * Unknown (misspelled, misplaced) field names, which the schema validation
 * lets through and the API server would drop or refuse: each object is
 * type-checked as an object literal of its model's TypeScript type, whose
 * excess-property check names every field the type does not have.
 */
export function unknownFields(objects: K8sObject[]): string[] {
  const file = resolve(ROOT, 'test/deploy/rendered-objects.virtual.ts');
  const imports = objects.map(
    (object, index) =>
      `import type { I${object.kind} as T${index} } from '${modelModule(object.apiVersion)}';`,
  );
  const declarations = objects.map(
    (object, index) => `export const o${index}: T${index} = ${JSON.stringify(object)};`,
  );
  const source = [...imports, ...declarations].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getSemanticDiagnostics(sourceFile),
  ];
  return diagnostics.map((diagnostic) => {
    const line = sourceFile!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
    const object = objects[line - imports.length] ?? objects[line];
    const message = ts
      .flattenDiagnosticMessageText(diagnostic.messageText, '\n')
      .split('\n')
      .at(-1);
    return `${object?.kind}/${object?.metadata.name}: ${message}`;
  });
}

export function appDeployment(objects: K8sObject[], app: string) {
  return named<Workload>(objects, 'Deployment', app);
}

export function appContainer(objects: K8sObject[], app: string): Container {
  const container = appDeployment(objects, app).spec.template.spec.containers.find(
    (candidate) => candidate.name === app,
  );
  if (!container) throw new Error(`Deployment ${app} has no container ${app}`);
  return container;
}

/** A generated ConfigMap or Secret by the name the manifests use (kustomize adds a hash suffix). */
export function generated(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}
/** The environment a container starts with, as far as the rendered objects tell it. */
export function environmentOf(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const object = generated(
      objects,
      source.configMapRef ? 'ConfigMap' : 'Secret',
      ref?.name ?? '',
    );
    Object.assign(env, object ? dataOf(object) : {});
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const config = variable.valueFrom?.configMapKeyRef;
    const ref = secret ?? config;
    if (ref) {
      const object = generated(objects, secret ? 'Secret' : 'ConfigMap', ref.name);
      const value = object ? dataOf(object)[ref.key] : undefined;
      if (value !== undefined) env[variable.name] = value;
    } else if (variable.value !== undefined) {
      env[variable.name] = variable.value;
    }
  }
  return env;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}

export interface NetworkPolicyRule {
  to?: NetworkPolicyPeer[];
  from?: NetworkPolicyPeer[];
  ports?: { protocol?: string; port?: number | string }[];
}

export interface NetworkPolicy {
  spec: {
    podSelector: LabelSelector;
    policyTypes: string[];
    ingress?: NetworkPolicyRule[];
    egress?: NetworkPolicyRule[];
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector picks pods with these labels, as the API server reads it. */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values }) => {
    const value = labels[key];
    switch (operator) {
      case 'In':
        return value !== undefined && (values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

/** Where the pods with these labels may open connections: "peer:port" entries. */
export function egressOf(objects: K8sObject[], labels: Record<string, string>): string[] {
  const policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').filter(
    (policy) =>
      policy.spec.policyTypes.includes('Egress') && selects(policy.spec.podSelector, labels),
  );
  return policies.flatMap((policy) =>
    (policy.spec.egress ?? []).flatMap((rule) => {
      // A rule without `to` (or without ports) opens every destination (or port).
      const peers = rule.to?.map((peer) => JSON.stringify(peer)) ?? ['anywhere'];
      const ports = rule.ports?.map((port) => `${port.protocol ?? 'TCP'}/${port.port}`) ?? [
        'any port',
      ];
      return peers.flatMap((peer) => ports.map((port) => `${peer} ${port}`));
    }),
  );
}

export const pod = (name: string) =>
  JSON.stringify({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name } } });
export const DNS = JSON.stringify({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
});
