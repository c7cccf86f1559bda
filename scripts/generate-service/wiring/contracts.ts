import ts from 'typescript';
import {
  addImport,
  appendToArray,
  appendToObject,
  insertSortedString,
} from '../edit/typescript.js';
import { GeneratorError } from '../names.js';
import { propertyKey, type ServiceSpec } from '../service-spec.js';
import type { Workspace } from '../workspace.js';

const SRC = 'libs/contracts/src';

/** Where the catalog imports a message from, e.g. `./orders/order-completed.event.js`. */
function catalogModuleOf(workspace: Workspace, name: string): string {
  const path = `${SRC}/catalog.ts`;
  const source = ts.createSourceFile(path, workspace.read(path), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (
      bindings &&
      ts.isNamedImports(bindings) &&
      bindings.elements.some((e) => e.name.text === name)
    )
      return statement.moduleSpecifier.text;
  }
  throw new GeneratorError(`${path}: ${name} is not in the catalog`);
}

function importsName(path: string, text: string, name: string): boolean {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  return source.statements.some((statement) => {
    const bindings = ts.isImportDeclaration(statement) && statement.importClause?.namedBindings;
    return (
      !!bindings &&
      ts.isNamedImports(bindings) &&
      bindings.elements.some((e) => e.name.text === name)
    );
  });
}

/**
 * The new command joins the catalog, the library's index and the participants
 * (sent by orders, which orchestrates; the app subscribes to the event), and
 * the catalog test's list of subjects.
 */
export function wireContracts(workspace: Workspace, spec: ServiceSpec): void {
  const { names, command, commandFile, event } = spec;
  const commandModule = `./${names.kebab}/${commandFile}.command.js`;
  const eventModule = catalogModuleOf(workspace, event);

  workspace.update(`${SRC}/catalog.ts`, (text) => {
    const path = `${SRC}/catalog.ts`;
    const imported = addImport(path, text, `import { ${command} } from '${commandModule}';`);
    return appendToArray(path, imported, 'catalog', command);
  });

  workspace.update(`${SRC}/index.ts`, (text) =>
    addImport(`${SRC}/index.ts`, text, `export * from '${commandModule}';`),
  );

  workspace.update(`${SRC}/participants.ts`, (text) => {
    const path = `${SRC}/participants.ts`;
    let result = addImport(path, text, `import { ${command} } from '${commandModule}';`);
    if (!importsName(path, result, event))
      result = addImport(path, result, `import { ${event} } from '${eventModule}';`);
    result = appendToArray(path, result, 'participants', command, ['orders', 'sends']);
    return appendToObject(
      path,
      result,
      'participants',
      `${propertyKey(names.kebab)}: { sends: [], subscribesTo: [${event}] }`,
    );
  });

  workspace.update(`${SRC}/catalog.spec.ts`, (text) =>
    insertSortedString(
      `${SRC}/catalog.spec.ts`,
      text,
      'cmd.payments.ProcessPayment',
      `cmd.${names.kebab}.${command}`,
    ),
  );
}
