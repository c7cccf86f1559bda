import type { Logger } from '@nestjs/common';

/**
 * While the database cannot be reached, a consumer keeps the messages it has
 * in hand and takes no new ones: an outage is not a failure of the message,
 * so it spends none of the message's attempts. The first message to get
 * through opens the gate again.
 */
export class OutageGate {
  private closed: { readonly passed: Promise<void>; readonly open: () => void } | undefined;

  constructor(private readonly logger: Logger) {}

  /** Resolves at once, or once the outage is over. */
  passed(): Promise<void> {
    return this.closed?.passed ?? Promise.resolve();
  }

  close(reason: string): void {
    if (this.closed) return;
    let open: () => void = () => undefined;
    const passed = new Promise<void>((resolve) => (open = resolve));
    this.closed = { passed, open };
    this.logger.warn(
      `the database cannot be reached (${reason}): holding the messages in hand, taking no new ones until it answers`,
    );
  }

  open(): void {
    if (!this.closed) return;
    this.closed.open();
    this.closed = undefined;
    this.logger.log('the database answers again: taking messages');
  }
}
