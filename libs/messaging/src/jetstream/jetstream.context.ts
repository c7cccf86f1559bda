import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { MessageMetadata } from '../headers.js';

type JetStreamContextArgs = [message: JsMsg, metadata: MessageMetadata];

/** What a handler can learn about the message in hand, through `@Ctx()`. */
export class JetStreamContext extends BaseRpcContext<JetStreamContextArgs> {
  getMessage(): JsMsg {
    return this.args[0];
  }

  getMetadata(): MessageMetadata {
    return this.args[1];
  }

  /** 1 on first delivery, 2 on the first retry, and so on. */
  getAttempt(): number {
    return this.args[0].info.deliveryCount;
  }
}
