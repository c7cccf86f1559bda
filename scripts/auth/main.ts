import { parseArgs } from 'node:util';
import { customerToken } from './tokens.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USAGE = 'usage: npm run -s auth:token -- <customerId (a UUID)> [--expires-in 1h]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'expires-in': { type: 'string' } },
});
const [customerId] = positionals;
if (positionals.length !== 1 || !customerId || !UUID.test(customerId)) {
  console.error(USAGE);
  process.exit(2);
}
try {
  // The token alone on stdout, so that TOKEN=$(npm run -s auth:token -- <id>) works.
  console.log(await customerToken(customerId, { expiresIn: values['expires-in'] }));
} catch (error) {
  console.error(`cannot sign a token: ${(error as Error).message}`);
  process.exit(1);
}
