import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderNotFound } from '../../domain/order-errors.js';
import { OrderRepository } from '../../persistence/order.repository.js';
import { GetOrderQuery, type OrderDetails } from './get-order.query.js';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery, OrderDetails> {
  constructor(private readonly orders: OrderRepository) {}

  async execute({ orderId, customerId }: GetOrderQuery): Promise<OrderDetails> {
    const order = await this.orders.findById(orderId);
    // Another customer's order is as unknown as one that does not exist.
    if (!order || (customerId !== undefined && order.customerId !== customerId)) {
      throw new OrderNotFound(orderId);
    }
    return { order, history: await this.orders.history(orderId) };
  }
}
