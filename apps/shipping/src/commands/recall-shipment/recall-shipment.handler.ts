import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ShipmentRecalled } from '@app/contracts';
import { Outbox } from '@app/messaging';
import { Transactional } from '@app/transactions';
import {
  decideRecall,
  RecallNotPossible,
  ShipmentNotFound,
  ShipmentStatus,
  type RecallDecision,
} from '../../domain/shipment.js';
import { ShipmentRepository } from '../../persistence/shipment.repository.js';
import { RecallShipmentCommand } from './recall-shipment.command.js';

/**
 * Runs in the transaction of the RecallShipment message: the recall and its
 * event commit together. A second RecallShipment for one shipment, whatever
 * its message id, finds it recalled and tells nobody twice.
 */
@CommandHandler(RecallShipmentCommand)
@Transactional()
export class RecallShipmentHandler implements ICommandHandler<
  RecallShipmentCommand,
  RecallDecision
> {
  private readonly logger = new Logger(RecallShipmentHandler.name);

  constructor(
    private readonly shipments: ShipmentRepository,
    private readonly outbox: Outbox,
  ) {}

  async execute({ orderId, shipmentId, reason }: RecallShipmentCommand): Promise<RecallDecision> {
    // Errors here are retried, then dead-lettered for an operator: a recall is never dropped silently.
    const shipment = await this.shipments.lock(shipmentId);
    if (!shipment) throw new ShipmentNotFound(shipmentId);
    if (shipment.orderId !== orderId) {
      throw new RecallNotPossible(
        `shipment ${shipmentId} belongs to order ${shipment.orderId}, not ${orderId}`,
      );
    }
    const decision = decideRecall(shipment);
    if (decision !== 'recall') {
      this.logger.warn(`order ${orderId}: shipment ${shipmentId} not recalled (${decision})`);
      return decision;
    }

    this.shipments.recall({
      ...shipment,
      status: ShipmentStatus.Recalled,
      recallReason: reason,
      recalledAt: new Date(),
    });
    await this.outbox.publish(ShipmentRecalled, {
      orderId,
      shipmentId,
      // A shipment that went out has its tracking number.
      trackingNumber: shipment.trackingNumber ?? shipmentId,
      reason,
    });
    this.logger.log(`order ${orderId}: recalled shipment ${shipment.trackingNumber} (${reason})`);
    return decision;
  }
}
