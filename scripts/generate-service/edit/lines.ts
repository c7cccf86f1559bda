import { GeneratorError } from '../names.js';

/**
 * Line-based files (dotenv, shell): new lines go right after the last line
 * that matches, so each group keeps its apps together and in order.
 */
export function insertAfterLastMatch(
  path: string,
  text: string,
  pattern: RegExp,
  added: readonly string[],
): string {
  const lines = text.split('\n');
  const index = lines.findLastIndex((line) => pattern.test(line));
  if (index === -1) throw new GeneratorError(`${path}: no line like ${pattern} to add after`);
  lines.splice(index + 1, 0, ...added);
  return lines.join('\n');
}
