/**
 * The benchmark's switch for measuring what checking messages costs
 * (`npm run bench -- --compare-validation`): producers send their payloads
 * unchecked and consumers hand bodies of their current version to handlers
 * as parsed, unknown fields and all. Nothing but the bench sets it: a
 * deployment with it set would let any shape through to the handlers.
 */
export const BENCH_ONLY_SKIP_VALIDATION = 'BENCH_ONLY_SKIP_MESSAGE_VALIDATION';

export function skipsValidation(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[BENCH_ONLY_SKIP_VALIDATION] === '1';
}
