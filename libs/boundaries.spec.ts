import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIBS = import.meta.dirname;
const ROOT = resolve(LIBS, '..');

/** What each library may import: each holds one kind of thing, and none reaches back. */
const ALLOWED: Record<string, readonly string[]> = {
  contracts: [],
  observability: [],
  transactions: ['observability'],
  messaging: ['contracts', 'observability', 'transactions'],
  'http-api': ['observability', 'transactions'],
  runtime: ['contracts', 'http-api', 'messaging', 'observability', 'transactions'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]!);
}

/** The file an import names: a relative path, or a library's public index. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
  const library = /^@app\/([\w-]+)$/.exec(specifier)?.[1];
  return library ? join(LIBS, library, 'src', 'index.ts') : undefined;
}

const libraryOf = (file: string) => relative(LIBS, file).split('/')[0]!;
const files = readdirSync(LIBS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => sourceFiles(join(LIBS, entry.name, 'src')));
const graph = new Map(
  files.map((file) => [
    file,
    importsOf(file).flatMap((specifier) => {
      const target = resolveImport(file, specifier);
      return target ? [{ specifier, target }] : [];
    }),
  ]),
);

/** One import cycle through `start`, as the files it passes, or undefined. */
function cycleFrom(start: string): string[] | undefined {
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (file: string): string[] | undefined => {
    const index = path.indexOf(file);
    if (index >= 0) return [...path.slice(index), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const { target } of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  return visit(start);
}

describe('the libraries', () => {
  it('have no import cycle', () => {
    const cycles = files.flatMap((file) => {
      const cycle = cycleFrom(file);
      return cycle ? [cycle.map((step) => relative(ROOT, step)).join(' -> ')] : [];
    });
    expect(cycles).toEqual([]);
  });

  it('import one another only through their public index, and only as their layering allows', () => {
    const wrong = files.flatMap((file) =>
      (graph.get(file) ?? []).flatMap(({ specifier, target }) => {
        const [from, to] = [libraryOf(file), libraryOf(target)];
        if (from === to) return [];
        const viaIndex = specifier.startsWith('@app/');
        return viaIndex && ALLOWED[from]?.includes(to)
          ? []
          : [`${relative(ROOT, file)} imports ${specifier}`];
      }),
    );
    expect(wrong).toEqual([]);
  });

  it('are all described by the layering', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...new Set(files.map(libraryOf))].sort());
  });
});
