import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The repository as committed, copied into a directory of its own with
 * node_modules linked: a clone, without network. The generator itself comes
 * from the working tree, so the test checks the generator being worked on
 * against a consistent state of everything else (others' half-made changes
 * stay out).
 */
export class RepositoryCopy {
  private constructor(readonly root: string) {}

  static create(overlay = 'scripts/generate-service'): RepositoryCopy {
    const root = mkdtempSync(join(tmpdir(), 'generate-service-'));
    execFileSync('sh', ['-c', 'git archive --format=tar HEAD | tar -x -C "$1"', 'sh', root], {
      cwd: ROOT,
    });
    const working = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', overlay],
      { cwd: ROOT, encoding: 'utf8' },
    )
      .split('\0')
      .filter(Boolean);
    for (const path of working) {
      // Deleted in the working tree but not yet in the index: not part of the copy.
      if (!existsSync(resolve(ROOT, path))) continue;
      mkdirSync(dirname(join(root, path)), { recursive: true });
      copyFileSync(resolve(ROOT, path), join(root, path));
    }
    symlinkSync(resolve(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    return new RepositoryCopy(root);
  }

  /** Runs a program of node_modules/.bin in the copy, as `npx <program>` there would. */
  run(program: string, args: readonly string[], timeoutMs = 300_000): Promise<RunResult> {
    const env = Object.fromEntries(
      // The test runner's own variables would make a vitest started here think it is a worker.
      Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|NODE_ENV$)/.test(name)),
    );
    return new Promise((done) => {
      execFile(
        join(this.root, 'node_modules/.bin', program),
        [...args],
        {
          cwd: this.root,
          env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
          timeout: timeoutMs,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          done({ code, stdout, stderr });
        },
      );
    });
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /** One hash of every file's path and content (node_modules aside): equal means nothing changed. */
  fingerprint(): string {
    const hash = createHash('sha256');
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const path = join(dir, entry.name);
        if (entry.name === 'node_modules') continue;
        if (entry.isDirectory()) visit(path);
        else
          hash
            .update(relative(this.root, path))
            .update('\0')
            .update(readFileSync(path))
            .update('\0');
      }
    };
    visit(this.root);
    return hash.digest('hex');
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** What failed and the end of a command's output, for an assertion message. */
export function tail(result: RunResult, lines = 40): string {
  const output = `${result.stdout}\n${result.stderr}`.trim().split('\n');
  const failures = output.filter((line) => /FAIL|×|Error/.test(line)).slice(0, 30);
  return [`exit ${result.code}`, ...failures, '...', ...output.slice(-lines)].join('\n');
}
