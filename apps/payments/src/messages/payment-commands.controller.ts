import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import { ProcessPayment, RefundPayment } from '@app/contracts';
import { HandleCommand } from '@app/messaging';
import { ProcessPaymentCommand } from '../commands/process-payment/process-payment.command.js';
import { RefundPaymentCommand } from '../commands/refund-payment/refund-payment.command.js';

/** The commands payments receives, each handed to its use case. */
@Controller()
export class PaymentCommandsController {
  constructor(private readonly commandBus: CommandBus) {}

  @HandleCommand(ProcessPayment)
  async processPayment(@Payload() command: ProcessPayment): Promise<void> {
    const { orderId, customerId, amount, currency } = command;
    await this.commandBus.execute(new ProcessPaymentCommand(orderId, customerId, amount, currency));
  }

  @HandleCommand(RefundPayment)
  async refundPayment(@Payload() command: RefundPayment): Promise<void> {
    const { orderId, paymentId, amount, currency, reason } = command;
    await this.commandBus.execute(
      new RefundPaymentCommand(orderId, paymentId, amount, currency, reason),
    );
  }
}
