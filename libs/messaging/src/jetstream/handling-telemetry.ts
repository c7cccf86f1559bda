import type { Logger } from '@nestjs/common';
import type { MessageMetadata } from '@app/contracts';
import {
  contextFromTraceparent,
  inSpan,
  metrics,
  SpanKind,
  traceIdOf,
  traceparentOf,
} from '@app/observability';

/** What one consumer's handling of a message leaves to see: its span, its metrics, its log lines. */
export class HandlingTelemetry {
  constructor(
    private readonly consumer: string,
    private readonly logger: Logger,
  ) {}

  /** A CONSUMER span parented on the message's trace, so each hop shows in the order's journey. */
  inProcessSpan<T>(
    subject: string,
    metadata: MessageMetadata,
    extra: Record<string, string | number | boolean>,
    work: () => Promise<T>,
  ): Promise<T> {
    return inSpan(
      `process ${subject}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromTraceparent(metadata.traceparent),
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.destination.name': subject,
          'messaging.consumer.group.name': this.consumer,
          'messaging.message.id': metadata.messageId,
          'messaging.message.conversation_id': metadata.correlationId,
          ...extra,
        },
      },
      work,
    );
  }

  recordSuccess(
    first: boolean,
    metadata: MessageMetadata,
    fields: Record<string, unknown>,
    started: number,
  ): void {
    const labels = this.labelsOf(metadata);
    const seconds = (performance.now() - started) / 1_000;
    metrics.handlerDuration.observe(labels, seconds);
    if (first) {
      metrics.handled.inc(labels);
      this.logger.log({ msg: 'handled', ...fields, durationMs: Math.round(seconds * 1_000) });
    } else {
      metrics.duplicates.inc(labels);
      this.logger.log({
        msg: `${metadata.messageType} ${metadata.messageId} was handled before: acknowledged without a second effect`,
        ...fields,
      });
    }
  }

  labelsOf(metadata: MessageMetadata) {
    return { consumer: this.consumer, message_type: metadata.messageType };
  }

  logFieldsOf(metadata: MessageMetadata, attempt: number) {
    return {
      consumer: this.consumer,
      messageType: metadata.messageType,
      messageId: metadata.messageId,
      correlationId: metadata.correlationId,
      traceId: traceIdOf(traceparentOf() ?? metadata.traceparent),
      attempt,
    };
  }
}
