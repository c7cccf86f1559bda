import { Injectable } from '@nestjs/common';
import { deadLetterSubject } from '@app/contracts';
import type { JsMsg } from '@nats-io/jetstream';
import { fromNatsHeaders, Header, toNatsHeaders } from '../headers.js';
import type { Subscription } from '../jetstream/topology.js';
import { NatsClient } from '../jetstream/nats-client.js';

/** What a dead letter carries besides the original headers and body. */
export const DeadLetterHeader = {
  Reason: 'dead-letter-reason',
  Consumer: 'dead-letter-consumer',
  Subject: 'dead-letter-subject',
  Deliveries: 'dead-letter-deliveries',
  StreamSequence: 'dead-letter-stream-sequence',
} as const;

const MAX_REASON_LENGTH = 2_000;

/**
 * Keeps messages a consumer gave up on in the DEADLETTERS stream, with the
 * original body and headers and why it failed, so an operator can list them
 * and send them back. Storing is confirmed by JetStream before the original
 * is acked, so a message is never in neither place.
 */
@Injectable()
export class DeadLetters {
  constructor(private readonly nats: NatsClient) {}

  async store(message: JsMsg, subscription: Subscription, reason: string): Promise<void> {
    const headers = fromNatsHeaders(message.headers);
    const originalId = headers[Header.MessageId] ?? `${message.info.stream}-${message.seq}`;
    headers[DeadLetterHeader.Reason] = reason.slice(0, MAX_REASON_LENGTH).replace(/[\r\n]+/g, ' ');
    headers[DeadLetterHeader.Consumer] = subscription.consumer;
    headers[DeadLetterHeader.Subject] = message.subject;
    headers[DeadLetterHeader.Deliveries] = String(message.info.deliveryCount);
    headers[DeadLetterHeader.StreamSequence] = String(message.seq);
    // Same id for the same failure: a crash before the ack cannot store it twice.
    headers[Header.MessageId] = `${subscription.consumer}:${originalId}`;
    await this.nats.jetstream.publish(
      deadLetterSubject(subscription.app, subscription.message),
      message.data,
      { msgID: headers[Header.MessageId], headers: toNatsHeaders(headers) },
    );
  }
}
