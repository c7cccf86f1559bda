import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join, relative, resolve } from 'node:path';
import { participantNames } from '@app/contracts';
import { publicKeyFileName, sendsCommands } from '@app/messaging';
import { DEMO_SENDER_KEYS_DIR, demoPrivateKeyPath } from './demo-keys.js';

/**
 * `npm run generate:signing-keys`: a DEMO Ed25519 key pair for every app that
 * sends commands and has none yet, in deploy/messaging. Existing keys are kept.
 * Production keys are made apart and never committed (docs/security.md).
 */
const ROOT = resolve(import.meta.dirname, '../..');

mkdirSync(DEMO_SENDER_KEYS_DIR, { recursive: true });
for (const app of participantNames().filter(sendsCommands)) {
  const privatePath = demoPrivateKeyPath(app);
  if (existsSync(privatePath)) continue;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(privatePath, privateKey);
  writeFileSync(join(DEMO_SENDER_KEYS_DIR, publicKeyFileName(app)), publicKey);
  console.log(`${relative(ROOT, privatePath)}: a new demo key for ${app}`);
}
