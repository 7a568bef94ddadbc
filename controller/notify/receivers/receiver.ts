// A place notifications go. The dispatcher gives each receiver only the events it asked for, one at a
// time, and retries what it could not take.
import type { NotifyEventKind } from '../../config/types.js';
import type { Notification } from '../notifications.js';
import type { DeliveryResult } from './http-delivery.js';

export type { DeliveryResult } from './http-delivery.js';

export interface Receiver {
  name: string;
  kind: 'webhook' | 'slack' | 'github';
  events: ReadonlySet<NotifyEventKind>;
  deliver(notification: Notification): Promise<DeliveryResult>;
}

/** Per-receiver state that must survive a restart (GitHub issue numbers), persisted by the ledger. */
export type ReceiverMemory = Record<string, number>;

export const DELIVERY_TIMEOUT_MS = 10_000;
