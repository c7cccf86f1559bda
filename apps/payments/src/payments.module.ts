import { HttpStatus, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HttpApiModule } from '@app/http-api';
import { PlatformModule } from '@app/runtime';
import { ProcessPaymentHandler } from './commands/process-payment/process-payment.handler.js';
import { RefundPaymentHandler } from './commands/refund-payment/refund-payment.handler.js';
import { PAYMENTS_APP, PAYMENTS_CONFIG, type PaymentsConfig } from './config.js';
import { PaymentsController } from './http/payments.controller.js';
import { PaymentCommandsController } from './messages/payment-commands.controller.js';
import { PaymentsTables1764300100000 } from './persistence/migrations/1764300100000-payments-tables.migration.js';
import { PaymentEntity } from './persistence/payment.entity.js';
import { PaymentRepository } from './persistence/payment.repository.js';
import { RefundEntity } from './persistence/refund.entity.js';
import { GetPaymentHandler } from './queries/get-payment/get-payment.handler.js';
import { ListPaymentsHandler } from './queries/list-payments/list-payments.handler.js';

@Module({})
export class PaymentsModule {
  static forRoot(config: PaymentsConfig): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        PlatformModule.forRoot({
          app: PAYMENTS_APP,
          env: config,
          entities: [PaymentEntity, RefundEntity],
          migrations: [PaymentsTables1764300100000],
        }),
        CqrsModule.forRoot(),
        HttpApiModule.forApp({
          title: 'payments',
          customerAuth: config,
          description: 'Charges orders (ProcessPayment) and refunds them (RefundPayment).',
          errorStatuses: { 'PAYMENT.NOT_FOUND': HttpStatus.NOT_FOUND },
        }),
      ],
      controllers: [PaymentsController, PaymentCommandsController],
      providers: [
        { provide: PAYMENTS_CONFIG, useValue: config },
        PaymentRepository,
        ProcessPaymentHandler,
        RefundPaymentHandler,
        GetPaymentHandler,
        ListPaymentsHandler,
      ],
    };
  }
}
