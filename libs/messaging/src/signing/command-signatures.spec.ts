import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Header, OrderPlaced, ProcessPayment, type StoredHeaders } from '@app/contracts';
import { CommandSignatures, type SignedFields } from './command-signatures.js';
import {
  loadSigningSettings,
  sendersTo,
  SigningKeyProblem,
  signingNotices,
} from './signing-keys.js';

const orders = generateKeyPairSync('ed25519');
const intruder = generateKeyPairSync('ed25519');
const fields: SignedFields = {
  messageId: '0f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b',
  messageType: ProcessPayment.name,
  messageVersion: 1,
  correlationId: '1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d',
  causationId: '2b3c4d5e-6f7a-4b1c-8d9e-0f1a2b3c4d5e',
};
const body = JSON.stringify({
  orderId: fields.correlationId,
  customerId: '3c4d5e6f-7a8b-4c2d-9e0f-1a2b3c4d5e6f',
  amount: 2_500,
  currency: 'EUR',
});

const sender = new CommandSignatures('orders', { signingKey: orders.privateKey });
const receiver = new CommandSignatures('payments', {
  senderKeys: new Map([['orders', orders.publicKey]]),
});

function signedBy(signatures: CommandSignatures, signed = fields, signedBody = body) {
  return signatures.headersFor(ProcessPayment, signed, signedBody);
}

function problem(headers: StoredHeaders, received = fields, receivedBody = body) {
  return receiver.problemWith(ProcessPayment, headers, received, Buffer.from(receivedBody));
}

describe('signed commands', () => {
  it('takes a command signed by the app the catalog names as its sender', () => {
    const headers = signedBy(sender);

    expect(headers[Header.Signer]).toBe('orders');
    expect(problem(headers)).toBeUndefined();
  });

  it.each([
    ['another body', fields, body.replace('2500', '1')],
    ['another message id', { ...fields, messageId: '9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b' }, body],
    ['another order', { ...fields, correlationId: '9a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d' }, body],
    ['another cause', { ...fields, causationId: fields.messageId }, body],
    ['another version', { ...fields, messageVersion: 2 }, body],
  ])('refuses a signed command received with %s', (_, received, receivedBody) => {
    expect(problem(signedBy(sender), received, receivedBody)).toBe(
      'signature does not verify: not sent by orders as it is',
    );
  });

  it('refuses an unsigned command, naming who must sign it', () => {
    expect(problem({})).toBe('unsigned command: ProcessPayment is taken only signed by orders');
  });

  it('refuses a command signed with a key that is not its sender’s', () => {
    const forger = new CommandSignatures('orders', { signingKey: intruder.privateKey });

    expect(problem(signedBy(forger))).toBe(
      'signature does not verify: not sent by orders as it is',
    );
  });

  it('refuses a command whose signer does not send it', () => {
    const headers = { ...signedBy(sender), [Header.Signer]: 'shipping' };

    expect(problem(headers)).toBe('signed by "shipping", which does not send ProcessPayment');
  });

  it('refuses a signature that is not one', () => {
    expect(problem({ ...signedBy(sender), [Header.Signature]: 'not a signature' })).toBe(
      'signature does not verify: not sent by orders as it is',
    );
  });

  it('neither signs nor checks events', () => {
    expect(sender.headersFor(OrderPlaced, fields, body)).toEqual({});
    expect(receiver.problemWith(OrderPlaced, {}, fields, Buffer.from(body))).toBeUndefined();
  });

  it('takes anything unsigned where no sender keys are configured', () => {
    const open = new CommandSignatures('payments', {});

    expect(open.problemWith(ProcessPayment, {}, fields, Buffer.from(body))).toBeUndefined();
  });
});

describe('signing keys', () => {
  function pem(key: KeyObject, type: 'pkcs8' | 'spki'): string {
    return key.export({ type, format: 'pem' }).toString();
  }

  function keysDirectory(files: Record<string, string>): string {
    const directory = mkdtempSync(join(tmpdir(), 'sender-keys-'));
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(directory, name), content);
    }
    return directory;
  }

  it('knows whose keys an app needs: the senders of the commands it receives', () => {
    expect(sendersTo('payments')).toEqual(['orders']);
    expect(sendersTo('notifications')).toEqual([]);
  });

  it('loads the sender keys an app needs from the directory', () => {
    const directory = keysDirectory({ 'orders.public-key.pem': pem(orders.publicKey, 'spki') });

    const settings = loadSigningSettings('payments', undefined, directory);

    expect([...(settings.senderKeys?.keys() ?? [])]).toEqual(['orders']);
  });

  it('refuses to start without the key of a sender', () => {
    const directory = keysDirectory({});

    expect(() => loadSigningSettings('payments', undefined, directory)).toThrow(
      `MESSAGING_SENDER_KEYS_DIR: no orders.public-key.pem in ${directory} (orders sends commands to payments)`,
    );
  });

  it('refuses a signing key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    expect(() => loadSigningSettings('orders', pem(privateKey, 'pkcs8'), undefined)).toThrow(
      new SigningKeyProblem('MESSAGING_SIGNING_KEY: a ec key; expected Ed25519'),
    );
    expect(() => loadSigningSettings('orders', 'secret', undefined)).toThrow(
      'MESSAGING_SIGNING_KEY: not a PEM private key',
    );
  });

  it('says at start which half of signing an app goes without', () => {
    expect(signingNotices('orders', false, {})).toEqual([
      expect.stringContaining('commands are sent unsigned'),
    ]);
    expect(signingNotices('payments', true, {})).toEqual([
      expect.stringContaining('commands are taken unsigned'),
    ]);
    expect(
      signingNotices('orders', false, { signingKey: orders.privateKey, senderKeys: new Map() }),
    ).toEqual([]);
  });
});
