import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const COLOURS = [36, 35, 33, 32, 34, 31, 90] as const;
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
let nextColour = 0;

/** Writes lines as `[name] line`, each name in a colour of its own, as concurrently does. */
export class PrefixedOutput {
  private readonly prefix: string;

  constructor(name: string, width = 15) {
    const label = `[${name}]`.padEnd(width);
    const colour = COLOURS[nextColour++ % COLOURS.length];
    this.prefix = useColour ? `\u001b[${colour}m${label}\u001b[0m` : label;
  }

  line(text: string): void {
    process.stdout.write(`${this.prefix} ${text}\n`);
  }

  /** Prefixes each line of `stream`, leaving out those `skip` matches. */
  follow(stream: Readable | null | undefined, skip?: RegExp): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (text) => {
      if (!skip?.test(text)) this.line(text);
    });
  }
}

export const launcherOutput = new PrefixedOutput('start');

export function bold(text: string): string {
  return useColour ? `\u001b[1m${text}\u001b[0m` : text;
}
