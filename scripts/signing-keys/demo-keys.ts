import { join, resolve } from 'node:path';
import { sendsCommands } from '@app/messaging';

/** The DEMO signing keys of deploy/messaging: published with the code, for development only. */
const DIRECTORY = resolve(import.meta.dirname, '../../deploy/messaging');
export const DEMO_SENDER_KEYS_DIR = join(DIRECTORY, 'public');

export function demoPrivateKeyPath(app: string): string {
  return join(DIRECTORY, `demo-only.${app}.private-key.pem`);
}

/**
 * What an app started on this machine is given to sign the commands it sends
 * (its own demo private key) and check the ones it receives (every sender's
 * public key).
 */
export function demoSigningEnvironment(app: string): Record<string, string> {
  return {
    MESSAGING_SENDER_KEYS_DIR: DEMO_SENDER_KEYS_DIR,
    ...(sendsCommands(app) ? { MESSAGING_SIGNING_KEY_FILE: demoPrivateKeyPath(app) } : {}),
  };
}
