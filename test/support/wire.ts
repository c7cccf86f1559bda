import { randomUUID } from 'node:crypto';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type MsgRequest,
  type PubAck,
} from '@nats-io/jetstream';
import type { MessageDefinition } from '@app/contracts';
import { commandSignatureHeaders, demoSigner, type CommandSigner } from './command-signing.js';

export interface StoredMessage {
  readonly seq: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A plain NATS client, as any other program would use it: it publishes and
 * reads messages as the contract describes them, without the platform's code.
 */
export class Wire {
  private constructor(
    readonly connection: NatsConnection,
    readonly jetstream: JetStreamClient,
  ) {}

  static async connect(url: string): Promise<Wire> {
    // A cluster's URLs come comma-separated, as the apps take them.
    const connection = await connect({ servers: url.split(',') });
    return new Wire(connection, jetstream(connection));
  }

  /** Publishes a message with the contract's headers; returns its Nats-Msg-Id. */
  async publish(
    message: MessageDefinition,
    body: unknown,
    options: {
      messageId?: string;
      correlationId?: string;
      raw?: Uint8Array;
      /** The `message-version` header; the version the message's producers send by default. */
      messageVersion?: number;
      /**
       * Who signs a command: by default orders, with the demo key the tests
       * start the platform with; `null` publishes it unsigned. Events are not signed.
       */
      signedBy?: CommandSigner | null;
    } = {},
  ): Promise<{ messageId: string; ack: PubAck }> {
    const messageId = options.messageId ?? randomUUID();
    const version = String(options.messageVersion ?? message.sends);
    const correlationId = options.correlationId ?? randomUUID();
    const data = options.raw ?? new TextEncoder().encode(JSON.stringify(body));
    const values = headers();
    values.set('Nats-Msg-Id', messageId);
    values.set('message-type', message.name);
    values.set('message-version', version);
    values.set('correlation-id', correlationId);
    values.set('causation-id', messageId);
    values.set('traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    const signer = options.signedBy === undefined ? this.defaultSigner() : options.signedBy;
    if (message.kind === 'command' && signer) {
      const fields = {
        id: messageId,
        type: message.name,
        version,
        correlationId,
        causationId: messageId,
      };
      for (const [name, value] of Object.entries(commandSignatureHeaders(signer, fields, data))) {
        values.set(name, value);
      }
    }
    const ack = await this.jetstream.publish(message.subject, data, {
      msgID: messageId,
      headers: values,
    });
    return { messageId, ack };
  }

  private signer: CommandSigner | undefined;

  private defaultSigner(): CommandSigner {
    this.signer ??= demoSigner();
    return this.signer;
  }

  async streamMessageCount(stream: string, subject?: string): Promise<number> {
    const manager = await jetstreamManager(this.connection);
    const info = await manager.streams.info(
      stream,
      subject ? { subjects_filter: subject } : undefined,
    );
    if (!subject) return info.state.messages;
    // The server answers per subject; a wildcard filter sums them.
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  }

  async consumerInfo(stream: string, consumer: string) {
    return (await jetstreamManager(this.connection)).consumers.info(stream, consumer);
  }

  /**
   * Every message stored on `subject` (wildcards too), oldest first, with its
   * headers: read one at a time by sequence, as a monitoring user may, so
   * that no consumer is created (a work queue allows one per subject).
   */
  async storedMessages(stream: string, subject: string): Promise<StoredMessage[]> {
    const manager = await jetstreamManager(this.connection);
    const found: StoredMessage[] = [];
    for (let seq = 1; ;) {
      // The server takes next_by_subj (2.9 and newer); the client's type leaves it out.
      const next = { next_by_subj: subject, seq } as unknown as MsgRequest;
      const message = await manager.streams.getMessage(stream, next);
      if (!message) return found;
      found.push({
        seq: message.seq,
        headers: Object.fromEntries(
          [...(message.header ?? headers())].map(([name, values]) => [name, values[0] ?? '']),
        ),
        body: new TextDecoder().decode(message.data),
      });
      seq = message.seq + 1;
    }
  }

  async deleteConsumer(stream: string, consumer: string): Promise<void> {
    await (await jetstreamManager(this.connection)).consumers.delete(stream, consumer);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
