import { Command } from '@nestjs/cqrs';
import type { Address } from '@app/contracts';
import type { ShipmentItem } from '../../domain/shipment.js';

export type ShipOrderOutcome = 'shipped' | 'failed' | 'already-handled';

export class ShipOrderCommand extends Command<ShipOrderOutcome> {
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly items: readonly ShipmentItem[],
    readonly address: Address,
  ) {
    super();
  }
}
