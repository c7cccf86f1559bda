import ts from 'typescript';
import { parse } from 'yaml';
import { parseJsonObject } from './edit/json.js';
import { GeneratorError } from './names.js';
import type { Workspace } from './workspace.js';

interface NestProject {
  readonly type?: string;
  readonly root?: string;
}

/** The apps nest-cli.json builds from apps/ (fixtures elsewhere are not apps). */
export function existingApps(workspace: Workspace): string[] {
  const nestCli = parseJsonObject('nest-cli.json', workspace.read('nest-cli.json'));
  const projects = (nestCli.projects ?? {}) as Record<string, NestProject>;
  return Object.entries(projects)
    .filter(([name, project]) => project.type === 'application' && project.root === `apps/${name}`)
    .map(([name]) => name);
}

/**
 * The apps that take part in the message catalog (libs/contracts
 * participants.ts), each with a database and consumers: those a new app is
 * wired beside. The others (the flow view) only watch, and are left as they are.
 */
export function participatingApps(workspace: Workspace, apps: readonly string[]): string[] {
  const path = 'libs/contracts/src/participants.ts';
  const source = ts.createSourceFile(path, workspace.read(path), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'participants' &&
      node.initializer &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const property of node.initializer.properties) {
        if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)))
          names.add(property.name.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (names.size === 0) throw new GeneratorError(`${path}: no participants object`);
  return apps.filter((app) => names.has(app));
}

/**
 * Names a new app cannot have besides the apps': other nest-cli projects
 * (libraries, fixtures) and the compose services it would sit beside.
 */
export function takenNames(workspace: Workspace): Map<string, string> {
  const taken = new Map<string, string>();
  const nestCli = parseJsonObject('nest-cli.json', workspace.read('nest-cli.json'));
  for (const name of Object.keys((nestCli.projects ?? {}) as object))
    taken.set(name, 'nest-cli.json has a project of that name');
  const compose = parse(workspace.read('docker-compose.yml')) as { services?: object } | null;
  for (const name of Object.keys(compose?.services ?? {}))
    if (!taken.has(name)) taken.set(name, 'docker-compose.yml has a service of that name');
  return taken;
}

/** The default port an app passes to platformEnvironment in its config.ts. */
export function defaultPortOf(workspace: Workspace, app: string): number {
  const path = `apps/${app}/src/config.ts`;
  const source = ts.createSourceFile(path, workspace.read(path), ts.ScriptTarget.Latest, true);
  let port: number | undefined;
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'platformEnvironment' &&
      node.arguments[1] &&
      ts.isNumericLiteral(node.arguments[1])
    )
      port = Number(node.arguments[1].text);
    if (port === undefined) ts.forEachChild(node, visit);
  };
  visit(source);
  if (port === undefined)
    throw new GeneratorError(`${path}: no platformEnvironment(app, port) call`);
  return port;
}

/** The port after the highest one the apps default to: 3006 after 3001..3005. */
export function nextFreePort(workspace: Workspace, apps: readonly string[]): number {
  return Math.max(3000, ...apps.map((app) => defaultPortOf(workspace, app))) + 1;
}
