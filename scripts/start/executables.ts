import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A path as given, or `name` on PATH, then in the extra directories (sbin is often off a developer's PATH). */
export function findExecutable(
  name: string,
  extraDirs: readonly string[] = [],
): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

/** The directory holding initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<major>/bin, newest first. */
export function findPostgresBinaries(): string | undefined {
  const onPath = findExecutable('pg_ctl');
  if (onPath && isExecutable(join(onPath, '..', 'initdb'))) return join(onPath, '..');
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  return readdirSync(debian)
    .filter((major) => /^\d+$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(debian, major, 'bin'))
    .find((dir) => isExecutable(join(dir, 'pg_ctl')) && isExecutable(join(dir, 'initdb')));
}
