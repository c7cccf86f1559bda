import { isMap, isSeq, Scalar, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { insertAfterLastMatch } from '../edit/lines.js';
import { editYaml, insertAfterKey, lastKeyWhere, mapAt, seqAt } from '../edit/yaml.js';
import { GeneratorError, serviceNames } from '../names.js';
import type { ServiceSpec } from '../service-spec.js';
import {
  composeService,
  dockerfileStage,
  nginxServer,
  requiredVariable,
} from '../templates/deploy.js';
import type { Workspace } from '../workspace.js';

const COMPOSE = 'docker-compose.yml';
/** Compose mounts the first; kustomize reads only k8s/, so it keeps a byte-identical copy. */
export const POSTGRES_INIT_SCRIPTS = [
  'deploy/postgres/init/10-app-databases.sh',
  'k8s/base/postgres/10-app-databases.sh',
];

function anchored(document: Document, key: string): YAMLMap {
  const node = document.get(key, true);
  if (!isMap(node)) throw new GeneratorError(`${COMPOSE}: no ${key} block to merge`);
  return node as YAMLMap;
}

function anchoredSeq(document: Document, key: string): YAMLSeq {
  const node = document.get(key, true);
  if (!isSeq(node)) throw new GeneratorError(`${COMPOSE}: no ${key} list to share`);
  return node as YAMLSeq;
}

function singleQuoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

/** The service after the last app, its passwords beside the others', the gateway in front of it. */
function editCompose(document: Document, spec: ServiceSpec, apps: readonly string[]): void {
  const { kebab, constant } = spec.names;
  const services = mapAt(document, ['services'], COMPOSE);
  const service = document.createNode(composeService(spec)) as YAMLMap;
  service.items.unshift(
    document.createPair('<<', document.createAlias(anchored(document, 'x-app'))),
  );
  const environment = service.get('environment', true);
  if (!isMap(environment))
    throw new GeneratorError(`${COMPOSE}: the new service has no environment`);
  // The platform's settings, customers' token settings and the keys commands are checked
  // against, as the other apps merge them.
  const merged = document.createNode([]) as YAMLSeq;
  merged.flow = true;
  merged.items.push(
    document.createAlias(anchored(document, 'x-app-environment')),
    document.createAlias(anchored(document, 'x-customer-auth')),
    document.createAlias(anchored(document, 'x-command-signing')),
  );
  environment.items.unshift(document.createPair('<<', merged));
  const imageAt = service.items.findIndex((pair) => (pair.key as Scalar).value === 'image');
  service.items.splice(
    imageAt + 1,
    0,
    document.createPair('volumes', document.createAlias(anchoredSeq(document, 'x-app-keys'))),
  );
  const lastApp = lastKeyWhere(services, (key) => apps.includes(key));
  insertAfterKey(document, services, lastApp, kebab, service);
  // A blank line before the new service and the one after it, as between the others.
  const index = services.items.findIndex((pair) => (pair.key as Scalar).value === kebab);
  for (const pair of services.items.slice(index, index + 2))
    (pair.key as Scalar).spaceBefore = true;

  for (const [server, variable] of [
    ['nats', `${constant}_NATS_PASSWORD`],
    ['postgres', `${constant}_DB_PASSWORD`],
  ] as const) {
    const env = mapAt(document, ['services', server, 'environment'], COMPOSE);
    const last = lastKeyWhere(env, (key) =>
      apps.some((app) => key.startsWith(`${serviceNames(app).constant}_`)),
    );
    insertAfterKey(document, env, last, variable, requiredVariable(variable));
  }

  const gatewayDependencies = mapAt(document, ['services', 'gateway', 'depends_on'], COMPOSE);
  insertAfterKey(document, gatewayDependencies, lastApp, kebab, { condition: 'service_healthy' });
  seqAt(document, ['services', 'gateway', 'ports'], COMPOSE).items.push(
    singleQuoted(`127.0.0.1:\${${constant}_HTTP_PORT:-${spec.port}}:${spec.port}`),
  );
}

/** A server block after the last app's: the gateway publishes the app's port. */
function editNginx(text: string, spec: ServiceSpec, apps: readonly string[]): string {
  const path = 'deploy/gateway/nginx.conf';
  const lastUpstream = Math.max(...apps.map((app) => text.lastIndexOf(`set $upstream ${app}:`)));
  if (lastUpstream < 0) throw new GeneratorError(`${path}: no server block of an app to follow`);
  // The app's server block ends at the first line that closes a block at server level.
  const end = text.indexOf('\n  }\n', lastUpstream);
  if (end < 0) throw new GeneratorError(`${path}: the last app's server block does not close`);
  const at = end + '\n  }\n'.length;
  return text.slice(0, at) + nginxServer(spec) + text.slice(at);
}

export function wireCompose(
  workspace: Workspace,
  spec: ServiceSpec,
  apps: readonly string[],
): void {
  const { kebab, constant } = spec.names;
  workspace.update(COMPOSE, (text) =>
    editYaml(COMPOSE, text, (document) => editCompose(document, spec, apps)),
  );

  const prometheus = 'deploy/prometheus/prometheus.yml';
  workspace.update(prometheus, (text) =>
    editYaml(prometheus, text, (document) => {
      // On one line, like the other jobs.
      const discovery = document.createNode([
        { names: [kebab], type: 'A', port: spec.port + 1_000, refresh_interval: '10s' },
      ]) as YAMLSeq;
      discovery.flow = true;
      // The admin port, with the operator's token, as the other jobs.
      const authorization = document.createNode({
        credentials_file: '/run/secrets/admin-token',
      }) as YAMLMap;
      authorization.flow = true;
      const job = document.createNode({ job_name: kebab }) as YAMLMap;
      job.set('authorization', authorization);
      job.set('dns_sd_configs', discovery);
      seqAt(document, ['scrape_configs'], prometheus).items.push(job);
    }),
  );

  workspace.update('deploy/gateway/nginx.conf', (text) => editNginx(text, spec, apps));

  const [script, copy] = POSTGRES_INIT_SCRIPTS as [string, string];
  workspace.update(script, (text) =>
    insertAfterLastMatch(script, text, /^create_app_database /, [
      `create_app_database ${kebab} "\${${constant}_DB_PASSWORD:-}"`,
    ]),
  );
  workspace.update(copy, () => workspace.read(script));

  workspace.update('.env.example', (text) => {
    const path = '.env.example';
    let result = insertAfterLastMatch(path, text, /^[A-Z0-9_]+_DB_PASSWORD=/, [
      `${constant}_DB_PASSWORD=change-me-${kebab}`,
    ]);
    // nats-server reads these as config values: a letter first, then letters and digits.
    result = insertAfterLastMatch(path, result, /^[A-Z0-9_]+_NATS_PASSWORD=/, [
      `${constant}_NATS_PASSWORD=changeMe${spec.names.pascal}`,
    ]);
    return insertAfterLastMatch(path, result, /^[A-Z0-9_]+_HTTP_PORT=/, [
      `${constant}_HTTP_PORT=${spec.port}`,
    ]);
  });

  workspace.update('Dockerfile', (text) => `${text.replace(/\n*$/, '\n')}${dockerfileStage(spec)}`);
}
