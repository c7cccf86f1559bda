import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateService } from './generate.js';
import { GeneratorError } from './names.js';

const USAGE = 'usage: npm run generate:service -- <name> [--root <repository>]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { root: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new GeneratorError(`one name only. ${USAGE}`);
  const root = resolve(values.root ?? process.cwd());
  const { spec, written, regenerated, notes } = await generateService(root, positionals[0]);
  const { kebab } = spec.names;
  process.stdout.write(
    [
      `generated ${kebab} on port ${spec.port}: command ${spec.command}, subscribed to ${spec.event}`,
      ...written.map((path) => `  wrote ${path}`),
      ...regenerated.map((path) => `  regenerated ${path}`),
      ...notes.map((note) => `  note: ${note}`),
      `next: npm run typecheck && npm run contracts:check && nest build ${kebab} && npx vitest run --project integration apps/${kebab}`,
      '',
    ].join('\n'),
  );
}

await main().catch((error: unknown) => {
  const known =
    error instanceof GeneratorError ||
    (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS');
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`generate:service: ${known ? message : `unexpected failure: ${message}`}\n`);
  process.exitCode = 1;
});
