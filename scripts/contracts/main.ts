import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { catalog } from '@app/contracts';
import { breakingChanges, describeViolation } from './rules.js';
import { snapshotOf, type ContractsSnapshot } from './snapshot.js';

/**
 * `check` (npm run contracts:check): fails on a change to the catalog that
 * breaks apps running the last released contracts. `snapshot` (npm run
 * contracts:snapshot): records the catalog as released, at release time.
 */
const SNAPSHOT = resolve(import.meta.dirname, '../../libs/contracts/snapshot/contracts.json');

async function released(): Promise<ContractsSnapshot> {
  return JSON.parse(await readFile(SNAPSHOT, 'utf8')) as ContractsSnapshot;
}

async function writeSnapshot(): Promise<void> {
  const text = JSON.stringify(snapshotOf(catalog));
  const options = { ...(await resolveConfig(SNAPSHOT)), parser: 'json' };
  await writeFile(SNAPSHOT, await format(text, options));
  console.log(`wrote ${SNAPSHOT}`);
}

async function check(): Promise<boolean> {
  const violations = breakingChanges(await released(), snapshotOf(catalog));
  for (const violation of violations) console.error(describeViolation(violation));
  if (violations.length > 0) {
    console.error(
      `${violations.length} breaking change(s) against libs/contracts/snapshot/contracts.json: see docs/evolving-messages.md`,
    );
    return false;
  }
  console.log('contracts: no breaking change against the released snapshot');
  return true;
}

const command = process.argv[2];
if (command === 'snapshot') await writeSnapshot();
else if (command === 'check') process.exitCode = (await check()) ? 0 : 1;
else {
  console.error('usage: tsx scripts/contracts/main.ts check|snapshot');
  process.exitCode = 2;
}
