/**
 * What caused the work in progress: an incoming message or an HTTP request.
 * Messages recorded during that work inherit its correlation and trace.
 */
export interface MessageCause {
  readonly causationId: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
}
