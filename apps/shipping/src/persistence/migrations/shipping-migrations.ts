import { ShippingTables1764300200000 } from './1764300200000-shipping-tables.migration.js';
import { ShipmentRecalls1767000200000 } from './1767000200000-shipment-recalls.migration.js';

/** The shipping schema, oldest first. */
export const shippingMigrations = [ShippingTables1764300200000, ShipmentRecalls1767000200000];
