/**
 * What caused a piece of work: an incoming message or an HTTP request. It is
 * declared where the transaction opens and rides with it, so that messages
 * recorded during the work inherit its correlation and trace.
 */
export interface WorkCause {
  readonly causationId: string;
  /** The business flow the work belongs to (the messages' correlation id). */
  readonly correlationId?: string;
  readonly traceparent?: string;
}
