import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { catalog, originsOf, participants } from '@app/contracts';
import type { SigningSettings } from './command-signatures.js';

/** A key setting that cannot be used; its message names the setting. */
export class SigningKeyProblem extends Error {}

/** Where an app's public key is looked for in the sender keys' directory. */
export function publicKeyFileName(app: string): string {
  return `${app}.public-key.pem`;
}

/** The apps whose commands `app` receives: the keys it needs to check them. */
export function sendersTo(app: string): string[] {
  const commands = catalog.filter((message) => message.kind === 'command' && message.app === app);
  return [...new Set(commands.flatMap((command) => originsOf(command)))].sort();
}

/** True when the catalog says `app` sends commands, which it then signs. */
export function sendsCommands(app: string): boolean {
  return (participants[app]?.sends ?? []).some((message) => message.kind === 'command');
}

/**
 * The signing settings of `app`: its own private key (PEM), and the directory
 * that holds `<sender>.public-key.pem` for every app that sends it commands.
 * A key that is not Ed25519, or a sender's key missing, is refused here, at
 * start, rather than on the first command.
 */
export function loadSigningSettings(
  app: string,
  privateKeyPem: string | undefined,
  senderKeysDir: string | undefined,
): SigningSettings {
  return {
    signingKey: privateKeyPem === undefined ? undefined : privateKeyOf(privateKeyPem),
    senderKeys: senderKeysDir === undefined ? undefined : senderKeysOf(app, senderKeysDir),
  };
}

function privateKeyOf(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SigningKeyProblem('MESSAGING_SIGNING_KEY: not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyProblem(
      `MESSAGING_SIGNING_KEY: a ${key.asymmetricKeyType} key; expected Ed25519`,
    );
  }
  return key;
}

function senderKeysOf(app: string, directory: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const sender of sendersTo(app)) {
    const path = join(directory, publicKeyFileName(sender));
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch {
      throw new SigningKeyProblem(
        `MESSAGING_SENDER_KEYS_DIR: no ${publicKeyFileName(sender)} in ${directory} (${sender} sends commands to ${app})`,
      );
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new SigningKeyProblem(`MESSAGING_SENDER_KEYS_DIR: ${path} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new SigningKeyProblem(
        `MESSAGING_SENDER_KEYS_DIR: ${path} is a ${key.asymmetricKeyType} key; expected Ed25519`,
      );
    }
    keys.set(sender, key);
  }
  return keys;
}

/** One line for each half of signing this app goes without, said once at start. */
export function signingNotices(
  app: string,
  receivesCommands: boolean,
  settings: SigningSettings,
): string[] {
  const notices: string[] = [];
  if (sendsCommands(app) && settings.signingKey === undefined) {
    notices.push(
      'commands are sent unsigned: receivers that check signatures will refuse them (set MESSAGING_SIGNING_KEY or MESSAGING_SIGNING_KEY_FILE)',
    );
  }
  if (receivesCommands && settings.senderKeys === undefined) {
    notices.push(
      'commands are taken unsigned: anyone who can publish on NATS can have this app do work (set MESSAGING_SENDER_KEYS_DIR)',
    );
  }
  return notices;
}
