/** Domain errors: a stable code each, mapped to HTTP statuses at the edge only. */
export class OrderNotFound extends Error {
  readonly code = 'ORDER.NOT_FOUND';
  constructor(id: string) {
    super(`order ${id} does not exist`);
  }
}

export class IdempotencyKeyReused extends Error {
  readonly code = 'ORDER.IDEMPOTENCY_KEY_REUSED';
  constructor(key: string) {
    super(`Idempotency-Key "${key}" was already used with another request body`);
  }
}

export class InvalidCursor extends Error {
  readonly code = 'ORDER.INVALID_CURSOR';
  constructor() {
    super('cursor is not one this API handed out');
  }
}
