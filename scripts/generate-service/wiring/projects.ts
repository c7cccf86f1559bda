import { addImport, appendToArray, appendToObject } from '../edit/typescript.js';
import { parseJsonObject, stringifyJson, withKeyAfter, type JsonObject } from '../edit/json.js';
import { propertyKey, type ServiceSpec } from '../service-spec.js';
import type { Workspace } from '../workspace.js';

/** nest-cli.json: a project beside the other apps (before the fixtures and libraries). */
function wireNestCli(workspace: Workspace, { names: { kebab } }: ServiceSpec, apps: string[]) {
  workspace.update('nest-cli.json', (text) => {
    const nestCli = parseJsonObject('nest-cli.json', text);
    const projects = (nestCli.projects ?? {}) as JsonObject;
    const project = {
      type: 'application',
      root: `apps/${kebab}`,
      entryFile: 'main',
      sourceRoot: `apps/${kebab}/src`,
    };
    return stringifyJson({
      ...nestCli,
      projects: withKeyAfter(projects, apps.at(-1), kebab, project),
    });
  });
}

const BUILD = /^nest build((?: [a-z][a-z0-9-]*)+)$/;
const CONCURRENT_NAMES = /--names ([a-z0-9,-]+)/;
const APP_COMMAND = /"node dist\/apps\/[a-z0-9-]+\/main\.js"/g;

/**
 * package.json: `build`, when it is `nest build <app>...`, names every app;
 * `start`, when it runs them with concurrently, names and starts every app.
 * Scripts that find the apps some other way are left alone, with a note,
 * unless the start launcher's own list was extended.
 */
function wirePackageScripts(
  workspace: Workspace,
  { names: { kebab } }: ServiceSpec,
  launcherListsApps: boolean,
): string[] {
  const notes: string[] = [];
  workspace.update('package.json', (text) => {
    const pkg = parseJsonObject('package.json', text);
    const scripts = { ...(pkg.scripts as Record<string, string>) };
    if (BUILD.test(scripts.build ?? '')) scripts.build = `${scripts.build} ${kebab}`;
    else
      notes.push('package.json "build" does not list the apps: check that it builds the new one');

    const start = scripts.start ?? '';
    const commands = [...start.matchAll(APP_COMMAND)];
    const lastCommand = commands.at(-1);
    if (CONCURRENT_NAMES.test(start) && lastCommand?.index !== undefined) {
      const end = lastCommand.index + lastCommand[0].length;
      scripts.start =
        `${start.slice(0, end)} "node dist/apps/${kebab}/main.js"${start.slice(end)}`.replace(
          CONCURRENT_NAMES,
          (_, list: string) => `--names ${list},${kebab}`,
        );
    } else if (!launcherListsApps) {
      notes.push('package.json "start" does not list the apps: check that it starts the new one');
    }
    return stringifyJson({ ...pkg, scripts });
  });
  return notes;
}

/** The deployment tests' list of apps, with the app's settings schema and module beside the others'. */
function wireDeployTests(workspace: Workspace, { names: { kebab, pascal, camel } }: ServiceSpec) {
  const path = 'test/deploy/deploy-support.ts';
  if (!workspace.exists(path)) return;
  workspace.update(path, (text) => {
    let result = addImport(
      path,
      text,
      `import { ${camel}Environment } from '../../apps/${kebab}/src/config.js';`,
    );
    result = addImport(
      path,
      result,
      `import { ${pascal}Module } from '../../apps/${kebab}/src/${kebab}.module.js';`,
    );
    result = appendToArray(path, result, 'APPS', `'${kebab}'`);
    result = appendToObject(
      path,
      result,
      'environments',
      `${propertyKey(kebab)}: ${camel}Environment`,
    );
    return appendToObject(path, result, 'modules', `${propertyKey(kebab)}: ${pascal}Module`);
  });
}

/** `npm start`'s launcher, where it lists the apps and their ports itself. */
function wireStartLauncher(workspace: Workspace, { names: { kebab }, port }: ServiceSpec): boolean {
  const path = 'scripts/start/settings.ts';
  if (!workspace.exists(path)) return false;
  workspace.update(path, (text) => {
    const listed = appendToArray(path, text, 'APPS', `'${kebab}'`);
    return appendToObject(path, listed, 'DEFAULT_APP_PORTS', `${propertyKey(kebab)}: ${port}`);
  });
  return true;
}

export function wireProjects(workspace: Workspace, spec: ServiceSpec, apps: string[]): string[] {
  wireNestCli(workspace, spec, apps);
  wireDeployTests(workspace, spec);
  const launcher = wireStartLauncher(workspace, spec);
  return wirePackageScripts(workspace, spec, launcher);
}
