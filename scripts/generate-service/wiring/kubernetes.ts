import { isMap, isSeq, Scalar, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { editYaml, insertAfterLast, seqAt } from '../edit/yaml.js';
import { GeneratorError, serviceNames } from '../names.js';
import type { ServiceSpec } from '../service-spec.js';
import { horizontalPodAutoscaler, scaledObject } from '../templates/deploy.js';
import type { Workspace } from '../workspace.js';

const BASE = 'k8s/base/kustomization.yaml';
const LOCAL = 'k8s/overlays/local/kustomization.yaml';
const PRODUCTION = 'k8s/overlays/production/kustomization.yaml';

type Item = Record<string, unknown>;

/** Kubernetes reads YAML 1.1 (`defaultMode: 0555` is octal there). */
function editK8s(workspace: Workspace, path: string, edit: (document: Document) => void): void {
  workspace.update(path, (text) => editYaml(path, text, edit, '1.1'));
}

const isAppItem =
  (apps: readonly string[], field: string, nameOf: (app: string) => string) => (item: unknown) =>
    apps.some((app) => (item as Item)?.[field] === nameOf(app));

/** The base: the app's manifest, and its settings beside the other apps'. */
function wireBase(workspace: Workspace, spec: ServiceSpec, apps: readonly string[]): void {
  const { kebab } = spec.names;
  editK8s(workspace, BASE, (document) => {
    const resources = seqAt(document, ['resources'], BASE);
    const appResource = (item: unknown) => apps.some((app) => item === `apps/${app}.yaml`);
    insertAfterLast(document, resources, appResource, `apps/${kebab}.yaml`);
    insertAfterLast(
      document,
      seqAt(document, ['configMapGenerator'], BASE),
      isAppItem(apps, 'name', (app) => `${app}-config`),
      { name: `${kebab}-config`, literals: [`PORT=${spec.port}`, `NATS_USER=${kebab}`] },
    );
  });
}

/** The `values` of the matchExpressions that lets the apps in, in NATS' and PostgreSQL's policies. */
function wireServerPolicies(
  workspace: Workspace,
  { names: { kebab } }: ServiceSpec,
  apps: readonly string[],
) {
  for (const path of [
    'k8s/base/nats/network-policy.yaml',
    'k8s/base/postgres/network-policy.yaml',
  ]) {
    editK8s(workspace, path, (document) => {
      let edited = 0;
      for (const rule of seqAt(document, ['spec', 'ingress'], path).items) {
        const from = isMap(rule) ? (rule as YAMLMap).get('from', true) : undefined;
        if (!isSeq(from)) continue;
        for (const peer of (from as YAMLSeq).items) {
          const expressions = isMap(peer)
            ? (peer as YAMLMap).getIn(['podSelector', 'matchExpressions'], true)
            : undefined;
          if (!isSeq(expressions)) continue;
          for (const expression of (expressions as YAMLSeq).items) {
            const values = isMap(expression)
              ? (expression as YAMLMap).get('values', true)
              : undefined;
            if (!isSeq(values)) continue;
            const listed = (values as YAMLSeq).toJSON() as unknown[];
            if (!apps.every((app) => listed.includes(app))) continue;
            (values as YAMLSeq).items.push(document.createNode(kebab));
            edited += 1;
          }
        }
      }
      if (edited === 0) throw new GeneratorError(`${path}: no rule that lets the apps in`);
    });
  }
}

/** The servers read the app's passwords: NATS for its user, PostgreSQL for its login at first start. */
function wireServerSecrets(workspace: Workspace, spec: ServiceSpec, apps: readonly string[]) {
  const { kebab, constant } = spec.names;
  for (const [path, suffix, secret] of [
    ['k8s/base/nats/statefulset.yaml', 'NATS_PASSWORD', 'nats'],
    ['k8s/base/postgres/statefulset.yaml', 'DB_PASSWORD', 'database'],
  ] as const) {
    editK8s(workspace, path, (document) => {
      const containers = seqAt(document, ['spec', 'template', 'spec', 'containers'], path);
      const container = containers.items[0];
      if (!isMap(container)) throw new GeneratorError(`${path}: no container`);
      const env = (container as YAMLMap).get('env', true);
      if (!isSeq(env)) throw new GeneratorError(`${path}: the container has no env`);
      insertAfterLast(
        document,
        env as YAMLSeq,
        isAppItem(apps, 'name', (app) => `${serviceNames(app).constant}_${suffix}`),
        {
          name: `${constant}_${suffix}`,
          valueFrom: { secretKeyRef: { name: `${kebab}-${secret}`, key: 'password' } },
        },
      );
    });
  }
}

/** The overlays: the image of each, and the local overlay's development credentials. */
function wireOverlays(workspace: Workspace, spec: ServiceSpec, apps: readonly string[]) {
  const { kebab, pascal } = spec.names;
  const image = (app: string) => `nest-jetstream-platform/${app}`;
  editK8s(workspace, LOCAL, (document) => {
    insertAfterLast(document, seqAt(document, ['images'], LOCAL), isAppItem(apps, 'name', image), {
      name: image(kebab),
      newTag: 'local',
    });
    const secrets = seqAt(document, ['secretGenerator'], LOCAL);
    insertAfterLast(
      document,
      secrets,
      isAppItem(apps, 'name', (app) => `${app}-database`),
      {
        name: `${kebab}-database`,
        literals: [
          `password=local-only-${kebab}`,
          `url=postgres://${kebab}:local-only-${kebab}@postgres:5432/${kebab}`,
        ],
      },
    );
    insertAfterLast(
      document,
      secrets,
      isAppItem(apps, 'name', (app) => `${app}-nats`),
      {
        name: `${kebab}-nats`,
        // nats-server reads it as a config value: letters and digits.
        literals: [`password=localOnly${pascal}`],
      },
    );
  });
  editK8s(workspace, PRODUCTION, (document) => {
    const images = seqAt(document, ['images'], PRODUCTION);
    const [first] = images.toJSON() as { newName?: string; newTag?: string }[];
    const registry = first?.newName?.replace(/\/[^/]+$/, '');
    if (!registry || !first?.newTag)
      throw new GeneratorError(`${PRODUCTION}: the images name no registry and tag to follow`);
    // Quoted like the others: a tag such as 1.10 must stay a string.
    const newTag = new Scalar(first.newTag);
    newTag.type = Scalar.QUOTE_SINGLE;
    insertAfterLast(document, images, isAppItem(apps, 'name', image), {
      name: image(kebab),
      newName: `${registry}/${kebab}`,
      newTag,
    });
  });
}

export function wireKubernetes(workspace: Workspace, spec: ServiceSpec, apps: readonly string[]) {
  wireBase(workspace, spec, apps);
  wireServerPolicies(workspace, spec, apps);
  wireServerSecrets(workspace, spec, apps);
  wireOverlays(workspace, spec, apps);
  wireImageLoadingDocs(workspace, spec, apps);
  workspace.update(
    'k8s/components/autoscaling-hpa/hpa.yaml',
    (text) => `${text.replace(/\n*$/, '\n')}${horizontalPodAutoscaler(spec)}`,
  );
  workspace.update(
    'k8s/components/autoscaling-keda/scaled-objects.yaml',
    (text) => `${text.replace(/\n*$/, '\n')}${scaledObject(spec)}`,
  );
}

/** The loops of docs/deployment.md that load the local overlay's images into kind or minikube. */
function wireImageLoadingDocs(
  workspace: Workspace,
  { names: { kebab } }: ServiceSpec,
  apps: readonly string[],
): void {
  const path = 'docs/deployment.md';
  workspace.update(path, (text) =>
    text.replace(/^(for app in )([a-z0-9 -]+)(; do)$/gm, (line, start, list: string, end) => {
      const names = list.split(' ');
      const last = names.findLastIndex((name) => apps.includes(name));
      if (last < 0) return line;
      names.splice(last + 1, 0, kebab);
      return `${start}${names.join(' ')}${end}`;
    }),
  );
}
