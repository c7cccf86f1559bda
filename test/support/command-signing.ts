import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { demoPrivateKeyPath } from '../../scripts/signing-keys/demo-keys.js';

/** Who signs a command a test publishes: a sender's key, or nobody (a forged command). */
export interface CommandSigner {
  readonly app: string;
  readonly key: KeyObject;
}

/** The demo key orders signs its commands with wherever tests start the platform. */
export function demoSigner(app = 'orders'): CommandSigner {
  return { app, key: createPrivateKey(readFileSync(demoPrivateKeyPath(app), 'utf8')) };
}

/**
 * The `message-signer` and `message-signature` headers of a command, made as
 * docs/wire-contract.md describes them (written apart from the platform's own
 * code, so that the two must agree): Ed25519 over the layout's name, the id,
 * type, version, correlation and causation ids, one per line, then the body.
 */
export function commandSignatureHeaders(
  signer: CommandSigner,
  fields: Record<'id' | 'type' | 'version' | 'correlationId' | 'causationId', string>,
  body: Uint8Array,
): Record<string, string> {
  const head = [
    'message-signature-v1',
    fields.id,
    fields.type,
    fields.version,
    fields.correlationId,
    fields.causationId,
    '',
  ].join('\n');
  const signature = sign(null, Buffer.concat([Buffer.from(head), body]), signer.key);
  return { 'message-signer': signer.app, 'message-signature': signature.toString('base64') };
}
