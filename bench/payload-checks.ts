import { catalog, readPayload, writePayload } from '@app/contracts';
import { samplePayload } from '../libs/contracts/test/sample-payload.js';

/**
 * `npx tsx bench/payload-checks.ts`: the CPU time of the producer's check
 * (writePayload) and of the consumer's reading (readPayload) of each message,
 * in microseconds per call, beyond the JSON.parse both are measured with.
 * What one order pays for them is these summed over its messages; set against
 * the apps' CPU per order from `npm run bench`, it says what checking costs
 * without the noise of a throughput comparison.
 */
const CALLS = 20_000;

function microsPerCall(work: () => void): number {
  const started = performance.now();
  for (let i = 0; i < CALLS; i += 1) work();
  return ((performance.now() - started) * 1000) / CALLS;
}

const rows = catalog.map((message) => {
  const body = samplePayload(message.schema);
  // Orders in the bench have two lines.
  if (Array.isArray(body.items)) body.items = [body.items[0], body.items[0]];
  const json = JSON.stringify(body);
  const write = () => writePayload(message, JSON.parse(json));
  const read = () => readPayload(message, message.version, JSON.parse(json));
  const parse = () => JSON.parse(json);
  microsPerCall(write);
  microsPerCall(read);
  const parsing = microsPerCall(parse);
  return {
    message: message.name,
    'write µs': (microsPerCall(write) - parsing).toFixed(1),
    'read µs': (microsPerCall(read) - parsing).toFixed(1),
  };
});
console.table(rows);
