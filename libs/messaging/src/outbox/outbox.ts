import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  childTraceparent,
  Header,
  type MessageDefinition,
  type StoredHeaders,
} from '@app/contracts';
import { traceparentOf } from '@app/observability';
import type { Statement } from '../pg-transaction.js';
import { UnitOfWork } from '../unit-of-work.js';
import { OutboxRelay, type OutboxRow } from './outbox-relay.js';

export interface RecordOptions {
  /** The order the message belongs to; inherited from the cause when omitted. */
  readonly correlationId?: string;
}

/**
 * Records outgoing messages in the current transaction. Nothing reaches NATS
 * until that transaction commits; the relay then publishes it.
 */
@Injectable()
export class Outbox {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly relay: OutboxRelay,
  ) {}

  /** Records a command for its one receiving app. */
  send<P>(command: MessageDefinition<P>, payload: P, options?: RecordOptions): Promise<string> {
    if (command.kind !== 'command') throw new Error(`${command.name} is not a command`);
    return this.record(command, payload, options);
  }

  /** Records an event for every subscribing app. */
  publish<P>(event: MessageDefinition<P>, payload: P, options?: RecordOptions): Promise<string> {
    if (event.kind !== 'event') throw new Error(`${event.name} is not an event`);
    return this.record(event, payload, options);
  }

  private async record<P>(
    message: MessageDefinition<P>,
    payload: P,
    options: RecordOptions | undefined,
  ): Promise<string> {
    // A message that breaks its own contract is a bug here, not the receiver's problem.
    const body = message.schema.parse(payload);
    const cause = this.unitOfWork.cause;
    const messageId = randomUUID();
    const correlationId = options?.correlationId ?? cause?.correlationId;
    if (!correlationId) throw new Error(`${message.name} needs a correlation id`);
    const headers: StoredHeaders = {
      [Header.MessageId]: messageId,
      [Header.MessageType]: message.name,
      [Header.CorrelationId]: correlationId,
      [Header.CausationId]: cause?.causationId ?? messageId,
      // The active span when tracing is on; otherwise a hop in the cause's trace.
      [Header.TraceParent]: traceparentOf() ?? childTraceparent(cause?.traceparent),
    };
    this.pendingRows().push({
      id: messageId,
      subject: message.subject,
      headers,
      payload: JSON.stringify(body),
    });
    return messageId;
  }

  /** This transaction's rows, written in one statement just before it commits. */
  private pendingRows(): OutboxRow[] {
    return this.unitOfWork.gathered(
      this,
      () => {
        const rows: OutboxRow[] = [];
        this.unitOfWork.afterCommit(() => this.relay.enqueue(rows));
        return rows;
      },
      (rows) => this.insert(rows),
    );
  }

  private insert(rows: OutboxRow[]): Statement {
    return {
      query: {
        name: 'outbox-insert',
        text: `INSERT INTO outbox (id, subject, headers, payload)
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[])`,
        values: [
          rows.map((row) => row.id),
          rows.map((row) => row.subject),
          rows.map((row) => JSON.stringify(row.headers)),
          rows.map((row) => row.payload),
        ],
      },
    };
  }
}
