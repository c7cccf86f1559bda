import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly input?: string;
  /** Ends the command (SIGTERM) after this long, and fails. */
  readonly timeoutMs?: number;
  /** Lower CPU priority: the image builds share the machine. */
  readonly nice?: boolean;
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

/** A command that failed, with the end of what it printed as the reason. */
export class CommandFailed extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    super(`\`${command}\` exited ${result.code}:\n${tail(result.output, 30)}`);
  }
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command, stdout and stderr together; resolves with its exit code whatever it is. */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const [file, argv] = options.nice
    ? ['nice', ['-n', '10', command, ...args]]
    : [command, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            output += `\n(stopped after ${options.timeoutMs} ms)`;
            child.kill('SIGTERM');
          }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
    if (child.stdin) {
      // A command that exits without reading its input is not an error of the runner.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** Runs a command and returns its output; throws CommandFailed unless it exits 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new CommandFailed([command, ...args].join(' '), result);
  return result.output;
}

export async function onPath(command: string): Promise<boolean> {
  return (await run('sh', ['-c', `command -v ${command}`])).code === 0;
}
