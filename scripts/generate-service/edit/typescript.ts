import ts from 'typescript';
import { GeneratorError } from '../names.js';

/**
 * Small edits of TypeScript sources at positions the compiler's parser finds,
 * never by matching text: an element added to a named array or object, an
 * import added after the last one. Layout is left to prettier afterwards.
 */

function parse(path: string, text: string): ts.SourceFile {
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function insertAt(text: string, position: number, insertion: string): string {
  return text.slice(0, position) + insertion + text.slice(position);
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isParenthesizedExpression(current)
  )
    current = current.expression;
  return current;
}

function initializerOf(path: string, source: ts.SourceFile, name: string): ts.Expression {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name)
      found = node.initializer && unwrap(node.initializer);
    if (!found) ts.forEachChild(node, visit);
  };
  visit(source);
  if (!found) throw new GeneratorError(`${path}: no variable ${name} to add to`);
  return found;
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** The expression at `variable.key1.key2...`, through object literals. */
function expressionAt(
  path: string,
  source: ts.SourceFile,
  variable: string,
  keys: readonly string[],
): ts.Expression {
  let node = initializerOf(path, source, variable);
  for (const key of keys) {
    if (!ts.isObjectLiteralExpression(node))
      throw new GeneratorError(`${path}: ${variable} is not an object at ${key}`);
    const property = node.properties.find((candidate) => propertyName(candidate) === key);
    if (!property || !ts.isPropertyAssignment(property))
      throw new GeneratorError(`${path}: ${variable} has no property ${key}`);
    node = unwrap(property.initializer);
  }
  return node;
}

function appendElement(
  text: string,
  node: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression,
  element: string,
): string {
  const elements = ts.isArrayLiteralExpression(node) ? node.elements : node.properties;
  const last = elements.at(-1);
  if (!last) return insertAt(text, node.getEnd() - 1, element);
  return insertAt(text, last.getEnd(), `, ${element}`);
}

/** Adds `element` at the end of the array `variable` (or of the array at `keys` inside it). */
export function appendToArray(
  path: string,
  text: string,
  variable: string,
  element: string,
  keys: readonly string[] = [],
): string {
  const node = expressionAt(path, parse(path, text), variable, keys);
  if (!ts.isArrayLiteralExpression(node))
    throw new GeneratorError(`${path}: ${[variable, ...keys].join('.')} is not an array`);
  return appendElement(text, node, element);
}

/** Adds `property` (e.g. `loyalty: LoyaltyModule`) at the end of the object `variable`. */
export function appendToObject(
  path: string,
  text: string,
  variable: string,
  property: string,
): string {
  const node = expressionAt(path, parse(path, text), variable, []);
  if (!ts.isObjectLiteralExpression(node))
    throw new GeneratorError(`${path}: ${variable} is not an object`);
  return appendElement(text, node, property);
}

/**
 * Adds a string to the array literal that holds `peer`, where sorting puts it:
 * for expectations written as a sorted list.
 */
export function insertSortedString(
  path: string,
  text: string,
  peer: string,
  value: string,
): string {
  let found: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node) => {
    if (
      ts.isArrayLiteralExpression(node) &&
      node.elements.some((element) => ts.isStringLiteral(element) && element.text === peer)
    )
      found = node;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(parse(path, text));
  if (!found) throw new GeneratorError(`${path}: no list holding '${peer}'`);
  const next = found.elements.find(
    (element) => ts.isStringLiteral(element) && element.text > value,
  );
  if (next) return insertAt(text, next.getStart(), `'${value}', `);
  return appendElement(text, found, `'${value}'`);
}

/** Adds an import (or export-from) statement after the last one of the file. */
export function addImport(path: string, text: string, statement: string): string {
  const source = parse(path, text);
  const imports = source.statements.filter(
    (node) =>
      ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier),
  );
  const last = imports.at(-1);
  if (!last) return `${statement}\n${text}`;
  return insertAt(text, last.getEnd(), `\n${statement}`);
}
