import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderShipped, ShipmentFailed } from '@app/contracts';
import { Outbox } from '@app/messaging';
import { Transactional } from '@app/transactions';
import { SHIPPING_CONFIG, type ShippingConfig } from '../../config.js';
import { decideShipping, ShipmentStatus, type Shipment } from '../../domain/shipment.js';
import { ShipmentRepository } from '../../persistence/shipment.repository.js';
import { ShipOrderCommand, type ShipOrderOutcome } from './ship-order.command.js';

/** Runs in the transaction of the ShipOrder message: the shipment and its event commit together. */
@CommandHandler(ShipOrderCommand)
@Transactional()
export class ShipOrderHandler implements ICommandHandler<ShipOrderCommand, ShipOrderOutcome> {
  private readonly logger = new Logger(ShipOrderHandler.name);

  constructor(
    private readonly shipments: ShipmentRepository,
    private readonly outbox: Outbox,
    @Inject(SHIPPING_CONFIG) private readonly config: ShippingConfig,
  ) {}

  async execute({
    orderId,
    customerId,
    items,
    address,
  }: ShipOrderCommand): Promise<ShipOrderOutcome> {
    if (await this.shipments.hasShipment(orderId)) return this.alreadyHandled(orderId);
    // The carrier call is keyed by the order id, so a second ShipOrder for one
    // order, racing this one, books nothing more; the unique order id keeps one
    // shipment row.
    if (this.config.SHIPPING_PROVIDER_LATENCY_MS > 0)
      await sleep(this.config.SHIPPING_PROVIDER_LATENCY_MS);

    const decision = decideShipping(address, this.config.SHIPPING_COUNTRIES);
    const shipment: Shipment = {
      id: randomUUID(),
      orderId,
      customerId,
      status: decision.shipped ? ShipmentStatus.Shipped : ShipmentStatus.Failed,
      items,
      address,
      trackingNumber: decision.shipped ? decision.trackingNumber : null,
      failureReason: decision.shipped ? null : decision.reason,
      recallReason: null,
      recalledAt: null,
      createdAt: new Date(),
    };
    this.shipments.add(shipment);

    if (decision.shipped) {
      await this.outbox.publish(OrderShipped, {
        orderId,
        shipmentId: shipment.id,
        trackingNumber: decision.trackingNumber,
      });
      this.logger.log(`order ${orderId}: shipped as ${decision.trackingNumber}`);
      return 'shipped';
    }
    await this.outbox.publish(ShipmentFailed, { orderId, reason: decision.reason });
    this.logger.log(`order ${orderId}: shipment failed (${decision.reason})`);
    return 'failed';
  }

  private alreadyHandled(orderId: string): ShipOrderOutcome {
    this.logger.warn(`order ${orderId} already has a shipment: not shipping it again`);
    return 'already-handled';
  }
}
