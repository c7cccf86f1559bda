import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderNotFound } from '../../domain/order-errors.js';
import { OrderRepository } from '../../persistence/order.repository.js';
import { GetOrderQuery, type OrderDetails } from './get-order.query.js';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery, OrderDetails> {
  constructor(private readonly orders: OrderRepository) {}

  async execute({ orderId }: GetOrderQuery): Promise<OrderDetails> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFound(orderId);
    return { order, history: await this.orders.history(orderId) };
  }
}
