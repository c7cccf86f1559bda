import { Command } from '@nestjs/cqrs';
import type { RecallDecision } from '../../domain/shipment.js';

export class RecallShipmentCommand extends Command<RecallDecision> {
  constructor(
    readonly orderId: string,
    readonly shipmentId: string,
    readonly reason: string,
  ) {
    super();
  }
}
