import type { Response } from 'express';
import type { FlowEvents } from './flow-wire.js';

/** Beyond this much unsent output the browser is not keeping up: it is let go, and reconnects. */
const MAX_UNSENT_BYTES = 1024 * 1024;

/** One Server-Sent Event, serialised once for every client. */
export function sseFrame<E extends keyof FlowEvents>(event: E, data: FlowEvents[E]): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line that keeps proxies from timing an idle stream out. */
export const SSE_PING = ': ping\n\n';

/** One browser following the flow over Server-Sent Events. */
export interface FlowClient {
  /** False when the client is gone or too slow; it has then been closed. */
  send(frame: string): boolean;
  close(): void;
}

export class SseClient implements FlowClient {
  private closed = false;

  constructor(private readonly response: Response) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // nginx and similar proxies would otherwise hold the stream back.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.once('close', () => {
      this.closed = true;
    });
  }

  send(frame: string): boolean {
    return this.write(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.response.end();
  }

  private write(chunk: string): boolean {
    if (this.closed) return false;
    if (this.response.writableLength > MAX_UNSENT_BYTES) {
      this.close();
      return false;
    }
    this.response.write(chunk);
    return true;
  }
}
