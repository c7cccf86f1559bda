import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  childTraceparent,
  Header,
  type MessageDefinition,
  type StoredHeaders,
  writePayload,
} from '@app/contracts';
import { traceparentOf } from '@app/observability';
import { column, insertInto, UnitOfWork } from '@app/transactions';
import { CommandSignatures } from '../signing/command-signatures.js';
import { OutboxRelay, type OutboxRow } from './outbox-relay.js';

export interface RecordOptions {
  /** The business flow the message belongs to; inherited from the cause when omitted. */
  readonly correlationId?: string;
}

/**
 * Where a handler records the messages its work sends: in its transaction,
 * so they are sent if and only if the work commits. A port: handlers depend
 * on this, and specs give them a fake that implements it.
 */
export abstract class Outbox {
  /** Records a command for its one receiving app, in the version its definition sends. */
  abstract send<S>(
    command: MessageDefinition<unknown, S>,
    payload: S,
    options?: RecordOptions,
  ): Promise<string>;
  /** Records an event for every subscribing app, in the version its definition sends. */
  abstract publish<S>(
    event: MessageDefinition<unknown, S>,
    payload: S,
    options?: RecordOptions,
  ): Promise<string>;
}

const OUTBOX_ROWS = insertInto<OutboxRow>('outbox', {
  id: column('uuid', (row) => row.id),
  subject: column('text', (row) => row.subject),
  headers: column('jsonb', (row) => row.headers),
  payload: column('text', (row) => row.payload),
});

/**
 * Records outgoing messages in the current transaction, written with its
 * COMMIT. Nothing reaches NATS until that transaction commits; the relay
 * then publishes it.
 */
@Injectable()
export class TransactionalOutbox extends Outbox {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly relay: OutboxRelay,
    private readonly signatures: CommandSignatures,
  ) {
    super();
  }

  send<S>(
    command: MessageDefinition<unknown, S>,
    payload: S,
    options?: RecordOptions,
  ): Promise<string> {
    if (command.kind !== 'command') throw new Error(`${command.name} is not a command`);
    return this.record(command, payload, options);
  }

  publish<S>(
    event: MessageDefinition<unknown, S>,
    payload: S,
    options?: RecordOptions,
  ): Promise<string> {
    if (event.kind !== 'event') throw new Error(`${event.name} is not an event`);
    return this.record(event, payload, options);
  }

  private async record<S>(
    message: MessageDefinition<unknown, S>,
    payload: S,
    options: RecordOptions | undefined,
  ): Promise<string> {
    // A message that breaks its own contract is a bug here, not the receiver's
    // problem: a field outside it, too, fails the transaction.
    const body = writePayload(message, payload);
    const cause = this.unitOfWork.cause;
    const messageId = randomUUID();
    const correlationId = options?.correlationId ?? cause?.correlationId;
    if (!correlationId) throw new Error(`${message.name} needs a correlation id`);
    const fields = {
      messageId,
      messageType: message.name,
      messageVersion: message.sends,
      correlationId,
      causationId: cause?.causationId ?? messageId,
    };
    const json = JSON.stringify(body);
    const headers: StoredHeaders = {
      [Header.MessageId]: messageId,
      [Header.MessageType]: message.name,
      // Stored with the row, so a later build of the app publishes it as written.
      [Header.MessageVersion]: String(message.sends),
      [Header.CorrelationId]: correlationId,
      [Header.CausationId]: fields.causationId,
      // The active span when tracing is on; otherwise a hop in the cause's trace.
      [Header.TraceParent]: traceparentOf() ?? childTraceparent(cause?.traceparent),
      // Signed as it is stored: whichever replica or build publishes the row, it still verifies.
      ...this.signatures.headersFor(message, fields, json),
    };
    const row = { id: messageId, subject: message.subject, headers, payload: json };
    this.unitOfWork.write(OUTBOX_ROWS, row);
    this.committedRows().push(row);
    return messageId;
  }

  /** This transaction's rows, handed to the relay once it has committed. */
  private committedRows(): OutboxRow[] {
    return this.unitOfWork.kept(this, () => {
      const rows: OutboxRow[] = [];
      this.unitOfWork.afterCommit(() => this.relay.enqueue(rows));
      return rows;
    });
  }
}
