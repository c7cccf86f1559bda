import { sign, verify, type KeyObject } from 'node:crypto';
import {
  Header,
  originsOf,
  type MessageDefinition,
  type MessageMetadata,
  type StoredHeaders,
} from '@app/contracts';

/** What a signature covers besides the body: enough that no signed command can be re-sent as another. */
export type SignedFields = Pick<
  MessageMetadata,
  'messageId' | 'messageType' | 'messageVersion' | 'correlationId' | 'causationId'
>;

/** Names the layout, so that a later one can never verify as this one. */
const LAYOUT = 'message-signature-v1';

/**
 * The bytes a command's signature is made over: the layout's name, the fields
 * that identify the command (one per line), then the body as sent. A copy
 * under a new id, for another order, or with another body does not verify.
 */
export function signedContent(fields: SignedFields, body: Uint8Array): Buffer {
  const head = [
    LAYOUT,
    fields.messageId,
    fields.messageType,
    String(fields.messageVersion),
    fields.correlationId,
    fields.causationId,
    '',
  ].join('\n');
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

export interface SigningSettings {
  /** This app's Ed25519 private key: it signs every command the app sends. */
  readonly signingKey?: KeyObject | undefined;
  /**
   * The Ed25519 public key of each app that sends commands this app receives.
   * Absent, commands are taken unsigned (a development set-up without keys).
   */
  readonly senderKeys?: ReadonlyMap<string, KeyObject> | undefined;
}

/**
 * Commands are signed by the app that sends them and checked by the one that
 * receives them, so that work (a charge, a shipment, a refund) is done only
 * when a sender the catalog names asked for it: a command published by anyone
 * else, or altered on the way, is refused and dead-lettered with the reason.
 * NATS permissions already stop other apps' users from publishing commands;
 * signatures hold where there are no NATS users (development) and against a
 * leaked connection credential. Events are facts, checked against the order's
 * state by their consumers, and are not signed.
 */
export class CommandSignatures {
  constructor(
    private readonly app: string,
    private readonly settings: SigningSettings,
  ) {}

  get signs(): boolean {
    return this.settings.signingKey !== undefined;
  }

  get checks(): boolean {
    return this.settings.senderKeys !== undefined;
  }

  /** The headers that sign a command this app sends; none for an event, or without a key. */
  headersFor(message: MessageDefinition, fields: SignedFields, body: string): StoredHeaders {
    const key = this.settings.signingKey;
    if (message.kind !== 'command' || key === undefined) return {};
    const signature = sign(null, signedContent(fields, Buffer.from(body, 'utf8')), key);
    return { [Header.Signer]: this.app, [Header.Signature]: signature.toString('base64') };
  }

  /** Why a received command cannot be trusted, or undefined when it can (or is not checked). */
  problemWith(
    message: MessageDefinition,
    headers: Readonly<StoredHeaders>,
    fields: SignedFields,
    body: Uint8Array,
  ): string | undefined {
    const keys = this.settings.senderKeys;
    if (message.kind !== 'command' || keys === undefined) return undefined;
    const senders = originsOf(message);
    const signer = headers[Header.Signer];
    const signature = headers[Header.Signature];
    if (signer === undefined || signature === undefined) {
      return `unsigned command: ${message.name} is taken only signed by ${senders.join(' or ')}`;
    }
    if (!senders.includes(signer)) {
      return `signed by "${signer}", which does not send ${message.name}`;
    }
    const key = keys.get(signer);
    if (key === undefined) return `no public key for ${signer}, which sends ${message.name}`;
    const valid = verify(null, signedContent(fields, body), key, Buffer.from(signature, 'base64'));
    return valid ? undefined : `signature does not verify: not sent by ${signer} as it is`;
  }
}
