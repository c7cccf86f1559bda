import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageMetadata } from '@app/contracts';

type JetStreamContextArgs = [metadata: MessageMetadata, attempt: number];

/** What a handler can learn about the message in hand, through `@Ctx()`. */
export class JetStreamContext extends BaseRpcContext<JetStreamContextArgs> {
  getMetadata(): MessageMetadata {
    return this.args[0];
  }

  /** 1 on first delivery, 2 on the first retry, and so on; a replayed dead letter starts again at 1. */
  getAttempt(): number {
    return this.args[1];
  }
}
