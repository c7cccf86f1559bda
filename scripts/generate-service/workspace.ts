import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { format, getFileInfo, resolveConfig } from 'prettier';
import { GeneratorError } from './names.js';

/**
 * The repository being changed, with every change held in memory until
 * `commit`: a generation that fails half-way has written nothing.
 */
export class Workspace {
  private readonly staged = new Map<string, string>();

  constructor(readonly root: string) {}

  exists(path: string): boolean {
    return this.staged.has(path) || existsSync(resolve(this.root, path));
  }

  read(path: string): string {
    const staged = this.staged.get(path);
    if (staged !== undefined) return staged;
    try {
      return readFileSync(resolve(this.root, path), 'utf8');
    } catch {
      throw new GeneratorError(
        `${path} is missing under ${this.root}: is this the platform's root?`,
      );
    }
  }

  /** A new file: refusing to overwrite one keeps a name clash from destroying work. */
  create(path: string, text: string): void {
    if (this.exists(path)) throw new GeneratorError(`${path} exists already`);
    this.staged.set(path, text);
  }

  update(path: string, edit: (text: string) => string): void {
    this.staged.set(path, edit(this.read(path)));
  }

  /** Formats what prettier formats (as `npm run lint` checks it), then writes everything. */
  async commit(): Promise<string[]> {
    const written: [string, string][] = [];
    for (const [path, text] of this.staged) written.push([path, await this.formatted(path, text)]);
    for (const [path, text] of written) {
      const file = resolve(this.root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return written.map(([path]) => path);
  }

  private async formatted(path: string, text: string): Promise<string> {
    const filepath = resolve(this.root, path);
    const info = await getFileInfo(filepath, { ignorePath: resolve(this.root, '.prettierignore') });
    if (info.ignored || !info.inferredParser) return text;
    return format(text, { ...(await resolveConfig(filepath)), filepath });
  }
}
