// The generic webhook: the notification as JSON, signed like GitHub's webhooks — X-Atomsync-Signature-256
// is `sha256=` and the hex HMAC-SHA256 of the exact body bytes under the shared secret.
import { createHmac } from 'node:crypto';
import type { NotifyEventKind } from '../../config/types.js';
import type { Notification } from '../notifications.js';
import { httpDeliver } from './http-delivery.js';
import { DELIVERY_TIMEOUT_MS, type Receiver } from './receiver.js';

export const SIGNATURE_HEADER = 'X-Atomsync-Signature-256';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function webhookReceiver(options: {
  name: string;
  url: string;
  secret?: string;
  events: readonly NotifyEventKind[];
}): Receiver {
  return {
    name: options.name,
    kind: 'webhook',
    events: new Set(options.events),
    deliver: (notification: Notification) => {
      const body = JSON.stringify({ source: 'atomsync', ...notification });
      const headers: Record<string, string> = {
        'User-Agent': 'atomsync',
        'X-Atomsync-Event': notification.event,
        'X-Atomsync-Delivery': notification.id,
        ...(options.secret ? { [SIGNATURE_HEADER]: signBody(body, options.secret) } : {}),
      };
      return httpDeliver({ method: 'POST', url: options.url, headers, body, timeoutMs: DELIVERY_TIMEOUT_MS });
    },
  };
}
